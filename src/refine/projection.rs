//! The part of the model state both sides have, computed from the model's [`State`] and from the
//! concrete run (node states plus the events it reported).
//!
//! Compared: each user's registration and its server's binding; each IM's first final response
//! at its sender and the CF's phase for it; per (IM, recipient): how often the recipient's agent
//! handed the IM to its user (saturating at 2), the recipient's server's deferred store, how
//! often the sender got each status (saturating at 2), and, while the CF keeps the IM's state,
//! the CF's leg, what it reported and what waits in its aggregation buffer.
//!
//! Left out, because the model keeps them only as history for its properties or abstracts them
//! differently: the network (the concrete network holds retransmissions and transaction-layer
//! traffic the model folds away; enabledness of each delivery is checked instead), fault
//! counters, `fanout`, `via_aggregate`, `aggregates_received`, `notified_users`,
//! `deferred_before_aggregate` and history bits. The CF's legs, reported set and buffer are not
//! compared once it freed the IM's state (the concrete CF forgets them; the model keeps them).
//! The CF's reported set is compared by notification kind (delivery: `delivered`/`failed`;
//! processing: `stored`): the concrete CF deduplicates per recipient and kind (RFC 5438 section
//! 8.3), the model per status, and the two agree whenever S4 holds.

use super::history::History;
use crate::node::{Leg as ConcreteLeg, Registration as UaRegistration};
use crate::sim::actor::Actor;
use crate::sim::Stepper;
use imflow_model::config::Config;
use imflow_model::message::{Code, DELIVERED, FAILED, STORED};
use imflow_model::state::{CfLeg, CfPhase, Registration, State, Store};

/// Kind bit of a delivery notification (`delivered` or `failed`) in [`LegView::reported`].
pub const KIND_DELIVERY: u8 = 1;
/// Kind bit of a processing notification (`stored`) in [`LegView::reported`].
pub const KIND_PROCESSING: u8 = 2;

/// One user as both sides see it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UserView {
    /// The agent's registration.
    pub registration: Registration,
    /// Its server holds a binding.
    pub bound: bool,
}

/// One (IM, recipient) pair as both sides see it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct LegView {
    /// Times the recipient's agent handed the IM to its user (saturating at 2).
    pub accepted: u8,
    /// The recipient's server's deferred store for the IM.
    pub store: Store,
    /// The CF's leg, while the CF keeps the IM's state.
    pub cf: Option<CfLeg>,
    /// Notification kinds the CF accepted (KIND_* bits), while it keeps the state.
    pub reported: Option<u8>,
    /// Status bits in the CF's aggregation buffer, while it keeps the state.
    pub buffered: Option<u8>,
    /// Notifications the sender got, per status (delivered, failed, stored; saturating at 2).
    pub notified: [u8; 3],
}

/// One IM as both sides see it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MessageView {
    /// The first final response the sender's agent got (408: its own timer F).
    pub response: Option<u16>,
    /// The CF's record.
    pub cf: CfPhase,
    /// Per recipient (indexed by user).
    pub legs: Vec<LegView>,
}

/// The compared part of a state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Projection {
    /// Per user.
    pub users: Vec<UserView>,
    /// Per scenario IM.
    pub messages: Vec<MessageView>,
}

fn kinds(status_bits: u8) -> u8 {
    let mut out = 0;
    if status_bits & (DELIVERED | FAILED) != 0 {
        out |= KIND_DELIVERY;
    }
    if status_bits & STORED != 0 {
        out |= KIND_PROCESSING;
    }
    out
}

fn code_number(code: Code) -> u16 {
    match code {
        Code::Ok200 => 200,
        Code::Accepted202 => 202,
        Code::Forbidden403 => 403,
        Code::Unavailable480 => 480,
        Code::Timeout408 => 408,
    }
}

impl Projection {
    /// The projection of a model state.
    pub fn of_model(cfg: &Config, s: &State) -> Projection {
        let users = s.users[..cfg.users]
            .iter()
            .map(|u| UserView {
                registration: u.registration,
                bound: u.bound,
            })
            .collect();
        let messages = (0..cfg.messages)
            .map(|m| {
                let message = &s.messages[m];
                let active = message.cf == CfPhase::Active;
                let legs = s.legs[m][..cfg.users]
                    .iter()
                    .map(|leg| LegView {
                        accepted: leg.accepted,
                        store: leg.store,
                        cf: active.then_some(leg.cf),
                        reported: active.then_some(kinds(leg.reported)),
                        buffered: active.then_some(leg.buffered),
                        notified: leg.notified,
                    })
                    .collect();
                MessageView {
                    response: message.response.map(code_number),
                    cf: message.cf,
                    legs,
                }
            })
            .collect();
        Projection { users, messages }
    }

    /// The projection of a concrete run: its nodes' state now and the events it reported.
    pub fn of_run(stepper: &Stepper, history: &History) -> Projection {
        let cast = stepper.cast();
        let actors = stepper.actors();
        let users = cast
            .users
            .iter()
            .map(|u| {
                let registration = match actors.get(u.ua_lane) {
                    Some(Actor::UserAgent(ua)) => match ua.registration() {
                        UaRegistration::Unregistered { .. } => Registration::Offline,
                        UaRegistration::AwaitingRegisterResponse => Registration::Registering,
                        UaRegistration::Registered { .. } => Registration::Registered,
                    },
                    _ => Registration::Offline,
                };
                let bound = matches!(actors.get(u.server_lane),
                    Some(Actor::Participating(pf)) if pf.binding(&u.aor).is_some());
                UserView {
                    registration,
                    bound,
                }
            })
            .collect();
        let cf = match actors.get(cast.cf_lane) {
            Some(Actor::Controlling(cf)) => Some(cf),
            _ => None,
        };
        let mut messages = Vec::new();
        for (m, id) in stepper.message_ids().iter().enumerate() {
            let sender = history.sender_aor(m).unwrap_or_default();
            let state = id
                .as_deref()
                .and_then(|id| cf.and_then(|cf| cf.message_state(&sender, id)));
            let phase = match state {
                Some(_) => CfPhase::Active,
                None if history.freed(m) => CfPhase::Freed,
                None => CfPhase::Idle,
            };
            let legs = cast
                .users
                .iter()
                .enumerate()
                .map(|(r, user)| {
                    let mut view = LegView {
                        accepted: history.rendered(r, m),
                        store: store_of(
                            actors,
                            user.server_lane,
                            &user.aor,
                            id.as_deref(),
                            history.resolved(r, m),
                        ),
                        notified: [0, 1, 2].map(|i| history.notified(m, r, i)),
                        ..LegView::default()
                    };
                    if let Some(state) = state {
                        view.cf = Some(match state.leg(&user.aor) {
                            None => CfLeg::Unsent,
                            Some(ConcreteLeg::Pending) => CfLeg::Pending,
                            Some(ConcreteLeg::ReachedUserAgent) => CfLeg::ReachedUa,
                            Some(ConcreteLeg::Relayed) => CfLeg::Relayed,
                            Some(ConcreteLeg::Failed) => CfLeg::Failed,
                        });
                        let reported = state.reported().filter(|(who, _)| *who == user.aor);
                        view.reported = Some(reported.fold(0, |acc, (_, kind)| {
                            acc | if kind.starts_with("processing") {
                                KIND_PROCESSING
                            } else {
                                KIND_DELIVERY
                            }
                        }));
                        let buffered = state.buffered().filter(|(who, _)| *who == user.aor);
                        view.buffered = Some(buffered.fold(0, |acc, (_, n)| {
                            acc | super::history::status_bit(n.status_element())
                        }));
                    }
                    view
                })
                .collect();
            messages.push(MessageView {
                response: history.response(m),
                cf: phase,
                legs,
            });
        }
        Projection { users, messages }
    }

    /// Each field where `self` and `other` differ, as "path: self vs other".
    pub fn differences(&self, other: &Projection) -> Vec<String> {
        let mut out = Vec::new();
        for (u, (a, b)) in self.users.iter().zip(&other.users).enumerate() {
            if a != b {
                out.push(format!("users[{u}]: {a:?} vs {b:?}"));
            }
        }
        for (m, (a, b)) in self.messages.iter().zip(&other.messages).enumerate() {
            if a.response != b.response {
                out.push(format!(
                    "messages[{m}].response: {:?} vs {:?}",
                    a.response, b.response
                ));
            }
            if a.cf != b.cf {
                out.push(format!("messages[{m}].cf: {:?} vs {:?}", a.cf, b.cf));
            }
            for (r, (x, y)) in a.legs.iter().zip(&b.legs).enumerate() {
                if x != y {
                    out.push(format!("legs[{m}][{r}]: {x:?} vs {y:?}"));
                }
            }
        }
        if self.users.len() != other.users.len() || self.messages.len() != other.messages.len() {
            out.push("the two sides have different numbers of users or IMs".to_string());
        }
        out
    }
}

/// The deferred store of `aor`'s server for the IM `message_id`.
fn store_of(
    actors: &[Actor],
    lane: usize,
    aor: &str,
    message_id: Option<&str>,
    resolved: Option<Store>,
) -> Store {
    let (Some(Actor::Participating(pf)), Some(id)) = (actors.get(lane), message_id) else {
        return Store::Empty;
    };
    let store = pf.deferred_store();
    if store.get(aor, id).is_some() {
        return if store.in_flight(aor) == Some(id) {
            Store::Delivering
        } else {
            Store::Stored
        };
    }
    resolved.unwrap_or(Store::Empty)
}
