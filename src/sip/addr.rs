//! `name-addr` and `addr-spec` followed by header parameters: the value shape of From, To,
//! Contact, Route, Record-Route and friends (RFC 3261 sections 20.10 and 25.1).
//!
//! `From: "Alice" <sip:alice@alpha.example>;tag=7c1e55` and `To: sip:bob@beta.example` are both
//! accepted. In the addr-spec form the URI ends at the first `;` or whitespace, so `;tag=` is a
//! header parameter, and a URI holding `?` or `,` must use `<...>` (RFC 3261 section 20.10).

use super::chars::{self, SCHEME, TOKEN};
use super::error::{Rule, SipError};
use super::lex::Cursor;
use super::params::{self, Params, ValueRules};
use super::uri::Uri;

/// A `name-addr` or `addr-spec` with its header parameters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NameAddr<'a> {
    /// Display name as written: a quoted string (quotes kept) or tokens separated by LWS.
    pub display_name: Option<&'a str>,
    /// The address.
    pub uri: Uri<'a>,
    /// Whether the address was written in `<...>` (the name-addr form).
    pub angle_brackets: bool,
    /// Header parameters after the address (`tag`, `expires`, `q` ...).
    pub params: Params<'a>,
}

impl<'a> NameAddr<'a> {
    /// Parses one element occupying all of `text` (already trimmed), which starts at `base`.
    pub fn parse(text: &'a str, base: usize) -> Result<NameAddr<'a>, SipError> {
        match super::quick::node_shapes::name_addr(text).or_else(|| super::quick::name_addr(text)) {
            Some(plain) => Ok(plain),
            None => Self::parse_general(text, base),
        }
    }

    /// [`parse`](Self::parse) for every shape, without the fast recogniser.
    pub(crate) fn parse_general(text: &'a str, base: usize) -> Result<NameAddr<'a>, SipError> {
        let mut c = Cursor::new(text, base);
        c.skip_lws();
        let mut display_name = None;
        let angle_brackets;
        let uri;
        match c.peek() {
            Some(b'"') => {
                display_name = Some(c.quoted_string()?);
                c.skip_lws();
                if c.peek() != Some(b'<') {
                    return Err(c.err(Rule::UnterminatedAngleBracket));
                }
                uri = angle_uri(&mut c)?;
                angle_brackets = true;
            }
            Some(b'<') => {
                uri = angle_uri(&mut c)?;
                angle_brackets = true;
            }
            _ if starts_with_scheme(c.rest()) => {
                uri = addr_spec_uri(&mut c)?;
                angle_brackets = false;
            }
            _ => {
                let start = c.pos();
                loop {
                    if c.take_class(TOKEN).is_empty() {
                        return Err(c.err(Rule::DisplayNameNotToken));
                    }
                    let end = c.pos();
                    c.skip_lws();
                    if c.peek() == Some(b'<') {
                        display_name = Some(c.since(start).get(..end - start).unwrap_or(""));
                        break;
                    }
                }
                uri = angle_uri(&mut c)?;
                angle_brackets = true;
            }
        }
        let params = params::parse(&mut c, ValueRules::Generic)?;
        c.expect_end(Rule::UnexpectedCharacters)?;
        Ok(NameAddr {
            display_name,
            uri,
            angle_brackets,
            params,
        })
    }

    /// The `tag` parameter (RFC 3261 section 19.3), if present.
    pub fn tag(&self) -> Option<&'a str> {
        self.params.get("tag").flatten()
    }

    /// The display name without quotes and escapes.
    pub fn display_name_text(&self) -> Option<std::borrow::Cow<'a, str>> {
        self.display_name.map(params::unquote)
    }
}

fn starts_with_scheme(s: &str) -> bool {
    let bytes = s.as_bytes();
    let n = bytes.iter().take_while(|&&b| chars::is(b, SCHEME)).count();
    n > 0 && bytes.first().is_some_and(|b| b.is_ascii_alphabetic()) && bytes.get(n) == Some(&b':')
}

/// Parses `"<" addr-spec ">"` at the cursor (which is on the `<`).
fn angle_uri<'a>(c: &mut Cursor<'a>) -> Result<Uri<'a>, SipError> {
    c.eat(b'<');
    let start = c.pos();
    let rest = c.rest();
    let close = chars::find_byte(rest, b'>').ok_or_else(|| {
        SipError::new(
            Rule::UnterminatedAngleBracket,
            c.offset_of(start.saturating_sub(1)),
        )
    })?;
    let inner = rest.get(..close).unwrap_or("");
    if let Some(ws) = chars::find_any(inner, b" \t\r\n") {
        return Err(SipError::new(
            Rule::SpaceInsideAngleBrackets,
            c.offset_of(start + ws),
        ));
    }
    let uri = Uri::parse(inner, c.offset_of(start))?;
    c.bump(close + 1);
    Ok(uri)
}

/// Parses a bare addr-spec: the URI runs to the first `;` or whitespace.
fn addr_spec_uri<'a>(c: &mut Cursor<'a>) -> Result<Uri<'a>, SipError> {
    let start = c.pos();
    let rest = c.rest();
    let end = chars::find_any(rest, b"; \t\r\n").unwrap_or(rest.len());
    let text = rest.get(..end).unwrap_or("");
    if let Some(p) = chars::find_any(text, b"?,") {
        return Err(SipError::new(
            Rule::AddrSpecNeedsAngleBrackets,
            c.offset_of(start + p),
        ));
    }
    let uri = Uri::parse(text, c.offset_of(start))?;
    c.bump(end);
    Ok(uri)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule(s: &str) -> Rule {
        NameAddr::parse(s, 0).unwrap_err().rule
    }

    #[test]
    fn quoted_display_name_with_escapes_and_tag() {
        let a = NameAddr::parse(
            r#""J Rosenberg \\\""  <sip:jdrosen@example.com> ; tag = 98asjd8"#,
            0,
        )
        .unwrap();
        assert_eq!(a.display_name, Some(r#""J Rosenberg \\\"""#));
        assert_eq!(a.tag(), Some("98asjd8"));
        assert!(a.angle_brackets);
    }

    #[test]
    fn token_display_name_may_touch_the_angle_bracket() {
        let a = NameAddr::parse("caller<sip:caller@example.com>;tag=323", 0).unwrap();
        assert_eq!(a.display_name, Some("caller"));
        let a = NameAddr::parse("Joe Bob Briggs <urn:ipaddr:122.1.2.3>", 0).unwrap();
        assert_eq!(a.display_name, Some("Joe Bob Briggs"));
    }

    #[test]
    fn addr_spec_parameters_are_header_parameters() {
        let a = NameAddr::parse("sip:+19725552222@gw1.example.net;unknownparam", 0).unwrap();
        assert_eq!(a.params.get("unknownparam"), Some(None));
        assert_eq!(a.uri.as_sip().unwrap().params, "");
    }

    #[test]
    fn rfc4475_address_errors_are_named() {
        assert_eq!(
            rule("Bell, Alexander <sip:a.g.bell@example.com>;tag=43"),
            Rule::DisplayNameNotToken
        );
        assert_eq!(
            rule("\"Watson, Thomas\" < sip:t.watson@example.org >"),
            Rule::SpaceInsideAngleBrackets
        );
        assert_eq!(
            rule("\"Mr. J. User <sip:j.user@example.com>"),
            Rule::UnterminatedQuotedString
        );
        assert_eq!(
            rule("sip:user@example.com?Route=%3Csip:sip.example.com%3E"),
            Rule::AddrSpecNeedsAngleBrackets
        );
        assert_eq!(rule("<sip:a@b><sip:c@d>"), Rule::UnexpectedCharacters);
        assert_eq!(
            rule("<sip:bob@open-ims.test"),
            Rule::UnterminatedAngleBracket
        );
        assert_eq!(rule("<sip:a@b>;tag="), Rule::EmptyTag);
    }
}
