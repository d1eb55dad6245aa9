//! The proxy's relay of a response written as runs of the received bytes, its status line and
//! Content-Length row included.
//!
//! A response a node of this stack wrote lies, from its status line to its body, exactly as the
//! general writer ([`super::RelayedResponse::write_to`]) writes the relay but for the rows the
//! proxy cuts (its own Via, RFC 3261 section 16.7): the status line `version SP code SP reason`,
//! every row `Canonical-Name: value` ([`Message::rows_as_serialized`]), and the Content-Length
//! row last, giving the body's length in plain decimal. Such a relay is the received bytes
//! before the top Via row, then those after it through the body: two copies instead of a
//! status line, three runs of rows and a Content-Length row written piece by piece. Anything
//! else declines, and the general writer, which stays the judge, writes the relay (the
//! differential tests in `wire_verbatim_tests` check both agree).

use super::{decimal_bytes, finish, HeaderKind, Message, StartLine, WireOut, DECIMAL_DIGITS_MAX};
use std::ops::Range;

/// A Via row's name, colon and SP, as a serialized row starts.
const VIA_NAME: &[u8] = b"Via: ";

/// A Content-Length row's name, colon and SP.
const CONTENT_LENGTH_NAME: &[u8] = b"Content-Length: ";

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
        && head.get(at..code_at) == Some(version.as_bytes())
        && head.get(code_at..reason_at) == Some(&digits[..])
        && (reason.is_empty() || response.offset_of(reason) == reason_at)
        && head.get(rows_at - 2..rows_at) == Some(b"\r\n");
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
    for (kind, span) in response.row_lines() {
        match kind {
            HeaderKind::Via => {
                let value = value_of(head, &span, VIA_NAME)?;
                if memchr::memchr(b',', value).is_some() {
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
fn value_of<'h>(head: &'h [u8], span: &Range<usize>, name: &[u8]) -> Option<&'h [u8]> {
    let value_at = span.start + name.len();
    let plain = head.get(span.start..value_at) == Some(name)
        && head.get(span.end..span.end + 2) == Some(b"\r\n");
    plain.then(|| head.get(value_at..span.end)).flatten()
}

/// Whether the Content-Length row `line` gives `body_len` as the writer writes it (plain
/// decimal, no leading zero).
fn gives_length(head: &[u8], line: &Range<usize>, body_len: usize) -> bool {
    let Some(value) = head.get(line.start + CONTENT_LENGTH_NAME.len()..line.end - 2) else {
        return false;
    };
    let mut digits = [0u8; DECIMAL_DIGITS_MAX];
    value == decimal_bytes(body_len as u64, &mut digits)
}

#[cfg(test)]
#[path = "wire_verbatim_tests.rs"]
mod tests;
