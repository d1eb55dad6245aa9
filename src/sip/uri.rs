//! URIs: `sip:` and `sips:` (RFC 3261 section 19.1 and 25.1), `tel:` (RFC 3966 section 3) and
//! any other `absoluteURI`. Parsing is zero-copy; `%HH` escapes are checked but kept as written,
//! so the URI text round-trips byte for byte.

use super::chars::{self, HNV, PARAMCHAR, PASSWORD, SCHEME, URIC, USER};
use super::error::{Rule, SipError};
use super::host::{self, Host};
use crate::limits::{SIP_PARAMS_PER_ELEMENT_MAX, SIP_URI_LENGTH_BYTES_MAX};

/// A parsed URI.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Uri<'a> {
    /// A `sip:` or `sips:` URI.
    Sip(SipUri<'a>),
    /// A `tel:` URI.
    Tel(TelUri<'a>),
    /// Any other absolute URI (`http:`, `urn:`, `isbn:` ...), checked only for URI characters.
    Other(OtherUri<'a>),
}

/// A `sip:` / `sips:` URI split into its parts (each as written, escapes kept).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SipUri<'a> {
    /// The whole URI as written.
    pub text: &'a str,
    /// `true` for `sips:`.
    pub secure: bool,
    /// The user part (or telephone-subscriber), if there is a userinfo.
    pub user: Option<&'a str>,
    /// The password, if the userinfo has a `:`.
    pub password: Option<&'a str>,
    /// The host.
    pub host: Host<'a>,
    /// The explicit port, if any (an omitted port is not 5060; RFC 3261 section 19.1.4).
    pub port: Option<u16>,
    /// `;`-separated URI parameters as written (starting with `;`, or empty).
    pub params: &'a str,
    /// `&`-separated URI headers as written (after the `?`), if any.
    pub headers: Option<&'a str>,
}

/// A `tel:` URI (RFC 3966): the subscriber number and its parameters, as written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TelUri<'a> {
    /// The whole URI as written.
    pub text: &'a str,
    /// The number, e.g. `+1-201-555-0123` or a local number.
    pub number: &'a str,
    /// `;`-separated parameters as written (starting with `;`, or empty).
    pub params: &'a str,
}

/// An absolute URI of a scheme this codec does not interpret.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OtherUri<'a> {
    /// The whole URI as written.
    pub text: &'a str,
    /// The scheme (before the first `:`).
    pub scheme: &'a str,
}

impl<'a> Uri<'a> {
    /// Parses a URI that occupies all of `text`, which starts at absolute offset `base`.
    pub fn parse(text: &'a str, base: usize) -> Result<Uri<'a>, SipError> {
        match super::quick::node_shapes::sip_uri(text).or_else(|| super::quick::sip_uri(text)) {
            Some(plain) => Ok(Uri::Sip(plain)),
            None => Self::parse_general(text, base),
        }
    }

    /// [`parse`](Self::parse) for every scheme and shape, without the fast recogniser.
    pub(crate) fn parse_general(text: &'a str, base: usize) -> Result<Uri<'a>, SipError> {
        let at = |rule: Rule, pos: usize| SipError::new(rule, base + pos);
        if text.len() > SIP_URI_LENGTH_BYTES_MAX {
            return Err(at(Rule::UriTooLong, 0));
        }
        let colon = chars::find_byte(text, b':').ok_or(at(Rule::InvalidUriScheme, 0))?;
        let scheme = text.get(..colon).unwrap_or("");
        let scheme_ok = scheme
            .as_bytes()
            .first()
            .is_some_and(|b| b.is_ascii_alphabetic())
            && chars::all(scheme.as_bytes(), SCHEME);
        if !scheme_ok {
            return Err(at(Rule::InvalidUriScheme, 0));
        }
        let rest = text.get(colon + 1..).unwrap_or("");
        let rest_at = colon + 1;
        if scheme.eq_ignore_ascii_case("sip") || scheme.eq_ignore_ascii_case("sips") {
            parse_sip(text, scheme.len() == 4, rest, rest_at)
                .map(Uri::Sip)
                .map_err(|(r, p)| at(r, p))
        } else if scheme.eq_ignore_ascii_case("tel") {
            parse_tel(text, rest, rest_at)
                .map(Uri::Tel)
                .map_err(|(r, p)| at(r, p))
        } else {
            if rest.is_empty() {
                return Err(at(Rule::InvalidUri, rest_at));
            }
            chars::check_escaped(rest.as_bytes(), URIC | OTHER_EXTRA)
                .map_err(|p| at(escape_or(rest, p, Rule::InvalidUri), rest_at + p))?;
            Ok(Uri::Other(OtherUri { text, scheme }))
        }
    }

    /// The URI as written.
    pub fn as_str(&self) -> &'a str {
        match self {
            Uri::Sip(u) => u.text,
            Uri::Tel(u) => u.text,
            Uri::Other(u) => u.text,
        }
    }

    /// The SIP URI, if this is one.
    pub fn as_sip(&self) -> Option<&SipUri<'a>> {
        match self {
            Uri::Sip(u) => Some(u),
            _ => None,
        }
    }
}

/// `[` and `]` (RFC 3986 IP literals in http URIs) are accepted in other absolute URIs.
const OTHER_EXTRA: u16 = chars::HNV;

fn escape_or(text: &str, pos: usize, rule: Rule) -> Rule {
    if text.as_bytes().get(pos) == Some(&b'%') {
        Rule::InvalidEscape
    } else {
        rule
    }
}

type Failure = (Rule, usize);

fn parse_sip<'a>(
    text: &'a str,
    secure: bool,
    rest: &'a str,
    at: usize,
) -> Result<SipUri<'a>, Failure> {
    let (userinfo, hostpart, host_at) = match chars::find_byte(rest, b'@') {
        Some(p) => (
            Some(rest.get(..p).unwrap_or("")),
            rest.get(p + 1..).unwrap_or(""),
            at + p + 1,
        ),
        None => (None, rest, at),
    };
    let (mut user, mut password) = (None, None);
    if let Some(info) = userinfo {
        let (u, pw) = match chars::find_byte(info, b':') {
            Some(p) => (info.get(..p).unwrap_or(""), info.get(p + 1..)),
            None => (info, None),
        };
        if u.is_empty() {
            return Err((Rule::InvalidUri, at));
        }
        chars::check_escaped(u.as_bytes(), USER)
            .map_err(|p| (escape_or(u, p, Rule::InvalidUri), at + p))?;
        if let Some(pw) = pw {
            let pw_at = at + u.len() + 1;
            chars::check_escaped(pw.as_bytes(), PASSWORD)
                .map_err(|p| (escape_or(pw, p, Rule::InvalidUri), pw_at + p))?;
        }
        user = Some(u);
        password = pw;
    }
    let hp_end = chars::find_any(hostpart, b";?").unwrap_or(hostpart.len());
    let (host, port) = host::parse_hostport(hostpart.get(..hp_end).unwrap_or(""))
        .map_err(|(r, p)| (r, host_at + p))?;
    let tail = hostpart.get(hp_end..).unwrap_or("");
    let tail_at = host_at + hp_end;
    let q = chars::find_byte(tail, b'?').unwrap_or(tail.len());
    let params = tail.get(..q).unwrap_or("");
    check_uri_params(params, tail_at)?;
    let headers = match tail.get(q..) {
        Some(h) if !h.is_empty() => {
            let h = h.get(1..).unwrap_or("");
            check_uri_headers(h, tail_at + q + 1)?;
            Some(h)
        }
        _ => None,
    };
    Ok(SipUri {
        text,
        secure,
        user,
        password,
        host,
        port,
        params,
        headers,
    })
}

/// Checks `*( ";" pname [ "=" pvalue ] )` with paramchar names and values.
fn check_uri_params(params: &str, at: usize) -> Result<(), Failure> {
    if params.is_empty() {
        return Ok(());
    }
    let mut pos = at + 1;
    let params = params.get(1..).unwrap_or("").as_bytes();
    for (n, param) in params.split(|&b| b == b';').enumerate() {
        // Split at ASCII `;`, so each piece is still UTF-8.
        let param = std::str::from_utf8(param).unwrap_or("");
        if n >= SIP_PARAMS_PER_ELEMENT_MAX {
            return Err((Rule::TooManyParameters, pos));
        }
        let (name, value) = match chars::find_byte(param, b'=') {
            Some(e) => (param.get(..e).unwrap_or(""), param.get(e + 1..)),
            None => (param, None),
        };
        if name.is_empty() {
            return Err((Rule::EmptyParameter, pos));
        }
        chars::check_escaped(name.as_bytes(), PARAMCHAR)
            .map_err(|p| (escape_or(name, p, Rule::InvalidParameter), pos + p))?;
        if let Some(v) = value {
            let v_at = pos + name.len() + 1;
            if v.is_empty() {
                return Err((Rule::EmptyParameterValue, v_at));
            }
            chars::check_escaped(v.as_bytes(), PARAMCHAR)
                .map_err(|p| (escape_or(v, p, Rule::InvalidParameter), v_at + p))?;
        }
        pos += param.len() + 1;
    }
    Ok(())
}

/// Checks `hname "=" hvalue *( "&" hname "=" hvalue )`.
fn check_uri_headers(headers: &str, at: usize) -> Result<(), Failure> {
    let mut pos = at;
    for header in headers.split('&') {
        let eq = header.find('=').ok_or((Rule::InvalidUri, pos))?;
        let name = header.get(..eq).unwrap_or("");
        let value = header.get(eq + 1..).unwrap_or("");
        if name.is_empty() {
            return Err((Rule::InvalidUri, pos));
        }
        chars::check_escaped(name.as_bytes(), HNV)
            .map_err(|p| (escape_or(name, p, Rule::InvalidUri), pos + p))?;
        chars::check_escaped(value.as_bytes(), HNV)
            .map_err(|p| (escape_or(value, p, Rule::InvalidUri), pos + eq + 1 + p))?;
        pos += header.len() + 1;
    }
    Ok(())
}

fn parse_tel<'a>(text: &'a str, rest: &'a str, at: usize) -> Result<TelUri<'a>, Failure> {
    let end = rest.find(';').unwrap_or(rest.len());
    let number = rest.get(..end).unwrap_or("");
    let params = rest.get(end..).unwrap_or("");
    let visual = |b: u8| matches!(b, b'-' | b'.' | b'(' | b')');
    let ok = if let Some(digits) = number.strip_prefix('+') {
        digits.bytes().any(|b| b.is_ascii_digit())
            && digits.bytes().all(|b| b.is_ascii_digit() || visual(b))
    } else {
        let dial = |b: u8| b.is_ascii_hexdigit() || b == b'*' || b == b'#';
        number.bytes().any(dial)
            && number.bytes().all(|b| dial(b) || visual(b))
            && params.split(';').any(|p| {
                p.len() >= 14
                    && p.get(..14)
                        .is_some_and(|n| n.eq_ignore_ascii_case("phone-context="))
            })
    };
    if !ok {
        return Err((Rule::InvalidUri, at));
    }
    check_uri_params(params, at + end)?;
    Ok(TelUri {
        text,
        number,
        params,
    })
}

impl<'a> SipUri<'a> {
    /// The URI parameter called `name` (case-insensitive): `Some(None)` for a flag like `lr`.
    pub fn param(&self, name: &str) -> Option<Option<&'a str>> {
        self.params
            .get(1..)
            .unwrap_or("")
            .split(';')
            .filter(|p| !p.is_empty())
            .map(|p| match p.find('=') {
                Some(e) => (p.get(..e).unwrap_or(""), p.get(e + 1..)),
                None => (p, None),
            })
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sip(s: &str) -> SipUri<'_> {
        match Uri::parse(s, 0).unwrap() {
            Uri::Sip(u) => u,
            other => panic!("not sip: {other:?}"),
        }
    }

    #[test]
    fn sip_uri_parts_are_split() {
        let u = sip("sips:alice:pw@[2001:db8::1]:5061;transport=tcp;lr?subject=hi&x=%20");
        assert!(u.secure);
        assert_eq!(u.user, Some("alice"));
        assert_eq!(u.password, Some("pw"));
        assert_eq!(u.host, Host::Ipv6("2001:db8::1"));
        assert_eq!(u.port, Some(5061));
        assert_eq!(u.param("TRANSPORT"), Some(Some("tcp")));
        assert_eq!(u.param("lr"), Some(None));
        assert_eq!(u.headers, Some("subject=hi&x=%20"));
    }

    #[test]
    fn a_semicolon_in_the_user_part_belongs_to_the_user() {
        let u = sip("sip:user;par=u%40example.net@example.com");
        assert_eq!(u.user, Some("user;par=u%40example.net"));
        assert_eq!(u.host, Host::Domain("example.com"));
    }

    #[test]
    fn escapes_must_be_two_hex_digits() {
        assert_eq!(
            Uri::parse("sip:a%4@h", 0).unwrap_err().rule,
            Rule::InvalidEscape
        );
        assert!(Uri::parse("sip:%00%00@host5.example.com", 0).is_ok());
    }

    #[test]
    fn tel_and_other_schemes_are_accepted() {
        assert!(matches!(
            Uri::parse("tel:+1-201-555-0123", 0),
            Ok(Uri::Tel(_))
        ));
        assert!(matches!(
            Uri::parse("tel:7042;phone-context=example.com", 0),
            Ok(Uri::Tel(_))
        ));
        assert!(Uri::parse("tel:7042", 0).is_err());
        for other in [
            "soap.beep://192.0.2.103:3002",
            "isbn:2983792873",
            "urn:ipaddr:1.2.3",
        ] {
            assert!(matches!(Uri::parse(other, 0), Ok(Uri::Other(_))), "{other}");
        }
        assert_eq!(
            Uri::parse("9x:y", 3).unwrap_err(),
            SipError::new(Rule::InvalidUriScheme, 3)
        );
    }

    #[test]
    fn an_unbracketed_ipv6_host_is_refused() {
        assert!(Uri::parse("sip:2001:db8::10", 0).is_err());
    }
}
