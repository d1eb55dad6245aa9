//! The layer's timer index: every live transaction filed under its next deadline, so finding the
//! earliest timer or the transactions due at an instant never visits the others.
//!
//! A node keeps tens of thousands of transactions alive at once under load (timer J holds each
//! answered server transaction for 64·T1), while only a few are due at any instant; scanning
//! them all on every `poll_timeout` made the simulator quadratic in the IMs in flight.
//!
//! The index is a binary heap of (deadline, filing number, place) entries. Moving a transaction
//! to a new deadline files a new entry and leaves the old one behind; an entry is *live* while
//! its transaction still holds that filing number (the layer answers, see `Live`), and a stale
//! one is dropped when it reaches the top. The layer settles the heap after every change, so the
//! top is always live and [`Deadlines::earliest`] is exact without `&mut`. A new deadline is
//! mostly later than those filed, so filing one costs a few comparisons, where the ordered map
//! this replaces paid a tree search and node splits for every filing and every removal.

use crate::node::Instant;
use std::cmp::Reverse;
use std::collections::BinaryHeap;

/// Which transaction an entry stands for: its place in the client or the server table.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Due {
    /// A client transaction.
    Client(usize),
    /// A server transaction.
    Server(usize),
}

/// Where a transaction is filed: its deadline and a filing number unique within the layer.
pub(super) type Slot = (Instant, u64);

/// Stale entries the heap may hold beyond one per live transaction before it is rebuilt from
/// the live ones alone (a peer's flood of provisional responses moves a deadline each time).
const STALE_ENTRIES_SLACK: usize = 64;

/// Whether an entry still stands for its transaction (the layer's tables decide).
pub(super) trait Live {
    /// The entry filed in `slot` for `due` is the one its transaction holds.
    fn is_live(&self, slot: Slot, due: Due) -> bool;
    /// How many transactions are filed.
    fn count(&self) -> usize;
}

/// Every live transaction by next deadline, earliest first (equal deadlines in filing order).
#[derive(Debug, Default)]
pub(super) struct Deadlines {
    heap: BinaryHeap<Reverse<(Slot, Due)>>,
    next_number: u64,
}

impl Deadlines {
    /// Files `due` under deadline `at`; returns its slot.
    pub(super) fn insert(&mut self, at: Instant, due: Due) -> Slot {
        self.next_number += 1;
        let slot = (at, self.next_number);
        self.heap.push(Reverse((slot, due)));
        slot
    }

    /// The earliest deadline (exact once [`settle`](Self::settle) ran after the last change).
    pub(super) fn earliest(&self) -> Option<Instant> {
        self.heap.peek().map(|Reverse(((at, _), _))| *at)
    }

    /// Takes the earliest live entry if its deadline is at or before `now`, dropping stale
    /// entries on the way.
    pub(super) fn pop_due(&mut self, now: Instant, live: &impl Live) -> Option<Due> {
        loop {
            let &Reverse((slot, due)) = self.heap.peek()?;
            if slot.0 > now {
                return None;
            }
            self.heap.pop();
            if live.is_live(slot, due) {
                return Some(due);
            }
        }
    }

    /// Drops stale entries from the top, so the earliest entry is live; rebuilds the heap from
    /// the live entries when stale ones outnumber the live ones by more than the slack.
    pub(super) fn settle(&mut self, live: &impl Live) {
        if self.heap.len() > 2 * live.count() + STALE_ENTRIES_SLACK {
            self.heap
                .retain(|Reverse((slot, due))| live.is_live(*slot, *due));
        }
        while let Some(&Reverse((slot, due))) = self.heap.peek() {
            if live.is_live(slot, due) {
                return;
            }
            self.heap.pop();
        }
    }

    /// Forgets every entry.
    pub(super) fn clear(&mut self) {
        self.heap.clear();
    }

    /// Entries held, live and stale.
    #[cfg(test)]
    pub(super) fn len(&self) -> usize {
        self.heap.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Transactions as the layer's tables would hold them: the slot each place holds, if live.
    struct Model(Vec<Option<Slot>>);

    impl Live for Model {
        fn is_live(&self, slot: Slot, due: Due) -> bool {
            let Due::Client(place) = due else {
                return false;
            };
            self.0.get(place) == Some(&Some(slot))
        }

        fn count(&self) -> usize {
            self.0.iter().flatten().count()
        }
    }

    /// The earliest live deadline the plain way: a scan of every transaction.
    fn scanned(model: &Model) -> Option<Instant> {
        model.0.iter().flatten().map(|(at, _)| *at).min()
    }

    #[test]
    fn the_earliest_deadline_and_the_due_entries_are_the_ones_a_scan_finds() {
        let places = 9;
        let mut model = Model(vec![None; places]);
        let mut index = Deadlines::default();
        let mut now = 0u64;
        // A fixed pseudo-random walk: file, move, drop and fire, equal deadlines included.
        let mut x: u64 = 0x2545_f491_4f6c_dd1d;
        for _ in 0..20_000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let place = (x % places as u64) as usize;
            match (x >> 8) % 4 {
                0 | 1 => {
                    let at = Instant(now + (x >> 16) % 50);
                    model.0[place] = Some(index.insert(at, Due::Client(place)));
                }
                2 => model.0[place] = None,
                _ => {
                    now += (x >> 16) % 20;
                    let mut fired = Vec::new();
                    while let Some(Due::Client(p)) = index.pop_due(Instant(now), &model) {
                        fired.push(model.0[p].take().expect("a live entry"));
                    }
                    let mut in_order = fired.clone();
                    in_order.sort();
                    assert_eq!(fired, in_order, "earliest first, then filing order");
                    assert!(fired.iter().all(|(at, _)| at.0 <= now));
                    assert!(scanned(&model).is_none_or(|at| at.0 > now));
                }
            }
            index.settle(&model);
            assert_eq!(index.earliest(), scanned(&model));
            assert!(index.len() <= 2 * model.count() + STALE_ENTRIES_SLACK + 1);
        }
    }

    #[test]
    fn a_deadline_moved_again_and_again_leaves_a_bounded_heap() {
        let mut model = Model(vec![None]);
        let mut index = Deadlines::default();
        for at in 0..10_000 {
            model.0[0] = Some(index.insert(Instant(1_000_000 - at), Due::Client(0)));
            index.settle(&model);
            assert!(index.len() <= 2 + STALE_ENTRIES_SLACK + 1);
        }
        assert_eq!(index.earliest(), Some(Instant(1_000_000 - 9_999)));
    }
}
