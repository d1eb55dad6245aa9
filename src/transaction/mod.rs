//! RFC 3261 non-INVITE client and server transactions (section 17.1.2, 17.2.2) with the RFC 4320
//! fixes, sans-IO.
//!
//! # Design
//!
//! A [`TransactionLayer`] owns every live transaction of one node. The node's transaction user
//! (the role: user agent, participating function, Controlling Function) feeds it what arrived
//! and what it wants to send; the layer retransmits requests over the unreliable transport
//! (timer E, doubling from T1 to T2), gives up on an unanswered request (timer F = 64·T1, which
//! the transaction user treats as a *local* 408: no element ever sends 408 for a non-INVITE,
//! RFC 4320 section 4.2), absorbs response retransmissions for T4 (timer K), and answers
//! request retransmissions with the last response for 64·T1 (timer J). Over a stream transport
//! nothing is retransmitted and K and J are zero (RFC 3261 section 17.1.2.2, 17.2.2).
//!
//! Timers K and J do nothing visible when they fire, so they ask for no wake:
//! [`TransactionLayer::poll_timeout`] leaves them out, and every input (a message received or
//! sent, a timeout) first ends the transactions whose K or J is at or before its instant
//! ([`TransactionLayer::end_absorbing`]). What an input sees is what it saw when K and J woke
//! the node: a retransmission 1 ms before K or J is absorbed, one at or after it is new.
//!
//! Matching follows RFC 3261 section 17.1.3 and 17.2.3: a response belongs to the client
//! transaction with its top Via branch and CSeq method ([`ClientKey`]); a request to the server
//! transaction with its branch, top Via sent-by and method ([`ServerKey`]). That is the only
//! duplicate filter SIP has: a new transaction with the same content is a new request.
//!
//! States are named for what each transaction waits for (rustls style): a client transaction
//! is [`ClientState::AwaitingResponse`], then [`ClientState::AwaitingFinalResponse`] once a 1xx
//! arrived, then [`ClientState::AbsorbingRetransmissions`]; a server transaction is
//! [`ServerState::AwaitingTransactionUser`], [`ServerState::Proceeding`], then
//! [`ServerState::ReplayingFinalResponse`]. A terminated transaction is simply gone.
//!
//! Not implemented: the optional 100 Trying of RFC 4320 section 4.1 (a server transaction
//! still unanswered after T2 may send one). This stack never sends a provisional response; a
//! client transaction that receives one handles it as RFC 3261 says.
//!
//! Each client transaction carries a context of the transaction user's choosing (type `C`),
//! handed back with the final response or the timeout, so the user needs no lookup table.

mod branch;
mod client;
mod completed;
mod deadlines;
mod layer;
mod server;
mod table;
mod wire_chunks;

pub use branch::{Branch, BRANCH_INLINE_BYTES_MAX};
pub use client::{ClientKey, ClientState};
pub use layer::{
    RequestArrival, TransactionLayer, CLIENT_TRANSACTIONS_MAX, SERVER_TRANSACTIONS_MAX,
};
pub use server::{ServerKey, ServerState};
pub use wire_chunks::{WIRE_CHUNK_BYTES, WIRE_CHUNK_FIRST_BYTES};

/// The RFC 3261 timer base values a node runs with (section 17.1.1.1 and table 4).
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct TimerConfig {
    /// T1, the round-trip estimate: first retransmission interval (RFC default 500 ms).
    pub t1_ms: u64,
    /// T2, the longest retransmission interval of a non-INVITE request (RFC default 4 s).
    pub t2_ms: u64,
    /// T4, how long the network may hold a message (RFC default 5 s).
    pub t4_ms: u64,
}

impl Default for TimerConfig {
    fn default() -> Self {
        TimerConfig {
            t1_ms: 500,
            t2_ms: 4_000,
            t4_ms: 5_000,
        }
    }
}

impl TimerConfig {
    /// Timer F (client gives up) and timer J (server forgets): 64·T1.
    pub fn timer_f_ms(&self) -> u64 {
        self.t1_ms.saturating_mul(64)
    }

    /// Timer J on `transport`: 64·T1 on a datagram transport, 0 on a stream.
    pub fn timer_j_ms(&self, transport: crate::node::Transport) -> u64 {
        match transport {
            crate::node::Transport::Udp => self.timer_f_ms(),
            crate::node::Transport::Tcp => 0,
        }
    }

    /// Timer K on `transport`: T4 on a datagram transport, 0 on a stream.
    pub fn timer_k_ms(&self, transport: crate::node::Transport) -> u64 {
        match transport {
            crate::node::Transport::Udp => self.t4_ms,
            crate::node::Transport::Tcp => 0,
        }
    }
}
