//! One CPIM message header line (RFC 3862 section 3.1, 3.6):
//! `[Name-prefix "."] Name ":" *(";" Parameter) SP Header-value CRLF`.

use super::grammar::{
    first_non_printable_ascii, is_name, is_name_char, is_token, is_value_char, quoted_len, unescape,
};
use super::known_names::{known_name, KnownName};
use super::CpimErrorKind;
use std::borrow::Cow;

/// A CPIM message header, borrowed from the body. Names are case-sensitive.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Header<'a> {
    /// The `Name-prefix` before the dot, if any.
    pub prefix: Option<&'a str>,
    /// The header name after the prefix.
    pub name: &'a str,
    /// The namespace URI the name lives in (the bound prefix or the default namespace).
    pub namespace: &'a str,
    /// The parameters as written, each starting with `;` (empty when there are none).
    pub params_raw: &'a str,
    /// The value as written, escapes not decoded.
    pub value_raw: &'a str,
    /// Byte offset of the line in the CPIM body.
    pub offset: usize,
}

impl<'a> Header<'a> {
    /// The value with `\`-escapes decoded.
    pub fn value(&self) -> Cow<'a, str> {
        unescape(self.value_raw)
    }

    /// The header parameters in order: (name, value as written, quotes kept).
    pub fn params(&self) -> impl Iterator<Item = (&'a str, &'a str)> {
        split_params(self.params_raw)
    }

    /// The `lang` parameter (RFC 3862 section 3.2, e.g. on `Subject`).
    pub fn lang(&self) -> Option<&'a str> {
        self.params().find(|(n, _)| *n == "lang").map(|(_, v)| v)
    }

    /// Appends the line as it was received, with its CRLF: the bytes the owned copy of this
    /// header serializes to (a parameter run re-joined from its pieces is the run itself).
    pub(crate) fn write_line(&self, out: &mut Vec<u8>) {
        if let Some(p) = self.prefix {
            out.extend_from_slice(p.as_bytes());
            out.push(b'.');
        }
        out.extend_from_slice(self.name.as_bytes());
        out.push(b':');
        out.extend_from_slice(self.params_raw.as_bytes());
        out.push(b' ');
        out.extend_from_slice(self.value_raw.as_bytes());
        out.extend_from_slice(b"\r\n");
    }
}

/// The pieces of a header line before namespace resolution.
pub(crate) struct RawHeader<'a> {
    pub prefix: Option<&'a str>,
    pub name: &'a str,
    pub params_raw: &'a str,
    pub value_raw: &'a str,
}

/// Splits and checks one header line (without CRLF). Errors carry the offset within the line.
pub(crate) fn parse_line(line: &str) -> Result<RawHeader<'_>, (CpimErrorKind, usize)> {
    match parse_plain_line(line) {
        Some(raw) => Ok(raw),
        None => parse_any_line(line),
    }
}

/// The common line in one pass: `[Name-prefix "."] Name ": " value` with no parameter and a
/// value of printable ASCII that neither starts nor ends with a space. `None` for any other
/// line, valid or not, which [`parse_any_line`] then reads; on the lines it accepts both give
/// the same pieces.
fn parse_plain_line(line: &str) -> Option<RawHeader<'_>> {
    if first_non_printable_ascii(line.as_bytes()).is_some() {
        return None;
    }
    split_plain_line(line)
}

/// [`parse_plain_line`] for a line already known to be printable ASCII (`%x20-7E`): only the
/// name, the `": "` and the value's ends are checked. On any other line its answer means
/// nothing.
pub(crate) fn split_plain_line(line: &str) -> Option<RawHeader<'_>> {
    split_plain_line_named(line, known_name(line.as_bytes()))
}

/// [`split_plain_line`] where `known` is what [`known_name`] gives for `line`, found already.
pub(crate) fn split_plain_line_named(
    line: &str,
    known: Option<KnownName>,
) -> Option<RawHeader<'_>> {
    let bytes = line.as_bytes();
    let (dot, colon) = match known {
        Some(known) => (known.dot, known.colon),
        None => scan_name(bytes)?,
    };
    let name_start = dot.map_or(0, |d| d + 1);
    let value_raw = line.get(colon + 2..)?;
    if value_raw.starts_with(' ') || value_raw.ends_with(' ') {
        return None;
    }
    Some(RawHeader {
        prefix: match dot {
            Some(d) => Some(line.get(..d)?),
            None => None,
        },
        name: line.get(name_start..colon)?,
        params_raw: "",
        value_raw,
    })
}

/// Where the dot (if any) and the colon of a plain line's `[Name-prefix "."] Name ": "` are,
/// read byte by byte; `None` unless both parts are non-empty runs of NAMECHAR and `": "`
/// follows.
fn scan_name(bytes: &[u8]) -> Option<(Option<usize>, usize)> {
    let mut dot = None;
    let mut i = 0;
    let colon = loop {
        match *bytes.get(i)? {
            b if is_name_char(b) => {}
            b'.' if dot.is_none() && i > 0 => dot = Some(i),
            b':' => break i,
            _ => return None,
        }
        i += 1;
    };
    let name_start = dot.map_or(0, |d| d + 1);
    if colon == name_start || bytes.get(colon + 1) != Some(&b' ') {
        return None;
    }
    Some((dot, colon))
}

/// Any header line, by the grammar rule by rule: the reader of every verdict and offset.
fn parse_any_line(line: &str) -> Result<RawHeader<'_>, (CpimErrorKind, usize)> {
    if line.starts_with([' ', '\t']) {
        return Err((CpimErrorKind::FoldedHeader, 0));
    }
    if let Some(at) = first_control(line) {
        return Err((CpimErrorKind::InvalidCharacter, at));
    }
    let colon = line
        .bytes()
        .position(|b| b == b':')
        .ok_or((CpimErrorKind::MissingColon, 0))?;
    let (prefix, name) = split_name(&line[..colon]).ok_or((CpimErrorKind::InvalidHeaderName, 0))?;
    let after = &line[colon + 1..];
    let params_len = params_len(after).map_err(|(k, at)| (k, colon + 1 + at))?;
    let value_at = colon + 1 + params_len;
    let value_raw = line[value_at..]
        .strip_prefix(' ')
        .ok_or((CpimErrorKind::SpaceAfterColon, value_at))?;
    if value_raw.starts_with([' ', '\t']) || value_raw.ends_with([' ', '\t']) {
        return Err((CpimErrorKind::ValueWhitespace, value_at + 1));
    }
    Ok(RawHeader {
        prefix,
        name,
        params_raw: &after[..params_len],
        value_raw,
    })
}

/// `[Name-prefix "."] Name` in one pass: the prefix ends at the first dot, and both parts are
/// non-empty runs of NAMECHAR (which excludes the dot, so a second dot fails).
fn split_name(full: &str) -> Option<(Option<&str>, &str)> {
    let mut dot = None;
    for (i, &b) in full.as_bytes().iter().enumerate() {
        if b == b'.' && dot.is_none() {
            dot = Some(i);
        } else if !is_name_char(b) {
            return None;
        }
    }
    let (prefix, name) = match dot {
        Some(d) => (Some(full.get(..d)?), full.get(d + 1..)?),
        None => (None, full),
    };
    let non_empty = prefix.is_none_or(|p| !p.is_empty()) && !name.is_empty();
    non_empty.then_some((prefix, name))
}

/// Offset of the first character of `line` that may not appear in a header value. ASCII bytes
/// are checked as bytes, a word at a time (header lines are nearly always ASCII); decoding to
/// `char` starts only at the first non-ASCII byte, which is a character boundary.
fn first_control(line: &str) -> Option<usize> {
    let at = first_non_printable_ascii(line.as_bytes())?;
    if line.as_bytes().get(at).is_some_and(u8::is_ascii) {
        return Some(at);
    }
    let rest = line.get(at..)?;
    rest.find(|c| !is_value_char(c)).map(|i| at + i)
}

/// Length of the `*(";" Parameter)` run at the start of `s`.
fn params_len(s: &str) -> Result<usize, (CpimErrorKind, usize)> {
    let mut pos = 0;
    while let Some(rest) = s[pos..].strip_prefix(';') {
        let eq = rest
            .find('=')
            .ok_or((CpimErrorKind::InvalidParameter, pos))?;
        if !is_name(&rest[..eq]) {
            return Err((CpimErrorKind::InvalidParameter, pos));
        }
        let value = &rest[eq + 1..];
        let value_len = if value.starts_with('"') {
            quoted_len(value).ok_or((CpimErrorKind::UnterminatedQuotedString, pos))?
        } else {
            value.find([';', ' ']).unwrap_or(value.len())
        };
        if !value.starts_with('"') && !is_token(&value[..value_len]) {
            return Err((CpimErrorKind::InvalidParameter, pos));
        }
        pos += 1 + eq + 1 + value_len;
    }
    Ok(pos)
}

/// Iterates `;name=value` pieces of a checked parameter run.
pub(crate) fn split_params(raw: &str) -> impl Iterator<Item = (&str, &str)> {
    let mut rest = raw;
    std::iter::from_fn(move || {
        let body = rest.strip_prefix(';')?;
        let (name, value) = body.split_once('=')?;
        let len = if value.starts_with('"') {
            quoted_len(value).unwrap_or(value.len())
        } else {
            value.find(';').unwrap_or(value.len())
        };
        rest = &value[len..];
        Some((name, &value[..len]))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cpim::one_more_byte::with_one_more_byte;

    #[test]
    fn control_characters_are_found_in_ascii_and_after_non_ascii_text() {
        assert_eq!(first_control("Subject: plain"), None);
        assert_eq!(first_control("Subject: a\u{7f}b"), Some(10));
        assert_eq!(first_control("Subject: \u{e9}t\u{e9}"), None);
        assert_eq!(first_control("Subject: \u{e9}\u{85}x"), Some(11));
        assert_eq!(first_control("Subject: \u{e9}\tx"), Some(11));
    }

    #[test]
    fn prefixed_name_splits_at_the_dot() {
        let h = parse_line("imdn.Message-ID: Xk3q9TzQ2mPw").ok().unwrap();
        assert_eq!(
            (h.prefix, h.name, h.value_raw),
            (Some("imdn"), "Message-ID", "Xk3q9TzQ2mPw")
        );
    }

    #[test]
    fn parameters_come_between_colon_and_space() {
        let h = parse_line("Test:;aaa=bbb;yes=no CheckMe").ok().unwrap();
        assert_eq!(h.params_raw, ";aaa=bbb;yes=no");
        let params: Vec<_> = split_params(h.params_raw).collect();
        assert_eq!(params, [("aaa", "bbb"), ("yes", "no")]);
        assert_eq!(h.value_raw, "CheckMe");
        let q = parse_line("X:;n=\"a b;c\" v").ok().unwrap();
        assert_eq!(
            split_params(q.params_raw).collect::<Vec<_>>(),
            [("n", "\"a b;c\"")]
        );
    }

    #[test]
    fn exactly_one_space_follows_the_colon() {
        assert_eq!(
            parse_line("To:<sip:a@b>").err(),
            Some((CpimErrorKind::SpaceAfterColon, 3))
        );
        assert_eq!(
            parse_line("To:  <sip:a@b>").err().map(|e| e.0),
            Some(CpimErrorKind::ValueWhitespace)
        );
        assert_eq!(
            parse_line("Subject: hi ").err().map(|e| e.0),
            Some(CpimErrorKind::ValueWhitespace)
        );
    }

    #[test]
    fn header_lines_refuse_controls_and_bad_names() {
        assert_eq!(
            parse_line("Subject: a\tb").err(),
            Some((CpimErrorKind::InvalidCharacter, 10))
        );
        assert_eq!(
            parse_line("Bad Name: x").err().map(|e| e.0),
            Some(CpimErrorKind::InvalidHeaderName)
        );
        assert_eq!(
            parse_line("a.b.c: x").err().map(|e| e.0),
            Some(CpimErrorKind::InvalidHeaderName)
        );
        assert_eq!(
            parse_line("NoColon").err().map(|e| e.0),
            Some(CpimErrorKind::MissingColon)
        );
        assert_eq!(
            parse_line("X:;n=\"open v").err().map(|e| e.0),
            Some(CpimErrorKind::UnterminatedQuotedString)
        );
    }

    fn pieces(r: RawHeader<'_>) -> (Option<&str>, &str, &str, &str) {
        (r.prefix, r.name, r.params_raw, r.value_raw)
    }

    /// The one-pass reader either gives up or gives what the rule-by-rule reader gives.
    fn agree(line: &str) {
        let fast = parse_plain_line(line).map(pieces);
        let general = parse_any_line(line).map(pieces);
        if let Some(fast) = fast {
            assert_eq!(Ok(fast), general, "{line:?}");
        }
        assert_eq!(parse_line(line).map(pieces), general, "{line:?}");
    }

    #[test]
    fn the_one_pass_reader_agrees_on_every_byte_in_every_place_of_common_lines() {
        let lines = [
            "imdn.Message-ID: Xk3q9TzQ2mPw",
            "From: Alice <sip:alice@alpha.example>",
            "imdn.Disposition-Notification: positive-delivery, display",
            "a.b: c",
            "X: ",
            "X: v",
            "To: <sip:bob@beta.example>",
            "DateTime: 2024-03-18T09:30:05+01:00",
            "NS: imdn <urn:ietf:params:imdn>",
            "imdn.Original-To: <sip:climbers@conf.gamma.example>",
            "imdn.IMDN-Record-Route: <sip:imdn@cf.gamma.example>",
            "imdn.IMDN-Route: <sip:imdn@cf.gamma.example>",
        ];
        for base in lines {
            assert!(parse_plain_line(base).is_some(), "{base:?}");
            for line in with_one_more_byte(base) {
                agree(&line);
            }
        }
    }

    proptest::proptest! {
        #[test]
        fn the_one_pass_reader_agrees_with_the_grammar_on_any_line(
            line in "[a-zA-Z.:; =\"\t-]{0,6}[ -~\u{80}-\u{90}\u{e9}\t]{0,12}",
        ) {
            agree(&line);
        }
    }

    #[test]
    fn a_known_name_is_where_reading_each_byte_finds_it() {
        for line in [
            "From: a",
            "To: ",
            "DateTime: x",
            "NS: y",
            "imdn.Message-ID: z",
            "imdn.Disposition-Notification: d",
            "imdn.Original-To: o",
            "imdn.IMDN-Record-Route: r",
            "imdn.IMDN-Route: r",
        ] {
            let known = known_name(line.as_bytes()).map(|k| (k.dot, k.colon));
            assert!(known.is_some(), "{line:?}");
            assert_eq!(known, scan_name(line.as_bytes()), "{line:?}");
        }
    }

    #[test]
    fn empty_value_is_allowed_after_the_space() {
        assert_eq!(
            parse_line("imdn.Disposition-Notification: ")
                .ok()
                .unwrap()
                .value_raw,
            ""
        );
    }
}
