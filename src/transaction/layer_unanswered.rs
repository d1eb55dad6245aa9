//! The unanswered bound of the server transaction added last, kept back from the timer index
//! until something needs it there.
//!
//! Every new server transaction is bounded (dropped unanswered at twice timer F), and most are
//! answered while their request is handled, before anything else reaches the layer: filed at
//! once, that bound was taken out of the index again moments later. Here the bound of the
//! transaction added last takes its slot (its deadline and filing number) at once, as filing
//! did, but enters the index only when the next server transaction is added or timers fire;
//! an answer that comes first forgets it, and it never enters. Filed later, it lies where it
//! would have lain: the index orders entries by deadline and filing number alone, and each
//! run by deadline, which the bounds, filed in the order they were set, keep. Meanwhile
//! [`TransactionLayer::poll_timeout`] counts it.

use super::{Due, Slot, TransactionLayer};
use crate::node::Instant;

/// A server transaction's unanswered bound, not yet filed in the timer index.
#[derive(Clone, Copy, Debug)]
pub(super) struct KeptBack {
    /// The instant it was set at (its run in the index is its delay from then).
    set_at: Instant,
    /// Its deadline and filing number, held by its transaction.
    slot: Slot,
    /// Its transaction's place in the server table.
    place: usize,
}

/// Forgets the bound `kept` holds back if it is the one of the server transaction at `place`
/// (answered, or dropped, so the bound never need be filed); false if it was not.
pub(super) fn forget_kept_back(kept: &mut Option<KeptBack>, place: usize) -> bool {
    let forgotten = kept.is_some_and(|kept| kept.place == place);
    if forgotten {
        *kept = None;
    }
    forgotten
}

impl<C> TransactionLayer<C> {
    /// Gives the server transaction just added at `place`, at `now`, the slot of its
    /// unanswered bound and keeps the bound back (filing the one kept back before).
    pub(super) fn keep_back_unanswered(&mut self, now: Instant, place: usize) {
        self.file_kept_back();
        if let Some(filed) = self.servers.get_mut(place) {
            let slot = self.deadlines.slot(filed.txn.next_deadline());
            filed.slot = slot;
            self.kept_back = Some(KeptBack {
                set_at: now,
                slot,
                place,
            });
        }
    }

    /// Files the bound kept back, if any, in the timer index (if its transaction still holds
    /// it).
    pub(super) fn file_kept_back(&mut self) {
        if let Some(kept) = self.kept_back.take() {
            if self.servers.slot(kept.place) == Some(kept.slot) {
                let due = Due::Server(kept.place);
                self.deadlines.file(kept.set_at, kept.slot, due);
            }
        }
    }

    /// The deadline of the bound kept back, if any.
    pub(super) fn kept_back_deadline(&self) -> Option<Instant> {
        self.kept_back.map(|kept| kept.slot.0)
    }
}

#[cfg(test)]
mod tests {
    use crate::node::{Instant, Transport};
    use crate::transaction::{RequestArrival, ServerKey, TimerConfig, TransactionLayer};
    use std::net::SocketAddr;

    /// The instant `ms` milliseconds in.
    fn at(ms: u64) -> Instant {
        Instant(0).plus_millis(ms)
    }

    fn key(branch: &str) -> ServerKey {
        ServerKey {
            branch: branch.into(),
            sent_by: "10.0.0.2:5060".into(),
            method: "MESSAGE".into(),
        }
    }

    #[test]
    fn a_bound_kept_back_wakes_and_drops_as_a_filed_one_and_an_answer_forgets_it() {
        let from = SocketAddr::from(([10, 0, 0, 2], 5060));
        let local = SocketAddr::from(([10, 0, 0, 1], 5060));
        let timers = TimerConfig::default();
        let bound = timers.timer_f_ms() * 2;
        let mut layer: TransactionLayer<()> = TransactionLayer::new(local, timers);
        let (a, b, c) = (key("z9hG4bKa"), key("z9hG4bKb"), key("z9hG4bKc"));
        let arrive = |layer: &mut TransactionLayer<()>, key: &ServerKey, ms: u64| {
            let arrival = layer.receive_request(at(ms), key.clone(), from, Transport::Udp);
            assert_eq!(arrival, RequestArrival::New);
        };
        // Kept back, it is still the node's next wake.
        arrive(&mut layer, &a, 10);
        assert_eq!(layer.poll_timeout(), Some(at(10 + bound)));
        // Filed when the next one comes; that one, answered at once, is forgotten.
        arrive(&mut layer, &b, 20);
        assert!(layer.send_response(at(20), &b, 200, b"SIP/2.0 200 OK\r\n\r\n"));
        assert_eq!(layer.poll_timeout(), Some(at(10 + bound)));
        // Abandoned while kept back: no wake is left for it.
        arrive(&mut layer, &c, 30);
        layer.abandon(&c);
        assert_eq!(layer.poll_timeout(), Some(at(10 + bound)));
        // The filed bound drops the unanswered one, and nothing else is due.
        assert_eq!(layer.server_count(), 2);
        layer.handle_timeout(at(10 + bound), &mut Vec::new());
        assert_eq!(layer.server_state(&a), None);
        assert_eq!(layer.poll_timeout(), None);
        // A bound still kept back when timers fire is filed first, then fires.
        arrive(&mut layer, &c, 40);
        layer.handle_timeout(at(39 + bound), &mut Vec::new());
        assert!(layer.server_state(&c).is_some());
        layer.handle_timeout(at(40 + bound), &mut Vec::new());
        assert_eq!(layer.server_state(&c), None);
        assert_eq!(layer.poll_timeout(), None);
    }
}
