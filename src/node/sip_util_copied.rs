//! The rows a response repeats from its request (RFC 3261 section 8.2.6.2), copied in runs of
//! the request's own bytes.
//!
//! A request a node of this stack wrote holds every row as `Canonical-Name: value` CRLF
//! ([`Message::rows_as_serialized`]), its Via rows one above the other, and From, To, Call-ID
//! and CSeq next to each other: the rows the response repeats are then contiguous runs of the
//! request, the same bytes the general writer (`rows_written`) writes row by row. Here they are
//! copied a run at a time, the To tag written where the To value ends. Anything else declines,
//! and the general writer, which stays the judge, writes the rows (the differential tests in
//! `sip_util_copied_tests` check both agree).

use super::adds_tag;
use crate::sip::{HeaderKind, Message};
use bytes::{BufMut, BytesMut};
use std::ops::Range;

/// The rows the response repeats, as spans of the request's header section (from a row's name
/// to its value's end).
#[derive(Default)]
struct Repeated {
    /// The Via rows, one above the other: from the first one's name to the last one's CRLF.
    vias: Option<Range<usize>>,
    /// The first From, To, Call-ID and CSeq rows.
    from: Option<Range<usize>>,
    to: Option<Range<usize>>,
    call_id: Option<Range<usize>>,
    cseq: Option<Range<usize>>,
}

/// Appends to `out` the rows `rows_written` writes for `request` (its Via elements, From, To
/// with `to_tag`, Call-ID and CSeq) when they can be copied as received; false, with nothing
/// written, otherwise.
pub(super) fn rows_copied(out: &mut BytesMut, request: &Message<'_>, to_tag: &str) -> bool {
    if !request.rows_as_serialized() {
        return false;
    }
    let head = request.head().as_bytes();
    let Some(rows) = repeated(request, head) else {
        return false;
    };
    // The To tag goes right after the To value, when the general writer adds one.
    let tag_at = match &rows.to {
        Some(to) => {
            let Some(value) = request.text_at(to.start + "To: ".len(), to.len() - "To: ".len())
            else {
                return false;
            };
            // A node's To (proven) is `<uri>` or `<uri>;tag=token`: untagged when it ends at `>`.
            let adds = if request.node_rows().all() {
                !to_tag.is_empty() && value.ends_with('>')
            } else {
                adds_tag(request, value, to_tag)
            };
            adds.then_some(to.end)
        }
        None => None,
    };
    let mut runs = Runs {
        head,
        out,
        run: 0..0,
    };
    if let Some(vias) = rows.vias {
        runs.copy(vias);
    }
    for row in [rows.from, rows.to, rows.call_id, rows.cseq]
        .into_iter()
        .flatten()
    {
        match tag_at {
            Some(at) if at == row.end => {
                runs.copy(row.start..row.end);
                runs.flush();
                runs.out.put_slice(b";tag=");
                runs.out.put_slice(to_tag.as_bytes());
                runs.copy(row.end..row.end + 2);
            }
            _ => runs.copy(row.start..row.end + 2),
        }
    }
    runs.flush();
    true
}

/// The rows the response repeats, when each is in the form the general writer writes it: a
/// Via row holding one element (not empty, no comma, quote or bracket), every row with its
/// canonical name; `None` otherwise.
fn repeated(request: &Message<'_>, head: &[u8]) -> Option<Repeated> {
    let mut rows = Repeated::default();
    // Every row proven a node's (see `sip::node_rows`): each Via row holds one plain hop.
    let plain_hops = request.node_rows().all();
    for (kind, span) in request.row_lines() {
        let (slot, plain) = match kind {
            HeaderKind::Via => {
                let value = head.get(span.start + "Via: ".len()..span.end)?;
                let one = line_reads(head, &span, b"Via: ")
                    && (plain_hops
                        || !value.is_empty() && memchr::memchr3(b',', b'"', b'<', value).is_none());
                let line = span.start..span.end + 2;
                match &mut rows.vias {
                    _ if !one => return None,
                    None => rows.vias = Some(line),
                    Some(vias) if vias.end == line.start => vias.end = line.end,
                    Some(_) => return None,
                }
                continue;
            }
            HeaderKind::From => (&mut rows.from, line_reads(head, &span, b"From: ")),
            HeaderKind::To => (&mut rows.to, line_reads(head, &span, b"To: ")),
            HeaderKind::CallId => (&mut rows.call_id, line_reads(head, &span, b"Call-ID: ")),
            HeaderKind::CSeq => (&mut rows.cseq, line_reads(head, &span, b"CSeq: ")),
            _ => continue,
        };
        if slot.is_none() {
            if !plain {
                return None;
            }
            *slot = Some(span);
        }
    }
    Some(rows)
}

/// Whether the row at `span` (from its name to its value's end) starts with `name` (name,
/// colon, SP) and has its CRLF right after the value: compares of fixed length, in place.
#[inline]
fn line_reads<const N: usize>(head: &[u8], span: &Range<usize>, name: &[u8; N]) -> bool {
    let at = |at: usize| head.get(at..).unwrap_or_default();
    at(span.start).first_chunk::<N>() == Some(name) && at(span.end).first_chunk() == Some(b"\r\n")
}

/// Copies spans of the request's header section to the response, neighbouring ones in one copy.
struct Runs<'h, 'o> {
    head: &'h [u8],
    out: &'o mut BytesMut,
    /// The span waiting to be copied.
    run: Range<usize>,
}

impl Runs<'_, '_> {
    /// Copies `span`: joined to the waiting one when it follows it.
    fn copy(&mut self, span: Range<usize>) {
        if self.run.end == span.start && !self.run.is_empty() {
            self.run.end = span.end;
        } else {
            self.flush();
            self.run = span;
        }
    }

    /// Copies the waiting span.
    fn flush(&mut self) {
        if let Some(bytes) = self.head.get(self.run.clone()) {
            self.out.put_slice(bytes);
        }
        self.run = 0..0;
    }
}

#[cfg(test)]
#[path = "sip_util_copied_tests.rs"]
mod tests;
