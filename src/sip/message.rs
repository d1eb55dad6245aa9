//! The zero-copy view of one SIP message: the start line, the header rows as spans into the
//! input, and the body. Typed headers are parsed on demand from those spans, so a caller pays
//! only for the headers it reads; [`validate`](super::validate) reads them all.

use super::content_length::ContentLength;
use super::error::{Rule, SipError};
use super::framing::{self, Row, Scan};
use super::header_name::{HeaderKind, Shape};
use super::lex::ListElements;
use super::node_rows::NodeRows;
use super::plain_head::{self, PlainHead};
use super::quick::node_shapes;
use super::row_table::RowTable;
use super::start_line::{Method, StartLine, StatusCode};
use super::unfold::unfold;
use super::uri::Uri;
use std::{borrow::Cow, ops::Range};

/// A parsed SIP message borrowing every byte from the input buffer.
#[derive(Debug, Clone)]
pub struct Message<'a> {
    input: &'a [u8],
    head: &'a str,
    start_line: StartLine<'a>,
    rows: RowTable,
    body: &'a [u8],
    /// Whether every row was framed as `Canonical-Name: value` CRLF (see [`plain_head`]).
    rows_plain: bool,
    /// What the framing proved of the rows' values (see [`node_rows`](super::node_rows)).
    node_rows: NodeRows,
}

/// One header row as written: name, value (LWS-trimmed, folds kept) and the value's offset.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Header<'a> {
    /// What the header is, by name (compact forms resolved).
    pub kind: HeaderKind,
    /// The name as written (`v`, `Via`, `VIA` ...).
    pub name: &'a str,
    /// The value as written; a folded value still holds its CRLF + whitespace.
    pub value: &'a str,
    /// Byte offset of the value in the input.
    pub offset: usize,
}

impl<'a> Header<'a> {
    /// The value with each fold (`[WSP] CRLF 1*WSP`) replaced by one SP (RFC 3261 section 7.3.1).
    pub fn unfolded(&self) -> Cow<'a, str> {
        unfold(self.value)
    }
}

/// The rows of one kind, in order: a plain loop over the row table rather than an adapter
/// chain, so a lookup costs the same wherever the compiler places its caller. Its `next` is
/// always inlined: a node asks for one row or two of a kind (the top Via, the Content-Length),
/// and as a call each answer cost a call's frame on top of finding the row.
pub(crate) struct RowsNamed<'m, 'a> {
    message: &'m Message<'a>,
    inline: std::slice::Iter<'m, Row>,
    spill: std::slice::Iter<'m, Row>,
    kind: HeaderKind,
    name: &'m str,
}

impl<'a> Iterator for RowsNamed<'_, 'a> {
    type Item = Header<'a>;

    #[inline(always)]
    fn next(&mut self) -> Option<Header<'a>> {
        loop {
            let row = match self.inline.next() {
                Some(row) => row,
                None => self.spill.next()?,
            };
            let named = self.kind != HeaderKind::Other
                || self.message.text(row.name).eq_ignore_ascii_case(self.name);
            if row.kind == self.kind && named {
                return Some(self.message.header_of(row));
            }
        }
    }
}

/// Parses one SIP message received as a datagram (UDP), or framed by [`frame_stream`].
///
/// CRLFs before the start line are skipped. The body is Content-Length bytes; bytes after it are
/// ignored; a datagram shorter than that is an error; with no Content-Length the body runs to
/// the end. Only framing and line syntax are checked here; call [`validate`] for the rest.
///
/// [`frame_stream`]: super::frame_stream
/// [`validate`]: super::validate
pub fn parse_datagram(input: &[u8]) -> Result<Message<'_>, SipError> {
    // The message is built where it is returned from, its rows scanned in place: a message
    // holds its rows inline, and a table scanned aside would be copied into it whole.
    let mut message = Message {
        input,
        head: "",
        start_line: StartLine::Response {
            version: "",
            status: StatusCode::OK,
            reason: "",
        },
        rows: RowTable::new(),
        body: &[],
        rows_plain: false,
        node_rows: NodeRows::NONE,
    };
    let plain = plain_head::scan_plain(input, &mut message.rows);
    message.rows_plain = plain.is_some();
    let PlainHead {
        head,
        content_length,
        node_rows,
    } = match plain {
        Some(plain) => plain,
        None => {
            message.rows = RowTable::new();
            scan_general(input, &mut message.rows)?
        }
    };
    message.node_rows = node_rows;
    message.head = head_text(input.get(..head.end).unwrap_or(&[]))?;
    let line = message.head.get(head.start_line.range()).unwrap_or("");
    let (start_line, node_uri) = StartLine::parse_noting_uri(line, head.start)?;
    message.start_line = start_line;
    message.node_rows.note_request_uri(node_uri);
    message.body = framing::datagram_body(input, head.end, content_length)?;
    Ok(message)
}

/// The header section as text, or where its first byte that is not UTF-8 is.
///
/// Every datagram's header section is checked whole, so the check is the SIMD one of
/// `simdutf8` (a few instructions per 32 bytes where the standard check takes a few per 16,
/// after a byte-by-byte start up to the first aligned word). It only says whether the bytes
/// are UTF-8; the standard check, run only then, says where the first bad byte is.
#[inline]
fn head_text(bytes: &[u8]) -> Result<&str, SipError> {
    simdutf8::basic::from_utf8(bytes)
        .or_else(|_| std::str::from_utf8(bytes))
        .map_err(|e| SipError::new(Rule::InvalidUtf8, e.valid_up_to()))
}

/// The header section of `input` framed by the general scanner, for any section
/// [`plain_head::scan_plain`] does not take: its layout and Content-Length, its rows pushed on
/// `rows`, or the first error.
fn scan_general(input: &[u8], rows: &mut RowTable) -> Result<PlainHead, SipError> {
    let mut length = ContentLength::default();
    let scanned = framing::scan(input, |row| {
        if row.kind == HeaderKind::ContentLength {
            length.see(input, &row)?;
        }
        rows.push(row);
        Ok(())
    })?;
    match scanned {
        Scan::Complete(head) => Ok(PlainHead {
            head,
            content_length: length.value,
            node_rows: NodeRows::NONE,
        }),
        Scan::Partial => Err(SipError::new(Rule::UnterminatedHeaderSection, input.len())),
    }
}

impl<'a> Message<'a> {
    /// The start line.
    pub fn start_line(&self) -> &StartLine<'a> {
        &self.start_line
    }

    /// Whether this is a request.
    pub fn is_request(&self) -> bool {
        matches!(self.start_line, StartLine::Request { .. })
    }

    /// The request method, for a request.
    pub fn method(&self) -> Option<Method<'a>> {
        match self.start_line {
            StartLine::Request { method, .. } => Some(method),
            StartLine::Response { .. } => None,
        }
    }

    /// The status code, for a response.
    pub fn status(&self) -> Option<StatusCode> {
        match self.start_line {
            StartLine::Response { status, .. } => Some(status),
            StartLine::Request { .. } => None,
        }
    }

    /// The Request-URI parsed, for a request. Always inlined: a node's URI is built from the
    /// parts its reading noted in a few moves, fewer than a call's frame.
    #[inline(always)]
    pub fn request_uri(&self) -> Option<Result<Uri<'a>, SipError>> {
        match self.start_line {
            StartLine::Request { uri, .. } => {
                // A node's URI is built from the parts the start line's reading found.
                let noted = self.node_rows.request_uri();
                Some(
                    match noted.and_then(|parts| node_shapes::sip_uri_of_parts(uri, parts)) {
                        Some(sip) => Ok(Uri::Sip(sip)),
                        None => Uri::parse(uri, self.offset_of(uri)),
                    },
                )
            }
            StartLine::Response { .. } => None,
        }
    }

    /// The body (exactly Content-Length bytes when the header is present).
    pub fn body(&self) -> &'a [u8] {
        self.body
    }

    /// The bytes this message occupies in the input (skipped CRLFs included, trailing bytes
    /// after the body excluded).
    pub fn wire_len(&self) -> usize {
        self.head.len() + self.body.len()
    }

    /// The header section as received, from the first byte of the input (skipped CRLFs, the
    /// start line, the rows and the empty line): what a proxy copies rows from.
    pub(crate) fn head(&self) -> &'a str {
        self.head
    }

    /// Whether every header row is written `Canonical-Name: value` CRLF with no fold and no
    /// white space around the value: exactly as the serializer writes it.
    pub(crate) fn rows_as_serialized(&self) -> bool {
        self.rows_plain
    }

    /// What the framing proved of the rows' values (see [`node_rows`](super::node_rows)).
    pub(crate) fn node_rows(&self) -> &NodeRows {
        &self.node_rows
    }

    /// The kinds of header present, and those present in two rows or more, as sets of
    /// [`RowTable::kind_bit`] bits.
    pub(crate) fn kind_sets(&self) -> (u64, u64) {
        self.rows.kind_sets()
    }

    /// The `len` bytes of the header section at `at`, when they are in it.
    #[inline]
    pub(crate) fn text_at(&self, at: usize, len: usize) -> Option<&'a str> {
        self.head.get(at..at.checked_add(len)?)
    }

    /// Length of the header section in bytes (skipped CRLFs and the empty line included).
    pub fn header_section_len(&self) -> usize {
        self.head.len()
    }

    /// Byte offset of `s` (a slice handed out by this message) in the input.
    pub fn offset_of(&self, s: &str) -> usize {
        (s.as_ptr() as usize)
            .wrapping_sub(self.input.as_ptr() as usize)
            .min(self.input.len())
    }

    #[inline]
    fn text(&self, span: framing::Span) -> &'a str {
        self.head.get(span.range()).unwrap_or("")
    }

    #[inline]
    fn header_of(&self, row: &Row) -> Header<'a> {
        Header {
            kind: row.kind,
            name: self.text(row.name),
            value: self.text(row.value),
            offset: row.value.start as usize,
        }
    }

    /// Every header row in order.
    pub fn rows(&self) -> impl Iterator<Item = Header<'a>> + '_ {
        self.rows.iter().map(|r| self.header_of(r))
    }

    /// Every header row's kind and value, in order (names not sliced).
    pub(crate) fn row_values(&self) -> impl Iterator<Item = (HeaderKind, &'a str)> + '_ {
        self.rows.iter().map(|r| (r.kind, self.text(r.value)))
    }

    /// Every header row's kind and span, from its name to its value's end, read without slicing.
    pub(crate) fn row_lines(&self) -> impl Iterator<Item = (HeaderKind, Range<usize>)> + '_ {
        (self.rows.iter()).map(|r| (r.kind, r.name.start as usize..r.value.end as usize))
    }

    /// Number of header rows.
    pub fn row_count(&self) -> usize {
        self.rows.len()
    }

    /// Rows of one kind (for `Other`, rows whose name equals `name` ignoring case).
    pub(crate) fn rows_named<'m>(&'m self, kind: HeaderKind, name: &'m str) -> RowsNamed<'m, 'a> {
        // An absent kind yields nothing without a scan.
        let (inline, spill) = if self.rows.holds(kind) {
            self.rows.slices()
        } else {
            (&[][..], &[][..])
        };
        RowsNamed {
            message: self,
            inline: inline.iter(),
            spill: spill.iter(),
            kind,
            name,
        }
    }

    /// Rows of a known kind.
    pub(crate) fn rows_of(&self, kind: HeaderKind) -> RowsNamed<'_, 'a> {
        self.rows_named(kind, "")
    }

    /// The values of header `name` (either form, any case), in order. List headers (Via,
    /// Contact, Route, Allow ...) are split at commas outside quotes and `<>`, and empty elements
    /// dropped; other headers, including WWW-Authenticate, Authorization, Proxy-Authenticate and
    /// Proxy-Authorization, yield one value per row. An element that cannot be split (an
    /// unterminated quote) is yielded whole; [`validate`](super::validate) reports it.
    pub fn headers<'m>(&'m self, name: &'m str) -> impl Iterator<Item = &'a str> + 'm {
        let kind = HeaderKind::from_name(name);
        self.rows_named(kind, name).flat_map(move |h| {
            let split = kind.shape() == Shape::List;
            let mut whole = Some(h.value);
            let mut elements = split.then(|| ListElements::new(h.value, h.offset));
            std::iter::from_fn(move || match elements.as_mut() {
                None => whole.take(),
                Some(it) => loop {
                    match it.next()? {
                        Ok(("", _)) => continue,
                        Ok((e, _)) => return Some(e),
                        Err(e) => {
                            let rest = h.value.get(e.offset.saturating_sub(h.offset)..);
                            elements = None;
                            whole = rest;
                            return whole.take();
                        }
                    }
                },
            })
        })
    }

    /// The first value of header `name` (see [`headers`](Self::headers)).
    pub fn header(&self, name: &str) -> Option<&'a str> {
        self.headers(name).next()
    }

    /// The row of a known `kind` as the row table has it: `Some(None)` when absent,
    /// `Some(Some(row))` when present once, `None` when the table cannot tell without a scan
    /// (see [`RowTable::lone`]).
    pub(crate) fn lone_row(&self, kind: HeaderKind) -> Option<Option<&Row>> {
        self.rows.lone(kind)
    }

    /// The single row of a single-value header: `Ok(None)` if absent, an error if repeated.
    /// Always inlined: the node asks for a known kind, whose lone row is found without a scan,
    /// and a call's frame cost as much as finding it.
    #[inline(always)]
    pub(crate) fn single(&self, kind: HeaderKind) -> Result<Option<Header<'a>>, SipError> {
        if let Some(lone) = self.rows.lone(kind) {
            return Ok(lone.map(|r| self.header_of(r)));
        }
        let mut rows = self.rows_of(kind);
        let first = rows.next();
        if let Some(second) = rows.next() {
            return Err(SipError::new(
                Rule::MultipleValuesInSingleValueHeader,
                second.offset,
            ));
        }
        Ok(first)
    }

    /// The comma-separated elements of every row of `kind`, empty ones dropped, with offsets.
    pub(crate) fn elements(
        &self,
        kind: HeaderKind,
    ) -> impl Iterator<Item = Result<(&'a str, usize), SipError>> + '_ {
        self.rows_of(kind).flat_map(|h| {
            ListElements::new(h.value, h.offset).filter(|e| !matches!(e, Ok(("", _))))
        })
    }
}

#[cfg(test)]
#[path = "message_tests.rs"]
mod tests;
