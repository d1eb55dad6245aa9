//! Writing a multipart/mixed body with a boundary that occurs in no part.

use super::parse::Part;
use crate::sip::chars::find_of;

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

/// The MIME headers of a part, in order.
fn headers_of<P: BodyPart>(part: &P) -> impl Iterator<Item = (&str, &str)> {
    (0..part.header_count()).map(|i| part.header(i))
}

/// Whether `needle` occurs in `hay`: candidates are found by their first byte (a word at a
/// time), so a body is compared in full only where a delimiter could start (its `-`), not at
/// every offset.
fn contains(hay: &[u8], needle: &[u8]) -> bool {
    let Some((&first, rest)) = needle.split_first() else {
        return true;
    };
    let mut from = 0;
    while let Some(at) = find_of(hay, from, &[first]) {
        let after = at + 1;
        // The second byte settles most candidates (a `-` inside a word) without a compare
        // of the whole delimiter.
        let found = match rest.first() {
            None => true,
            Some(second) => {
                hay.get(after) == Some(second)
                    && hay.get(after..).is_some_and(|a| a.starts_with(rest))
            }
        };
        if found {
            return true;
        }
        from = after;
    }
    false
}

/// FNV-1a prime and offset basis (64-bit).
const FNV_PRIME: u64 = 0x0100_0000_01b3;
const FNV_OFFSET_BASIS: u64 = 0xcbf2_9ce4_8422_2325;

fn fnv1a(mut hash: u64, bytes: &[u8]) -> u64 {
    for &b in bytes {
        hash = (hash ^ u64::from(b)).wrapping_mul(FNV_PRIME);
    }
    hash
}

/// 64-bit FNV-1a over every part (each header's name and value, then the content), so the
/// boundary depends only on the content (deterministic).
fn fingerprint<P: BodyPart>(parts: &[P]) -> u64 {
    parts.iter().fold(FNV_OFFSET_BASIS, |hash, p| {
        let hash = headers_of(p).fold(hash, |hash, (n, v)| {
            fnv1a(fnv1a(hash, n.as_bytes()), v.as_bytes())
        });
        fnv1a(hash, p.content())
    })
}

/// Picks a boundary `imflow-<hash>[-n]` such that `--boundary` occurs in no header or body.
/// Each retry adds a suffix that an occurrence would have to contain, so the search ends.
pub fn choose_boundary(parts: &[OwnedPart]) -> String {
    choose_boundary_of(parts)
}

pub(crate) fn choose_boundary_of<P: BodyPart>(parts: &[P]) -> String {
    use std::fmt::Write;
    // `--imflow-` and 16 hex digits; a retry appends `-n`.
    let mut dashed = String::with_capacity(48);
    let _ = write!(dashed, "--imflow-{:016x}", fingerprint(parts));
    let base_len = dashed.len();
    let mut n = 0u64;
    loop {
        let needle = dashed.as_bytes();
        let clash = parts.iter().any(|p| {
            contains(p.content(), needle)
                || headers_of(p).any(|(name, value)| {
                    contains(name.as_bytes(), needle) || contains(value.as_bytes(), needle)
                })
        });
        if !clash {
            return dashed.split_off(2);
        }
        n += 1;
        dashed.truncate(base_len);
        let _ = write!(dashed, "-{n}");
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
pub(crate) fn write_parts<P: BodyPart>(parts: &[P], boundary: &str, out: &mut Vec<u8>) {
    for (i, part) in parts.iter().enumerate() {
        if i > 0 {
            out.extend_from_slice(b"\r\n");
        }
        out.extend_from_slice(b"--");
        out.extend_from_slice(boundary.as_bytes());
        out.extend_from_slice(b"\r\n");
        for (name, value) in headers_of(part) {
            out.extend_from_slice(name.as_bytes());
            out.extend_from_slice(b": ");
            out.extend_from_slice(value.as_bytes());
            out.extend_from_slice(b"\r\n");
        }
        out.extend_from_slice(b"\r\n");
        out.extend_from_slice(part.content());
    }
    out.extend_from_slice(b"\r\n--");
    out.extend_from_slice(boundary.as_bytes());
    out.extend_from_slice(b"--");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_delimiter_is_found_at_the_start_middle_and_end_of_a_part_but_not_cut_short() {
        let needle = b"--imflow-1";
        assert!(contains(b"--imflow-1 tail", needle));
        assert!(contains(b"head --imflow-1 tail", needle));
        assert!(contains(b"head ---imflow-1", needle));
        assert!(!contains(b"head --imflow-", needle));
        assert!(!contains(b"", needle));
        assert!(contains(b"a-b", b"-"));
        assert!(!contains(b"a-b-c", b"--"));
        assert!(contains(b"a-b--c", b"--"));
    }

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

    #[test]
    fn the_boundary_is_the_fnv1a_fingerprint_of_headers_and_content() {
        let parts = [OwnedPart {
            headers: vec![("Content-Type".to_owned(), "text/plain".to_owned())],
            body: b"hi".to_vec(),
        }];
        let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
        for b in b"Content-Typetext/plainhi" {
            hash = (hash ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3);
        }
        assert_eq!(choose_boundary(&parts), format!("imflow-{hash:016x}"));
    }

    #[test]
    fn every_retry_suffix_is_avoided_in_turn() {
        let first = choose_boundary(&[OwnedPart::default()]);
        let part = OwnedPart {
            headers: vec![("X".to_owned(), format!("--{first}-1"))],
            body: format!("--{first} --{first}-2").into_bytes(),
        };
        let base = choose_boundary(&[OwnedPart {
            body: Vec::new(),
            ..part.clone()
        }]);
        // The part's own fingerprint differs, so the clash is built for its own base.
        let clashing = OwnedPart {
            headers: vec![("X".to_owned(), format!("--{base}-1"))],
            body: format!("--{base} --{base}-2").into_bytes(),
        };
        let chosen = choose_boundary(std::slice::from_ref(&clashing));
        assert!(!contains(&clashing.body, format!("--{chosen}").as_bytes()));
        assert!(!clashing.headers[0].1.contains(&format!("--{chosen}")));
        let _ = part;
    }

    #[test]
    fn the_boundary_avoids_a_delimiter_already_in_a_part() {
        let first = choose_boundary(&[OwnedPart::default()]);
        let part = OwnedPart {
            headers: Vec::new(),
            body: format!("text --{first} more").into_bytes(),
        };
        let chosen = choose_boundary(std::slice::from_ref(&part));
        assert!(!contains(&part.body, format!("--{chosen}").as_bytes()));
    }
}
