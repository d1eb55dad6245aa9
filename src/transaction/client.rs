//! The non-INVITE client transaction (RFC 3261 section 17.1.2, figure 6).

use super::{Branch, TimerConfig};
use crate::node::{Bytes, Instant, Transport};
use std::borrow::Borrow;
use std::hash::{Hash, Hasher};
use std::sync::Arc;

/// What identifies a client transaction: the top Via branch it sent and the CSeq method.
/// Cheap to clone: the layer files each key twice (in its table and by its map) and a role
/// keeps it. The branch is a [`Branch`] (inline up to [`super::BRANCH_INLINE_BYTES_MAX`]
/// bytes, so a key built for a branch this crate writes allocates nothing for it; it was an
/// `Arc<str>` before), the method a shared string.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct ClientKey {
    /// The branch parameter of the Via this transaction pushed.
    pub branch: Branch,
    /// The request method (the response's CSeq method must equal it).
    pub method: Arc<str>,
}

/// A client key's two parts as text: a response is matched by the branch and method it
/// carries, borrowed, with no key built (the layer's table is found through `dyn` of this).
pub trait ClientKeyParts {
    /// The Via branch.
    fn branch(&self) -> &str;
    /// The method.
    fn method(&self) -> &str;
}

impl ClientKeyParts for ClientKey {
    fn branch(&self) -> &str {
        &self.branch
    }

    fn method(&self) -> &str {
        &self.method
    }
}

impl ClientKeyParts for (&str, &str) {
    fn branch(&self) -> &str {
        self.0
    }

    fn method(&self) -> &str {
        self.1
    }
}

// Hashed by the branch alone, as the key is.
impl Hash for dyn ClientKeyParts + '_ {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.branch().hash(state);
    }
}

impl PartialEq for dyn ClientKeyParts + '_ {
    fn eq(&self, other: &Self) -> bool {
        self.branch() == other.branch() && self.method() == other.method()
    }
}

impl Eq for dyn ClientKeyParts + '_ {}

// The key hashes exactly as its borrowed parts do (a branch hashes as its text), so either
// finds it in a hash map. Only the branch is hashed: every branch this node sends is a fresh
// random token, so keys of one table differ in their branches already (two that share one
// merely share a hash), and the method's text, hashed too, was a third of the cost of every
// lookup.
impl Hash for ClientKey {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.branch.hash(state);
    }
}

impl<'a> Borrow<dyn ClientKeyParts + 'a> for ClientKey {
    fn borrow(&self) -> &(dyn ClientKeyParts + 'a) {
        self
    }
}

/// What a client transaction waits for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ClientState {
    /// "Trying": the request is out, nothing came back; timer E retransmits on UDP.
    AwaitingResponse {
        /// When timer E fires next (None on a stream transport).
        retransmit_at: Option<Instant>,
        /// The current timer E interval, doubling up to T2.
        interval_ms: u64,
    },
    /// "Proceeding": a 1xx came back; timer E keeps retransmitting every T2 on UDP.
    AwaitingFinalResponse {
        /// When timer E fires next (None on a stream transport).
        retransmit_at: Option<Instant>,
    },
    /// "Completed": the final response went to the user; timer K absorbs its retransmissions.
    AbsorbingRetransmissions {
        /// When timer K fires and the transaction terminates.
        until: Instant,
    },
}

/// What a fired timer asks the layer to do.
#[derive(Debug, PartialEq, Eq)]
pub(super) enum ClientTimerOutcome {
    /// Nothing is due yet.
    Idle,
    /// Timer E: send the request again.
    Retransmit,
    /// Timer F: the request went unanswered; the user reports 408 locally.
    TimedOut,
    /// Timer K: the transaction is over.
    Terminated,
}

/// One live non-INVITE client transaction.
#[derive(Debug)]
pub(super) struct ClientTransaction<C> {
    /// The request as sent (shared with its transmit: a retransmission copies nothing).
    pub(super) request: Bytes,
    pub(super) to: std::net::SocketAddr,
    pub(super) transport: Transport,
    pub(super) timer_f_at: Instant,
    pub(super) state: ClientState,
    /// The user's context; taken when the final response or the timeout is reported.
    pub(super) context: Option<C>,
}

impl<C> ClientTransaction<C> {
    /// A transaction that has just sent `request` at `now`.
    pub(super) fn start(
        now: Instant,
        request: Bytes,
        to: std::net::SocketAddr,
        transport: Transport,
        timers: &TimerConfig,
        context: C,
    ) -> Self {
        let retransmit_at = match transport {
            Transport::Udp => Some(now.plus_millis(timers.t1_ms)),
            Transport::Tcp => None,
        };
        ClientTransaction {
            request,
            to,
            transport,
            timer_f_at: now.plus_millis(timers.timer_f_ms()),
            state: ClientState::AwaitingResponse {
                retransmit_at,
                interval_ms: timers.t1_ms,
            },
            context: Some(context),
        }
    }

    /// The earliest instant one of this transaction's timers fires.
    pub(super) fn next_deadline(&self) -> Instant {
        match self.state {
            ClientState::AwaitingResponse { retransmit_at, .. }
            | ClientState::AwaitingFinalResponse { retransmit_at } => {
                retransmit_at.map_or(self.timer_f_at, |e| e.min(self.timer_f_at))
            }
            ClientState::AbsorbingRetransmissions { until } => until,
        }
    }

    /// Fires the timer due at `now`, if any (F before E: a request is not resent after F).
    pub(super) fn on_timer(&mut self, now: Instant, timers: &TimerConfig) -> ClientTimerOutcome {
        match self.state {
            ClientState::AbsorbingRetransmissions { until } if until <= now => {
                ClientTimerOutcome::Terminated
            }
            ClientState::AbsorbingRetransmissions { .. } => ClientTimerOutcome::Idle,
            _ if self.timer_f_at <= now => ClientTimerOutcome::TimedOut,
            ClientState::AwaitingResponse {
                retransmit_at: Some(at),
                interval_ms,
            } if at <= now => {
                let next = interval_ms.saturating_mul(2).min(timers.t2_ms);
                self.state = ClientState::AwaitingResponse {
                    retransmit_at: Some(now.plus_millis(next)),
                    interval_ms: next,
                };
                ClientTimerOutcome::Retransmit
            }
            ClientState::AwaitingFinalResponse {
                retransmit_at: Some(at),
            } if at <= now => {
                self.state = ClientState::AwaitingFinalResponse {
                    retransmit_at: Some(now.plus_millis(timers.t2_ms)),
                };
                ClientTimerOutcome::Retransmit
            }
            _ => ClientTimerOutcome::Idle,
        }
    }

    /// A response with status `code` matched; returns whether it goes to the user (a final
    /// response while still awaiting one). Provisional ones move to `AwaitingFinalResponse`.
    pub(super) fn on_response(&mut self, now: Instant, code: u16, timers: &TimerConfig) -> bool {
        let awaiting = !matches!(self.state, ClientState::AbsorbingRetransmissions { .. });
        if !awaiting {
            return false;
        }
        if code < 200 {
            let retransmit_at = match self.transport {
                Transport::Udp => Some(now.plus_millis(timers.t2_ms)),
                Transport::Tcp => None,
            };
            self.state = ClientState::AwaitingFinalResponse { retransmit_at };
            return false;
        }
        self.state = ClientState::AbsorbingRetransmissions {
            until: now.plus_millis(timers.timer_k_ms(self.transport)),
        };
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rustc_hash::FxHashMap;

    #[test]
    fn a_response_finds_its_transaction_by_branch_and_method_alone() {
        let mut clients = FxHashMap::default();
        for (branch, method) in [
            ("z9hG4bK1", "MESSAGE"),
            ("z9hG4bK1", "REGISTER"),
            ("z9hG4bK2", "MESSAGE"),
        ] {
            let key = ClientKey {
                branch: branch.into(),
                method: method.into(),
            };
            clients.insert(key, (branch, method));
        }
        for (branch, method) in [
            ("z9hG4bK1", "MESSAGE"),
            ("z9hG4bK1", "REGISTER"),
            ("z9hG4bK2", "MESSAGE"),
        ] {
            let found = clients.get::<dyn ClientKeyParts>(&(branch, method));
            assert_eq!(found, Some(&(branch, method)));
        }
        // RFC 3261 section 17.1.3: the method must match too, and the branch exactly.
        assert_eq!(
            clients.get::<dyn ClientKeyParts>(&("z9hG4bK2", "REGISTER")),
            None
        );
        assert_eq!(
            clients.get::<dyn ClientKeyParts>(&("z9hg4bk1", "MESSAGE")),
            None
        );
        assert_eq!(
            clients.get::<dyn ClientKeyParts>(&("z9hG4bK1MESSAGE", "")),
            None
        );
    }

    #[test]
    fn a_key_hashes_as_its_borrowed_parts_and_as_its_branch_text() {
        use rustc_hash::FxBuildHasher;
        use std::hash::BuildHasher;
        let long = format!(
            "z9hG4bK{}",
            "x".repeat(super::super::BRANCH_INLINE_BYTES_MAX)
        );
        for branch in ["z9hG4bK1", "", long.as_str()] {
            for method in ["MESSAGE", "REGISTER", ""] {
                let key = ClientKey {
                    branch: branch.into(),
                    method: method.into(),
                };
                let parts: &dyn ClientKeyParts = &(branch, method);
                let hash = FxBuildHasher.hash_one(&key);
                assert_eq!(hash, FxBuildHasher.hash_one(parts), "{branch} {method}");
                // What the layer hashes a response's branch with.
                assert_eq!(hash, FxBuildHasher.hash_one(branch), "{branch} {method}");
            }
        }
    }
}
