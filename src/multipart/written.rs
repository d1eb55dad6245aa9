//! Reading an aggregated IMDN laid out exactly as [`Aggregate`](super::Aggregate) writes it:
//! no preamble, each part `--boundary` CRLF, the one header `Content-Type: message/imdn+xml`,
//! a blank line and the document, parts joined by CRLF, and `--boundary--` as the very last
//! bytes.
//!
//! Every aggregate a sender's user agent receives in the simulator is in this layout. Its
//! parts are found with one search per part for the next `CRLF--boundary` and their header
//! compared whole, so no MIME header list and no part list is built and no part is copied.
//! The reader answers only when the whole body is in this layout and every document reads
//! without error; for anything else it answers `None` and the general reader
//! ([`parse`](super::parse) and each part's headers) decides, with its verdict and offsets.

use super::limits::{BOUNDARY_CHARS_MAX, MULTIPART_BODY_BYTES_MAX, MULTIPART_PARTS_MAX};
use super::parse::{check_boundary, delimiter_needle, DELIMITER_LEAD_BYTES};
use crate::imdn::{self, ImdnDocument};

/// The header section of every part as written: its one header line and the blank line.
const PART_HEAD: &[u8] = b"Content-Type: message/imdn+xml\r\n\r\n";

/// The documents of an aggregate in the writer's layout, in part order, the plain ones lending
/// their fields from `body`; `None` for any other body.
pub(super) fn read_written_aggregate<'b>(
    body: &'b [u8],
    boundary: &str,
) -> Option<Vec<ImdnDocument<'b>>> {
    if body.len() > MULTIPART_BODY_BYTES_MAX || check_boundary(boundary).is_err() {
        return None;
    }
    let b = boundary.as_bytes();
    let mut buf = [0; DELIMITER_LEAD_BYTES + BOUNDARY_CHARS_MAX];
    let needle = delimiter_needle(b, &mut buf)?;
    let finder = memchr::memmem::Finder::new(needle);
    // The first delimiter: the needle without its leading CRLF, then CRLF.
    let first = needle.get(2..)?;
    let mut pos = body
        .strip_prefix(first)
        .and_then(|rest| rest.strip_prefix(b"\r\n"))
        .map(|rest| body.len() - rest.len())?;
    let mut documents = Vec::new();
    loop {
        if documents.len() == MULTIPART_PARTS_MAX {
            return None;
        }
        let rest = body.get(pos..)?;
        let end = finder.find(rest)?;
        let content = rest.get(..end)?.strip_prefix(PART_HEAD)?;
        documents.push(imdn::parse_document(content).ok()?);
        let after = rest.get(end + needle.len()..)?;
        if after == b"--" {
            return Some(documents);
        }
        after.strip_prefix(b"\r\n")?;
        pos += end + needle.len() + 2;
    }
}

#[cfg(test)]
mod tests;
