//! The receive path of a node's core: a datagram is decoded and validated (a request that
//! breaks a rule is answered 400), then passed through the transaction layer, which gives a
//! new request its server transaction and a final response the context its client
//! transaction kept; and the answers a role sends on a server transaction.

use super::{Accepted, Core};
use crate::node::sip_util::{answerable, response_bytes, response_room, write_response};
use crate::node::wire::RelayedResponse;
use crate::node::{Instant, Transport};
use crate::sip::{validate_keeping, Message, SipError};
use crate::transaction::{Branch, RequestArrival, ServerKey};
use bytes::BytesMut;
use std::net::SocketAddr;
use std::sync::Arc;

impl<C> Core<C> {
    /// The message `parsed` holds (what [`parse_datagram`](crate::sip::parse_datagram) gave), borrowed where it lies;
    /// `None` (reported as `MalformedInput`) when the datagram did not parse. A message is a
    /// few hundred bytes: taken out of the parser's result, it was copied once more.
    #[inline]
    pub(crate) fn decoded<'p, 'a>(
        &mut self,
        parsed: &'p Result<Message<'a>, SipError>,
    ) -> Option<&'p Message<'a>> {
        match parsed {
            Ok(msg) => Some(msg),
            Err(e) => {
                self.malformed(e.rule.name(), e.offset);
                None
            }
        }
    }

    /// What a message [`decoded`](Self::decoded) gave is to the role; the message stays where the
    /// caller holds it (a message is large: only the key or the context comes back). Validates it
    /// (answering 400 to a request that can be answered), then passes it through the
    /// transaction layer: a new request gets its server transaction, a final response gives
    /// back the context its client transaction kept; anything else is absorbed (`None`).
    pub(crate) fn accept(
        &mut self,
        now: Instant,
        from: SocketAddr,
        transport: Transport,
        msg: &Message<'_>,
    ) -> Option<Accepted<C>> {
        let (via, cseq) = match validate_keeping(msg) {
            Ok(checked) => (checked.top_via, checked.cseq),
            Err(e) => {
                if msg.is_request() && answerable(msg) {
                    let tag = self.entropy.token();
                    let bytes = response_bytes(msg, 400, &tag);
                    self.layer.send_stateless(from, transport, bytes);
                }
                self.malformed(e.rule.name(), e.offset);
                return None;
            }
        };
        if let Some(code) = msg.status() {
            let branch = via.branch().unwrap_or("");
            let pending = self
                .layer
                .receive_response_to(now, branch, cseq.method, code.code())?;
            self.release(now, pending.destination.as_deref());
            return Some(Accepted::Response {
                context: pending.context,
                code: code.code(),
            });
        }
        let method = self.names.share(cseq.method);
        let sent_by = self.names.sent_by(&via);
        let key = server_key(msg, &via, cseq.number, method, sent_by)?;
        match self
            .layer
            .receive_request(now, key.clone(), from, transport)
        {
            RequestArrival::New => Some(Accepted::Request(key)),
            RequestArrival::Retransmission => None,
            RequestArrival::Refused => {
                let tag = self.entropy.token();
                let bytes = response_bytes(msg, 503, &tag);
                self.layer.send_stateless(from, transport, bytes);
                None
            }
        }
    }

    /// Answers request `msg` of transaction `key` with `code`, no body, no Contact.
    pub(crate) fn respond(&mut self, now: Instant, key: &ServerKey, msg: &Message<'_>, code: u16) {
        let token = self.entropy.token();
        // Read as text once (each reading checks the digits again).
        let tag = token.as_str();
        let code = crate::sip::StatusCode::new(code).map_or(400, |s| s.code());
        let room = response_room(msg, tag);
        self.layer
            .send_response_written(now, key, code, room, |out| {
                write_response(out, msg, code, tag, None)
            });
    }

    /// Sends the response `bytes` (built, or a relay written only now), with status `code`, on
    /// server transaction `key`.
    pub(crate) fn respond_with(
        &mut self,
        now: Instant,
        key: &ServerKey,
        code: u16,
        bytes: impl ResponseBytes,
    ) {
        self.layer
            .send_response_written(now, key, code, bytes.room(), |out| bytes.write_to(out));
    }

    /// Answers 400 to a request whose body broke `rule` at `offset`, and reports it.
    pub(crate) fn reject_malformed(
        &mut self,
        now: Instant,
        key: &ServerKey,
        msg: &Message<'_>,
        rule: &'static str,
        offset: usize,
    ) {
        self.respond(now, key, msg, 400);
        self.malformed(rule, offset);
    }

    /// The request's Message/CPIM body: answers 415 when the body is not `message/cpim`, and 400
    /// (reporting the rule and the offset in the datagram) when it does not parse.
    pub(crate) fn cpim_body<'m>(
        &mut self,
        now: Instant,
        key: &ServerKey,
        msg: &Message<'m>,
    ) -> Option<crate::cpim::Cpim<'m>> {
        self.cpim_body_read(now, key, msg, crate::cpim::parse)
    }

    /// The request's Message/CPIM body as `read` reads it (the full parse, or a recipient's
    /// lighter read): a 415 when the body is not `message/cpim`, else [`Core::body_read`].
    pub(crate) fn cpim_body_read<'m, T>(
        &mut self,
        now: Instant,
        key: &ServerKey,
        msg: &Message<'m>,
        read: impl FnOnce(&'m [u8]) -> Result<T, crate::cpim::CpimError>,
    ) -> Option<T> {
        if !matches!(msg.content_type(), Ok(Some(t)) if t.is("message", "cpim")) {
            self.respond(now, key, msg, 415);
            return None;
        }
        self.body_read(now, key, msg, read)
    }

    /// The request's body as `read` reads it; when it does not read, answered 400 and reported
    /// with the rule broken and its offset in the datagram.
    pub(crate) fn body_read<'m, T, E: crate::diagnostic::Diagnostic>(
        &mut self,
        now: Instant,
        key: &ServerKey,
        msg: &Message<'m>,
        read: impl FnOnce(&'m [u8]) -> Result<T, E>,
    ) -> Option<T> {
        match read(msg.body()) {
            Ok(read) => Some(read),
            Err(e) => {
                let offset = msg.header_section_len() + e.offset();
                self.reject_malformed(now, key, msg, e.rule(), offset);
                None
            }
        }
    }
}

/// A response a role hands to [`Core::respond_with`]: written into the node's chunk as it is
/// sent.
pub(crate) trait ResponseBytes {
    /// Bytes to reserve for it.
    fn room(&self) -> usize;
    /// Appends its wire form to `out`.
    fn write_to(&self, out: &mut BytesMut);
}

impl ResponseBytes for Vec<u8> {
    fn room(&self) -> usize {
        self.len()
    }

    fn write_to(&self, out: &mut BytesMut) {
        out.extend_from_slice(self);
    }
}

impl ResponseBytes for RelayedResponse<'_, '_> {
    fn room(&self) -> usize {
        RelayedResponse::room(self)
    }

    fn write_to(&self, out: &mut BytesMut) {
        RelayedResponse::write_to(self, out);
    }
}

/// The server transaction a request belongs to (RFC 3261 section 17.2.3): its top Via's branch
/// and sent-by and its method; for a request without the magic cookie (RFC 2543), Call-ID and
/// CSeq number stand in for the branch. `None` when such a request has no usable Call-ID.
pub(crate) fn server_key(
    msg: &Message<'_>,
    via: &crate::sip::Via<'_>,
    cseq_number: u32,
    method: Arc<str>,
    sent_by: Arc<str>,
) -> Option<ServerKey> {
    let branch = match via.branch() {
        Some(b) if via.has_rfc3261_branch() => Branch::from(b),
        _ => Branch::from(format!("rfc2543:{}:{cseq_number}", msg.call_id().ok()?)),
    };
    Some(ServerKey {
        branch,
        sent_by,
        method,
    })
}
