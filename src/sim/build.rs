//! Builds the implementation's roles for a cast: a user agent and a participating server per
//! user, one Controlling Function for the group, each seeded from the run's seed and its lane.
//!
//! Every participating server routes the other users' domains to their servers and the group
//! and IMDN hosts to the CF; the CF routes each member's domain to that member's server. A timer
//! the scenario turns off (`timers.*`) is set beyond the run's horizon, so it never fires.
//! The scenario's known-bad `variants` are model-only: the simulator always runs the
//! implementation as built.

use super::actor::Actor;
use super::cast::{Cast, Role};
use super::limits::{
    AGGREGATION_FLUSH_MS, CF_STATE_MS, DEFERRED_EXPIRY_MS, HORIZON_MS, REGISTRATION_EXPIRES_S,
};
use super::{SimError, SimNode};
use crate::cpim::DispositionSet;
use crate::node::{
    ControllingFunction, ControllingFunctionConfig, ImdnPolicy, Instant, ParticipatingFunction,
    ParticipatingFunctionConfig, UserAgent, UserAgentConfig,
};
use imflow_model::scenario::Aggregation;
use imflow_model::Scenario;

/// A timer value that never fires within a run, in milliseconds.
const NEVER_MS: u64 = HORIZON_MS * 10;

impl SimNode for UserAgent {
    fn send_im(
        &mut self,
        now: Instant,
        to: &str,
        dispositions: DispositionSet,
        text: &str,
    ) -> Option<String> {
        UserAgent::send_im(self, now, to, dispositions, text).ok()
    }

    fn register(&mut self, now: Instant) -> bool {
        UserAgent::register(self, now);
        true
    }
}

impl SimNode for ParticipatingFunction {}

impl SimNode for ControllingFunction {}

/// The seed of the node on `lane`: the run's seed mixed with the lane (SplitMix64 finaliser),
/// so nodes draw different Call-IDs, tags and Message-IDs from one run seed.
pub fn node_seed(seed: u64, lane: usize) -> u64 {
    let mut z = seed
        ^ (lane as u64)
            .wrapping_add(1)
            .wrapping_mul(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// One node per lane of `cast`.
pub fn nodes(
    cast: &Cast,
    scenario: &Scenario,
    seed: u64,
) -> Result<Vec<Box<dyn SimNode>>, SimError> {
    let mut nodes: Vec<Box<dyn SimNode>> = Vec::with_capacity(cast.lanes.len());
    for lane in 0..cast.roles.len() {
        nodes.push(match actor(cast, scenario, seed, lane)? {
            Actor::UserAgent(ua) => Box::new(ua),
            Actor::Participating(pf) => Box::new(pf),
            Actor::Controlling(cf) => Box::new(cf),
        });
    }
    Ok(nodes)
}

/// The role on `lane` of `cast`, built and seeded exactly as [`nodes`] builds it.
pub fn actor(cast: &Cast, scenario: &Scenario, seed: u64, lane: usize) -> Result<Actor, SimError> {
    let group_host = host(&cast.group_uri);
    let cf_address = cast.address(cast.cf_lane);
    let role = cast
        .roles
        .get(lane)
        .copied()
        .ok_or_else(|| SimError::UnknownActor(format!("lane {lane}")))?;
    let address = cast.address(lane);
    let node_seed = node_seed(seed, lane);
    Ok(match role {
        Role::UserAgent { user } => {
            let u = cast
                .users
                .get(user)
                .ok_or_else(|| SimError::UnknownActor(format!("user {user}")))?;
            let mut config =
                UserAgentConfig::new(&u.aor, address, cast.address(u.server_lane), node_seed);
            config.display_name = Some(u.name.clone());
            config.register_expires_s = REGISTRATION_EXPIRES_S;
            Actor::UserAgent(UserAgent::new(config))
        }
        Role::ParticipatingFunction { user } => {
            let u = cast
                .users
                .get(user)
                .ok_or_else(|| SimError::UnknownActor(format!("user {user}")))?;
            let mut config =
                ParticipatingFunctionConfig::new(&u.server_host, &u.domain, address, node_seed)
                    .route(group_host, cf_address)
                    .route(&cast.cf_host, cf_address);
            for other in cast.users.iter().filter(|o| o.domain != u.domain) {
                config = config.route(&other.domain, cast.address(other.server_lane));
            }
            config.deferral = scenario.servers.deferral;
            config.deferred_lifetime_ms = deferred_lifetime_ms(scenario);
            config.default_register_expires_s = REGISTRATION_EXPIRES_S;
            Actor::Participating(ParticipatingFunction::new(config))
        }
        Role::ControllingFunction => {
            let members: Vec<&str> = cast
                .users
                .iter()
                .filter(|u| u.member)
                .map(|u| u.aor.as_str())
                .collect();
            let mut config = ControllingFunctionConfig::new(&cast.cf_host, address, node_seed)
                .group(&cast.group_uri, Some(&scenario.group.name), &members);
            config.imdn_uri = cast.cf_imdn_uri.clone();
            for u in &cast.users {
                config = config.route(&u.domain, cast.address(u.server_lane));
            }
            config.imdn_policy = match scenario.cf.aggregation {
                Aggregation::Aggregate => ImdnPolicy::Aggregate {
                    flush_after_ms: if scenario.timers.aggregation_flush {
                        AGGREGATION_FLUSH_MS
                    } else {
                        NEVER_MS
                    },
                },
                Aggregation::ForwardEach => ImdnPolicy::Individual,
            };
            config.message_state_lifetime_ms = if scenario.timers.cf_state_expiry {
                CF_STATE_MS
            } else {
                NEVER_MS
            };
            // With deferred expiry off a copy may wait past any finite T_state: the CF then
            // keeps its state for the run, as its own lifetime rule demands.
            if config
                .check_state_outlives_deferral(deferred_lifetime_ms(scenario))
                .is_err()
            {
                config.message_state_lifetime_ms = NEVER_MS;
            }
            Actor::Controlling(ControllingFunction::new(config))
        }
    })
}

/// How long the scenario's servers keep a deferred copy, in milliseconds (`T_exp`).
fn deferred_lifetime_ms(scenario: &Scenario) -> u64 {
    if scenario.timers.deferred_expiry {
        DEFERRED_EXPIRY_MS
    } else {
        NEVER_MS
    }
}

/// The host of a SIP URI (`sip:user@host;params` -> `host`).
fn host(uri: &str) -> &str {
    let key = super::cast::aor_key(uri);
    key.rsplit('@').next().unwrap_or(key)
}
