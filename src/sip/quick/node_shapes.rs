//! The exact header values this project's nodes write, recognised by comparing their constant
//! parts as whole byte strings: the hop `SIP/2.0/UDP 10.0.0.3:5060;branch=z9hG4bK...`, the
//! address `<sip:alice@alpha.example>` with or without `;tag=...`, the Request-URI
//! `sip:alice@alpha.example` or `sip:alice@10.0.0.1:5060`, the CSeq `1 MESSAGE` and the
//! Content-Types `message/cpim` and `message/imdn+xml`.
//!
//! The plain recognisers of [`quick`](super) read a value byte class by byte class so as to take
//! every plain shape; these take only the one shape each node writes and read its variable
//! parts (user, host labels, address octets, port, tag, branch) in tight runs. Each returns
//! `Some` only with the very value its plain recogniser returns for the same text, and `None`
//! for anything else (each shape is first found as byte positions, so that a caller that only
//! checks a value slices nothing), so the caller falls back to that recogniser (and from there to the
//! general parser, which names any error and its offset): a verdict can never change.
//! `node_shapes_tests` checks the agreement on generated, mutated and corpus values.

use crate::limits::SIP_URI_LENGTH_BYTES_MAX;
use crate::sip::addr::NameAddr;
use crate::sip::chars::{run, run_node_token, ALNUM, TOKEN};
use crate::sip::host::{octet_end, Host};
use crate::sip::params::Params;
use crate::sip::uri::{SipUri, Uri};
use crate::sip::via::Via;

pub(crate) use super::node_scalars::{
    cseq, cseq_at, is_media_type, media_type, media_type_end, media_type_of_len, CSEQ_METHOD,
};

/// The sent-protocol and blank of every hop a node writes, one per transport it sends over.
const SENT_PROTOCOLS: [&[u8]; 3] = [b"SIP/2.0/UDP ", b"SIP/2.0/TCP ", b"SIP/2.0/TLS "];

/// The protocol name of every [`SENT_PROTOCOLS`] entry.
const SIP_PROTOCOL: &str = "SIP";

/// The protocol version of every [`SENT_PROTOCOLS`] entry.
const SIP_VERSION: &str = "2.0";

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

/// Longest host name (RFC 1035), as the general host parser bounds it.
const HOST_NAME_BYTES_MAX: usize = 255;

/// The end of a host name at `b[from..]` written as dot-separated runs of letters and digits
/// (no `-`, no trailing dot) whose top label starts with a letter, or `None`. The caller must
/// see that the byte at the end is no hostname byte (`>` or the end of the text); then the
/// general host reader ends at the same byte with the same domain.
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

/// The end of a dotted-quad IPv4 address at `b[from..]` followed by `:`, and that `:`'s place:
/// one to three digits per octet, each at most 255 (the general host reader's address, which
/// `:` ends).
#[inline(always)]
fn ipv4_then_colon(b: &[u8], from: usize) -> Option<usize> {
    let mut i = from;
    for octet in 0..4 {
        i = octet_end(b, i)?;
        let separator = if octet == 3 { b':' } else { b'.' };
        if b.get(i) != Some(&separator) {
            return None;
        }
        i += 1;
    }
    Some(i - 1)
}

/// The port whose digits start at `b[from..]`, and where they stop (`;`, `>` or the end, as
/// the caller checks): one to five digits, at most 65535, as `host::parse_port` reads them.
#[inline(always)]
fn port_at(b: &[u8], from: usize) -> Option<(u16, usize)> {
    let mut value = 0u32;
    let mut i = from;
    while let Some(&d) = b.get(i).filter(|d| d.is_ascii_digit()) {
        value = value * 10 + u32::from(d - b'0');
        i += 1;
        if i - from > 5 {
            return None;
        }
    }
    if i == from {
        return None;
    }
    Some((u16::try_from(value).ok()?, i))
}

/// Where the parts of a node's `sip:user@host[:port]` URI lie in its text.
#[derive(Clone, Copy)]
struct UriSpans {
    /// End of the user (it starts after `sip:`; the host starts after the `@` here).
    user_end: usize,
    /// End of the host: the URI's end when there is no port, else the `:`.
    host_end: usize,
    /// The port, and where its digits end (the URI's end), when the host is an address.
    port: Option<(u16, usize)>,
}

impl UriSpans {
    /// Where the URI ends.
    #[inline(always)]
    fn end(&self) -> usize {
        self.port.map_or(self.host_end, |(_, end)| end)
    }
}

/// `sip:user@host` with a user of letters and digits and a [`plain_domain_end`] host, or
/// `sip:user@a.b.c.d:port`, from `b[from..]` up to the first byte none of its parts take
/// (which the caller checks): where its parts lie, as the plain recogniser finds them.
#[inline(always)]
fn sip_uri_spans(b: &[u8], from: usize) -> Option<UriSpans> {
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
    let host_at = user_end + 1;
    let spans = if b.get(host_at).is_some_and(u8::is_ascii_digit) {
        let host_end = ipv4_then_colon(b, host_at)?;
        let port = port_at(b, host_end + 1)?;
        UriSpans {
            user_end,
            host_end,
            port: Some(port),
        }
    } else {
        UriSpans {
            user_end,
            host_end: plain_domain_end(b, host_at)?,
            port: None,
        }
    };
    (spans.end() - from <= SIP_URI_LENGTH_BYTES_MAX).then_some(spans)
}

/// The URI whose parts [`sip_uri_spans`] found at `text[from..]`.
#[inline(always)]
fn sip_uri_of(text: &str, from: usize, spans: UriSpans) -> Option<SipUri<'_>> {
    let host = text.get(spans.user_end + 1..spans.host_end)?;
    let end = spans.end();
    Some(SipUri {
        text: text.get(from..end)?,
        secure: false,
        user: Some(text.get(from + SIP_SCHEME.len()..spans.user_end)?),
        password: None,
        host: match spans.port {
            Some(_) => Host::Ipv4(host),
            None => Host::Domain(host),
        },
        port: spans.port.map(|(port, _)| port),
        params: text.get(end..end)?,
        headers: None,
    })
}

/// The URI (a Request-URI, a Contact or Route address) `sip:user@host` or `sip:user@a.b.c.d:port` a node writes, as
/// [`quick::sip_uri`](super::sip_uri) reads it.
#[inline]
pub(crate) fn sip_uri(text: &str) -> Option<SipUri<'_>> {
    let spans = sip_uri_spans(text.as_bytes(), 0)?;
    (spans.end() == text.len()).then_some(())?;
    sip_uri_of(text, 0, spans)
}

/// Whether [`sip_uri`] takes `text` (nothing is sliced).
#[inline]
pub(crate) fn is_sip_uri(text: &str) -> bool {
    sip_uri_spans(text.as_bytes(), 0).is_some_and(|spans| spans.end() == text.len())
}

/// Where the parts of a node's URI lie relative to its first byte (see [`UriSpans`]): what a
/// message keeps of a Request-URI its start line's reading found, so that it is not read again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct UriParts {
    /// End of the user.
    user_end: u16,
    /// End of the host.
    host_end: u16,
    /// The port and the end of its digits, when the host is an address.
    port: Option<(u16, u16)>,
}

/// Where the URI a node writes ends when it starts at `b[from]` (see [`is_sip_uri`]), and its
/// parts; the caller checks what follows (the SP after a Request-URI).
#[inline]
pub(crate) fn sip_uri_parts(b: &[u8], from: usize) -> Option<(usize, UriParts)> {
    let spans = sip_uri_spans(b, from)?;
    // Within SIP_URI_LENGTH_BYTES_MAX of `from`, so each fits.
    let relative = |at: usize| u16::try_from(at - from).ok();
    let port = match spans.port {
        Some((port, end)) => Some((port, relative(end)?)),
        None => None,
    };
    let parts = UriParts {
        user_end: relative(spans.user_end)?,
        host_end: relative(spans.host_end)?,
        port,
    };
    Some((spans.end(), parts))
}

/// The URI `text` (exactly the URI whose parts [`sip_uri_parts`] found), as [`sip_uri`]
/// reads it.
#[inline]
pub(crate) fn sip_uri_of_parts(text: &str, parts: UriParts) -> Option<SipUri<'_>> {
    let spans = UriSpans {
        user_end: usize::from(parts.user_end),
        host_end: usize::from(parts.host_end),
        port: parts.port.map(|(port, end)| (port, usize::from(end))),
    };
    (spans.end() == text.len()).then_some(())?;
    sip_uri_of(text, 0, spans)
}

/// Where the URI of a node's name-addr lies (it starts after `<`), where its `>` is and where
/// the value ends, when `b[from..]` starts with `<sip:...>` alone or followed by `;tag=` and a
/// token; the caller checks what follows the end (the end of the text, or the row's CR).
#[inline(always)]
fn name_addr_spans(b: &[u8], from: usize) -> Option<(UriSpans, usize, usize)> {
    if b.get(from..from + NAME_ADDR_OPEN.len()) != Some(NAME_ADDR_OPEN) {
        return None;
    }
    let spans = sip_uri_spans(b, from + 1)?;
    let close = spans.end();
    let tag_at = close + TAG_PARAM.len();
    if b.get(close..tag_at) == Some(TAG_PARAM) {
        let tag_end = run_node_token(b, tag_at, TOKEN);
        return (tag_end != tag_at).then_some((spans, close, tag_end));
    }
    (b.get(close) == Some(&b'>')).then_some((spans, close, close + 1))
}

/// Where the name-addr a node writes ends when it starts at `b[from]` (see
/// [`is_name_addr`]); a row holds exactly that value when its CR stands there.
#[inline]
pub(crate) fn name_addr_end(b: &[u8], from: usize) -> Option<usize> {
    name_addr_spans(b, from).map(|(_, _, end)| end)
}

/// `<sip:user@host>` alone or followed by `;tag=` and a token, as
/// [`quick::name_addr`](super::name_addr) reads it.
#[inline]
pub(crate) fn name_addr(text: &str) -> Option<NameAddr<'_>> {
    let (spans, close, end) = name_addr_spans(text.as_bytes(), 0)?;
    (end == text.len()).then_some(())?;
    let params = if close + 1 == text.len() {
        Params::default()
    } else {
        // One plain parameter: the text the plain recogniser's parameter check accepts.
        Params::checked(text.get(close + 1..)?)
    };
    Some(NameAddr {
        display_name: None,
        uri: Uri::Sip(sip_uri_of(text, 1, spans)?),
        angle_brackets: true,
        params,
    })
}

/// Whether [`name_addr`] takes `text` (nothing is sliced).
#[inline]
pub(crate) fn is_name_addr(text: &str) -> bool {
    name_addr_end(text.as_bytes(), 0) == Some(text.len())
}

/// Where the parts of a node's hop lie, relative to the hop's first byte: the host ends at
/// `host_end` (it starts after the sent-protocol), the port's digits end at `digits_end` (the
/// branch parameter starts there), and the hop ends at `end`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct ViaSpans {
    /// End of the host address (its `:`).
    pub(crate) host_end: u16,
    /// The port.
    pub(crate) port: u16,
    /// End of the port's digits, where `;branch=` starts.
    pub(crate) digits_end: u16,
    /// End of the branch value: the end of the hop.
    pub(crate) end: u16,
}

/// The spans of the hop that starts at `b[from]` when it is
/// `SIP/2.0/UDP a.b.c.d:port;branch=z9hG4bK...` (or TCP, TLS), up to the first byte the branch
/// does not take; the caller checks what follows (the end of the text, or the row's CR). A
/// hop longer than `u16::MAX` bytes (beyond any header line) is left to the plain recogniser.
#[inline(always)]
pub(crate) fn via_spans(b: &[u8], from: usize) -> Option<ViaSpans> {
    let rest = b.get(from..)?;
    let sent = rest.get(..TRANSPORT_END + 1)?;
    if !SENT_PROTOCOLS.contains(&sent) {
        return None;
    }
    let host_end = ipv4_then_colon(rest, TRANSPORT_END + 1)?;
    let (port, digits_end) = port_at(rest, host_end + 1)?;
    let branch_at = digits_end + BRANCH_PARAM.len();
    if rest.get(digits_end..branch_at) != Some(BRANCH_PARAM) {
        return None;
    }
    // The value's run of token bytes (the cookie's are): the caller sees that nothing follows.
    let end = run_node_token(rest, branch_at, TOKEN);
    Some(ViaSpans {
        host_end: u16::try_from(host_end).ok()?,
        port,
        digits_end: u16::try_from(digits_end).ok()?,
        end: u16::try_from(end).ok()?,
    })
}

/// The hop whose parts [`via_spans`] found in `text`, which holds exactly that hop.
///
/// The sent-protocol is one of [`SENT_PROTOCOLS`], so its protocol, version and transport are
/// given as those constant words (the same text; only the host and the parameters are sliced
/// out of `text`, each such slice checking where it starts and ends). Always inlined: a hop
/// is a hundred bytes, built in its caller's result rather than copied there.
#[inline(always)]
pub(crate) fn via_of(text: &str, spans: ViaSpans) -> Option<Via<'_>> {
    let (sent, params) = text.split_at_checked(usize::from(spans.digits_end))?;
    let transport = match sent.as_bytes().get(TRANSPORT_AT..TRANSPORT_END)? {
        b"UDP" => "UDP",
        b"TCP" => "TCP",
        b"TLS" => "TLS",
        _ => return None,
    };
    Some(Via {
        protocol: SIP_PROTOCOL,
        version: SIP_VERSION,
        transport,
        host: Host::Ipv4(sent.get(TRANSPORT_END + 1..usize::from(spans.host_end))?),
        port: Some(spans.port),
        params: Params::checked_with_branch(params, BRANCH_VALUE_AT, params.len()),
    })
}

/// `SIP/2.0/UDP a.b.c.d:port;branch=z9hG4bK...` (or TCP, TLS) with nothing after the branch,
/// as [`quick::via`](super::via) reads it, the branch value noted.
#[inline]
pub(crate) fn via(text: &str) -> Option<Via<'_>> {
    let spans = via_spans(text.as_bytes(), 0)?;
    (usize::from(spans.end) == text.len()).then_some(())?;
    via_of(text, spans)
}

/// Whether [`via`] takes `text` (nothing is sliced).
#[inline]
pub(crate) fn is_via(text: &str) -> bool {
    via_spans(text.as_bytes(), 0).is_some_and(|spans| usize::from(spans.end) == text.len())
}
