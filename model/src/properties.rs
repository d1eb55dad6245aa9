//! The catalogue's model-level properties as predicates over one state.
//!
//! Safety properties read history fields kept in the state, so each is a state predicate
//! (stateright `always`). Liveness properties are stable facts that must hold in every terminal
//! state (`always(terminal => fact)`); with the termination proof (`rank`) that is sound
//! (DESIGN.md section 4). R1 is `sometimes`.

use stateright::Property;

use crate::action::is_terminal;
use crate::message::{status_index, DELIVERED, FAILED, STATUSES};
use crate::model::GroupImModel;
use crate::property::{PropertyId, PropertyKind};
use crate::state::{
    CfLeg, CfPhase, Leg, State, Store, DELIVERED_BEFORE_ACCEPT, DELIVERY_INFERRED_FROM_202,
    RELAY_ANSWERED_200, STORE_DELIVERED, STORE_EXPIRED,
};

/// The stateright property for one catalogue entry, named by its label.
pub fn property(id: PropertyId) -> Property<GroupImModel> {
    let condition: fn(&GroupImModel, &State) -> bool = match id {
        PropertyId::S1 => s1_requested_only,
        PropertyId::S2 => s2_one_notification_per_recipient,
        PropertyId::S3 => s3_delivered_means_received,
        PropertyId::S4 => s4_delivered_xor_failed,
        PropertyId::S5 => s5_notifications_only_to_sender,
        PropertyId::S7 => s7_fan_out_once_without_sender,
        PropertyId::S8 => s8_non_member_rejected,
        PropertyId::S9 => s9_at_most_once_delivery,
        PropertyId::S10 => s10_relay_answers_202,
        PropertyId::L2 => |model, s| terminal_implies(model, s, l2_fan_out_completed),
        PropertyId::L3 => |model, s| terminal_implies(model, s, l3_deferred_resolved),
        PropertyId::L4 => |model, s| terminal_implies(model, s, l4_every_recipient_accounted),
        PropertyId::L5 => |model, s| terminal_implies(model, s, l5_cf_state_freed),
        PropertyId::R1 => r1_seed_flow_reached,
    };
    match id.kind() {
        PropertyKind::Safety | PropertyKind::Liveness => Property::always(id.label(), condition),
        PropertyKind::Reachability => Property::sometimes(id.label(), condition),
    }
}

fn terminal_implies(
    model: &GroupImModel,
    s: &State,
    fact: fn(&GroupImModel, &State) -> bool,
) -> bool {
    fact(model, s) || !is_terminal(model.config(), s)
}

fn legs<'a>(model: &'a GroupImModel, s: &'a State) -> impl Iterator<Item = (u8, u8, &'a Leg)> + 'a {
    let cfg = model.config();
    s.legs[..cfg.messages]
        .iter()
        .enumerate()
        .flat_map(move |(m, legs)| {
            legs[..cfg.users]
                .iter()
                .enumerate()
                .map(move |(r, leg)| (m as u8, r as u8, leg))
        })
}

/// S1: the sender never receives a notification of a status it did not request.
pub fn s1_requested_only(model: &GroupImModel, s: &State) -> bool {
    legs(model, s).all(|(m, _, leg)| {
        STATUSES
            .iter()
            .all(|st| leg.notified[status_index(*st)] == 0 || model.config().requests(m, *st))
    })
}

/// S2: the sender receives each (m, r, status) at most once, single or aggregated.
pub fn s2_one_notification_per_recipient(model: &GroupImModel, s: &State) -> bool {
    legs(model, s).all(|(_, _, leg)| leg.notified.iter().all(|n| *n <= 1))
}

/// S3: a `delivered` for (m, r) reached the sender only after r's agent accepted m.
pub fn s3_delivered_means_received(model: &GroupImModel, s: &State) -> bool {
    legs(model, s).all(|(_, _, leg)| leg.history & DELIVERED_BEFORE_ACCEPT == 0)
}

/// S4: never both `delivered` and `failed` for (m, r); a stored copy is never resolved both
/// as delivered and as expired.
pub fn s4_delivered_xor_failed(model: &GroupImModel, s: &State) -> bool {
    let both = STORE_DELIVERED | STORE_EXPIRED;
    legs(model, s).all(|(_, _, leg)| {
        !(leg.notified[status_index(DELIVERED)] > 0 && leg.notified[status_index(FAILED)] > 0)
            && leg.history & both != both
    })
}

/// S5: only the sender of m ever receives a notification about m.
pub fn s5_notifications_only_to_sender(model: &GroupImModel, s: &State) -> bool {
    let cfg = model.config();
    (0..cfg.messages).all(|m| s.messages[m].notified_users & !(1u8 << cfg.sender[m]) == 0)
}

/// S7: the CF fans out to members only, never to the sender, and to each at most once.
pub fn s7_fan_out_once_without_sender(model: &GroupImModel, s: &State) -> bool {
    let cfg = model.config();
    legs(model, s).all(|(m, r, leg)| {
        leg.fanout <= 1
            && (leg.fanout == 0 || (cfg.is_member(r) && r != cfg.sender[usize::from(m)]))
    })
}

/// S8: a non-member's IM is never accepted (no 200 or 202: 403, or only its own timeout), no
/// fan-out and no notification.
pub fn s8_non_member_rejected(model: &GroupImModel, s: &State) -> bool {
    let cfg = model.config();
    (0..cfg.messages).all(|m| {
        cfg.is_member(cfg.sender[m])
            || (!matches!(
                s.messages[m].response,
                Some(crate::message::Code::Ok200 | crate::message::Code::Accepted202)
            ) && s.messages[m].cf == CfPhase::Idle
                && s.messages[m].notified_users == 0
                && s.legs[m][..cfg.users].iter().all(|leg| leg.fanout == 0))
    })
}

/// S9: no agent hands a message to its user twice.
pub fn s9_at_most_once_delivery(model: &GroupImModel, s: &State) -> bool {
    legs(model, s).all(|(_, _, leg)| leg.accepted <= 1)
}

/// S10: no server answers 200 for a copy it stored, and the CF never infers delivery from 202.
pub fn s10_relay_answers_202(model: &GroupImModel, s: &State) -> bool {
    legs(model, s)
        .all(|(_, _, leg)| leg.history & (RELAY_ANSWERED_200 | DELIVERY_INFERRED_FROM_202) == 0)
}

/// L2 fact: every IM the CF accepted has a final answer on the leg of every member but the sender.
pub fn l2_fan_out_completed(model: &GroupImModel, s: &State) -> bool {
    let cfg = model.config();
    (0..cfg.messages as u8).all(|m| {
        s.messages[usize::from(m)].cf == CfPhase::Idle
            || cfg.recipients(m).all(|r| {
                matches!(
                    s.legs[usize::from(m)][usize::from(r)].cf,
                    CfLeg::ReachedUa | CfLeg::Relayed | CfLeg::Failed
                )
            })
    })
}

/// L3 fact: no stored copy is unresolved, and each expired copy produced a `failed` at the
/// sender iff negative-delivery was requested.
pub fn l3_deferred_resolved(model: &GroupImModel, s: &State) -> bool {
    let cfg = model.config();
    legs(model, s).all(|(m, _, leg)| match leg.store {
        Store::Stored | Store::Delivering => false,
        Store::Expired => (leg.notified[status_index(FAILED)] > 0) == cfg.requests(m, FAILED),
        Store::Empty | Store::Delivered => true,
    })
}

/// L4 fact: if positive-delivery was requested, every recipient whose agent accepted m has been
/// reported `delivered` to the sender.
pub fn l4_every_recipient_accounted(model: &GroupImModel, s: &State) -> bool {
    let cfg = model.config();
    legs(model, s).all(|(m, _, leg)| {
        !cfg.requests(m, DELIVERED)
            || leg.accepted == 0
            || leg.notified[status_index(DELIVERED)] > 0
    })
}

/// L5 fact: every aggregation buffer is empty and no per-message CF record is still held.
pub fn l5_cf_state_freed(model: &GroupImModel, s: &State) -> bool {
    let cfg = model.config();
    (0..cfg.messages).all(|m| s.messages[m].cf != CfPhase::Active)
        && legs(model, s).all(|(_, _, leg)| leg.buffered == 0)
}

/// R1: a behaviour has ended (terminal state: every message delivered and answered, every
/// REGISTER answered) in which, for some IM, the sender got exactly one aggregated IMDN covering
/// every initially registered recipient and, after it, each initially offline recipient's own
/// `delivered` IMDN, for the copy its server stored (the CF's leg got 202) and delivered after
/// the recipient registered.
pub fn r1_seed_flow_reached(model: &GroupImModel, s: &State) -> bool {
    let cfg = model.config();
    let shape = (0..cfg.messages as u8).any(|m| {
        let message = &s.messages[usize::from(m)];
        message.aggregates_received == 1
            && !message.deferred_before_aggregate
            && cfg.recipients(m).all(|r| {
                let leg = &s.legs[usize::from(m)][usize::from(r)];
                let once = leg.notified[status_index(DELIVERED)] == 1;
                if cfg.starts_offline(r) {
                    once && !leg.via_aggregate && leg.cf == CfLeg::Relayed
                } else {
                    once && leg.via_aggregate
                }
            })
    });
    shape && is_terminal(cfg, s)
}
