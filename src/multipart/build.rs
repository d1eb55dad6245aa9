//! Writing a multipart/mixed body with a boundary that occurs in no part.

use super::parse::Part;

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

/// Whether `needle` occurs in `hay`: candidates are found by their first byte, so a body is
/// compared in full only where a delimiter could start (its `-`), not at every offset.
fn contains(hay: &[u8], needle: &[u8]) -> bool {
    let Some((&first, rest)) = needle.split_first() else {
        return true;
    };
    hay.iter().enumerate().any(|(i, &b)| {
        b == first
            && hay
                .get(i + 1..)
                .is_some_and(|after| after.starts_with(rest))
    })
}

/// 64-bit FNV-1a over every part, so the boundary depends only on the content (deterministic).
fn fingerprint(parts: &[OwnedPart]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    let bytes = parts.iter().flat_map(|p| {
        p.headers
            .iter()
            .flat_map(|(n, v)| n.bytes().chain(v.bytes()))
            .chain(p.body.iter().copied())
    });
    for b in bytes {
        hash = (hash ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
    }
    hash
}

/// Picks a boundary `imflow-<hash>[-n]` such that `--boundary` occurs in no header or body.
/// Each retry adds a suffix that an occurrence would have to contain, so the search ends.
pub fn choose_boundary(parts: &[OwnedPart]) -> String {
    let base = format!("imflow-{:016x}", fingerprint(parts));
    let mut n = 0u64;
    loop {
        let candidate = if n == 0 {
            base.clone()
        } else {
            format!("{base}-{n}")
        };
        let dashed = format!("--{candidate}");
        let clash = parts.iter().any(|p| {
            contains(&p.body, dashed.as_bytes())
                || p.headers
                    .iter()
                    .any(|(name, value)| name.contains(&dashed) || value.contains(&dashed))
        });
        if !clash {
            return candidate;
        }
        n += 1;
    }
}

/// Writes a multipart/mixed body (RFC 2046 section 5.1.1) and returns (boundary, bytes).
/// No preamble, no epilogue; the close delimiter is the last line, without a CRLF after it.
/// RFC 2046 needs one part at least: for an empty list the result is a lone close delimiter,
/// which [`parse`](super::parse) refuses (`no-body-parts`).
pub fn build(parts: &[OwnedPart]) -> (String, Vec<u8>) {
    let boundary = choose_boundary(parts);
    let size: usize = parts.iter().map(|p| p.body.len() + 64).sum();
    let mut out = Vec::with_capacity(size + 2 * boundary.len());
    for (i, part) in parts.iter().enumerate() {
        if i > 0 {
            out.extend_from_slice(b"\r\n");
        }
        out.extend_from_slice(b"--");
        out.extend_from_slice(boundary.as_bytes());
        out.extend_from_slice(b"\r\n");
        for (name, value) in &part.headers {
            out.extend_from_slice(name.as_bytes());
            out.extend_from_slice(b": ");
            out.extend_from_slice(value.as_bytes());
            out.extend_from_slice(b"\r\n");
        }
        out.extend_from_slice(b"\r\n");
        out.extend_from_slice(&part.body);
    }
    out.extend_from_slice(b"\r\n--");
    out.extend_from_slice(boundary.as_bytes());
    out.extend_from_slice(b"--");
    (boundary, out)
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
