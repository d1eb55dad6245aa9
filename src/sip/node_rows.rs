//! The header rows this project's nodes write, proven while the header section is framed: for
//! each row the plain framing ([`plain_head`](super::plain_head)) takes, the exact reader of
//! its value ([`node_shapes`]) is run from the value's first byte, and when the value it reads
//! ends right at the row's CRLF, that end is the row's line end and the value is proven.
//!
//! Validation then has nothing left to read for such a row: [`validate_proven`] answers for a
//! message whose every row is proven from the facts noted here (which kinds are present and
//! repeated, the top hop's parts, the CSeq), instead of walking each value a second time. A
//! row that is not proven is framed as before, and its message is validated as before.
//!
//! Why a proven end is the line end the framing would find: every byte an exact reader takes is
//! at or above SP (none is a control byte), so the first control byte from the value's start is
//! the CR right after it. `node_rows_tests` checks this on every reader, and the framing and
//! validation agreement tests check the whole.
//!
//! [`node_shapes`]: super::quick::node_shapes
//! [`validate_proven`]: super::quick_validate::validate_proven

use super::header_name::HeaderKind;
use super::quick::call_id_end;
use super::quick::node_shapes::{self, UriParts, ViaSpans};
use super::row_table::RowTable;

/// Digits of a Max-Forwards value a node writes at most (every value up to 255 fits).
const MAX_FORWARDS_DIGITS_MAX: usize = 3;

/// The largest Max-Forwards value (RFC 3261 section 20.22, as the general reader bounds it).
const MAX_FORWARDS_MAX: u32 = 255;

/// Digits of a Content-Length value proven here at most: the framing's plain Content-Length
/// reading takes six (see `content_length`).
const CONTENT_LENGTH_DIGITS_MAX: usize = 6;

/// What the framing proved of a header section's rows: whether every row holds the exact value
/// its kind has when a node writes it, and the parts of the top hop and of the CSeq it read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct NodeRows {
    /// Whether every row framed so far is proven.
    all: bool,
    /// Where the first hop's value starts in the input, and its parts.
    top_via: Option<(u32, ViaSpans)>,
    /// The last CSeq's number.
    cseq: Option<u32>,
    /// The parts of a Request-URI that is the exact SIP URI nodes write.
    request_uri: Option<UriParts>,
    /// The last Max-Forwards value read.
    max_forwards: Option<u8>,
}

impl NodeRows {
    /// Nothing proven: the section was framed by the general scanner.
    pub(crate) const NONE: NodeRows = NodeRows {
        all: false,
        top_via: None,
        cseq: None,
        request_uri: None,
        max_forwards: None,
    };

    /// Before the first row: every row (none yet) proven.
    pub(crate) const fn new() -> NodeRows {
        NodeRows {
            all: true,
            top_via: None,
            cseq: None,
            request_uri: None,
            max_forwards: None,
        }
    }

    /// Notes a row that is not proven.
    #[inline(always)]
    pub(crate) fn not_proven(&mut self) {
        self.all = false;
    }

    /// Notes the parts of a Request-URI that is the exact SIP URI nodes write (`None`: any
    /// other start line).
    pub(crate) fn note_request_uri(&mut self, parts: Option<UriParts>) {
        self.request_uri = parts;
    }

    /// The parts of a Request-URI that is the exact SIP URI nodes write.
    pub(crate) fn request_uri(&self) -> Option<UriParts> {
        self.request_uri
    }

    /// Whether every row of the section is proven.
    pub(crate) fn all(&self) -> bool {
        self.all
    }

    /// Where the top hop's value starts in the input, and its parts.
    pub(crate) fn top_via(&self) -> Option<(usize, ViaSpans)> {
        self.top_via.map(|(at, spans)| (at as usize, spans))
    }

    /// The number of the last CSeq read (its method is [`node_shapes::CSEQ_METHOD`], the
    /// method of every CSeq its reader takes).
    pub(crate) fn cseq(&self) -> Option<u32> {
        self.cseq
    }

    /// The Max-Forwards value, when every row is proven and Max-Forwards is present in one
    /// row, whose value it is (`repeated`: the kinds present in two rows or more, see
    /// [`RowTable::kind_sets`](super::row_table::RowTable::kind_sets)); `None` for any
    /// other message, whose value the general reading gives.
    pub(crate) fn lone_max_forwards(&self, repeated: u64) -> Option<u8> {
        let once = repeated & RowTable::kind_bit(HeaderKind::MaxForwards) == 0;
        (self.all && once).then_some(self.max_forwards)?
    }

    /// Where the value of a row of `kind` that starts at `buf[at]` ends, when it starts with
    /// the exact value a node writes for that kind; the caller proves the row when its CRLF
    /// stands right there. The first hop and the first CSeq read are noted, and the last
    /// Max-Forwards.
    #[inline(always)]
    pub(crate) fn value_end(&mut self, kind: HeaderKind, buf: &[u8], at: usize) -> Option<usize> {
        match kind {
            HeaderKind::Via => {
                let spans = node_shapes::via_spans(buf, at)?;
                if self.top_via.is_none() {
                    self.top_via = Some((u32::try_from(at).ok()?, spans));
                }
                Some(at + usize::from(spans.end))
            }
            HeaderKind::From | HeaderKind::To => node_shapes::name_addr_end(buf, at),
            HeaderKind::CallId => call_id_end(buf, at),
            HeaderKind::CSeq => {
                // The last number read is kept: it is only ever answered for a message with
                // one CSeq row.
                let (number, end) = node_shapes::cseq_at(buf, at)?;
                self.cseq = Some(number);
                Some(end)
            }
            HeaderKind::MaxForwards => {
                // The last value read is kept: it is only ever answered for a message with
                // one Max-Forwards row.
                let (value, end) = max_forwards_at(buf, at)?;
                self.max_forwards = Some(value);
                Some(end)
            }
            HeaderKind::ContentType => node_shapes::media_type_end(buf, at),
            HeaderKind::ContentLength => digits_end(buf, at, CONTENT_LENGTH_DIGITS_MAX),
            _ => None,
        }
    }
}

/// Where a run of one to `max` digits that starts at `buf[at]` ends; `None` when there is no
/// digit or more than `max`.
#[inline(always)]
fn digits_end(buf: &[u8], at: usize, max: usize) -> Option<usize> {
    let mut end = at;
    while buf.get(end).is_some_and(u8::is_ascii_digit) {
        end += 1;
        if end - at > max {
            return None;
        }
    }
    (end > at).then_some(end)
}

/// The Max-Forwards value (one to three digits, at most 255) that starts at `buf[at]` and
/// where it ends: every such value is one the general reader takes, with that number.
#[inline(always)]
fn max_forwards_at(buf: &[u8], at: usize) -> Option<(u8, usize)> {
    let end = digits_end(buf, at, MAX_FORWARDS_DIGITS_MAX)?;
    let value = buf
        .get(at..end)?
        .iter()
        .fold(0u32, |n, &d| n * 10 + u32::from(d - b'0'));
    (value <= MAX_FORWARDS_MAX).then_some(())?;
    Some((u8::try_from(value).ok()?, end))
}

#[cfg(test)]
#[path = "node_rows_tests.rs"]
mod tests;
