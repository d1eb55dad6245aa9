//! The first timer of the transaction started last of each kind, kept back from the timer
//! index until something needs it there: a client transaction's first timer E, a server
//! transaction's unanswered bound.
//!
//! Most server transactions are answered while their request is handled, before anything else
//! reaches the layer, and about half the final responses a node receives answer the request it
//! sent last: filed at once, such a timer was taken out of the index again moments later, or
//! left there stale until it came first. Here the timer of the transaction started last takes
//! its slot (its deadline and filing number) at once, as filing did, but enters the index only
//! when the next transaction of its kind starts or timers fire; an answer that comes first
//! forgets it, and it never enters. Filed later, it lies where it would have lain: the index
//! orders entries by deadline and filing number alone, and each run by deadline, which the
//! timers of one kind, filed in the order they were set, keep. Meanwhile
//! [`TransactionLayer::poll_timeout`] counts it.

use super::{Due, Live, Slot, Tables, TransactionLayer};
use crate::node::Instant;

/// A transaction's first timer, not yet filed in the timer index.
#[derive(Clone, Copy, Debug)]
pub(super) struct KeptBack {
    /// The instant it was set at (its run in the index is its delay from then).
    set_at: Instant,
    /// Its deadline and filing number, held by its transaction.
    slot: Slot,
    /// Its transaction.
    due: Due,
}

/// Forgets the timer `kept` holds back if it is the one of transaction `due` (answered, or
/// dropped, so the timer never need be filed); false if it was not.
pub(super) fn forget_kept_back(kept: &mut Option<KeptBack>, due: Due) -> bool {
    let forgotten = kept.is_some_and(|kept| kept.due == due);
    if forgotten {
        *kept = None;
    }
    forgotten
}

impl<C> TransactionLayer<C> {
    /// Gives transaction `due`, just started at `now`, the slot of its first timer and keeps
    /// the timer back, filing the one of its kind kept back before.
    pub(super) fn keep_back(&mut self, now: Instant, due: Due) {
        let (at, kept) = match due {
            Due::Client(place) => (
                self.clients.get(place).map(|f| f.txn.next_deadline()),
                &mut self.kept_back_client,
            ),
            Due::Server(place) => (
                self.servers.get(place).map(|f| f.txn.next_deadline()),
                &mut self.kept_back_server,
            ),
        };
        let Some(at) = at else { return };
        let before = kept.take();
        let slot = self.deadlines.slot(at);
        *kept = Some(KeptBack {
            set_at: now,
            slot,
            due,
        });
        match due {
            Due::Client(place) => self.clients.get_mut(place).map(|f| f.slot = slot),
            Due::Server(place) => self.servers.get_mut(place).map(|f| f.slot = slot),
        };
        self.file(before);
    }

    /// Files every timer kept back in the timer index.
    pub(super) fn file_kept_back(&mut self) {
        let (client, server) = (self.kept_back_client.take(), self.kept_back_server.take());
        self.file(client);
        self.file(server);
    }

    /// Files `kept` in the timer index, if its transaction still holds it.
    fn file(&mut self, kept: Option<KeptBack>) {
        let Some(kept) = kept else { return };
        let tables = Tables {
            clients: &self.clients,
            servers: &self.servers,
        };
        if tables.is_live(kept.slot, kept.due) {
            self.deadlines.file(kept.set_at, kept.slot, kept.due);
        }
    }

    /// The earliest deadline of the timers kept back, if any.
    pub(super) fn kept_back_deadline(&self) -> Option<Instant> {
        let at = |kept: Option<KeptBack>| kept.map(|kept| kept.slot.0);
        match (at(self.kept_back_client), at(self.kept_back_server)) {
            (Some(client), Some(server)) => Some(client.min(server)),
            (client, server) => client.or(server),
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::node::{Instant, Transport};
    use crate::transaction::{ClientKey, RequestArrival, ServerKey, TimerConfig, TransactionLayer};
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

    #[test]
    fn a_timer_e_kept_back_retransmits_as_a_filed_one_and_an_answer_forgets_it() {
        let to = SocketAddr::from(([10, 0, 0, 2], 5060));
        let local = SocketAddr::from(([10, 0, 0, 1], 5060));
        let timers = TimerConfig::default();
        let t1 = timers.t1_ms;
        let mut layer: TransactionLayer<u8> = TransactionLayer::new(local, timers);
        let client = |branch: &str| ClientKey {
            branch: branch.into(),
            method: "MESSAGE".into(),
        };
        let send = |layer: &mut TransactionLayer<u8>, branch: &str, ms: u64, context: u8| {
            let request = format!("MESSAGE {branch}").into_bytes();
            let sent =
                layer.send_request(at(ms), client(branch), to, Transport::Udp, request, context);
            assert!(sent.is_ok());
            assert!(layer.poll_transmit().is_some());
        };
        // Kept back, A's timer E is the node's next wake.
        send(&mut layer, "z9hG4bKa", 0, 1);
        assert_eq!(layer.poll_timeout(), Some(at(t1)));
        // Filed when B is sent; B, answered before anything else, is forgotten.
        send(&mut layer, "z9hG4bKb", 10, 2);
        assert_eq!(
            layer.receive_response_to(at(20), "z9hG4bKb", "MESSAGE", 200),
            Some(2)
        );
        assert_eq!(layer.poll_timeout(), Some(at(t1)));
        // A's timer E fires from the index: A alone goes out again.
        let mut timed_out = Vec::new();
        layer.handle_timeout(at(t1), &mut timed_out);
        let again = layer.poll_transmit().map(|t| t.bytes);
        assert_eq!(again.as_deref(), Some(&b"MESSAGE z9hG4bKa"[..]));
        assert!(layer.poll_transmit().is_none());
        // C, still kept back when timers fire, is filed first, then retransmitted with A
        // (whose second interval is 2·T1), in key order.
        send(&mut layer, "z9hG4bKc", 2 * t1, 3);
        layer.handle_timeout(at(3 * t1 - 1), &mut timed_out);
        assert!(layer.poll_transmit().is_none());
        layer.handle_timeout(at(3 * t1), &mut timed_out);
        let again: Vec<_> = std::iter::from_fn(|| layer.poll_transmit())
            .map(|t| t.bytes)
            .collect();
        assert_eq!(again, [&b"MESSAGE z9hG4bKa"[..], &b"MESSAGE z9hG4bKc"[..]]);
        assert!(timed_out.is_empty());
    }
}
