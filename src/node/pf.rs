//! The participating function (Server A..D of the seed flow): registrar for its users,
//! transaction-stateful proxy on the originating and terminating side, store-and-forward for
//! users who are not registered, and relay of IMDNs by Request-URI.
//!
//! A request whose Request-URI names a user of its own domain is terminating: relayed to the
//! user's registered contact, or deferred (see [`crate::deferred`]). Any other request is
//! proxied to the next hop its Request-URI's host routes to. A proxied request's final response
//! is relayed back; if the downstream transaction times out, the upstream one is dropped
//! unanswered: nobody sends 408 for a MESSAGE (RFC 4320 section 4.2).

use super::core::{earliest, Accepted, Core};
use super::identity::DEFAULT_WALL_CLOCK_ORIGIN_UNIX_S;
use super::pf_bindings::Bindings;
use super::sip_util::host_of;
use super::wire::{forwarded_request, relayed_response};
use super::{Event, Instant, Node, Transmit, Transport};
use crate::deferred::{DeferredStore, InMemoryDeferredStore};
use crate::sip::{parse_datagram, Message};
use crate::transaction::{ServerKey, TimerConfig};
use rustc_hash::FxHashMap;
use std::collections::BTreeMap;
use std::net::SocketAddr;

/// Most registered users one participating function keeps bindings for, unless its
/// configuration says fewer ([`ParticipatingFunctionConfig::bindings_max`]).
pub const BINDINGS_MAX: usize = 100_000;

/// How a participating function is set up.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParticipatingFunctionConfig {
    /// The server's name in events and traces, e.g. `im.beta.example`.
    pub name: String,
    /// The domain whose users it serves, e.g. `beta.example`.
    pub domain: String,
    /// The server's own address.
    pub address: SocketAddr,
    /// Next hop per host (domains of other servers, the group and IMDN hosts of the CF).
    pub routes: BTreeMap<String, SocketAddr>,
    /// Whether a MESSAGE (IM or IMDN) for an unregistered user is stored (else 480).
    pub deferral: bool,
    /// How long a stored copy waits for its user before it expires, in milliseconds.
    pub deferred_lifetime_ms: u64,
    /// Registration lifetime granted when a REGISTER names none, in seconds.
    pub default_register_expires_s: u32,
    /// Most users it keeps bindings for: a REGISTER for one more gets 503; a refresh or
    /// removal of a known user's binding is always taken (at most [`BINDINGS_MAX`]).
    pub bindings_max: usize,
    /// RFC 3261 timer base values.
    pub timers: TimerConfig,
    /// Seed of the node's own CSPRNG.
    pub seed: u64,
    /// The Unix time, in seconds, that `Instant(0)` stands for in CPIM `DateTime`.
    pub wall_clock_origin_unix_s: u64,
}

impl ParticipatingFunctionConfig {
    /// A configuration with deferral on (one-day lifetime), RFC timers and no routes.
    pub fn new(name: &str, domain: &str, address: SocketAddr, seed: u64) -> Self {
        ParticipatingFunctionConfig {
            name: name.to_owned(),
            domain: domain.to_owned(),
            address,
            routes: BTreeMap::new(),
            deferral: true,
            deferred_lifetime_ms: 24 * 3600 * 1000,
            default_register_expires_s: 3600,
            bindings_max: BINDINGS_MAX,
            timers: TimerConfig::default(),
            seed,
            wall_clock_origin_unix_s: DEFAULT_WALL_CLOCK_ORIGIN_UNIX_S,
        }
    }

    /// Adds a route: requests for `host` go to `next_hop`.
    pub fn route(mut self, host: &str, next_hop: SocketAddr) -> Self {
        self.routes.insert(host.to_owned(), next_hop);
        self
    }
}

/// One registered contact of a user (RFC 3261 section 10.3).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Binding {
    /// The Contact URI as registered.
    pub contact: String,
    /// Where requests for the contact go.
    pub address: SocketAddr,
    /// When the binding lapses unless refreshed.
    pub expires_at: Instant,
}

/// What one of the participating function's client transactions is for.
#[derive(Debug)]
pub(crate) enum PfRequest {
    /// A proxied request; its final response is relayed on this server transaction.
    Forward(ServerKey),
    /// Delivery of a stored copy to its user.
    Deliver {
        /// The user's AOR.
        user: String,
        /// The copy's Message-ID.
        message_id: String,
    },
    /// A `stored` or `failed` IMDN this server generated.
    Notify,
}

/// A participating function with its deferred store.
#[derive(Debug)]
pub struct ParticipatingFunction {
    pub(crate) config: ParticipatingFunctionConfig,
    pub(crate) core: Core<PfRequest>,
    pub(crate) bindings: Bindings,
    pub(crate) store: Box<dyn DeferredStore>,
    /// Where a terminating request's AOR is written to look it up: a request relayed to a
    /// registered user (the common case) needs no owned copy of it.
    pub(crate) aor_scratch: String,
    /// The configured routes by host, hashed: every relayed IMDN looks its next hop up.
    next_hops: FxHashMap<String, SocketAddr>,
}

impl ParticipatingFunction {
    /// A participating function with an empty in-memory deferred store.
    pub fn new(config: ParticipatingFunctionConfig) -> Self {
        Self::with_store(config, Box::new(InMemoryDeferredStore::new()))
    }

    /// A participating function over the given deferred store.
    pub fn with_store(config: ParticipatingFunctionConfig, store: Box<dyn DeferredStore>) -> Self {
        let core = Core::new(&config.name, config.address, config.timers, config.seed);
        let next_hops = config.routes.iter().map(|(host, at)| (host.clone(), *at));
        let next_hops = next_hops.collect();
        ParticipatingFunction {
            config,
            core,
            bindings: Bindings::default(),
            store,
            aor_scratch: String::new(),
            next_hops,
        }
    }

    /// The configuration the server runs with.
    pub fn config(&self) -> &ParticipatingFunctionConfig {
        &self.config
    }

    /// The server's name.
    pub fn name(&self) -> &str {
        &self.config.name
    }

    /// The current binding of `aor`, if registered.
    pub fn binding(&self, aor: &str) -> Option<&Binding> {
        self.bindings.get(aor)
    }

    /// The deferred store (read-only).
    pub fn deferred_store(&self) -> &dyn DeferredStore {
        self.store.as_ref()
    }

    fn on_request(&mut self, now: Instant, key: ServerKey, msg: &Message<'_>) {
        let method = msg.method().map(|m| m.as_str()).unwrap_or("");
        let target = msg.request_uri().and_then(Result::ok);
        let Some(target) = target else {
            self.core.respond(now, &key, msg, 416);
            return;
        };
        let local = (target.as_sip()).is_some_and(|u| names(u.host.as_str(), &self.config.domain));
        match (method, local) {
            ("REGISTER", true) => self.on_register(now, &key, msg),
            ("MESSAGE", true) => self.on_terminating(now, key, msg, &target),
            ("MESSAGE", false) => {
                let host = target.as_sip().map(|u| u.host.as_str()).unwrap_or("");
                match self.next_hops.get(host).copied() {
                    Some(next_hop) => {
                        forward_on(&mut self.core, now, key, msg, None, next_hop, None)
                    }
                    None => self.core.respond(now, &key, msg, 404),
                }
            }
            ("REGISTER", false) => self.core.respond(now, &key, msg, 404),
            _ => self.core.respond(now, &key, msg, 405),
        }
    }

    fn on_final(
        &mut self,
        now: Instant,
        request: PfRequest,
        response: Option<&Message<'_>>,
        code: u16,
    ) {
        match request {
            PfRequest::Forward(key) => match response {
                Some(response) => {
                    if let Some((code, bytes)) = relayed_response(response) {
                        self.core.respond_with(now, &key, code, bytes);
                    }
                }
                None => self.core.layer.abandon(&key),
            },
            PfRequest::Deliver { user, message_id } => {
                self.on_delivery_outcome(now, &user, &message_id, code);
            }
            PfRequest::Notify => {}
        }
    }

    /// Where a request for `uri` goes next, by its host.
    pub(crate) fn next_hop(&self, uri: &str) -> Option<SocketAddr> {
        self.next_hops.get(host_of(uri)?).copied()
    }
}

/// Whether `host` names `domain`, letters in any case: as written (the usual case) in one
/// compare, else by the byte-by-byte compare that ignores case. The one test of "this
/// server's domain" (a Request-URI's host, a registered AOR's host).
pub(super) fn names(host: &str, domain: &str) -> bool {
    host == domain || host.eq_ignore_ascii_case(domain)
}

/// Proxies `msg` to `next_hop` (RFC 3261 section 16.6), optionally retargeted to `uri`; with a
/// `destination` it waits behind this server's pending request to that destination. It takes
/// the server's core alone, so a caller may lend the retarget URI from the server's own
/// bindings instead of copying it.
pub(crate) fn forward_on(
    core: &mut Core<PfRequest>,
    now: Instant,
    key: ServerKey,
    msg: &Message<'_>,
    uri: Option<&str>,
    next_hop: SocketAddr,
    destination: Option<String>,
) {
    let hops = msg.max_forwards().ok().flatten().unwrap_or(70);
    if hops == 0 {
        core.respond(now, &key, msg, 483);
        return;
    }
    let request = forwarded_request(msg, uri, hops - 1);
    let context = PfRequest::Forward(key.clone());
    // Without a destination a proxy forwards at once; a full queue behind a destination
    // refuses the request for now (RFC 3261 section 21.5.4).
    if core
        .send_outgoing(now, request, next_hop, destination, context)
        .is_err()
    {
        core.respond(now, &key, msg, 503);
    }
}

impl Node for ParticipatingFunction {
    fn handle_datagram(
        &mut self,
        now: Instant,
        from: SocketAddr,
        transport: Transport,
        bytes: &[u8],
    ) {
        // The message stays in the parser's result; the core hands back only its key or
        // context.
        let parsed = parse_datagram(bytes);
        let Some(msg) = self.core.decoded(&parsed) else {
            return;
        };
        match self.core.accept(now, from, transport, msg) {
            Some(Accepted::Request(key)) => self.on_request(now, key, msg),
            Some(Accepted::Response { context, code }) => {
                self.on_final(now, context, Some(msg), code);
            }
            None => {}
        }
    }

    fn handle_timeout(&mut self, now: Instant) {
        for (request, code) in self.core.handle_timeout(now) {
            self.on_final(now, request, None, code);
        }
        self.bindings.expire(now);
        self.expire_stored(now);
    }

    fn poll_transmit(&mut self) -> Option<Transmit> {
        self.core.poll_transmit()
    }

    fn poll_event(&mut self) -> Option<Event> {
        self.core.poll_event()
    }

    fn poll_timeout(&self) -> Option<Instant> {
        let bindings = self.bindings.next_expiry();
        let timers = earliest(self.core.poll_timeout(), bindings);
        earliest(timers, self.store.next_expiry())
    }

    fn crash_and_restart(&mut self, _now: Instant) {
        self.core.crash();
        self.bindings.clear();
        self.store.lose_volatile();
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_host_names_the_domain_in_any_case_of_letters() {
        let hosts = [
            "beta.example",
            "Beta.Example",
            "BETA.EXAMPLE",
            "beta.exampl",
            "beta-example",
        ];
        for host in hosts {
            for domain in hosts {
                let ignoring_case = host.eq_ignore_ascii_case(domain);
                assert_eq!(super::names(host, domain), ignoring_case, "{host} {domain}");
            }
        }
    }
}
