//! The live transactions of one kind (client or server): found by key when a message arrives,
//! and by place when the timer index names one, so a fired timer needs no key lookup.
//!
//! Each transaction sits in a numbered place of a vector (freed places are reused) with its key
//! and its timer [`Slot`]; a hash map gives the place of a key. Nothing iterates the map, so its
//! order cannot leak into what a node sends.

use super::deadlines::Slot;
use rustc_hash::FxHashMap;
use std::borrow::Borrow;
use std::collections::hash_map::Entry;
use std::hash::Hash;

/// A transaction with its key and where the timer index files it.
#[derive(Debug)]
pub(super) struct Filed<K, T> {
    /// The key it is matched by.
    pub(super) key: K,
    /// The transaction.
    pub(super) txn: T,
    /// Its entry in the timer index.
    pub(super) slot: Slot,
}

/// Live transactions by key and by place.
#[derive(Debug)]
pub(super) struct Table<K, T> {
    places: FxHashMap<K, usize>,
    filed: Vec<Option<Filed<K, T>>>,
    free: Vec<usize>,
}

impl<K, T> Default for Table<K, T> {
    fn default() -> Self {
        Table {
            places: FxHashMap::default(),
            filed: Vec::new(),
            free: Vec::new(),
        }
    }
}

impl<K: Hash + Eq + Clone, T> Table<K, T> {
    /// How many transactions are alive.
    pub(super) fn len(&self) -> usize {
        self.places.len()
    }

    /// The place of the transaction with key `key`.
    pub(super) fn place<Q>(&self, key: &Q) -> Option<usize>
    where
        K: Borrow<Q>,
        Q: Hash + Eq + ?Sized,
    {
        self.places.get(key).copied()
    }

    /// The transaction in `place`.
    pub(super) fn get(&self, place: usize) -> Option<&Filed<K, T>> {
        self.filed.get(place).and_then(Option::as_ref)
    }

    /// The transaction in `place`, to change.
    pub(super) fn get_mut(&mut self, place: usize) -> Option<&mut Filed<K, T>> {
        self.filed.get_mut(place).and_then(Option::as_mut)
    }

    /// The timer slot of the transaction in `place`.
    pub(super) fn slot(&self, place: usize) -> Option<Slot> {
        self.get(place).map(|f| f.slot)
    }

    /// Adds a transaction (one already under `key` is dropped: the new one takes its place);
    /// returns its place. The key is hashed once.
    pub(super) fn insert(&mut self, key: K, txn: T, slot: Slot) -> usize {
        let (place, key) = match self.places.entry(key) {
            Entry::Occupied(taken) => (*taken.get(), taken.key().clone()),
            Entry::Vacant(free) => {
                let key = free.key().clone();
                let place = self.free.pop().unwrap_or(self.filed.len());
                free.insert(place);
                (place, key)
            }
        };
        let filed = Some(Filed { key, txn, slot });
        match self.filed.get_mut(place) {
            Some(entry) => *entry = filed,
            None => self.filed.push(filed),
        }
        place
    }

    /// Removes the transaction in `place`.
    pub(super) fn remove(&mut self, place: usize) -> Option<Filed<K, T>> {
        let filed = self.filed.get_mut(place)?.take()?;
        self.places.remove(&filed.key);
        self.free.push(place);
        Some(filed)
    }

    /// Every live transaction, in no particular order.
    pub(super) fn values(&self) -> impl Iterator<Item = &Filed<K, T>> {
        self.filed.iter().flatten()
    }

    /// Forgets every transaction.
    pub(super) fn clear(&mut self) {
        self.places.clear();
        self.filed.clear();
        self.free.clear();
    }
}
