//! Choosing the boundary of a multipart/mixed body (RFC 2046 section 5.1.1): a boundary whose
//! delimiter `--boundary` occurs in no part.
//!
//! The boundary is `imflow-` and the 64-bit FNV-1a fingerprint of the parts in hex, so the
//! same parts always get the same boundary (deterministic runs, golden wire bytes). A
//! candidate that clashes with a part gets a suffix `-1`, `-2`, ... until one does not.
//!
//! Every candidate delimiter starts with `--imflow-`, so a body in which that prefix occurs
//! nowhere takes the first candidate: one search for the prefix per part (the common case,
//! see [`choose_boundary_of`]) stands for a search per candidate. Only when the prefix does
//! occur are the candidates tried one by one (`search_from`).

use super::build::{BodyPart, OwnedPart};
use super::fnv::{fnv1a, FNV_OFFSET_BASIS};
use crate::hex::hex16;
use crate::sip::chars::find_of;
use std::sync::LazyLock;

/// What every boundary this writer chooses starts with.
const BOUNDARY_PREFIX: &str = "imflow-";
/// What every delimiter of such a boundary starts with.
const DELIMITER_PREFIX: &[u8] = b"--imflow-";

/// A searcher for [`DELIMITER_PREFIX`], built once for the whole process.
static DELIMITER_PREFIX_FINDER: LazyLock<memchr::memmem::Finder<'static>> =
    LazyLock::new(|| memchr::memmem::Finder::new(DELIMITER_PREFIX));

/// The MIME headers of a part, in order.
pub(super) fn headers_of<P: BodyPart>(part: &P) -> impl Iterator<Item = (&str, &str)> {
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

/// Whether `needle` occurs in a header name, a header value or the content of `part`.
fn part_contains<P: BodyPart>(part: &P, needle: impl Fn(&[u8]) -> bool) -> bool {
    needle(part.content())
        || headers_of(part).any(|(name, value)| needle(name.as_bytes()) || needle(value.as_bytes()))
}

/// 64-bit FNV-1a over every part (each header's name and value, then the content), so the
/// boundary depends only on the content (deterministic).
pub(super) fn fingerprint<P: BodyPart>(parts: &[P]) -> u64 {
    parts.iter().fold(FNV_OFFSET_BASIS, |hash, p| {
        let hash = headers_of(p).fold(hash, |hash, (n, v)| {
            fnv1a(fnv1a(hash, n.as_bytes()), v.as_bytes())
        });
        fnv1a(hash, p.content())
    })
}

/// The first candidate boundary of parts with this fingerprint: the prefix, then the
/// fingerprint in 16 lowercase hex digits (what `{:016x}` writes), with no formatter.
fn first_candidate(fingerprint: u64) -> String {
    let digits = hex16(fingerprint);
    let mut candidate = String::with_capacity(BOUNDARY_PREFIX.len() + digits.len());
    candidate.push_str(BOUNDARY_PREFIX);
    // Hex digits are ASCII.
    candidate.extend(digits.iter().copied().map(char::from));
    candidate
}

/// Picks a boundary `imflow-<hash>[-n]` such that `--boundary` occurs in no header or body.
/// Each retry adds a suffix that an occurrence would have to contain, so the search ends.
pub fn choose_boundary(parts: &[OwnedPart]) -> String {
    choose_boundary_of(parts)
}

/// [`choose_boundary`] over any [`BodyPart`]s.
pub(crate) fn choose_boundary_of<P: BodyPart>(parts: &[P]) -> String {
    choose_boundary_for(parts, fingerprint(parts))
}

/// [`choose_boundary_of`] for parts whose [`fingerprint`] is known (a writer that hashed
/// them as it wrote them).
pub(crate) fn choose_boundary_for<P: BodyPart>(parts: &[P], fingerprint: u64) -> String {
    let prefix_found = parts
        .iter()
        .any(|p| part_contains(p, |hay| DELIMITER_PREFIX_FINDER.find(hay).is_some()));
    if prefix_found {
        return search_from(parts, fingerprint);
    }
    // No part holds `--imflow-`, so none holds a candidate delimiter: the first is free.
    first_candidate(fingerprint)
}

/// [`choose_boundary_for`] for parts whose headers hold no `--imflow-` and whose contents
/// all lie, one after another, in `contents` (a writer's buffer of documents): one search of
/// `contents` stands for one per part. An occurrence across two parts only sends the choice
/// to the exact search, which then takes the first candidate all the same.
pub(crate) fn choose_boundary_within<P: BodyPart>(
    parts: &[P],
    fingerprint: u64,
    contents: &[u8],
) -> String {
    if DELIMITER_PREFIX_FINDER.find(contents).is_some() {
        return search_from(parts, fingerprint);
    }
    first_candidate(fingerprint)
}

/// The first of the candidates for `fingerprint` whose delimiter occurs in no part.
fn search_from<P: BodyPart>(parts: &[P], fingerprint: u64) -> String {
    use std::fmt::Write;
    let mut dashed = format!("--{}", first_candidate(fingerprint));
    let base_len = dashed.len();
    let mut n = 0u64;
    loop {
        let needle = dashed.as_bytes();
        let clash = parts
            .iter()
            .any(|p| part_contains(p, |hay| contains(hay, needle)));
        if !clash {
            return dashed.split_off(2);
        }
        n += 1;
        dashed.truncate(base_len);
        let _ = write!(dashed, "-{n}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

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
        let first = first_candidate(0);
        let part = OwnedPart {
            headers: vec![("X".to_owned(), format!("--{first}-1"))],
            body: format!("--{first} --{first}-2 --{first}-30").into_bytes(),
        };
        // `-3` is a prefix of `-30`, so it clashes too.
        assert_eq!(
            search_from(std::slice::from_ref(&part), 0),
            format!("{first}-4")
        );
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

    /// [`choose_boundary_of`] by trying each candidate against every part in turn: the general
    /// search, for parts in which the delimiter prefix occurs.
    fn choose_boundary_by_search<P: BodyPart>(parts: &[P]) -> String {
        search_from(parts, fingerprint(parts))
    }

    /// Parts whose bytes often hold the delimiter prefix, a candidate, or a piece of one.
    fn parts_near_the_prefix() -> impl Strategy<Value = Vec<OwnedPart>> {
        let piece = prop_oneof![
            Just(String::new()),
            Just("--imflow-".to_owned()),
            Just("-imflow-".to_owned()),
            Just("--imflo".to_owned()),
            Just("-1".to_owned()),
            "[0-9a-f]{0,16}",
            "[ -~]{0,12}",
        ];
        let text = proptest::collection::vec(piece, 0..6).prop_map(|p| p.concat());
        let part = (
            proptest::collection::vec((text.clone(), text.clone()), 0..3),
            text,
        )
            .prop_map(|(headers, body)| OwnedPart {
                headers,
                body: body.into_bytes(),
            });
        proptest::collection::vec(part, 0..4)
    }

    proptest! {
        #[test]
        fn the_first_candidate_is_the_prefix_and_the_fingerprint_in_hex(fingerprint in any::<u64>()) {
            let formatted = format!("{BOUNDARY_PREFIX}{fingerprint:016x}");
            prop_assert_eq!(first_candidate(fingerprint), formatted);
        }

        #[test]
        fn the_prefix_check_chooses_what_the_candidate_search_chooses(
            parts in parts_near_the_prefix(),
        ) {
            prop_assert_eq!(choose_boundary_of(&parts), choose_boundary_by_search(&parts));
        }

    }
}
