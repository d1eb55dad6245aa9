//! The actions the checker explores: deliveries in any order (an offline user's REGISTER is in
//! flight from the start, so when it registers is a delivery order too), faults within budget
//! and timers. Which actions are enabled is a pure function of the state.

use serde::Serialize;

use crate::config::Config;
use crate::message::Packet;
use crate::scenario::Aggregation;
use crate::state::{CfLeg, CfPhase, State, Store};

/// One step of a behaviour.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum Action {
    /// The packet arrives at its next hop, which handles it.
    Deliver(Packet),
    /// The network loses this packet: with retransmission (only responses are offered) the
    /// client retransmits its request; without, the client's transaction times out.
    Drop(Packet),
    /// The network duplicates this packet.
    Duplicate(Packet),
    /// `T_agg` fires at the CF for message `m`: flush the aggregation buffer.
    AggregationFlush(u8),
    /// `T_exp` fires at recipient `r`'s server: the stored copy of `m` expires.
    DeferredExpiry {
        /// The message.
        m: u8,
        /// The recipient whose server stores it.
        r: u8,
    },
    /// `T_state` fires at the CF: the record for message `m` is freed.
    CfStateExpiry(u8),
    /// User `u`'s participating server crashes and restarts (store durable, bindings lost).
    Crash(u8),
}

/// True if the CF's `T_agg` for `m` can fire.
pub fn aggregation_flush_enabled(cfg: &Config, s: &State, m: u8) -> bool {
    let mi = usize::from(m);
    cfg.aggregation == Aggregation::Aggregate
        && cfg.aggregation_flush
        && s.messages[mi].cf == CfPhase::Active
        && s.legs[mi][..cfg.users].iter().any(|leg| leg.buffered != 0)
}

/// True if `T_state` for `m` can fire: the buffer is empty, every leg answered, and (unless the
/// CF frees state early) `T_state` outlasts every deferral plus delivery slack: no stored copy
/// of m is unresolved and nothing about m is still in flight.
pub fn cf_state_expiry_enabled(cfg: &Config, s: &State, m: u8) -> bool {
    let mi = usize::from(m);
    let legs = &s.legs[mi][..cfg.users];
    cfg.cf_state_expiry
        && s.messages[mi].cf == CfPhase::Active
        && legs
            .iter()
            .all(|leg| leg.buffered == 0 && leg.cf != CfLeg::Pending)
        && (cfg.variants.cf_frees_state_early
            || (legs
                .iter()
                .all(|leg| !matches!(leg.store, Store::Stored | Store::Delivering))
                && !s.network.iter().any(|p| p.message() == Some(m))))
}

/// True if `T_exp` for the copy of `m` stored at `r`'s server can fire.
pub fn deferred_expiry_enabled(cfg: &Config, s: &State, m: u8, r: u8) -> bool {
    let store = s.legs[usize::from(m)][usize::from(r)].store;
    cfg.deferred_expiry
        && (store == Store::Stored
            || (store == Store::Delivering && cfg.variants.deferred_delivered_and_expired))
}

/// True if server `u` may crash now: only when it holds a binding or a stored copy (a crash of
/// a server holding nothing changes nothing).
pub fn crash_enabled(cfg: &Config, s: &State, u: u8) -> bool {
    s.crashes_used < cfg.crashes_max
        && (s.users[usize::from(u)].bound
            || s.legs[..cfg.messages].iter().any(|legs| {
                matches!(
                    legs[usize::from(u)].store,
                    Store::Stored | Store::Delivering
                )
            }))
}

/// Appends every action enabled in `s` that is not about a packet in flight (timers, crashes),
/// in a fixed order.
pub fn local_actions(cfg: &Config, s: &State, actions: &mut Vec<Action>) {
    for m in 0..cfg.messages as u8 {
        if aggregation_flush_enabled(cfg, s, m) {
            actions.push(Action::AggregationFlush(m));
        }
        for r in 0..cfg.users as u8 {
            if deferred_expiry_enabled(cfg, s, m, r) {
                actions.push(Action::DeferredExpiry { m, r });
            }
        }
        if cf_state_expiry_enabled(cfg, s, m) {
            actions.push(Action::CfStateExpiry(m));
        }
    }
    for u in 0..cfg.users as u8 {
        if crash_enabled(cfg, s, u) {
            actions.push(Action::Crash(u));
        }
    }
}

/// Appends every action enabled in `s`, in a fixed order (deliveries first).
pub fn enabled_actions(cfg: &Config, s: &State, actions: &mut Vec<Action>) {
    let distinct = |i: usize| i == 0 || s.network[i - 1] != s.network[i];
    for (i, p) in s.network.iter().enumerate() {
        if distinct(i) {
            actions.push(Action::Deliver(*p));
        }
    }
    if s.drops_used < cfg.drops_max {
        for (i, p) in s.network.iter().enumerate() {
            if distinct(i)
                && (p.is_response() || !cfg.retransmission)
                && crate::budget::drop_left(cfg, s, p)
            {
                actions.push(Action::Drop(*p));
            }
        }
    }
    if s.duplicates_used < cfg.duplicates_max {
        for (i, p) in s.network.iter().enumerate() {
            if distinct(i) && crate::budget::duplicate_left(cfg, s, p) {
                actions.push(Action::Duplicate(*p));
            }
        }
    }
    local_actions(cfg, s, actions);
}

/// True if no action is enabled (a terminal state: every behaviour ends in one).
pub fn is_terminal(cfg: &Config, s: &State) -> bool {
    if !s.network.is_empty() {
        return false;
    }
    let mut actions = Vec::new();
    local_actions(cfg, s, &mut actions);
    actions.is_empty()
}
