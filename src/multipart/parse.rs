//! Splitting a multipart body at its delimiter lines (RFC 2046 section 5.1.1).
//!
//! A delimiter is `--boundary` at the start of the body or right after a CRLF (that CRLF
//! belongs to the delimiter, not to the part before it), then optional transport padding
//! (SP/HTAB), then CRLF; the close delimiter has `--` after the boundary and is followed by
//! CRLF or the end of the body. Anything else, including `--boundary` inside a line, is part
//! content, so bare CR or LF bytes inside a part survive untouched.

use super::limits::{BOUNDARY_CHARS_MAX, MULTIPART_BODY_BYTES_MAX, MULTIPART_PARTS_MAX};
use super::{MultipartError, MultipartErrorKind};
use crate::cpim::mime::{self, MimeHeader};

/// A parsed multipart body, borrowed from the input.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Multipart<'a> {
    /// Bytes before the first delimiter line (ignored by MIME).
    pub preamble: &'a [u8],
    /// The body parts in order.
    pub parts: Vec<Part<'a>>,
    /// Bytes after the close delimiter line (ignored by MIME).
    pub epilogue: &'a [u8],
}

/// One body part: its MIME headers and its content bytes, exactly as sent.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Part<'a> {
    /// The part's MIME headers in order.
    pub headers: Vec<MimeHeader<'a>>,
    /// The part's content.
    pub body: &'a [u8],
    /// Byte offset of the part (its first header line) in the multipart body.
    pub offset: usize,
    /// Byte offset of the content in the multipart body.
    pub body_offset: usize,
}

impl<'a> Part<'a> {
    /// The first header with this name (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&'a str> {
        mime::find(&self.headers, name).map(|h| h.value)
    }

    /// The part's `Content-Type`.
    pub fn content_type(&self) -> Option<&'a str> {
        self.header("Content-Type")
    }
}

/// Whether `b` is a `bchars` character of RFC 2046.
fn is_bchar(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"'()+_,-./:=? ".contains(&b)
}

/// Checks a boundary: 1 to 70 `bchars`, the last one not a space.
pub fn check_boundary(boundary: &str) -> Result<(), MultipartError> {
    let ok = !boundary.is_empty()
        && boundary.len() <= BOUNDARY_CHARS_MAX
        && boundary.bytes().all(is_bchar)
        && !boundary.ends_with(' ');
    ok.then_some(())
        .ok_or(MultipartError::new(MultipartErrorKind::InvalidBoundary, 0))
}

/// The boundary named by the first line of `body` that starts with `--` (the first delimiter
/// line), transport padding removed. Used when no Content-Type is at hand.
pub fn boundary_from_first_line(body: &[u8]) -> Result<&str, MultipartError> {
    let missing = MultipartError::new(MultipartErrorKind::MissingDelimiter, 0);
    let mut start = 0;
    while start < body.len() {
        let rest = &body[start..];
        let len = rest
            .windows(2)
            .position(|w| w == b"\r\n")
            .unwrap_or(rest.len());
        let line = &rest[..len.min(BOUNDARY_CHARS_MAX + 64)];
        if let Some(name) = line.strip_prefix(b"--") {
            let name = std::str::from_utf8(name)
                .map_err(|_| MultipartError::new(MultipartErrorKind::InvalidBoundary, start))?
                .trim_end_matches([' ', '\t']);
            return check_boundary(name)
                .map(|()| name)
                .map_err(|e| MultipartError::new(e.kind, start));
        }
        start += len + 2;
    }
    Err(missing)
}

/// What follows `--boundary` at some position: a delimiter or close delimiter line ending at
/// `next` (first byte after its CRLF), or nothing (not a delimiter).
fn delimiter_at(body: &[u8], at: usize, boundary: &[u8]) -> Option<(bool, usize)> {
    let rest = body
        .get(at..)?
        .strip_prefix(b"--")?
        .strip_prefix(boundary)?;
    let (close, rest) = match rest.strip_prefix(b"--") {
        Some(r) => (true, r),
        None => (false, rest),
    };
    let padding = rest
        .iter()
        .take_while(|&&b| b == b' ' || b == b'\t')
        .count();
    let after = &rest[padding..];
    let end = body.len() - after.len();
    if after.starts_with(b"\r\n") {
        Some((close, end + 2))
    } else if close && after.is_empty() {
        Some((true, end))
    } else {
        None
    }
}

/// The next delimiter at or after `from` that follows a CRLF: (CRLF position, close, next).
/// Every such delimiter starts with `CRLF--boundary`, so the search jumps from one occurrence
/// of that string to the next (`finder` looks for it, built once per body) instead of
/// stopping at every CR of the parts.
fn next_delimiter(
    body: &[u8],
    from: usize,
    boundary: &[u8],
    finder: &memchr::memmem::Finder<'_>,
) -> Option<(usize, bool, usize)> {
    let mut i = from;
    while let Some(found) = finder.find(body.get(i..)?) {
        let crlf = i + found;
        if let Some((close, next)) = delimiter_at(body, crlf + 2, boundary) {
            return Some((crlf, close, next));
        }
        i = crlf + 1;
    }
    None
}

/// Bytes of `CRLF "--"` before the boundary in a delimiter searched for.
pub(super) const DELIMITER_LEAD_BYTES: usize = 4;

/// `CRLF "--" boundary`, the start of every delimiter after the first line, written into
/// `buf`; `None` for a boundary longer than `BOUNDARY_CHARS_MAX`.
pub(super) fn delimiter_needle<'b>(
    boundary: &[u8],
    buf: &'b mut [u8; DELIMITER_LEAD_BYTES + BOUNDARY_CHARS_MAX],
) -> Option<&'b [u8]> {
    let needle = buf.get_mut(..DELIMITER_LEAD_BYTES + boundary.len())?;
    let (lead, rest) = needle.split_at_mut(DELIMITER_LEAD_BYTES);
    lead.copy_from_slice(b"\r\n--");
    rest.copy_from_slice(boundary);
    Some(needle)
}

/// Parses a multipart body whose boundary is known (from `Content-Type` or
/// [`boundary_from_first_line`]).
pub fn parse<'a>(body: &'a [u8], boundary: &str) -> Result<Multipart<'a>, MultipartError> {
    if body.len() > MULTIPART_BODY_BYTES_MAX {
        return Err(MultipartError::new(
            MultipartErrorKind::BodyTooLarge,
            MULTIPART_BODY_BYTES_MAX,
        ));
    }
    check_boundary(boundary)?;
    let b = boundary.as_bytes();
    let mut buf = [0; DELIMITER_LEAD_BYTES + BOUNDARY_CHARS_MAX];
    // `check_boundary` has bounded the boundary, so the needle fits.
    let needle = delimiter_needle(b, &mut buf)
        .ok_or(MultipartError::new(MultipartErrorKind::InvalidBoundary, 0))?;
    let finder = memchr::memmem::Finder::new(needle);
    let (preamble_end, mut close, mut pos) = match delimiter_at(body, 0, b) {
        Some((close, next)) => (0, close, next),
        None => next_delimiter(body, 0, b, &finder)
            .ok_or(MultipartError::new(MultipartErrorKind::MissingDelimiter, 0))?,
    };
    if close {
        return Err(MultipartError::new(
            MultipartErrorKind::NoParts,
            preamble_end,
        ));
    }
    let mut parts = Vec::new();
    while !close {
        if parts.len() == MULTIPART_PARTS_MAX {
            return Err(MultipartError::new(MultipartErrorKind::TooManyParts, pos));
        }
        let (end, is_close, next) = next_delimiter(body, pos, b, &finder).ok_or(
            MultipartError::new(MultipartErrorKind::MissingCloseDelimiter, body.len()),
        )?;
        let scope = &body[..end];
        // An empty part (no headers, no content) is allowed by `body-part` of RFC 2046.
        let (headers, body_offset) = if pos >= end {
            (Vec::new(), end)
        } else {
            mime::parse_headers(scope, pos)
                .map_err(|(fault, at)| MultipartError::new(MultipartErrorKind::Mime(fault), at))?
        };
        let content = &scope[body_offset.min(end)..];
        mime::check_content_length(&headers, content.len())
            .map_err(|(fault, at)| MultipartError::new(MultipartErrorKind::Mime(fault), at))?;
        parts.push(Part {
            headers,
            body: content,
            offset: pos,
            body_offset,
        });
        close = is_close;
        pos = next;
    }
    Ok(Multipart {
        preamble: &body[..preamble_end],
        parts,
        epilogue: &body[pos.min(body.len())..],
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The search as first written: `CRLF--` compared at every offset.
    fn next_delimiter_at_every_offset(
        body: &[u8],
        from: usize,
        boundary: &[u8],
    ) -> Option<(usize, bool, usize)> {
        let mut i = from;
        while let Some(found) = body.get(i..)?.windows(4).position(|w| w == b"\r\n--") {
            let crlf = i + found;
            if let Some((close, next)) = delimiter_at(body, crlf + 2, boundary) {
                return Some((crlf, close, next));
            }
            i = crlf + 1;
        }
        None
    }

    proptest! {
        #[test]
        fn the_delimiter_found_from_cr_to_cr_is_the_one_found_at_every_offset(
            pieces in proptest::collection::vec(
                prop_oneof![
                    Just(&b"\r"[..]), Just(&b"\n"[..]), Just(&b"-"[..]), Just(&b"b"[..]),
                    Just(&b"x"[..]), Just(&b" "[..]), Just(&b"\r\n--b"[..]), Just(&b"--"[..]),
                ],
                0..40,
            ),
            from in 0usize..48,
        ) {
            let body = pieces.concat();
            let mut buf = [0; DELIMITER_LEAD_BYTES + BOUNDARY_CHARS_MAX];
            let needle = delimiter_needle(b"b", &mut buf).unwrap_or_default();
            let finder = memchr::memmem::Finder::new(needle);
            prop_assert_eq!(
                next_delimiter(&body, from, b"b", &finder),
                next_delimiter_at_every_offset(&body, from, b"b")
            );
        }
    }
}
