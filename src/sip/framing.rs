//! Where a SIP message starts and ends (RFC 3261 sections 7.5, 18.3 and 20.14).
//!
//! One scanner walks the header section line by line (CRLF only; a bare CR or LF is an error),
//! joining continuation lines (a line that starts with SP or HTAB) to the header above, and
//! reports each header row as spans. The datagram parser keeps the rows; the stream framer only
//! looks for Content-Length and allocates nothing. A datagram whose section is in the exact
//! form nodes write is framed first by [`plain_head`](super::plain_head), which leaves any
//! other section to this scanner.
//!
//! Datagram: the body is Content-Length bytes (bytes after it are ignored, fewer is an error),
//! or everything to the end when there is no Content-Length. Stream: CRLFs before the start line
//! are skipped, and Content-Length is mandatory.

use super::canonical_name::canonical_name;
use super::chars::{self, find_line_end, TOKEN};
use super::content_length::ContentLength;
use super::error::{Rule, SipError};
use super::header_name::HeaderKind;
use crate::limits::{
    SIP_BODY_BYTES_MAX, SIP_HEADER_ROWS_MAX, SIP_HEADER_SECTION_BYTES_MAX,
    SIP_LINE_LENGTH_BYTES_MAX,
};

/// A byte range `start..end` in the parsed buffer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct Span {
    pub start: u32,
    pub end: u32,
}

impl Span {
    pub(crate) fn new(start: usize, end: usize) -> Span {
        // Both ends are below SIP_HEADER_SECTION_BYTES_MAX + leading CRLFs, far below u32::MAX.
        Span {
            start: start as u32,
            end: end as u32,
        }
    }

    /// The number of bytes in the range.
    #[inline]
    pub fn len(self) -> usize {
        self.end.saturating_sub(self.start) as usize
    }

    /// The range as `usize`.
    #[inline]
    pub fn range(self) -> std::ops::Range<usize> {
        self.start as usize..self.end as usize
    }
}

/// One header row: its kind, name and (LWS-trimmed, possibly folded) value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct Row {
    pub kind: HeaderKind,
    pub name: Span,
    pub value: Span,
}

/// The layout of a complete header section.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Head {
    /// Where the start line begins (after skipped CRLFs).
    pub start: usize,
    /// The start line, CRLF excluded.
    pub start_line: Span,
    /// Index just after the empty line that ends the header section.
    pub end: usize,
}

/// Result of scanning a buffer that may not hold a whole header section yet.
pub(crate) enum Scan {
    /// The header section is complete.
    Complete(Head),
    /// More bytes are needed.
    Partial,
}

/// Index of the first byte after any CRLFs at the start of `buf`.
#[inline]
pub(crate) fn skip_leading_crlf(buf: &[u8]) -> usize {
    let mut i = 0;
    while buf.get(i..i + 2) == Some(b"\r\n") {
        i += 2;
    }
    i
}

/// Finds the end of the line starting at `pos`: `Ok(Some(eol))` with `buf[eol..eol + 2] == CRLF`,
/// `Ok(None)` if the buffer ends first. Always inlined: it runs once per line, and as a call
/// its set-up costs about a fifth of the search on a typical header line.
#[inline(always)]
fn line_end(buf: &[u8], pos: usize) -> Result<Option<usize>, SipError> {
    let Some(eol) = find_line_end(buf, pos) else {
        if buf.len() - pos > SIP_LINE_LENGTH_BYTES_MAX {
            return Err(SipError::new(Rule::LineTooLong, pos));
        }
        return Ok(None);
    };
    if eol - pos > SIP_LINE_LENGTH_BYTES_MAX {
        return Err(SipError::new(Rule::LineTooLong, pos));
    }
    match buf.get(eol) {
        Some(b'\n') => Err(SipError::new(Rule::BareLf, eol)),
        _ => match buf.get(eol + 1) {
            Some(b'\n') => Ok(Some(eol)),
            Some(_) => Err(SipError::new(Rule::BareCr, eol)),
            None => Ok(None),
        },
    }
}

/// Scans the header section of `buf`, calling `on_row` for each header row in order.
///
/// `scan` is generic, so it is compiled where it is called; the helpers it calls per line are
/// `#[inline]` so that they can be inlined there whatever code-generation unit that is.
pub(crate) fn scan(
    buf: &[u8],
    mut on_row: impl FnMut(Row) -> Result<(), SipError>,
) -> Result<Scan, SipError> {
    let start = skip_leading_crlf(buf);
    if start > SIP_HEADER_SECTION_BYTES_MAX {
        return Err(SipError::new(Rule::HeaderSectionTooLarge, start));
    }
    let limit = start + SIP_HEADER_SECTION_BYTES_MAX;
    let Some(eol) = line_end(buf, start)? else {
        return Ok(Scan::Partial);
    };
    let start_line = Span::new(start, eol);
    let mut pos = eol + 2;
    let mut budget = Budget::new(eol - start);
    let mut open: Option<(Span, usize, HeaderKind)> = None;
    loop {
        if pos > limit {
            return Err(SipError::new(Rule::HeaderSectionTooLarge, limit));
        }
        let Some(eol) = line_end(buf, pos)? else {
            if buf.len() > limit {
                return Err(SipError::new(Rule::HeaderSectionTooLarge, limit));
            }
            return Ok(Scan::Partial);
        };
        let first = buf.get(pos).copied();
        if matches!(first, Some(b' ') | Some(b'\t')) && eol > pos {
            if open.is_none() {
                return Err(SipError::new(Rule::ContinuationWithoutHeader, pos));
            }
            pos = eol + 2;
            continue;
        }
        if let Some((name, value_start, kind)) = open.take() {
            let row = finish_row(buf, name, value_start, pos - 2, kind);
            budget.account(&row)?;
            on_row(row)?;
        }
        if eol == pos {
            return Ok(Scan::Complete(Head {
                start,
                start_line,
                end: eol + 2,
            }));
        }
        let line = buf.get(pos..eol).unwrap_or(&[]);
        let (name_len, ws, kind) = match canonical_name(line) {
            Some((name_len, kind)) => (name_len, 0, kind),
            None => match known_name(line) {
                Some(known) => known,
                None => name_and_colon(line, pos)?,
            },
        };
        let name = Span::new(pos, pos + name_len);
        open = Some((name, pos + name_len + ws + 1, kind));
        pos = eol + 2;
    }
}

/// The fast path for a header line whose name is one this codec knows: the first colon is
/// found a word at a time and the name before it (less trailing SP/HTAB) classified. A known
/// name is all token characters, so it is exactly the token run [`name_and_colon`] would find,
/// followed by the same SP/HTAB and colon: both return the same `(name length, SP/HTAB count,
/// kind)`. `None` (no colon, or an unknown name) leaves the line to [`name_and_colon`].
/// Always inlined: it runs once per row, and as a call its set-up is a tenth of its cost.
#[inline(always)]
fn known_name(line: &[u8]) -> Option<(usize, usize, HeaderKind)> {
    let colon = chars::find_of(line, 0, b":")?;
    let before = line.get(..colon)?;
    let name_len = before
        .iter()
        .rposition(|&b| b != b' ' && b != b'\t')
        .map_or(0, |last| last + 1);
    let kind = HeaderKind::from_name_bytes(before.get(..name_len)?);
    (kind != HeaderKind::Other).then_some((name_len, colon - name_len, kind))
}

/// The general reading of a header line's name, the SP/HTAB after it and its colon
/// (`line` starts at `pos` in the buffer): `(name length, SP/HTAB count, kind)`, or the error
/// at the first byte that breaks `field-name HCOLON`.
#[inline]
fn name_and_colon(line: &[u8], pos: usize) -> Result<(usize, usize, HeaderKind), SipError> {
    let name_len = chars::run(line, 0, TOKEN);
    if name_len == 0 {
        return Err(SipError::new(Rule::InvalidHeaderName, pos));
    }
    let after_name = line.get(name_len..).unwrap_or(&[]);
    let ws = after_name
        .iter()
        .take_while(|&&b| b == b' ' || b == b'\t')
        .count();
    match after_name.get(ws) {
        Some(b':') => {}
        Some(_) if ws == 0 => return Err(SipError::new(Rule::InvalidHeaderName, pos + name_len)),
        _ => return Err(SipError::new(Rule::MissingHeaderColon, pos + name_len + ws)),
    }
    let kind = HeaderKind::from_name_bytes(line.get(..name_len).unwrap_or(&[]));
    Ok((name_len, ws, kind))
}

/// Bytes the serializer may add for the Content-Length row it always writes
/// (`Content-Length: 1048576` + CRLF, with room for a larger `SIP_BODY_BYTES_MAX`).
pub(crate) const CONTENT_LENGTH_ROW_BYTES_MAX: usize = 32;

/// Limits measured on the normalized form (`name: unfolded-value CRLF` per row, Content-Length
/// rewritten), so that whatever parses still parses after `to_owned` and `serialize`: the
/// serializer never writes a longer line, a larger header section or more rows.
struct Budget {
    section: usize,
    rows: usize,
    other_rows: usize,
}

impl Budget {
    #[inline]
    fn new(start_line_len: usize) -> Budget {
        Budget {
            section: start_line_len + 2 + 2 + CONTENT_LENGTH_ROW_BYTES_MAX,
            rows: 0,
            other_rows: 0,
        }
    }

    #[inline]
    fn account(&mut self, row: &Row) -> Result<(), SipError> {
        let name_at = row.name.start as usize;
        let line = (row.name.end - row.name.start) as usize
            + 2
            + (row.value.end - row.value.start) as usize;
        if line > SIP_LINE_LENGTH_BYTES_MAX {
            return Err(SipError::new(Rule::LineTooLong, name_at));
        }
        self.section += line + 2;
        if self.section > SIP_HEADER_SECTION_BYTES_MAX {
            return Err(SipError::new(Rule::HeaderSectionTooLarge, name_at));
        }
        self.rows += 1;
        if row.kind != HeaderKind::ContentLength {
            self.other_rows += 1;
        }
        // The serializer writes one Content-Length row besides the others.
        if self.rows > SIP_HEADER_ROWS_MAX || self.other_rows >= SIP_HEADER_ROWS_MAX {
            return Err(SipError::new(Rule::TooManyHeaders, name_at));
        }
        Ok(())
    }
}

/// Trims LWS (folds included) off both ends of a row's value.
#[inline]
fn finish_row(buf: &[u8], name: Span, mut start: usize, mut end: usize, kind: HeaderKind) -> Row {
    let value = buf.get(start..end).unwrap_or(&[]);
    // The value as nodes write it, `: value`: one SP before, no LWS after; the same bounds
    // as the loops below find.
    if let [b' ', first, .., last] = value {
        if !chars::is_lws(*first) && !chars::is_lws(*last) {
            return Row {
                kind,
                name,
                value: Span::new(start + 1, end),
            };
        }
    }
    while start < end && buf.get(start).is_some_and(|&b| chars::is_lws(b)) {
        start += 1;
    }
    while end > start && buf.get(end - 1).is_some_and(|&b| chars::is_lws(b)) {
        end -= 1;
    }
    Row {
        kind,
        name,
        value: Span::new(start, end),
    }
}

/// The body of a datagram whose header section ends at `head_end`.
pub(crate) fn datagram_body(
    buf: &[u8],
    head_end: usize,
    content_length: Option<usize>,
) -> Result<&[u8], SipError> {
    let available = buf.get(head_end..).unwrap_or(&[]);
    match content_length {
        Some(n) => available
            .get(..n)
            .ok_or(SipError::new(Rule::ContentLengthExceedsBody, buf.len())),
        None if available.len() > SIP_BODY_BYTES_MAX => {
            Err(SipError::new(Rule::BodyTooLarge, head_end))
        }
        None => Ok(available),
    }
}

/// What a stream framer found at the front of a receive buffer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Framing {
    /// A whole message (with any CRLFs before it) occupies the first `len` bytes.
    Complete(usize),
    /// The buffer holds only part of a message; read more.
    Partial,
}

/// Frames the first SIP message of a stream buffer (TCP/TLS, RFC 3261 section 18.3).
///
/// Allocation-free. `Complete(len)`: pass `&buf[..len]` to [`parse_datagram`](super::parse_datagram)
/// and drop those bytes. A missing Content-Length is an error on a stream.
pub fn frame_stream(buf: &[u8]) -> Result<Framing, SipError> {
    let mut length = ContentLength::default();
    let head = match scan(buf, |row| {
        if row.kind == HeaderKind::ContentLength {
            length.see(buf, &row)?;
        }
        Ok(())
    })? {
        Scan::Complete(head) => head,
        Scan::Partial => return Ok(Framing::Partial),
    };
    let n = length
        .value
        .ok_or(SipError::new(Rule::StreamContentLengthMissing, head.start))?;
    let total = head.end + n;
    if buf.len() >= total {
        Ok(Framing::Complete(total))
    } else {
        Ok(Framing::Partial)
    }
}

#[cfg(test)]
#[path = "stream_framing_tests.rs"]
mod tests;

#[cfg(test)]
#[path = "framing_tests.rs"]
mod differential;
