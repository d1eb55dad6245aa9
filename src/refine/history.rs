//! What the concrete run reported so far, as the refinement map needs it: the events the
//! model keeps as state (an IM handed to a user, a notification shown to the sender, the first
//! final response, a stored copy's outcome, the CF freeing an IM's state).

use crate::node::Event;
use crate::sim::{Cast, Entry, Happening};
use imflow_model::message::{DELIVERED, FAILED, STORED};
use imflow_model::state::Store;
use std::collections::HashMap;

/// The model's status bit for an IMDN status element name (0 for one the model lacks).
pub fn status_bit(element: &str) -> u8 {
    match element {
        "delivered" => DELIVERED,
        "failed" => FAILED,
        "stored" => STORED,
        _ => 0,
    }
}

/// Counters over the run record, updated entry by entry.
#[derive(Debug, Clone, Default)]
pub struct History {
    message_ids: Vec<Option<String>>,
    senders: Vec<String>,
    rendered: HashMap<(usize, usize), u8>,
    notified: HashMap<(usize, usize, usize), u8>,
    responses: HashMap<usize, u16>,
    freed: Vec<bool>,
    resolved: HashMap<(usize, usize), Store>,
    seen: usize,
}

impl History {
    /// The history of a run whose scenario IMs got these Message-IDs from these senders.
    pub fn new(message_ids: &[Option<String>], senders: Vec<String>) -> History {
        History {
            message_ids: message_ids.to_vec(),
            freed: vec![false; message_ids.len()],
            senders,
            ..History::default()
        }
    }

    fn index_of(&self, id: &str) -> Option<usize> {
        self.message_ids
            .iter()
            .position(|m| m.as_deref() == Some(id))
    }

    /// Reads the entries not read yet.
    pub fn update(&mut self, cast: &Cast, entries: &[Entry]) {
        for entry in entries.iter().skip(self.seen) {
            if let Happening::Event(event) = &entry.what {
                self.event(cast, event);
            }
        }
        self.seen = entries.len();
    }

    fn event(&mut self, cast: &Cast, event: &Event) {
        let bump = |slot: &mut u8| *slot = (*slot + 1).min(2);
        match event {
            Event::ImRendered {
                user, message_id, ..
            } => {
                if let (Some(u), Some(m)) = (cast.user_by_aor(user), self.index_of(message_id)) {
                    bump(self.rendered.entry((u, m)).or_default());
                }
            }
            Event::ImdnRendered {
                user,
                message_id,
                recipient,
                status,
            } => {
                let m = self.index_of(message_id);
                let is_sender = m.is_some_and(|m| self.senders.get(m).is_some_and(|s| s == user));
                let r = cast.user_by_aor(recipient);
                let bit = status_bit(status);
                if let (true, Some(m), Some(r), true) = (is_sender, m, r, bit != 0) {
                    let slot = imflow_model::message::status_index(bit);
                    bump(self.notified.entry((m, r, slot)).or_default());
                }
            }
            Event::ImAnswered {
                message_id, status, ..
            } => {
                if let Some(m) = self.index_of(message_id) {
                    self.responses.entry(m).or_insert(*status);
                }
            }
            Event::StoredDelivered {
                user, message_id, ..
            }
            | Event::StoredExpired {
                user, message_id, ..
            } => {
                let outcome = if matches!(event, Event::StoredDelivered { .. }) {
                    Store::Delivered
                } else {
                    Store::Expired
                };
                if let (Some(u), Some(m)) = (cast.user_by_aor(user), self.index_of(message_id)) {
                    self.resolved.insert((u, m), outcome);
                }
            }
            Event::MessageStateFreed { message_id } => {
                if let Some(slot) = self
                    .index_of(message_id)
                    .and_then(|m| self.freed.get_mut(m))
                {
                    *slot = true;
                }
            }
            _ => {}
        }
    }

    /// The AOR of the sender of IM `m`.
    pub fn sender_aor(&self, m: usize) -> Option<String> {
        self.senders.get(m).cloned()
    }

    /// Times user `u`'s agent handed IM `m` to its user (saturating at 2).
    pub fn rendered(&self, u: usize, m: usize) -> u8 {
        self.rendered.get(&(u, m)).copied().unwrap_or(0)
    }

    /// Times the sender of `m` was shown status slot `slot` about recipient `r` (saturating at 2).
    pub fn notified(&self, m: usize, r: usize, slot: usize) -> u8 {
        self.notified.get(&(m, r, slot)).copied().unwrap_or(0)
    }

    /// The first final response the sender got for `m`.
    pub fn response(&self, m: usize) -> Option<u16> {
        self.responses.get(&m).copied()
    }

    /// True if the CF reported freeing the state of `m`.
    pub fn freed(&self, m: usize) -> bool {
        self.freed.get(m).copied().unwrap_or(false)
    }

    /// The outcome of user `u`'s server's stored copy of `m`, once resolved.
    pub fn resolved(&self, u: usize, m: usize) -> Option<Store> {
        self.resolved.get(&(u, m)).copied()
    }
}
