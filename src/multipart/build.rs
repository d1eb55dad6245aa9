//! Writing a multipart/mixed body with a boundary that occurs in no part.

use super::boundary::{choose_boundary_of, headers_of};
use super::parse::Part;
use bytes::BufMut;

/// An owned body part: MIME headers (name, value) and content bytes.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct OwnedPart {
    /// MIME headers in order: (name, value). Values must not contain CR or LF.
    pub headers: Vec<(String, String)>,
    /// The content bytes (any bytes).
    pub body: Vec<u8>,
}

impl Part<'_> {
    /// Copies the part into an owned one.
    pub fn to_owned_part(&self) -> OwnedPart {
        OwnedPart {
            headers: self
                .headers
                .iter()
                .map(|h| (h.name.to_owned(), h.value.to_owned()))
                .collect(),
            body: self.body.to_vec(),
        }
    }
}

/// What the writer reads of a body part: its MIME headers and its content. The aggregate
/// writer hands its documents over through this without copying them into [`OwnedPart`]s.
pub(crate) trait BodyPart {
    /// Number of MIME headers.
    fn header_count(&self) -> usize;
    /// The `i`th MIME header as (name, value); `i` is below `header_count`.
    fn header(&self, i: usize) -> (&str, &str);
    /// The content bytes.
    fn content(&self) -> &[u8];
}

impl BodyPart for OwnedPart {
    fn header_count(&self) -> usize {
        self.headers.len()
    }

    fn header(&self, i: usize) -> (&str, &str) {
        self.headers
            .get(i)
            .map_or(("", ""), |(n, v)| (n.as_str(), v.as_str()))
    }

    fn content(&self) -> &[u8] {
        &self.body
    }
}

/// Writes a multipart/mixed body (RFC 2046 section 5.1.1) and returns (boundary, bytes).
/// No preamble, no epilogue; the close delimiter is the last line, without a CRLF after it.
/// RFC 2046 needs one part at least: for an empty list the result is a lone close delimiter,
/// which [`parse`](super::parse) refuses (`no-body-parts`).
pub fn build(parts: &[OwnedPart]) -> (String, Vec<u8>) {
    build_of(parts)
}

/// [`build`] over any [`BodyPart`]s.
pub(crate) fn build_of<P: BodyPart>(parts: &[P]) -> (String, Vec<u8>) {
    let boundary = choose_boundary_of(parts);
    let mut out = Vec::with_capacity(written_len(parts, &boundary));
    write_parts(parts, &boundary, &mut out);
    (boundary, out)
}

/// The exact length [`write_parts`] appends for `parts` under `boundary`.
pub(crate) fn written_len<P: BodyPart>(parts: &[P], boundary: &str) -> usize {
    // Per part: CRLF (all but the first), `--`, boundary, CRLF, headers, CRLF, content;
    // then CRLF `--` boundary `--`.
    let per_part: usize = parts
        .iter()
        .map(|p| {
            let headers: usize = headers_of(p).map(|(n, v)| n.len() + 2 + v.len() + 2).sum();
            2 + 2 + boundary.len() + 2 + headers + 2 + p.content().len()
        })
        .sum();
    (per_part + 2 + 2 + boundary.len() + 2).saturating_sub(if parts.is_empty() { 0 } else { 2 })
}

/// Appends the multipart/mixed body of `parts` under `boundary` (chosen by
/// [`choose_boundary_of`]) to `out`: what [`build`] returns, written where the caller wants it.
pub(crate) fn write_parts<P: BodyPart>(parts: &[P], boundary: &str, out: &mut impl BufMut) {
    for (i, part) in parts.iter().enumerate() {
        if i > 0 {
            out.put_slice(b"\r\n");
        }
        out.put_slice(b"--");
        out.put_slice(boundary.as_bytes());
        out.put_slice(b"\r\n");
        for (name, value) in headers_of(part) {
            out.put_slice(name.as_bytes());
            out.put_slice(b": ");
            out.put_slice(value.as_bytes());
            out.put_slice(b"\r\n");
        }
        out.put_slice(b"\r\n");
        out.put_slice(part.content());
    }
    out.put_slice(b"\r\n--");
    out.put_slice(boundary.as_bytes());
    out.put_slice(b"--");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_written_length_is_the_length_written() {
        let part = |headers: usize, body: &[u8]| OwnedPart {
            headers: (0..headers)
                .map(|i| (format!("H{i}"), "v".repeat(i)))
                .collect(),
            body: body.to_vec(),
        };
        for parts in [
            vec![],
            vec![part(0, b"")],
            vec![part(1, b"abc")],
            vec![part(2, b"x"), part(0, b""), part(3, b"--y")],
        ] {
            let (boundary, body) = build(&parts);
            assert_eq!(written_len(&parts, &boundary), body.len());
        }
    }
}
