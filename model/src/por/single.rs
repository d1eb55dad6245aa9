//! Persistent sets of one action: an action that may be explored alone.
//!
//! An enabled action is a persistent set on its own when it changes the state and is
//! independent of every action that can become enabled before it is taken. These rules also
//! keep it invisible to every safety property (no history field changes), which the argument
//! in the parent module does not need but which makes the reduced search meet violations in the
//! same states. Faults make copies of packets, so a delivery is never ample while a duplicate or a
//! drop of its packet is still possible: packet deliveries are ample only once the duplicate
//! budget is spent, and deliveries of responses (or that a lost response could repeat) only
//! once the drop budget is spent too. The ample kinds:
//!
//! - **A relay hop** at a participating server (the sender's IM towards the CF, the CF's answer
//!   towards the sender, an agent's 200 or IMDN towards the CF, a notification towards the
//!   sender). The relay is stateless: it replaces its packet by the next hop's packet about the
//!   same IM and touches no record, so only a duplicate or drop of that packet depends on it.
//! - **The sender's agent receiving its final response.** It writes only the sender's answer
//!   record, which no other action reads; S8 reads it, but a non-member only ever gets 403, which
//!   keeps S8 as it was.
//! - **An agent receiving its REGISTER's 200.** It writes only the agent's registration view,
//!   which only a crash of its server reads: ample once the crash budget is spent.
//! - **An agent receiving a fan-out copy.** It writes its own acceptance record (S9 cannot
//!   change: the known-bad re-delivery variant is excluded) and emits packets. The only other
//!   reader of that record is the sender's agent when a `delivered` for this recipient arrives,
//!   and in a CF that does not infer delivery from 202 such a notification only comes from this
//!   acceptance. It is ample when this packet is the only way the agent can get the IM before it
//!   is taken: no other copy in flight, no stored copy waiting, and (for a stored copy) no crash
//!   left that could make the server send it again.
//! - **A server receiving its agent's 200 for the stored copy.** It resolves the deferral as
//!   delivered and may send the next stored copy. Readers of those store records are the
//!   expiry timer of a stored copy, a crash, and a leg arriving (stored while copies are held,
//!   proxied once none is); so it is ample only with the crash budget spent (the server then
//!   stays bound), no other copy waiting for this user that could expire, no leg of any IM
//!   that may still arrive at this server (`arrivals`), and without the known-bad "delivered
//!   and expired" variant.
//! - **The CF receiving the sender's IM.** The first copy creates the CF's record and the legs
//!   (fan-out counts go from 0 to 1: S7 cannot change, the known-bad "fan-out includes the
//!   sender" variant excluded); a non-member's IM is answered 403 with no record. Every other
//!   CF action about this IM needs the record or a leg, so none can come first.
//! - **A bound server receiving a fan-out leg** while it holds no copy for its user. With its
//!   binding for good (crash budget spent) it proxies the leg to its agent without touching any
//!   record, and keeps doing so (it stores a leg only behind a held copy): a relay hop.
//! - **The sender receiving a notification** that changes no safety property (each entry
//!   requested, new, not contradicting an earlier one, `delivered` only after acceptance; its
//!   counters are the only fields those properties read, and only other receipts of the same
//!   IM write them). Receipts about one IM commute (saturating counts) except for R1's
//!   "aggregate before a deferred recipient's own IMDN" record, so a single about an initially
//!   registered recipient, or an aggregate of an IM with no offline recipient, qualifies; a
//!   network copy changes nothing and always qualifies.
//! - **`T_state`** in the correct design: it is enabled only when nothing about its IM is in
//!   flight, pending or stored, so no other action reads or writes its IM's records.

use super::arrivals::{legs_may_arrive, storing_servers};
use crate::action::Action;
use crate::config::Config;
use crate::message::{
    entries, entry_bit, status_index, ImHop, ImdnHop, Packet, ResponseHop, DELIVERED, FAILED,
};
use crate::state::{State, Store};

/// The index in `actions` of one action that is a persistent set on its own, if any.
pub(crate) fn single_ample(cfg: &Config, s: &State, actions: &[Action]) -> Option<usize> {
    actions.iter().position(|a| match *a {
        Action::CfStateExpiry(_) => !cfg.variants.cf_frees_state_early,
        Action::Deliver(p) => delivery_is_ample(cfg, s, p),
        _ => false,
    })
}

fn delivery_is_ample(cfg: &Config, s: &State, p: Packet) -> bool {
    // Budgets of this packet's fault group (the whole budget unless budgets are split).
    if crate::budget::duplicate_left(cfg, s, &p) {
        return false;
    }
    let drops_left = crate::budget::drop_left(cfg, s, &p);
    if is_relay(p) {
        return !(drops_left && (p.is_response() || !cfg.retransmission));
    }
    if drops_left {
        return false;
    }
    let crashes_spent = s.crashes_used >= cfg.crashes_max;
    match p {
        Packet::Response {
            hop: ResponseHop::ServerToSender,
            ..
        } => true,
        Packet::Im {
            hop: ImHop::ServerToCf,
            ..
        } => !cfg.variants.fanout_includes_sender,
        Packet::Im {
            hop: ImHop::CfToServer { r },
            ..
        } => crashes_spent && storing_servers(cfg, s) & 1 << r == 0,
        Packet::RegisterOk { .. } => crashes_spent,
        Packet::Imdn {
            m,
            r,
            status,
            hop: ImdnHop::ServerToSender,
            copy,
        } => {
            copy || (!cfg.starts_offline(r)
                && notification_is_invisible(cfg, s, m, entry_bit(r, status)))
        }
        Packet::Aggregate {
            m,
            entries,
            hop: ImdnHop::ServerToSender,
            copy,
        } => {
            copy || (cfg.recipients(m).all(|r| !cfg.starts_offline(r))
                && notification_is_invisible(cfg, s, m, entries))
        }
        Packet::Im {
            m,
            hop: ImHop::ServerToUser { r, stored },
        } => (crashes_spent || !stored) && agent_receipt_is_ample(cfg, s, m, r),
        Packet::Response {
            m,
            hop: ResponseHop::UserToServer { r, stored: true },
            ..
        } => crashes_spent && stored_copy_ok_is_ample(cfg, s, m, r),
        _ => false,
    }
}

/// True for a packet whose next hop is a stateless relay at a participating server.
fn is_relay(p: Packet) -> bool {
    match p {
        Packet::Im { hop, .. } => hop == ImHop::SenderToServer,
        Packet::Response { hop, .. } => matches!(
            hop,
            ResponseHop::CfToServer | ResponseHop::UserToServer { stored: false, .. }
        ),
        Packet::Imdn { hop, .. } | Packet::Aggregate { hop, .. } => {
            matches!(hop, ImdnHop::UserToServer | ImdnHop::CfToServer)
        }
        Packet::Register { .. } | Packet::RegisterOk { .. } => false,
    }
}

/// True if the sender taking a notification about `m` with these entries keeps every safety
/// property as it is: each status requested, heard of for the first time, not contradicting
/// an earlier one, and a `delivered` only for an agent that accepted `m`.
fn notification_is_invisible(cfg: &Config, s: &State, m: u8, set: u32) -> bool {
    entries(set).all(|(r, status)| {
        let leg = &s.legs[usize::from(m)][usize::from(r)];
        let heard = |st: u8| leg.notified[status_index(st)] > 0;
        cfg.requests(m, status)
            && !heard(status)
            && match status {
                DELIVERED => leg.accepted > 0 && !heard(FAILED),
                FAILED => !heard(DELIVERED),
                _ => true,
            }
    })
}

/// True if agent `r` receiving a copy of `m` is independent and invisible (see module docs).
fn agent_receipt_is_ample(cfg: &Config, s: &State, m: u8, r: u8) -> bool {
    if cfg.variants.cf_counts_202_as_delivered || cfg.variants.ua_redelivers_retransmitted_im {
        return false;
    }
    let leg = &s.legs[usize::from(m)][usize::from(r)];
    if leg.accepted > 0 {
        return true;
    }
    let copies = s
        .network
        .iter()
        .filter(|q| match **q {
            Packet::Im {
                m: qm,
                hop: ImHop::CfToServer { r: qr } | ImHop::ServerToUser { r: qr, .. },
            } => qm == m && qr == r,
            _ => false,
        })
        .count();
    copies == 1 && leg.store != Store::Stored
}

/// True if server `r` taking its agent's 200 for the stored copy of `m` is independent and
/// invisible (see module docs).
fn stored_copy_ok_is_ample(cfg: &Config, s: &State, m: u8, r: u8) -> bool {
    let ri = usize::from(r);
    !cfg.variants.deferred_delivered_and_expired
        && legs_may_arrive(cfg, s, None) & 1 << r == 0
        && (!cfg.deferred_expiry
            || s.legs[..cfg.messages]
                .iter()
                .enumerate()
                .all(|(other, legs)| other == usize::from(m) || legs[ri].store != Store::Stored))
}
