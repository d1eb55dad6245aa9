//! Character classes and small productions of the RFC 3862 section 3.6 grammar.
//!
//! `Name` (header names, prefixes, parameter names) uses NAMECHAR, which excludes `.` so a
//! prefixed name `imdn.Message-ID` splits at its one dot; `Token` adds `.` and non-ASCII.

use crate::ascii_run::{alnum_bytes, first_outside};
use std::borrow::Cow;

/// Bit of [`CLASSES`]: NAMECHAR.
const NAME: u8 = 1;
/// Bit of [`CLASSES`]: a byte of a `Token` (NAMECHAR, `.` and the bytes of non-ASCII UTF-8).
const TOKEN: u8 = 1 << 1;
/// Bit of [`CLASSES`]: an ASCII byte of a `Token` (NAMECHAR or `.`).
const ASCII_TOKEN: u8 = 1 << 2;
/// Bit of [`CLASSES`]: a byte of a URI scheme after its first letter (`ALPHA / DIGIT / "+" /
/// "-" / "."`, RFC 3986 section 3.1).
const SCHEME: u8 = 1 << 3;

/// The class bits of every byte, so that each character test is one table load.
static CLASSES: [u8; 256] = classes();

const fn classes() -> [u8; 256] {
    let mut out = [0u8; 256];
    let mut i = 0;
    while i < 256 {
        let b = i as u8;
        // NAMECHAR of RFC 3862: %x21 / %x23-27 / %x2a-2b / %x2d / %x5e-60 / %x7c / %x7e / ALPHA / DIGIT.
        let name = matches!(b, 0x21 | 0x23..=0x27 | 0x2a..=0x2b | 0x2d | 0x5e..=0x60 | 0x7c | 0x7e)
            || b.is_ascii_alphanumeric();
        if name {
            out[i] |= NAME;
        }
        if name || b == b'.' || b >= 0x80 {
            out[i] |= TOKEN;
        }
        if name || b == b'.' {
            out[i] |= ASCII_TOKEN;
        }
        if b.is_ascii_alphanumeric() || matches!(b, b'+' | b'-' | b'.') {
            out[i] |= SCHEME;
        }
        i += 1;
    }
    out
}

/// NAMECHAR of RFC 3862: `%x21 / %x23-27 / %x2a-2b / %x2d / %x5e-60 / %x7c / %x7e / ALPHA / DIGIT`.
pub(crate) fn is_name_char(b: u8) -> bool {
    CLASSES[usize::from(b)] & NAME != 0
}

/// Whether `b` is an ASCII byte of a `Token` (NAMECHAR or `.`).
pub(super) fn is_ascii_token_byte(b: u8) -> bool {
    CLASSES[usize::from(b)] & ASCII_TOKEN != 0
}

/// Whether `b` may follow the first letter of a URI scheme (RFC 3986 section 3.1).
pub(super) fn is_scheme_byte(b: u8) -> bool {
    CLASSES[usize::from(b)] & SCHEME != 0
}

/// Whether `s` is a non-empty `Name`.
pub(crate) fn is_name(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(is_name_char)
}

/// Whether `s` is a non-empty `Token` (NAMECHAR, `.` and non-ASCII UTF-8).
pub(crate) fn is_token(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| CLASSES[usize::from(b)] & TOKEN != 0)
}

/// Whether `s` is a non-empty `Token` of ASCII bytes alone (so printable, with no space).
pub(crate) fn is_ascii_token(s: &str) -> bool {
    !s.is_empty() && ascii_token_len(s.as_bytes()) == s.len()
}

/// A word whose every byte is a letter or a digit, as [`alnum_bytes`] flags it.
const LETTERS_AND_DIGITS: u64 = 0x8080_8080_8080_8080;

/// Length of the run of ASCII `Token` bytes (NAMECHAR or `.`) that starts `bytes`. Whole
/// words of letters and digits (what the hex Message-IDs nodes draw are made of; every such
/// byte is a NAMECHAR) are taken eight bytes at a time; from the first other word on, byte by
/// byte by the table.
pub(crate) fn ascii_token_len(bytes: &[u8]) -> usize {
    let mut at = 0;
    while let Some(chunk) = bytes.get(at..at + 8) {
        let mut word = [0u8; 8];
        word.copy_from_slice(chunk);
        if alnum_bytes(u64::from_le_bytes(word)) != LETTERS_AND_DIGITS {
            break;
        }
        at += 8;
    }
    let rest = bytes.get(at..).unwrap_or_default();
    at + rest
        .iter()
        .position(|&b| !is_ascii_token_byte(b))
        .unwrap_or(rest.len())
}

/// Index of the first byte of `s` outside printable ASCII (`%x20-7E`): a control character,
/// DEL, or the first byte of a non-ASCII character.
pub(crate) fn first_non_printable_ascii(s: &[u8]) -> Option<usize> {
    first_outside(s, 0x20, [])
}

/// Whether a character may appear literally in a header value (UCS-no-CTL).
pub(crate) fn is_value_char(c: char) -> bool {
    !c.is_control()
}

/// Length in bytes of the `String` (quoted string with escapes) that starts `s`, or `None` when
/// `s` does not start with `"` or the closing quote is missing.
pub(crate) fn quoted_len(s: &str) -> Option<usize> {
    let bytes = s.as_bytes();
    if bytes.first() != Some(&b'"') {
        return None;
    }
    let mut i = 1;
    while let Some(&b) = bytes.get(i) {
        match b {
            b'\\' => i += 2,
            b'"' => return Some(i + 1),
            _ => i += 1,
        }
    }
    None
}

/// Decodes the RFC 3862 section 3.2 escapes (`\uXXXX`, `\b`, `\t`, `\n`, `\r`, `\"`, `\'`,
/// `\\`); a backslash that starts no valid escape stays literal (it is a legal HEADERCHAR).
pub fn unescape(raw: &str) -> Cow<'_, str> {
    if !raw.contains('\\') {
        return Cow::Borrowed(raw);
    }
    let mut out = String::with_capacity(raw.len());
    let mut rest = raw;
    while let Some(pos) = rest.find('\\') {
        out.push_str(&rest[..pos]);
        let after = &rest[pos + 1..];
        let (decoded, used) = decode_escape(after);
        match decoded {
            Some(c) => {
                out.push(c);
                rest = &after[used..];
            }
            None => {
                out.push('\\');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    Cow::Owned(out)
}

fn decode_escape(after: &str) -> (Option<char>, usize) {
    let simple = |c| (Some(c), 1);
    match after.as_bytes().first() {
        Some(b'b') => simple('\u{8}'),
        Some(b't') => simple('\t'),
        Some(b'n') => simple('\n'),
        Some(b'r') => simple('\r'),
        Some(b'"') => simple('"'),
        Some(b'\'') => simple('\''),
        Some(b'\\') => simple('\\'),
        Some(b'u') => {
            let hex = after
                .get(1..5)
                .filter(|h| h.bytes().all(|b| b.is_ascii_hexdigit()));
            match hex
                .and_then(|h| u32::from_str_radix(h, 16).ok())
                .and_then(char::from_u32)
            {
                Some(c) => (Some(c), 5),
                None => (None, 0),
            }
        }
        _ => (None, 0),
    }
}

/// Encodes text as a header value: backslash, control characters and (when `in_string`) the
/// double quote are escaped so that [`unescape`] gives the text back.
pub fn escape(text: &str, in_string: bool) -> Cow<'_, str> {
    let needs = |c: char| c == '\\' || c.is_control() || (in_string && c == '"');
    if !text.chars().any(needs) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' if in_string => out.push_str("\\\""),
            '\u{8}' => out.push_str("\\b"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            c if c.is_control() => {
                let mut buf = [0u16; 2];
                for unit in c.encode_utf16(&mut buf) {
                    out.push_str(&format!("\\u{unit:04X}"));
                }
            }
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The token run by the table alone, what the word-at-a-time reader is checked against.
    fn token_len_by_bytes(bytes: &[u8]) -> usize {
        bytes
            .iter()
            .position(|&b| !is_ascii_token_byte(b))
            .unwrap_or(bytes.len())
    }

    #[test]
    fn the_token_run_ends_where_the_table_ends_it_for_every_byte_in_every_place() {
        for base in [
            "83d2f7edaefee79eb1dbca1f\r\nimdn.Disposition",
            "4d130e2719ba9fb24660600f",
            "Xk3q9TzQ2mPw.0-1~a_b",
            "0123456789abcdefghijklmnopqrstuvwxyz0123",
        ] {
            for at in 0..base.len() {
                for b in 0u8..=0xff {
                    let mut bytes = base.as_bytes().to_vec();
                    bytes[at] = b;
                    for cut in [bytes.len(), at + 1, at] {
                        let part = &bytes[..cut];
                        assert_eq!(ascii_token_len(part), token_len_by_bytes(part), "{part:?}");
                    }
                }
            }
        }
    }

    proptest::proptest! {
        #[test]
        fn the_token_run_ends_where_the_table_ends_it(
            bytes in proptest::collection::vec(proptest::prop_oneof![
                proptest::num::u8::ANY,
                proptest::sample::select(b"0123456789abcdefxyz".to_vec()),
            ], 0..40),
        ) {
            proptest::prop_assert_eq!(ascii_token_len(&bytes), token_len_by_bytes(&bytes));
        }
    }

    #[test]
    fn escapes_decode_to_their_characters() {
        assert_eq!(unescape(r#"a\tb\u00e9\"\\"#), "a\tb\u{e9}\"\\");
    }

    #[test]
    fn lone_backslash_stays_literal() {
        assert_eq!(unescape(r"C:\path\q"), r"C:\path\q");
        assert_eq!(unescape(r"end\"), r"end\");
    }

    #[test]
    fn escape_then_unescape_is_identity() {
        for s in [
            "plain",
            "tab\there",
            "q\"uote",
            "back\\slash",
            "\u{1}\u{7f}\u{85}",
        ] {
            assert_eq!(unescape(&escape(s, true)), s);
            assert_eq!(unescape(&escape(s, false)), s);
        }
    }

    #[test]
    fn the_first_byte_outside_printable_ascii_is_found_from_any_start() {
        let line = "Subject: caf\u{e9} au lait, d\u{7f}\u{1}\tend of the header line";
        let bytes = line.as_bytes();
        for from in 0..=bytes.len() {
            let rest = &bytes[from..];
            let plain = rest.iter().position(|&b| !(0x20..0x7f).contains(&b));
            assert_eq!(first_non_printable_ascii(rest), plain, "from {from}");
        }
        for b in 0..=255u8 {
            let mut word = *b"abcdefgh~ ";
            word[3] = b;
            let expected = (!(0x20..0x7f).contains(&b)).then_some(3);
            assert_eq!(first_non_printable_ascii(&word), expected, "byte {b:#x}");
        }
    }

    #[test]
    fn name_and_token_classes_follow_rfc3862() {
        assert!(is_name("Message-ID") && is_name("x!#$%&'*+-^_`|~09"));
        assert!(!is_name("a.b") && !is_name("") && !is_name("a b") && !is_name("a\"b"));
        assert!(is_token("a.b") && is_token("caf\u{e9}") && !is_token("a b") && !is_token(""));
    }

    #[test]
    fn quoted_string_length_includes_both_quotes() {
        assert_eq!(quoted_len(r#""a\"b" rest"#), Some(6));
        assert_eq!(quoted_len(r#""open"#), None);
        assert_eq!(quoted_len(r#""ends in escape\""#), None);
    }
}
