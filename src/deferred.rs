//! The deferred store of a participating function: copies of IMs, and of IMDNs, for users who
//! are not registered, kept until delivered or expired (OMA SIMPLE IM deferred messaging; RFC
//! 3428 section 7 store-and-forward; IMDNs per protocol.md section 10, decision 6).
//!
//! # Durable versus volatile
//!
//! A store keeps two kinds of state, and [`DeferredStore::lose_volatile`] is what a crash does
//! to it:
//! - **durable**: every stored copy (its byte-identical CPIM body, SIP sender, requested
//!   dispositions, store and expiry times, FIFO order) and the ids of copies already resolved,
//!   so that a copy arriving again after its outcome is not stored a second time;
//! - **volatile**: which copy is being delivered right now. After a crash no delivery is in
//!   flight; the copy stays stored and is offered again after the next REGISTER.
//!
//! One ambiguity is inherent: if the server crashes after the user agent accepted a copy but
//! before its 200 arrived, the copy is still stored. The next REGISTER re-delivers it (the user
//! agent answers 200 without rendering it again, so it resolves as delivered); only if the copy
//! expires before that REGISTER is it reported expired although its user has it.
//!
//! [`InMemoryDeferredStore`] (in `deferred/in_memory.rs`) keeps both in memory and simulates
//! the crash by dropping the volatile part only; a durable embedded store is a later step
//! behind the same trait. This file holds the store's contract: the trait, a stored copy, the
//! limits and the errors.

use crate::cpim::DispositionSet;
use crate::node::Instant;

mod in_memory;

pub use in_memory::InMemoryDeferredStore;

/// Most copies one store holds, over all users.
pub const DEFERRED_COPIES_MAX: usize = 100_000;

/// Most copies one store holds for one user.
pub const DEFERRED_COPIES_PER_USER_MAX: usize = 1_000;

/// Most resolved (user, Message-ID) pairs remembered to refuse storing a copy twice.
pub const RESOLVED_IDS_REMEMBERED_MAX: usize = 65_536;

/// One stored copy of an IM or IMDN for an unregistered user.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredCopy {
    /// The AOR the copy is for.
    pub user: String,
    /// The IM's (or the IMDN's own) `imdn.Message-ID`.
    pub message_id: String,
    /// The SIP From of the IM as received, without its tag (delivery uses a new tag).
    pub sip_from: String,
    /// The CPIM body exactly as received; delivered byte for byte.
    pub cpim_body: Vec<u8>,
    /// The dispositions the sender requested; always empty for a stored IMDN (S6).
    pub dispositions: DispositionSet,
    /// When the copy was stored.
    pub stored_at: Instant,
    /// When the copy expires if still undelivered.
    pub expires_at: Instant,
}

/// Why a copy was not stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DeferredStoreError {
    /// The store already holds [`DEFERRED_COPIES_MAX`] copies.
    StoreFull,
    /// The user already has [`DEFERRED_COPIES_PER_USER_MAX`] copies waiting.
    UserQueueFull {
        /// The user whose queue is full.
        user: String,
    },
}

impl std::fmt::Display for DeferredStoreError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::StoreFull => write!(f, "deferred store full ({DEFERRED_COPIES_MAX} copies)"),
            Self::UserQueueFull { user } => write!(
                f,
                "{user} already has {DEFERRED_COPIES_PER_USER_MAX} deferred copies"
            ),
        }
    }
}

impl std::error::Error for DeferredStoreError {}

/// What storing a copy did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StoreOutcome {
    /// A new copy was stored.
    Stored,
    /// The same (user, Message-ID) is already stored or was already resolved: nothing changed.
    AlreadyKnown,
}

/// Storage of deferred copies with a durable and a volatile part (see the module docs).
pub trait DeferredStore: std::fmt::Debug {
    /// Stores `copy` once per (user, Message-ID).
    fn store(&mut self, copy: StoredCopy) -> Result<StoreOutcome, DeferredStoreError>;
    /// The stored copy for (`user`, `message_id`), if any.
    fn get(&self, user: &str, message_id: &str) -> Option<&StoredCopy>;
    /// The oldest stored copy for `user`, if any (FIFO delivery).
    fn oldest_for(&self, user: &str) -> Option<&StoredCopy>;
    /// The copy for `user` being delivered now, if any (volatile).
    fn in_flight(&self, user: &str) -> Option<&str>;
    /// Marks the copy as being delivered (volatile); false if it is not stored.
    fn begin_delivery(&mut self, user: &str, message_id: &str) -> bool;
    /// The delivery attempt ended without an outcome: the copy waits again.
    fn abort_delivery(&mut self, user: &str, message_id: &str);
    /// Removes the copy for good (delivered or expired) and remembers its id.
    fn resolve(&mut self, user: &str, message_id: &str) -> Option<StoredCopy>;
    /// The (user, Message-ID) of every copy expired at `now` that is not in flight.
    fn expired(&self, now: Instant) -> Vec<(String, String)>;
    /// The earliest expiry among copies not in flight.
    fn next_expiry(&self) -> Option<Instant>;
    /// Forgets the volatile part, as a crash does; stored copies remain.
    fn lose_volatile(&mut self);
    /// How many copies are stored.
    fn len(&self) -> usize;
    /// Whether no copy is stored.
    fn is_empty(&self) -> bool {
        self.len() == 0
    }
}
