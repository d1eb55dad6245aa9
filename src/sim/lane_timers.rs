//! Every lane's next timer, and the earliest of them (ties: the lowest lane) found without
//! visiting every lane on every step: a heap of (instant, lane) entries, an entry kept only
//! while it still equals its lane's timer (older ones are dropped when they reach the top).

use crate::node::Instant;
use std::cmp::Reverse;
use std::collections::BinaryHeap;

/// Entries the heap may hold per lane before it is rebuilt from the lanes' timers alone.
const HEAP_ENTRIES_PER_LANE_MAX: usize = 4;

/// The lanes' next timers.
#[derive(Debug)]
pub(super) struct LaneTimers {
    at: Vec<Option<Instant>>,
    heap: BinaryHeap<Reverse<(Instant, usize)>>,
}

impl LaneTimers {
    /// The timers of lanes `0..at.len()`.
    pub(super) fn new(at: Vec<Option<Instant>>) -> Self {
        let mut timers = LaneTimers {
            at,
            heap: BinaryHeap::new(),
        };
        timers.rebuild();
        timers
    }

    /// Lane `lane`'s next timer is now `next`.
    pub(super) fn set(&mut self, lane: usize, next: Option<Instant>) {
        let Some(slot) = self.at.get_mut(lane) else {
            return;
        };
        if *slot == next {
            return;
        }
        *slot = next;
        if let Some(at) = next {
            self.heap.push(Reverse((at, lane)));
        }
        if self.heap.len() > HEAP_ENTRIES_PER_LANE_MAX * self.at.len() + 1 {
            self.rebuild();
        }
    }

    /// The earliest timer and its lane (the lowest lane among equal instants).
    pub(super) fn earliest(&mut self) -> Option<(Instant, usize)> {
        while let Some(&Reverse((at, lane))) = self.heap.peek() {
            if self.at.get(lane) == Some(&Some(at)) {
                return Some((at, lane));
            }
            self.heap.pop();
        }
        None
    }

    /// Refills the heap with the lanes' timers alone, in the buffer it already has.
    fn rebuild(&mut self) {
        let mut entries = std::mem::take(&mut self.heap).into_vec();
        entries.clear();
        entries.extend(
            self.at
                .iter()
                .enumerate()
                .filter_map(|(lane, at)| at.map(|at| Reverse((at, lane)))),
        );
        self.heap = BinaryHeap::from(entries);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The earliest timer the plain way: a scan of every lane.
    fn scanned(at: &[Option<Instant>]) -> Option<(Instant, usize)> {
        at.iter()
            .enumerate()
            .filter_map(|(lane, t)| t.map(|at| (at, lane)))
            .min()
    }

    #[test]
    fn the_earliest_timer_is_the_one_a_scan_of_every_lane_finds() {
        let lanes = 7;
        let mut plain = vec![None; lanes];
        let mut timers = LaneTimers::new(plain.clone());
        // A fixed pseudo-random walk over lanes and instants, ties included.
        let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
        for _ in 0..20_000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let lane = (x % lanes as u64) as usize;
            let next = (x >> 8) % 5 != 0;
            let at = next.then_some(Instant((x >> 16) % 64));
            plain[lane] = at;
            timers.set(lane, at);
            assert_eq!(timers.earliest(), scanned(&plain));
        }
        assert!(timers.heap.len() <= HEAP_ENTRIES_PER_LANE_MAX * lanes + 1);
    }

    #[test]
    fn stale_entries_are_kept_up_to_the_bound_and_then_compacted() {
        let lanes = 3;
        let mut timers = LaneTimers::new(vec![None; lanes]);
        let bound = HEAP_ENTRIES_PER_LANE_MAX * lanes + 1;
        let mut longest = 0;
        for at in 0..100 {
            // Each move of lane 0's timer leaves the old entry behind until the heap is rebuilt.
            timers.set(0, Some(Instant(1_000 - at)));
            longest = longest.max(timers.heap.len());
            assert_eq!(timers.earliest(), Some((Instant(1_000 - at), 0)));
        }
        assert_eq!(
            longest, bound,
            "rebuilt only past {bound} entries, never sooner"
        );
    }
}
