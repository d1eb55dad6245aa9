//! The header section as this project's nodes write it, framed in one tight loop: every row is
//! `Canonical-Name: value` CRLF (a name [`canonical_name`] knows, its colon, one SP, a value
//! with no LWS at either end and no control byte), no fold, no stray CR or LF, within every
//! limit.
//!
//! Each line end is found eight bytes a step (one word test for control bytes), the name by
//! [`canonical_name`], the value by position; a row is complete when its own line ends, since
//! no row is folded; the limits are checked on the totals at the end, since the general
//! scanner's budget only grows row by row. The general scanner ([`framing::scan`]) decides row
//! by row whether a line continues the row above, reads any name, trims any LWS, and names the
//! first error and its offset.
//!
//! For a header section of that shape both give the same head, rows and Content-Length: the
//! line ends are the same first CR or LF, each name is the one the general reading finds (see
//! [`canonical_name`]), each value is the one its trimming keeps, and the section is within
//! the same limits. At the first line of any other shape, and at anything the general scanner
//! would refuse, this answers `None` and the caller frames the datagram with the general
//! scanner, which gives its usual result or error. `plain_head_tests` checks the agreement.
//!
//! [`canonical_name`]: super::canonical_name
//! [`framing::scan`]: super::framing::scan

use super::canonical_name::canonical_name_then;
use super::chars::{controls, is_lws};
use super::content_length::ContentLength;
use super::framing::{skip_leading_crlf, Head, Row, Span, CONTENT_LENGTH_ROW_BYTES_MAX};
use super::header_name::HeaderKind;
use super::node_rows::NodeRows;
use super::row_table::RowTable;
use crate::limits::{SIP_HEADER_ROWS_MAX, SIP_HEADER_SECTION_BYTES_MAX, SIP_LINE_LENGTH_BYTES_MAX};

/// A header section framed by [`scan_plain`]: its layout and its Content-Length (the rows go
/// to the caller's table).
pub(crate) struct PlainHead {
    /// Where the start line and the header section lie.
    pub head: Head,
    /// The Content-Length value, when the section has that row.
    pub content_length: Option<usize>,
    /// What the framing proved of the rows (see [`node_rows`](super::node_rows)).
    pub node_rows: NodeRows,
}

/// Where the line that holds `buf[from]` ends, when its first byte below 0x0E at or after
/// `from` is the CR of a CRLF; `None` for anything else (a bare CR or LF, a control byte such
/// as HTAB, no line end). The general scanner's line end is the first CR or LF, so it is the
/// same byte. Eight bytes a step: [`controls`] flags the bytes below 0x0E, the lowest exactly.
#[inline(always)]
fn crlf_from(buf: &[u8], from: usize) -> Option<usize> {
    let rest = buf.get(from..)?;
    let mut words = rest.chunks_exact(8);
    let mut at = 0;
    for word in words.by_ref() {
        let hit = controls(word.try_into().ok()?);
        if hit != 0 {
            at += (hit.trailing_zeros() / 8) as usize;
            return (rest.get(at..at + 2) == Some(b"\r\n")).then_some(from + at);
        }
        at += 8;
    }
    let tail = words.remainder();
    at += tail.iter().position(|&b| b < 0x0E)?;
    (rest.get(at..at + 2) == Some(b"\r\n")).then_some(from + at)
}

/// The row of the header line at `buf[pos..]` and where the line ends, when the line is
/// `Canonical-Name: value` CRLF with one SP after the colon, no LWS at the value's end and no
/// control byte; `None` for any other line. A value the exact reader of its kind takes up to
/// the CRLF is proven in `proof` (its end is the line end the search would find, see
/// [`node_rows`](super::node_rows)); any other value is searched for its line end.
///
/// [`canonical_name_then`] reads the name, its colon and the SP after it from the line's first
/// eight, nine or sixteen bytes, which may run into the next line: the bytes it matches hold no
/// CR or LF, so they lie within this line, and the general reading of the line finds the same
/// name.
///
/// The row is read in the branch of [`canonical_name_then`] that found its name, where the
/// name's length and kind are constants: each kind's row is compiled with its own exact
/// reader alone, without a second branch on the kind.
#[inline(always)]
fn plain_row(buf: &[u8], pos: usize, proof: &mut NodeRows) -> Option<(Row, usize)> {
    canonical_name_then(
        buf.get(pos..)?,
        #[inline(always)]
        |name_len, kind| {
            // The name, its colon and the SP after it (which `canonical_name_then` checked).
            let value_at = pos + name_len + 2;
            let proven = proof
                .value_end(kind, buf, value_at)
                .filter(|&end| starts_with_crlf(buf, end));
            let eol = match proven {
                // A proven value is not empty, and no exact reader takes LWS at either end.
                Some(end) => end,
                None => {
                    proof.not_proven();
                    let eol = crlf_from(buf, value_at)?;
                    match (buf.get(value_at), buf.get(eol - 1)) {
                        (Some(&first), Some(&last))
                            if eol > value_at && !is_lws(first) && !is_lws(last) => {}
                        _ => return None,
                    }
                    eol
                }
            };
            let row = Row {
                kind,
                name: Span::new(pos, pos + name_len),
                value: Span::new(value_at, eol),
            };
            Some((row, eol))
        },
    )
}

/// The head and Content-Length of `buf`'s header section, its rows pushed on `rows`, when
/// every row is in the plain form and the general scanner would frame it without error, else
/// `None` (with some rows possibly pushed).
// Always inlined: `parse_datagram` is its hot caller, and the fuzz oracle's second call must
// not make the compiler keep it out of line there.
#[inline(always)]
pub(crate) fn scan_plain(buf: &[u8], rows: &mut RowTable) -> Option<PlainHead> {
    let start = skip_leading_crlf(buf);
    if start > SIP_HEADER_SECTION_BYTES_MAX {
        return None;
    }
    let start_line_end = crlf_from(buf, start)?;
    if start_line_end == start || start_line_end - start > SIP_LINE_LENGTH_BYTES_MAX {
        return None;
    }
    let mut length = ContentLength::default();
    let mut proof = NodeRows::new();
    let first_row = rows.len();
    let mut pos = start_line_end + 2;
    while !starts_with_crlf(buf, pos) {
        let (row, eol) = plain_row(buf, pos, &mut proof)?;
        if kind_is_content_length(row.kind) {
            length.see(buf, &row).ok()?;
        }
        rows.push(row);
        pos = eol + 2;
    }
    let end = pos + 2;
    // The general scanner's limits, checked on the whole section rather than row by row: it
    // refuses a section with this many rows, and a line longer than the line limit; a line
    // (from its row's name to its value's end) lies within the section, so only a section
    // longer than that limit needs its lines looked at.
    if rows.len() >= SIP_HEADER_ROWS_MAX {
        return None;
    }
    if end - start > SIP_LINE_LENGTH_BYTES_MAX
        && rows
            .iter()
            .skip(first_row)
            .any(|row| row.value.end - row.name.start > SIP_LINE_LENGTH_BYTES_MAX as u32)
    {
        return None;
    }
    // The general scanner's budget: the start line, each row and the empty line as the
    // serializer writes them (here, as written) and a Content-Length row; it only grows row by
    // row, so a section within it at the end was within it at every row.
    if end - start + CONTENT_LENGTH_ROW_BYTES_MAX > SIP_HEADER_SECTION_BYTES_MAX {
        return None;
    }
    Some(PlainHead {
        head: Head {
            start,
            start_line: Span::new(start, start_line_end),
            end,
        },
        content_length: length.value,
        node_rows: proof,
    })
}

/// Whether `buf[at..]` starts with CRLF (one length test and one two-byte compare).
#[inline(always)]
fn starts_with_crlf(buf: &[u8], at: usize) -> bool {
    buf.get(at..).is_some_and(|rest| rest.starts_with(b"\r\n"))
}

/// Whether a row of `kind` is a Content-Length row.
#[inline(always)]
fn kind_is_content_length(kind: HeaderKind) -> bool {
    kind == HeaderKind::ContentLength
}

#[cfg(test)]
#[path = "plain_head_tests.rs"]
mod tests;
