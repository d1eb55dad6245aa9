//! The plain `Via` hop (RFC 3261 section 20.42: `sent-protocol LWS sent-by *( SEMI
//! via-params )`), with the value of its `branch` parameter noted on the way.

use crate::limits::SIP_PARAMS_PER_ELEMENT_MAX;
use crate::sip::chars::{self, run, TOKEN};
use crate::sip::host::{self, Host};
use crate::sip::params::Params;
use crate::sip::via::Via;

/// The parameter name whose value [`via_params`] notes.
const BRANCH: &[u8] = b"branch";

/// The plain header parameters of a Via hop, as
/// [`header_params`](super::generic_param::header_params) reads them, noting on the way where
/// the value of the first parameter named `branch` lies (when it has one), so that reading the
/// branch later is no scan.
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
