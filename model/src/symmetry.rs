//! Symmetry reduction: recipients with the same role and the same initial state are
//! interchangeable, so a state and its image under a permutation of such recipients have the
//! same futures and the same verdicts.
//!
//! # Why it is sound
//! Two users are interchangeable when neither sends any IM and both have the same membership,
//! the same initial registration and the same "stays offline" flag. Every transition rule treats
//! users only through these attributes and through their own records (never through their
//! index order: fan-out, flushes and stored-copy delivery order do not depend on recipient
//! ids), and every property quantifies over all recipients alike, so permuting interchangeable
//! users is an automorphism of the transition system that preserves every property. The
//! representative is always a permutation of the state, hence in the same orbit: states with
//! one representative are bisimilar and agree on every property, which is the checker's
//! soundness contract. The representative sorts each class by a key of the user's own records
//! and the packets naming it; ties can leave two representatives for one orbit, which costs
//! reduction, never soundness.

use crate::config::Config;
use crate::limits::USERS_MAX;
use crate::message::{entries, entry_bit, ImHop, Packet, ResponseHop};
use crate::packing::pack_packet;
use crate::state::{Leg, State, UserState};

/// The classes of interchangeable users (each sorted, only classes of two or more).
pub fn classes(cfg: &Config) -> Vec<Vec<u8>> {
    let senders: u8 = cfg.sender[..cfg.messages]
        .iter()
        .fold(0, |acc, s| acc | 1 << s);
    let role = |u: u8| {
        (
            cfg.is_member(u),
            cfg.starts_offline(u),
            cfg.stays_offline & (1 << u) != 0,
        )
    };
    let mut classes: Vec<Vec<u8>> = Vec::new();
    for u in 0..cfg.users as u8 {
        if senders & (1 << u) != 0 {
            continue;
        }
        match classes.iter_mut().find(|c| role(c[0]) == role(u)) {
            Some(class) => class.push(u),
            None => classes.push(vec![u]),
        }
    }
    classes.retain(|c| c.len() >= 2);
    classes
}

/// Sort key of user `u`: its own records, then the packets that name it, with it blanked out.
fn key(cfg: &Config, s: &State, u: u8) -> (UserState, Vec<Leg>, Vec<Packet>) {
    let ui = usize::from(u);
    let legs = s.legs[..cfg.messages].iter().map(|l| l[ui]).collect();
    let mut packets: Vec<Packet> = s.network.iter().filter_map(|p| own_view(*p, u)).collect();
    packets.sort_unstable();
    (s.users[ui], legs, packets)
}

/// The part of packet `p` about user `u`, with `u` replaced by a placeholder; `None` if `p` does
/// not name `u`.
fn own_view(p: Packet, u: u8) -> Option<Packet> {
    const BLANK: u8 = u8::MAX;
    if let Packet::Aggregate {
        m,
        entries: set,
        hop,
        copy,
    } = p
    {
        let own: u32 = entries(set)
            .filter(|(r, _)| *r == u)
            .fold(0, |acc, (_, st)| acc | entry_bit(0, st));
        return (own != 0).then_some(Packet::Aggregate {
            m,
            entries: own,
            hop,
            copy,
        });
    }
    let mut named = false;
    let view = rename(p, &mut |v| {
        if v == u {
            named = true;
            BLANK
        } else {
            v
        }
    });
    named.then_some(view)
}

/// Packet `p` with every user id `v` it names replaced by `f(v)`.
fn rename(p: Packet, f: &mut dyn FnMut(u8) -> u8) -> Packet {
    match p {
        Packet::Im { m, hop } => Packet::Im {
            m,
            hop: match hop {
                ImHop::CfToServer { r } => ImHop::CfToServer { r: f(r) },
                ImHop::ServerToUser { r, stored } => ImHop::ServerToUser { r: f(r), stored },
                other => other,
            },
        },
        Packet::Response { m, code, hop } => Packet::Response {
            m,
            code,
            hop: match hop {
                ResponseHop::UserToServer { r, stored } => {
                    ResponseHop::UserToServer { r: f(r), stored }
                }
                ResponseHop::ServerToCf { r } => ResponseHop::ServerToCf { r: f(r) },
                other => other,
            },
        },
        Packet::Imdn {
            m,
            r,
            status,
            hop,
            copy,
        } => Packet::Imdn {
            m,
            r: f(r),
            status,
            hop,
            copy,
        },
        Packet::Aggregate {
            m,
            entries: set,
            hop,
            copy,
        } => Packet::Aggregate {
            m,
            entries: entries(set).fold(0, |acc, (r, st)| acc | entry_bit(f(r), st)),
            hop,
            copy,
        },
        Packet::Register { u } => Packet::Register { u: f(u) },
        Packet::RegisterOk { u } => Packet::RegisterOk { u: f(u) },
    }
}

/// `s` with user `old` moved to `to[old]` for every user.
pub fn permute(cfg: &Config, s: &State, to: &[u8; USERS_MAX]) -> State {
    let mut out = s.clone();
    for (old, new) in to.iter().enumerate().take(cfg.users) {
        let new = usize::from(*new);
        out.users[new] = s.users[old];
        for m in 0..cfg.messages {
            out.legs[m][new] = s.legs[m][old];
        }
    }
    for m in 0..cfg.messages {
        let bits = s.messages[m].notified_users;
        out.messages[m].notified_users = (0..cfg.users)
            .filter(|u| bits & (1 << u) != 0)
            .fold(0, |acc, u| acc | 1 << to[u]);
    }
    for p in out.network.iter_mut() {
        *p = rename(*p, &mut |v| to[usize::from(v)]);
    }
    out.network.sort_unstable_by_key(pack_packet);
    out
}

/// The representative of `s`: each class of interchangeable users sorted by its key.
pub fn representative(cfg: &Config, classes: &[Vec<u8>], s: &State) -> State {
    let mut to = [0u8; USERS_MAX];
    for (u, slot) in to.iter_mut().enumerate() {
        *slot = u as u8;
    }
    let mut moved = false;
    for class in classes {
        let mut keyed: Vec<_> = class.iter().map(|u| (key(cfg, s, *u), *u)).collect();
        keyed.sort();
        for (slot, (_, old)) in class.iter().zip(keyed) {
            to[usize::from(old)] = *slot;
            moved |= old != *slot;
        }
    }
    if moved {
        permute(cfg, s, &to)
    } else {
        s.clone()
    }
}
