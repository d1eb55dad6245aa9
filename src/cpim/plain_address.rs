//! The common shape of a CPIM address read in one pass: `[Token *(SP Token) SP] "<" scheme ":"
//! rest ">"` in ASCII, as every From, To and IMDN route header of RFC 5438 traffic writes it.
//!
//! The Formal-name and the scheme are read byte by byte with one table load each; the rest of
//! the URI is skipped a word at a time up to its first delimiter, which must be the closing
//! `>` at the very end. Anything else (a quoted name, non-ASCII text, any fault) gives `None`,
//! and [`Address::parse`] then reads the value by the grammar, rule by rule: this reader only
//! ever answers for values the grammar accepts, with the same address.

use super::address::Address;
use super::grammar::{is_ascii_token_byte, is_scheme_byte};
use crate::ascii_run::first_outside;

/// The address `value` holds when it has the common shape, else `None` (the value may still
/// be a valid address of another shape, or invalid: the grammar reader decides).
pub(super) fn parse_plain_address(value: &str) -> Option<Address<'_>> {
    let (lt, gt) = plain_address_span(value.as_bytes())?;
    if gt + 1 != value.len() {
        return None;
    }
    Some(Address {
        formal_name_raw: match lt {
            0 => None,
            _ => Some(value.get(..lt - 1)?),
        },
        uri: value.get(lt + 1..gt)?,
    })
}

/// Where the `<` and the `>` are of the common-shape address that starts `bytes` (anything may
/// follow the `>`), or `None`. Every byte through the `>` is printable ASCII.
pub(super) fn plain_address_span(bytes: &[u8]) -> Option<(usize, usize)> {
    // Formal-name: tokens separated by one SP, ending in the one SP before `<`.
    let mut i = 0;
    let mut after_space = true;
    let lt = loop {
        let b = *bytes.get(i)?;
        if b == b'<' {
            break i;
        }
        if b == b' ' {
            if after_space {
                return None;
            }
            after_space = true;
        } else if is_ascii_token_byte(b) {
            after_space = false;
        } else {
            return None;
        }
        i += 1;
    };
    if lt > 0 && !after_space {
        return None;
    }
    // Scheme: a letter, then scheme bytes up to the colon.
    if !bytes.get(lt + 1)?.is_ascii_alphabetic() {
        return None;
    }
    let mut colon = lt + 2;
    while *bytes.get(colon)? != b':' {
        if !is_scheme_byte(*bytes.get(colon)?) {
            return None;
        }
        colon += 1;
    }
    // The rest: graphic ASCII but `<`, `>` and `"`, non-empty, then the final `>`.
    let rest = bytes.get(colon + 1..)?;
    let gt = colon + 1 + first_outside(rest, 0x21, *b"<>\"")?;
    if gt == colon + 1 || bytes.get(gt) != Some(&b'>') {
        return None;
    }
    Some((lt, gt))
}

/// The opening of the URI every node writes in an address: a `sip:` URI in angle brackets.
const SIP_OPEN: &[u8] = b"<sip:";

/// Where the `<` and the `>` are of the address that starts `bytes` in the shape nodes write
/// (`[Token SP] "<sip:" rest ">"`, anything after), or `None`: the common shape of
/// [`plain_address_span`] with one name token at most and the `sip` scheme, read with one
/// comparison for the opening. Where it answers, [`plain_address_span`] gives the same span.
/// Inlined into the node-shape reader, which reads three or four addresses a block: a call
/// cost about a third of the work.
#[inline(always)]
pub(super) fn sip_address_span(bytes: &[u8]) -> Option<(usize, usize)> {
    let lt = match bytes.first() {
        Some(b'<') => 0,
        _ => {
            let name_len = bytes.iter().position(|&b| !is_ascii_token_byte(b))?;
            if name_len == 0 || bytes.get(name_len) != Some(&b' ') {
                return None;
            }
            name_len + 1
        }
    };
    if !bytes.get(lt..)?.starts_with(SIP_OPEN) {
        return None;
    }
    let uri_at = lt + SIP_OPEN.len();
    let gt = uri_at + first_outside(bytes.get(uri_at..)?, 0x21, *b"<>\"")?;
    (gt > uri_at && bytes.get(gt) == Some(&b'>')).then_some((lt, gt))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cpim::one_more_byte::with_one_more_byte;

    /// The one-pass reader gives up or gives what the grammar reader gives.
    fn agree(value: &str) {
        if let Some(span) = sip_address_span(value.as_bytes()) {
            assert_eq!(
                plain_address_span(value.as_bytes()),
                Some(span),
                "{value:?}"
            );
        }
        if let Some(fast) = parse_plain_address(value) {
            assert_eq!(Address::parse_by_grammar(value), Ok(fast), "{value:?}");
        }
        assert_eq!(
            Address::parse(value),
            Address::parse_by_grammar(value),
            "{value:?}"
        );
    }

    #[test]
    fn the_one_pass_reader_agrees_on_every_byte_in_every_place_of_common_addresses() {
        for base in [
            "Alice <sip:alice@alpha.example>",
            "<sip:bob@beta.example>",
            "Climbers Club <sip:climbers@conf.gamma.example>",
            "<im:x>",
            "a.b <s+v-1.x:y;z=1?q>",
        ] {
            assert!(parse_plain_address(base).is_some(), "{base:?}");
            for value in with_one_more_byte(base) {
                agree(&value);
            }
        }
    }

    #[test]
    fn the_sip_address_reader_spans_what_the_common_shape_reader_spans() {
        let mut answered = 0;
        for base in [
            "A <sip:alice@alpha.example>\r\nTo",
            "<sip:bob@beta.example>",
            "climbers <sip:climbers@conf.gamma.example>",
        ] {
            for value in with_one_more_byte(base) {
                if let Some(span) = sip_address_span(value.as_bytes()) {
                    answered += 1;
                    assert_eq!(
                        plain_address_span(value.as_bytes()),
                        Some(span),
                        "{value:?}"
                    );
                }
            }
        }
        assert!(answered > 0);
    }

    #[test]
    fn the_one_pass_reader_leaves_other_shapes_to_the_grammar() {
        for value in [
            "\"MR SANDERS\"<im:piglet@100akerwood.com>",
            "caf\u{e9} <sip:a@b>",
            "<sip:caf\u{e9}@b>",
            "Alice  <sip:a@b>",
            " <sip:a@b>",
            "Alice<sip:a@b>",
            "<sip:>",
            "<sip:a@b> ",
            "<sip:a>b>",
            "<1sip:a@b>",
            "",
            "<",
        ] {
            assert_eq!(parse_plain_address(value), None, "{value:?}");
            agree(value);
        }
    }

    #[test]
    fn the_one_pass_reader_agrees_with_the_grammar_on_every_header_value_of_the_corpus() {
        let Some(files) = crate::sip::corpus_files::corpus_files() else {
            return;
        };
        for (_, bytes) in files {
            let text = String::from_utf8_lossy(&bytes);
            for line in text.split("\r\n").flat_map(|l| l.split('\n')) {
                if let Some((_, value)) = line.split_once(": ") {
                    agree(value);
                }
            }
        }
    }

    proptest::proptest! {
        #[test]
        fn the_one_pass_reader_agrees_with_the_grammar_on_any_value(
            value in "[a-z. \"]{0,5}<?[a-z0-9+.:-]{0,5}:?[ -~\u{80}-\u{90}\t]{0,10}>?[ >]?",
        ) {
            agree(&value);
        }
    }
}
