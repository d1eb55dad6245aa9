//! The end of the transactions absorbing retransmissions (timers K and J): lazily, first thing
//! on each input at or after their instant, so they ask the node for no wake (see
//! [`crate::transaction::completed`]); or, for a driver that wakes the layer at each of those
//! instants anyway, only when it does.

use super::{Due, TransactionLayer};
use crate::node::Instant;

impl<C> TransactionLayer<C> {
    /// Ends every transaction absorbing retransmissions whose timer K (client) or J (server)
    /// is at or before `now`, as those timers did when they woke the node. Every input of the
    /// layer does this first; a reader that needs what is alive at `now` calls it before.
    pub fn end_absorbing(&mut self, now: Instant) {
        if !self.completed.may_be_due(now) {
            return;
        }
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
            self.settle_ends();
        } else {
            self.completed.refresh();
        }
    }

    /// From now on, only [`handle_timeout`](Self::handle_timeout) (or
    /// [`end_absorbing`](Self::end_absorbing)) ends transactions absorbing retransmissions,
    /// not an input at or after their K or J; the driver must then wake the layer at
    /// [`next_absorbing_end`](Self::next_absorbing_end). For a driver in which timers and
    /// inputs due at one instant interleave in any order it picks (the controlled run: K and J
    /// are timers like the others there), so an input at the very instant of a K or J it has
    /// not fired yet still finds the transaction, as when K and J asked for a wake. A reset
    /// keeps this choice.
    pub fn end_absorbing_when_woken(&mut self) {
        self.absorbing_ends_on_input = false;
    }

    /// What every input does first: [`end_absorbing`](Self::end_absorbing), unless the driver
    /// chose [`end_absorbing_when_woken`](Self::end_absorbing_when_woken).
    pub(super) fn end_absorbing_before_input(&mut self, now: Instant) {
        if self.absorbing_ends_on_input {
            self.end_absorbing(now);
        }
    }

    /// The earliest instant timer K or J ends a transaction absorbing retransmissions: no
    /// output is due then, but a run that must see that transaction gone at that instant
    /// (the controlled run's time steps) wakes the node there.
    pub fn next_absorbing_end(&self) -> Option<Instant> {
        self.completed.earliest()
    }
}
