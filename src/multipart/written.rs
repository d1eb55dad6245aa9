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
/// their fields from `body`; `None` for any other body. `checked` is a prefix of `body` the
/// caller's UTF-8 check already covered (empty when none): no document is checked again
/// within it (the answer is the same whatever its length).
pub(super) fn read_written_aggregate<'b>(
    body: &'b [u8],
    checked: &'b str,
    boundary: &str,
) -> Option<Vec<ImdnDocument<'b>>> {
    if body.len() > MULTIPART_BODY_BYTES_MAX || check_boundary(boundary).is_err() {
        return None;
    }
    let b = boundary.as_bytes();
    let mut buf = [0; DELIMITER_LEAD_BYTES + BOUNDARY_CHARS_MAX];
    let needle = delimiter_needle(b, &mut buf)?;
    // Built only for a part whose document is not in the writer's layout.
    let mut finder = None;
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
        // A document in the writer's layout holds no CR, nor does the part header hold a
        // delimiter: the part ends where the document does, if a delimiter follows it there.
        let document_at = pos + PART_HEAD.len();
        let document_checked = checked.get(document_at..).unwrap_or_default();
        let written = rest
            .strip_prefix(PART_HEAD)
            .and_then(|document| imdn::parse_written_prefix(document, document_checked))
            .map(|(document, len)| (document, PART_HEAD.len() + len))
            .filter(|(_, end)| rest.get(*end..).is_some_and(|a| a.starts_with(needle)));
        let (document, end) = match written {
            Some(found) => found,
            None => {
                let finder = finder.get_or_insert_with(|| memchr::memmem::Finder::new(needle));
                let end = finder.find(rest)?;
                let content = rest.get(..end)?.strip_prefix(PART_HEAD)?;
                (imdn::parse_document(content).ok()?, end)
            }
        };
        documents.push(document);
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
