//! Every live transaction of one node, in tables found by key for matching
//! ([`super::table`]), filed by next deadline ([`super::deadlines`]) while a timer of it does
//! work (E, F, the unanswered bound) and by its end ([`super::completed`]) once it only absorbs
//! retransmissions (K, J), with the node's outgoing queue.
//!
//! Timers K and J ask for no wake: [`TransactionLayer::poll_timeout`] reports only deadlines
//! that do something, and every input (a request or response received, a request or response
//! sent, a timeout) first ends the transactions whose K or J is at or before its instant
//! ([`TransactionLayer::end_absorbing`]), so each input sees what it saw when K and J woke the
//! node.

use super::client::{ClientKey, ClientKeyParts, ClientTimerOutcome, ClientTransaction};
use super::completed::Completed;
use super::deadlines::{Deadlines, Due, Live, Slot};
use super::server::{ServerKey, ServerTransaction};
use super::table::{Lookup, Table};
use super::wire_chunks::WireChunks;
use super::TimerConfig;
use crate::node::{Bytes, Instant, Transmit, Transport};
use rustc_hash::FxBuildHasher;
use std::collections::VecDeque;
use std::hash::BuildHasher;
use std::net::SocketAddr;

/// Most server transactions one node keeps at once; a request beyond that is refused, so a
/// flood of new branches cannot grow the node without bound.
pub const SERVER_TRANSACTIONS_MAX: usize = 65_536;

/// Most client transactions one node keeps at once.
pub const CLIENT_TRANSACTIONS_MAX: usize = 65_536;

/// How a request relates to the node's server transactions.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RequestArrival {
    /// A new transaction: the transaction user must see the request (exactly once).
    New,
    /// A retransmission: the layer re-sent the last response, if any; the user sees nothing.
    Retransmission,
    /// A new transaction, but [`SERVER_TRANSACTIONS_MAX`] are alive: answer 503 statelessly.
    Refused,
}

/// The client and server transactions of one node and what they want sent.
#[derive(Debug)]
pub struct TransactionLayer<C> {
    local: SocketAddr,
    timers: TimerConfig,
    clients: Table<ClientKey, ClientTransaction<C>>,
    servers: Table<ServerKey, ServerTransaction>,
    deadlines: Deadlines,
    /// The transactions absorbing retransmissions, by the instant K or J ends them.
    completed: Completed,
    /// Whether an input ends those whose K or J has come (else only a timeout does: see
    /// [`end_absorbing_when_woken`](Self::end_absorbing_when_woken)).
    absorbing_ends_on_input: bool,
    transmits: VecDeque<Transmit>,
    /// The places of the client transactions a timer fired for, kept between calls.
    due_clients: Vec<usize>,
    /// Where the responses this node sends are written (see [`super::wire_chunks`]).
    chunks: WireChunks,
    /// The place of the server transaction added last: a user most often answers the request
    /// it was just given, found so by one key comparison instead of hashing the key again.
    added_last: Option<usize>,
    /// The first timer E of the client transaction started last, while kept out of
    /// `deadlines` (see [`kept_back`]).
    kept_back_client: Option<kept_back::KeptBack>,
    /// The unanswered bound of the server transaction added last, likewise.
    kept_back_server: Option<kept_back::KeptBack>,
}

/// The two tables, answering for the timer index whether an entry is live.
struct Tables<'a, C> {
    clients: &'a Table<ClientKey, ClientTransaction<C>>,
    servers: &'a Table<ServerKey, ServerTransaction>,
}

impl<C> Live for Tables<'_, C> {
    fn is_live(&self, slot: Slot, due: Due) -> bool {
        let held = match due {
            Due::Client(place) => self.clients.slot(place),
            Due::Server(place) => self.servers.slot(place),
        };
        held == Some(slot)
    }

    fn count(&self) -> usize {
        self.clients.len() + self.servers.len()
    }
}

impl<C> TransactionLayer<C> {
    /// An empty layer for the node at `local`.
    pub fn new(local: SocketAddr, timers: TimerConfig) -> Self {
        TransactionLayer {
            local,
            timers,
            clients: Table::default(),
            servers: Table::default(),
            deadlines: Deadlines::default(),
            completed: Completed::default(),
            absorbing_ends_on_input: true,
            transmits: VecDeque::new(),
            due_clients: Vec::new(),
            chunks: WireChunks::default(),
            added_last: None,
            kept_back_client: None,
            kept_back_server: None,
        }
    }

    /// The timer values this layer runs with.
    pub fn timers(&self) -> &TimerConfig {
        &self.timers
    }

    /// The node's own address (the `from` of every transmit).
    pub fn local(&self) -> SocketAddr {
        self.local
    }

    /// Sends a request (a `Vec<u8>` or [`Bytes`], taken without a copy) in a new client
    /// transaction; `context` comes back with its outcome. With [`CLIENT_TRANSACTIONS_MAX`]
    /// alive nothing is sent and the context comes back as `Err`.
    pub fn send_request(
        &mut self,
        now: Instant,
        key: ClientKey,
        to: SocketAddr,
        transport: Transport,
        request: impl Into<Bytes>,
        context: C,
    ) -> Result<(), C> {
        self.end_absorbing_before_input(now);
        if self.clients.len() >= CLIENT_TRANSACTIONS_MAX {
            return Err(context);
        }
        let request = request.into();
        self.push(to, transport, request.clone());
        let timers = &self.timers;
        let start = || ClientTransaction::start(now, request, to, transport, timers, context);
        let (place, replaced) = self.clients.insert(key, start);
        self.keep_back(now, Due::Client(place));
        if replaced {
            // The transaction replaced under the same key left a stale entry.
            self.settle();
        }
        Ok(())
    }

    /// A request arrived: a retransmission is answered from its transaction here.
    pub fn receive_request(
        &mut self,
        now: Instant,
        key: ServerKey,
        source: SocketAddr,
        transport: Transport,
    ) -> RequestArrival {
        self.end_absorbing_before_input(now);
        let timers = &self.timers;
        let start = || ServerTransaction::start(now, source, transport, timers);
        let place = match self
            .servers
            .find_or_add(key, SERVER_TRANSACTIONS_MAX, start)
        {
            Lookup::Found(place) => {
                let replay = self.servers.get(place).and_then(|filed| {
                    let txn = &filed.txn;
                    txn.replay()
                        .map(|bytes| (txn.source, txn.transport, bytes.clone()))
                });
                if let Some((to, transport, bytes)) = replay {
                    self.push(to, transport, bytes);
                }
                return RequestArrival::Retransmission;
            }
            Lookup::Full => return RequestArrival::Refused,
            Lookup::Added(place) => place,
        };
        self.added_last = Some(place);
        self.keep_back(now, Due::Server(place));
        RequestArrival::New
    }

    /// Drops a server transaction unanswered (RFC 4320: a stateful element never sends 408).
    pub fn abandon(&mut self, key: &ServerKey) {
        if let Some(place) = self.server_place(key) {
            kept_back::forget_kept_back(&mut self.kept_back_server, Due::Server(place));
            self.servers.remove(place);
            self.settle();
        }
    }

    /// A response arrived: returns the context if it is the final response the user awaited.
    /// Retransmitted finals and strays are absorbed.
    pub fn receive_response(&mut self, now: Instant, key: &ClientKey, code: u16) -> Option<C> {
        self.receive_response_to(now, key.branch(), key.method(), code)
    }

    /// [`receive_response`](Self::receive_response) for the transaction with this branch and
    /// method, read from the response without building a key.
    pub(crate) fn receive_response_to(
        &mut self,
        now: Instant,
        branch: &str,
        method: &str,
        code: u16,
    ) -> Option<C> {
        self.end_absorbing_before_input(now);
        // Hashed as the key hashes (its branch's text alone); compared by bytes, so a stored
        // branch is never checked as UTF-8 to be compared.
        let hash = FxBuildHasher.hash_one(branch);
        let place = self.clients.place_by(hash, |key| {
            key.branch.as_bytes() == branch.as_bytes() && *key.method == *method
        })?;
        let filed = self.clients.get_mut(place)?;
        let txn = &mut filed.txn;
        if !txn.on_response(now, code, &self.timers) {
            return None;
        }
        let context = txn.context.take();
        let end = txn.next_deadline();
        // Its timer E/F entry goes stale: never filed if still kept back (the index is then
        // as it was, and needs no settling), else dropped at once if still last of its run.
        let filed_before =
            !kept_back::forget_kept_back(&mut self.kept_back_client, Due::Client(place));
        if filed_before {
            self.deadlines.withdraw(filed.slot, Due::Client(place));
        }
        if end <= now {
            self.clients.remove(place);
        } else {
            // Absorbing until K: filed by its end, asking for no wake.
            filed.slot = self.deadlines.slot(end);
            self.completed.file(filed.slot, Due::Client(place));
        }
        if filed_before {
            self.settle_deadlines();
        }
        context
    }

    /// Fires every timer due at `now`; contexts of timed-out client transactions (timer F, a
    /// local 408) are appended to `timed_out` in key order, and retransmissions (timer E) are
    /// queued in key order.
    pub fn handle_timeout(&mut self, now: Instant, timed_out: &mut Vec<C>) {
        self.end_absorbing(now);
        self.file_kept_back();
        let mut due_clients = std::mem::take(&mut self.due_clients);
        due_clients.clear();
        loop {
            let tables = Tables {
                clients: &self.clients,
                servers: &self.servers,
            };
            match self.deadlines.pop_due(now, &tables) {
                None => break,
                Some(Due::Client(place)) => due_clients.push(place),
                // The unanswered bound fired: the server transaction is dropped unanswered.
                Some(Due::Server(place)) => {
                    self.servers.remove(place);
                }
            }
        }
        let clients = &self.clients;
        due_clients.sort_unstable_by(|a, b| {
            let key = |place: &usize| clients.get(*place).map(|f| &f.key);
            key(a).cmp(&key(b))
        });
        for &place in &due_clients {
            let Some(filed) = self.clients.get_mut(place) else {
                continue;
            };
            let txn = &mut filed.txn;
            match txn.on_timer(now, &self.timers) {
                outcome @ (ClientTimerOutcome::Idle | ClientTimerOutcome::Retransmit) => {
                    if outcome == ClientTimerOutcome::Retransmit {
                        self.transmits.push_back(Transmit {
                            from: self.local,
                            to: txn.to,
                            transport: txn.transport,
                            bytes: txn.request.clone(),
                        });
                    }
                    filed.slot =
                        self.deadlines
                            .insert(now, txn.next_deadline(), Due::Client(place));
                }
                ClientTimerOutcome::TimedOut => {
                    timed_out.extend(txn.context.take());
                    self.clients.remove(place);
                }
                ClientTimerOutcome::Terminated => {
                    self.clients.remove(place);
                }
            }
        }
        self.due_clients = due_clients;
        self.settle_deadlines();
    }

    /// The earliest instant a transaction timer does work: a retransmission (timer E), a
    /// request given up (timer F), an unanswered server transaction dropped. Timers K and J
    /// are not reported: the transactions they end are ended by the next input at or after
    /// their instant (see [`end_absorbing`](Self::end_absorbing) and
    /// [`next_absorbing_end`](Self::next_absorbing_end)).
    pub fn poll_timeout(&self) -> Option<Instant> {
        match (self.deadlines.earliest(), self.kept_back_deadline()) {
            (Some(filed), Some(kept)) => Some(filed.min(kept)),
            (filed, kept) => filed.or(kept),
        }
    }

    /// The next message to send, oldest first.
    pub fn poll_transmit(&mut self) -> Option<Transmit> {
        self.transmits.pop_front()
    }

    /// Forgets every transaction and queued message (a crash).
    pub fn reset(&mut self) {
        self.clients.clear();
        self.servers.clear();
        self.deadlines.clear();
        self.kept_back_client = None;
        self.kept_back_server = None;
        self.completed.clear();
        self.transmits.clear();
        self.due_clients.clear();
    }

    /// Drops stale entries from the front of the timer index and of the ends (after any change
    /// that can leave one).
    fn settle(&mut self) {
        let tables = Tables {
            clients: &self.clients,
            servers: &self.servers,
        };
        self.deadlines.settle(&tables);
        self.completed.settle(&tables);
    }

    /// [`settle`](Self::settle) for the timer index alone, after a change that can leave a
    /// stale entry there only (a transaction that awaited an answer got it, or timed out).
    fn settle_deadlines(&mut self) {
        let tables = Tables {
            clients: &self.clients,
            servers: &self.servers,
        };
        self.deadlines.settle(&tables);
    }

    /// [`settle`](Self::settle) for the ends alone, after a change that can leave a stale end
    /// only (ending transactions absorbing retransmissions: none of them is in the timer
    /// index, whose first entry stays live).
    fn settle_ends(&mut self) {
        let tables = Tables {
            clients: &self.clients,
            servers: &self.servers,
        };
        self.completed.settle(&tables);
    }

    fn push(&mut self, to: SocketAddr, transport: Transport, bytes: Bytes) {
        self.transmits.push_back(Transmit {
            from: self.local,
            to,
            transport,
            bytes,
        });
    }
}

#[path = "layer_respond.rs"]
mod respond;

#[path = "layer_absorbing.rs"]
mod absorbing;

#[path = "layer_readers.rs"]
mod readers;

#[path = "layer_kept_back.rs"]
mod kept_back;
