//! The responses a node's transaction user sends (and the proxied requests it writes): each
//! written into (or copied into) the node's shared chunk of sent bytes (see
//! [`crate::transaction::wire_chunks`]), then held by its server transaction for
//! retransmission and queued for the wire.

use super::kept_back::forget_kept_back;
use super::{Due, TransactionLayer};
use crate::node::{Instant, Transport};
use crate::transaction::ServerKey;
use bytes::BytesMut;
use std::net::SocketAddr;

impl<C> TransactionLayer<C> {
    /// The transaction user answers the request of transaction `key` with status `code` and
    /// the response `bytes` (copied: see [`crate::transaction::wire_chunks`]). Returns false if the
    /// transaction is gone or already answered finally (nothing is sent).
    pub fn send_response(
        &mut self,
        now: Instant,
        key: &ServerKey,
        code: u16,
        bytes: impl AsRef<[u8]>,
    ) -> bool {
        let bytes = bytes.as_ref();
        self.send_response_written(now, key, code, bytes.len(), |out| {
            out.extend_from_slice(bytes)
        })
    }

    /// [`send_response`](Self::send_response) with the response written by `write` straight
    /// into the node's chunk (`room` bytes reserved), so it is neither built apart nor copied;
    /// `write` runs only when the transaction takes the response.
    pub(crate) fn send_response_written(
        &mut self,
        now: Instant,
        key: &ServerKey,
        code: u16,
        room: usize,
        write: impl FnOnce(&mut BytesMut),
    ) -> bool {
        self.end_absorbing_before_input(now);
        let Some(place) = self.server_place(key) else {
            return false;
        };
        let Some(filed) = self.servers.get_mut(place) else {
            return false;
        };
        let txn = &mut filed.txn;
        if txn.answered_finally() {
            return false;
        }
        let bytes = self.chunks.written(room, write);
        if !txn.on_send(now, code, &bytes, &self.timers) {
            return false;
        }
        let (to, transport, next) = (txn.source, txn.transport, txn.next_deadline());
        // Whether an entry in the timer index may have gone stale (and the index must settle).
        let mut left_stale = false;
        if next != filed.slot.0 || txn.answered_finally() || next <= now {
            // Its unanswered bound goes stale: never filed if still kept back (a request
            // answered while it is handled, as most are), else dropped at once if still last
            // of its run.
            if !forget_kept_back(&mut self.kept_back_server, Due::Server(place)) {
                self.deadlines.withdraw(filed.slot, Due::Server(place));
                left_stale = true;
            }
        }
        if next <= now {
            self.servers.remove(place);
        } else if txn.answered_finally() {
            // Replaying its final response until J: filed by its end, asking for no wake.
            filed.slot = self.deadlines.slot(next);
            self.completed.file(filed.slot, Due::Server(place));
        } else if filed.slot.0 != next {
            filed.slot = self.deadlines.insert(now, next, Due::Server(place));
        }
        if left_stale {
            self.settle_deadlines();
        }
        self.push(to, transport, bytes);
        true
    }

    /// The place of server transaction `key`: the one added last if it is that one, else
    /// found by the key's hash.
    pub(super) fn server_place(&self, key: &ServerKey) -> Option<usize> {
        let last = self
            .added_last
            .and_then(|place| self.servers.get(place).map(|f| (place, f)));
        match last {
            Some((place, filed)) if filed.key == *key => Some(place),
            _ => self.servers.place(key),
        }
    }

    /// Sends a response outside any transaction (a 400 to a request that did not parse).
    pub fn send_stateless(
        &mut self,
        to: SocketAddr,
        transport: Transport,
        bytes: impl AsRef<[u8]>,
    ) {
        let bytes = self.chunks.copy_of(bytes.as_ref());
        self.push(to, transport, bytes);
    }

    /// A piece of the node's chunk of sent bytes holding what `write` appends (`room` bytes
    /// reserved), for a request that gets its Via before it is sent, with what `write` returns.
    pub(crate) fn sent_piece<R>(
        &mut self,
        room: usize,
        write: impl FnOnce(&mut BytesMut) -> R,
    ) -> (BytesMut, R) {
        self.chunks.piece(room, write)
    }
}

#[cfg(test)]
mod tests {
    use crate::node::{Instant, Transport};
    use crate::transaction::{RequestArrival, ServerKey, TimerConfig, TransactionLayer};
    use std::net::SocketAddr;

    fn server_key(branch: &str, method: &str) -> ServerKey {
        ServerKey {
            branch: branch.into(),
            sent_by: "10.0.0.2:5060".into(),
            method: method.into(),
        }
    }

    #[test]
    fn each_request_is_answered_in_its_own_transaction_whichever_arrived_last() {
        let from = SocketAddr::from(([10, 0, 0, 2], 5060));
        let mut layer: TransactionLayer<()> = TransactionLayer::new(
            SocketAddr::from(([10, 0, 0, 1], 5060)),
            TimerConfig::default(),
        );
        let (first, last) = (
            server_key("z9hG4bKa", "MESSAGE"),
            server_key("z9hG4bKb", "MESSAGE"),
        );
        for key in [&first, &last] {
            let arrival = layer.receive_request(Instant(0), key.clone(), from, Transport::Udp);
            assert_eq!(arrival, RequestArrival::New);
        }
        // Same branch as the last one, another method: a different transaction, never received.
        let stranger = server_key("z9hG4bKb", "OPTIONS");
        assert!(!layer.send_response(Instant(1), &stranger, 200, b"SIP/2.0 200 OK\r\n\r\n"));
        assert!(layer.send_response(Instant(1), &first, 200, b"SIP/2.0 200 OK\r\n\r\n"));
        assert!(layer.send_response(Instant(2), &last, 200, b"SIP/2.0 200 OK\r\n\r\n"));
        assert!(!layer.send_response(Instant(3), &last, 200, b"SIP/2.0 200 OK\r\n\r\n"));
        assert_eq!(layer.poll_transmit().map(|t| t.to), Some(from));
        assert_eq!(layer.poll_transmit().map(|t| t.to), Some(from));
        assert!(layer.poll_transmit().is_none());
        // The last one ended, its place reused: the key finds the transaction that holds it.
        layer.abandon(&first);
        let again = server_key("z9hG4bKc", "MESSAGE");
        layer.receive_request(Instant(4), again.clone(), from, Transport::Udp);
        assert!(layer.send_response(Instant(5), &again, 202, b"SIP/2.0 202 Accepted\r\n\r\n"));
    }
}
