//! Fast recognisers for the plain shapes nearly every SIP element writes: `<sip:user@host>;tag=x`
//! addresses, `SIP/2.0/UDP host:port;branch=z9hG4bK...` hops, `1 MESSAGE` CSeqs and
//! `type/subtype` media types, written without LWS, escapes, quoted values or IPv6 literals.
//!
//! Each recogniser returns `Some` only for text its general parser accepts, and then the very
//! value that parser returns; for anything else it returns `None` and the caller runs the general
//! parser, which also names the error and its offset. So a recogniser can only make a parse
//! cheaper, never change a verdict; `quick_tests` checks the agreement on generated and mutated
//! input.

use super::addr::NameAddr;
use super::chars::{self, PARAMCHAR, TOKEN, USER, WORD};
use super::host::{self, Host};
use super::params::Params;
use super::scalars::{CSeq, MediaType};
use super::start_line::{Method, StartLine, StatusCode};
use super::uri::SipUri;
use super::via::Via;
use crate::limits::{SIP_PARAMS_PER_ELEMENT_MAX, SIP_URI_LENGTH_BYTES_MAX};

use super::chars::run;

/// The `;`-separated parameters of `b` from `from` to the end, each `1*name-byte ["=" 1*value-byte]`
/// with names in `TOKEN` and values in `value_class` (at most `SIP_PARAMS_PER_ELEMENT_MAX`):
/// `true` when the whole rest has that shape.
#[inline(always)]
fn plain_params(b: &[u8], from: usize, name_class: u16, value_class: u16) -> bool {
    let mut i = from;
    let mut count = 0usize;
    while i < b.len() {
        if b.get(i) != Some(&b';') {
            return false;
        }
        count += 1;
        if count > SIP_PARAMS_PER_ELEMENT_MAX {
            return false;
        }
        let name_end = run(b, i + 1, name_class);
        if name_end == i + 1 {
            return false;
        }
        i = name_end;
        if b.get(i) == Some(&b'=') {
            let value_end = run(b, i + 1, value_class);
            if value_end == i + 1 {
                return false;
            }
            i = value_end;
        }
    }
    true
}

/// The header parameters of an element from `from` (a `;` or the end) to the end of `text`.
#[inline(always)]
fn header_params(text: &str, from: usize) -> Option<Params<'_>> {
    if from >= text.len() {
        return Some(Params::default());
    }
    if !plain_params(text.as_bytes(), from, TOKEN, TOKEN) {
        return None;
    }
    Some(Params::checked(text.get(from..)?))
}

/// The parameter name whose value [`via_params`] notes.
const BRANCH: &[u8] = b"branch";

/// [`header_params`] for a Via hop, noting on the way where the value of the first parameter
/// named `branch` lies (when it has one), so that reading the branch later is no scan.
#[inline(always)]
fn via_params(text: &str, from: usize) -> Option<Params<'_>> {
    let b = text.as_bytes();
    if from >= b.len() {
        return Some(Params::default());
    }
    let mut i = from;
    let mut count = 0usize;
    // The first `branch` parameter's value span, once that parameter is met.
    let mut branch: Option<(usize, usize)> = None;
    while i < b.len() {
        if b.get(i) != Some(&b';') {
            return None;
        }
        count += 1;
        if count > SIP_PARAMS_PER_ELEMENT_MAX {
            return None;
        }
        let name_end = run(b, i + 1, TOKEN);
        if name_end == i + 1 {
            return None;
        }
        let is_branch = branch.is_none()
            && b.get(i + 1..name_end)
                .is_some_and(|n| n == BRANCH || n.eq_ignore_ascii_case(BRANCH));
        i = name_end;
        let mut value = (0, 0);
        if b.get(i) == Some(&b'=') {
            let value_end = run(b, i + 1, TOKEN);
            if value_end == i + 1 {
                return None;
            }
            value = (i + 1 - from, value_end - from);
            i = value_end;
        }
        if is_branch {
            branch = Some(value);
        }
    }
    let rest = text.get(from..)?;
    Some(match branch {
        Some((start, end)) => Params::checked_with_branch(rest, start, end),
        None => Params::checked(rest),
    })
}

/// A `sip:` / `sips:` URI in lower case with an optional plain user part, a host name or IPv4
/// address, an optional port and plain parameters (no password, escapes, headers or IPv6).
pub(crate) fn sip_uri(text: &str) -> Option<SipUri<'_>> {
    let (uri, end) = sip_uri_prefix(text, 0)?;
    (end == text.len()).then_some(uri)
}

/// The plain SIP URI that starts at `text[from..]`, read up to the first byte that cannot
/// continue it, and where it ends: the URI [`sip_uri`] finds in `text[from..end]` when the byte
/// at `end` is none of the bytes a URI is read from (the `>` of a name-addr, or the end).
///
/// No class read after the user part holds `@`, so a URI that has an `@` without a plain user
/// before it stops short of its end and is refused by the caller: no separate search for it.
#[inline]
fn sip_uri_prefix(text: &str, from: usize) -> Option<(SipUri<'_>, usize)> {
    let b = text.as_bytes();
    let rest = b.get(from..)?;
    let (secure, rest_at) = if rest.starts_with(b"sip:") {
        (false, from + 4)
    } else if rest.starts_with(b"sips:") {
        (true, from + 5)
    } else {
        return None;
    };
    // `@` is not a USER byte, so the run stops at the first `@` if there is a user part.
    let user_end = run(b, rest_at, USER);
    let (user, host_at) = if b.get(user_end) == Some(&b'@') {
        if user_end == rest_at {
            return None;
        }
        (Some(text.get(rest_at..user_end)?), user_end + 1)
    } else {
        (None, rest_at)
    };
    let (host, mut i) = host::host_prefix(text, host_at)?;
    let mut port = None;
    if b.get(i) == Some(&b':') {
        let digits_end = run(b, i + 1, chars::DIGIT);
        port = Some(host::parse_port(text.get(i + 1..digits_end)?)?);
        i = digits_end;
    }
    let params_at = i;
    let mut count = 0usize;
    while b.get(i) == Some(&b';') {
        count += 1;
        if count > SIP_PARAMS_PER_ELEMENT_MAX {
            return None;
        }
        let name_end = run(b, i + 1, PARAMCHAR);
        if name_end == i + 1 {
            return None;
        }
        i = name_end;
        if b.get(i) == Some(&b'=') {
            let value_end = run(b, i + 1, PARAMCHAR);
            if value_end == i + 1 {
                return None;
            }
            i = value_end;
        }
    }
    if i - from > SIP_URI_LENGTH_BYTES_MAX {
        return None;
    }
    let uri = SipUri {
        text: text.get(from..i)?,
        secure,
        user,
        password: None,
        host,
        port,
        params: text.get(params_at..i)?,
        headers: None,
    };
    Some((uri, i))
}

/// `<sip-uri>` or `"display name" <sip-uri>` followed by plain header parameters.
pub(crate) fn name_addr(text: &str) -> Option<NameAddr<'_>> {
    name_addr_inlined(text)
}

/// Whether [`name_addr`] takes `text`, for a caller that only checks the value: its body is
/// inlined here, so the address it would build is never built (no stores of the URI, host
/// and parameters that the caller would drop).
#[inline]
pub(crate) fn is_name_addr(text: &str) -> bool {
    name_addr_inlined(text).is_some()
}

/// The body of [`name_addr`], always inlined into it and into [`is_name_addr`].
#[inline(always)]
fn name_addr_inlined(text: &str) -> Option<NameAddr<'_>> {
    let b = text.as_bytes();
    let mut display_name = None;
    let mut open = 0;
    if b.first() == Some(&b'"') {
        let close = chars::find_of(b, 1, b"\"\\")?;
        if b.get(close) != Some(&b'"') {
            return None;
        }
        display_name = Some(text.get(..close + 1)?);
        open = close + 1;
        while b.get(open).is_some_and(|&c| chars::is_lws(c)) {
            open += 1;
        }
    }
    if b.get(open) != Some(&b'<') {
        return None;
    }
    // The URI stops at the first byte none of its parts take: a blank, or the first `>`, which
    // must close the brackets.
    let (uri, close) = sip_uri_prefix(text, open + 1)?;
    if b.get(close) != Some(&b'>') {
        return None;
    }
    Some(NameAddr {
        display_name,
        uri: super::uri::Uri::Sip(uri),
        angle_brackets: true,
        params: header_params(text, close + 1)?,
    })
}

/// The protocol and version every element of this era writes, with the slash after them.
const SIP_2_0_SLASH: &[u8] = b"SIP/2.0/";

/// `protocol/version/transport SP host[:port]` with plain Via parameters.
///
/// Marked `#[inline]`: measured, that saves about 1 % of its cost on the simulator bench.
#[inline]
pub(crate) fn via(text: &str) -> Option<Via<'_>> {
    via_inlined(text)
}

/// Whether [`via`] takes `text`, for a caller that only checks the hop (every hop below the
/// top one): its body is inlined here, so the hop it would build is never built.
#[inline]
pub(crate) fn is_via(text: &str) -> bool {
    via_inlined(text).is_some()
}

/// The body of [`via`], always inlined into it and into [`is_via`].
#[inline(always)]
fn via_inlined(text: &str) -> Option<Via<'_>> {
    let b = text.as_bytes();
    // `SIP/2.0/` is the token runs `SIP` and `2.0`, each ended by a slash: one compare.
    let (protocol_end, version_end) = if b.starts_with(SIP_2_0_SLASH) {
        (3, 7)
    } else {
        let protocol_end = run(b, 0, TOKEN);
        if protocol_end == 0 || b.get(protocol_end) != Some(&b'/') {
            return None;
        }
        let version_end = run(b, protocol_end + 1, TOKEN);
        if version_end == protocol_end + 1 || b.get(version_end) != Some(&b'/') {
            return None;
        }
        (protocol_end, version_end)
    };
    // The transports nodes write are three letters and a space: one compare.
    let transport_end = match b.get(version_end + 1..version_end + 5) {
        Some(b"UDP " | b"TCP " | b"TLS ") => version_end + 4,
        _ => run(b, version_end + 1, TOKEN),
    };
    if transport_end == version_end + 1 || b.get(transport_end) != Some(&b' ') {
        return None;
    }
    let mut host_at = transport_end + 1;
    while b.get(host_at).is_some_and(|&c| chars::is_lws(c)) {
        host_at += 1;
    }
    // The host ends where its hostname bytes do; a token byte right after it (`_`, `!` ...)
    // belongs to the general parser's host, which then refuses it: the byte after the host
    // must be `:`, `;` or the end here.
    let (host, mut i): (Host<'_>, usize) = host::host_prefix(text, host_at)?;
    let mut port = None;
    if b.get(i) == Some(&b':') {
        let digits_end = run(b, i + 1, TOKEN);
        port = Some(host::parse_port(text.get(i + 1..digits_end)?)?);
        i = digits_end;
    }
    let params = via_params(text, i)?;
    Some(Via {
        protocol: text.get(..protocol_end)?,
        version: text.get(protocol_end + 1..version_end)?,
        transport: text.get(version_end + 1..transport_end)?,
        host,
        port,
        params,
    })
}

/// The largest CSeq number plus one (RFC 3261 section 8.1.1.5: less than 2^31).
const CSEQ_LIMIT: u64 = 1 << 31;

/// Digits a CSeq number may have here: ten hold every number below 2^31, and the general
/// parser's verdict on longer ones (leading zeros or too large) is left to it.
const CSEQ_DIGITS_MAX: usize = 10;

/// `1*DIGIT SP Method` with a number below 2^31 and single spaces: the digits are read and
/// summed in one loop.
pub(crate) fn cseq(text: &str) -> Option<CSeq<'_>> {
    let b = text.as_bytes();
    let mut number = 0u64;
    let mut digits_end = 0;
    while let Some(&d) = b.get(digits_end).filter(|d| d.is_ascii_digit()) {
        if digits_end == CSEQ_DIGITS_MAX {
            return None;
        }
        number = number * 10 + u64::from(d - b'0');
        digits_end += 1;
    }
    if digits_end == 0 || b.get(digits_end) != Some(&b' ') || number >= CSEQ_LIMIT {
        return None;
    }
    let method_end = run(b, digits_end + 1, TOKEN);
    if method_end == digits_end + 1 || method_end != b.len() {
        return None;
    }
    Some(CSeq {
        number: number as u32,
        method: text.get(digits_end + 1..)?,
    })
}

/// `type/subtype` with plain parameters.
pub(crate) fn media_type(text: &str) -> Option<MediaType<'_>> {
    let b = text.as_bytes();
    let kind_end = run(b, 0, TOKEN);
    if kind_end == 0 || b.get(kind_end) != Some(&b'/') {
        return None;
    }
    let subtype_end = run(b, kind_end + 1, TOKEN);
    if subtype_end == kind_end + 1 {
        return None;
    }
    Some(MediaType {
        kind: text.get(..kind_end)?,
        subtype: text.get(kind_end + 1..subtype_end)?,
        params: header_params(text, subtype_end)?,
    })
}

/// `word ["@" word]` with nothing around it.
pub(crate) fn call_id(text: &str) -> Option<&str> {
    let b = text.as_bytes();
    let left_end = run(b, 0, WORD);
    if left_end == 0 {
        return None;
    }
    match b.get(left_end) {
        None => Some(text),
        Some(b'@') => {
            let right_end = run(b, left_end + 1, WORD);
            (right_end > left_end + 1 && right_end == b.len()).then_some(text)
        }
        Some(_) => None,
    }
}

/// The parameter `name` of plain parameter text (see [`Params::get`]): `None` when the text is
/// not plain up to the match, and the caller must read it with the general iterator.
pub(crate) fn param<'a>(text: &'a str, name: &str) -> Option<Option<Option<&'a str>>> {
    let b = text.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if b.get(i) != Some(&b';') {
            return None;
        }
        let name_end = run(b, i + 1, TOKEN);
        if name_end == i + 1 {
            return None;
        }
        let this = text.get(i + 1..name_end)?;
        i = name_end;
        let mut value = None;
        if b.get(i) == Some(&b'=') {
            let value_end = run(b, i + 1, TOKEN);
            if value_end == i + 1 {
                return None;
            }
            value = Some(text.get(i + 1..value_end)?);
            i = value_end;
        }
        if !matches!(b.get(i), None | Some(b';')) {
            return None;
        }
        // Parameters are almost always written in the case asked for: an exact compare first.
        if this == name || this.eq_ignore_ascii_case(name) {
            return Some(Some(value));
        }
    }
    Some(None)
}

/// The SIP-Version this stack writes.
const SIP_2_0: &[u8] = b"SIP/2.0";

/// `Method SP Request-URI SP SIP/2.0` with a URI free of blanks and `<`, or
/// `SIP/2.0 SP 3DIGIT SP Reason-Phrase` with a code from 100 to 699.
pub(crate) fn start_line(line: &str) -> Option<StartLine<'_>> {
    let b = line.as_bytes();
    if let Some(rest) = b.strip_prefix(SIP_2_0) {
        let &[b' ', d0, d1, d2, b' ', ..] = rest else {
            return None;
        };
        if !(d0.is_ascii_digit() && d1.is_ascii_digit() && d2.is_ascii_digit()) {
            return None;
        }
        let code = u16::from(d0 - b'0') * 100 + u16::from(d1 - b'0') * 10 + u16::from(d2 - b'0');
        return Some(StartLine::Response {
            version: line.get(..SIP_2_0.len())?,
            status: StatusCode::new(code)?,
            reason: line.get(SIP_2_0.len() + 5..)?,
        });
    }
    let method_end = run(b, 0, TOKEN);
    if method_end == 0 || b.get(method_end) != Some(&b' ') {
        return None;
    }
    let uri_at = method_end + 1;
    let uri_end = chars::find_of(b, uri_at, b" \t")?;
    if uri_end == uri_at || b.get(uri_end) != Some(&b' ') || b.get(uri_at) == Some(&b'<') {
        return None;
    }
    if b.get(uri_end + 1..) != Some(SIP_2_0) {
        return None;
    }
    Some(StartLine::Request {
        // `run` stopped at the first non-token byte, and the method is not empty.
        method: Method::checked(line.get(..method_end)?),
        uri: line.get(uri_at..uri_end)?,
        version: line.get(uri_end + 1..)?,
    })
}
