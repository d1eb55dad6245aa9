//! Every live transaction of one node, keyed for matching, with the node's outgoing queue.

use super::client::{ClientKey, ClientTimerOutcome, ClientTransaction};
use super::server::{ServerKey, ServerTransaction};
use super::TimerConfig;
use crate::node::{Instant, Transmit, Transport};
use std::collections::{BTreeMap, VecDeque};
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
    clients: BTreeMap<ClientKey, ClientTransaction<C>>,
    servers: BTreeMap<ServerKey, ServerTransaction>,
    transmits: VecDeque<Transmit>,
}

impl<C> TransactionLayer<C> {
    /// An empty layer for the node at `local`.
    pub fn new(local: SocketAddr, timers: TimerConfig) -> Self {
        TransactionLayer {
            local,
            timers,
            clients: BTreeMap::new(),
            servers: BTreeMap::new(),
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
        self.clients.insert(key, txn);
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
        if let Some(txn) = self.servers.get(&key) {
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
        self.servers.insert(key, txn);
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
        let Some(txn) = self.servers.get_mut(key) else {
            return false;
        };
        if !txn.on_send(now, code, &bytes, &self.timers) {
            return false;
        }
        let (to, transport) = (txn.source, txn.transport);
        if txn.next_deadline() <= now {
            self.servers.remove(key);
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
        self.servers.remove(key);
    }

    /// A response arrived: returns the context if it is the final response the user awaited.
    /// Retransmitted finals and strays are absorbed.
    pub fn receive_response(&mut self, now: Instant, key: &ClientKey, code: u16) -> Option<C> {
        let txn = self.clients.get_mut(key)?;
        if !txn.on_response(now, code, &self.timers) {
            return None;
        }
        let context = txn.context.take();
        if txn.next_deadline() <= now {
            self.clients.remove(key);
        }
        context
    }

    /// Fires every timer due at `now`; contexts of timed-out client transactions (timer F, a
    /// local 408) are appended to `timed_out` in key order.
    pub fn handle_timeout(&mut self, now: Instant, timed_out: &mut Vec<C>) {
        let TransactionLayer {
            timers,
            clients,
            servers,
            transmits,
            local,
        } = self;
        clients.retain(|_, txn| match txn.on_timer(now, timers) {
            ClientTimerOutcome::Idle => true,
            ClientTimerOutcome::Retransmit => {
                transmits.push_back(Transmit {
                    from: *local,
                    to: txn.to,
                    transport: txn.transport,
                    bytes: txn.request.clone(),
                });
                true
            }
            ClientTimerOutcome::TimedOut => {
                timed_out.extend(txn.context.take());
                false
            }
            ClientTimerOutcome::Terminated => false,
        });
        servers.retain(|_, txn| txn.next_deadline() > now);
    }

    /// The earliest instant a transaction timer fires.
    pub fn poll_timeout(&self) -> Option<Instant> {
        let clients = self.clients.values().map(ClientTransaction::next_deadline);
        let servers = self.servers.values().map(ServerTransaction::next_deadline);
        clients.chain(servers).min()
    }

    /// The next message to send, oldest first.
    pub fn poll_transmit(&mut self) -> Option<Transmit> {
        self.transmits.pop_front()
    }

    /// Forgets every transaction and queued message (a crash).
    pub fn reset(&mut self) {
        self.clients.clear();
        self.servers.clear();
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
            .filter(|t| !matches!(t.state, super::ClientState::AbsorbingRetransmissions { .. }))
            .map(|t| t.timer_f_at)
            .min()
    }

    /// The state of client transaction `key`, if alive.
    pub fn client_state(&self, key: &ClientKey) -> Option<super::ClientState> {
        self.clients.get(key).map(|t| t.state)
    }

    /// The state of server transaction `key`, if alive.
    pub fn server_state(&self, key: &ServerKey) -> Option<&super::ServerState> {
        self.servers.get(key).map(|t| &t.state)
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
