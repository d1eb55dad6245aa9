//! The live transactions of one kind (client or server): found by key when a message arrives,
//! and by place when the timer index names one, so a fired timer needs no key lookup.
//!
//! Each transaction sits in a numbered place (freed places are reused) with its key and its
//! timer [`Slot`]; a hash table of places gives the place of a key. Each transaction keeps its
//! key's hash, so removing one (a timer fired: most transactions end so) finds its place in
//! the hash table by that hash and the place alone, with no key hashed or compared. Nothing
//! iterates the hash table, so its order cannot leak into what a node sends. The places are
//! kept in pages of [`PLACES_PER_PAGE`]: a node under load holds tens of thousands of
//! transactions (timer J keeps each answered one for 64·T1), and a single vector growing by
//! doubling copied them all again at every doubling.
//! Every page past the first is allocated whole and never moves; the first grows as places
//! open, so a node that holds a handful (a user agent, a short run) allocates only what it uses.
//!
//! A freed place holds the number of the place freed before it, so the free places form a
//! chain through the pages themselves: ending a transaction (most end by timer K or J) drops
//! it where it lies and links its place, with no move of the transaction and no free list to
//! grow.

use super::deadlines::Slot;
use hashbrown::hash_table::{Entry, HashTable};
use rustc_hash::FxBuildHasher;
use std::borrow::Borrow;
use std::hash::{BuildHasher, Hash};

/// A transaction with its key and where the timer index files it.
#[derive(Debug)]
pub(super) struct Filed<K, T> {
    /// The key it is matched by.
    pub(super) key: K,
    /// The transaction.
    pub(super) txn: T,
    /// Its entry in the timer index.
    pub(super) slot: Slot,
    /// The hash of its key.
    hash: u64,
}

/// Room the hash table of places makes per live transaction when it runs out: at its own
/// pace hashbrown rehashed a node's growing tables about once per fifty insertions (growth
/// steps, and tombstones of removals eating the room); twice what is alive does so less often.
const ROOM_PER_ALIVE: usize = 2;

/// Places per page of a table (a power of two, so a place splits into page and index cheaply).
const PLACES_PER_PAGE: usize = 64;

/// One place of a table.
#[derive(Debug)]
enum Place<K, T> {
    /// A live transaction.
    Filled(Filed<K, T>),
    /// A free place, linked to the place freed before it (`None`: the chain ends here).
    Free(Option<usize>),
}

impl<K, T> Place<K, T> {
    fn filed(&self) -> Option<&Filed<K, T>> {
        match self {
            Place::Filled(filed) => Some(filed),
            Place::Free(_) => None,
        }
    }

    fn filed_mut(&mut self) -> Option<&mut Filed<K, T>> {
        match self {
            Place::Filled(filed) => Some(filed),
            Place::Free(_) => None,
        }
    }
}

/// What [`Table::find_or_add`] found or did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Lookup {
    /// A transaction under the key is alive at this place.
    Found(usize),
    /// None was: the new one is at this place.
    Added(usize),
    /// None was, and the table holds its limit: nothing was added.
    Full,
}

/// One page of places (at most [`PLACES_PER_PAGE`]; only the first grows).
type Page<K, T> = Vec<Place<K, T>>;

/// Live transactions by key and by place.
#[derive(Debug)]
pub(super) struct Table<K, T> {
    places: HashTable<usize>,
    pages: Vec<Page<K, T>>,
    /// Places handed out so far: the next fresh place.
    opened: usize,
    /// The place freed last, the head of the chain of free places.
    free: Option<usize>,
}

impl<K, T> Default for Table<K, T> {
    fn default() -> Self {
        Table {
            places: HashTable::new(),
            pages: Vec::new(),
            opened: 0,
            free: None,
        }
    }
}

impl<K, T> Table<K, T> {
    /// The entry of `place`, filled or not (`None` past the places opened).
    fn entry(&self, place: usize) -> Option<&Place<K, T>> {
        self.pages
            .get(place / PLACES_PER_PAGE)?
            .get(place % PLACES_PER_PAGE)
    }

    /// The entry of `place`, to change.
    fn entry_mut(&mut self, place: usize) -> Option<&mut Place<K, T>> {
        self.pages
            .get_mut(place / PLACES_PER_PAGE)?
            .get_mut(place % PLACES_PER_PAGE)
    }
}

/// The transaction in `place` of `pages`.
fn filed_at<K, T>(pages: &[Page<K, T>], place: usize) -> Option<&Filed<K, T>> {
    pages
        .get(place / PLACES_PER_PAGE)?
        .get(place % PLACES_PER_PAGE)?
        .filed()
}

/// A place for a new transaction: the one freed last (the head of the `free` chain), else a
/// fresh one.
fn vacant_place<K, T>(
    pages: &mut Vec<Page<K, T>>,
    opened: &mut usize,
    free: &mut Option<usize>,
) -> usize {
    let reused = free.and_then(|place| {
        match pages
            .get(place / PLACES_PER_PAGE)?
            .get(place % PLACES_PER_PAGE)?
        {
            &Place::Free(next) => Some((place, next)),
            Place::Filled(_) => None,
        }
    });
    match reused {
        Some((place, next)) => {
            *free = next;
            place
        }
        None => open_place(pages, opened),
    }
}

/// A place never used before (counted in `opened`), with a new page when the last one is full:
/// the first page starts empty and grows, every later one is allocated whole.
fn open_place<K, T>(pages: &mut Vec<Page<K, T>>, opened: &mut usize) -> usize {
    let place = *opened;
    if place % PLACES_PER_PAGE == 0 {
        let room = if pages.is_empty() { 0 } else { PLACES_PER_PAGE };
        pages.push(Vec::with_capacity(room));
    }
    if let Some(page) = pages.last_mut() {
        page.push(Place::Free(None));
    }
    *opened += 1;
    place
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
        let hash = FxBuildHasher.hash_one(key);
        let pages = &self.pages;
        self.places
            .find(hash, |&p| {
                filed_at(pages, p).is_some_and(|f| f.key.borrow() == key)
            })
            .copied()
    }

    /// The place of the transaction whose key hashes to `hash` (as the key's `Hash` does with
    /// the table's hasher) and satisfies `is_key`: found from borrowed parts of a key, with
    /// no key built and no conversion of the parts on each comparison.
    pub(super) fn place_by(&self, hash: u64, is_key: impl Fn(&K) -> bool) -> Option<usize> {
        let pages = &self.pages;
        self.places
            .find(hash, |&p| {
                filed_at(pages, p).is_some_and(|f| is_key(&f.key))
            })
            .copied()
    }

    /// The transaction in `place`.
    pub(super) fn get(&self, place: usize) -> Option<&Filed<K, T>> {
        self.entry(place).and_then(Place::filed)
    }

    /// The transaction in `place`, to change.
    pub(super) fn get_mut(&mut self, place: usize) -> Option<&mut Filed<K, T>> {
        self.entry_mut(place).and_then(Place::filed_mut)
    }

    /// The timer slot of the transaction in `place`.
    pub(super) fn slot(&self, place: usize) -> Option<Slot> {
        self.get(place).map(|f| f.slot)
    }

    /// The place of the transaction under `key` if one is alive; else, unless `limit` are
    /// alive, the place `make`'s new transaction is added at under `key` (its timer slot a
    /// placeholder for the caller to set). The key is hashed and looked up once.
    pub(super) fn find_or_add(&mut self, key: K, limit: usize, make: impl FnOnce() -> T) -> Lookup {
        let hash = FxBuildHasher.hash_one(&key);
        let lookup = self.place_for(&key, hash, limit);
        if let Lookup::Added(place) = lookup {
            self.fill(place, key, make(), (crate::node::Instant(0), 0), hash);
        }
        lookup
    }

    /// Adds the transaction `make` builds (one already under `key` is dropped: the new one
    /// takes its place), its timer slot a placeholder for the caller to set; returns its
    /// place and whether one was dropped so. The key is hashed once, and the transaction is
    /// built only once its place is known, straight into it rather than moved there.
    #[inline]
    pub(super) fn insert(&mut self, key: K, make: impl FnOnce() -> T) -> (usize, bool) {
        let hash = FxBuildHasher.hash_one(&key);
        // With no limit the lookup finds or adds a place.
        let lookup = self.place_for(&key, hash, usize::MAX);
        let (Lookup::Found(place) | Lookup::Added(place)) = lookup else {
            unreachable!("no table holds usize::MAX transactions")
        };
        self.fill(place, key, make(), (crate::node::Instant(0), 0), hash);
        (place, matches!(lookup, Lookup::Found(_)))
    }

    /// The place of the transaction under `key` (whose hash is `hash`) if one is alive; else,
    /// unless `limit` are alive, a place opened for it and filed under `hash`, still to fill.
    fn place_for(&mut self, key: &K, hash: u64, limit: usize) -> Lookup {
        let alive = self.places.len();
        let pages = &self.pages;
        let hash_of = |&p: &usize| filed_at(pages, p).map_or(0, |f| f.hash);
        if self.places.capacity() == alive {
            // No room left: room for twice what is alive (see [`ROOM_PER_ALIVE`]).
            self.places
                .reserve(alive * (ROOM_PER_ALIVE - 1) + 1, hash_of);
        }
        let found = self.places.entry(
            hash,
            |&p| filed_at(pages, p).is_some_and(|f| f.key == *key),
            hash_of,
        );
        match found {
            Entry::Occupied(held) => Lookup::Found(*held.get()),
            Entry::Vacant(_) if alive >= limit => Lookup::Full,
            Entry::Vacant(vacant) => {
                let place = vacant_place(&mut self.pages, &mut self.opened, &mut self.free);
                vacant.insert(place);
                Lookup::Added(place)
            }
        }
    }

    /// Puts a transaction in `place`.
    #[inline]
    fn fill(&mut self, place: usize, key: K, txn: T, slot: Slot, hash: u64) {
        if let Some(entry) = self.entry_mut(place) {
            *entry = Place::Filled(Filed {
                key,
                txn,
                slot,
                hash,
            });
        }
    }

    /// Ends the transaction in `place`: it is dropped where it lies and its place heads the
    /// free chain. False if the place held none.
    pub(super) fn remove(&mut self, place: usize) -> bool {
        let hash = match self.get(place) {
            Some(filed) => filed.hash,
            None => return false,
        };
        if let Ok(filed_place) = self.places.find_entry(hash, |&p| p == place) {
            filed_place.remove();
        }
        let next = self.free.replace(place);
        if let Some(entry) = self.entry_mut(place) {
            *entry = Place::Free(next);
        }
        true
    }

    /// Every live transaction, in no particular order.
    pub(super) fn values(&self) -> impl Iterator<Item = &Filed<K, T>> {
        self.pages
            .iter()
            .flat_map(|page| page.iter().filter_map(Place::filed))
    }

    /// Forgets every transaction.
    pub(super) fn clear(&mut self) {
        self.places.clear();
        self.pages.clear();
        self.opened = 0;
        self.free = None;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn transactions_across_many_pages_are_found_by_key_and_by_place() {
        let mut table: Table<u32, u32> = Table::default();
        let count = 5 * PLACES_PER_PAGE as u32 + 3;
        let mut place_of = Vec::new();
        for key in 0..count {
            place_of.push(table.insert(key, || key * 10).0);
        }
        // Every other one ends; their places are reused by the next ones, not new pages.
        for key in (0..count).step_by(2) {
            let place = place_of[key as usize];
            assert_eq!(table.get(place).map(|f| f.key), Some(key));
            assert!(table.remove(place));
            assert!(table.get(place).is_none());
            assert!(!table.remove(place), "a place is freed once");
        }
        let pages = table.pages.len();
        assert_eq!(pages, 6);
        let capacities: Vec<usize> = table.pages[1..].iter().map(Vec::capacity).collect();
        let mut reused = Vec::new();
        for key in (count..).take((count as usize).div_ceil(2)) {
            reused.push(table.insert(key, || key * 10).0);
        }
        assert_eq!(table.pages.len(), pages);
        // Exactly the freed places, the one freed last first.
        let freed: Vec<usize> = (0..count)
            .step_by(2)
            .rev()
            .map(|key| place_of[key as usize])
            .collect();
        assert_eq!(reused, freed);
        // A full page was allocated whole: filling it never moved it.
        let after: Vec<usize> = table.pages[1..].iter().map(Vec::capacity).collect();
        assert_eq!(after, capacities);
        assert!(capacities.iter().all(|&c| c == PLACES_PER_PAGE));
        for key in (1..count)
            .step_by(2)
            .chain(count..count + count.div_ceil(2))
        {
            let place = table.place(&key).expect("a live key has a place");
            let filed = table.get(place).expect("its place holds it");
            assert_eq!((filed.key, filed.txn), (key, key * 10));
        }
        assert_eq!(table.len(), table.values().count());
        table.clear();
        assert_eq!((table.len(), table.values().count()), (0, 0));
    }

    #[test]
    fn a_key_is_found_where_it_was_added_and_a_full_table_adds_nothing() {
        let mut table: Table<u32, u32> = Table::default();
        let Lookup::Added(first) = table.find_or_add(7, 2, || 70) else {
            panic!("an empty table adds");
        };
        assert_eq!(
            table.find_or_add(7, 2, || unreachable!()),
            Lookup::Found(first)
        );
        assert_eq!(table.get(first).map(|f| (f.key, f.txn)), Some((7, 70)));
        let Lookup::Added(second) = table.find_or_add(8, 2, || 80) else {
            panic!("a table under its limit adds");
        };
        assert_ne!(first, second);
        assert_eq!(table.find_or_add(9, 2, || unreachable!()), Lookup::Full);
        assert_eq!(
            table.find_or_add(8, 2, || unreachable!()),
            Lookup::Found(second)
        );
        assert_eq!((table.len(), table.place(&9)), (2, None));
        assert!(table.remove(first));
        assert_eq!(table.find_or_add(9, 2, || 90), Lookup::Added(first));
        assert_eq!(table.place(&9), Some(first));
    }
}
