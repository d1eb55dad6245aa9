//! The layer's timer index: every transaction with a timer that does work (E, F, the unanswered
//! bound) filed under its next deadline, so finding the earliest timer or the transactions due
//! at an instant never visits the others. Transactions absorbing retransmissions (K, J) are
//! filed apart, by their end ([`super::completed`]).
//!
//! A node keeps thousands of transactions awaiting an answer under load, while only a few are
//! due at any instant; scanning them all on every `poll_timeout` made the simulator quadratic
//! in the IMs in flight.
//!
//! An entry is (deadline, filing number, place). Moving a transaction to a new deadline files a
//! new entry and leaves the old one behind; an entry is *live* while its transaction still
//! holds that filing number (the layer answers, see `Live`), and a stale one is dropped when it
//! comes first. The layer settles the index after every change, so the earliest entry is always
//! live and [`Deadlines::earliest`] is exact without `&mut`.
//!
//! Most timers are filed at a fixed delay from the present (the first E at T1, F at 64·T1, the
//! unanswered bound), and the present never goes back, so the entries of one timer come
//! in deadline order. The index keeps them in a few first-in first-out runs, one per delay from
//! the filing instant, each in deadline order, and filing or firing an entry is a push or a pop
//! at an end, where a binary heap of thousands of entries sifted a dozen levels for each. An
//! entry no run can take in order (a delay beyond the [`RUNS_MAX`] runs kept, a present that
//! went back) goes to a binary heap. The earliest entry, the least of the runs' fronts and the
//! heap's top by deadline and filing number, is kept at hand, so the order is exactly the one
//! a single heap gave.

use crate::node::Instant;
use std::cmp::Reverse;
use std::collections::{BinaryHeap, VecDeque};

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

/// Stale entries the index may hold beyond one per live transaction before it is rebuilt from
/// the live ones alone (a peer's flood of provisional responses moves a deadline each time).
const STALE_ENTRIES_SLACK: usize = 64;

/// Most first-in first-out runs the index keeps besides its heap: one per timer a layer files
/// at a fixed delay (E's first interval, F, the unanswered bound), with room to spare.
const RUNS_MAX: usize = 8;

/// Whether an entry still stands for its transaction (the layer's tables decide).
pub(super) trait Live {
    /// The entry filed in `slot` for `due` is the one its transaction holds.
    fn is_live(&self, slot: Slot, due: Due) -> bool;
    /// How many transactions are filed.
    fn count(&self) -> usize;
}

/// One entry of the index.
type Filing = (Slot, Due);

/// Where an entry lies: at the front of a run, or on top of the heap.
#[derive(Clone, Copy, Debug)]
enum Source {
    Run(usize),
    Heap,
}

/// The entries filed at one delay from the present, in filing (and so deadline) order.
#[derive(Debug)]
struct Run {
    /// Milliseconds from the filing instant to the deadline.
    delay: u64,
    entries: VecDeque<Filing>,
}

/// Every live transaction by next deadline, earliest first (equal deadlines in filing order).
#[derive(Debug, Default)]
pub(super) struct Deadlines {
    /// Runs of entries in filing order whose deadlines never decrease, one per delay.
    runs: Vec<Run>,
    /// Entries no run could take in order.
    heap: BinaryHeap<Reverse<Filing>>,
    /// Entries held in the runs and the heap, live and stale.
    held: usize,
    /// The earliest entry held and where it lies, kept up to date by every change.
    first: Option<(Filing, Source)>,
    next_number: u64,
}

impl Deadlines {
    /// A slot for deadline `at` with a filing number no other slot of this index has, for a
    /// transaction kept out of the index (one absorbing retransmissions: see
    /// [`super::completed`]); an entry filed before it for the same transaction goes stale.
    pub(super) fn slot(&mut self, at: Instant) -> Slot {
        self.next_number += 1;
        (at, self.next_number)
    }

    /// Files `due` under deadline `at`, set at `now`; returns its slot.
    pub(super) fn insert(&mut self, now: Instant, at: Instant, due: Due) -> Slot {
        let slot = self.slot(at);
        self.file(now, slot, due);
        slot
    }

    /// Files `due` under `slot` (one [`slot`](Self::slot) gave it), as set at `now`: where
    /// [`insert`](Self::insert) would have filed it then, had it not been kept back.
    pub(super) fn file(&mut self, now: Instant, slot: Slot, due: Due) {
        let at = slot.0;
        let entry = (slot, due);
        // The run of this delay, if its last deadline is not after `at` (the present never
        // goes back, so it is not); else a new run while there is room; else the heap.
        let delay = at.0.saturating_sub(now.0);
        let opened = self.runs.len();
        let source = match self
            .runs
            .iter_mut()
            .enumerate()
            .find(|(_, r)| r.delay == delay)
        {
            Some((i, run)) if run.entries.back().is_none_or(|&((last, _), _)| last <= at) => {
                run.entries.push_back(entry);
                Source::Run(i)
            }
            None if opened < RUNS_MAX => {
                self.runs.push(Run {
                    delay,
                    entries: VecDeque::from([entry]),
                });
                Source::Run(opened)
            }
            _ => {
                self.heap.push(Reverse(entry));
                Source::Heap
            }
        };
        self.held += 1;
        // Behind the front of a run it is no earlier than that front; else it may lead.
        if self.first.is_none_or(|(earliest, _)| entry < earliest) {
            self.first = Some((entry, source));
        }
    }

    /// Drops the entry filed under `slot` for `due` if it is the last of its run (filed since
    /// every other entry of that run, as the unanswered bound of a request answered while it
    /// is handled): the caller is about to make it stale, and dropping it now spares taking
    /// it off the front later. Elsewhere it stays, to be dropped as stale when it comes first.
    pub(super) fn withdraw(&mut self, slot: Slot, due: Due) {
        let entry = (slot, due);
        let Some(run) = self
            .runs
            .iter_mut()
            .find(|run| run.entries.back() == Some(&entry))
        else {
            return;
        };
        run.entries.pop_back();
        self.held -= 1;
        if self.first.is_some_and(|(first, _)| first == entry) {
            self.first = self.find_first();
        }
    }

    /// The earliest entry among the runs' fronts and the heap's top.
    fn find_first(&self) -> Option<(Filing, Source)> {
        let mut first = self
            .heap
            .peek()
            .map(|Reverse(entry)| (*entry, Source::Heap));
        for (i, run) in self.runs.iter().enumerate() {
            if let Some(&entry) = run.entries.front() {
                if first.is_none_or(|(earliest, _)| entry < earliest) {
                    first = Some((entry, Source::Run(i)));
                }
            }
        }
        first
    }

    /// Removes the earliest entry, which lies in `source`, and finds the next.
    fn take_first(&mut self, source: Source) {
        let taken = match source {
            Source::Heap => self.heap.pop().is_some(),
            Source::Run(i) => self
                .runs
                .get_mut(i)
                .and_then(|run| run.entries.pop_front())
                .is_some(),
        };
        if taken {
            self.held -= 1;
        }
        self.first = self.find_first();
    }

    /// The earliest deadline (exact once [`settle`](Self::settle) ran after the last change).
    pub(super) fn earliest(&self) -> Option<Instant> {
        self.first.map(|(((at, _), _), _)| at)
    }

    /// Takes the earliest live entry if its deadline is at or before `now`, dropping stale
    /// entries on the way.
    pub(super) fn pop_due(&mut self, now: Instant, live: &impl Live) -> Option<Due> {
        loop {
            let ((slot, due), source) = self.first?;
            if slot.0 > now {
                return None;
            }
            self.take_first(source);
            if live.is_live(slot, due) {
                return Some(due);
            }
        }
    }

    /// Drops stale entries until the earliest one is live; rebuilds the index from the live
    /// entries when stale ones outnumber the live ones by more than the slack.
    pub(super) fn settle(&mut self, live: &impl Live) {
        if self.held > 2 * live.count() + STALE_ENTRIES_SLACK {
            self.heap
                .retain(|Reverse((slot, due))| live.is_live(*slot, *due));
            for run in &mut self.runs {
                run.entries.retain(|(slot, due)| live.is_live(*slot, *due));
            }
            let in_runs: usize = self.runs.iter().map(|run| run.entries.len()).sum();
            self.held = self.heap.len() + in_runs;
            self.first = self.find_first();
        }
        while let Some(((slot, due), source)) = self.first {
            if live.is_live(slot, due) {
                return;
            }
            self.take_first(source);
        }
    }

    /// Forgets every entry.
    pub(super) fn clear(&mut self) {
        self.heap.clear();
        self.runs.clear();
        self.held = 0;
        self.first = None;
    }

    /// Entries held, live and stale.
    #[cfg(test)]
    pub(super) fn len(&self) -> usize {
        self.held
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
        // Few delays (a run each) and many (past the runs kept, so most go to the heap).
        let heap_used = [(9, 5), (300, 5_000)]
            .map(|(places, spread)| scan_equivalent_walk(places, spread, 20_000));
        assert_eq!(heap_used, [false, true]);
    }

    /// A fixed pseudo-random walk over `places` transactions (file with a deadline up to
    /// `spread` ahead, move, drop and fire, equal deadlines included), checked against a scan
    /// at every step; whether the heap was used.
    fn scan_equivalent_walk(places: usize, spread: u64, steps: usize) -> bool {
        let mut model = Model(vec![None; places]);
        let mut index = Deadlines::default();
        let mut now = 0u64;
        let mut heap_used = false;
        let mut x: u64 = 0x2545_f491_4f6c_dd1d;
        for _ in 0..steps {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let place = (x % places as u64) as usize;
            match (x >> 8) % 4 {
                0 | 1 => {
                    let at = Instant(now + (x >> 16) % spread);
                    model.0[place] = Some(index.insert(Instant(now), at, Due::Client(place)));
                    heap_used |= !index.heap.is_empty();
                }
                2 => {
                    // Made stale; withdrawn at once when it is the last of its run.
                    if let Some(slot) = model.0[place].take() {
                        index.withdraw(slot, Due::Client(place));
                    }
                }
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
            let in_runs: usize = index.runs.iter().map(|run| run.entries.len()).sum();
            assert_eq!(
                index.len(),
                index.heap.len() + in_runs,
                "the count held is exact"
            );
        }
        heap_used
    }

    #[test]
    fn a_timer_filed_from_an_earlier_present_still_fires_first() {
        // A caller may hand a node an earlier `now` than before: the second timer at the same
        // delay is due first, so it cannot queue behind the first one in that delay's run.
        let mut model = Model(vec![None; 2]);
        let mut index = Deadlines::default();
        model.0[0] = Some(index.insert(Instant(100), Instant(110), Due::Client(0)));
        model.0[1] = Some(index.insert(Instant(50), Instant(60), Due::Client(1)));
        index.settle(&model);
        assert_eq!(index.earliest(), Some(Instant(60)));
        assert_eq!(index.pop_due(Instant(60), &model), Some(Due::Client(1)));
        model.0[1] = None;
        index.settle(&model);
        assert_eq!(index.earliest(), Some(Instant(110)));
        assert_eq!(index.pop_due(Instant(110), &model), Some(Due::Client(0)));
    }

    #[test]
    fn timers_filed_at_fixed_delays_keep_to_their_runs_and_fire_in_order() {
        // Five timers at fixed delays from a present that moves on, as a layer files them.
        let delays = [500, 5_000, 32_000, 32_000, 64_000];
        let places = 200;
        let mut model = Model(vec![None; places]);
        let mut index = Deadlines::default();
        for place in 0..places {
            let now = place as u64 * 7;
            let at = Instant(now + delays[place % delays.len()]);
            model.0[place] = Some(index.insert(Instant(now), at, Due::Client(place)));
            index.settle(&model);
            assert_eq!(index.earliest(), scanned(&model));
        }
        assert!(index.heap.is_empty(), "no entry needed the heap");
        let mut fired = Vec::new();
        while let Some(Due::Client(p)) = index.pop_due(Instant(u64::MAX), &model) {
            fired.push(model.0[p].take().expect("a live entry"));
        }
        let mut in_order = fired.clone();
        in_order.sort();
        assert_eq!((fired.len(), fired), (places, in_order));
        assert_eq!((index.earliest(), index.len()), (None, 0));
    }

    #[test]
    fn a_deadline_moved_again_and_again_leaves_a_bounded_heap() {
        let mut model = Model(vec![None]);
        let mut index = Deadlines::default();
        let mut most_held = 0;
        for at in 0..10_000 {
            model.0[0] = Some(index.insert(Instant(0), Instant(1_000_000 - at), Due::Client(0)));
            index.settle(&model);
            most_held = most_held.max(index.len());
        }
        // Rebuilt exactly when the entries held pass twice the live ones plus the slack.
        assert_eq!(most_held, 2 + STALE_ENTRIES_SLACK);
        assert_eq!(index.earliest(), Some(Instant(1_000_000 - 9_999)));
    }
}
