//! The abstract global state: the network multiset plus small per-user, per-message and
//! per-(message, recipient) records, and the history fields the safety properties read.
//!
//! Everything is a small integer, a bitset or a fixed array so states are cheap to clone and hash.
//! History counters saturate at 2 ("more than once" is all a property needs to know).

use serde::Serialize;

use crate::limits::{MESSAGES_MAX, USERS_MAX};
use crate::message::Packet;
use crate::packing::pack_packet;

/// History bit: a `delivered` for (m, r) reached the sender before r's agent accepted m (S3).
pub const DELIVERED_BEFORE_ACCEPT: u8 = 1;
/// History bit: r's server resolved its stored copy of m as delivered (S4).
pub const STORE_DELIVERED: u8 = 2;
/// History bit: r's server resolved its stored copy of m as expired (S4).
pub const STORE_EXPIRED: u8 = 4;
/// History bit: r's server answered 200 for a copy it stored instead of 202 (S10).
pub const RELAY_ANSWERED_200: u8 = 8;
/// History bit: the CF inferred delivery to r from a 202 (S10).
pub const DELIVERY_INFERRED_FROM_202: u8 = 16;

/// A user agent's registration with its server, as the agent sees it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Default)]
pub enum Registration {
    /// Not registered and not trying (a user that stays offline).
    #[default]
    Offline,
    /// REGISTER sent, waiting for its 200.
    Registering,
    /// Registered.
    Registered,
}

/// One user and its participating server's binding for it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Default)]
pub struct UserState {
    /// The agent's view of its registration.
    pub registration: Registration,
    /// The server holds a binding (volatile: lost in a crash).
    pub bound: bool,
}

/// The CF's per-message record (`FR` in protocol.md section 7.3).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Default)]
pub enum CfPhase {
    /// No record (not yet received, or refused with 403).
    #[default]
    Idle,
    /// Accepted with 202; legs and IMDN bookkeeping live.
    Active,
    /// `T_state` fired: the record is freed; late IMDNs are consumed.
    Freed,
}

/// What a recipient's server holds for message m (the deferred store is durable).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Default)]
pub enum Store {
    /// Nothing stored.
    #[default]
    Empty,
    /// Stored for an unregistered user (answered 202).
    Stored,
    /// The stored copy is in flight to the registered user.
    Delivering,
    /// The user's agent answered 200 to the stored copy; deleted.
    Delivered,
    /// `T_exp` fired; deleted.
    Expired,
}

impl Store {
    /// True while the server holds the copy (stored, or in delivery to the user).
    pub fn holds(self) -> bool {
        matches!(self, Store::Stored | Store::Delivering)
    }
}

/// The CF's view of one fan-out leg.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Default)]
pub enum CfLeg {
    /// No leg sent to this user.
    #[default]
    Unsent,
    /// Leg sent, no final response yet.
    Pending,
    /// 200: the recipient's agent has it.
    ReachedUa,
    /// 202: a store or relay took it (e.g. deferred).
    Relayed,
    /// 480 (or another failure): not delivered.
    Failed,
}

/// Everything about one (message, recipient) pair.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Default)]
pub struct Leg {
    /// Times r's agent handed m to its user (saturating at 2; S9).
    pub accepted: u8,
    /// r's server's deferred store for m.
    pub store: Store,
    /// r's copies held by its server (stored or in delivery) that were stored before this one:
    /// the store's FIFO order (protocol.md section 7.2, `Stored --REGISTER(U) ok--> Delivering`
    /// "FIFO, one in flight per contact"). Zero unless `store` holds the copy, so states that
    /// differ only in the order of copies already resolved are one state.
    pub queue_position: u8,
    /// The CF's leg state.
    pub cf: CfLeg,
    /// Legs the CF sent to r for m (saturating at 2; S7).
    pub fanout: u8,
    /// Status bits the CF accepted for (m, r) (its dedupe set).
    pub reported: u8,
    /// Status bits waiting in the CF's aggregation buffer.
    pub buffered: u8,
    /// Notifications about (m, r) the sender received, per status (saturating at 2; S2).
    pub notified: [u8; 3],
    /// The sender got r's `delivered` inside an aggregated IMDN (R1).
    pub via_aggregate: bool,
    /// History bits (DELIVERED_BEFORE_ACCEPT, STORE_DELIVERED, ...).
    pub history: u8,
}

/// Everything about one group IM outside its legs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Default)]
pub struct MessageState {
    /// The final response the sender's agent received first.
    pub response: Option<crate::message::Code>,
    /// The CF's record.
    pub cf: CfPhase,
    /// Aggregated IMDNs the sender received (saturating at 2; R1).
    pub aggregates_received: u8,
    /// Users that received a notification about m (S5).
    pub notified_users: u8,
    /// An initially offline recipient's IMDN reached the sender before any aggregate (R1).
    pub deferred_before_aggregate: bool,
}

/// The global state (its `Hash` packs it into words, see `packing`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct State {
    /// Messages in flight: a multiset kept sorted by `packing::pack_packet` (a lossless key).
    pub network: Vec<Packet>,
    /// Per user (and its server's binding).
    pub users: [UserState; USERS_MAX],
    /// Per group IM.
    pub messages: [MessageState; MESSAGES_MAX],
    /// Per (message, recipient).
    pub legs: [[Leg; USERS_MAX]; MESSAGES_MAX],
    /// Lost responses so far.
    pub drops_used: u8,
    /// Network duplicates so far.
    pub duplicates_used: u8,
    /// Server crashes so far.
    pub crashes_used: u8,
    /// Losses left per fault group when budgets are split (`budget`; zero otherwise).
    pub drop_allowance: [u8; crate::budget::FAULT_GROUPS],
    /// Duplicates left per fault group when budgets are split (`budget`; zero otherwise).
    pub duplicate_allowance: [u8; crate::budget::FAULT_GROUPS],
}

impl State {
    /// Adds a packet to the network multiset (kept sorted by `packing::pack_packet`).
    pub fn send(&mut self, packet: Packet) {
        let key = pack_packet(&packet);
        let at = self.network.partition_point(|p| pack_packet(p) <= key);
        self.network.insert(at, packet);
    }

    /// True if at least one instance of `packet` is in flight.
    pub fn in_flight(&self, packet: Packet) -> bool {
        self.network
            .binary_search_by_key(&pack_packet(&packet), pack_packet)
            .is_ok()
    }

    /// Removes one instance of `packet`; false if it is not in flight.
    pub fn take(&mut self, packet: Packet) -> bool {
        match self
            .network
            .binary_search_by_key(&pack_packet(&packet), pack_packet)
        {
            Ok(at) => {
                self.network.remove(at);
                true
            }
            Err(_) => false,
        }
    }
}
