//! What the Controlling Function and the participating servers sent: S7 (fan-out to every
//! member but the sender, once), S8 (a non-member's IM gets 403, no fan-out, no IMDN) and S10
//! (only a final user agent answers 200; nobody reports delivery because of a 202).

use super::context::Context;
use super::wire::StartLine;
use super::Monitored;
use crate::node::Event;
use crate::sim::{Happening, Role};
use imflow_model::PropertyId;
use std::collections::{HashMap, HashSet};

/// Checks S7, S8 and S10.
pub(super) fn check(ctx: &mut Context<'_>) {
    let mut found: Vec<(PropertyId, usize, String)> = Vec::new();
    let cf = ctx.cast().cf_lane;
    let mut legs: HashMap<(&str, usize), &str> = HashMap::new();
    let mut got_200: HashSet<(usize, &str, u32)> = HashSet::new();
    let mut rendered: HashSet<(usize, String)> = HashSet::new();
    for (i, entry) in ctx.run.entries.iter().enumerate() {
        if let Happening::Event(Event::ImRendered {
            user, message_id, ..
        }) = &entry.what
        {
            if let Some(u) = ctx.user(user) {
                rendered.insert((u, message_id.clone()));
            }
            continue;
        }
        let Some(f) = ctx.facts.get(i).and_then(Option::as_ref) else {
            continue;
        };
        // S10: a 200 to a MESSAGE from anyone but a user agent must relay a 200 it received.
        if f.status() == Some(200) && f.cseq_method == "MESSAGE" {
            if let Some(to) = entry.delivered_to() {
                got_200.insert((to, f.call_id, f.cseq));
            }
            let relayed = got_200.contains(&(entry.lane, f.call_id, f.cseq));
            let is_ua = matches!(
                ctx.cast().roles.get(entry.lane),
                Some(Role::UserAgent { .. })
            );
            if !is_ua && !relayed {
                found.push((
                    PropertyId::S10,
                    i,
                    format!(
                        "{} answered a MESSAGE with 200 without a user agent's 200 to relay",
                        lane(ctx, entry.lane)
                    ),
                ));
            }
        }
        if entry.lane != cf || f.method() != Some("MESSAGE") {
            continue;
        }
        // S10: the CF reports `delivered` only for a recipient whose agent accepted the IM.
        if let Some(imdn) = f.imdn() {
            for e in &imdn.entries {
                let r = ctx.user(&e.recipient);
                let accepted = r.is_some_and(|r| rendered.contains(&(r, e.message_id.clone())));
                if e.notification.status_element() == "delivered" && !accepted {
                    found.push((
                        PropertyId::S10,
                        i,
                        format!(
                            "the CF reports {} `delivered` for {} before its agent accepted it",
                            e.recipient, e.message_id
                        ),
                    ));
                }
                if ctx
                    .ims
                    .get(e.message_id.as_str())
                    .is_some_and(|im| non_member(ctx, im.sender))
                {
                    found.push((
                        PropertyId::S8,
                        i,
                        format!("the CF sent an IMDN for the non-member IM {}", e.message_id),
                    ));
                }
            }
        }
        // S7 / S8: each fan-out leg of an IM.
        let (Some(im), StartLine::Request { uri, .. }) = (f.im(), &f.start) else {
            continue;
        };
        let Some(id) = im.message_id else { continue };
        let Some(info) = ctx.ims.get(id) else {
            continue;
        };
        if non_member(ctx, info.sender) {
            found.push((
                PropertyId::S8,
                i,
                format!("the CF fanned out the non-member IM {id}"),
            ));
            continue;
        }
        let target = ctx
            .user(uri)
            .or_else(|| im.to.first().and_then(|t| ctx.user(t)));
        let Some(target) = target else {
            found.push((
                PropertyId::S7,
                i,
                format!("the CF fanned out IM {id} to {uri}, who is not a member"),
            ));
            continue;
        };
        let member = ctx.cast().users.get(target).is_some_and(|u| u.member);
        if !member || Some(target) == info.sender {
            found.push((
                PropertyId::S7,
                i,
                format!(
                    "the CF fanned out IM {id} to {}, {}",
                    ctx.name(target),
                    if member { "its sender" } else { "not a member" }
                ),
            ));
        }
        match legs.get(&(id, target)) {
            Some(call_id) if *call_id != f.call_id => found.push((
                PropertyId::S7,
                i,
                format!("the CF fanned out IM {id} to {} twice", ctx.name(target)),
            )),
            Some(_) => {}
            None => {
                legs.insert((id, target), f.call_id);
            }
        }
    }
    s8_answers(ctx, &mut found);
    for (p, i, detail) in found {
        ctx.violate(Monitored::Model(p), i, detail);
    }
}

fn lane(ctx: &Context<'_>, lane: usize) -> String {
    ctx.cast().lanes.get(lane).cloned().unwrap_or_default()
}

fn non_member(ctx: &Context<'_>, sender: Option<usize>) -> bool {
    sender.is_some_and(|s| ctx.cast().users.get(s).is_some_and(|u| !u.member))
}

/// S8: a non-member's group IM is answered 403 (a local 408 after faults proves nothing), and
/// no IMDN about it reaches anyone.
fn s8_answers(ctx: &Context<'_>, found: &mut Vec<(PropertyId, usize, String)>) {
    for (i, entry) in ctx.run.entries.iter().enumerate() {
        let Happening::Event(event) = &entry.what else {
            continue;
        };
        let (message_id, what) = match event {
            Event::ImAnswered {
                message_id, status, ..
            } if *status != 403 && *status != 408 => (message_id, format!("answered {status}")),
            Event::ImdnRendered { message_id, .. } => (message_id, "notified".to_string()),
            _ => continue,
        };
        let Some(im) = ctx.ims.get(message_id.as_str()) else {
            continue;
        };
        if im.to_group && non_member(ctx, im.sender) {
            found.push((
                PropertyId::S8,
                i,
                format!("the non-member IM {message_id} was {what}"),
            ));
        }
    }
}
