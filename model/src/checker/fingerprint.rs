//! 64-bit state fingerprints and the visited-state set built on them.
//!
//! The checker stores no states it has finished with, only their fingerprints: a 64-bit hash of
//! the state's `Hash` encoding. Two distinct states with the same fingerprint would make the
//! second one look visited and hide its successors. With `n` uniformly distributed 64-bit
//! fingerprints the chance of any collision is about `n² / 2⁶⁵`: 2.7e-6 for 10 million states,
//! 2.7e-4 for 100 million, 3.3e-3 for 350 million (and the same odds that such a collision
//! hides a violation, at most). The hash below folds each 64-bit word of the state's encoding
//! into the running value with a full 64×64→128-bit multiply (high and low halves xor-ed), which
//! spreads every input bit over every output bit, unlike FxHash's single wrapping multiply whose
//! low output bits depend only on low input bits. Its constants are fixed, so fingerprints are
//! the same on every run and machine.

use std::hash::{Hash, Hasher};

/// Odd 64-bit constants (fractions of the golden ratio and of e) used to fold words.
const FOLD_MULTIPLIERS: [u64; 2] = [0x9E37_79B9_7F4A_7C15, 0xB7E1_5162_8AED_2A6B];
/// Starting values of the four lanes (digits of pi), so an empty input is not zero.
const LANE_SEEDS: [u64; LANES] = [
    0x243F_6A88_85A3_08D3,
    0x1319_8A2E_0370_7344,
    0xA409_3822_299F_31D0,
    0x082E_FA98_EC4E_6C89,
];
/// Independent multiply chains, so the CPU overlaps their multiplications.
const LANES: usize = 4;
/// Bytes folded at a time: eight 64-bit words, two per lane.
const BLOCK_BYTES: usize = 64;
/// Buffer size: a block plus room for one more 8-byte write past it.
const BUFFER_BYTES: usize = BLOCK_BYTES + 16;
/// Integers below this are written as one byte (most fields and enum discriminants are small).
const SHORT_INTEGER_LIMIT: u64 = 0x80;
/// Marker byte before an integer written at full width; never a short integer's byte.
const LONG_INTEGER_MARKER: u8 = 0x80;

/// 128-bit product folded to 64 bits.
#[inline(always)]
fn fold_multiply(a: u64, b: u64) -> u64 {
    let product = u128::from(a) * u128::from(b);
    (product as u64) ^ ((product >> 64) as u64)
}

/// The hasher computing a state's fingerprint.
///
/// A derived `Hash` makes one call per field, mostly tiny integers and enum discriminants, so
/// the per-call cost dominates. Each call only appends bytes to a buffer (integers below 128 as
/// one byte, others as a marker byte and their full width: a prefix-free, hence injective,
/// encoding); every full 64-byte block is folded into four independent lanes at once.
#[derive(Clone, Copy, Debug)]
pub(crate) struct FingerprintHasher {
    buffer: [u8; BUFFER_BYTES],
    len: usize,
    lanes: [u64; LANES],
    blocks: u64,
}

impl Default for FingerprintHasher {
    fn default() -> Self {
        FingerprintHasher {
            buffer: [0; BUFFER_BYTES],
            len: 0,
            lanes: LANE_SEEDS,
            blocks: 0,
        }
    }
}

impl FingerprintHasher {
    /// Appends the first `width` (at most 8) of `bytes`.
    #[inline(always)]
    fn put(&mut self, bytes: [u8; 8], width: usize) {
        // `len` stays below BLOCK_BYTES between calls; the mask lets the compiler see that the
        // 8-byte store fits the buffer.
        let at = self.len & (BLOCK_BYTES - 1);
        if let Some(slot) = self.buffer.get_mut(at..at + 8) {
            slot.copy_from_slice(&bytes);
        }
        self.len = at + width;
        if self.len >= BLOCK_BYTES {
            self.fold_block();
        }
    }

    /// Folds the buffer's first block into the lanes and keeps the bytes past it.
    #[inline]
    fn fold_block(&mut self) {
        let mut block = [0u8; BLOCK_BYTES];
        block.copy_from_slice(&self.buffer[..BLOCK_BYTES]);
        fold_into(&mut self.lanes, &block);
        self.buffer.copy_within(BLOCK_BYTES.., 0);
        self.len -= BLOCK_BYTES;
        self.blocks += 1;
    }

    /// Appends an integer of `width` bytes: one byte if small, else the marker and all bytes.
    #[inline(always)]
    fn put_integer(&mut self, value: u64, width: usize) {
        if value < SHORT_INTEGER_LIMIT {
            self.put([value as u8, 0, 0, 0, 0, 0, 0, 0], 1);
        } else {
            self.put([LONG_INTEGER_MARKER, 0, 0, 0, 0, 0, 0, 0], 1);
            self.put(value.to_le_bytes(), width);
        }
    }
}

/// Folds one block into the lanes: word `i` goes to lane `i % LANES`.
#[inline(always)]
fn fold_into(lanes: &mut [u64; LANES], block: &[u8; BLOCK_BYTES]) {
    for (index, chunk) in block.chunks_exact(8).enumerate() {
        let mut word = [0u8; 8];
        word.copy_from_slice(chunk);
        let lane = &mut lanes[index % LANES];
        *lane = fold_multiply(*lane ^ u64::from_le_bytes(word), FOLD_MULTIPLIERS[0]);
    }
}

impl Hasher for FingerprintHasher {
    #[inline(always)]
    fn write(&mut self, bytes: &[u8]) {
        // Callers delimit byte strings themselves (`[u8]` writes its length first, `str` a final
        // 0xff), so bytes are appended as they are.
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            let mut word = [0u8; 8];
            word.copy_from_slice(chunk);
            self.put(word, 8);
        }
        let rest = chunks.remainder();
        let mut word = [0u8; 8];
        word[..rest.len()].copy_from_slice(rest);
        self.put(word, rest.len());
    }
    #[inline(always)]
    fn write_u8(&mut self, i: u8) {
        self.put([i, 0, 0, 0, 0, 0, 0, 0], 1);
    }
    #[inline(always)]
    fn write_u16(&mut self, i: u16) {
        self.put_integer(u64::from(i), 2);
    }
    #[inline(always)]
    fn write_u32(&mut self, i: u32) {
        self.put_integer(u64::from(i), 4);
    }
    #[inline(always)]
    fn write_u64(&mut self, i: u64) {
        self.put_integer(i, 8);
    }
    #[inline(always)]
    fn write_u128(&mut self, i: u128) {
        self.write_u64(i as u64);
        self.write_u64((i >> 64) as u64);
    }
    #[inline(always)]
    fn write_usize(&mut self, i: usize) {
        self.put_integer(i as u64, 8);
    }
    #[inline(always)]
    fn write_isize(&mut self, i: isize) {
        // Enum discriminants arrive here.
        self.put_integer(i as u64, 8);
    }
    #[inline]
    fn finish(&self) -> u64 {
        let mut lanes = self.lanes;
        let mut block = [0u8; BLOCK_BYTES];
        let len = self.len.min(BLOCK_BYTES);
        block[..len].copy_from_slice(&self.buffer[..len]);
        fold_into(&mut lanes, &block);
        let total = self.blocks * BLOCK_BYTES as u64 + len as u64;
        let [a, b, c, d] = lanes;
        let mut h = fold_multiply(a ^ total, FOLD_MULTIPLIERS[1]);
        h = fold_multiply(h ^ b, FOLD_MULTIPLIERS[0]);
        h = fold_multiply(h ^ c, FOLD_MULTIPLIERS[1]);
        fold_multiply(h ^ d, FOLD_MULTIPLIERS[0])
    }
}

/// Stands in for a zero hash, which the visited table reserves for empty slots (this merges two
/// fingerprints out of 2⁶⁴, a negligible addition to the collision odds).
const ZERO_REPLACEMENT: u64 = FOLD_MULTIPLIERS[0];

/// The 64-bit fingerprint of a state; never zero.
#[inline]
pub(crate) fn fingerprint<T: Hash + ?Sized>(state: &T) -> u64 {
    let mut hasher = FingerprintHasher::default();
    state.hash(&mut hasher);
    match hasher.finish() {
        0 => ZERO_REPLACEMENT,
        nonzero => nonzero,
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::*;
    use crate::checker::visited::{shard_of, SHARDS};

    #[test]
    fn small_distinct_states_have_distinct_fingerprints_spread_over_all_shards() {
        let mut seen = HashSet::new();
        let mut per_shard = [0u32; SHARDS];
        for a in 0u16..1024 {
            for b in 0u8..=255 {
                let fingerprint = fingerprint(&(a, b, [b; 3]));
                assert!(seen.insert(fingerprint), "collision at ({a}, {b})");
                per_shard[shard_of(fingerprint)] += 1;
            }
        }
        let expected = (1024 * 256 / SHARDS) as u32;
        for count in per_shard {
            assert!(count > expected * 9 / 10 && count < expected * 11 / 10);
        }
    }

    #[test]
    fn byte_strings_differing_only_in_trailing_zeros_differ() {
        assert_ne!(fingerprint(&b"ab"[..]), fingerprint(&b"ab\0"[..]));
        let mut short = FingerprintHasher::default();
        short.write(b"ab");
        let mut long = FingerprintHasher::default();
        long.write(b"ab\0");
        assert_ne!(short.finish(), long.finish());
    }
}
