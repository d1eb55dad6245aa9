//! The 64-bit FNV-1a hash a multipart boundary is made from, with constant text folded in
//! one step instead of one step per byte.
//!
//! One FNV-1a step is `h' = (h ^ b) * P`. The low byte of `h'` depends only on the low byte
//! of `h` (and `b`), and `h ^ b = h + d` where `d` depends only on that low byte, so over a
//! fixed text of `n` bytes the steps add up to `h * P^n + offset[h & 0xff]`: 256 offsets per
//! text, computed at compile time. A writer that knows which of its bytes are constant markup
//! (the IMDN document writer) hashes those with one multiply and one add per piece, and only
//! the variable text byte by byte, to the same value as hashing every byte.

/// FNV-1a 64-bit prime.
pub(crate) const FNV_PRIME: u64 = 0x0100_0000_01b3;
/// FNV-1a 64-bit offset basis: the hash of no bytes.
pub(crate) const FNV_OFFSET_BASIS: u64 = 0xcbf2_9ce4_8422_2325;

/// One FNV-1a step per byte of `bytes`, from `hash`.
pub(crate) fn fnv1a(mut hash: u64, bytes: &[u8]) -> u64 {
    // Four steps per round with one loop test; the steps are those of one loop per byte.
    let mut chunks = bytes.chunks_exact(4);
    for chunk in &mut chunks {
        if let [a, b, c, d] = *chunk {
            for byte in [a, b, c, d] {
                hash = (hash ^ u64::from(byte)).wrapping_mul(FNV_PRIME);
            }
        }
    }
    for &byte in chunks.remainder() {
        hash = (hash ^ u64::from(byte)).wrapping_mul(FNV_PRIME);
    }
    hash
}

/// [`fnv1a`] as a `const fn`, one step per byte: what the folded offsets are computed with.
const fn fnv1a_const(mut hash: u64, bytes: &[u8]) -> u64 {
    let mut i = 0;
    while i < bytes.len() {
        hash = (hash ^ bytes[i] as u64).wrapping_mul(FNV_PRIME);
        i += 1;
    }
    hash
}

/// Values a low byte of the hash can take.
const LOW_BYTES: usize = 256;

/// A constant text with its FNV-1a steps folded into one (see the module docs).
pub(crate) struct FoldedText {
    text: &'static str,
    /// `FNV_PRIME` to the power of the text's length.
    power: u64,
    /// What the steps add beyond `hash * power`, by the hash's low byte.
    offsets: [u64; LOW_BYTES],
}

impl FoldedText {
    /// `text` with its steps folded (for `static` items: evaluated at compile time).
    pub(crate) const fn new(text: &'static str) -> Self {
        let bytes = text.as_bytes();
        let mut power = 1u64;
        let mut i = 0;
        while i < bytes.len() {
            power = power.wrapping_mul(FNV_PRIME);
            i += 1;
        }
        let mut offsets = [0u64; LOW_BYTES];
        let mut low = 0;
        while low < LOW_BYTES {
            // From a start equal to its own low byte, the offset is what the steps add.
            let start = low as u64;
            offsets[low] = fnv1a_const(start, bytes).wrapping_sub(start.wrapping_mul(power));
            low += 1;
        }
        FoldedText {
            text,
            power,
            offsets,
        }
    }

    /// The text.
    pub(crate) fn text(&self) -> &'static str {
        self.text
    }

    /// `fnv1a(hash, text)` in one step.
    pub(crate) fn fold(&self, hash: u64) -> u64 {
        // A u8 index into 256 offsets: always in bounds.
        let offset = self.offsets[usize::from(hash as u8)];
        hash.wrapping_mul(self.power).wrapping_add(offset)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    static DECLARATION: FoldedText = FoldedText::new("<?xml version=\"1.0\"?>\n");
    static EMPTY: FoldedText = FoldedText::new("");

    proptest! {
        #[test]
        fn a_folded_text_hashes_as_its_bytes_one_by_one(hash in any::<u64>()) {
            for folded in [&DECLARATION, &EMPTY] {
                prop_assert_eq!(folded.fold(hash), fnv1a(hash, folded.text().as_bytes()));
            }
        }
    }

    proptest! {
        #[test]
        fn the_four_at_a_time_steps_are_the_steps_one_by_one(
            hash in any::<u64>(),
            bytes in proptest::collection::vec(any::<u8>(), 0..20),
        ) {
            prop_assert_eq!(fnv1a(hash, &bytes), fnv1a_const(hash, &bytes));
        }
    }

    #[test]
    fn fnv1a_of_a_known_text_is_the_published_value() {
        // FNV-1a 64 of "a" from the reference test vectors.
        assert_eq!(fnv1a(FNV_OFFSET_BASIS, b"a"), 0xaf63_dc4c_8601_ec8c);
    }
}
