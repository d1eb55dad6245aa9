//! Validation of a plain message in one pass over its rows: the shape every node of this
//! project sends (one Via hop per row, From, To, Call-ID, CSeq, Max-Forwards, Content-Type,
//! Content-Length, extension headers), each value taking its [`quick`](super::quick) recogniser.
//!
//! The general validation checks rule after rule so that the first rule broken is the one
//! reported, and so rescans the rows many times. Order only matters for a message that breaks a
//! rule; this pass only ever answers for a message that breaks none, and answers `None` at the
//! first doubt (any list header other than a one-hop Via, a repeated single-value header, a value
//! the recognisers do not take), leaving the message to the general validation. So it gives the
//! general validation's result or nothing; `quick_tests` checks the agreement.
//!
//! Each value is first offered to the reader of the exact shape nodes write
//! ([`node_shapes`]), then to the plain recogniser: both give the same value, the first in
//! fewer steps.

use super::header_name::{HeaderKind, Shape};
use super::message::Message;
use super::quick::{self, node_shapes};
use super::row_table::RowTable;
use super::scalars::{self, CSeq};
use super::start_line::{self, StartLine};
use super::validate::Validated;

/// The kinds every request and response must hold once, besides Via and CSeq.
const REQUIRED: u64 = RowTable::kind_bit(HeaderKind::From)
    | RowTable::kind_bit(HeaderKind::To)
    | RowTable::kind_bit(HeaderKind::CallId);

/// The single-value kinds a proven row can be of, none of which may repeat.
const SINGLE: u64 = REQUIRED
    | RowTable::kind_bit(HeaderKind::CSeq)
    | RowTable::kind_bit(HeaderKind::MaxForwards)
    | RowTable::kind_bit(HeaderKind::ContentType);

/// [`validate_plain`]'s answer for a message whose every row the framing proved to hold the
/// exact value nodes write ([`node_rows`](super::node_rows)), read from what the framing noted
/// instead of from the rows; `None` for any other message, and whenever a rule needs a look.
///
/// Each proven row is one [`validate_plain`] takes with the same value (its kind's exact
/// reader is the first one it tries), and no proven row is of a kind it refuses or keeps
/// apart (list kinds but Via, Expires, Min-Expires, Date). So its answer only depends on the
/// start line, on which single-value kinds are present or repeated, on the top hop and the
/// CSeq, all checked here as it checks them.
///
/// Always inlined: its answer (a hop and a CSeq, over a hundred bytes) is then built where
/// the caller keeps it rather than copied there.
#[inline(always)]
pub(crate) fn validate_proven<'a>(m: &Message<'a>) -> Option<Validated<'a>> {
    let proof = m.node_rows();
    if !proof.all() {
        return None;
    }
    let (via_at, spans) = proof.top_via()?;
    let number = proof.cseq()?;
    let start_line = *m.start_line();
    let uri_holds = |uri| proof.request_uri().is_some() || uri_holds(uri);
    if !start_line_holds(start_line, uri_holds) {
        return None;
    }
    let (kinds, repeated) = m.kind_sets();
    if kinds & REQUIRED != REQUIRED || repeated & SINGLE != 0 {
        return None;
    }
    let top_via = node_shapes::via_of(m.text_at(via_at, usize::from(spans.end))?, spans)?;
    // The proven CSeq's method is the one its reader takes (`node_shapes_tests` checks it):
    // that constant, not sliced out of the row.
    let cseq = CSeq {
        number,
        method: node_shapes::CSEQ_METHOD,
    };
    if let StartLine::Request { method, .. } = start_line {
        // The proven CSeq's method is the one its reader takes (`node_shapes_tests` checks
        // it), a constant: compared as such.
        if method.as_str() != node_shapes::CSEQ_METHOD {
            return None;
        }
        let max_forwards = kinds & RowTable::kind_bit(HeaderKind::MaxForwards) != 0;
        if !max_forwards && top_via.has_rfc3261_branch() {
            return None;
        }
    }
    Some(Validated { top_via, cseq })
}

/// Whether the start line is SIP/2.0 and a Request-URI holds by `uri_holds`.
#[inline(always)]
fn start_line_holds<'a>(
    start_line: StartLine<'a>,
    uri_holds: impl FnOnce(&'a str) -> bool,
) -> bool {
    if !start_line::is_sip_2_0(start_line.version()) {
        return false;
    }
    match start_line {
        StartLine::Request { uri, .. } => uri_holds(uri),
        StartLine::Response { .. } => true,
    }
}

/// Whether a Request-URI has the plain SIP form, which has no headers (`?`), so the
/// Request-URI rule holds.
#[inline]
fn uri_holds(uri: &str) -> bool {
    node_shapes::is_sip_uri(uri) || quick::sip_uri(uri).is_some()
}

/// The bit of a single-value kind in the set of kinds seen (kinds beyond 63 share the top bit,
/// which can only make the pass give up more often).
fn seen_bit(kind: HeaderKind) -> u64 {
    1u64 << (kind as u32).min(63)
}

/// The general validation's `Ok` for a plain message that breaks no rule, else `None`.
pub(crate) fn validate_plain<'a>(m: &Message<'a>) -> Option<Validated<'a>> {
    let start_line = *m.start_line();
    if !start_line_holds(start_line, uri_holds) {
        return None;
    }
    let mut top_via = None;
    let mut cseq = None;
    let mut max_forwards = None;
    let mut seen = 0u64;
    for (kind, value) in m.row_values() {
        match kind {
            HeaderKind::Via => {
                // A plain hop holds no `,`, `"` or `<` (none is a token byte) and is not
                // empty: the row is one list element, nothing to split, as the list rule wants.
                // Only the top hop is kept; the others are only checked.
                if top_via.is_none() {
                    top_via = Some(node_shapes::via(value).or_else(|| quick::via(value))?);
                } else if !(node_shapes::is_via(value) || quick::is_via(value)) {
                    return None;
                }
            }
            HeaderKind::From
            | HeaderKind::To
            | HeaderKind::CallId
            | HeaderKind::CSeq
            | HeaderKind::MaxForwards
            | HeaderKind::ContentType
            | HeaderKind::Expires
            | HeaderKind::MinExpires
            | HeaderKind::Date => {
                let bit = seen_bit(kind);
                if seen & bit != 0 {
                    return None;
                }
                seen |= bit;
                match kind {
                    HeaderKind::From | HeaderKind::To => {
                        if !(node_shapes::is_name_addr(value) || quick::is_name_addr(value)) {
                            return None;
                        }
                    }
                    HeaderKind::CallId => {
                        quick::call_id(value)?;
                    }
                    HeaderKind::CSeq => {
                        cseq = Some(node_shapes::cseq(value).or_else(|| quick::cseq(value))?);
                    }
                    HeaderKind::MaxForwards => {
                        max_forwards = Some(scalars::parse_max_forwards(value, 0).ok()?);
                    }
                    HeaderKind::ContentType => {
                        if !node_shapes::is_media_type(value) {
                            quick::media_type(value)?;
                        }
                    }
                    HeaderKind::Date => scalars::check_date(value, 0).ok()?,
                    _ => {
                        scalars::parse_expires(value, 0).ok()?;
                    }
                }
            }
            // Route, Contact, P-Asserted-Identity ... have rules of their own.
            _ if kind.shape() == Shape::List => return None,
            _ => {}
        }
    }
    let required = [HeaderKind::From, HeaderKind::To, HeaderKind::CallId];
    if required.iter().any(|&k| seen & seen_bit(k) == 0) {
        return None;
    }
    let top_via = top_via?;
    let cseq = cseq?;
    if let StartLine::Request { method, .. } = start_line {
        if cseq.method != method.as_str() {
            return None;
        }
        if max_forwards.is_none() && top_via.has_rfc3261_branch() {
            return None;
        }
    }
    Some(Validated { top_via, cseq })
}
