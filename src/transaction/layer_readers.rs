//! What a test or a runner reads of a node's transactions: how many are alive, their states,
//! when the node would give up on a request. "Alive" is "not yet ended": a transaction
//! absorbing retransmissions past its K or J counts until the layer's next input (or
//! [`TransactionLayer::end_absorbing`]) ends it.

use super::TransactionLayer;
use crate::node::Instant;
use crate::transaction::{ClientKey, ServerKey};

impl<C> TransactionLayer<C> {
    /// How many client transactions are alive: not yet ended (one absorbing retransmissions
    /// counts until an input or [`end_absorbing`](Self::end_absorbing) at or after its
    /// timer K).
    pub fn client_count(&self) -> usize {
        self.clients.len()
    }

    /// How many server transactions are alive: not yet ended (one replaying its final
    /// response counts until an input or [`end_absorbing`](Self::end_absorbing) at or after
    /// its timer J).
    pub fn server_count(&self) -> usize {
        self.servers.len()
    }

    /// The earliest timer F among client transactions still awaiting a final response: the
    /// instant this layer would give up on a request (a local 408), if any.
    pub fn next_give_up(&self) -> Option<Instant> {
        self.clients
            .values()
            .filter(|t| {
                !matches!(
                    t.txn.state,
                    crate::transaction::ClientState::AbsorbingRetransmissions { .. }
                )
            })
            .map(|t| t.txn.timer_f_at)
            .min()
    }

    /// The state of client transaction `key`, if alive (not yet ended: see
    /// [`client_count`](Self::client_count)).
    pub fn client_state(&self, key: &ClientKey) -> Option<crate::transaction::ClientState> {
        let place = self.clients.place(key)?;
        self.clients.get(place).map(|f| f.txn.state)
    }

    /// The state of server transaction `key`, if alive (not yet ended: see
    /// [`server_count`](Self::server_count)).
    pub fn server_state(&self, key: &ServerKey) -> Option<&crate::transaction::ServerState> {
        let place = self.servers.place(key)?;
        self.servers.get(place).map(|f| &f.txn.state)
    }
}
