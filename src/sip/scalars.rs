//! Single-value headers with a small grammar: CSeq, Max-Forwards, Expires, Content-Length,
//! Content-Type, Call-ID and Date (RFC 3261 section 20 and 25.1). Numbers are range-checked
//! without ever overflowing (RFC 4475 sections 3.1.2.4 and 3.1.2.5).

use super::chars::{self, TOKEN, WORD};
use super::error::{Rule, SipError};
use super::lex::{trim_lws, Cursor};
use super::params::{self, Params, ValueRules};

/// The CSeq header: sequence number and method (RFC 3261 section 20.16).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CSeq<'a> {
    /// Sequence number, below 2^31.
    pub number: u32,
    /// Method token, compared case-sensitively with the Request-Line method.
    pub method: &'a str,
}

/// A media type with parameters, as in Content-Type (RFC 3261 section 20.15).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MediaType<'a> {
    /// Top-level type, e.g. `message` (compare case-insensitively).
    pub kind: &'a str,
    /// Subtype, e.g. `cpim`.
    pub subtype: &'a str,
    /// Parameters such as `charset` or `boundary`.
    pub params: Params<'a>,
}

impl MediaType<'_> {
    /// Whether this is `kind/subtype`, ignoring case (each part compared exactly first: it is
    /// nearly always written in the case asked for, and the exact compare is a word load).
    pub fn is(&self, kind: &str, subtype: &str) -> bool {
        (self.kind == kind || self.kind.eq_ignore_ascii_case(kind))
            && (self.subtype == subtype || self.subtype.eq_ignore_ascii_case(subtype))
    }
}

/// Why a decimal field could not be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Decimal {
    /// Not `1*DIGIT`.
    Malformed,
    /// More than `max`.
    TooLarge,
}

/// Reads `1*DIGIT` (leading zeros allowed) as a number no larger than `max`.
pub(crate) fn decimal(s: &str, max: u64) -> Result<u64, Decimal> {
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
        return Err(Decimal::Malformed);
    }
    let mut v: u64 = 0;
    for b in s.bytes() {
        v = v
            .checked_mul(10)
            .and_then(|v| v.checked_add(u64::from(b - b'0')))
            .ok_or(Decimal::TooLarge)?;
        if v > max {
            return Err(Decimal::TooLarge);
        }
    }
    Ok(v)
}

/// The largest CSeq number plus one (RFC 3261 section 8.1.1.5: less than 2^31).
const CSEQ_LIMIT: u64 = 1 << 31;

/// Parses `CSeq = 1*DIGIT LWS Method`.
pub fn parse_cseq(text: &str, base: usize) -> Result<CSeq<'_>, SipError> {
    match super::quick::node_shapes::cseq(text).or_else(|| super::quick::cseq(text)) {
        Some(plain) => Ok(plain),
        None => parse_cseq_general(text, base),
    }
}

/// [`parse_cseq`] for every shape, without the fast recogniser.
pub(crate) fn parse_cseq_general(text: &str, base: usize) -> Result<CSeq<'_>, SipError> {
    let mut c = Cursor::new(text, base);
    c.skip_lws();
    let digits_at = c.offset();
    let digits = c.take_class(TOKEN);
    let number = match decimal(digits, CSEQ_LIMIT - 1) {
        Ok(n) => n as u32,
        Err(Decimal::TooLarge) => return Err(SipError::new(Rule::CseqOutOfRange, digits_at)),
        Err(Decimal::Malformed) => return Err(SipError::new(Rule::InvalidCseq, digits_at)),
    };
    if !c.skip_lws() {
        return Err(c.err(Rule::InvalidCseq));
    }
    let method = c.token(Rule::InvalidCseq)?;
    c.expect_end(Rule::InvalidCseq)?;
    Ok(CSeq { number, method })
}

/// Reads a header holding one decimal number at most `max`, mapping failures to the rules given.
pub(crate) fn parse_number(
    text: &str,
    base: usize,
    max: u64,
    malformed: Rule,
    too_large: Rule,
) -> Result<u64, SipError> {
    let (value, lead) = trim_lws(text);
    decimal(value, max).map_err(|e| {
        let rule = match e {
            Decimal::Malformed => malformed,
            Decimal::TooLarge => too_large,
        };
        SipError::new(rule, base + lead)
    })
}

/// Parses `Max-Forwards = 1*DIGIT` (0 to 255).
pub fn parse_max_forwards(text: &str, base: usize) -> Result<u8, SipError> {
    let n = parse_number(
        text,
        base,
        255,
        Rule::InvalidMaxForwards,
        Rule::MaxForwardsOutOfRange,
    )?;
    Ok(n as u8)
}

/// Parses `Expires = delta-seconds` (must fit in 32 bits).
pub fn parse_expires(text: &str, base: usize) -> Result<u32, SipError> {
    let n = parse_number(
        text,
        base,
        u64::from(u32::MAX),
        Rule::InvalidExpires,
        Rule::ExpiresOutOfRange,
    )?;
    Ok(n as u32)
}

/// Parses `Content-Length = 1*DIGIT`, refusing values above `max` bytes.
pub fn parse_content_length(text: &str, base: usize, max: usize) -> Result<usize, SipError> {
    let (value, lead) = trim_lws(text);
    if value.starts_with('-') {
        return Err(SipError::new(Rule::NegativeContentLength, base + lead));
    }
    let n = parse_number(
        text,
        base,
        max as u64,
        Rule::InvalidContentLength,
        Rule::ContentLengthTooLarge,
    )?;
    Ok(n as usize)
}

/// Parses `media-type = m-type SLASH m-subtype *(SEMI m-parameter)`.
pub fn parse_media_type(text: &str, base: usize) -> Result<MediaType<'_>, SipError> {
    match super::quick::node_shapes::media_type(text).or_else(|| super::quick::media_type(text)) {
        Some(plain) => Ok(plain),
        None => parse_media_type_general(text, base),
    }
}

/// [`parse_media_type`] for every shape, without the fast recogniser.
pub(crate) fn parse_media_type_general(text: &str, base: usize) -> Result<MediaType<'_>, SipError> {
    let mut c = Cursor::new(text, base);
    c.skip_lws();
    let kind = c.token(Rule::InvalidContentType)?;
    if !c.eat_separator(b'/') {
        return Err(c.err(Rule::InvalidContentType));
    }
    let subtype = c.token(Rule::InvalidContentType)?;
    let params = params::parse(&mut c, ValueRules::Generic)?;
    c.expect_end(Rule::InvalidContentType)?;
    Ok(MediaType {
        kind,
        subtype,
        params,
    })
}

/// Parses `Call-ID = word [ "@" word ]` and returns the identifier.
pub fn parse_call_id(text: &str, base: usize) -> Result<&str, SipError> {
    match super::quick::call_id(text) {
        Some(plain) => Ok(plain),
        None => parse_call_id_general(text, base),
    }
}

/// [`parse_call_id`] for every shape, without the fast recogniser.
pub(crate) fn parse_call_id_general(text: &str, base: usize) -> Result<&str, SipError> {
    let (value, lead) = trim_lws(text);
    let (left, right) = match chars::find_byte(value, b'@') {
        Some(at) => (value.get(..at).unwrap_or(""), value.get(at + 1..)),
        None => (value, None),
    };
    let word_ok = |w: &str| chars::all(w.as_bytes(), WORD);
    if word_ok(left) && right.is_none_or(word_ok) {
        Ok(value)
    } else {
        Err(SipError::new(Rule::InvalidCallId, base + lead))
    }
}

/// Checks `Date = rfc1123-date`: `Sun, 06 Nov 1994 08:49:37 GMT` (RFC 3261 section 20.17).
pub fn check_date(text: &str, base: usize) -> Result<(), SipError> {
    let (value, lead) = trim_lws(text);
    let err = SipError::new(Rule::DateNotGmt, base + lead);
    let parts: Vec<&str> = value.split(' ').take(7).collect();
    let [wkday, day, month, year, time, zone] = parts.as_slice() else {
        return Err(err);
    };
    const WKDAYS: [&str; 7] = ["Mon,", "Tue,", "Wed,", "Thu,", "Fri,", "Sat,", "Sun,"];
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let digits = |s: &str, n: usize| s.len() == n && s.bytes().all(|b| b.is_ascii_digit());
    let time_ok = {
        let t: Vec<&str> = time.split(':').collect();
        t.len() == 3 && t.iter().all(|p| digits(p, 2))
    };
    // RFC 3261 requires a two-digit day; RFC 2822 writers emit one digit, which is tolerated.
    let day_ok = digits(day, 2) || digits(day, 1);
    if WKDAYS.contains(wkday)
        && day_ok
        && MONTHS.contains(month)
        && digits(year, 4)
        && time_ok
        && *zone == "GMT"
    {
        Ok(())
    } else {
        Err(err)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cseq_number_and_method_across_a_fold() {
        assert_eq!(
            parse_cseq("0009\r\n  INVITE", 0),
            Ok(CSeq {
                number: 9,
                method: "INVITE"
            })
        );
    }

    #[test]
    fn scalars_out_of_range_are_named() {
        let big = "36893488147419103232 REGISTER";
        assert_eq!(parse_cseq(big, 0).unwrap_err().rule, Rule::CseqOutOfRange);
        assert_eq!(
            parse_cseq("2147483648 A", 0).unwrap_err().rule,
            Rule::CseqOutOfRange
        );
        assert!(parse_cseq("2147483647 A", 0).is_ok());
        assert_eq!(
            parse_max_forwards("300", 0).unwrap_err().rule,
            Rule::MaxForwardsOutOfRange
        );
        assert_eq!(parse_max_forwards("0068", 0), Ok(68));
        assert_eq!(
            parse_expires("4294967296", 0).unwrap_err().rule,
            Rule::ExpiresOutOfRange
        );
        assert_eq!(
            parse_content_length(" -999", 0, 10).unwrap_err().rule,
            Rule::NegativeContentLength
        );
        assert_eq!(
            parse_content_length("18446744073709551616", 0, 1 << 20)
                .unwrap_err()
                .rule,
            Rule::ContentLengthTooLarge
        );
    }

    #[test]
    fn media_type_with_parameters() {
        let m = parse_media_type("multipart/mixed; boundary=\"agg-7f3e\"", 0).unwrap();
        assert!(m.is("MULTIPART", "Mixed"));
        assert_eq!(m.params.get("boundary"), Some(Some("\"agg-7f3e\"")));
    }

    #[test]
    fn call_id_words() {
        assert!(parse_call_id("intmeth.word%ZK-!.*_+'@word`~)(><:\\/\"][?}{", 0).is_ok());
        assert!(parse_call_id("a b", 0).is_err());
        assert!(parse_call_id("a@", 0).is_err());
    }

    #[test]
    fn date_must_be_gmt() {
        assert!(check_date("Sat, 15 Oct 2005 04:44:56 GMT", 0).is_ok());
        assert!(check_date("Sun, 2 May 2010 20:27:49 GMT", 0).is_ok());
        assert_eq!(
            check_date("Fri, 01 Jan 2010 16:00:00 EST", 0)
                .unwrap_err()
                .rule,
            Rule::DateNotGmt
        );
    }
}
