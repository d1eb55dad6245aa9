//! L2 to L5, checked on the final state of a quiescent run (terminal-state safety, as the model
//! checks them): nothing more can happen, so what has not happened never will.

use super::context::Context;
use super::wire::StartLine;
use super::Monitored;
use crate::cpim::Disposition;
use crate::node::Event;
use crate::sim::{aor_key, Happening};
use imflow_model::PropertyId;
use std::collections::{HashMap, HashSet};

/// Checks L2, L3, L4 and L5 at the last step.
pub(super) fn check(ctx: &mut Context<'_>) {
    let cf = ctx.cast().cf_lane;
    let mut im_calls: HashMap<&str, &str> = HashMap::new();
    let mut accepted: Vec<String> = Vec::new();
    let mut offered: HashSet<(String, usize)> = HashSet::new();
    for (_, entry, f) in ctx.transmits() {
        match (&f.start, f.im()) {
            (StartLine::Request { .. }, Some(im)) if entry.delivered_to() == Some(cf) => {
                if let Some(id) = im.message_id {
                    im_calls.insert(f.call_id, id);
                }
            }
            (StartLine::Request { uri, .. }, Some(im)) if entry.lane == cf => {
                if let (Some(id), Some(u)) = (im.message_id, ctx.user(uri)) {
                    offered.insert((id.to_string(), u));
                }
            }
            (StartLine::Response { status: 202, .. }, _) if entry.lane == cf => {
                if let Some(id) = im_calls.get(f.call_id) {
                    if !accepted.iter().any(|a| a == id) {
                        accepted.push(id.to_string());
                    }
                }
            }
            _ => {}
        }
    }
    let mut rendered: Vec<(String, String)> = Vec::new();
    let mut notified: HashSet<(String, String, String)> = HashSet::new();
    let mut stored: Vec<(String, String, String)> = Vec::new();
    let mut resolved: HashMap<(String, String, String), bool> = HashMap::new();
    let mut freed: HashSet<String> = HashSet::new();
    for entry in &ctx.run.entries {
        let Happening::Event(event) = &entry.what else {
            continue;
        };
        match event {
            Event::ImRendered {
                user, message_id, ..
            } => rendered.push((aor_key(user).to_string(), message_id.clone())),
            Event::ImdnRendered {
                message_id,
                recipient,
                status,
                ..
            } => {
                notified.insert((
                    message_id.clone(),
                    aor_key(recipient).to_string(),
                    status.clone(),
                ));
            }
            Event::Stored {
                server,
                user,
                message_id,
            } => stored.push((
                server.clone(),
                aor_key(user).to_string(),
                message_id.clone(),
            )),
            Event::StoredDelivered {
                server,
                user,
                message_id,
            } => {
                resolved.insert(
                    (
                        server.clone(),
                        aor_key(user).to_string(),
                        message_id.clone(),
                    ),
                    true,
                );
            }
            Event::StoredExpired {
                server,
                user,
                message_id,
            } => {
                resolved.insert(
                    (
                        server.clone(),
                        aor_key(user).to_string(),
                        message_id.clone(),
                    ),
                    false,
                );
            }
            Event::MessageStateFreed { message_id } => {
                freed.insert(message_id.clone());
            }
            _ => {}
        }
    }
    let mut found: Vec<(PropertyId, String)> = Vec::new();
    for id in &accepted {
        let Some(im) = ctx.ims.get(id.as_str()) else {
            continue;
        };
        for (u, user) in ctx.cast().users.iter().enumerate() {
            if user.member && Some(u) != im.sender && !offered.contains(&(id.clone(), u)) {
                found.push((
                    PropertyId::L2,
                    format!("IM {id} was never offered to {}", user.name),
                ));
            }
        }
        if !freed.contains(id) {
            found.push((
                PropertyId::L5,
                format!("the CF never freed its state for IM {id}"),
            ));
        }
    }
    for copy in &stored {
        let (server, user, id) = copy;
        match resolved.get(copy) {
            None => found.push((
                PropertyId::L3,
                format!("{server}'s stored copy of {id} for {user} was never resolved"),
            )),
            Some(false) => {
                let asked = ctx
                    .ims
                    .get(id.as_str())
                    .is_some_and(|im| im.dispositions.contains(Disposition::NegativeDelivery));
                let failed = notified.contains(&(id.clone(), user.clone(), "failed".to_string()));
                if asked != failed {
                    found.push((
                        PropertyId::L3,
                        format!(
                            "{server}'s copy of {id} for {user} expired and the sender {} a \
                             `failed` although negative-delivery was {}requested",
                            if failed { "got" } else { "never got" },
                            if asked { "" } else { "not " }
                        ),
                    ));
                }
            }
            Some(true) => {}
        }
    }
    for (user, id) in &rendered {
        let asked = ctx
            .ims
            .get(id.as_str())
            .is_some_and(|im| im.dispositions.contains(Disposition::PositiveDelivery));
        if asked && !notified.contains(&(id.clone(), user.clone(), "delivered".to_string())) {
            found.push((
                PropertyId::L4,
                format!("{user} accepted {id} but its sender was never told `delivered`"),
            ));
        }
    }
    let last = ctx.last_index();
    for (p, detail) in found {
        ctx.violate(Monitored::Model(p), last, detail);
    }
}
