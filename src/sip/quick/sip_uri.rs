//! The plain `SIP-URI` / `SIPS-URI` (RFC 3261 section 25.1): lower-case scheme, plain user,
//! a host name or IPv4 address, a port and plain `uri-parameters`, read alone or as the prefix
//! of a longer text (the inside of a name-addr's brackets).

use crate::limits::{SIP_PARAMS_PER_ELEMENT_MAX, SIP_URI_LENGTH_BYTES_MAX};
use crate::sip::chars::{self, run, PARAMCHAR, USER};
use crate::sip::host;
use crate::sip::uri::SipUri;

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
///
/// Always inlined, so that the name-addr recogniser, compiled in another module, holds its own
/// copy (measured on the simulator bench: as a call from there it costs 1.5 K instructions per
/// delivery more).
#[inline(always)]
pub(super) fn sip_uri_prefix(text: &str, from: usize) -> Option<(SipUri<'_>, usize)> {
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
