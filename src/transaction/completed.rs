//! The transactions that only absorb retransmissions, filed by the instant they end: a client
//! transaction holding its final response until timer K, a server transaction replaying its
//! final response until timer J (RFC 3261 section 17.1.2.2 and 17.2.2, the "Completed" state).
//!
//! Such a transaction has nothing to send and nothing to report when its timer fires, so it
//! asks the node for no wake: the layer ends it lazily, first thing on the next input at or
//! after that instant ([`super::TransactionLayer::end_absorbing`]). Every input therefore sees
//! exactly the transactions it saw when K and J woke the node: a retransmission 1 ms before K
//! or J is absorbed, one at K or J or later finds no transaction.
//!
//! K and J are constants for each transport and are set at the present, which never goes back,
//! so the ends of each kind arrive in instant order: each kind is a first-in first-out queue,
//! and ending the due ones pops them from its front, O(ended). An end that arrives out of order
//! (a caller that handed an earlier present than before) is put in its place. An entry is
//! stale once its transaction no longer holds its slot (dropped by a reset, abandoned,
//! replaced under its key); stale entries are dropped when they come first, and all of them at
//! once when they outnumber the live ones by more than a slack, as in [`super::deadlines`].

use super::deadlines::{Due, Live, Slot};
use std::collections::VecDeque;

/// Stale ends a queue may hold beyond one per transaction before it is rebuilt from the live
/// ones alone.
const STALE_ENDS_SLACK: usize = 64;

/// One end: the transaction's slot (its K or J instant and filing number) and its place.
type End = (Slot, usize);

/// The ends of one kind of transaction, earliest first.
#[derive(Debug, Default)]
struct Ends(VecDeque<End>);

impl Ends {
    /// Files `end`, behind every end not later than it.
    fn file(&mut self, end: End) {
        if self.0.back().is_none_or(|last| *last <= end) {
            self.0.push_back(end);
        } else {
            let at = self.0.partition_point(|held| *held <= end);
            self.0.insert(at, end);
        }
    }

    /// Drops stale ends from the front.
    fn settle(&mut self, live: &impl Live, due: fn(usize) -> Due) {
        if self.0.len() > 2 * live.count() + STALE_ENDS_SLACK {
            self.0
                .retain(|&(slot, place)| live.is_live(slot, due(place)));
        }
        while let Some(&(slot, place)) = self.0.front() {
            if live.is_live(slot, due(place)) {
                return;
            }
            self.0.pop_front();
        }
    }

    /// Takes the first end if it is at or before `now`.
    fn pop_due(&mut self, now: crate::node::Instant) -> Option<End> {
        let &((at, _), _) = self.0.front()?;
        if at > now {
            return None;
        }
        self.0.pop_front()
    }
}

/// Every transaction absorbing retransmissions, by the instant it ends.
#[derive(Debug, Default)]
pub(super) struct Completed {
    /// Client transactions, by timer K.
    clients: Ends,
    /// Server transactions, by timer J.
    servers: Ends,
    /// No end held is before this instant (`None`: none is held). Every input of the layer
    /// asks whether an end is due; most find none, and this answers them with one comparison
    /// instead of a look at the front of each queue. Lowered as ends are filed, set to the
    /// earliest end again by [`settle`](Self::settle) and [`refresh`](Self::refresh); taking
    /// ends only raises the earliest, so it stays a bound in between.
    next_end: Option<crate::node::Instant>,
}

impl Completed {
    /// Files the transaction `due` under `slot` (its end and filing number).
    pub(super) fn file(&mut self, slot: Slot, due: Due) {
        let at = slot.0;
        self.next_end = Some(self.next_end.map_or(at, |next| next.min(at)));
        match due {
            Due::Client(place) => self.clients.file((slot, place)),
            Due::Server(place) => self.servers.file((slot, place)),
        }
    }

    /// Whether an end may be at or before `now`: false only when none is (see `next_end`).
    #[inline]
    pub(super) fn may_be_due(&self, now: crate::node::Instant) -> bool {
        self.next_end.is_some_and(|next| next <= now)
    }

    /// Sets the bound on the ends back to the earliest one held.
    pub(super) fn refresh(&mut self) {
        self.next_end = self.earliest();
    }

    /// The earliest end (exact once [`settle`](Self::settle) ran after the last change).
    pub(super) fn earliest(&self) -> Option<crate::node::Instant> {
        let front = |ends: &Ends| ends.0.front().map(|&((at, _), _)| at);
        match (front(&self.clients), front(&self.servers)) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }
    }

    /// Takes one transaction whose end is at or before `now`, if any (clients first); the
    /// caller drops it from its table if the entry is live, then asks again.
    pub(super) fn pop_due(&mut self, now: crate::node::Instant) -> Option<(Slot, Due)> {
        if let Some((slot, place)) = self.clients.pop_due(now) {
            return Some((slot, Due::Client(place)));
        }
        let (slot, place) = self.servers.pop_due(now)?;
        Some((slot, Due::Server(place)))
    }

    /// Drops stale ends until each queue's first one is live.
    pub(super) fn settle(&mut self, live: &impl Live) {
        self.clients.settle(live, Due::Client);
        self.servers.settle(live, Due::Server);
        self.refresh();
    }

    /// Forgets every end.
    pub(super) fn clear(&mut self) {
        self.clients.0.clear();
        self.servers.0.clear();
        self.next_end = None;
    }

    /// Ends held, live and stale.
    #[cfg(test)]
    pub(super) fn len(&self) -> usize {
        self.clients.0.len() + self.servers.0.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::node::Instant;

    /// Transactions as the tables would hold them: the slot each place holds, if live.
    struct Model(Vec<Option<Slot>>);

    impl Live for Model {
        fn is_live(&self, slot: Slot, due: Due) -> bool {
            let (Due::Client(place) | Due::Server(place)) = due;
            self.0.get(place) == Some(&Some(slot))
        }

        fn count(&self) -> usize {
            self.0.iter().flatten().count()
        }
    }

    #[test]
    fn ends_come_out_in_instant_order_even_when_filed_out_of_order() {
        let mut completed = Completed::default();
        let mut model = Model(vec![None; 4]);
        for (place, at) in [(0, 50), (1, 70), (2, 60), (3, 65)] {
            let slot = (Instant(at), place as u64);
            model.0[place] = Some(slot);
            completed.file(slot, Due::Server(place));
        }
        completed.settle(&model);
        assert_eq!(completed.earliest(), Some(Instant(50)));
        let mut ended = Vec::new();
        while let Some(((at, _), _)) = completed.pop_due(Instant(65)) {
            ended.push(at.0);
        }
        assert_eq!(ended, [50, 60, 65]);
        assert_eq!(completed.earliest(), Some(Instant(70)));
    }

    #[test]
    fn the_bound_on_the_ends_never_passes_the_earliest_and_meets_it_once_settled() {
        let mut completed = Completed::default();
        let mut model = Model(vec![None; 16]);
        assert!(!completed.may_be_due(Instant(u64::MAX)), "nothing held");
        // A fixed pseudo-random walk of filings (some out of order), refills (stale ends),
        // takings and settlings.
        let mut state = 0x2545_f491_4f6c_dd1d_u64;
        for step in 0..5_000u64 {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            let place = (state % 16) as usize;
            let at = Instant(step + state % 50);
            match state % 4 {
                0 | 1 => {
                    model.0[place] = Some((at, step));
                    completed.file((at, step), Due::Server(place));
                }
                2 => {
                    let now = Instant(step);
                    let due = completed.may_be_due(now);
                    if let Some((slot, _)) = completed.pop_due(now) {
                        assert!(due, "an end at {:?} was due at {now:?}", slot.0);
                    }
                }
                _ => {
                    completed.settle(&model);
                    assert_eq!(completed.next_end, completed.earliest());
                }
            }
            if let Some(earliest) = completed.earliest() {
                assert!(completed.next_end.is_some_and(|next| next <= earliest));
            }
        }
    }

    #[test]
    fn stale_ends_neither_lead_nor_pile_up() {
        let mut completed = Completed::default();
        // Place 0 ends first and stays; place 1 is refilled again and again, so every earlier
        // end of place 1 goes stale behind place 0's.
        let mut model = Model(vec![Some((Instant(10), 0)), None]);
        completed.file((Instant(10), 0), Due::Client(0));
        for n in 1..10_000u64 {
            let slot = (Instant(1_000_000 + n), n);
            model.0[1] = Some(slot);
            completed.file(slot, Due::Client(1));
            completed.settle(&model);
            assert_eq!(
                completed.earliest(),
                Some(Instant(10)),
                "the live end leads"
            );
            assert!(completed.len() <= 2 * 2 + STALE_ENDS_SLACK + 1);
        }
        model.0[0] = None;
        completed.settle(&model);
        assert_eq!(completed.earliest(), Some(Instant(1_000_000 + 9_999)));
        assert_eq!(
            completed.pop_due(Instant(u64::MAX)).map(|(slot, _)| slot.1),
            Some(9_999)
        );
        assert_eq!(completed.pop_due(Instant(u64::MAX)), None);
    }
}
