//! Start lines (RFC 3261 sections 7.1 and 7.2): `Method SP Request-URI SP SIP-Version` and
//! `SIP-Version SP Status-Code SP Reason-Phrase`, with exactly one SP between elements.

use super::chars::{self, TOKEN};
use super::error::{Rule, SipError};
use super::quick::node_shapes::UriParts;
use std::fmt;

/// A request method: any token, compared case-sensitively (RFC 3261 section 7.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Method<'a>(&'a str);

impl<'a> Method<'a> {
    /// `MESSAGE` (RFC 3428).
    pub const MESSAGE: Method<'static> = Method("MESSAGE");
    /// `REGISTER` (RFC 3261 section 10).
    pub const REGISTER: Method<'static> = Method("REGISTER");

    /// A method from a token; `None` if `token` is not an RFC 3261 token.
    pub fn new(token: &'a str) -> Option<Self> {
        chars::all(token.as_bytes(), TOKEN).then_some(Method(token))
    }

    /// A method from text a recogniser has already read as one token (no second scan).
    pub(crate) fn checked(token: &'a str) -> Self {
        Method(token)
    }

    /// The method token.
    pub fn as_str(&self) -> &'a str {
        self.0
    }
}

impl fmt::Display for Method<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0)
    }
}

/// A three-digit SIP status code, 100 to 699 (RFC 3261 section 7.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct StatusCode(u16);

impl StatusCode {
    /// 200 OK: the final destination accepted the request (RFC 3428 section 4).
    pub const OK: StatusCode = StatusCode(200);
    /// 202 Accepted: a relay or store took the request; delivery is not implied.
    pub const ACCEPTED: StatusCode = StatusCode(202);
    /// 400 Bad Request: the request broke the grammar or a validation rule.
    pub const BAD_REQUEST: StatusCode = StatusCode(400);
    /// 403 Forbidden (e.g. a non-member sends to a group).
    pub const FORBIDDEN: StatusCode = StatusCode(403);

    /// A status code, if `code` is within 100..=699.
    pub const fn new(code: u16) -> Option<Self> {
        if code >= 100 && code <= 699 {
            Some(StatusCode(code))
        } else {
            None
        }
    }

    /// The numeric code.
    pub const fn code(self) -> u16 {
        self.0
    }

    /// The class: 1 (provisional) to 6 (global failure).
    pub const fn class(self) -> u8 {
        (self.0 / 100) as u8
    }

    /// Whether this is a final response (200..=699).
    pub const fn is_final(self) -> bool {
        self.0 >= 200
    }
}

impl fmt::Display for StatusCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// The first line of a SIP message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StartLine<'a> {
    /// A Request-Line.
    Request {
        /// The method.
        method: Method<'a>,
        /// The Request-URI as written (parsed on demand by `Message::request_uri`).
        uri: &'a str,
        /// The SIP-Version as written, e.g. `SIP/2.0`.
        version: &'a str,
    },
    /// A Status-Line.
    Response {
        /// The SIP-Version as written.
        version: &'a str,
        /// The status code.
        status: StatusCode,
        /// The reason phrase (may be empty).
        reason: &'a str,
    },
}

impl<'a> StartLine<'a> {
    /// Parses a start line (CRLF excluded) that begins at absolute offset `base`.
    pub fn parse(line: &'a str, base: usize) -> Result<StartLine<'a>, SipError> {
        Self::parse_noting_uri(line, base).map(|(start_line, _)| start_line)
    }

    /// [`parse`](Self::parse), and the parts of a Request-URI that is the exact SIP URI nodes
    /// write (`None` whenever the line is not read by the fast recogniser).
    #[inline]
    pub(crate) fn parse_noting_uri(
        line: &'a str,
        base: usize,
    ) -> Result<(StartLine<'a>, Option<UriParts>), SipError> {
        match super::quick::start_line_noting_uri(line) {
            Some(plain) => Ok(plain),
            None => Self::parse_general(line, base).map(|start_line| (start_line, None)),
        }
    }

    /// [`parse`](Self::parse) for every shape, without the fast recogniser.
    pub(crate) fn parse_general(line: &'a str, base: usize) -> Result<StartLine<'a>, SipError> {
        let err = |rule, pos: usize| SipError::new(rule, base + pos);
        let starts_with_version = line
            .get(..4)
            .is_some_and(|p| p.eq_ignore_ascii_case("SIP/"));
        if starts_with_version {
            let sp = line
                .find(' ')
                .ok_or(err(Rule::MalformedStartLine, line.len()))?;
            let version = line.get(..sp).unwrap_or("");
            check_version(version).map_err(|_| err(Rule::MalformedSipVersion, 0))?;
            let rest = line.get(sp + 1..).unwrap_or("");
            let code_end = rest.find(' ').unwrap_or(rest.len());
            let code = rest.get(..code_end).unwrap_or("");
            if code.len() != 3 || !code.bytes().all(|b| b.is_ascii_digit()) {
                return Err(err(Rule::StatusCodeNot3Digits, sp + 1));
            }
            if code_end == rest.len() {
                return Err(err(Rule::MalformedStartLine, line.len()));
            }
            let status = code
                .parse()
                .ok()
                .and_then(StatusCode::new)
                .ok_or(err(Rule::StatusCodeOutOfRange, sp + 1))?;
            let reason = rest.get(code_end + 1..).unwrap_or("");
            return Ok(StartLine::Response {
                version,
                status,
                reason,
            });
        }
        let sp = line
            .find(' ')
            .ok_or(err(Rule::MalformedStartLine, line.len()))?;
        let method =
            Method::new(line.get(..sp).unwrap_or("")).ok_or(err(Rule::InvalidMethod, 0))?;
        let rest = line.get(sp + 1..).unwrap_or("");
        let last = rest
            .rfind(' ')
            .ok_or(err(Rule::MalformedStartLine, line.len()))?;
        let uri = rest.get(..last).unwrap_or("");
        let version = rest.get(last + 1..).unwrap_or("");
        let uri_at = sp + 1;
        if version.is_empty() {
            return Err(err(Rule::RequestLineSpacing, uri_at + last));
        }
        if uri.is_empty() || uri.starts_with(' ') || uri.ends_with(' ') {
            return Err(err(Rule::RequestLineSpacing, uri_at));
        }
        if let Some(p) = chars::find_any(uri, b" \t") {
            return Err(err(Rule::RequestUriLws, uri_at + p));
        }
        if uri.starts_with('<') {
            return Err(err(Rule::RequestUriInAngleBrackets, uri_at));
        }
        check_version(version).map_err(|_| err(Rule::MalformedSipVersion, uri_at + last + 1))?;
        Ok(StartLine::Request {
            method,
            uri,
            version,
        })
    }

    /// The SIP-Version as written.
    pub fn version(&self) -> &'a str {
        match self {
            StartLine::Request { version, .. } | StartLine::Response { version, .. } => version,
        }
    }
}

/// Checks `SIP-Version = "SIP" "/" 1*DIGIT "." 1*DIGIT` ("SIP" in any case).
fn check_version(v: &str) -> Result<(), ()> {
    let digits = |s: &str| !s.is_empty() && s.len() <= 3 && s.bytes().all(|b| b.is_ascii_digit());
    let ok = v.get(..4).is_some_and(|p| p.eq_ignore_ascii_case("SIP/"))
        && v.get(4..)
            .and_then(|n| n.split_once('.'))
            .is_some_and(|(major, minor)| digits(major) && digits(minor));
    if ok {
        Ok(())
    } else {
        Err(())
    }
}

/// The SIP-Version of RFC 3261, as nearly every element writes it.
const SIP_2_0: &str = "SIP/2.0";

/// Whether a syntactically valid SIP-Version is 2.0. Nearly every element writes it in upper
/// case, so an exact compare (two word loads) comes before the byte-by-byte one.
#[inline]
pub(crate) fn is_sip_2_0(version: &str) -> bool {
    version == SIP_2_0 || version.eq_ignore_ascii_case(SIP_2_0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule(line: &str) -> Rule {
        StartLine::parse(line, 0).unwrap_err().rule
    }

    #[test]
    fn any_token_is_a_method() {
        let line = "!interesting-Method0123456789_*+`.%indeed'~ sip:a@b SIP/2.0";
        assert!(matches!(
            StartLine::parse(line, 0),
            Ok(StartLine::Request { .. })
        ));
    }

    #[test]
    fn status_line_with_empty_or_utf8_reason() {
        assert!(matches!(
            StartLine::parse("SIP/2.0 100 ", 0),
            Ok(StartLine::Response { reason: "", .. })
        ));
        assert!(StartLine::parse("SIP/2.0 200 = 2**3 * 5**2 но сто", 0).is_ok());
    }

    #[test]
    fn rfc4475_start_line_errors_are_named() {
        assert_eq!(
            rule("INVITE <sip:user@example.com> SIP/2.0"),
            Rule::RequestUriInAngleBrackets
        );
        assert_eq!(
            rule("INVITE sip:user@example.com; lr SIP/2.0"),
            Rule::RequestUriLws
        );
        assert_eq!(
            rule("INVITE  sip:user@example.com  SIP/2.0"),
            Rule::RequestLineSpacing
        );
        assert_eq!(
            rule("OPTIONS sip:remote-target@example.com SIP/2.0  "),
            Rule::RequestLineSpacing
        );
        assert_eq!(
            rule("SIP/2.0 4294967301 better not break the receiver"),
            Rule::StatusCodeNot3Digits
        );
        assert_eq!(rule("SIP/2.0 099 Low"), Rule::StatusCodeOutOfRange);
        assert_eq!(rule("OPTIONS sip:a@b SIP/2"), Rule::MalformedSipVersion);
    }
}
