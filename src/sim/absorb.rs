//! Whether a role's transaction layer will take a received message as a retransmission: a
//! request whose server transaction is alive (RFC 3261 section 17.2.3), or a response whose
//! client transaction no longer awaits a final response (section 17.1.3). The keys are built
//! exactly as the roles' core builds them.

use super::actor::Actor;
use crate::node::{server_key, write_sent_by};
use crate::sip::parse_datagram;
use crate::transaction::ClientKey;
use std::sync::Arc;

/// True if `actor` will absorb `bytes` as a retransmission (bytes that do not parse are not a
/// retransmission: the role reports them as malformed).
pub fn is_retransmission(actor: &Actor, bytes: &[u8]) -> bool {
    let Ok(msg) = parse_datagram(bytes) else {
        return false;
    };
    let (Ok(via), Ok(cseq)) = (msg.top_via(), msg.cseq()) else {
        return false;
    };
    if msg.status().is_some() {
        let key = ClientKey {
            branch: via.branch().unwrap_or("").into(),
            method: Arc::from(cseq.method),
        };
        return !actor.awaits_response(&key);
    }
    let mut sent_by = String::new();
    write_sent_by(&via, &mut sent_by);
    server_key(
        &msg,
        &via,
        cseq.number,
        Arc::from(cseq.method),
        Arc::from(sent_by),
    )
    .is_some_and(|key| actor.has_server_transaction(&key))
}
