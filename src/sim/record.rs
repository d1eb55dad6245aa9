//! The run record: everything that happened in a run, in the order the simulator did it.
//!
//! Each [`Entry`] is one transmit a node made (with its fate on the network), one event a node
//! reported, or one crash. The entry number (1-based) is the step number monitors report and the
//! step number of the run's [`crate::trace::Trace`]. A transmit keeps its bytes here, and the
//! network delivers them from here, so each message is stored once.

use crate::node::{Bytes, Event, Instant, Transport};

/// What the network did with one transmit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fate {
    /// Delivered to the destination at this instant.
    Delivered { at: Instant },
    /// Lost by a drop fault.
    Lost,
    /// No actor has the destination address; nobody received it.
    Unroutable,
}

/// One thing that happened in a run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Happening {
    /// A node sent a message (or the network made a duplicate copy of one).
    Transmit {
        /// Destination lane (equal to the sender's lane when unroutable).
        to: usize,
        /// Datagram or stream.
        transport: Transport,
        /// The SIP message as sent (the node's own buffer, shared: see [`crate::node::Transmit`]).
        bytes: Bytes,
        /// What the network did with it.
        fate: Fate,
        /// True for a copy made by a duplicate fault.
        duplicate: bool,
    },
    /// A node reported an event.
    Event(Event),
    /// A participating server crashed and restarted (its deferred store survived).
    Crash,
}

/// One entry of the run record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// When it happened (for a transmit: when it was sent).
    pub at: Instant,
    /// The lane of the actor that did it.
    pub lane: usize,
    /// What happened.
    pub what: Happening,
}

impl Entry {
    /// The bytes of a transmit entry.
    pub fn bytes(&self) -> Option<&[u8]> {
        match &self.what {
            Happening::Transmit { bytes, .. } => Some(bytes),
            _ => None,
        }
    }

    /// The lane a transmit reached, if it was delivered.
    pub fn delivered_to(&self) -> Option<usize> {
        match &self.what {
            Happening::Transmit {
                to,
                fate: Fate::Delivered { .. },
                ..
            } => Some(*to),
            _ => None,
        }
    }
}
