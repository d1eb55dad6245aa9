//! The protocol roles behind one sans-IO interface: user agent, participating function,
//! Controlling Function.
//!
//! # Shape
//!
//! Every role is a [`Node`] in the quinn-proto / str0m shape: time and received bytes go in
//! through `handle_*`, and what the node wants done comes out through `poll_*`. A node owns no
//! clock, socket, thread or global random number generator: the runtime (the simulator, a test,
//! or later a network runtime) passes the current [`Instant`] into every call, carries each
//! [`Transmit`] to its destination, and seeds each node's own RNG through its config. The same
//! seed, the same inputs and the same times therefore give the same bytes out.
//!
//! # The drain contract
//!
//! After any input (`handle_datagram`, `handle_timeout`, a user action such as
//! `UserAgent::send_im`, or `crash_and_restart`) the runtime must:
//!
//! 1. call [`Node::poll_transmit`] until it returns `None`, sending each transmit;
//! 2. call [`Node::poll_event`] until it returns `None`, recording each event;
//! 3. read [`Node::poll_timeout`] and call [`Node::handle_timeout`] no later than that instant
//!    (calling it earlier is harmless: nothing due later fires).
//!
//! `poll_timeout` reports only timers that do work. A transaction absorbing retransmissions
//! (RFC 3261 timer K on the client side, timer J on the server side) asks for no wake: every
//! input at `now` first ends the ones whose K or J is at or before `now`, so a retransmission
//! 1 ms before K or J is absorbed and one at or after it is new, exactly as when those timers
//! woke the node.
//!
//! Outputs are queued in the order the node produced them; draining late loses nothing, but a
//! timer handled late fires late (retransmissions and expiry are then late too).
//!
//! A crash ([`Node::crash_and_restart`]) drops every transaction, queued output and volatile role
//! state; only what a role declares durable (the participating function's deferred store) is kept.
//!
//! # The roles
//!
//! - [`UserAgent`]: REGISTER (and refresh), IMs with fresh Message-IDs, rendering once per
//!   (sender, Message-ID), the requested IMDNs along `IMDN-Route`.
//! - [`ParticipatingFunction`]: registrar, proxy, deferred store, stored delivery and expiry.
//! - [`ControllingFunction`]: group membership, fan-out, IMDN checks and aggregation.
//!
//! Each is built from a config struct (own address, routes or proxy address, timer values, and
//! the seed of its own ChaCha20 generator) and talks real SIP/CPIM/IMDN bytes through the
//! [`crate::transaction`] layer. Requests over [`UDP_MESSAGE_BYTES_MAX`] bytes ask for
//! [`Transport::Tcp`]; a response goes back over the transport its request came on.
//!
//! # A run loop
//!
//! ```
//! use imflow::node::*;
//! use std::net::SocketAddr;
//! let (ua_addr, pf_addr): (SocketAddr, SocketAddr) =
//!     ("10.0.0.4:5060".parse().unwrap(), "10.0.0.14:5060".parse().unwrap());
//! let mut dave = UserAgent::new(UserAgentConfig::new("sip:dave@epsilon.example", ua_addr, pf_addr, 1));
//! let pf_config = ParticipatingFunctionConfig::new("im.epsilon.example", "epsilon.example", pf_addr, 2);
//! let mut server = ParticipatingFunction::new(pf_config);
//! let mut now = Instant(0);
//! dave.register(now);
//! let mut events = Vec::new();
//! loop {
//!     // Drain every node, carry each transmit to its destination.
//!     let mut sent = false;
//!     for (node, peer) in [(&mut dave as &mut dyn Node, &mut server as &mut dyn Node)] {
//!         while let Some(t) = node.poll_transmit() {
//!             peer.handle_datagram(now, t.from, t.transport, &t.bytes);
//!             sent = true;
//!         }
//!         while let Some(t) = peer.poll_transmit() {
//!             node.handle_datagram(now, t.from, t.transport, &t.bytes);
//!             sent = true;
//!         }
//!         events.extend(std::iter::from_fn(|| node.poll_event()));
//!         events.extend(std::iter::from_fn(|| peer.poll_event()));
//!     }
//!     if !sent {
//!         break;
//!     }
//! }
//! assert!(events.contains(&Event::Registered { user: "sip:dave@epsilon.example".into() }));
//! // Then sleep until the earliest poll_timeout() and call handle_timeout(now) on each node.
//! now = [dave.poll_timeout(), server.poll_timeout()].into_iter().flatten().min().unwrap();
//! dave.handle_timeout(now);
//! server.handle_timeout(now);
//! ```

mod cf;
mod cf_fanout;
mod cf_imdn;
mod core;
mod identity;
mod lent;
mod notify;
mod pf;
mod pf_bindings;
mod pf_deferred;
mod pf_registrar;
mod sent_by;
mod shared_names;
mod sip_util;
#[cfg(test)]
mod test_messages;
mod ua;
mod ua_receive;
mod wire;

pub(crate) use self::core::server_key;
pub use self::core::{OutboxFull, QUEUED_REQUESTS_PER_DESTINATION_MAX, UDP_MESSAGE_BYTES_MAX};
/// The shared byte buffer a [`Transmit`] carries (re-exported from the `bytes` crate).
pub use bytes::Bytes;
pub use cf::{
    ControllingFunction, ControllingFunctionConfig, GroupConfig, ImdnPolicy, Leg, MessageState,
    StateLifetimeTooShort, MESSAGE_STATES_MAX,
};
pub use identity::{DEFAULT_WALL_CLOCK_ORIGIN_UNIX_S, MESSAGE_ID_BITS, TOKEN_BITS};
pub use notify::NOTIFICATION_DISPOSITION;
pub use pf::{Binding, ParticipatingFunction, ParticipatingFunctionConfig, BINDINGS_MAX};
pub(crate) use shared_names::write_sent_by;
pub use shared_names::SHARED_NAMES_MAX;
pub use ua::{Registration, UserAgent, UserAgentConfig, UserAgentError, RECEIVED_IM_IDS_MAX};

/// Time as the runtime sees it: microseconds since an epoch the runtime chose. No clock inside nodes.
#[derive(
    Clone,
    Copy,
    Debug,
    Default,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    serde::Serialize,
    serde::Deserialize,
)]
pub struct Instant(pub u64);

impl Instant {
    /// This instant moved `ms` milliseconds later (saturating at the end of time).
    pub fn plus_millis(self, ms: u64) -> Instant {
        Instant(self.0.saturating_add(ms.saturating_mul(1000)))
    }

    /// Whole milliseconds since the runtime's epoch.
    pub fn as_millis(self) -> u64 {
        self.0 / 1000
    }
}

/// Which transport a transmit needs: datagram, or stream for messages over 1300 bytes (RFC 3428 section 8).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum Transport {
    /// Unreliable datagrams: transactions retransmit (timer E) and absorb duplicates (K, J).
    Udp,
    /// A reliable, congestion-controlled stream: no retransmission, timers K and J are zero.
    Tcp,
}

/// One datagram or stream segment a node wants sent.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Transmit {
    /// The sending node's own address.
    pub from: std::net::SocketAddr,
    /// The next hop's address.
    pub to: std::net::SocketAddr,
    /// Datagram or stream; stream whenever the message exceeds 1300 bytes.
    pub transport: Transport,
    /// One whole serialized SIP message, in a shared immutable buffer: a clone copies no bytes,
    /// so the transaction layer keeps the very buffer it sent for a retransmission or a replay.
    /// It reads as a byte slice (`&t.bytes[..]`, `t.bytes.starts_with(..)`); `Bytes::from` takes
    /// a `Vec<u8>` without copying.
    pub bytes: Bytes,
}

/// Something a node did that the network does not show: monitors and traces read these.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Event {
    /// A user agent handed an IM to its user (S9: at most once per sender and Message-ID).
    ImRendered {
        /// The receiving user's AOR.
        user: String,
        /// The IM's sender (CPIM From URI).
        sender: String,
        /// The IM's `imdn.Message-ID`.
        message_id: String,
    },
    /// The sender's user agent got one IMDN entry, single or part of an aggregate (S2..S5).
    ImdnRendered {
        /// The AOR of the user the IMDN reached.
        user: String,
        /// The `<message-id>` of the IM the IMDN is about.
        message_id: String,
        /// The `<recipient-uri>` the IMDN reports on (empty when withheld).
        recipient: String,
        /// The status element's name: `delivered`, `failed`, `stored`, `displayed`, ...
        status: String,
    },
    /// A user agent's REGISTER got its 200 OK.
    Registered {
        /// The registered AOR.
        user: String,
    },
    /// A participating function stored a copy for an unregistered user and answered 202.
    Stored {
        /// The participating function's name (its domain).
        server: String,
        /// The AOR the copy is for.
        user: String,
        /// The IM's Message-ID.
        message_id: String,
    },
    /// A stored copy reached the user's agent (its 2xx came back): the copy's one outcome.
    StoredDelivered {
        /// The participating function's name (its domain).
        server: String,
        /// The AOR the copy was for.
        user: String,
        /// The IM's Message-ID.
        message_id: String,
    },
    /// A stored copy expired undelivered: the copy's one outcome.
    StoredExpired {
        /// The participating function's name (its domain).
        server: String,
        /// The AOR the copy was for.
        user: String,
        /// The IM's Message-ID.
        message_id: String,
    },
    /// The Controlling Function dropped its per-message state for an IM (L5).
    MessageStateFreed {
        /// The IM's Message-ID.
        message_id: String,
    },
    /// A client transaction's timer F fired: the node's own layer reports 408 locally (S16).
    TransactionTimedOut {
        /// The node whose transaction timed out.
        node: String,
        /// The request method of the timed-out transaction.
        method: String,
    },
    /// Bytes that did not parse or validate: a request was answered 400, a response dropped.
    MalformedInput {
        /// The node that received the bytes.
        node: String,
        /// The grammar or validation rule the bytes broke.
        rule: &'static str,
        /// Byte offset of the fault in the received bytes.
        offset: usize,
    },
    /// A user agent took an IM to send: its MESSAGE goes out now, or as soon as the pending
    /// MESSAGE to the same URI has its final response (RFC 3428 section 8).
    ImSent {
        /// The sending user's AOR.
        user: String,
        /// The destination (group or user URI).
        to: String,
        /// The fresh Message-ID.
        message_id: String,
    },
    /// A user agent's IM got its final response (a 408 here is the local timer F).
    ImAnswered {
        /// The sending user's AOR.
        user: String,
        /// The IM's Message-ID.
        message_id: String,
        /// The final status code.
        status: u16,
    },
}

/// The sans-IO shape of every role (quinn-proto / str0m). Drain contract: after any handle_*,
/// call poll_transmit and poll_event until they return None, then wake at poll_timeout().
pub trait Node {
    /// One received datagram or stream segment holding one whole SIP message.
    fn handle_datagram(
        &mut self,
        now: Instant,
        from: std::net::SocketAddr,
        transport: Transport,
        bytes: &[u8],
    );
    /// Fire every timer due at or before `now` (and end every transaction whose timer K or J
    /// is, as every input does first).
    fn handle_timeout(&mut self, now: Instant);
    /// The next message the node wants sent, oldest first.
    fn poll_transmit(&mut self) -> Option<Transmit>;
    /// The next event the node produced, oldest first.
    fn poll_event(&mut self) -> Option<Event>;
    /// The earliest instant at which `handle_timeout` has work, if any (timers K and J are not
    /// work: see the drain contract in the module docs).
    fn poll_timeout(&self) -> Option<Instant>;
    /// A crash: volatile state lost, durable state (the deferred store) kept.
    fn crash_and_restart(&mut self, now: Instant);
}
