//! The plumbing every role shares: decoding what arrives, the transaction layer, the
//! one-pending-MESSAGE-per-destination outbox (RFC 3428 section 8), and the event queue.
//!
//! This file holds the core's state, its timers and its output queues; the receive path
//! (decoding, validation, server transactions and their answers) is in [`receive`], the send
//! path (the node's Via and branch, client transactions, the outbox) in [`send`].

mod receive;
mod send;

pub(crate) use receive::server_key;

use super::identity::Entropy;
use super::shared_names::SharedNames;
use super::wire::OutgoingRequest;
use super::{Event, Instant, Transmit};
use crate::transaction::{ServerKey, TimerConfig, TransactionLayer};
use rustc_hash::FxHashMap;
use std::collections::VecDeque;
use std::net::SocketAddr;
use std::sync::Arc;

/// Largest message sent over UDP, in bytes; larger ones take the stream transport
/// (RFC 3428 section 8, RFC 3261 section 18.1.1).
pub const UDP_MESSAGE_BYTES_MAX: usize = 1300;

/// Most requests one node may hold queued behind a pending request to the same destination.
pub const QUEUED_REQUESTS_PER_DESTINATION_MAX: usize = 1024;

/// A request could not even be queued: its destination already holds
/// [`QUEUED_REQUESTS_PER_DESTINATION_MAX`] requests.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OutboxFull {
    /// The destination URI whose queue is full.
    pub destination: String,
}

impl std::fmt::Display for OutboxFull {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "more than {QUEUED_REQUESTS_PER_DESTINATION_MAX} requests queued for {}",
            self.destination
        )
    }
}

impl std::error::Error for OutboxFull {}

/// What a client transaction carries for the core: the S12 destination, the method, the role's context.
#[derive(Debug)]
pub(crate) struct Pending<C> {
    destination: Option<String>,
    method: Arc<str>,
    context: C,
}

/// A request on its way: what a client transaction starts from, at once or, behind a pending
/// request to the same destination, once that one is over (RFC 3428 section 8).
#[derive(Debug)]
struct Outgoing<C> {
    /// The request in wire form but for this node's Via.
    request: OutgoingRequest,
    /// The next hop's address.
    to: SocketAddr,
    /// The destination URI it waits for (the caller's string, kept for its transaction);
    /// `None` for a proxy's copy, which never waits.
    destination: Option<String>,
    /// The role's context of its transaction.
    context: C,
}

/// What a decoded message is to the role once past the transaction layer (the message itself
/// stays with the caller: see [`Core::accept`]).
pub(crate) enum Accepted<C> {
    /// A request of a new server transaction, to answer on this key.
    Request(ServerKey),
    /// The final response a client transaction awaited.
    Response {
        /// The role's context of that transaction.
        context: C,
        /// Its status code.
        code: u16,
    },
}

/// A node's shared machinery; `C` is the role's client-transaction context.
#[derive(Debug)]
pub(crate) struct Core<C> {
    pub(crate) name: String,
    pub(crate) entropy: Entropy,
    pub(crate) layer: TransactionLayer<Pending<C>>,
    /// `SIP/2.0/UDP <local>;branch=z9hG4bK` and its TCP twin: the node's Via up to the
    /// branch's token (the magic cookie every branch it writes starts with included), written
    /// once rather than formatting the address into every request.
    via_prefixes: [String; 2],
    events: VecDeque<Event>,
    /// Destinations with a request pending (RFC 3428 section 8), each with the requests queued
    /// behind it. A hash map: nothing iterates it, so its order cannot leak into what is sent.
    busy: FxHashMap<String, VecDeque<Outgoing<C>>>,
    /// Requests the transaction layer refused (too many alive): local 503s not yet reported.
    refused: Vec<Pending<C>>,
    /// Method names and peers' sent-by, shared by every transaction key.
    names: SharedNames,
}

impl<C> Core<C> {
    /// The machinery of node `name` at `local`.
    pub(crate) fn new(name: &str, local: SocketAddr, timers: TimerConfig, seed: u64) -> Self {
        Core {
            name: name.to_owned(),
            entropy: Entropy::new(seed),
            layer: TransactionLayer::new(local, timers),
            via_prefixes: ["UDP", "TCP"]
                .map(|t| format!("SIP/2.0/{t} {local};branch={}", crate::sip::MAGIC_COOKIE)),
            events: VecDeque::new(),
            busy: FxHashMap::default(),
            refused: Vec::new(),
            names: SharedNames::default(),
        }
    }

    /// Records an event for `poll_event`.
    pub(crate) fn event(&mut self, event: Event) {
        self.events.push_back(event);
    }

    /// Records a `MalformedInput` event.
    pub(crate) fn malformed(&mut self, rule: &'static str, offset: usize) {
        let node = self.name.clone();
        self.event(Event::MalformedInput { node, rule, offset });
    }

    /// Fires transaction timers; returns the contexts of requests that ended without a response,
    /// with the status the role must assume: 408 for a timer F (nothing goes on the wire), 503
    /// for a request the layer refused.
    pub(crate) fn handle_timeout(&mut self, now: Instant) -> Vec<(C, u16)> {
        let mut timed_out = Vec::new();
        self.layer.handle_timeout(now, &mut timed_out);
        let mut ended = Vec::with_capacity(timed_out.len());
        for pending in timed_out {
            let node = self.name.clone();
            self.event(Event::TransactionTimedOut {
                node,
                method: pending.method.to_string(),
            });
            self.release(now, pending.destination.as_deref());
            ended.push((pending.context, 408));
        }
        for pending in std::mem::take(&mut self.refused) {
            self.release(now, pending.destination.as_deref());
            ended.push((pending.context, 503));
        }
        ended
    }

    /// The next transmit.
    pub(crate) fn poll_transmit(&mut self) -> Option<Transmit> {
        self.layer.poll_transmit()
    }

    /// The next event.
    pub(crate) fn poll_event(&mut self) -> Option<Event> {
        self.events.pop_front()
    }

    /// The next transaction timer (at once if a refused request awaits its report).
    pub(crate) fn poll_timeout(&self) -> Option<Instant> {
        if !self.refused.is_empty() {
            return Some(Instant(0));
        }
        self.layer.poll_timeout()
    }

    /// A crash: transactions, queues and pending events are lost (the RNG keeps running).
    pub(crate) fn crash(&mut self) {
        self.layer.reset();
        self.events.clear();
        self.busy.clear();
        self.refused.clear();
    }
}

/// The earlier of two optional deadlines.
pub(crate) fn earliest(a: Option<Instant>, b: Option<Instant>) -> Option<Instant> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}
