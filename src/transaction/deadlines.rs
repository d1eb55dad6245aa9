//! The layer's timer index: every live transaction filed under its next deadline, so finding the
//! earliest timer or the transactions due at an instant never visits the others.
//!
//! A node keeps tens of thousands of transactions alive at once under load (timer J holds each
//! answered server transaction for 64·T1), while only a few are due at any instant; scanning
//! them all on every `poll_timeout` made the simulator quadratic in the IMs in flight. An entry
//! is filed under (deadline, filing number); the transaction remembers its [`Slot`], so moving it
//! to a new deadline or removing it needs no key comparison and no copy of the key.

use super::client::ClientKey;
use super::server::ServerKey;
use crate::node::Instant;
use std::collections::BTreeMap;

/// Which transaction an index entry stands for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum Due {
    /// A client transaction.
    Client(ClientKey),
    /// A server transaction.
    Server(ServerKey),
}

/// Where a transaction is filed: its deadline and a filing number unique within the layer.
pub(super) type Slot = (Instant, u64);

/// Every live transaction by next deadline, earliest first (equal deadlines in filing order).
#[derive(Debug, Default)]
pub(super) struct Deadlines {
    filed: BTreeMap<Slot, Due>,
    next_number: u64,
}

impl Deadlines {
    /// Files `due` under deadline `at`; returns its slot.
    pub(super) fn insert(&mut self, at: Instant, due: Due) -> Slot {
        self.next_number += 1;
        let slot = (at, self.next_number);
        self.filed.insert(slot, due);
        slot
    }

    /// Removes the entry in `slot`.
    pub(super) fn remove(&mut self, slot: Slot) {
        self.filed.remove(&slot);
    }

    /// Re-files the entry in `slot` under deadline `at`; returns its new slot.
    pub(super) fn refile(&mut self, slot: Slot, at: Instant) -> Slot {
        if slot.0 == at {
            return slot;
        }
        match self.filed.remove(&slot) {
            Some(due) => self.insert(at, due),
            None => slot,
        }
    }

    /// The earliest deadline.
    pub(super) fn earliest(&self) -> Option<Instant> {
        self.filed.first_key_value().map(|((at, _), _)| *at)
    }

    /// Takes the earliest entry if its deadline is at or before `now`.
    pub(super) fn pop_due(&mut self, now: Instant) -> Option<Due> {
        let entry = self.filed.first_entry()?;
        if entry.key().0 > now {
            return None;
        }
        Some(entry.remove())
    }

    /// Forgets every entry.
    pub(super) fn clear(&mut self) {
        self.filed.clear();
    }
}
