//! The plumbing every role shares: decoding what arrives, the transaction layer, the
//! one-pending-MESSAGE-per-destination outbox (RFC 3428 section 8), and the event queue.

use super::identity::Entropy;
use super::shared_names::SharedNames;
use super::sip_util::{answerable, response_bytes};
use super::wire::{via_row_len, OutgoingRequest};
use super::{Event, Instant, Transmit, Transport};
use crate::sip::{parse_datagram, validate_keeping, Message};
use crate::transaction::{
    Branch, ClientKey, RequestArrival, ServerKey, TimerConfig, TransactionLayer,
};
use rustc_hash::FxHashMap;
use std::collections::VecDeque;
use std::net::SocketAddr;
use std::sync::Arc;

/// Largest message sent over UDP, in bytes; larger ones take the stream transport
/// (RFC 3428 section 8, RFC 3261 section 18.1.1).
pub const UDP_MESSAGE_BYTES_MAX: usize = 1300;

/// Most requests one node may hold queued behind a pending request to the same destination.
pub const QUEUED_REQUESTS_PER_DESTINATION_MAX: usize = 1024;

/// A request could not even be queued: its destination already holds
/// [`QUEUED_REQUESTS_PER_DESTINATION_MAX`] requests.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OutboxFull {
    /// The destination URI whose queue is full.
    pub destination: String,
}

impl std::fmt::Display for OutboxFull {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "more than {QUEUED_REQUESTS_PER_DESTINATION_MAX} requests queued for {}",
            self.destination
        )
    }
}

impl std::error::Error for OutboxFull {}

/// What a client transaction carries for the core: the S12 destination, the method, the role's context.
#[derive(Debug)]
pub(crate) struct Pending<C> {
    destination: Option<String>,
    method: Arc<str>,
    context: C,
}

/// A request waiting for the pending one to its destination to finish.
#[derive(Debug)]
struct Queued<C> {
    request: OutgoingRequest,
    to: SocketAddr,
    /// The destination it waits for (the caller's string, kept for its transaction).
    destination: String,
    context: C,
}

/// What arrived, once decoded and past the transaction layer.
pub(crate) enum Incoming<'a, C> {
    /// A request of a new server transaction.
    Request {
        /// The transaction to answer on.
        key: ServerKey,
        /// The request.
        msg: Message<'a>,
    },
    /// The final response a client transaction awaited.
    Response {
        /// The role's context of that transaction.
        context: C,
        /// The response.
        msg: Message<'a>,
        /// Its status code.
        code: u16,
    },
}

/// What a decoded message is to the role once past the transaction layer (the message itself
/// stays with the caller: see [`Core::accept`]).
pub(crate) enum Accepted<C> {
    /// A request of a new server transaction, to answer on this key.
    Request(ServerKey),
    /// The final response a client transaction awaited.
    Response {
        /// The role's context of that transaction.
        context: C,
        /// Its status code.
        code: u16,
    },
}

/// A node's shared machinery; `C` is the role's client-transaction context.
#[derive(Debug)]
pub(crate) struct Core<C> {
    pub(crate) name: String,
    pub(crate) entropy: Entropy,
    pub(crate) layer: TransactionLayer<Pending<C>>,
    /// `SIP/2.0/UDP <local>;branch=` and its TCP twin: the node's Via up to the branch value,
    /// written once rather than formatting the address into every request.
    via_prefixes: [String; 2],
    events: VecDeque<Event>,
    /// Destinations with a request pending (RFC 3428 section 8), each with the requests queued
    /// behind it. A hash map: nothing iterates it, so its order cannot leak into what is sent.
    busy: FxHashMap<String, VecDeque<Queued<C>>>,
    /// Requests the transaction layer refused (too many alive): local 503s not yet reported.
    refused: Vec<Pending<C>>,
    /// Method names and peers' sent-by, shared by every transaction key.
    names: SharedNames,
}

impl<C> Core<C> {
    /// The machinery of node `name` at `local`.
    pub(crate) fn new(name: &str, local: SocketAddr, timers: TimerConfig, seed: u64) -> Self {
        Core {
            name: name.to_owned(),
            entropy: Entropy::new(seed),
            layer: TransactionLayer::new(local, timers),
            via_prefixes: ["UDP", "TCP"].map(|t| format!("SIP/2.0/{t} {local};branch=")),
            events: VecDeque::new(),
            busy: FxHashMap::default(),
            refused: Vec::new(),
            names: SharedNames::default(),
        }
    }

    /// Records an event for `poll_event`.
    pub(crate) fn event(&mut self, event: Event) {
        self.events.push_back(event);
    }

    /// Records a `MalformedInput` event.
    pub(crate) fn malformed(&mut self, rule: &'static str, offset: usize) {
        let node = self.name.clone();
        self.event(Event::MalformedInput { node, rule, offset });
    }

    /// Decodes `bytes`; answers 400 to a request that does not validate (if it can be
    /// answered) and drops a bad response, reporting either as `MalformedInput`.
    pub(crate) fn receive<'a>(
        &mut self,
        now: Instant,
        from: SocketAddr,
        transport: Transport,
        bytes: &'a [u8],
    ) -> Option<Incoming<'a, C>> {
        let msg = self.decode(bytes)?;
        Some(match self.accept(now, from, transport, &msg)? {
            Accepted::Request(key) => Incoming::Request { key, msg },
            Accepted::Response { context, code } => Incoming::Response { context, msg, code },
        })
    }

    /// The message `bytes` hold; `None` (reported as `MalformedInput`) when they do not parse.
    #[inline]
    pub(crate) fn decode<'a>(&mut self, bytes: &'a [u8]) -> Option<Message<'a>> {
        match parse_datagram(bytes) {
            Ok(msg) => Some(msg),
            Err(e) => {
                self.malformed(e.rule.name(), e.offset);
                None
            }
        }
    }

    /// [`receive`](Self::receive) for a message already decoded, which stays where the caller
    /// holds it (a message is large: only the key or the context comes back). Validates it
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
        let tag = self.entropy.token();
        let code = crate::sip::StatusCode::new(code).map_or(400, |s| s.code());
        self.layer
            .send_response(now, key, code, response_bytes(msg, code, &tag));
    }

    /// Sends the response `bytes`, with status `code`, on server transaction `key`.
    pub(crate) fn respond_with(
        &mut self,
        now: Instant,
        key: &ServerKey,
        code: u16,
        bytes: Vec<u8>,
    ) {
        self.layer.send_response(now, key, code, bytes);
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
        if !matches!(msg.content_type(), Ok(Some(t)) if t.is("message", "cpim")) {
            self.respond(now, key, msg, 415);
            return None;
        }
        match crate::cpim::parse(msg.body()) {
            Ok(cpim) => Some(cpim),
            Err(e) => {
                use crate::diagnostic::Diagnostic;
                let offset = msg.header_section_len() + e.offset();
                self.reject_malformed(now, key, msg, e.rule(), offset);
                None
            }
        }
    }

    /// Sends `request` (in wire form but for its Via) to `to` in a new client transaction. With
    /// a `destination` (the request's target URI) it waits while an earlier request to that
    /// destination is pending (RFC 3428 section 8); a proxy forwards with `None`.
    pub(crate) fn send_outgoing(
        &mut self,
        now: Instant,
        request: OutgoingRequest,
        to: SocketAddr,
        destination: Option<String>,
        context: C,
    ) -> Result<(), OutboxFull> {
        let Some(dest) = destination else {
            self.transmit_request(now, request, to, None, context);
            return Ok(());
        };
        match self.busy.get_mut(&dest) {
            Some(queue) if queue.len() >= QUEUED_REQUESTS_PER_DESTINATION_MAX => {
                Err(OutboxFull { destination: dest })
            }
            Some(queue) => {
                queue.push_back(Queued {
                    request,
                    to,
                    destination: dest,
                    context,
                });
                Ok(())
            }
            None => {
                self.busy.insert(dest.clone(), VecDeque::new());
                self.transmit_request(now, request, to, Some(dest), context);
                Ok(())
            }
        }
    }

    /// Pushes this node's Via, picks the transport by size, and starts the client transaction.
    fn transmit_request(
        &mut self,
        now: Instant,
        request: OutgoingRequest,
        to: SocketAddr,
        destination: Option<String>,
        context: C,
    ) {
        let method = self.names.share(request.method());
        let token = self.entropy.token();
        let mut text = [0u8; BRANCH_BYTES_MAX];
        let branch = branch_of(&token, &mut text);
        // The two prefixes differ only in the transport token, which has the same length.
        let [udp, tcp] = &self.via_prefixes;
        let (transport, prefix) =
            if request.wire_len(via_row_len(udp, branch)) > UDP_MESSAGE_BYTES_MAX {
                (Transport::Tcp, tcp)
            } else {
                (Transport::Udp, udp)
            };
        let bytes = request.with_via(prefix, branch);
        let key = ClientKey {
            branch: Branch::from(branch),
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
    fn release(&mut self, now: Instant, destination: Option<&str>) {
        let Some(dest) = destination else { return };
        let Some(queue) = self.busy.get_mut(dest) else {
            return;
        };
        match queue.pop_front() {
            Some(q) => {
                let destination = Some(q.destination);
                self.transmit_request(now, q.request, q.to, destination, q.context);
            }
            None => {
                self.busy.remove(dest);
            }
        }
    }

    /// Fires transaction timers; returns the contexts of requests that ended without a response,
    /// with the status the role must assume: 408 for a timer F (nothing goes on the wire), 503
    /// for a request the layer refused.
    pub(crate) fn handle_timeout(&mut self, now: Instant) -> Vec<(C, u16)> {
        let mut timed_out = Vec::new();
        self.layer.handle_timeout(now, &mut timed_out);
        let mut ended = Vec::with_capacity(timed_out.len());
        for pending in timed_out {
            let node = self.name.clone();
            self.event(Event::TransactionTimedOut {
                node,
                method: pending.method.to_string(),
            });
            self.release(now, pending.destination.as_deref());
            ended.push((pending.context, 408));
        }
        for pending in std::mem::take(&mut self.refused) {
            self.release(now, pending.destination.as_deref());
            ended.push((pending.context, 503));
        }
        ended
    }

    /// The next transmit.
    pub(crate) fn poll_transmit(&mut self) -> Option<Transmit> {
        self.layer.poll_transmit()
    }

    /// The next event.
    pub(crate) fn poll_event(&mut self) -> Option<Event> {
        self.events.pop_front()
    }

    /// The next transaction timer (at once if a refused request awaits its report).
    pub(crate) fn poll_timeout(&self) -> Option<Instant> {
        if !self.refused.is_empty() {
            return Some(Instant(0));
        }
        self.layer.poll_timeout()
    }

    /// A crash: transactions, queues and pending events are lost (the RNG keeps running).
    pub(crate) fn crash(&mut self) {
        self.layer.reset();
        self.events.clear();
        self.busy.clear();
        self.refused.clear();
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

/// Bytes of a branch this node writes: the magic cookie and a token.
const BRANCH_BYTES_MAX: usize = 32;

/// `z9hG4bK<token>` written into `text` (RFC 3261 section 8.1.1.7): the key holds it inline, so
/// a branch costs no allocation.
fn branch_of<'t>(token: &str, text: &'t mut [u8; BRANCH_BYTES_MAX]) -> &'t str {
    let cookie = crate::sip::MAGIC_COOKIE.as_bytes();
    let len = (cookie.len() + token.len()).min(BRANCH_BYTES_MAX);
    for (to, from) in text.iter_mut().zip(cookie.iter().chain(token.as_bytes())) {
        *to = *from;
    }
    std::str::from_utf8(text.get(..len).unwrap_or_default()).unwrap_or(crate::sip::MAGIC_COOKIE)
}

/// The earlier of two optional deadlines.
pub(crate) fn earliest(a: Option<Instant>, b: Option<Instant>) -> Option<Instant> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_branch_is_the_magic_cookie_then_the_token() {
        let mut entropy = Entropy::new(3);
        let token = entropy.token();
        let mut text = [0u8; BRANCH_BYTES_MAX];
        let branch = branch_of(&token, &mut text);
        assert_eq!(branch, format!("{}{}", crate::sip::MAGIC_COOKIE, &*token));
        assert_eq!(branch.len(), crate::sip::MAGIC_COOKIE.len() + 16);
    }
}
