//! Which participating servers may still get a fan-out leg, and which would store one: what
//! the persistent-set rules need since a server stores a leg behind the copies it already holds
//! (see `server`, "Store order").
//!
//! A leg stored at a server takes the last place in its user's queue, so two legs stored at
//! one server do not commute (either order gives a different queue), and a leg arriving at a
//! bound server is proxied or stored depending on whether copies are still held there, which a
//! stored copy's 200 or its expiry changes. Both only matter at a server that stores: one whose
//! user is unbound or that holds a copy. A bound server that holds nothing keeps proxying until
//! a crash unbinds it (a crash in the budget makes every server shared anyway).

use crate::budget::drop_left;
use crate::config::Config;
use crate::message::{ImHop, Packet, ResponseHop};
use crate::state::{CfPhase, State};

/// The users whose servers would store a leg arriving now: unbound, or holding a copy.
pub(crate) fn storing_servers(cfg: &Config, s: &State) -> u32 {
    (0..cfg.users)
        .filter(|&u| !s.users[u].bound || s.legs[..cfg.messages].iter().any(|l| l[u].store.holds()))
        .fold(0, |bits, u| bits | 1 << u)
}

/// The users whose servers may still get a fan-out leg of an IM other than `except` (of every
/// IM if `None`): one in flight, one the CF still has to send (its IM not yet received from a
/// member sender), or one a lost response would make the CF send again.
pub(crate) fn legs_may_arrive(cfg: &Config, s: &State, except: Option<u8>) -> u32 {
    let fan_out_to_come = (0..cfg.messages as u8).any(|m| {
        Some(m) != except
            && s.messages[usize::from(m)].cf == CfPhase::Idle
            && cfg.is_member(cfg.sender[usize::from(m)])
    });
    let mut bits = if fan_out_to_come {
        (1u32 << cfg.members) - 1
    } else {
        0
    };
    for p in &s.network {
        if p.message().is_none() || p.message() == except {
            continue;
        }
        match *p {
            Packet::Im {
                hop: ImHop::CfToServer { r },
                ..
            } => bits |= 1 << r,
            Packet::Response {
                hop: ResponseHop::ServerToCf { r },
                ..
            } if cfg.retransmission && drop_left(cfg, s, p) => bits |= 1 << r,
            _ => {}
        }
    }
    bits
}
