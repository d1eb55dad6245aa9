//! The cast of a simulated run: who the actors of a scenario are, their URIs and addresses.
//!
//! Each scenario user (members, then non-members) has a user agent and a participating server;
//! the group has one Controlling Function. Lanes follow the model's ladder order (User A,
//! Server A, CF, Server B, User B, ...) and the actor on lane `i` lives at `10.0.0.<i + 1>:5060`,
//! the address [`crate::trace::pcap::lane_address`] draws it at. Users `A`..`F` get the names of
//! protocol.md section 9 (alice@alpha.example, bob@beta.example, carol@delta.example,
//! dave@epsilon.example, ...); other names are lower-cased, or numbered if they are not plain
//! letters and digits.

use crate::trace::pcap::{lane_address, SIP_PORT};
use imflow_model::Scenario;
use std::net::{IpAddr, SocketAddr};

/// The protocol role an actor plays.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Role {
    /// The user agent of scenario user `user` (index into [`Cast::users`]).
    UserAgent { user: usize },
    /// The participating server of scenario user `user`.
    ParticipatingFunction { user: usize },
    /// The Controlling Function hosting the group.
    ControllingFunction,
}

/// One scenario user and the names the protocol knows it by.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    /// The scenario's name for the user ("A").
    pub name: String,
    /// The address of record, `sip:alice@alpha.example`.
    pub aor: String,
    /// The user's home domain, `alpha.example` (its registrar's domain).
    pub domain: String,
    /// Its participating server's host name, `im.alpha.example`.
    pub server_host: String,
    /// Whether the user is a group member.
    pub member: bool,
    /// Lane of the user agent.
    pub ua_lane: usize,
    /// Lane of the participating server.
    pub server_lane: usize,
}

/// Every actor of a run: lanes, roles, addresses, and the group's URIs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cast {
    /// The users in scenario order (members, then non-members).
    pub users: Vec<User>,
    /// Lane names in ladder order ("User A", "Server A", "CF", ...).
    pub lanes: Vec<String>,
    /// The role on each lane.
    pub roles: Vec<Role>,
    /// The group URI, `sip:climbers@conf.gamma.example`.
    pub group_uri: String,
    /// The Controlling Function's host, `cf.gamma.example`.
    pub cf_host: String,
    /// The CF's IMDN URI (its IMDN-Record-Route entry), `sip:imdn@cf.gamma.example`.
    pub cf_imdn_uri: String,
    /// The CF's lane.
    pub cf_lane: usize,
}

/// Names of protocol.md section 9 for the users called A to F: (user part, domain).
const CAST_NAMES: [(&str, &str, &str); 6] = [
    ("A", "alice", "alpha.example"),
    ("B", "bob", "beta.example"),
    ("C", "carol", "delta.example"),
    ("D", "dave", "epsilon.example"),
    ("E", "erin", "zeta.example"),
    ("F", "frank", "eta.example"),
];

impl Cast {
    /// The cast of a validated scenario.
    pub fn new(scenario: &Scenario) -> Cast {
        let names = scenario.users();
        let lane_of = |u: usize, server: bool| match (u, server) {
            (0, false) => 0,
            (0, true) => 1,
            (u, true) => 1 + 2 * u,
            (u, false) => 2 + 2 * u,
        };
        let users: Vec<User> = names
            .iter()
            .enumerate()
            .map(|(i, name)| {
                let (user, domain) = protocol_names(i, name);
                User {
                    name: name.to_string(),
                    aor: format!("sip:{user}@{domain}"),
                    server_host: format!("im.{domain}"),
                    domain,
                    member: scenario.group.members.iter().any(|m| m == name),
                    ua_lane: lane_of(i, false),
                    server_lane: lane_of(i, true),
                }
            })
            .collect();
        let lane_count = 1 + 2 * users.len();
        let mut lanes = vec![String::new(); lane_count];
        let mut roles = vec![Role::ControllingFunction; lane_count];
        for (i, user) in users.iter().enumerate() {
            lanes[user.ua_lane] = format!("User {}", user.name);
            roles[user.ua_lane] = Role::UserAgent { user: i };
            lanes[user.server_lane] = format!("Server {}", user.name);
            roles[user.server_lane] = Role::ParticipatingFunction { user: i };
        }
        let cf_lane = 2;
        lanes[cf_lane] = "CF".to_string();
        let group = uri_safe(&scenario.group.name).unwrap_or_else(|| "group".to_string());
        Cast {
            users,
            lanes,
            roles,
            group_uri: format!("sip:{group}@conf.gamma.example"),
            cf_host: "cf.gamma.example".to_string(),
            cf_imdn_uri: "sip:imdn@cf.gamma.example".to_string(),
            cf_lane,
        }
    }

    /// The socket address of the actor on `lane`.
    pub fn address(&self, lane: usize) -> SocketAddr {
        SocketAddr::new(IpAddr::V4(lane_address(lane)), SIP_PORT)
    }

    /// The lane of the actor at `address`, if any.
    pub fn lane_of(&self, address: SocketAddr) -> Option<usize> {
        let IpAddr::V4(ip) = address.ip() else {
            return None;
        };
        let [a, b, c, d] = ip.octets();
        let lane = usize::from(d).checked_sub(1)?;
        ((a, b, c) == (10, 0, 0) && address.port() == SIP_PORT && lane < self.lanes.len())
            .then_some(lane)
    }

    /// The index of the user with this scenario name.
    pub fn user_index(&self, name: &str) -> Option<usize> {
        self.users.iter().position(|u| u.name == name)
    }

    /// The index of the user with this AOR (compared without `sip:` and angle brackets).
    pub fn user_by_aor(&self, aor: &str) -> Option<usize> {
        let key = aor_key(aor);
        self.users.iter().position(|u| aor_key(&u.aor) == key)
    }
}

/// An AOR or URI reduced for comparison: angle brackets, `sip:` and URI parameters removed.
pub fn aor_key(uri: &str) -> &str {
    let uri = uri.trim().trim_start_matches('<').trim_end_matches('>');
    let uri = uri.strip_prefix("sip:").unwrap_or(uri);
    uri.split([';', '?']).next().unwrap_or(uri)
}

/// (user part, domain) for the scenario user `name` at index `i`.
fn protocol_names(i: usize, name: &str) -> (String, String) {
    if let Some((_, user, domain)) = CAST_NAMES.iter().find(|(n, _, _)| *n == name) {
        return (user.to_string(), domain.to_string());
    }
    match uri_safe(name) {
        Some(safe) => (safe.clone(), format!("{safe}.example")),
        None => (format!("user{i}"), format!("u{i}.example")),
    }
}

/// `name` lower-cased if it is plain ASCII letters and digits.
fn uri_safe(name: &str) -> Option<String> {
    (!name.is_empty() && name.bytes().all(|b| b.is_ascii_alphanumeric()))
        .then(|| name.to_ascii_lowercase())
}
