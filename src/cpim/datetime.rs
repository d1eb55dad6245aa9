//! RFC 3339 `date-time`, the syntax of CPIM `DateTime` and of IMDN `<datetime>`.

/// Offsets of the digits of `full-date "T" partial-time` up to the seconds.
const HEAD_DIGITS: [usize; 14] = [0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18];

/// Whether `s` is an RFC 3339 `date-time` (`T` and `Z` in either case, optional fraction).
pub fn is_rfc3339_date_time(s: &str) -> bool {
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
