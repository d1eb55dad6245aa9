//! The proxy's fast path for messages whose header rows all lie in the serializer's form.
//!
//! Almost every message a proxy relays was written by a node of this stack: each row is
//! `name: value` CRLF with one space after the colon, no fold and no trailing white space. Such a
//! message's rows are already the bytes the general writer would produce, so the proxy copies
//! them in as few runs as its edits allow (one memcpy from one edit to the next) instead of
//! deciding row by row.
//!
//! Whether the whole header section is in that form is settled in one pass over the rows (each
//! must start where the one before it ended, with `: ` after its name and CRLF right after its
//! value) and one vectorised count of the CRs in the rows' bytes: with exactly one CR per row,
//! no value holds a fold. Anything else is left to the general writer, which gives the same
//! bytes (the differential tests in `wire_tests` and `wire_plain_tests` check both agree).
//!
//! A message the parser framed row by row in that very form
//! ([`Message::rows_as_serialized`]) needs no walk at all: only the rows the proxy edits are
//! looked up (the single Max-Forwards and Content-Length rows by index, the Via rows by kind)
//! and the spans between them copied, one copy from one edit to the next.

use super::{push_row, Header, HeaderKind, Message, WireOut};
use std::ops::Range;

/// The header rows of one message, walked in order, each checked to lie in serializer form
/// right after the one before it.
pub(super) struct PlainRows<'m> {
    head: &'m [u8],
    /// Where the next row must start.
    next_at: usize,
    /// Whether the message has a Via row.
    has_via: bool,
}

/// One row of a walk: its bytes from name to CRLF, and its name's.
pub(super) struct PlainRow {
    /// The whole row, CRLF included.
    line: Range<usize>,
    /// The row's name.
    name: Range<usize>,
}

impl<'m> PlainRows<'m> {
    /// The walk over `msg`'s rows, or `None` when some value holds a fold (more CRs in the
    /// rows' bytes than rows) or the rows do not end right before the empty line.
    pub(super) fn of(msg: &'m Message<'m>) -> Option<Self> {
        let head = msg.head().as_bytes();
        let rows_end = head.len().checked_sub(2)?;
        let first = msg.rows().next();
        let rows_at = first.map_or(rows_end, |row| msg.offset_of(row.name));
        let rows = head.get(rows_at..rows_end)?;
        let lines = memchr::memchr_iter(b'\r', rows).count();
        // A Via on top (every request a node relays) answers the question without a search.
        let has_via = first.is_some_and(|row| row.kind == HeaderKind::Via)
            || msg.rows_of(HeaderKind::Via).next().is_some();
        (lines == msg.row_count()).then_some(PlainRows {
            head,
            next_at: rows_at,
            has_via,
        })
    }

    /// The next row, whose value `value` is, when it is written `name: value` CRLF right
    /// where the previous one ended; `None` otherwise.
    ///
    /// With one CR per row (checked by [`of`](Self::of)) each row is one line, so it starts
    /// where the one before it ended, with its name (framing rejects anything else there).
    /// The value is the row's text after the colon and the white space that follows it: with
    /// `: ` right before it and no white space before that colon, the name is everything from
    /// the line's start to the colon.
    #[inline]
    pub(super) fn next(&mut self, msg: &Message<'_>, value: &str) -> Option<PlainRow> {
        let name_at = self.next_at;
        let value_at = msg.offset_of(value);
        let value_end = value_at + value.len();
        let colon_at = value_at.checked_sub(2)?;
        let plain = colon_at > name_at
            && self.head.get(colon_at..value_at) == Some(b": ")
            && !matches!(self.head.get(colon_at - 1), Some(b' ' | b'\t'))
            && self.head.get(value_end..value_end + 2) == Some(b"\r\n");
        if !plain {
            return None;
        }
        self.next_at = value_end + 2;
        Some(PlainRow {
            line: name_at..self.next_at,
            name: name_at..colon_at,
        })
    }

    /// Whether every row has been walked: the next one would start at the empty line.
    pub(super) fn finished(&self) -> bool {
        self.next_at + 2 == self.head.len()
    }

    /// Appends the received bytes in `range` (rows already walked) to `out`.
    #[inline]
    pub(super) fn copy(&self, range: Range<usize>, out: &mut impl WireOut) {
        if let Some(bytes) = self.head.get(range) {
            out.put_slice(bytes);
        }
    }
}

/// Appends `msg`'s rows to `out` as a proxy forwards them (RFC 3261 section 16.6):
/// Content-Length and Max-Forwards rows dropped, `Max-Forwards: <max_forwards>` right below
/// the first Via row (on top without one), every other row copied. False, with `out` as it
/// was, when some row is not in serializer form.
pub(super) fn forwarded_rows(
    msg: &Message<'_>,
    max_forwards: &str,
    out: &mut impl WireOut,
) -> bool {
    if msg.rows_as_serialized() && forwarded_as_serialized(msg, max_forwards, out) {
        return true;
    }
    let Some(mut rows) = PlainRows::of(msg) else {
        return false;
    };
    let mark = out.mark();
    let mut placed = !rows.has_via;
    if placed {
        push_row(out, "Max-Forwards", &[max_forwards]);
    }
    let mut run = rows.next_at;
    for (kind, value) in msg.row_values() {
        let Some(row) = rows.next(msg, value) else {
            out.cut_to(mark);
            return false;
        };
        match kind {
            HeaderKind::ContentLength | HeaderKind::MaxForwards => {
                rows.copy(run..row.line.start, out);
                run = row.line.end;
            }
            HeaderKind::Via if !placed => {
                rows.copy(run..row.line.end, out);
                push_row(out, "Max-Forwards", &[max_forwards]);
                run = row.line.end;
                placed = true;
            }
            _ => {}
        }
    }
    if !rows.finished() {
        out.cut_to(mark);
        return false;
    }
    rows.copy(run..rows.next_at, out);
    true
}

/// Appends `response`'s rows to `out` as a proxy relays them (RFC 3261 section 16.7): the top
/// Via row (the proxy's own) and Content-Length rows dropped, every other row copied. False,
/// with `out` as it was, unless every row is in serializer form and the Via rows are next to
/// each other, one hop each (no comma), and all below the top one named `Via`: the case
/// where the general rewrite leaves the rows below where they were.
pub(super) fn relayed_rows(response: &Message<'_>, out: &mut impl WireOut) -> bool {
    if response.rows_as_serialized() && relayed_as_serialized(response, out) {
        return true;
    }
    let Some(mut rows) = PlainRows::of(response) else {
        return false;
    };
    let mark = out.mark();
    let mut run = rows.next_at;
    // Where the last Via row ended, once one has been seen.
    let mut via_end: Option<usize> = None;
    let mut plain = true;
    for (kind, value) in response.row_values() {
        let Some(row) = rows.next(response, value) else {
            plain = false;
            break;
        };
        match kind {
            HeaderKind::Via => {
                let one_hop = memchr::memchr(b',', value.as_bytes()).is_none();
                match via_end {
                    None if one_hop => {
                        rows.copy(run..row.line.start, out);
                        run = row.line.end;
                    }
                    Some(end)
                        if one_hop
                            && end == row.line.start
                            && rows.head.get(row.name.clone()) == Some(b"Via") => {}
                    _ => {
                        plain = false;
                        break;
                    }
                }
                via_end = Some(row.line.end);
            }
            HeaderKind::ContentLength => {
                rows.copy(run..row.line.start, out);
                run = row.line.end;
            }
            _ => {}
        }
    }
    if !plain || !rows.finished() {
        out.cut_to(mark);
        return false;
    }
    rows.copy(run..rows.next_at, out);
    true
}

/// The line of `row`, a row of `msg` whose rows are as serialized: from its name to its CRLF.
fn line_of(msg: &Message<'_>, row: &Header<'_>) -> Range<usize> {
    msg.offset_of(row.name)..msg.offset_of(row.value) + row.value.len() + 2
}

/// The span of `msg`'s rows: from the first row's name to the empty line.
fn rows_span(msg: &Message<'_>) -> Range<usize> {
    let end = msg.head().len().saturating_sub(2);
    msg.rows().next().map_or(end, |row| msg.offset_of(row.name))..end
}

/// A row the proxy adds, written at `at` (the end of a line, or the rows' start).
struct Added<'v> {
    /// Where the row goes.
    at: usize,
    /// The row's name.
    name: &'static str,
    /// The row's value.
    value: &'v str,
}

/// Appends `msg`'s rows in `span` to `out` but for the lines `cuts` (in any order; `None` for
/// absent ones), with `added` written where it goes. False, with `out` as it was, unless the
/// runs between the edits lie in order within the rows.
fn copy_around(
    msg: &Message<'_>,
    span: Range<usize>,
    mut cuts: [Option<Range<usize>>; 2],
    mut added: Option<Added<'_>>,
    out: &mut impl WireOut,
) -> bool {
    let head = msg.head().as_bytes();
    if let [Some(first), Some(second)] = &cuts {
        if second.start < first.start {
            cuts.swap(0, 1);
        }
    }
    let mark = out.mark();
    let mut from = span.start;
    let mut in_order = true;
    let [first, second] = cuts;
    // The rows' end closes the last run.
    for cut in [first, second, Some(span.end..span.end)] {
        let Some(cut) = cut else {
            continue;
        };
        if let Some(row) = added.take_if(|row| row.at <= cut.start) {
            in_order &= copy_run(head, from..row.at, out);
            push_row(out, row.name, &[row.value]);
            from = row.at;
        }
        in_order &= copy_run(head, from..cut.start, out);
        from = cut.end;
    }
    if !in_order || added.is_some() {
        out.cut_to(mark);
        return false;
    }
    true
}

/// Appends `head`'s bytes in `run` to `out`; false when the run does not lie in `head`.
#[inline]
fn copy_run(head: &[u8], run: Range<usize>, out: &mut impl WireOut) -> bool {
    match head.get(run) {
        Some(bytes) => {
            out.put_slice(bytes);
            true
        }
        None => false,
    }
}

/// [`forwarded_rows`] for a message whose rows are as serialized: the Max-Forwards and
/// Content-Length rows (one each at most, else false) cut, Max-Forwards written below the top
/// Via row, everything between copied as received.
fn forwarded_as_serialized(msg: &Message<'_>, max_forwards: &str, out: &mut impl WireOut) -> bool {
    let single = |kind| {
        msg.single(kind)
            .map(|row| row.map(|row| line_of(msg, &row)))
    };
    let (Ok(hops), Ok(length)) = (
        single(HeaderKind::MaxForwards),
        single(HeaderKind::ContentLength),
    ) else {
        return false;
    };
    let span = rows_span(msg);
    let at = msg
        .rows_of(HeaderKind::Via)
        .next()
        .map_or(span.start, |via| line_of(msg, &via).end);
    let added = Added {
        at,
        name: "Max-Forwards",
        value: max_forwards,
    };
    copy_around(msg, span, [hops, length], Some(added), out)
}

/// [`relayed_rows`] for a response whose rows are as serialized: the top Via row and the
/// Content-Length row (one at most) cut, everything between copied as received. False unless
/// the Via rows are next to each other and one hop each, as [`relayed_rows`] requires.
fn relayed_as_serialized(response: &Message<'_>, out: &mut impl WireOut) -> bool {
    let Ok(length) = response.single(HeaderKind::ContentLength) else {
        return false;
    };
    let one_hop = |via: &Header<'_>| memchr::memchr(b',', via.value.as_bytes()).is_none();
    let mut vias = response.rows_of(HeaderKind::Via);
    let top = match vias.next() {
        Some(top) if one_hop(&top) => Some(line_of(response, &top)),
        Some(_) => return false,
        None => None,
    };
    let mut end = top.as_ref().map(|top| top.end);
    for via in vias {
        let line = line_of(response, &via);
        if end != Some(line.start) || !one_hop(&via) || via.name != "Via" {
            return false;
        }
        end = Some(line.end);
    }
    let length = length.map(|row| line_of(response, &row));
    copy_around(response, rows_span(response), [top, length], None, out)
}

#[cfg(test)]
#[path = "wire_plain_tests.rs"]
mod tests;
