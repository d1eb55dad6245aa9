//! RFC 3339 `date-time`, the syntax of CPIM `DateTime` and of IMDN `<datetime>`.

/// Offsets of the digits of `full-date "T" partial-time` up to the seconds.
const HEAD_DIGITS: [usize; 14] = [0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18];

/// The `date-time` shape nodes write (UTC, milliseconds): its separators as they stand, a
/// `0` where each digit goes.
const NODE_SHAPE: [u8; NODE_SHAPE_BYTES] = *b"0000-00-00T00:00:00.000Z";

/// Bytes of [`NODE_SHAPE`].
const NODE_SHAPE_BYTES: usize = 24;

/// Eight-byte words of the node shape, low byte first.
const NODE_SHAPE_WORDS: usize = NODE_SHAPE_BYTES / 8;

/// [`NODE_SHAPE`] as words.
const SHAPE_WORDS: [u64; NODE_SHAPE_WORDS] = shape_words(0);

/// Per byte of [`NODE_SHAPE`], what is added to the byte's difference from the shape so that
/// its high bit says the byte is wrong: `0x76` where a digit goes (a difference of 10 or more
/// reaches `0x80`), `0x7f` at a separator (any difference does).
const ADDEND_WORDS: [u64; NODE_SHAPE_WORDS] = shape_words(1);

/// The shape's words (`addends` 0) or the addends' words (1).
const fn shape_words(addends: u8) -> [u64; NODE_SHAPE_WORDS] {
    let mut out = [0u64; NODE_SHAPE_WORDS];
    let mut i = 0;
    while i < NODE_SHAPE_BYTES {
        let byte = match (addends, NODE_SHAPE[i]) {
            (0, shape) => shape,
            (_, b'0') => 0x76,
            _ => 0x7f,
        };
        out[i / 8] |= (byte as u64) << (8 * (i % 8));
        i += 1;
    }
    out
}

/// Whether `s` is an RFC 3339 `date-time` (`T` and `Z` in either case, optional fraction).
pub fn is_rfc3339_date_time(s: &str) -> bool {
    // The shape nodes write is read a word at a time; any other by offset, below.
    node_shape_date_time(s.as_bytes()).unwrap_or_else(|| is_rfc3339_by_offsets(s))
}

/// Whether `s`, in the shape nodes write, is a valid `date-time`; `None` for any other shape
/// (the offset reader decides then). Each byte's difference from the shape (its digit value,
/// or 0 for a matching separator) is checked eight bytes at a time: with the addend of its
/// place the high bit flags a wrong byte, and a carry out of a byte only happens when that
/// byte is flagged already, so no wrong byte passes.
fn node_shape_date_time(s: &[u8]) -> Option<bool> {
    let bytes: &[u8; NODE_SHAPE_BYTES] = s.try_into().ok()?;
    let mut diff = [0u64; NODE_SHAPE_WORDS];
    let mut wrong = 0;
    for (i, d) in diff.iter_mut().enumerate() {
        let mut word = [0u8; 8];
        if let Some(chunk) = bytes.get(8 * i..8 * i + 8) {
            word.copy_from_slice(chunk);
        }
        *d = u64::from_le_bytes(word) ^ SHAPE_WORDS.get(i).copied().unwrap_or_default();
        let addend = ADDEND_WORDS.get(i).copied().unwrap_or_default();
        wrong |= *d | d.wrapping_add(addend);
    }
    if wrong & 0x8080_8080_8080_8080 != 0 {
        return None;
    }
    // Every digit is one now: the digit at `i`, and two digits at `i` as a number.
    let digit = |i: usize| {
        let word = diff.get(i / 8).copied().unwrap_or_default();
        u32::from((word >> (8 * (i % 8))) as u8)
    };
    let two = |i: usize| digit(i) * 10 + digit(i + 1);
    Some(
        (1..=12).contains(&two(5))
            && (1..=31).contains(&two(8))
            && two(11) <= 23
            && two(14) <= 59
            && two(17) <= 60,
    )
}

/// [`is_rfc3339_date_time`] read by offset.
fn is_rfc3339_by_offsets(s: &str) -> bool {
    // `YYYY-MM-DDTHH:MM:SS` has a fixed shape: its bytes are checked by offset, in one go.
    let Some((head, rest)) = s.as_bytes().split_first_chunk::<19>() else {
        return false;
    };
    let shape = head[4] == b'-'
        && head[7] == b'-'
        && matches!(head[10], b'T' | b't')
        && head[13] == b':'
        && head[16] == b':'
        && HEAD_DIGITS.iter().all(|&i| head[i].is_ascii_digit());
    // Two digits at `i`, once every digit is known to be one.
    let two = |i: usize| u32::from(head[i] - b'0') * 10 + u32::from(head[i + 1] - b'0');
    shape
        && (1..=12).contains(&two(5))
        && (1..=31).contains(&two(8))
        && two(11) <= 23
        && two(14) <= 59
        && two(17) <= 60
        && is_fraction_and_offset(rest)
}

/// `[time-secfrac] time-offset` after the seconds.
fn is_fraction_and_offset(mut rest: &[u8]) -> bool {
    if let Some(frac) = rest.strip_prefix(b".") {
        let digits = frac.iter().take_while(|d| d.is_ascii_digit()).count();
        if digits == 0 {
            return false;
        }
        rest = frac.get(digits..).unwrap_or_default();
    }
    match rest {
        [b'Z' | b'z'] => true,
        [b'+' | b'-', h1, h2, b':', m1, m2] => {
            let two = |a: u8, b: u8| u32::from(a - b'0') * 10 + u32::from(b - b'0');
            [h1, h2, m1, m2].iter().all(|d| d.is_ascii_digit())
                && two(*h1, *h2) <= 23
                && two(*m1, *m2) <= 59
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::is_rfc3339_date_time as ok;
    use proptest::prelude::*;

    /// The reader by ranges of parsed numbers, what the offset reader is checked against.
    fn by_numbers(s: &str) -> bool {
        let b = s.as_bytes();
        let num = |range: std::ops::Range<usize>| -> Option<u32> {
            let digits = b.get(range)?;
            digits
                .iter()
                .all(u8::is_ascii_digit)
                .then(|| digits.iter().fold(0, |n, d| n * 10 + u32::from(d - b'0')))
        };
        let date_ok = || -> Option<bool> {
            let (month, day) = (num(5..7)?, num(8..10)?);
            Some(
                num(0..4).is_some()
                    && b.get(4) == Some(&b'-')
                    && b.get(7) == Some(&b'-')
                    && (1..=12).contains(&month)
                    && (1..=31).contains(&day)
                    && matches!(b.get(10), Some(b'T' | b't'))
                    && num(11..13)? <= 23
                    && b.get(13) == Some(&b':')
                    && num(14..16)? <= 59
                    && b.get(16) == Some(&b':')
                    && num(17..19)? <= 60,
            )
        };
        if date_ok() != Some(true) {
            return false;
        }
        let mut rest = &s[19..];
        if let Some(frac) = rest.strip_prefix('.') {
            let digits = frac.bytes().take_while(u8::is_ascii_digit).count();
            if digits == 0 {
                return false;
            }
            rest = &frac[digits..];
        }
        match rest.as_bytes() {
            [b'Z' | b'z'] => true,
            [b'+' | b'-', h1, h2, b':', m1, m2] => {
                let two = |a: u8, b: u8| u32::from(a - b'0') * 10 + u32::from(b - b'0');
                [h1, h2, m1, m2].iter().all(|d| d.is_ascii_digit())
                    && two(*h1, *h2) <= 23
                    && two(*m1, *m2) <= 59
            }
            _ => false,
        }
    }

    proptest! {
        #[test]
        fn the_offset_reader_agrees_with_the_reader_by_numbers(
            s in "[0-9]{4}-(0[0-9]|1[0-3])-([0-3][0-9])[Tt ]([01][0-9]|2[0-5]):[0-6][0-9]:[0-6][0-9](\\.[0-9]{0,3})?([Zz]|[+-]([01][0-9]|2[0-5]):[0-6][0-9]|[+-][0-9]:[0-9]{2})?",
            junk in "[-0-9Tt:Zz.+\u{e9} ]{0,26}",
            cut in 0usize..30,
        ) {
            prop_assert_eq!(ok(&s), by_numbers(&s));
            if let Some(fast) = super::node_shape_date_time(s.as_bytes()) {
                prop_assert_eq!(fast, by_numbers(&s));
            }
            prop_assert_eq!(ok(&junk), by_numbers(&junk));
            let mut mixed = s.clone();
            if let Some(at) = (0..=cut.min(mixed.len())).rev().find(|&i| mixed.is_char_boundary(i)) {
                mixed.insert_str(at, &junk);
            }
            prop_assert_eq!(ok(&mixed), by_numbers(&mixed));
        }
    }

    #[test]
    fn every_byte_in_every_place_of_a_date_time_reads_as_by_numbers() {
        for base in ["2024-03-18T08:30:05.257Z", "2024-03-18t19:59:60-23:59"] {
            for at in 0..base.len() {
                for b in (0u8..=0x7f).chain([0x80, 0xc3, 0xff]) {
                    let mut bytes = base.as_bytes().to_vec();
                    bytes[at] = b;
                    let Ok(s) = std::str::from_utf8(&bytes) else {
                        continue;
                    };
                    assert_eq!(ok(s), by_numbers(s), "{s:?}");
                }
                let mut wide = base.to_owned();
                wide.replace_range(at..=at, "\u{e9}");
                assert_eq!(ok(&wide), by_numbers(&wide), "{wide:?}");
                let mut shorter = base.to_owned();
                shorter.remove(at);
                assert_eq!(ok(&shorter), by_numbers(&shorter), "{shorter:?}");
            }
        }
    }

    #[test]
    fn the_node_shape_reader_answers_as_the_offset_reader_for_every_byte_in_every_place() {
        let base = "2024-03-18T08:30:05.257Z";
        let mut answered = 0;
        for at in 0..base.len() {
            for b in 0u8..=0xff {
                let mut bytes = base.as_bytes().to_vec();
                bytes[at] = b;
                let Ok(s) = std::str::from_utf8(&bytes) else {
                    continue;
                };
                if let Some(fast) = super::node_shape_date_time(s.as_bytes()) {
                    answered += 1;
                    assert_eq!(fast, super::is_rfc3339_by_offsets(s), "{s:?}");
                }
            }
        }
        // It answers exactly when each digit place holds a digit and each separator stands.
        assert_eq!(answered, 17 * 10 + 7);
        for value in [
            "2024-13-18T08:30:05.257Z",
            "2024-00-18T08:30:05.257Z",
            "9999-12-31T23:59:60.999Z",
        ] {
            let fast = super::node_shape_date_time(value.as_bytes());
            assert_eq!(fast, Some(super::is_rfc3339_by_offsets(value)), "{value}");
        }
    }

    #[test]
    fn offsets_fractions_and_zulu_are_accepted() {
        assert!(ok("2024-03-18T09:30:05+01:00"));
        assert!(ok("2010-12-17T09:57:32.562Z"));
        assert!(ok("2000-12-13T13:40:00-08:00"));
    }

    #[test]
    fn malformed_dates_are_refused() {
        for bad in [
            "2024-13-18T09:30:05Z",
            "2024-03-18 09:30:05Z",
            "2024-03-18T09:30:05",
            "2024-03-18T09:30:05.Z",
            "2024-03-18T24:00:00Z",
            "2024-03-18T09:30:05+1:00",
            "",
            "2024-03-18T09:30:05Zjunk",
        ] {
            assert!(!ok(bad), "{bad}");
        }
    }
}
