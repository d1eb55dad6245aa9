//! `[Formal-name] "<" URI ">"`: the value of From, To, cc (RFC 3862 section 4) and of
//! Original-To, IMDN-Record-Route, IMDN-Route (RFC 5438 section 6).

use super::grammar::{escape, is_token, quoted_len, unescape};
use super::plain_address::parse_plain_address;
use super::CpimErrorKind;
use crate::ascii_run::first_outside;
use std::borrow::Cow;

/// A CPIM address: an optional display name and an absolute URI, borrowed from the header.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Address<'a> {
    /// The Formal-name as written: a quoted String (with its quotes) or space-separated tokens.
    pub formal_name_raw: Option<&'a str>,
    /// The URI between `<` and `>`.
    pub uri: &'a str,
}

impl<'a> Address<'a> {
    /// Parses an address value. Accepts one optional SP between a quoted String and `<`.
    pub fn parse(value: &'a str) -> Result<Self, CpimErrorKind> {
        match parse_plain_address(value) {
            Some(address) => Ok(address),
            None => Self::parse_by_grammar(value),
        }
    }

    /// [`Address::parse`] by the grammar, rule by rule: the reader of every verdict, which the
    /// one-pass reader of the common shape is checked against.
    pub(super) fn parse_by_grammar(value: &'a str) -> Result<Self, CpimErrorKind> {
        let (name, rest) = if value.starts_with('"') {
            let len = quoted_len(value).ok_or(CpimErrorKind::UnterminatedQuotedString)?;
            let rest = &value[len..];
            (Some(&value[..len]), rest.strip_prefix(' ').unwrap_or(rest))
        } else if let Some(lt) = value.bytes().position(|b| b == b'<') {
            let name = &value[..lt];
            if lt > 0 {
                let tokens = name
                    .strip_suffix(' ')
                    .ok_or(CpimErrorKind::InvalidAddress)?;
                if !tokens.split(' ').all(is_token) {
                    return Err(CpimErrorKind::InvalidAddress);
                }
            }
            ((lt > 0).then_some(name.trim_end_matches(' ')), &value[lt..])
        } else {
            return Err(CpimErrorKind::InvalidAddress);
        };
        let uri = rest
            .strip_prefix('<')
            .and_then(|r| r.strip_suffix('>'))
            .ok_or(CpimErrorKind::InvalidAddress)?;
        if !is_absolute_uri(uri) {
            return Err(CpimErrorKind::InvalidAddress);
        }
        Ok(Self {
            formal_name_raw: name,
            uri,
        })
    }

    /// The address of a value [`Address::parse`] accepted, cut again without checking: the URI
    /// lies between the value's last `<` (a URI holds none) and its final `>`, and the
    /// Formal-name is what comes before, less the one SP that may separate them. On any value
    /// `parse` accepts it gives what `parse` gives; on another it gives some cut, never a panic.
    pub(crate) fn of_checked(value: &'a str) -> Self {
        let lt = value.rfind('<').unwrap_or(0);
        let uri = value
            .get(lt + 1..value.len().saturating_sub(1))
            .unwrap_or_default();
        let name = value.get(..lt).unwrap_or_default();
        Self {
            formal_name_raw: (lt > 0).then(|| name.strip_suffix(' ').unwrap_or(name)),
            uri,
        }
    }

    /// The display name with quotes and escapes removed.
    pub fn formal_name(&self) -> Option<Cow<'a, str>> {
        let raw = self.formal_name_raw?;
        Some(
            match raw.strip_prefix('"').and_then(|r| r.strip_suffix('"')) {
                Some(inner) => unescape(inner),
                None => Cow::Borrowed(raw),
            },
        )
    }
}

/// Whether `uri` looks like an absolute URI: `scheme ":" rest`, no whitespace, `<`, `>` or `"`.
/// The scheme is read byte by byte up to its colon and the rest checked a word at a time.
pub(crate) fn is_absolute_uri(uri: &str) -> bool {
    after_scheme(uri).is_some_and(is_uri_text)
}

/// Whether `uri` is an absolute URI ([`is_absolute_uri`]) in graphic ASCII alone (so with no
/// space and nothing outside printable ASCII either): one pass over the rest, no decoding.
pub(crate) fn is_ascii_absolute_uri(uri: &str) -> bool {
    after_scheme(uri).is_some_and(|rest| first_non_uri_ascii(rest.as_bytes()).is_none())
}

/// What follows `scheme ":"` when `uri` starts with a scheme and the rest is not empty.
fn after_scheme(uri: &str) -> Option<&str> {
    let bytes = uri.as_bytes();
    if !bytes.first().is_some_and(u8::is_ascii_alphabetic) {
        return None;
    }
    let mut i = 1;
    loop {
        match bytes.get(i) {
            Some(b':') => break,
            Some(&b) if is_scheme_char(b) => i += 1,
            _ => return None,
        }
    }
    uri.get(i + 1..).filter(|rest| !rest.is_empty())
}

/// A byte of a URI scheme after its first letter: `ALPHA / DIGIT / "+" / "-" / "."`.
fn is_scheme_char(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'+' | b'-' | b'.')
}

/// Index of the first byte of `s` that is not graphic ASCII other than `<`, `>` and `"`: a
/// control, SP, DEL, a delimiter, or the first byte of a non-ASCII character.
fn first_non_uri_ascii(s: &[u8]) -> Option<usize> {
    first_outside(s, 0x21, *b"<>\"")
}

/// The ASCII bytes a URI may hold here: graphic characters other than `<`, `>` and `"` (in
/// ASCII, controls are below SP or DEL, and whitespace is SP or a control): the tests' reference.
#[cfg(test)]
static URI_ASCII: [bool; 256] = uri_ascii();

#[cfg(test)]
const fn uri_ascii() -> [bool; 256] {
    let mut out = [false; 256];
    let mut b = 0x21;
    while b < 0x7f {
        out[b] = !matches!(b as u8, b'<' | b'>' | b'"');
        b += 1;
    }
    out
}

/// Whether `text` holds no control character, whitespace, `<`, `>` or `"`. ASCII is checked a
/// word at a time; characters are decoded only from the first non-ASCII byte on.
fn is_uri_text(text: &str) -> bool {
    let Some(at) = first_non_uri_ascii(text.as_bytes()) else {
        return true;
    };
    // Every byte before `at` is ASCII, so `at` starts a character.
    text.as_bytes().get(at).is_some_and(|&b| b >= 0x80)
        && text.get(at..).is_some_and(|tail| {
            tail.chars()
                .all(|c| !c.is_control() && !c.is_whitespace() && !matches!(c, '<' | '>' | '"'))
        })
}

/// Writes an address value: tokens as they are, any other name as an escaped String.
pub fn format_address(formal_name: Option<&str>, uri: &str) -> String {
    match formal_name {
        None => ["<", uri, ">"].concat(),
        Some(name) if !name.is_empty() && name.split(' ').all(is_token) => {
            [name, " <", uri, ">"].concat()
        }
        Some(name) => ["\"", &escape(name, true), "\"<", uri, ">"].concat(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cpim::one_more_byte::with_one_more_byte;

    #[test]
    fn token_formal_name_needs_one_space_before_uri() {
        let a = Address::parse("Alice <sip:alice@alpha.example>").unwrap();
        assert_eq!(a.formal_name().as_deref(), Some("Alice"));
        assert_eq!(a.uri, "sip:alice@alpha.example");
        assert!(Address::parse("Alice<sip:a@b>").is_err());
    }

    #[test]
    fn quoted_formal_name_may_touch_the_uri() {
        let a = Address::parse("\"MR SANDERS\"<im:piglet@100akerwood.com>").unwrap();
        assert_eq!(a.formal_name().as_deref(), Some("MR SANDERS"));
        let b = Address::parse("\"Depressed Donkey\" <im:eeyore@100akerwood.com>").unwrap();
        assert_eq!(b.uri, "im:eeyore@100akerwood.com");
    }

    #[test]
    fn unterminated_formal_name_is_its_own_rule() {
        assert_eq!(
            Address::parse("\"Alice <sip:a@b>"),
            Err(CpimErrorKind::UnterminatedQuotedString)
        );
    }

    #[test]
    fn uri_must_be_absolute_and_closed() {
        assert!(Address::parse("<alice>").is_err());
        assert!(Address::parse("<sip:alice@a.example").is_err());
        assert!(Address::parse("<sip:alice@a.example> x").is_err());
    }

    #[test]
    fn uri_text_refuses_controls_whitespace_and_delimiters_in_and_after_ascii() {
        for ok in ["alice@a.example", "caf\u{e9}@x", "a\u{e9}b;c=d?e"] {
            assert!(is_uri_text(ok), "{ok:?}");
        }
        for bad in [
            "a b",
            "a\tb",
            "a\u{7f}",
            "a<b",
            "a>b",
            "a\"b",
            "\u{e9}\u{85}",
            "\u{e9}\u{2003}x",
            "\u{e9}<",
        ] {
            assert!(!is_uri_text(bad), "{bad:?}");
        }
    }

    /// The definition the fast readers must agree with, written the obvious way.
    fn reference_is_absolute_uri(uri: &str) -> bool {
        let Some((scheme, rest)) = uri.split_once(':') else {
            return false;
        };
        let mut scheme_bytes = scheme.bytes();
        scheme_bytes.next().is_some_and(|b| b.is_ascii_alphabetic())
            && scheme_bytes.all(is_scheme_char)
            && !rest.is_empty()
            && rest
                .chars()
                .all(|c| !c.is_control() && !c.is_whitespace() && !matches!(c, '<' | '>' | '"'))
    }

    #[test]
    fn every_byte_in_every_place_of_a_uri_is_judged_as_the_definition_judges_it() {
        for uri in with_one_more_byte("sip:alice.smith@alpha.example;transport=udp") {
            let uri = uri.as_str();
            assert_eq!(
                is_absolute_uri(uri),
                reference_is_absolute_uri(uri),
                "{uri:?}"
            );
            assert_eq!(
                first_non_uri_ascii(uri.as_bytes()),
                uri.bytes().position(|b| !URI_ASCII[usize::from(b)]),
                "{uri:?}"
            );
        }
        for uri in ["", ":", "s:", "1:a", "s", "s:\u{85}", "s:\u{e9}\u{2003}"] {
            assert_eq!(
                is_absolute_uri(uri),
                reference_is_absolute_uri(uri),
                "{uri:?}"
            );
        }
    }

    proptest::proptest! {
        #[test]
        fn any_text_is_an_absolute_uri_exactly_when_the_definition_says_so(
            uri in "[a-z+.:-]{0,4}:?[ -~\\t\u{80}-\u{2100}]{0,24}",
        ) {
            proptest::prop_assert_eq!(is_absolute_uri(&uri), reference_is_absolute_uri(&uri));
        }
    }

    /// `of_checked` cuts every value `parse` accepts as `parse` does.
    fn cut_agrees(value: &str) {
        if let Ok(parsed) = Address::parse(value) {
            assert_eq!(Address::of_checked(value), parsed, "{value:?}");
        }
    }

    #[test]
    fn a_checked_address_is_cut_as_parsing_cuts_it_with_every_byte_in_every_place() {
        for base in [
            "Alice <sip:alice@alpha.example>",
            "<sip:bob@beta.example>",
            "Climbers Club <sip:climbers@conf.gamma.example>",
            "\"MR <SANDERS>\"<im:piglet@100akerwood.com>",
            "\"Depressed Donkey\" <im:eeyore@100akerwood.com>",
            "caf\u{e9} <sip:caf\u{e9}@x>",
        ] {
            assert!(Address::parse(base).is_ok(), "{base:?}");
            for value in with_one_more_byte(base) {
                cut_agrees(&value);
            }
        }
        // Values parse refuses are cut without a panic.
        for value in ["", "<", ">", "<>", " <", "\"<", "a<b"] {
            let _ = Address::of_checked(value);
        }
    }

    proptest::proptest! {
        #[test]
        fn any_address_parse_accepts_is_cut_as_parse_cuts_it(
            value in "(\"[ -~]{0,6}\" ?|[a-z.<> ]{0,6})<[a-z:<>\" -~]{0,12}>?",
        ) {
            cut_agrees(&value);
        }
    }

    #[test]
    fn formatted_address_parses_back() {
        for name in [
            None,
            Some("Bob"),
            Some("Bob Smith"),
            Some("O\"Neil, Jr."),
            Some(""),
        ] {
            let text = format_address(name, "sip:b@beta.example");
            let a = Address::parse(&text).unwrap();
            assert_eq!(a.formal_name().as_deref(), name);
        }
    }
}
