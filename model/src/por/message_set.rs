//! Persistent sets made of every enabled action about one group IM.
//!
//! Two group IMs share almost nothing: the CF keeps one record per IM, a user agent one
//! acceptance record per (IM, user), the sender one answer and one set of notification counters
//! per IM, and a participating server relays without state. An action about IM m (a delivery,
//! drop or duplicate of one of m's packets, or one of m's timers) reads and writes only m's
//! records and m's packets, with three exceptions, which are the whole of this module's rules:
//!
//! - **Fault budgets** are shared: a drop (or duplicate) of m's packet and one of another
//!   packet compete for the same budget, so one can disable the other. The set of IM m is
//!   refused while it holds a drop and drops are left, or a duplicate and duplicates are left,
//!   unless the budgets are split between the IMs (`budget`): then each IM spends only its own
//!   allowance, which no other action reads or writes.
//! - **A participating server's binding and deferred store** are shared by every IM sent to its
//!   user: REGISTER binds the user and sends the oldest stored copy of any IM; a crash unbinds it
//!   and turns copies in delivery back into stored ones; the 200 for a stored copy, a stored
//!   copy's timeout and its expiry send the next stored copy, of whichever IM it is. Call user
//!   r's server *shared* with another IM when a crash is still in the budget, when a REGISTER of
//!   r is in flight (or, without retransmission, its 200, whose loss sends REGISTER again),
//!   when another IM has a copy stored or in delivery there, or when a leg of another IM may
//!   still arrive there while the server stores legs (its user unbound, or copies held): a
//!   stored leg takes the last place in the user's queue, so two stored legs do not commute,
//!   and a held copy's resolution decides whether a later leg is stored or proxied (see
//!   `arrivals`). The set of IM m is refused if it holds an action that reads or writes r's
//!   binding or store (a fan-out leg reaching r's server, the 200 for or the loss of a stored
//!   copy, `T_exp`) or m has a copy stored or in delivery at r, while r's server is shared.
//! - **Global actions** (REGISTER and its 200, crashes) belong to no IM. A REGISTER's 200 only
//!   writes the agent's own registration view, which only a crash reads; REGISTER and crashes
//!   touch only bindings and stores, covered by the rule above.
//!
//! Outside such a set there are then only actions about other IMs and global actions, none of
//! which (now or after any number of them) reads or writes what an action of the set reads or
//! writes: the set is persistent, and the parent module's argument applies. The rules are
//! conservative: they refuse a set whenever a shared resource could be touched, never weigh
//! whether it actually will.

use super::arrivals::{legs_may_arrive, storing_servers};
use crate::action::Action;
use crate::config::Config;
use crate::message::{ImHop, Packet, ResponseHop};
use crate::state::{State, Store};

/// The group IM an action is about, or `None` for a global action (REGISTER, its 200, crash).
pub fn action_message(action: &Action) -> Option<u8> {
    match *action {
        Action::Deliver(p) | Action::Drop(p) | Action::Duplicate(p) => p.message(),
        Action::AggregationFlush(m) | Action::CfStateExpiry(m) => Some(m),
        Action::DeferredExpiry { m, .. } => Some(m),
        Action::Crash(_) => None,
    }
}

/// The user whose participating server's binding or deferred store `action` reads or writes.
fn server_touched(cfg: &Config, action: &Action) -> Option<u8> {
    match *action {
        Action::Deliver(Packet::Im {
            hop: ImHop::CfToServer { r },
            ..
        })
        | Action::Deliver(Packet::Response {
            hop: ResponseHop::UserToServer { r, stored: true },
            ..
        })
        | Action::DeferredExpiry { r, .. } => Some(r),
        Action::Drop(
            Packet::Im {
                hop: ImHop::ServerToUser { r, stored: true },
                ..
            }
            | Packet::Response {
                hop: ResponseHop::UserToServer { r, stored: true },
                ..
            },
        ) if !cfg.retransmission => Some(r),
        _ => None,
    }
}

/// The users whose servers may be touched by an action about another IM than `m`, or by a
/// REGISTER or a crash (see module docs), as a bitset over users; one pass over the network and
/// the stores.
fn shared_servers(cfg: &Config, s: &State, m: u8) -> u32 {
    let all = (1u32 << cfg.users) - 1;
    if s.crashes_used < cfg.crashes_max {
        return all;
    }
    let mut shared = 0u32;
    for p in &s.network {
        match *p {
            Packet::Register { u } => shared |= 1 << u,
            Packet::RegisterOk { u } if !cfg.retransmission => shared |= 1 << u,
            _ => {}
        }
    }
    for other in (0..cfg.messages as u8).filter(|&other| other != m) {
        shared |= holding_copies(cfg, s, other);
    }
    shared |= legs_may_arrive(cfg, s, Some(m)) & storing_servers(cfg, s);
    shared & all
}

/// The users whose servers hold a copy of IM `m` stored or in delivery, as a bitset.
fn holding_copies(cfg: &Config, s: &State, m: u8) -> u32 {
    s.legs[usize::from(m)][..cfg.users]
        .iter()
        .enumerate()
        .filter(|(_, leg)| matches!(leg.store, Store::Stored | Store::Delivering))
        .fold(0, |bits, (r, _)| bits | 1 << r)
}

/// True if the enabled actions about `m` form a persistent set (see module docs).
fn is_persistent(cfg: &Config, s: &State, m: u8, actions: &[Action]) -> bool {
    // With split budgets each IM spends only its own allowance: no competition.
    let budgets_shared = !crate::budget::split(cfg);
    let drops_left = budgets_shared && s.drops_used < cfg.drops_max;
    let duplicates_left = budgets_shared && s.duplicates_used < cfg.duplicates_max;
    let mut servers = 0u32;
    for action in actions.iter().filter(|a| action_message(a) == Some(m)) {
        match action {
            Action::Drop(_) if drops_left => return false,
            Action::Duplicate(_) if duplicates_left => return false,
            _ => {}
        }
        if let Some(r) = server_touched(cfg, action) {
            servers |= 1 << r;
        }
    }
    (servers | holding_copies(cfg, s, m)) & shared_servers(cfg, s, m) == 0
}

/// Pushes onto `chosen` the indices of the enabled actions about the IM with the fewest of them
/// whose set is persistent and smaller than all of `actions`; pushes nothing if none is.
pub(crate) fn smallest_message_set(
    cfg: &Config,
    s: &State,
    actions: &[Action],
    chosen: &mut Vec<usize>,
) {
    let mut best: Option<(usize, u8)> = None;
    for m in 0..cfg.messages as u8 {
        let size = actions
            .iter()
            .filter(|a| action_message(a) == Some(m))
            .count();
        if size == 0 || size == actions.len() || best.is_some_and(|(fewest, _)| fewest <= size) {
            continue;
        }
        if is_persistent(cfg, s, m, actions) {
            best = Some((size, m));
        }
    }
    if let Some((_, m)) = best {
        chosen.extend(
            actions
                .iter()
                .enumerate()
                .filter(|(_, a)| action_message(a) == Some(m))
                .map(|(index, _)| index),
        );
    }
}
