//! The Via branch that names a transaction (RFC 3261 sections 8.1.1.7 and 17.2.3), held
//! without a heap allocation when it is short.
//!
//! Every client and server transaction key carries one branch, and a node starts about one
//! transaction per message it sends or receives, so a shared heap string per key was one
//! allocation per transaction. A branch this crate writes is the magic cookie and a 16-byte
//! token (23 bytes), and the branches peers send are of the same size, so a [`Branch`] keeps
//! up to [`BRANCH_INLINE_BYTES_MAX`] bytes inline and only a longer one (an RFC 2543 stand-in
//! built from Call-ID and CSeq, or a peer's long branch) in a shared heap string. Either way it
//! reads, compares, orders, hashes and prints exactly as the `str` it holds.

use std::borrow::Borrow;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::sync::Arc;

/// Longest branch, in bytes, held inline; a longer one goes to the heap.
pub const BRANCH_INLINE_BYTES_MAX: usize = 30;

/// A transaction's Via branch: a `str` (it derefs to one, and compares, orders, hashes and
/// prints as one) stored inline up to [`BRANCH_INLINE_BYTES_MAX`] bytes, shared on the heap
/// beyond; a clone never copies heap bytes. Built with `From<&str>` or `From<String>`
/// (`"z9hG4bK1".into()`).
#[derive(Clone)]
pub struct Branch(Repr);

#[derive(Clone)]
enum Repr {
    /// `len` bytes of `text` are the branch (always UTF-8: copied from a `str`).
    Inline {
        len: u8,
        text: [u8; BRANCH_INLINE_BYTES_MAX],
    },
    /// A branch longer than the inline room.
    Shared(Arc<str>),
}

impl Branch {
    /// The branch as text.
    pub fn as_str(&self) -> &str {
        match &self.0 {
            // Copied from a `str` whole, so the check cannot fail.
            Repr::Inline { .. } => std::str::from_utf8(self.as_bytes()).unwrap_or_default(),
            Repr::Shared(text) => text,
        }
    }

    /// The branch's bytes (its text, read with no UTF-8 check: a key compared on every
    /// response matched compares these).
    pub(crate) fn as_bytes(&self) -> &[u8] {
        match &self.0 {
            Repr::Inline { len, text } => text.get(..usize::from(*len)).unwrap_or_default(),
            Repr::Shared(text) => text.as_bytes(),
        }
    }
}

impl Branch {
    /// The branch `head` then `tail` (the magic cookie then a token), built from the two
    /// texts with no joined copy made first and checked again.
    pub fn joined(head: &str, tail: &str) -> Branch {
        let len = head.len() + tail.len();
        let mut text = [0u8; BRANCH_INLINE_BYTES_MAX];
        match (text.get_mut(..len), u8::try_from(len)) {
            (Some(room), Ok(len)) => {
                let (front, back) = room.split_at_mut(head.len());
                front.copy_from_slice(head.as_bytes());
                back.copy_from_slice(tail.as_bytes());
                Branch(Repr::Inline { len, text })
            }
            _ => Branch(Repr::Shared(Arc::from([head, tail].concat()))),
        }
    }

    /// [`joined`](Self::joined) with a tail given as bytes (a token's digits), checked to be
    /// ASCII (so UTF-8) in one pass instead of read as text first; any other tail is read as
    /// text, its invalid bytes replaced.
    pub fn joined_ascii(head: &str, tail: &[u8]) -> Branch {
        let len = head.len() + tail.len();
        let mut text = [0u8; BRANCH_INLINE_BYTES_MAX];
        match (text.get_mut(..len), u8::try_from(len)) {
            (Some(room), Ok(len)) if tail.is_ascii() => {
                let (front, back) = room.split_at_mut(head.len());
                front.copy_from_slice(head.as_bytes());
                back.copy_from_slice(tail);
                Branch(Repr::Inline { len, text })
            }
            _ => Branch::joined(head, &String::from_utf8_lossy(tail)),
        }
    }
}

impl From<&str> for Branch {
    fn from(branch: &str) -> Self {
        let mut text = [0u8; BRANCH_INLINE_BYTES_MAX];
        match (text.get_mut(..branch.len()), u8::try_from(branch.len())) {
            (Some(room), Ok(len)) => {
                room.copy_from_slice(branch.as_bytes());
                Branch(Repr::Inline { len, text })
            }
            _ => Branch(Repr::Shared(Arc::from(branch))),
        }
    }
}

impl From<String> for Branch {
    fn from(branch: String) -> Self {
        if branch.len() <= BRANCH_INLINE_BYTES_MAX {
            Branch::from(branch.as_str())
        } else {
            Branch(Repr::Shared(Arc::from(branch)))
        }
    }
}

impl std::ops::Deref for Branch {
    type Target = str;

    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl AsRef<str> for Branch {
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

impl Borrow<str> for Branch {
    fn borrow(&self) -> &str {
        self.as_str()
    }
}

impl PartialEq for Branch {
    fn eq(&self, other: &Self) -> bool {
        match (&self.0, &other.0) {
            // Each written into zeroed room, so past `len` both rooms hold zeros: the whole
            // rooms compare as the texts do, in one compare of fixed length (no call).
            (Repr::Inline { len, text }, Repr::Inline { len: l, text: t }) => len == l && text == t,
            _ => self.as_bytes() == other.as_bytes(),
        }
    }
}

impl Eq for Branch {}

impl PartialOrd for Branch {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

// `str` orders by its bytes, so the bytes order as the text does.
impl Ord for Branch {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.as_bytes().cmp(other.as_bytes())
    }
}

// Hashed as `str` hashes (its bytes, then the 0xff stable Rust's `Hasher::write_str` adds),
// from the bytes: an inline branch would otherwise be checked as UTF-8 on every hash.
impl Hash for Branch {
    fn hash<H: Hasher>(&self, state: &mut H) {
        state.write(self.as_bytes());
        state.write_u8(0xff);
    }
}

impl fmt::Debug for Branch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

impl fmt::Display for Branch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::hash_map::DefaultHasher;

    /// The hash of `value` by the standard library's hasher and by the crate's table hasher.
    fn hash_of<T: Hash + ?Sized>(value: &T) -> (u64, u64) {
        let mut state = DefaultHasher::new();
        value.hash(&mut state);
        let mut fx = rustc_hash::FxHasher::default();
        value.hash(&mut fx);
        (state.finish(), fx.finish())
    }

    /// Texts around the inline limit, empty, and non-ASCII.
    fn samples() -> Vec<String> {
        let mut texts = vec![
            String::new(),
            "z9hG4bK".to_owned(),
            "z9hG4bK0123456789abcdef".to_owned(),
            "rfc2543:call-1@host:7".to_owned(),
            "z9hG4bKé".to_owned(),
        ];
        for len in BRANCH_INLINE_BYTES_MAX - 1..=BRANCH_INLINE_BYTES_MAX + 1 {
            texts.push("b".repeat(len));
        }
        texts.push("x".repeat(300));
        texts
    }

    #[test]
    fn a_branch_reads_hashes_and_prints_as_its_text_inline_or_not() {
        for text in samples() {
            for branch in [Branch::from(text.as_str()), Branch::from(text.clone())] {
                assert_eq!(&*branch, text.as_str());
                assert_eq!(hash_of(&branch), hash_of(text.as_str()));
                assert_eq!(
                    format!("{branch:?}"),
                    format!("{:?}", Arc::<str>::from(&*text))
                );
                assert_eq!(branch.to_string(), text);
            }
        }
    }

    #[test]
    fn branches_compare_and_order_as_their_texts() {
        let texts = samples();
        for a in &texts {
            for b in &texts {
                let (x, y) = (Branch::from(a.as_str()), Branch::from(b.clone()));
                assert_eq!(x == y, a == b, "{a:?} {b:?}");
                assert_eq!(x.cmp(&y), a.cmp(b), "{a:?} {b:?}");
            }
        }
    }

    #[test]
    fn a_joined_branch_is_the_branch_of_its_joined_text() {
        let texts = samples();
        for head in &texts {
            for tail in &texts {
                let joined = Branch::joined(head, tail);
                let whole = format!("{head}{tail}");
                assert_eq!(joined, Branch::from(whole.as_str()));
                assert_eq!(&*joined, whole.as_str());
                assert_eq!(
                    matches!(joined.0, Repr::Inline { .. }),
                    whole.len() <= BRANCH_INLINE_BYTES_MAX
                );
            }
        }
    }

    #[test]
    fn a_branch_joined_from_bytes_is_the_one_joined_from_their_text() {
        let texts = samples();
        for head in &texts {
            for tail in &texts {
                let joined = Branch::joined_ascii(head, tail.as_bytes());
                assert_eq!(joined, Branch::joined(head, tail));
                assert_eq!(&*joined, format!("{head}{tail}"));
            }
            // Bytes that are not text are read as text, their invalid bytes replaced.
            let lossy = Branch::joined_ascii(head, b"a\xffb");
            assert_eq!(&*lossy, format!("{head}a\u{fffd}b"));
        }
    }

    #[test]
    fn only_a_branch_over_the_inline_room_goes_to_the_heap() {
        let fits = "b".repeat(BRANCH_INLINE_BYTES_MAX);
        let over = "b".repeat(BRANCH_INLINE_BYTES_MAX + 1);
        assert!(matches!(Branch::from(fits.as_str()).0, Repr::Inline { .. }));
        assert!(matches!(Branch::from(fits).0, Repr::Inline { .. }));
        assert!(matches!(Branch::from(over.as_str()).0, Repr::Shared(_)));
        assert!(matches!(Branch::from(over).0, Repr::Shared(_)));
    }

    #[test]
    fn a_branch_lends_its_text_as_str_and_finds_its_entry_by_that_text() {
        for text in [
            "z9hG4bK1",
            &format!("z9hG4bK{}", "x".repeat(BRANCH_INLINE_BYTES_MAX)),
        ] {
            let branch = Branch::from(text);
            let lent: &str = branch.as_ref();
            assert_eq!(lent, text);
            let mut by_branch = std::collections::HashMap::new();
            by_branch.insert(branch.clone(), 7);
            assert_eq!(
                by_branch.get(text),
                Some(&7),
                "looked up by &str through Borrow"
            );
            let mut ordered = std::collections::BTreeSet::new();
            ordered.insert(branch);
            assert!(ordered.contains(text));
        }
    }

    #[test]
    fn branches_compare_partially_as_they_order() {
        let (a, b) = (Branch::from("z9hG4bKa"), Branch::from("z9hG4bKb"));
        assert_eq!(a.partial_cmp(&b), Some(std::cmp::Ordering::Less));
        assert_eq!(b.partial_cmp(&a), Some(std::cmp::Ordering::Greater));
        assert_eq!(a.partial_cmp(&a.clone()), Some(std::cmp::Ordering::Equal));
        assert!(a < b);
    }
}
