//! Header parameters: `*( SEMI generic-param )` with `generic-param = token [ EQUAL gen-value ]`
//! and `gen-value = token / host / quoted-string` (RFC 3261 section 25.1).
//!
//! Parameters are checked once when their element is parsed; afterwards a [`Params`] is just
//! the borrowed text, and lookups re-read it (elements carry a handful of parameters, so a scan
//! is cheaper than storing them).

use super::chars::{self, TOKEN};
use super::error::{Rule, SipError};
use super::host;
use super::lex::Cursor;
use crate::limits::SIP_PARAMS_PER_ELEMENT_MAX;

/// What a parameter value may look like beyond `gen-value`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ValueRules {
    /// Plain `gen-value`.
    Generic,
    /// Via parameters: also a bare IPv6 address (`received=2001:db8::1`, RFC 5118 section 4.5).
    Via,
}

/// The parameters of one header element, as written (from the first `;`).
///
/// A recogniser that already walked the text may note where the `branch` value lies, so that
/// [`Via::branch`](super::via::Via::branch), asked on every hop of every transaction, is a
/// slice rather than a scan. The note is derived from the text, so equality and `Debug` look
/// at the text alone.
#[derive(Clone, Copy, Default)]
pub struct Params<'a> {
    text: &'a str,
    /// Start and end in `text` of the value of the first parameter named `branch`, when a
    /// recogniser noted it; an empty span means not noted (a value is never empty).
    branch_span: (u32, u32),
}

impl PartialEq for Params<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.text == other.text
    }
}

impl Eq for Params<'_> {}

impl std::fmt::Debug for Params<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Params").field("text", &self.text).finish()
    }
}

/// One header parameter: its name and its value as written (quotes kept), if any.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Param<'a> {
    /// Parameter name (compare case-insensitively).
    pub name: &'a str,
    /// Value as written, quotes included; `None` for a flag such as `lr` or `rport`.
    pub value: Option<&'a str>,
}

impl<'a> Params<'a> {
    /// Parameters whose text (from the first `;`) a parser has already checked.
    pub(crate) fn checked(text: &'a str) -> Params<'a> {
        Params {
            text,
            branch_span: (0, 0),
        }
    }

    /// [`checked`](Self::checked) text whose first parameter named `branch` (any case) has the
    /// value `text[start..end]`, as the recogniser that checked it found.
    pub(crate) fn checked_with_branch(text: &'a str, start: usize, end: usize) -> Params<'a> {
        // Spans lie inside a header section, far below `u32::MAX`; a span that does not fit
        // in `text` is never sliced (see `noted_branch`).
        Params {
            text,
            branch_span: (start as u32, end as u32),
        }
    }

    /// The `branch` value a recogniser noted, if it noted one (else ask [`get`](Self::get)).
    #[inline]
    pub(crate) fn noted_branch(&self) -> Option<&'a str> {
        let (start, end) = self.branch_span;
        if start == end {
            return None;
        }
        self.text.get(start as usize..end as usize)
    }

    /// The parameters as written, starting with `;` (empty when there are none).
    pub fn as_str(&self) -> &'a str {
        self.text
    }

    /// Whether there are no parameters.
    pub fn is_empty(&self) -> bool {
        self.text.is_empty()
    }

    /// Iterates the parameters in order.
    pub fn iter(&self) -> ParamIter<'a> {
        ParamIter {
            cursor: Cursor::new(self.text, 0),
        }
    }

    /// The parameter called `name` (case-insensitive): `Some(None)` for a flag,
    /// `Some(Some(value))` for a valued one, `None` when absent.
    pub fn get(&self, name: &str) -> Option<Option<&'a str>> {
        if let Some(found) = super::quick::param(self.text, name) {
            return found;
        }
        self.iter()
            .find(|p| p.name.eq_ignore_ascii_case(name))
            .map(|p| p.value)
    }
}

/// Iterator over [`Params`].
#[derive(Debug, Clone)]
pub struct ParamIter<'a> {
    cursor: Cursor<'a>,
}

impl<'a> Iterator for ParamIter<'a> {
    type Item = Param<'a>;

    fn next(&mut self) -> Option<Param<'a>> {
        let c = &mut self.cursor;
        if !c.eat_separator(b';') {
            return None;
        }
        let name = c.take_class(TOKEN);
        if name.is_empty() {
            return None;
        }
        let value = if c.eat_separator(b'=') {
            let start = c.pos();
            skip_value(c);
            Some(c.since(start))
        } else {
            None
        };
        Some(Param { name, value })
    }
}

/// Steps over a value already known to be well formed.
fn skip_value(c: &mut Cursor<'_>) {
    match c.peek() {
        Some(b'"') => {
            let _ = c.quoted_string();
        }
        Some(b'[') => {
            while let Some(b) = c.peek() {
                c.bump(1);
                if b == b']' {
                    break;
                }
            }
        }
        _ => {
            c.take_while(|b| chars::is(b, TOKEN) || b == b':');
        }
    }
}

/// Parses `*( SEMI generic-param )` at the cursor and returns the parameters' text.
/// Stops before anything that is not a `;` (after optional LWS).
pub(crate) fn parse<'a>(c: &mut Cursor<'a>, rules: ValueRules) -> Result<Params<'a>, SipError> {
    let save = *c;
    c.skip_lws();
    if c.peek() != Some(b';') {
        *c = save;
        return Ok(Params::default());
    }
    let start = c.pos();
    let mut count = 0usize;
    while c.eat_separator(b';') {
        count += 1;
        if count > SIP_PARAMS_PER_ELEMENT_MAX {
            return Err(c.err(Rule::TooManyParameters));
        }
        let name = c.take_class(TOKEN);
        if name.is_empty() {
            let rule = match c.peek() {
                None | Some(b';') | Some(b',') => Rule::EmptyParameter,
                _ => Rule::InvalidParameter,
            };
            return Err(c.err(rule));
        }
        if c.eat_separator(b'=') {
            parse_value(c, name, rules)?;
        }
    }
    let text = c.since(start);
    Ok(Params::checked(text))
}

fn parse_value(c: &mut Cursor<'_>, name: &str, rules: ValueRules) -> Result<(), SipError> {
    match c.peek() {
        Some(b'"') => {
            c.quoted_string()?;
        }
        Some(b'[') => {
            let start = c.pos();
            let rest = c.rest();
            let close = rest
                .find(']')
                .ok_or_else(|| c.err(Rule::InvalidIpv6Reference))?;
            let inner = rest.get(1..close).unwrap_or("");
            if !host::is_ipv6(inner) {
                return Err(SipError::new(
                    Rule::InvalidIpv6Reference,
                    c.offset_of(start),
                ));
            }
            c.bump(close + 1);
        }
        _ => {
            let start = c.pos();
            let colon_ok = rules == ValueRules::Via;
            let value = c.take_while(|b| chars::is(b, TOKEN) || (colon_ok && b == b':'));
            if value.is_empty() {
                let rule = match c.peek() {
                    None | Some(b';') | Some(b',') | Some(b' ') | Some(b'\t') | Some(b'\r') => {
                        if name.eq_ignore_ascii_case("tag") {
                            Rule::EmptyTag
                        } else {
                            Rule::EmptyParameterValue
                        }
                    }
                    _ => Rule::InvalidParameter,
                };
                return Err(c.err(rule));
            }
            if colon_ok && value.contains(':') && !host::is_ipv6(value) {
                return Err(SipError::new(
                    Rule::InvalidIpv6Reference,
                    c.offset_of(start),
                ));
            }
        }
    }
    // A value must be followed by LWS, `;`, `,` or the end; anything else is a bad character.
    match c.peek() {
        None | Some(b';') | Some(b',') | Some(b' ') | Some(b'\t') | Some(b'\r') | Some(b'\n') => {
            Ok(())
        }
        _ => Err(c.err(Rule::InvalidParameter)),
    }
}

/// The text of a quoted string without its quotes and with `\x` escapes resolved.
pub fn unquote(s: &str) -> std::borrow::Cow<'_, str> {
    let inner = s
        .strip_prefix('"')
        .and_then(|x| x.strip_suffix('"'))
        .unwrap_or(s);
    if !inner.contains('\\') {
        return std::borrow::Cow::Borrowed(inner);
    }
    let mut out = String::with_capacity(inner.len());
    let mut chars = inner.chars();
    while let Some(ch) = chars.next() {
        if ch == '\\' {
            if let Some(next) = chars.next() {
                out.push(next);
            }
        } else {
            out.push(ch);
        }
    }
    std::borrow::Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn params(s: &str) -> Result<Params<'_>, SipError> {
        let mut c = Cursor::new(s, 0);
        let p = parse(&mut c, ValueRules::Generic)?;
        c.expect_end(Rule::UnexpectedCharacters)?;
        Ok(p)
    }

    #[test]
    fn flags_values_and_quoted_values_are_read_back() {
        let p = params(" ; lr ;tag = a1 ; q=\"x;y\"").unwrap();
        assert_eq!(p.get("LR"), Some(None));
        assert_eq!(p.get("tag"), Some(Some("a1")));
        assert_eq!(p.get("q"), Some(Some("\"x;y\"")));
        assert_eq!(p.get("absent"), None);
    }

    #[test]
    fn empty_parameters_are_refused() {
        assert_eq!(params(";;").unwrap_err().rule, Rule::EmptyParameter);
        assert_eq!(params(";tag=").unwrap_err().rule, Rule::EmptyTag);
        assert_eq!(params(";a=").unwrap_err().rule, Rule::EmptyParameterValue);
    }

    #[test]
    fn a_slash_is_not_a_token_value() {
        assert_eq!(
            params(";pn-tok=/x").unwrap_err().rule,
            Rule::InvalidParameter
        );
    }

    #[test]
    fn unquote_resolves_escapes() {
        assert_eq!(unquote(r#""J Rosenberg \\\"""#), r#"J Rosenberg \""#);
    }
}
