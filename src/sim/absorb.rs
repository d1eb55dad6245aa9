//! Whether a role's transaction layer will take a received message as a retransmission: a
//! request whose server transaction is alive (RFC 3261 section 17.2.3), or a response whose
//! client transaction no longer awaits a final response (section 17.1.3). The keys are built
//! exactly as the roles' core builds them.

use super::actor::Actor;
use crate::sip::parse_datagram;
use crate::transaction::{ClientKey, ServerKey};

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
            branch: via.branch().unwrap_or("").to_owned(),
            method: cseq.method.to_owned(),
        };
        return !actor.awaits_response(&key);
    }
    let branch = match via.branch() {
        Some(b) if via.has_rfc3261_branch() => b.to_owned(),
        _ => match msg.call_id() {
            Ok(call_id) => format!("rfc2543:{call_id}:{}", cseq.number),
            Err(_) => return false,
        },
    };
    let sent_by = match via.port {
        Some(port) => format!("{}:{port}", via.host),
        None => via.host.to_string(),
    };
    actor.has_server_transaction(&ServerKey {
        branch,
        sent_by,
        method: cseq.method.to_owned(),
    })
}
