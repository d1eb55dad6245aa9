//! A hand-driven network of the seed flow's cast for role tests: every transmit is delivered
//! in order, virtual time jumps to the next timeout, and a filter can drop or hold messages.
//! (The real simulator, with faults and monitors, lives in `imflow::sim`.)
#![allow(dead_code)]

use imflow::cpim::{Disposition, DispositionSet};
use imflow::node::{
    ControllingFunction, ControllingFunctionConfig, Event, ImdnPolicy, Instant, Node,
    ParticipatingFunction, ParticipatingFunctionConfig, Transmit, UserAgent, UserAgentConfig,
};
use std::collections::{BTreeMap, VecDeque};
use std::net::SocketAddr;

pub const ALICE: &str = "sip:alice@alpha.example";
pub const BOB: &str = "sip:bob@beta.example";
pub const CAROL: &str = "sip:carol@delta.example";
pub const DAVE: &str = "sip:dave@epsilon.example";
pub const EVE: &str = "sip:eve@alpha.example";
pub const GROUP: &str = "sip:climbers@conf.gamma.example";
pub const CF_IMDN: &str = "sip:imdn@cf.gamma.example";

pub fn addr(last: u8) -> SocketAddr {
    SocketAddr::from(([10, 0, 0, last], 5060))
}

/// (user AOR, UA address, server name, domain, server address)
pub const CAST: [(&str, u8, &str, &str, u8); 5] = [
    (ALICE, 1, "im.alpha.example", "alpha.example", 11),
    (BOB, 2, "im.beta.example", "beta.example", 12),
    (CAROL, 3, "im.delta.example", "delta.example", 13),
    (DAVE, 4, "im.epsilon.example", "epsilon.example", 14),
    (EVE, 5, "im.alpha.example", "alpha.example", 11),
];

pub const CF_ADDR: u8 = 20;

pub fn positive() -> DispositionSet {
    DispositionSet::EMPTY.with(Disposition::PositiveDelivery)
}

/// One observed transmit.
#[derive(Clone, Debug)]
pub struct Wire {
    pub at: Instant,
    pub transmit: Transmit,
}

impl Wire {
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.transmit.bytes).into_owned()
    }
    pub fn start_line(&self) -> String {
        self.text().lines().next().unwrap_or("").to_owned()
    }
}

pub struct Net {
    pub now: Instant,
    pub uas: BTreeMap<String, UserAgent>,
    pub pfs: BTreeMap<String, ParticipatingFunction>,
    pub cf: ControllingFunction,
    pub wire: Vec<Wire>,
    pub events: Vec<Event>,
    queue: VecDeque<Transmit>,
    /// Transmits for which this returns true are lost.
    pub drop_if: Box<dyn FnMut(&Transmit) -> bool>,
    /// Transmits for which this returns true arrive twice.
    pub duplicate_if: Box<dyn FnMut(&Transmit) -> bool>,
}

pub struct Setup {
    pub policy: ImdnPolicy,
    pub deferral_ms: u64,
    pub cf_state_ms: u64,
    pub seed: u64,
}

impl Default for Setup {
    fn default() -> Self {
        Setup {
            policy: ImdnPolicy::Aggregate {
                flush_after_ms: 5_000,
            },
            deferral_ms: 600_000,
            cf_state_ms: 1_200_000,
            seed: 1,
        }
    }
}

/// The CF of the role tests alone: the seed group (A, B, C, D) and a route to each member's
/// server (10.0.0.11 to .14), with `seed` for its generator.
pub fn group_cf_config(seed: u64) -> ControllingFunctionConfig {
    let mut config = ControllingFunctionConfig::new("cf.gamma.example", addr(CF_ADDR), seed).group(
        GROUP,
        Some("Climbers"),
        &[ALICE, BOB, CAROL, DAVE],
    );
    for (host, last) in [
        ("alpha.example", 11),
        ("beta.example", 12),
        ("delta.example", 13),
        ("epsilon.example", 14),
    ] {
        config = config.route(host, addr(last));
    }
    config
}

fn routes() -> Vec<(&'static str, SocketAddr)> {
    let mut r: Vec<(&str, SocketAddr)> = CAST.iter().map(|c| (c.3, addr(c.4))).collect();
    r.push(("conf.gamma.example", addr(CF_ADDR)));
    r.push(("cf.gamma.example", addr(CF_ADDR)));
    r
}

impl Net {
    pub fn new(setup: Setup) -> Net {
        let mut uas = BTreeMap::new();
        let mut pfs = BTreeMap::new();
        for (i, (aor, ua, server, domain, pf)) in CAST.iter().enumerate() {
            let seed = setup.seed * 100 + i as u64;
            let mut config = UserAgentConfig::new(aor, addr(*ua), addr(*pf), seed);
            config.register_expires_s = 3600;
            uas.insert((*aor).to_owned(), UserAgent::new(config));
            if !pfs.contains_key(*server) {
                let mut config =
                    ParticipatingFunctionConfig::new(server, domain, addr(*pf), seed + 50);
                for (host, next) in routes() {
                    config = config.route(host, next);
                }
                config.deferred_lifetime_ms = setup.deferral_ms;
                pfs.insert((*server).to_owned(), ParticipatingFunction::new(config));
            }
        }
        let mut cf = ControllingFunctionConfig::new("cf.gamma.example", addr(CF_ADDR), setup.seed);
        cf = cf.group(GROUP, Some("Climbers"), &[ALICE, BOB, CAROL, DAVE]);
        for (host, next) in routes() {
            cf = cf.route(host, next);
        }
        cf.imdn_policy = setup.policy;
        cf.message_state_lifetime_ms = setup.cf_state_ms;
        Net {
            now: Instant(0),
            uas,
            pfs,
            cf: ControllingFunction::new(cf),
            wire: Vec::new(),
            events: Vec::new(),
            queue: VecDeque::new(),
            drop_if: Box::new(|_| false),
            duplicate_if: Box::new(|_| false),
        }
    }

    fn node_at(&mut self, to: SocketAddr) -> Option<&mut dyn Node> {
        if to == addr(CF_ADDR) {
            return Some(&mut self.cf);
        }
        if let Some(ua) = self
            .uas
            .values_mut()
            .find(|u| u.contact().ends_with(&to.to_string()))
        {
            return Some(ua);
        }
        let server = CAST.iter().find(|c| addr(c.4) == to).map(|c| c.2)?;
        self.pfs.get_mut(server).map(|p| p as &mut dyn Node)
    }

    /// Drains every node's transmits and events (the drain contract).
    pub fn drain(&mut self) {
        let mut nodes: Vec<&mut dyn Node> = Vec::new();
        nodes.extend(self.uas.values_mut().map(|n| n as &mut dyn Node));
        nodes.extend(self.pfs.values_mut().map(|n| n as &mut dyn Node));
        nodes.push(&mut self.cf);
        for node in nodes {
            while let Some(t) = node.poll_transmit() {
                self.wire.push(Wire {
                    at: self.now,
                    transmit: t.clone(),
                });
                self.queue.push_back(t);
            }
            while let Some(e) = node.poll_event() {
                self.events.push(e);
            }
        }
    }

    /// Delivers queued transmits until none is left; returns false if `steps_max` was hit.
    pub fn deliver_all(&mut self) {
        self.drain();
        let mut steps = 0;
        while let Some(t) = self.queue.pop_front() {
            steps += 1;
            assert!(steps < 10_000, "message storm");
            if (self.drop_if)(&t) {
                continue;
            }
            if (self.duplicate_if)(&t) {
                self.queue.push_back(t.clone());
            }
            let now = self.now;
            if let Some(node) = self.node_at(t.to) {
                node.handle_datagram(now, t.from, t.transport, &t.bytes);
            }
            self.drain();
        }
    }

    fn next_timeout(&self) -> Option<Instant> {
        let mut all: Vec<Option<Instant>> = Vec::new();
        all.extend(self.uas.values().map(|n| n.poll_timeout()));
        all.extend(self.pfs.values().map(|n| n.poll_timeout()));
        all.push(self.cf.poll_timeout());
        all.into_iter().flatten().min()
    }

    /// Delivers everything and fires timers until `until` (virtual time ends there).
    pub fn run_until(&mut self, until: Instant) {
        self.deliver_all();
        while let Some(at) = self.next_timeout() {
            if at > until {
                break;
            }
            self.now = self.now.max(at);
            let now = self.now;
            for n in self.uas.values_mut() {
                n.handle_timeout(now);
            }
            for n in self.pfs.values_mut() {
                n.handle_timeout(now);
            }
            self.cf.handle_timeout(now);
            self.deliver_all();
        }
        self.now = self.now.max(until);
    }

    /// Runs for `ms` more milliseconds of virtual time.
    pub fn run_for(&mut self, ms: u64) {
        let until = self.now.plus_millis(ms);
        self.run_until(until);
    }

    pub fn ua(&mut self, aor: &str) -> &mut UserAgent {
        self.uas.get_mut(aor).expect("cast member")
    }

    pub fn register(&mut self, aor: &str) {
        let now = self.now;
        self.ua(aor).register(now);
        self.deliver_all();
    }

    pub fn send_im(
        &mut self,
        from: &str,
        to: &str,
        dispositions: DispositionSet,
        text: &str,
    ) -> String {
        let now = self.now;
        let id = self
            .ua(from)
            .send_im(now, to, dispositions, text)
            .expect("IM accepted");
        self.deliver_all();
        id
    }

    pub fn rendered(&self, user: &str) -> Vec<(String, String)> {
        self.events
            .iter()
            .filter_map(|e| match e {
                Event::ImRendered {
                    user: u,
                    sender,
                    message_id,
                } if u == user => Some((sender.clone(), message_id.clone())),
                _ => None,
            })
            .collect()
    }

    /// (message_id, recipient, status) of every IMDN entry `user` rendered.
    pub fn imdns(&self, user: &str) -> Vec<(String, String, String)> {
        self.events
            .iter()
            .filter_map(|e| match e {
                Event::ImdnRendered {
                    user: u,
                    message_id,
                    recipient,
                    status,
                } if u == user => Some((message_id.clone(), recipient.clone(), status.clone())),
                _ => None,
            })
            .collect()
    }

    pub fn wire_between(&self, from: u8, to: u8) -> Vec<&Wire> {
        self.wire
            .iter()
            .filter(|w| w.transmit.from == addr(from) && w.transmit.to == addr(to))
            .collect()
    }

    pub fn count_events(&self, pred: impl Fn(&Event) -> bool) -> usize {
        self.events.iter().filter(|e| pred(e)).count()
    }
}

/// The seed cast with A, B, C registered and D offline.
pub fn seed_net(setup: Setup) -> Net {
    let mut net = Net::new(setup);
    for aor in [ALICE, BOB, CAROL] {
        net.register(aor);
    }
    net
}
