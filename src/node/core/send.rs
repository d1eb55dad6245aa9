//! The send path of a node's core: a request gets the node's Via with a fresh branch and the
//! transport its size asks for, and starts a client transaction; a request to a destination
//! with one already pending waits in that destination's queue (RFC 3428 section 8).

use super::{
    Core, OutboxFull, Outgoing, Pending, QUEUED_REQUESTS_PER_DESTINATION_MAX, UDP_MESSAGE_BYTES_MAX,
};
use crate::node::wire::{via_row_len, ForwardedRequest, OutgoingRequest};
use crate::node::{Instant, Transport};
use crate::transaction::{Branch, ClientKey, TransactionLayer};
use std::collections::VecDeque;
use std::net::SocketAddr;
use std::sync::Arc;

impl<C> Core<C> {
    /// Sends `request` (in wire form but for its Via) to `to` in a new client transaction. With
    /// a `destination` (the request's target URI) it waits while an earlier request to that
    /// destination is pending (RFC 3428 section 8); a proxy forwards with `None`.
    pub(crate) fn send_outgoing(
        &mut self,
        now: Instant,
        request: impl SendableRequest,
        to: SocketAddr,
        destination: Option<String>,
        context: C,
    ) -> Result<(), OutboxFull> {
        let outgoing = Outgoing {
            request: request.outgoing(&mut self.layer),
            to,
            destination,
            context,
        };
        let Some(dest) = outgoing.destination.as_deref() else {
            self.transmit_request(now, outgoing);
            return Ok(());
        };
        match self.busy.get_mut(dest) {
            Some(queue) if queue.len() >= QUEUED_REQUESTS_PER_DESTINATION_MAX => Err(OutboxFull {
                destination: outgoing.destination.unwrap_or_default(),
            }),
            Some(queue) => {
                queue.push_back(outgoing);
                Ok(())
            }
            None => {
                self.busy.insert(dest.to_owned(), VecDeque::new());
                self.transmit_request(now, outgoing);
                Ok(())
            }
        }
    }

    /// Pushes this node's Via, picks the transport by size, and starts the client transaction.
    fn transmit_request(&mut self, now: Instant, outgoing: Outgoing<C>) {
        let Outgoing {
            request,
            to,
            destination,
            context,
        } = outgoing;
        let method = self.names.share(request.method());
        let token = self.entropy.token();
        // Copied as bytes: its digits are never read as text here.
        let token = token.as_bytes();
        // The branch is the magic cookie, which ends each prefix, then the token (RFC 3261
        // section 8.1.1.7). The two prefixes differ only in the transport token, which has
        // the same length.
        let [udp, tcp] = &self.via_prefixes;
        let (transport, prefix) =
            if request.wire_len(via_row_len(udp, token)) > UDP_MESSAGE_BYTES_MAX {
                (Transport::Tcp, tcp)
            } else {
                (Transport::Udp, udp)
            };
        let bytes = request.with_via(prefix, token);
        let key = ClientKey {
            branch: Branch::joined_ascii(crate::sip::MAGIC_COOKIE, token),
            method: Arc::clone(&method),
        };
        let pending = Pending {
            destination,
            method,
            context,
        };
        if let Err(pending) = self
            .layer
            .send_request(now, key, to, transport, bytes, pending)
        {
            // Too many transactions alive: the request fails as a local 503 (RFC 3261 section
            // 8.1.3.1 treats a transport failure so), reported by the next handle_timeout.
            self.refused.push(pending);
        }
    }

    /// The transaction to `destination` is over: start the next queued request, if any.
    pub(super) fn release(&mut self, now: Instant, destination: Option<&str>) {
        let Some(dest) = destination else { return };
        let Some(queue) = self.busy.get_mut(dest) else {
            return;
        };
        match queue.pop_front() {
            Some(outgoing) => self.transmit_request(now, outgoing),
            None => {
                self.busy.remove(dest);
            }
        }
    }
}

/// A request a role hands to [`Core::send_outgoing`]: written already, or written only now,
/// straight into the node's chunk of sent bytes.
pub(crate) trait SendableRequest {
    /// The request in wire form but for its Via; `layer` lends its chunk.
    fn outgoing<C>(self, layer: &mut TransactionLayer<C>) -> OutgoingRequest;
}

impl SendableRequest for OutgoingRequest {
    fn outgoing<C>(self, _: &mut TransactionLayer<C>) -> OutgoingRequest {
        self
    }
}

impl SendableRequest for ForwardedRequest<'_, '_> {
    fn outgoing<C>(self, layer: &mut TransactionLayer<C>) -> OutgoingRequest {
        let (bytes, (via_at, method_len)) = layer.sent_piece(self.room(), |out| self.write_to(out));
        OutgoingRequest::of_piece(bytes, via_at, method_len)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::node::identity::Entropy;

    #[test]
    fn a_branch_is_the_magic_cookie_then_the_token() {
        let mut entropy = Entropy::new(3);
        let token = entropy.token();
        let branch = Branch::joined(crate::sip::MAGIC_COOKIE, token.as_str());
        assert_eq!(
            &*branch,
            format!("{}{}", crate::sip::MAGIC_COOKIE, token.as_str())
        );
        assert_eq!(branch.len(), crate::sip::MAGIC_COOKIE.len() + 16);
    }
}
