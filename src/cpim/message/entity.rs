//! The encapsulated MIME object of a CPIM message (RFC 3862 section 3.2): its MIME headers,
//! which must name a `Content-Type`, and its content, bounded and checked against any
//! `Content-Length`.
//!
//! The MIME headers nodes write (`Content-Type` and `Content-Disposition` with a plain value,
//! RFC 5438 section 7.1.2) are read first by their exact names in one pass; any other header
//! section is read by the general MIME reader, from its start again, which names any fault and
//! its offset. On a section the node-shape reader takes, the general reader gives the very
//! same headers and content offset, with no `Content-Length` to check.

use crate::cpim::grammar::first_non_printable_ascii;
use crate::cpim::limits::{CONTENT_BYTES_MAX, HEADER_LINE_BYTES_MAX, MIME_HEADER_COUNT_MAX};
use crate::cpim::mime::{self, MimeHeader};
use crate::cpim::{CpimError, CpimErrorKind};

/// The `Content-Type` name nodes write, with its `": "`.
const CONTENT_TYPE_HEAD: &[u8] = b"Content-Type: ";

/// The `Content-Disposition` name nodes write, with its `": "`.
const CONTENT_DISPOSITION_HEAD: &[u8] = b"Content-Disposition: ";

/// MIME headers room is made for at once: nodes write one (an IM) or two (an IMDN).
pub(super) const NODE_MIME_HEADERS_EXPECTED: usize = 2;

/// Where the MIME headers read are kept: a `Vec` (what a [`Cpim`](super::Cpim) holds), or
/// [`MimeRowsHeld`] (a [`CpimEntity`](super::CpimEntity)'s, in place when few).
pub(super) trait MimeRows<'a>: From<Vec<MimeHeader<'a>>> {
    /// No headers yet, with room for `rows`.
    fn with_room(rows: usize) -> Self;
    /// Adds a header after the others.
    fn push(&mut self, header: MimeHeader<'a>);
    /// The headers in order.
    fn as_slice(&self) -> &[MimeHeader<'a>];
}

impl<'a> MimeRows<'a> for Vec<MimeHeader<'a>> {
    fn with_room(rows: usize) -> Self {
        Vec::with_capacity(rows)
    }

    fn push(&mut self, header: MimeHeader<'a>) {
        Vec::push(self, header);
    }

    fn as_slice(&self) -> &[MimeHeader<'a>] {
        self
    }
}

/// The encapsulated entity at `mime_start`: its MIME headers, its content and the content's
/// offset. `checked` is a prefix of `input` already known to be UTF-8.
pub(super) fn parse_entity<'a, R: MimeRows<'a>>(
    input: &'a [u8],
    checked: &'a str,
    mime_start: usize,
) -> Result<(R, &'a [u8], usize), CpimError> {
    // Headers in the node shapes name no `Content-Length`: only the general reader's are
    // checked against the content.
    let (mime_headers, content_offset, general) = match node_mime_headers(checked, mime_start) {
        Some((headers, offset)) => (headers, offset, false),
        None => {
            let (headers, offset) = general_mime_headers(input, checked, mime_start)?;
            (R::from(headers), offset, true)
        }
    };
    let content = input.get(content_offset..).unwrap_or_default();
    if content.len() > CONTENT_BYTES_MAX {
        return Err(CpimError::new(
            CpimErrorKind::ContentTooLarge,
            content_offset,
        ));
    }
    if general {
        mime::check_content_length(mime_headers.as_slice(), content.len())
            .map_err(|(fault, at)| CpimError::new(CpimErrorKind::Mime(fault), at))?;
    }
    Ok((mime_headers, content, content_offset))
}

/// The MIME headers at `mime_start` read by the general MIME reader, which must name a
/// `Content-Type`, with the content's offset.
fn general_mime_headers<'a>(
    input: &'a [u8],
    checked: &'a str,
    mime_start: usize,
) -> Result<(Vec<MimeHeader<'a>>, usize), CpimError> {
    let (mime_headers, content_offset) = mime::parse_headers_in(input, checked, mime_start)
        .map_err(|(fault, at)| CpimError::new(CpimErrorKind::Mime(fault), at))?;
    if mime::find(&mime_headers, "Content-Type").is_none() {
        return Err(CpimError::new(
            CpimErrorKind::MissingContentType,
            mime_start,
        ));
    }
    Ok((mime_headers, content_offset))
}

/// The MIME headers at `start` when each is a `Content-Type` or `Content-Disposition` line
/// with a plain value (printable ASCII, neither starting nor ending with a space) inside
/// `checked`, at least one names the `Content-Type`, and the blank line follows: the headers
/// and the content's offset. `None` for any other section.
pub(super) fn node_mime_headers<'a, R: MimeRows<'a>>(
    checked: &'a str,
    start: usize,
) -> Option<(R, usize)> {
    let bytes = checked.as_bytes();
    let mut headers = R::with_room(NODE_MIME_HEADERS_EXPECTED);
    let mut typed = false;
    let mut pos = start;
    loop {
        let line = bytes.get(pos..)?;
        if line.starts_with(b"\r\n") {
            return typed.then_some((headers, pos + 2));
        }
        if headers.as_slice().len() == MIME_HEADER_COUNT_MAX {
            return None;
        }
        let head = if line.starts_with(CONTENT_TYPE_HEAD) {
            typed = true;
            CONTENT_TYPE_HEAD.len()
        } else if line.starts_with(CONTENT_DISPOSITION_HEAD) {
            CONTENT_DISPOSITION_HEAD.len()
        } else {
            return None;
        };
        let rest = line.get(head..)?;
        let len = first_non_printable_ascii(rest)?;
        let plain = len > 0 && rest.first() != Some(&b' ') && rest.get(len - 1) != Some(&b' ');
        if !plain || rest.get(len..len + 2) != Some(b"\r\n") || head + len > HEADER_LINE_BYTES_MAX {
            return None;
        }
        headers.push(MimeHeader {
            name: checked.get(pos..pos + head - 2)?,
            value: checked.get(pos + head..pos + head + len)?,
            offset: pos,
        });
        pos += head + len + 2;
    }
}

#[cfg(test)]
#[path = "entity_tests.rs"]
mod tests;
