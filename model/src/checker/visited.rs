//! The visited set: the fingerprint of every state stored so far, in flat open-addressing tables.
//!
//! Fingerprints are already uniformly distributed, so each table is a plain array of `u64`
//! indexed by the fingerprint's low bits with linear probing, zero marking an empty slot (the
//! fingerprint function never returns zero). A lookup touches one cache line in the common case,
//! where a general-purpose hash set touches two (control bytes and slot); at this size every
//! lookup is a cache miss, so that is the search's main memory cost. The set is split into
//! [`SHARDS`] tables selected by other fingerprint bits, so a table grows a little at a time (the
//! transient copy is 1/64 of the set) and threads can fill disjoint shards in parallel.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// Number of shards; a power of two.
pub(crate) const SHARDS: usize = 64;
/// Fingerprint bits selecting the shard: bits 50..56, disjoint from the low bits indexing a
/// table (tables stay far below 2⁵⁰ slots) and from the top 7 bits that `HashMap` uses as tags.
const SHARD_SHIFT: u32 = 50;
/// Slots of a table when it first grows.
const TABLE_SLOTS_MIN: usize = 1024;
/// Most occupied slots per hundred before a table doubles.
const TABLE_LOAD_PERCENT_MAX: usize = 75;
/// The empty-slot marker.
const EMPTY: u64 = 0;

/// The shard a fingerprint belongs to.
#[inline]
pub(crate) fn shard_of(fingerprint: u64) -> usize {
    (fingerprint >> SHARD_SHIFT) as usize & (SHARDS - 1)
}

/// One shard: an open-addressing table of non-zero fingerprints.
#[derive(Debug, Default)]
pub(crate) struct FingerprintTable {
    slots: Vec<u64>,
    len: usize,
}

impl FingerprintTable {
    /// Whether `fingerprint` is stored.
    #[inline]
    pub(crate) fn contains(&self, fingerprint: u64) -> bool {
        let mask = self.slots.len().wrapping_sub(1);
        let mut index = fingerprint as usize & mask;
        while let Some(&slot) = self.slots.get(index) {
            if slot == fingerprint {
                return true;
            }
            if slot == EMPTY {
                return false;
            }
            index = (index + 1) & mask;
        }
        false
    }

    /// Stores `fingerprint`; true if it was new.
    #[inline]
    pub(crate) fn insert(&mut self, fingerprint: u64) -> bool {
        if (self.len + 1) * 100 > self.slots.len() * TABLE_LOAD_PERCENT_MAX {
            self.grow_to(self.len + 1);
        }
        let mask = self.slots.len().wrapping_sub(1);
        let mut index = fingerprint as usize & mask;
        while let Some(slot) = self.slots.get_mut(index) {
            if *slot == fingerprint {
                return false;
            }
            if *slot == EMPTY {
                *slot = fingerprint;
                self.len += 1;
                return true;
            }
            index = (index + 1) & mask;
        }
        false
    }

    /// Makes room for `additional` more fingerprints without further growth.
    pub(crate) fn reserve(&mut self, additional: usize) {
        let wanted = self.len + additional;
        if wanted * 100 > self.slots.len() * TABLE_LOAD_PERCENT_MAX {
            self.grow_to(wanted);
        }
    }

    /// Number of fingerprints stored.
    pub(crate) fn len(&self) -> usize {
        self.len
    }

    /// Rebuilds the table with room for `entries` at the maximum load.
    fn grow_to(&mut self, entries: usize) {
        let mut slots = self.slots.len().max(TABLE_SLOTS_MIN);
        while entries * 100 > slots * TABLE_LOAD_PERCENT_MAX {
            slots *= 2;
        }
        let old = std::mem::replace(&mut self.slots, vec![EMPTY; slots]);
        let mask = slots - 1;
        for fingerprint in old.into_iter().filter(|&slot| slot != EMPTY) {
            let mut index = fingerprint as usize & mask;
            while let Some(slot) = self.slots.get_mut(index) {
                if *slot == EMPTY {
                    *slot = fingerprint;
                    break;
                }
                index = (index + 1) & mask;
            }
        }
    }
}

/// The set of fingerprints of every state stored so far.
#[derive(Debug)]
pub(crate) struct VisitedSet {
    shards: Vec<FingerprintTable>,
}

impl VisitedSet {
    /// An empty set.
    pub(crate) fn new() -> Self {
        VisitedSet {
            shards: (0..SHARDS).map(|_| FingerprintTable::default()).collect(),
        }
    }

    /// Number of fingerprints stored.
    pub(crate) fn len(&self) -> u64 {
        self.shards.iter().map(|shard| shard.len() as u64).sum()
    }

    /// Whether `fingerprint` is stored.
    #[inline]
    pub(crate) fn contains(&self, fingerprint: u64) -> bool {
        self.shards
            .get(shard_of(fingerprint))
            .is_some_and(|shard| shard.contains(fingerprint))
    }

    /// Stores `fingerprint`; true if it was new.
    #[inline]
    pub(crate) fn insert(&mut self, fingerprint: u64) -> bool {
        self.shards
            .get_mut(shard_of(fingerprint))
            .is_some_and(|shard| shard.insert(fingerprint))
    }

    /// The shards, for filling them in parallel (one thread per disjoint group of shards).
    pub(crate) fn shards_mut(&mut self) -> &mut [FingerprintTable] {
        &mut self.shards
    }
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

/// A map keyed by fingerprints (used for the level being built in parallel).
pub(crate) type FingerprintMap<V> = HashMap<u64, V, BuildHasherDefault<PassThroughHasher>>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_table_keeps_every_fingerprint_across_growth() {
        let mut table = FingerprintTable::default();
        let fingerprints: Vec<u64> = (1..=10_000u64)
            .map(|i| i.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
            .collect();
        for &fingerprint in &fingerprints {
            assert!(!table.contains(fingerprint));
            assert!(table.insert(fingerprint));
        }
        for &fingerprint in &fingerprints {
            assert!(table.contains(fingerprint));
            assert!(!table.insert(fingerprint), "a second insert is not new");
        }
        assert_eq!(table.len(), fingerprints.len());
        assert!(!table.contains(2));
    }

    #[test]
    fn colliding_low_bits_are_probed_past() {
        let mut table = FingerprintTable::default();
        // Same low bits, so the same home slot.
        let same_home: Vec<u64> = (1..=50u64).map(|i| i << 40).collect();
        for &fingerprint in &same_home {
            assert!(table.insert(fingerprint));
        }
        assert!(same_home.iter().all(|&f| table.contains(f)));
        assert!(!table.contains(51 << 40));
    }
}
