//! The exact header values this project's nodes write, recognised by comparing their constant
//! parts as whole byte strings: the hop `SIP/2.0/UDP 10.0.0.3:5060;branch=z9hG4bK...`, the
//! address `<sip:alice@alpha.example>` with or without `;tag=...`, the Request-URI
//! `sip:alice@alpha.example` and the CSeq `1 MESSAGE`.
//!
//! The plain recognisers of [`quick`](super) read a value byte class by byte class so as to take
//! every plain shape; these take only the one shape each node writes and read its variable
//! parts (user, host labels, address octets, port, tag, branch) in tight runs. Each returns
//! `Some` only with the very value its plain recogniser returns for the same text, and `None`
//! for anything else, so the caller falls back to that recogniser (and from there to the
//! general parser, which names any error and its offset): a verdict can never change.
//! `node_shapes_tests` checks the agreement on generated, mutated and corpus values.

use crate::limits::SIP_URI_LENGTH_BYTES_MAX;
use crate::sip::addr::NameAddr;
use crate::sip::chars::{run, ALNUM, DIGIT, TOKEN};
use crate::sip::host::{self, Host};
use crate::sip::params::Params;
use crate::sip::scalars::CSeq;
use crate::sip::uri::{SipUri, Uri};
use crate::sip::via::Via;

/// The sent-protocol and blank of every hop a node writes, one per transport it sends over.
const SENT_PROTOCOLS: [&[u8]; 3] = [b"SIP/2.0/UDP ", b"SIP/2.0/TCP ", b"SIP/2.0/TLS "];

/// Where the transport starts and ends in a [`SENT_PROTOCOLS`] entry.
const TRANSPORT_AT: usize = 8;
/// See [`TRANSPORT_AT`].
const TRANSPORT_END: usize = 11;

/// The one parameter of a hop a node writes, up to and with the RFC 3261 magic cookie.
const BRANCH_PARAM: &[u8] = b";branch=z9hG4bK";

/// Where the branch value starts in [`BRANCH_PARAM`] (after `;branch=`).
const BRANCH_VALUE_AT: usize = 8;

/// The opening of a name-addr a node writes: no display name, a `sip:` URI.
const NAME_ADDR_OPEN: &[u8] = b"<sip:";

/// The tag parameter of a name-addr, right after its closing bracket.
const TAG_PARAM: &[u8] = b">;tag=";

/// The scheme of a Request-URI a node writes.
const SIP_SCHEME: &[u8] = b"sip:";

/// The method of the CSeq nearly every request and answer of a delivery carries.
const CSEQ_MESSAGE: &[u8] = b" MESSAGE";

/// Digits a CSeq number has at most here (every number below 2^31 fits in ten).
const CSEQ_DIGITS_MAX: usize = 10;

/// The largest CSeq number plus one (RFC 3261 section 8.1.1.5: less than 2^31).
const CSEQ_LIMIT: u64 = 1 << 31;

/// Longest host name (RFC 1035), as the general host parser bounds it.
const HOST_NAME_BYTES_MAX: usize = 255;

/// The end of a host name at `b[from..]` written as dot-separated runs of letters and digits
/// (no `-`, no trailing dot) whose top label starts with a letter, or `None`. The caller must
/// see that the byte at the end is no hostname byte (`>`, `:`, `;` or the end of the text);
/// then the general host reader ends at the same byte with the same domain.
#[inline(always)]
fn plain_domain_end(b: &[u8], from: usize) -> Option<usize> {
    let mut label = from;
    loop {
        let end = run(b, label, ALNUM);
        if end == label {
            return None;
        }
        if b.get(end) != Some(&b'.') {
            let top_is_letter = b.get(label).is_some_and(u8::is_ascii_alphabetic);
            return (top_is_letter && end - from <= HOST_NAME_BYTES_MAX).then_some(end);
        }
        label = end + 1;
    }
}

/// `sip:user@host` with a user of letters and digits and a [`plain_domain_end`] host, from
/// `text[from..]` to `end` (where the caller's next constant part starts, which is no byte a
/// URI is read from): the URI the plain recogniser reads there.
#[inline(always)]
fn sip_user_at_domain(text: &str, from: usize) -> Option<(SipUri<'_>, usize)> {
    let b = text.as_bytes();
    let user_at = from + SIP_SCHEME.len();
    if b.get(from..user_at) != Some(SIP_SCHEME) {
        return None;
    }
    // Letters and digits are USER bytes and `@` is not: the plain recogniser's user run stops
    // at the same `@`.
    let user_end = run(b, user_at, ALNUM);
    if user_end == user_at || b.get(user_end) != Some(&b'@') {
        return None;
    }
    let host_end = plain_domain_end(b, user_end + 1)?;
    if host_end - from > SIP_URI_LENGTH_BYTES_MAX {
        return None;
    }
    let uri = SipUri {
        text: text.get(from..host_end)?,
        secure: false,
        user: Some(text.get(user_at..user_end)?),
        password: None,
        host: Host::Domain(text.get(user_end + 1..host_end)?),
        port: None,
        params: text.get(host_end..host_end)?,
        headers: None,
    };
    Some((uri, host_end))
}

/// The Request-URI `sip:user@host` a node writes, as [`quick::sip_uri`](super::sip_uri) reads it.
#[inline]
pub(crate) fn request_uri(text: &str) -> Option<SipUri<'_>> {
    let (uri, end) = sip_user_at_domain(text, 0)?;
    (end == text.len()).then_some(uri)
}

/// `<sip:user@host>` alone or followed by `;tag=` and a token, as
/// [`quick::name_addr`](super::name_addr) reads it.
#[inline(always)]
pub(crate) fn name_addr(text: &str) -> Option<NameAddr<'_>> {
    let b = text.as_bytes();
    if !b.starts_with(NAME_ADDR_OPEN) {
        return None;
    }
    let (uri, close) = sip_user_at_domain(text, 1)?;
    let params = if close + 1 == b.len() && b.get(close) == Some(&b'>') {
        Params::default()
    } else {
        let tag_at = close + TAG_PARAM.len();
        if b.get(close..tag_at) != Some(TAG_PARAM) {
            return None;
        }
        let tag_end = run(b, tag_at, TOKEN);
        if tag_end == tag_at || tag_end != b.len() {
            return None;
        }
        // One plain parameter: the text the plain recogniser's parameter check accepts.
        Params::checked(text.get(close + 1..)?)
    };
    Some(NameAddr {
        display_name: None,
        uri: Uri::Sip(uri),
        angle_brackets: true,
        params,
    })
}

/// Whether [`name_addr`] takes `text` (the address it would build is never built).
#[inline]
pub(crate) fn is_name_addr(text: &str) -> bool {
    name_addr(text).is_some()
}

/// `SIP/2.0/UDP a.b.c.d:port;branch=z9hG4bK...` (or TCP, TLS) with nothing after the branch,
/// as [`quick::via`](super::via) reads it, the branch value noted.
#[inline(always)]
pub(crate) fn via(text: &str) -> Option<Via<'_>> {
    let b = text.as_bytes();
    let sent = b.get(..TRANSPORT_END + 1)?;
    if !SENT_PROTOCOLS.contains(&sent) {
        return None;
    }
    let host_at = TRANSPORT_END + 1;
    let host_end = host::ipv4_prefix(b, host_at)?;
    if b.get(host_end) != Some(&b':') {
        return None;
    }
    // Port digits stop at the `;`, as the plain recogniser's token run does.
    let digits_end = run(b, host_end + 1, DIGIT);
    let port = host::parse_port(text.get(host_end + 1..digits_end)?)?;
    let branch_at = digits_end + BRANCH_PARAM.len();
    if b.get(digits_end..branch_at) != Some(BRANCH_PARAM) {
        return None;
    }
    // The value's run of token bytes (the cookie's are) must reach the end: no other parameter.
    if run(b, branch_at, TOKEN) != b.len() {
        return None;
    }
    let params = text.get(digits_end..)?;
    Some(Via {
        protocol: text.get(..3)?,
        version: text.get(4..7)?,
        transport: text.get(TRANSPORT_AT..TRANSPORT_END)?,
        host: Host::Ipv4(text.get(host_at..host_end)?),
        port: Some(port),
        params: Params::checked_with_branch(params, BRANCH_VALUE_AT, params.len()),
    })
}

/// Whether [`via`] takes `text` (the hop it would build is never built).
#[inline]
pub(crate) fn is_via(text: &str) -> bool {
    via(text).is_some()
}

/// `number MESSAGE` with a number of one to ten digits below 2^31, as [`quick::cseq`](super::cseq) reads it.
#[inline]
pub(crate) fn cseq(text: &str) -> Option<CSeq<'_>> {
    let b = text.as_bytes();
    let digits_end = b.len().checked_sub(CSEQ_MESSAGE.len())?;
    let too_long = digits_end > CSEQ_DIGITS_MAX;
    if b.get(digits_end..) != Some(CSEQ_MESSAGE) || digits_end == 0 || too_long {
        return None;
    }
    let mut number = 0u64;
    for &d in b.get(..digits_end)? {
        if !d.is_ascii_digit() {
            return None;
        }
        number = number * 10 + u64::from(d - b'0');
    }
    if number >= CSEQ_LIMIT {
        return None;
    }
    Some(CSeq {
        number: u32::try_from(number).ok()?,
        method: text.get(digits_end + 1..)?,
    })
}
