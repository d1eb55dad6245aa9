//! The plain `Request-Line` (`Method SP Request-URI SP SIP-Version`) and `Status-Line`
//! (`SIP-Version SP Status-Code SP Reason-Phrase`) of RFC 3261 section 25.1.

use super::node_shapes::{self, UriParts};
use crate::sip::chars::{self, run, TOKEN};
use crate::sip::start_line::{Method, StartLine, StatusCode};

/// The SIP-Version this stack writes.
const SIP_2_0: &[u8] = b"SIP/2.0";

/// The method `MESSAGE` (RFC 3428) and the SP after it.
const MESSAGE_SP: &[u8] = b"MESSAGE ";

/// `Method SP Request-URI SP SIP/2.0` with a URI free of blanks and `<`, or
/// `SIP/2.0 SP 3DIGIT SP Reason-Phrase` with a code from 100 to 699; and the parts of a
/// Request-URI that is the exact SIP URI nodes write (see [`node_shapes::is_sip_uri`]): that URI
/// is read first, and where it ends at the SP before the version, that SP is the first blank
/// the search for the URI's end would find (no byte of it is a blank), so the line reads the
/// same.
///
/// Marked `#[inline]` so that [`StartLine::parse`], its one caller, compiled in another module,
/// holds it (measured on the simulator bench: as a call it costs 20 instructions per message).
#[inline]
pub(crate) fn start_line_noting_uri(line: &str) -> Option<(StartLine<'_>, Option<UriParts>)> {
    let b = line.as_bytes();
    if let Some(rest) = b.strip_prefix(SIP_2_0) {
        let &[b' ', d0, d1, d2, b' ', ..] = rest else {
            return None;
        };
        if !(d0.is_ascii_digit() && d1.is_ascii_digit() && d2.is_ascii_digit()) {
            return None;
        }
        let code = u16::from(d0 - b'0') * 100 + u16::from(d1 - b'0') * 10 + u16::from(d2 - b'0');
        let response = StartLine::Response {
            version: line.get(..SIP_2_0.len())?,
            status: StatusCode::new(code)?,
            reason: line.get(SIP_2_0.len() + 5..)?,
        };
        return Some((response, None));
    }
    // The method nearly every request carries, then its SP: every byte of it is a token
    // byte and the SP is not, so the run of token bytes ends at that SP.
    let method_end = if b.starts_with(MESSAGE_SP) {
        MESSAGE_SP.len() - 1
    } else {
        run(b, 0, TOKEN)
    };
    if method_end == 0 || b.get(method_end) != Some(&b' ') {
        return None;
    }
    let uri_at = method_end + 1;
    let node_uri =
        node_shapes::sip_uri_parts(b, uri_at).filter(|&(end, _)| b.get(end) == Some(&b' '));
    let uri_end = match node_uri {
        Some((end, _)) => end,
        None => chars::find_of(b, uri_at, b" \t")?,
    };
    if uri_end == uri_at || b.get(uri_end) != Some(&b' ') || b.get(uri_at) == Some(&b'<') {
        return None;
    }
    if b.get(uri_end + 1..) != Some(SIP_2_0) {
        return None;
    }
    let request = StartLine::Request {
        // `run` stopped at the first non-token byte, and the method is not empty.
        method: Method::checked(line.get(..method_end)?),
        uri: line.get(uri_at..uri_end)?,
        version: line.get(uri_end + 1..)?,
    };
    Some((request, node_uri.map(|(_, parts)| parts)))
}
