//! A proxy's copy of a request and its relay of a response written as runs of the received
//! bytes, start line and Content-Length row included.
//!
//! A message a node of this stack wrote lies, from its start line to its body, exactly as the
//! general writers ([`super::ForwardedRequest::write_to`], [`super::RelayedResponse::write_to`])
//! write the proxy's copy but for the rows the proxy edits: the start line as the writer
//! writes it, every row `Canonical-Name: value` ([`Message::rows_as_serialized`]), and the
//! Content-Length row last, giving the body's length in plain decimal. A relay (RFC 3261
//! section 16.7) is then the received bytes before the top Via row and those after it through
//! the body: two copies. A copy of a request (section 16.6) is the bytes through the top Via
//! row, the new Max-Forwards row, and the bytes around the old one through the body; when the
//! old row sits where the new one goes with as many digits (a node's, but every tenth hop),
//! the whole is one copy with the digits written over (with a new Request-URI, the Request-Line
//! is written and the copy starts below it). That replaces a start line, runs of rows and a
//! Content-Length row written piece by piece. Anything else
//! declines, and the general writers, which stay the judges, write the message (the
//! differential tests in `wire_verbatim_tests` check both agree).

use super::{finish, HeaderKind, Message, StartLine, WireOut};
use std::ops::Range;

/// A Via row's name, colon and SP, as a serialized row starts.
const VIA_NAME: &[u8; 5] = b"Via: ";

/// A Max-Forwards row's name, colon and SP.
const MAX_FORWARDS_NAME: &[u8; 14] = b"Max-Forwards: ";

/// A Content-Length row's name, colon and SP.
const CONTENT_LENGTH_NAME: &[u8; 16] = b"Content-Length: ";

/// Appends the relay of `response` to `out` when it can be copied as received (see the module
/// doc); false, with nothing written, otherwise.
pub(super) fn relayed(response: &Message<'_>, out: &mut impl WireOut) -> bool {
    if !response.rows_as_serialized() {
        return false;
    }
    let head = response.head().as_bytes();
    let Some((from, rows_at)) = status_line(response, head) else {
        return false;
    };
    let Some(edits) = relay_edits(response, head) else {
        return false;
    };
    let rows_end = head.len().saturating_sub(2);
    let body = response.body();
    // The cut Via row (none without a Via), then what follows it, in order.
    let top = edits.top.unwrap_or(rows_at..rows_at);
    let length_last = edits.length.as_ref().is_none_or(|length| {
        length.end == rows_end && length.start >= top.end && gives_length(head, length, body.len())
    });
    if top.start < from || top.end > rows_end || !length_last {
        return false;
    }
    let (Some(before), Some(after)) = (head.get(from..top.start), head.get(top.end..)) else {
        return false;
    };
    out.put_slice(before);
    match edits.length {
        // The received Content-Length row is the one the writer puts last: copied with the
        // empty line, the body follows.
        Some(_) => {
            out.put_slice(after);
            if !body.is_empty() {
                out.put_slice(body);
            }
        }
        None => {
            out.put_slice(
                after
                    .get(..after.len().saturating_sub(2))
                    .unwrap_or_default(),
            );
            finish(out, body);
        }
    }
    true
}

/// Where `response`'s status line starts and where the rows after it start, when the line lies
/// in `head` as the general writer writes it: the version as received, one SP, the code's three
/// digits, one SP, the reason phrase, CRLF.
fn status_line(response: &Message<'_>, head: &[u8]) -> Option<(usize, usize)> {
    let StartLine::Response {
        version,
        status,
        reason,
    } = *response.start_line()
    else {
        return None;
    };
    let at = response.offset_of(version);
    let code = status.code();
    // A status code has three digits (StatusCode holds 100..=699).
    let digits = [
        b' ',
        b'0' + (code / 100 % 10) as u8,
        b'0' + (code / 10 % 10) as u8,
        b'0' + (code % 10) as u8,
        b' ',
    ];
    let code_at = at + version.len();
    let reason_at = code_at + digits.len();
    let rows_at = reason_at + reason.len() + 2;
    let plain = (100..=999).contains(&code)
        && head.get(at..code_at).map(<[u8]>::as_ptr) == Some(version.as_ptr())
        && reads(head, code_at, &digits)
        && (reason.is_empty() || response.offset_of(reason) == reason_at)
        && reads(head, rows_at - 2, b"\r\n");
    plain.then_some((at, rows_at))
}

/// The rows a relay cuts: the top Via row (its line, CRLF included) and the Content-Length row.
struct RelayEdits {
    /// The top Via row, if any.
    top: Option<Range<usize>>,
    /// The Content-Length row, if any.
    length: Option<Range<usize>>,
}

/// The rows [`relayed`] cuts, when the Via rows are next to each other and one hop each and
/// there is one Content-Length row at most: the case where the general relay keeps the Via rows
/// below the top one as they are.
fn relay_edits(response: &Message<'_>, head: &[u8]) -> Option<RelayEdits> {
    let mut edits = RelayEdits {
        top: None,
        length: None,
    };
    // Where the last Via row seen ends.
    let mut vias_end = None;
    // Every row proven a node's (see `sip::node_rows`): each Via row holds one hop, no comma.
    let one_hop_rows = response.node_rows().all();
    for (kind, span) in response.row_lines() {
        match kind {
            HeaderKind::Via => {
                let value = value_of(head, &span, VIA_NAME)?;
                if !one_hop_rows && memchr::memchr(b',', value).is_some() {
                    return None;
                }
                let line = span.start..span.end + 2;
                match vias_end {
                    None => edits.top = Some(line.clone()),
                    Some(end) if end == line.start => {}
                    Some(_) => return None,
                }
                vias_end = Some(line.end);
            }
            HeaderKind::ContentLength => {
                value_of(head, &span, CONTENT_LENGTH_NAME)?;
                if edits.length.replace(span.start..span.end + 2).is_some() {
                    return None;
                }
            }
            _ => {}
        }
    }
    Some(edits)
}

/// The value of the row at `span` (from its name to its value's end), when the row reads
/// `name` (name, colon, SP) before the value and CRLF right after it.
#[inline]
fn value_of<'h, const N: usize>(
    head: &'h [u8],
    span: &Range<usize>,
    name: &[u8; N],
) -> Option<&'h [u8]> {
    let plain = reads(head, span.start, name) && reads(head, span.end, b"\r\n");
    plain.then(|| head.get(span.start + N..span.end)).flatten()
}

/// Whether `head` holds `text` at `at`: a compare of `N` bytes the compiler writes in place.
#[inline]
fn reads<const N: usize>(head: &[u8], at: usize, text: &[u8; N]) -> bool {
    head.get(at..).and_then(<[u8]>::first_chunk::<N>) == Some(text)
}

/// Whether the Content-Length row `line` gives `body_len` as the writer writes it: in decimal,
/// no leading zero.
fn gives_length(head: &[u8], line: &Range<usize>, body_len: usize) -> bool {
    let Some(value) = head.get(line.start + CONTENT_LENGTH_NAME.len()..line.end - 2) else {
        return false;
    };
    let plain = match value {
        [b'0'] => true,
        [first, ..] => *first != b'0',
        [] => false,
    };
    let number = value.iter().try_fold(0u64, |n, &digit| {
        let digit = digit.is_ascii_digit().then(|| u64::from(digit - b'0'))?;
        n.checked_mul(10)?.checked_add(digit)
    });
    plain && number == Some(body_len as u64)
}

/// Writes the proxy's copy of request `msg` (see [`super::forwarded_request`]) into `out`,
/// which holds the Via room only, when its rows can be copied as received: every row in
/// serializer form, one Max-Forwards row at most and below the top Via row, and the
/// Content-Length row (if any) last, giving the body's length as the writer writes it. Without
/// a new Request-URI, the Request-Line is copied too when it reads `method SP uri SP version`
/// CRLF. Returns what [`super::ForwardedRequest::write_to`] returns; `None`, with nothing
/// written, otherwise.
pub(super) fn forwarded(
    msg: &Message<'_>,
    uri: Option<&str>,
    max_forwards: &[u8],
    out: &mut impl WireOut,
) -> Option<(usize, usize)> {
    if !msg.rows_as_serialized() || max_forwards.len() > MAX_FORWARDS_DIGITS_MAX {
        return None;
    }
    let StartLine::Request {
        method,
        uri: received,
        version,
    } = *msg.start_line()
    else {
        return None;
    };
    let method = method.as_str();
    let head = msg.head().as_bytes();
    let rows_end = head.len().checked_sub(2)?;
    let edits = forward_edits(msg, head)?;
    let rows_at = edits.rows_at.unwrap_or(rows_end);
    // Max-Forwards goes right below the top Via row, on top without one.
    let hops_at = edits.top_via_end.unwrap_or(rows_at);
    let rest_at = match &edits.hops {
        Some(hops) if hops.start < hops_at => return None,
        Some(hops) => hops.end,
        None => hops_at,
    };
    let length_last = edits.length.as_ref().is_none_or(|length| {
        length.end == rows_end
            && length.start >= rest_at
            && gives_length(head, length, msg.body().len())
    });
    if !length_last || hops_at > rows_end {
        return None;
    }
    // The Request-Line as received, or written with the new Request-URI.
    let line_at = rows_at.checked_sub(method.len() + received.len() + version.len() + 4)?;
    let from = match uri {
        Some(_) => rows_at,
        None => {
            let uri_at = line_at + method.len() + 1;
            let version_at = uri_at + received.len() + 1;
            let plain = head.get(line_at..uri_at - 1) == Some(method.as_bytes())
                && head.get(uri_at - 1) == Some(&b' ')
                && msg.offset_of(received) == uri_at
                && head.get(version_at - 1) == Some(&b' ')
                && msg.offset_of(version) == version_at
                && reads(head, rows_at - 2, b"\r\n");
            if !plain {
                return None;
            }
            line_at
        }
    };
    // The received Max-Forwards row right where the new one goes, with as many digits (every
    // hop but the one from 10 or 100): the rows are copied whole and its digits written over.
    let in_place = edits.hops.as_ref().filter(|hops| {
        hops.start == hops_at && hops.len() == MAX_FORWARDS_NAME.len() + max_forwards.len() + 2
    });
    let tail_at = in_place.map_or(rest_at, |_| from);
    let (Some(above), Some(tail)) = (head.get(from..hops_at), head.get(tail_at..)) else {
        return None;
    };
    let between = edits
        .hops
        .as_ref()
        .and_then(|hops| head.get(hops_at..hops.start))
        .filter(|between| !between.is_empty());
    if let Some(uri) = uri {
        for part in [method, " ", uri, " ", version, "\r\n"] {
            out.put_slice(part.as_bytes());
        }
    }
    let via_at = out.mark() + (rows_at - from);
    let digits_at = in_place.map(|hops| out.mark() + hops.start + MAX_FORWARDS_NAME.len() - from);
    if in_place.is_none() {
        out.put_slice(above);
        out.put_slice(max_forwards_row(
            max_forwards,
            &mut [0; MAX_FORWARDS_ROW_BYTES_MAX],
        ));
        if let Some(between) = between {
            out.put_slice(between);
        }
    }
    match edits.length {
        // The received Content-Length row is the one the writer puts last: copied with the
        // empty line, the body follows.
        Some(_) => {
            out.put_slice(tail);
            if !msg.body().is_empty() {
                out.put_slice(msg.body());
            }
        }
        None => {
            out.put_slice(tail.get(..tail.len().saturating_sub(2)).unwrap_or_default());
            finish(out, msg.body());
        }
    }
    if let Some(at) = digits_at {
        out.overwrite(at, max_forwards);
    }
    Some((via_at, method.len()))
}

/// Digits of a Max-Forwards value at most (up to 255).
const MAX_FORWARDS_DIGITS_MAX: usize = 3;

/// The longest Max-Forwards row written in one piece: name, digits, CRLF.
const MAX_FORWARDS_ROW_BYTES_MAX: usize = MAX_FORWARDS_NAME.len() + MAX_FORWARDS_DIGITS_MAX + 2;

/// The row `Max-Forwards: <digits>` CRLF, put together in `room` so that it is appended in one
/// copy ([`forwarded`] takes no more digits than the room holds).
fn max_forwards_row<'r>(digits: &[u8], room: &'r mut [u8; MAX_FORWARDS_ROW_BYTES_MAX]) -> &'r [u8] {
    let (name, rest) = room.split_at_mut(MAX_FORWARDS_NAME.len());
    name.copy_from_slice(MAX_FORWARDS_NAME);
    let len = digits.len().min(MAX_FORWARDS_DIGITS_MAX);
    if let (Some(value), Some(from)) = (rest.get_mut(..len), digits.get(..len)) {
        value.copy_from_slice(from);
    }
    if let Some(crlf) = rest.get_mut(len..len + 2) {
        crlf.copy_from_slice(b"\r\n");
    }
    room.get(..MAX_FORWARDS_NAME.len() + len + 2)
        .unwrap_or_default()
}

/// What a proxy's copy of a request edits: the Max-Forwards and Content-Length rows it cuts
/// (lines, CRLF included), and where its Max-Forwards row goes.
struct ForwardEdits {
    /// Where the first row starts, if there is one.
    rows_at: Option<usize>,
    /// Where the top Via row ends, CRLF included, if there is one.
    top_via_end: Option<usize>,
    /// The Max-Forwards row, if any.
    hops: Option<Range<usize>>,
    /// The Content-Length row, if any.
    length: Option<Range<usize>>,
}

/// The rows [`forwarded`] edits, when there is one Max-Forwards and one Content-Length row at
/// most, each read with its canonical name.
fn forward_edits(msg: &Message<'_>, head: &[u8]) -> Option<ForwardEdits> {
    let mut edits = ForwardEdits {
        rows_at: None,
        top_via_end: None,
        hops: None,
        length: None,
    };
    for (kind, span) in msg.row_lines() {
        edits.rows_at.get_or_insert(span.start);
        let (slot, plain) = match kind {
            HeaderKind::Via if edits.top_via_end.is_none() => {
                value_of(head, &span, VIA_NAME)?;
                edits.top_via_end = Some(span.end + 2);
                continue;
            }
            HeaderKind::MaxForwards => (&mut edits.hops, value_of(head, &span, MAX_FORWARDS_NAME)),
            HeaderKind::ContentLength => (
                &mut edits.length,
                value_of(head, &span, CONTENT_LENGTH_NAME),
            ),
            _ => continue,
        };
        plain?;
        if slot.replace(span.start..span.end + 2).is_some() {
            return None;
        }
    }
    Some(edits)
}

#[cfg(test)]
#[path = "wire_verbatim_tests.rs"]
mod tests;
