//! One actor of a run as its concrete role, so a controlled run (see [`super::stepper`]) can
//! read the role's state for the refinement map, not only drive it through the [`Node`] trait.

use crate::node::{
    ControllingFunction, Event, Instant, Node, ParticipatingFunction, Transmit, Transport,
    UserAgent,
};
use crate::transaction::{ClientKey, ClientState, ServerKey};
use std::net::SocketAddr;

/// The role on one lane, by its concrete type.
#[derive(Debug)]
pub enum Actor {
    /// A user's agent.
    UserAgent(UserAgent),
    /// A user's participating server.
    Participating(ParticipatingFunction),
    /// The Controlling Function.
    Controlling(ControllingFunction),
}

impl Actor {
    /// The role as the sans-IO [`Node`] interface.
    pub fn node(&self) -> &dyn Node {
        match self {
            Actor::UserAgent(n) => n,
            Actor::Participating(n) => n,
            Actor::Controlling(n) => n,
        }
    }

    /// The role as the sans-IO [`Node`] interface, mutably.
    pub fn node_mut(&mut self) -> &mut dyn Node {
        match self {
            Actor::UserAgent(n) => n,
            Actor::Participating(n) => n,
            Actor::Controlling(n) => n,
        }
    }

    /// The instant a controlled run wakes this actor next: its [`Node::poll_timeout`], or
    /// earlier the end (timer K or J) of a transaction absorbing retransmissions, which asks
    /// the node for no wake but must be gone at its instant in the refinement map's view (see
    /// [`super::stepper`]).
    pub fn next_wake(&self) -> Option<Instant> {
        let absorbing_end = match self {
            Actor::UserAgent(n) => n.core.layer.next_absorbing_end(),
            Actor::Participating(n) => n.core.layer.next_absorbing_end(),
            Actor::Controlling(n) => n.core.layer.next_absorbing_end(),
        };
        match (self.node().poll_timeout(), absorbing_end) {
            (Some(timer), Some(end)) => Some(timer.min(end)),
            (timer, end) => timer.or(end),
        }
    }

    /// Makes this actor end its transactions absorbing retransmissions only when woken at
    /// their K or J ([`Self::next_wake`]), not on an input at that instant before the wake:
    /// in a controlled run K and J are timers like the others, interleaved with deliveries
    /// at one instant in the order the schedule picks.
    pub fn end_absorbing_when_woken(&mut self) {
        match self {
            Actor::UserAgent(n) => n.core.layer.end_absorbing_when_woken(),
            Actor::Participating(n) => n.core.layer.end_absorbing_when_woken(),
            Actor::Controlling(n) => n.core.layer.end_absorbing_when_woken(),
        }
    }

    /// The instant this actor would give up on a request it sent (its earliest timer F).
    pub fn next_give_up(&self) -> Option<Instant> {
        match self {
            Actor::UserAgent(n) => n.core.layer.next_give_up(),
            Actor::Participating(n) => n.core.layer.next_give_up(),
            Actor::Controlling(n) => n.core.layer.next_give_up(),
        }
    }

    /// True if no transaction of this actor is alive (it is between exchanges). A transaction
    /// absorbing retransmissions counts until it is ended at or after its K or J: in a
    /// controlled run, by the actor's wake there ([`Self::next_wake`],
    /// [`Self::end_absorbing_when_woken`]).
    pub fn is_between_exchanges(&self) -> bool {
        let counts = match self {
            Actor::UserAgent(n) => (n.core.layer.client_count(), n.core.layer.server_count()),
            Actor::Participating(n) => (n.core.layer.client_count(), n.core.layer.server_count()),
            Actor::Controlling(n) => (n.core.layer.client_count(), n.core.layer.server_count()),
        };
        counts == (0, 0)
    }

    /// True if a server transaction with `key` is alive here (a request with its branch would
    /// be absorbed as a retransmission).
    pub fn has_server_transaction(&self, key: &ServerKey) -> bool {
        match self {
            Actor::UserAgent(n) => n.core.layer.server_state(key).is_some(),
            Actor::Participating(n) => n.core.layer.server_state(key).is_some(),
            Actor::Controlling(n) => n.core.layer.server_state(key).is_some(),
        }
    }

    /// True if the client transaction `key` is alive here and still awaits a final response.
    pub fn awaits_response(&self, key: &ClientKey) -> bool {
        let state = match self {
            Actor::UserAgent(n) => n.core.layer.client_state(key),
            Actor::Participating(n) => n.core.layer.client_state(key),
            Actor::Controlling(n) => n.core.layer.client_state(key),
        };
        matches!(
            state,
            Some(ClientState::AwaitingResponse { .. } | ClientState::AwaitingFinalResponse { .. })
        )
    }

    /// Hands one datagram to the role.
    pub fn handle_datagram(
        &mut self,
        now: Instant,
        from: SocketAddr,
        transport: Transport,
        bytes: &[u8],
    ) {
        self.node_mut().handle_datagram(now, from, transport, bytes)
    }

    /// The next transmit, oldest first.
    pub fn poll_transmit(&mut self) -> Option<Transmit> {
        self.node_mut().poll_transmit()
    }

    /// The next event, oldest first.
    pub fn poll_event(&mut self) -> Option<Event> {
        self.node_mut().poll_event()
    }
}
