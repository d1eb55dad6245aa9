//! 64-bit state fingerprints and the visited-state set built on them.
//!
//! The checker stores no states it has finished with, only their fingerprints: a 64-bit hash of
//! the state's `Hash` encoding. Two distinct states with the same fingerprint would make the
//! second one look visited and hide its successors. With `n` uniformly distributed 64-bit
//! fingerprints the chance of any collision is about `n² / 2⁶⁵`: 2.7e-6 for 10 million states,
//! 2.7e-4 for 100 million, 3.3e-3 for 350 million. The hash below folds each written word into
//! the running value with a full 64×64→128-bit multiply (high and low halves xor-ed), which mixes
//! every input bit into every output bit, unlike FxHash's single wrapping multiply whose low
//! output bits depend only on low input bits. Its constants are fixed, so fingerprints (and hence
//! the order of discoveries) are the same on every run and every machine.

use std::collections::HashSet;
use std::hash::{BuildHasherDefault, Hash, Hasher};

/// Odd 64-bit constant (the golden ratio's fraction) used to fold each written word.
const FOLD_MULTIPLIER: u64 = 0x9E37_79B9_7F4A_7C15;
/// Starting value of every fingerprint (digits of pi), so an empty input is not zero.
const FOLD_SEED: u64 = 0x243F_6A88_85A3_08D3;
/// Constant of the final fold (digits of e), so the last word is mixed as well as the others.
const FINISH_MULTIPLIER: u64 = 0xB7E1_5162_8AED_2A6B;

/// Number of visited-set shards; a power of two.
pub(crate) const SHARDS: usize = 64;
/// Fingerprint bits selecting the shard: bits 50..56, which neither the hash table's bucket index
/// (low bits) nor its control tag (top 7 bits) uses, so every shard still sees full entropy.
const SHARD_SHIFT: u32 = 50;

/// 128-bit product folded to 64 bits.
#[inline(always)]
fn fold_multiply(a: u64, b: u64) -> u64 {
    let product = u128::from(a) * u128::from(b);
    (product as u64) ^ ((product >> 64) as u64)
}

/// The hasher computing a state's fingerprint.
#[derive(Clone, Copy, Debug)]
pub(crate) struct FingerprintHasher {
    value: u64,
}

impl Default for FingerprintHasher {
    fn default() -> Self {
        FingerprintHasher { value: FOLD_SEED }
    }
}

impl Hasher for FingerprintHasher {
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            let mut word = [0u8; 8];
            word.copy_from_slice(chunk);
            self.write_u64(u64::from_le_bytes(word));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut word = [0u8; 8];
            word[..rest.len()].copy_from_slice(rest);
            // The length goes in the top byte so "ab" and "ab\0" differ.
            self.write_u64(u64::from_le_bytes(word) ^ ((rest.len() as u64) << 56));
        }
    }
    #[inline]
    fn write_u8(&mut self, i: u8) {
        self.write_u64(u64::from(i));
    }
    #[inline]
    fn write_u16(&mut self, i: u16) {
        self.write_u64(u64::from(i));
    }
    #[inline]
    fn write_u32(&mut self, i: u32) {
        self.write_u64(u64::from(i));
    }
    #[inline]
    fn write_u64(&mut self, i: u64) {
        self.value = fold_multiply(self.value ^ i, FOLD_MULTIPLIER);
    }
    #[inline]
    fn write_u128(&mut self, i: u128) {
        self.write_u64(i as u64);
        self.write_u64((i >> 64) as u64);
    }
    #[inline]
    fn write_usize(&mut self, i: usize) {
        self.write_u64(i as u64);
    }
    #[inline]
    fn finish(&self) -> u64 {
        fold_multiply(self.value ^ FINISH_MULTIPLIER, FOLD_MULTIPLIER)
    }
}

/// The 64-bit fingerprint of a state.
#[inline]
pub fn fingerprint<T: Hash + ?Sized>(state: &T) -> u64 {
    let mut hasher = FingerprintHasher::default();
    state.hash(&mut hasher);
    hasher.finish()
}

/// A hasher for keys that already are fingerprints: passes the value through.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct PassThroughHasher {
    value: u64,
}

impl Hasher for PassThroughHasher {
    fn write(&mut self, bytes: &[u8]) {
        // Only `u64` keys are hashed with this hasher; fold anything else in rather than panic.
        for &byte in bytes {
            self.value = self.value.rotate_left(8) ^ u64::from(byte);
        }
    }
    #[inline]
    fn write_u64(&mut self, i: u64) {
        self.value = i;
    }
    #[inline]
    fn finish(&self) -> u64 {
        self.value
    }
}

/// Hash-table builder for fingerprint keys.
pub(crate) type FingerprintBuild = BuildHasherDefault<PassThroughHasher>;

/// The shard a fingerprint belongs to.
#[inline]
pub(crate) fn shard_of(fingerprint: u64) -> usize {
    (fingerprint >> SHARD_SHIFT) as usize & (SHARDS - 1)
}

/// The set of fingerprints of every state stored so far, split in [`SHARDS`] shards so that
/// tables grow a little at a time and threads can fill disjoint shards in parallel.
#[derive(Debug)]
pub(crate) struct VisitedSet {
    shards: Vec<HashSet<u64, FingerprintBuild>>,
    len: u64,
}

impl VisitedSet {
    /// An empty set.
    pub(crate) fn new() -> Self {
        VisitedSet {
            shards: (0..SHARDS).map(|_| HashSet::default()).collect(),
            len: 0,
        }
    }

    /// Number of fingerprints stored.
    pub(crate) fn len(&self) -> u64 {
        self.len
    }

    /// Whether `fingerprint` is stored.
    #[inline]
    pub(crate) fn contains(&self, fingerprint: u64) -> bool {
        self.shards
            .get(shard_of(fingerprint))
            .is_some_and(|shard| shard.contains(&fingerprint))
    }

    /// Stores `fingerprint`; true if it was new.
    #[inline]
    pub(crate) fn insert(&mut self, fingerprint: u64) -> bool {
        let new = self
            .shards
            .get_mut(shard_of(fingerprint))
            .is_some_and(|shard| shard.insert(fingerprint));
        self.len += u64::from(new);
        new
    }

    /// The shards, for filling them in parallel (one thread per disjoint group of shards); the
    /// caller adds the number of new entries with [`VisitedSet::add_len`].
    pub(crate) fn shards_mut(&mut self) -> &mut [HashSet<u64, FingerprintBuild>] {
        &mut self.shards
    }

    /// Accounts for entries inserted through [`VisitedSet::shards_mut`].
    pub(crate) fn add_len(&mut self, added: u64) {
        self.len += added;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
