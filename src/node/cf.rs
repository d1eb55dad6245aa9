//! The Controlling Function: hosts groups, explodes a group IM to the members, and is the
//! IMDN intermediary that checks, deduplicates and aggregates the members' notifications
//! (OMA SIMPLE IM; RFC 5365 section 7; RFC 5438 sections 8 and 8.3).
//!
//! Per accepted IM it keeps a [`MessageState`] (legs, what was reported, the aggregation
//! buffer) for `message_state_lifetime_ms`, which must exceed the longest deferral of any
//! participating function plus delivery slack, or a deferred recipient's late IMDN is eaten.

use super::cf_fanout::member_order;
use super::core::{earliest, Accepted, Core};
use super::identity::DEFAULT_WALL_CLOCK_ORIGIN_UNIX_S;
use super::sip_util::{aor_of, host_of};
use super::{Event, Instant, Node, Transmit, Transport};
use crate::sip::{parse_datagram, Message};
use crate::transaction::{ServerKey, TimerConfig};
use rustc_hash::FxHashMap;
use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::sync::Arc;

/// Most IMs whose state the Controlling Function keeps at once; more are refused with 503.
pub const MESSAGE_STATES_MAX: usize = 100_000;

/// How the Controlling Function passes the members' IMDNs to the sender (RFC 5438 section 8.3).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ImdnPolicy {
    /// Buffer them and send one multipart/mixed IMDN when every member reached has reported
    /// and no leg is pending, or when the flush timer fires, whichever comes first.
    Aggregate {
        /// How long the first buffered IMDN may wait, in milliseconds.
        flush_after_ms: u64,
    },
    /// Forward each IMDN as it arrives.
    Individual,
}

/// The Controlling Function would free an IM's state before a deferred copy's IMDN can come back.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StateLifetimeTooShort {
    /// The configured per-IM state lifetime, in milliseconds.
    pub message_state_lifetime_ms: u64,
    /// The lifetime it must exceed, in milliseconds.
    pub needed_ms: u64,
}

impl std::fmt::Display for StateLifetimeTooShort {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "message state lifetime {} ms does not exceed deferral plus slack {} ms",
            self.message_state_lifetime_ms, self.needed_ms
        )
    }
}

impl std::error::Error for StateLifetimeTooShort {}

/// A group the Controlling Function hosts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GroupConfig {
    /// The group URI, e.g. `sip:climbers@conf.gamma.example`.
    pub uri: String,
    /// The group's display name, used in `imdn.Original-To`.
    pub display_name: Option<String>,
    /// The members' AORs.
    pub members: Vec<String>,
}

/// How a Controlling Function is set up.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ControllingFunctionConfig {
    /// The server's name in events and traces, e.g. `cf.gamma.example`.
    pub name: String,
    /// The server's own address.
    pub address: SocketAddr,
    /// Its IMDN URI, put in `imdn.IMDN-Record-Route`, e.g. `sip:imdn@cf.gamma.example`.
    pub imdn_uri: String,
    /// The groups it hosts.
    pub groups: Vec<GroupConfig>,
    /// Next hop per host (the members' domains).
    pub routes: BTreeMap<String, SocketAddr>,
    /// Aggregate or forward the members' IMDNs.
    pub imdn_policy: ImdnPolicy,
    /// How long per-IM state lives, in milliseconds (longer than the longest deferral).
    pub message_state_lifetime_ms: u64,
    /// RFC 3261 timer base values.
    pub timers: TimerConfig,
    /// Seed of the node's own CSPRNG.
    pub seed: u64,
    /// The Unix time, in seconds, that `Instant(0)` stands for in CPIM `DateTime`.
    pub wall_clock_origin_unix_s: u64,
}

impl ControllingFunctionConfig {
    /// A configuration that aggregates with a 5 s flush timer and keeps state for two days.
    pub fn new(name: &str, address: SocketAddr, seed: u64) -> Self {
        ControllingFunctionConfig {
            name: name.to_owned(),
            address,
            imdn_uri: format!("sip:imdn@{name}"),
            groups: Vec::new(),
            routes: BTreeMap::new(),
            imdn_policy: ImdnPolicy::Aggregate {
                flush_after_ms: 5_000,
            },
            message_state_lifetime_ms: 48 * 3600 * 1000,
            timers: TimerConfig::default(),
            seed,
            wall_clock_origin_unix_s: DEFAULT_WALL_CLOCK_ORIGIN_UNIX_S,
        }
    }

    /// Checks that per-IM state outlives a deferral of `deferred_lifetime_ms` plus the slack a
    /// stored copy's delivery and its IMDN need (two timer F periods); otherwise a deferred
    /// recipient's late IMDN would find no state and be consumed.
    pub fn check_state_outlives_deferral(
        &self,
        deferred_lifetime_ms: u64,
    ) -> Result<(), StateLifetimeTooShort> {
        let needed_ms =
            deferred_lifetime_ms.saturating_add(self.timers.timer_f_ms().saturating_mul(2));
        if self.message_state_lifetime_ms > needed_ms {
            Ok(())
        } else {
            Err(StateLifetimeTooShort {
                message_state_lifetime_ms: self.message_state_lifetime_ms,
                needed_ms,
            })
        }
    }

    /// Adds a hosted group.
    pub fn group(mut self, uri: &str, display_name: Option<&str>, members: &[&str]) -> Self {
        self.groups.push(GroupConfig {
            uri: uri.to_owned(),
            display_name: display_name.map(str::to_owned),
            members: members.iter().map(|m| (*m).to_owned()).collect(),
        });
        self
    }

    /// Adds a route: requests for `host` go to `next_hop`.
    pub fn route(mut self, host: &str, next_hop: SocketAddr) -> Self {
        self.routes.insert(host.to_owned(), next_hop);
        self
    }
}

/// Where one fan-out leg stands (protocol.md section 7.3).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Leg {
    /// The leg's MESSAGE awaits its final response.
    Pending,
    /// 200: the member's user agent has the IM.
    ReachedUserAgent,
    /// 202: a relay took it (e.g. stored for an offline member); nothing is known yet.
    Relayed,
    /// An error or a timeout: not delivered.
    Failed,
}

#[path = "cf_originator.rs"]
mod originator;
pub(crate) use originator::Originator;
#[path = "cf_state.rs"]
mod state;
pub use state::MessageState;
pub(crate) use state::NotificationBuffer;

/// What one of the Controlling Function's client transactions is for.
#[derive(Debug)]
pub(crate) enum CfRequest {
    /// A fan-out leg of the IM keyed (sender, Message-ID), to this member.
    Leg {
        /// The IM's key, shared by all its legs.
        key: Arc<(String, String)>,
        /// Which of the IM's legs (in the order of the members' URIs) this is.
        leg: usize,
    },
    /// An IMDN (single or aggregated) on its way to a sender.
    Notify,
}

/// The Controlling Function.
#[derive(Debug)]
pub struct ControllingFunction {
    pub(crate) config: ControllingFunctionConfig,
    pub(crate) core: Core<CfRequest>,
    /// Each accepted IM's state, keyed (sender, Message-ID) by the key its state and its
    /// timers share (held once, counted): hashed, so each IMDN entry and
    /// leg outcome finds its IM without comparing keys along a path; whatever walks them
    /// in order (the state timers) sorts what it found.
    pub(crate) messages: FxHashMap<Arc<(String, String)>, MessageState>,
    /// Every pending `flush_at` and `free_at` of `messages`, by instant, each with the key of
    /// the IM whose timer it is, so `poll_timeout` reads the earliest and the state timers
    /// find the IMs due without visiting every IM's state (a CF under load keeps each IM for
    /// `message_state_lifetime_ms`). Kept by `add_state_timer` (through `state_timer_set`)
    /// and `state_timer_cleared`, the only ways those fields change.
    pub(crate) state_timers: BTreeMap<Instant, Vec<Arc<(String, String)>>>,
    /// A (sender, Message-ID) buffer reused to look up an IM's state for each IMDN entry.
    pub(crate) lookup_key: (String, String),
    /// A buffer reused for the AOR of each IMDN's SIP From (who sent it).
    pub(crate) lookup_originator: String,
    /// Each hosted group's members (as in `config.groups`), shared by the legs to them so an
    /// IM's state names each member without a copy, with the next hop of each (routes and
    /// members are fixed, so a leg finds its hop without reading the member's URI).
    pub(crate) group_members: Vec<Vec<GroupMember>>,
    /// Each hosted group's members once, in the order of their URIs, as positions in its
    /// member list: the order of the legs of every IM to the group, sorted once.
    pub(crate) group_order: Vec<Vec<usize>>,
}

/// A member of a hosted group as the fan-out needs it.
#[derive(Debug)]
pub(crate) struct GroupMember {
    /// The member's AOR, shared by every leg to them.
    pub(crate) aor: Arc<str>,
    /// Where requests to the member go next ([`ControllingFunction::next_hop`]), if routed.
    pub(crate) next_hop: Option<SocketAddr>,
    /// Whether the AOR's text is the AOR its URI names, so an IMDN's From of
    /// `<aor>;tag=token` names the member without being parsed.
    pub(crate) plain_aor: bool,
}

impl ControllingFunction {
    /// A Controlling Function with no IM state.
    pub fn new(config: ControllingFunctionConfig) -> Self {
        let core = Core::new(&config.name, config.address, config.timers, config.seed);
        let group_members = config
            .groups
            .iter()
            .map(|g| {
                g.members
                    .iter()
                    .map(|m| GroupMember {
                        aor: Arc::from(m.as_str()),
                        next_hop: next_hop_in(&config.routes, m),
                        plain_aor: originator::is_plain_aor(m),
                    })
                    .collect()
            })
            .collect();
        let group_order = config
            .groups
            .iter()
            .map(|g| member_order(&g.members))
            .collect();
        ControllingFunction {
            config,
            core,
            messages: FxHashMap::default(),
            state_timers: BTreeMap::new(),
            lookup_key: (String::new(), String::new()),
            lookup_originator: String::new(),
            group_members,
            group_order,
        }
    }

    /// A state timer (a flush or a free) of the IM `key` was set for `at`.
    pub(crate) fn state_timer_set(&mut self, at: Instant, key: &Arc<(String, String)>) {
        add_state_timer(&mut self.state_timers, at, key);
    }

    /// A state timer of the IM `key` set for `at` was cleared or fired.
    pub(crate) fn state_timer_cleared(&mut self, at: Instant, key: &(String, String)) {
        if let Some(keys) = self.state_timers.get_mut(&at) {
            if let Some(i) = keys.iter().position(|k| **k == *key) {
                keys.swap_remove(i);
            }
            if keys.is_empty() {
                self.state_timers.remove(&at);
            }
        }
    }

    /// The configuration the Controlling Function runs with.
    pub fn config(&self) -> &ControllingFunctionConfig {
        &self.config
    }

    /// The state of the IM `message_id` from `sender`, while kept.
    pub fn message_state(&self, sender: &str, message_id: &str) -> Option<&MessageState> {
        self.messages
            .get(&(sender.to_owned(), message_id.to_owned()))
    }

    /// How many IMs' state is kept.
    pub fn message_state_count(&self) -> usize {
        self.messages.len()
    }

    fn on_request(&mut self, now: Instant, key: ServerKey, msg: &Message<'_>) {
        if msg.method().map(|m| m.as_str()) != Some("MESSAGE") {
            self.core.respond(now, &key, msg, 405);
            return;
        }
        let target = msg.request_uri().and_then(Result::ok);
        let Some(target) = target.as_ref().and_then(aor_of) else {
            self.core.respond(now, &key, msg, 404);
            return;
        };
        if target == self.config.imdn_uri {
            self.on_imdn(now, &key, msg);
            return;
        }
        let group = self.config.groups.iter().position(|g| g.uri == target);
        match group {
            Some(group) => self.on_group_im(now, &key, msg, group),
            None => self.core.respond(now, &key, msg, 404),
        }
    }

    /// Where a request for `uri` goes next, by its host.
    pub(crate) fn next_hop(&self, uri: &str) -> Option<SocketAddr> {
        next_hop_in(&self.config.routes, uri)
    }
}

/// Where a request for `uri` goes next under `routes`, by its host.
fn next_hop_in(routes: &BTreeMap<String, SocketAddr>, uri: &str) -> Option<SocketAddr> {
    routes.get(host_of(uri)?).copied()
}

/// Adds a state timer of the IM `key` at `at` to `timers` (the Controlling Function's
/// `state_timers`).
pub(crate) fn add_state_timer(
    timers: &mut BTreeMap<Instant, Vec<Arc<(String, String)>>>,
    at: Instant,
    key: &Arc<(String, String)>,
) {
    timers.entry(at).or_default().push(Arc::clone(key));
}

impl Node for ControllingFunction {
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
            Some(Accepted::Response { context, code }) => self.on_final(now, context, code),
            None => {}
        }
    }

    fn handle_timeout(&mut self, now: Instant) {
        for (request, code) in self.core.handle_timeout(now) {
            self.on_final(now, request, code);
        }
        self.on_state_timers(now);
    }

    fn poll_transmit(&mut self) -> Option<Transmit> {
        self.core.poll_transmit()
    }

    fn poll_event(&mut self) -> Option<Event> {
        self.core.poll_event()
    }

    fn poll_timeout(&self) -> Option<Instant> {
        let states = self.state_timers.keys().next().copied();
        earliest(self.core.poll_timeout(), states)
    }

    fn crash_and_restart(&mut self, _now: Instant) {
        self.core.crash();
        self.messages.clear();
        self.state_timers.clear();
    }
}
