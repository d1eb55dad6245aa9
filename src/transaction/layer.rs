//! Every live transaction of one node, keyed for matching and filed by next deadline
//! ([`super::deadlines`]), with the node's outgoing queue.

use super::client::{ClientKey, ClientTimerOutcome, ClientTransaction};
use super::deadlines::{Deadlines, Due, Slot};
use super::server::{ServerKey, ServerTransaction};
use super::TimerConfig;
use crate::node::{Instant, Transmit, Transport};
use rustc_hash::FxHashMap;
use std::collections::VecDeque;
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
    // Hash maps: nothing iterates them (the timer index gives the firing order, and due client
    // transactions are sorted by key), so their order cannot leak into what a node sends.
    clients: FxHashMap<ClientKey, Filed<ClientTransaction<C>>>,
    servers: FxHashMap<ServerKey, Filed<ServerTransaction>>,
    deadlines: Deadlines,
    transmits: VecDeque<Transmit>,
}

/// A transaction and where the timer index files it.
#[derive(Debug)]
struct Filed<T> {
    txn: T,
    slot: Slot,
}

impl<C> TransactionLayer<C> {
    /// An empty layer for the node at `local`.
    pub fn new(local: SocketAddr, timers: TimerConfig) -> Self {
        TransactionLayer {
            local,
            timers,
            clients: FxHashMap::default(),
            servers: FxHashMap::default(),
            deadlines: Deadlines::default(),
            transmits: VecDeque::new(),
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

    /// Sends a request in a new client transaction; `context` comes back with its outcome.
    /// With [`CLIENT_TRANSACTIONS_MAX`] alive nothing is sent and the context comes back as `Err`.
    pub fn send_request(
        &mut self,
        now: Instant,
        key: ClientKey,
        to: SocketAddr,
        transport: Transport,
        request: Vec<u8>,
        context: C,
    ) -> Result<(), C> {
        if self.clients.len() >= CLIENT_TRANSACTIONS_MAX {
            return Err(context);
        }
        self.push(to, transport, request.clone());
        let txn = ClientTransaction::start(now, request, to, transport, &self.timers, context);
        let slot = self
            .deadlines
            .insert(txn.next_deadline(), Due::Client(key.clone()));
        self.clients.insert(key, Filed { txn, slot });
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
        if let Some(Filed { txn, .. }) = self.servers.get(&key) {
            if let Some(bytes) = txn.replay() {
                let (to, transport) = (txn.source, txn.transport);
                self.push(to, transport, bytes.to_vec());
            }
            return RequestArrival::Retransmission;
        }
        if self.servers.len() >= SERVER_TRANSACTIONS_MAX {
            return RequestArrival::Refused;
        }
        let txn = ServerTransaction::start(now, source, transport, &self.timers);
        let slot = self
            .deadlines
            .insert(txn.next_deadline(), Due::Server(key.clone()));
        self.servers.insert(key, Filed { txn, slot });
        RequestArrival::New
    }

    /// The transaction user answers the request of transaction `key` with status `code`.
    /// Returns false if the transaction is gone or already answered finally (nothing is sent).
    pub fn send_response(
        &mut self,
        now: Instant,
        key: &ServerKey,
        code: u16,
        bytes: Vec<u8>,
    ) -> bool {
        let Some(Filed { txn, slot }) = self.servers.get_mut(key) else {
            return false;
        };
        if !txn.on_send(now, code, &bytes, &self.timers) {
            return false;
        }
        let (to, transport) = (txn.source, txn.transport);
        if txn.next_deadline() <= now {
            self.deadlines.remove(*slot);
            self.servers.remove(key);
        } else {
            *slot = self.deadlines.refile(*slot, txn.next_deadline());
        }
        self.push(to, transport, bytes);
        true
    }

    /// Sends a response outside any transaction (a 400 to a request that did not parse).
    pub fn send_stateless(&mut self, to: SocketAddr, transport: Transport, bytes: Vec<u8>) {
        self.push(to, transport, bytes);
    }

    /// Drops a server transaction unanswered (RFC 4320: a stateful element never sends 408).
    pub fn abandon(&mut self, key: &ServerKey) {
        if let Some(filed) = self.servers.remove(key) {
            self.deadlines.remove(filed.slot);
        }
    }

    /// A response arrived: returns the context if it is the final response the user awaited.
    /// Retransmitted finals and strays are absorbed.
    pub fn receive_response(&mut self, now: Instant, key: &ClientKey, code: u16) -> Option<C> {
        let Filed { txn, slot } = self.clients.get_mut(key)?;
        if !txn.on_response(now, code, &self.timers) {
            return None;
        }
        let context = txn.context.take();
        if txn.next_deadline() <= now {
            self.deadlines.remove(*slot);
            self.clients.remove(key);
        } else {
            *slot = self.deadlines.refile(*slot, txn.next_deadline());
        }
        context
    }

    /// Fires every timer due at `now`; contexts of timed-out client transactions (timer F, a
    /// local 408) are appended to `timed_out` in key order, and retransmissions (timer E) are
    /// queued in key order.
    pub fn handle_timeout(&mut self, now: Instant, timed_out: &mut Vec<C>) {
        let mut due_clients = Vec::new();
        while let Some(due) = self.deadlines.pop_due(now) {
            match due {
                Due::Client(key) => due_clients.push(key),
                // Timer J (or the unanswered bound) fired: the server transaction is over.
                Due::Server(key) => {
                    self.servers.remove(&key);
                }
            }
        }
        due_clients.sort_unstable();
        for key in due_clients {
            let Some(Filed { txn, slot }) = self.clients.get_mut(&key) else {
                continue;
            };
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
                    *slot = self.deadlines.insert(txn.next_deadline(), Due::Client(key));
                }
                ClientTimerOutcome::TimedOut => {
                    timed_out.extend(txn.context.take());
                    self.clients.remove(&key);
                }
                ClientTimerOutcome::Terminated => {
                    self.clients.remove(&key);
                }
            }
        }
    }

    /// The earliest instant a transaction timer fires.
    pub fn poll_timeout(&self) -> Option<Instant> {
        self.deadlines.earliest()
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
        self.transmits.clear();
    }

    /// How many client transactions are alive.
    pub fn client_count(&self) -> usize {
        self.clients.len()
    }

    /// How many server transactions are alive.
    pub fn server_count(&self) -> usize {
        self.servers.len()
    }

    /// The earliest timer F among client transactions still awaiting a final response: the
    /// instant this layer would give up on a request (a local 408), if any.
    pub fn next_give_up(&self) -> Option<Instant> {
        self.clients
            .values()
            .filter(|t| {
                !matches!(
                    t.txn.state,
                    super::ClientState::AbsorbingRetransmissions { .. }
                )
            })
            .map(|t| t.txn.timer_f_at)
            .min()
    }

    /// The state of client transaction `key`, if alive.
    pub fn client_state(&self, key: &ClientKey) -> Option<super::ClientState> {
        self.clients.get(key).map(|f| f.txn.state)
    }

    /// The state of server transaction `key`, if alive.
    pub fn server_state(&self, key: &ServerKey) -> Option<&super::ServerState> {
        self.servers.get(key).map(|f| &f.txn.state)
    }

    fn push(&mut self, to: SocketAddr, transport: Transport, bytes: Vec<u8>) {
        self.transmits.push_back(Transmit {
            from: self.local,
            to,
            transport,
            bytes,
        });
    }
}
