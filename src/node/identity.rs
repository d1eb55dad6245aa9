//! Fresh identifiers from a node's own seeded CSPRNG, and the wall-clock text of an [`Instant`].
//!
//! Tags, Call-IDs and branches need uniqueness (RFC 3261 section 19.3 asks for at least 32
//! random bits in a tag); Message-IDs must be unguessable so that nobody off the path can forge
//! an IMDN (RFC 5438 section 6.3 recommends at least 64 bits from a CSPRNG): they get 96.

use super::Instant;
use crate::hex::{hex16, hex8};
use rand::{RngCore, SeedableRng};
use rand_chacha::ChaCha20Rng;

/// Random bits in a tag, Call-ID or branch token.
pub const TOKEN_BITS: u32 = 64;

/// Random bits in a Message-ID (RFC 5438 section 6.3 recommends at least 64).
pub const MESSAGE_ID_BITS: u32 = 96;

/// A node's random source: ChaCha20 seeded by the runtime, never the global RNG.
///
/// It is deliberately *not* reset by a crash: a restarted node that replayed its old tokens
/// would reuse branches its peers still remember as live transactions.
#[derive(Clone, Debug)]
pub(crate) struct Entropy(ChaCha20Rng);

impl Entropy {
    /// A source seeded with `seed`.
    pub(crate) fn new(seed: u64) -> Self {
        Entropy(ChaCha20Rng::seed_from_u64(seed))
    }

    /// Where the stream stands: [`rewind_to`](Self::rewind_to) it when what is drawn after
    /// goes unused, so that the next draws are the ones that would have come.
    pub(crate) fn position(&self) -> u128 {
        self.0.get_word_pos()
    }

    /// Back to `position`, as if nothing had been drawn since.
    pub(crate) fn rewind_to(&mut self, position: u128) {
        self.0.set_word_pos(position);
    }

    /// A fresh 64-bit token in lowercase hex (tags, Call-IDs, branch suffixes).
    pub(crate) fn token(&mut self) -> Token {
        Token::of(self.0.next_u64())
    }

    /// A fresh 96-bit Message-ID in lowercase hex (a CPIM `Token`), held inline.
    pub(crate) fn message_id(&mut self) -> MessageId {
        let high = self.0.next_u32();
        let low = self.0.next_u64();
        let mut digits = [b'0'; MESSAGE_ID_HEX_DIGITS];
        let (left, right) = digits.split_at_mut(MESSAGE_ID_HEX_DIGITS - TOKEN_HEX_DIGITS);
        left.copy_from_slice(&hex8(high));
        right.copy_from_slice(&Token::of(low).0);
        MessageId(digits)
    }
}

/// Hex digits of a Message-ID.
const MESSAGE_ID_HEX_DIGITS: usize = (MESSAGE_ID_BITS / 4) as usize;

/// A 96-bit Message-ID in lowercase hex, held inline: it costs no allocation until it is
/// written into a message or kept.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct MessageId([u8; MESSAGE_ID_HEX_DIGITS]);

impl std::ops::Deref for MessageId {
    type Target = str;

    fn deref(&self) -> &str {
        // Only ASCII hex digits are ever written.
        std::str::from_utf8(&self.0).unwrap_or("")
    }
}

impl From<MessageId> for String {
    fn from(id: MessageId) -> String {
        (*id).to_owned()
    }
}

/// Hex digits of a token.
const TOKEN_HEX_DIGITS: usize = (TOKEN_BITS / 4) as usize;

/// A 64-bit token in lowercase hex, held inline: a tag or Call-ID costs no allocation until it
/// is written into a message.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Token([u8; TOKEN_HEX_DIGITS]);

impl Token {
    fn of(value: u64) -> Self {
        Token(hex16(value))
    }

    /// The token's digits as bytes: for a writer that copies them, without the UTF-8 check
    /// [`as_str`](Self::as_str) makes.
    pub(crate) fn as_bytes(&self) -> &[u8; TOKEN_HEX_DIGITS] {
        &self.0
    }

    /// The token's text.
    pub(crate) fn as_str(&self) -> &str {
        // Only ASCII hex digits are ever written.
        std::str::from_utf8(&self.0).unwrap_or("")
    }
}

impl std::ops::Deref for Token {
    type Target = str;

    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl std::fmt::Display for Token {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl From<Token> for String {
    fn from(token: Token) -> String {
        token.as_str().to_owned()
    }
}

/// Seconds from the Unix epoch to 2024-03-18T08:30:05Z, the seed flow's send time; a node's
/// default wall-clock origin for `Instant(0)`.
pub const DEFAULT_WALL_CLOCK_ORIGIN_UNIX_S: u64 = 1_710_750_605;

/// The RFC 3339 UTC `date-time` of `now`, counting `now` from `origin_unix_s`, with
/// milliseconds: `2024-03-18T08:30:05.000Z`.
pub(crate) fn date_time(origin_unix_s: u64, now: Instant) -> String {
    String::from(&*date_time_text(origin_unix_s, now))
}

/// [`date_time`] held inline when the year has four digits (every year before 10000), so a
/// notification's `DateTime` costs no allocation; a later year is written in full.
pub(crate) fn date_time_text(origin_unix_s: u64, now: Instant) -> DateTimeText {
    let millis_total = now.as_millis();
    let secs = origin_unix_s.saturating_add(millis_total / 1000);
    let millis = millis_total % 1000;
    let days = secs / 86_400;
    let rem = secs % 86_400;
    let (year, month, day) = civil_from_days(days);
    let fields = [
        (year, 4, b'-'),
        (month, 2, b'-'),
        (day, 2, b'T'),
        (rem / 3600, 2, b':'),
        ((rem % 3600) / 60, 2, b':'),
        (rem % 60, 2, b'.'),
        (millis, 3, b'Z'),
    ];
    if year >= 10_000 {
        let mut out = String::with_capacity(DATE_TIME_BYTES + 8);
        for (value, width, after) in fields {
            push_zero_padded(&mut out, value, width);
            out.push(char::from(after));
        }
        return DateTimeText::Long(out);
    }
    let mut text = [0u8; DATE_TIME_BYTES];
    let mut at = 0;
    for (value, width, after) in fields {
        // Every field is below 10^width here: the year by the test above, the others by
        // their ranges.
        let mut rest = value;
        for i in (0..width).rev() {
            if let Some(slot) = text.get_mut(at + i) {
                *slot = b'0' + (rest % 10) as u8;
            }
            rest /= 10;
        }
        if let Some(slot) = text.get_mut(at + width) {
            *slot = after;
        }
        at += width + 1;
    }
    DateTimeText::Short(text)
}

/// The text [`date_time_text`] writes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum DateTimeText {
    /// A four-digit year: exactly `DATE_TIME_BYTES` ASCII bytes.
    Short([u8; DATE_TIME_BYTES]),
    /// A year past 9999.
    Long(String),
}

impl DateTimeText {
    /// Whether it is an RFC 3339 `date-time` by how it was written: every stamp with a
    /// four-digit year is (the tests hold it), so a writer need not check it again.
    pub(crate) fn is_rfc3339_as_written(&self) -> bool {
        matches!(self, Self::Short(_))
    }
}

impl std::ops::Deref for DateTimeText {
    type Target = str;

    fn deref(&self) -> &str {
        match self {
            // Only ASCII digits and separators are ever written.
            Self::Short(bytes) => std::str::from_utf8(bytes).unwrap_or(""),
            Self::Long(text) => text,
        }
    }
}

/// Length of `2024-03-18T08:30:05.000Z`.
const DATE_TIME_BYTES: usize = 24;

/// Writes `value` in decimal with at least `width` digits (zeros in front), as `{:0width$}`.
fn push_zero_padded(out: &mut String, value: u64, width: usize) {
    let mut digits = [0u8; super::wire::DECIMAL_DIGITS_MAX];
    let text = super::wire::decimal(value, &mut digits);
    for _ in text.len()..width {
        out.push('0');
    }
    out.push_str(text);
}

/// The proleptic Gregorian (year, month, day) of a day count from 1970-01-01.
fn civil_from_days(days: u64) -> (u64, u64, u64) {
    // Shift the epoch to 0000-03-01 so leap days fall at the end of each 400-year era.
    let z = days + 719_468;
    let era = z / 146_097;
    let doe = z % 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + u64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn date_time_of_the_origin_is_the_seed_flow_send_time() {
        let text = date_time(DEFAULT_WALL_CLOCK_ORIGIN_UNIX_S, Instant(0));
        assert_eq!(text, "2024-03-18T08:30:05.000Z");
        assert!(crate::cpim::is_rfc3339_date_time(&text));
    }

    #[test]
    fn civil_dates_are_right_across_century_and_era_boundaries() {
        // 2100 is not a leap year, 2000 and 2400 are (the Gregorian 100- and 400-year rules);
        // 2400-02-29 is the last day of a 400-year era. Day counts from 1970-01-01.
        for (days, date) in [
            (0, (1970, 1, 1)),
            (11_016, (2000, 2, 29)),
            (11_017, (2000, 3, 1)),
            (47_481, (2099, 12, 31)),
            (47_540, (2100, 2, 28)),
            (47_541, (2100, 3, 1)),
            (47_905, (2101, 2, 28)),
            (47_906, (2101, 3, 1)),
            (157_053, (2399, 12, 31)),
            (157_113, (2400, 2, 29)),
            (157_114, (2400, 3, 1)),
            (157_479, (2401, 3, 1)),
        ] {
            assert_eq!(civil_from_days(days), date, "day {days}");
        }
    }

    #[test]
    fn date_time_crosses_a_leap_day() {
        // 2024-02-28T23:59:59Z plus 1.5 s.
        let text = date_time(1_709_164_799, Instant(1_500_000));
        assert_eq!(text, "2024-02-29T00:00:00.500Z");
    }

    #[test]
    fn tokens_are_sixteen_lowercase_hex_digits_of_the_next_draw() {
        let mut e = Entropy::new(7);
        let mut twin = ChaCha20Rng::seed_from_u64(7);
        assert_eq!(e.token().as_str(), format!("{:016x}", twin.next_u64()));
        let (high, low) = (twin.next_u32(), twin.next_u64());
        assert_eq!(&*e.message_id(), format!("{high:08x}{low:016x}"));
        // Digits of every value: zeros in front, each nibble in its place.
        for value in [0, 1, 0xf0, 0x0123_4567_89ab_cdef, u64::MAX, 1 << 63] {
            assert_eq!(Token::of(value).as_str(), format!("{value:016x}"));
        }
    }

    #[test]
    fn a_rewound_source_draws_again_what_it_drew() {
        let mut e = Entropy::new(11);
        // Across block boundaries too: a token takes two words of a 64-word buffer.
        for draws in 0..70 {
            let at = e.position();
            let first: Vec<String> = (0..draws % 5 + 1).map(|_| e.token().to_string()).collect();
            e.rewind_to(at);
            let again: Vec<String> = (0..draws % 5 + 1).map(|_| e.token().to_string()).collect();
            assert_eq!(first, again);
            let _ = e.message_id();
        }
    }

    #[test]
    fn message_ids_are_unique_and_96_bits() {
        let mut e = Entropy::new(7);
        let a = e.message_id();
        let b = e.message_id();
        assert_ne!(a, b);
        assert_eq!(a.len() * 4, MESSAGE_ID_BITS as usize);
    }

    #[test]
    fn date_time_writes_what_the_format_macro_writes() {
        for origin in [
            0u64,
            DEFAULT_WALL_CLOCK_ORIGIN_UNIX_S,
            253_402_300_799,
            400_000_000_000,
        ] {
            for ms in [
                0u64,
                1,
                999,
                1_000,
                59_999,
                3_599_999,
                86_399_999,
                31_622_400_123,
            ] {
                let now = Instant(0).plus_millis(ms);
                let total = now.as_millis();
                let secs = origin + total / 1000;
                let rem = secs % 86_400;
                let (year, month, day) = civil_from_days(secs / 86_400);
                let expected = format!(
                    "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}.{:03}Z",
                    rem / 3600,
                    (rem % 3600) / 60,
                    rem % 60,
                    total % 1000
                );
                assert_eq!(date_time(origin, now), expected, "{origin} + {ms} ms");
            }
        }
    }

    /// What `is_rfc3339_as_written` claims holds: a stamp with a four-digit year is an RFC 3339
    /// `date-time`, at every time of day and across the years and their leap days.
    #[test]
    fn a_date_time_the_node_wrote_with_a_four_digit_year_is_an_rfc3339_date_time() {
        use crate::cpim::is_rfc3339_date_time;
        use crate::node::Instant;
        let at_ms = |ms: u64| Instant(ms * 1000);
        let mut written = 0;
        let day_ms = 86_400_000;
        for origin in (0..253_402_300_800u64).step_by(7_776_013_201) {
            for ms in [
                0,
                1,
                999,
                59_999,
                3_599_999,
                day_ms - 1,
                29 * day_ms + 12_345,
            ] {
                let stamp = date_time_text(origin, at_ms(ms));
                if stamp.is_rfc3339_as_written() {
                    written += 1;
                    assert!(is_rfc3339_date_time(&stamp), "{}", &*stamp);
                }
            }
        }
        // Every day from 2096-01-01 through 2100 (a leap year, then a century year that is
        // not one), one second before midnight.
        for day in 0..5 * 366 {
            let stamp = date_time_text(3_976_214_400 + day * 86_400, at_ms(day_ms - 1));
            assert!(stamp.is_rfc3339_as_written() && is_rfc3339_date_time(&stamp));
        }
        let last_day = date_time_text(253_402_300_799, at_ms(999));
        assert!(last_day.is_rfc3339_as_written() && is_rfc3339_date_time(&last_day));
        let year_10000 = date_time_text(253_402_300_800, at_ms(0));
        assert!(!year_10000.is_rfc3339_as_written(), "{}", &*year_10000);
        assert!(written > 100);
    }
}
