//! The end of the transactions absorbing retransmissions (timers K and J): lazily, first thing
//! on each input at or after their instant, so they ask the node for no wake (see
//! [`crate::transaction::completed`]).

use super::{Due, TransactionLayer};
use crate::node::Instant;

impl<C> TransactionLayer<C> {
    /// Ends every transaction absorbing retransmissions whose timer K (client) or J (server)
    /// is at or before `now`, as those timers did when they woke the node. Every input of the
    /// layer does this first; a reader that needs what is alive at `now` calls it before.
    pub fn end_absorbing(&mut self, now: Instant) {
        let mut popped = false;
        while let Some((slot, due)) = self.completed.pop_due(now) {
            popped = true;
            // A stale end (its transaction gone or replaced) ends nothing.
            match due {
                Due::Client(place) if self.clients.slot(place) == Some(slot) => {
                    self.clients.remove(place);
                }
                Due::Server(place) if self.servers.slot(place) == Some(slot) => {
                    self.servers.remove(place);
                }
                Due::Client(_) | Due::Server(_) => {}
            }
        }
        if popped {
            self.settle();
        }
    }

    /// The earliest instant timer K or J ends a transaction absorbing retransmissions: no
    /// output is due then, but a run that must see that transaction gone at that instant
    /// (the controlled run's time steps) wakes the node there.
    pub fn next_absorbing_end(&self) -> Option<Instant> {
        self.completed.earliest()
    }
}
