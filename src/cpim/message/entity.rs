//! The encapsulated MIME object of a CPIM message (RFC 3862 section 3.2): its MIME headers,
//! which must name a `Content-Type`, and its content, bounded and checked against any
//! `Content-Length`.

use crate::cpim::limits::CONTENT_BYTES_MAX;
use crate::cpim::mime::{self, MimeHeader};
use crate::cpim::{CpimError, CpimErrorKind};

/// The encapsulated entity at `mime_start`: its MIME headers, its content and the content's
/// offset. `checked` is a prefix of `input` already known to be UTF-8.
pub(super) fn parse_entity<'a>(
    input: &'a [u8],
    checked: &'a str,
    mime_start: usize,
) -> Result<(Vec<MimeHeader<'a>>, &'a [u8], usize), CpimError> {
    let (mime_headers, content_offset) = mime::parse_headers_in(input, checked, mime_start)
        .map_err(|(fault, at)| CpimError::new(CpimErrorKind::Mime(fault), at))?;
    if mime::find(&mime_headers, "Content-Type").is_none() {
        return Err(CpimError::new(
            CpimErrorKind::MissingContentType,
            mime_start,
        ));
    }
    let content = input.get(content_offset..).unwrap_or_default();
    if content.len() > CONTENT_BYTES_MAX {
        return Err(CpimError::new(
            CpimErrorKind::ContentTooLarge,
            content_offset,
        ));
    }
    mime::check_content_length(&mime_headers, content.len())
        .map_err(|(fault, at)| CpimError::new(CpimErrorKind::Mime(fault), at))?;
    Ok((mime_headers, content, content_offset))
}
