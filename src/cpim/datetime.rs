//! RFC 3339 `date-time`, the syntax of CPIM `DateTime` and of IMDN `<datetime>`.

/// Whether `s` is an RFC 3339 `date-time` (`T` and `Z` in either case, optional fraction).
pub fn is_rfc3339_date_time(s: &str) -> bool {
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

#[cfg(test)]
mod tests {
    use super::is_rfc3339_date_time as ok;

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
