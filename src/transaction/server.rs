//! The non-INVITE server transaction (RFC 3261 section 17.2.2, figure 8; RFC 4320).

use super::{Branch, TimerConfig};
use crate::node::{Bytes, Instant, Transport};
use std::sync::Arc;

/// What identifies a server transaction: the request's top Via branch and sent-by, and its
/// method (RFC 3261 section 17.2.3). Cheap to clone, as for [`super::ClientKey`]: the branch is
/// a [`Branch`] (inline when short; it was an `Arc<str>` before), the rest shared strings.
#[derive(Clone, Debug, PartialOrd, Ord)]
pub struct ServerKey {
    /// The top Via branch (or, for a request without the magic cookie, Call-ID and CSeq).
    pub branch: Branch,
    /// The top Via sent-by, `host[:port]`.
    pub sent_by: Arc<str>,
    /// The request method.
    pub method: Arc<str>,
}

// Equal as the derive compares, field by field, the shared strings first by address (a node's
// keys share them, see `node::shared_names`). Written out rather than derived because it
// measured fewer instructions: 0.2 K per delivery in the simulator bench (702.1 -> 700.2 M).
impl PartialEq for ServerKey {
    fn eq(&self, other: &Self) -> bool {
        let same = |a: &Arc<str>, b: &Arc<str>| Arc::ptr_eq(a, b) || a == b;
        self.branch == other.branch
            && same(&self.sent_by, &other.sent_by)
            && same(&self.method, &other.method)
    }
}

impl Eq for ServerKey {}

// Hashed as the derive hashes (each field in order), so equal keys hash alike.
impl std::hash::Hash for ServerKey {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.branch.hash(state);
        self.sent_by.hash(state);
        self.method.hash(state);
    }
}

/// What a server transaction waits for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ServerState {
    /// "Trying": the request went to the user once; retransmissions are discarded until it
    /// answers. A user that will never answer (a proxy whose downstream timed out, which must
    /// not send 408) abandons the transaction, and `abandon_at` bounds it regardless.
    AwaitingTransactionUser {
        /// When an unanswered transaction is dropped without a response.
        abandon_at: Instant,
    },
    /// "Proceeding": a 1xx was sent; retransmissions get it again.
    Proceeding {
        /// The provisional response as sent (the buffer its transmit shares).
        provisional: Bytes,
        /// When an unanswered transaction is dropped without a response.
        abandon_at: Instant,
    },
    /// "Completed": the final response was sent; timer J replays it to retransmissions.
    ReplayingFinalResponse {
        /// The final response as sent (the buffer its transmit shares).
        response: Bytes,
        /// When timer J fires and the transaction terminates.
        until: Instant,
    },
}

/// One live non-INVITE server transaction.
#[derive(Debug)]
pub(super) struct ServerTransaction {
    /// Where the request came from: responses go back there (RFC 3261 section 18.2.2).
    pub(super) source: std::net::SocketAddr,
    pub(super) transport: Transport,
    pub(super) state: ServerState,
}

impl ServerTransaction {
    /// A transaction for a request that arrived at `now`.
    pub(super) fn start(
        now: Instant,
        source: std::net::SocketAddr,
        transport: Transport,
        timers: &TimerConfig,
    ) -> Self {
        ServerTransaction {
            source,
            transport,
            state: ServerState::AwaitingTransactionUser {
                abandon_at: now.plus_millis(unanswered_lifetime_ms(timers)),
            },
        }
    }

    /// When this transaction's timer fires.
    pub(super) fn next_deadline(&self) -> Instant {
        match &self.state {
            ServerState::AwaitingTransactionUser { abandon_at }
            | ServerState::Proceeding { abandon_at, .. } => *abandon_at,
            ServerState::ReplayingFinalResponse { until, .. } => *until,
        }
    }

    /// What a retransmitted request gets back: the last response sent, if any.
    pub(super) fn replay(&self) -> Option<&Bytes> {
        match &self.state {
            ServerState::AwaitingTransactionUser { .. } => None,
            ServerState::Proceeding { provisional, .. } => Some(provisional),
            ServerState::ReplayingFinalResponse { response, .. } => Some(response),
        }
    }

    /// Whether a final response was already sent (a later response is discarded).
    pub(super) fn answered_finally(&self) -> bool {
        matches!(self.state, ServerState::ReplayingFinalResponse { .. })
    }

    /// Records a response the user sends; returns false if it must not go out (a final
    /// response was already sent: later ones are discarded).
    pub(super) fn on_send(
        &mut self,
        now: Instant,
        code: u16,
        bytes: &Bytes,
        timers: &TimerConfig,
    ) -> bool {
        let abandon_at = match &self.state {
            ServerState::ReplayingFinalResponse { .. } => return false,
            ServerState::AwaitingTransactionUser { abandon_at }
            | ServerState::Proceeding { abandon_at, .. } => *abandon_at,
        };
        self.state = if code < 200 {
            ServerState::Proceeding {
                provisional: bytes.clone(),
                abandon_at,
            }
        } else {
            ServerState::ReplayingFinalResponse {
                response: bytes.clone(),
                until: now.plus_millis(timers.timer_j_ms(self.transport)),
            }
        };
        true
    }
}

/// How long a server transaction may wait for its user before it is dropped unanswered: twice
/// timer F, so a proxy's downstream client transaction always times out first.
pub(super) fn unanswered_lifetime_ms(timers: &TimerConfig) -> u64 {
    timers.timer_f_ms().saturating_mul(2)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::hash::BuildHasher;

    /// Keys are equal exactly when their texts are, whether their strings are shared or not,
    /// and equal keys hash alike (as the derived comparison and hash had it).
    #[test]
    fn keys_compare_and_hash_as_their_texts_shared_or_not() {
        let shared: Arc<str> = Arc::from("10.0.0.2:5060");
        let parts = [
            ("z9hG4bKa", "10.0.0.2:5060", "MESSAGE"),
            ("z9hG4bKb", "10.0.0.2:5060", "MESSAGE"),
            ("z9hG4bKa", "10.0.0.3:5060", "MESSAGE"),
            ("z9hG4bKa", "10.0.0.2:5060", "OPTIONS"),
        ];
        let key = |(branch, sent_by, method): (&str, &str, &str), share: bool| ServerKey {
            branch: branch.into(),
            sent_by: if share && sent_by == &*shared {
                Arc::clone(&shared)
            } else {
                Arc::from(sent_by)
            },
            method: Arc::from(method),
        };
        let hasher = std::collections::hash_map::RandomState::new();
        for a in parts {
            for b in parts {
                for (share_a, share_b) in [(true, true), (true, false), (false, false)] {
                    let (x, y) = (key(a, share_a), key(b, share_b));
                    assert_eq!(x == y, a == b, "{a:?} {b:?}");
                    if a == b {
                        assert_eq!(hasher.hash_one(&x), hasher.hash_one(&y));
                    }
                }
            }
        }
    }
}
