//! What the user agents saw: S1, S2, S3, S4, S5 (IMDNs rendered at a sender) and S9 (IMs
//! rendered at a recipient), from the nodes' events; S4 also for the servers' stored copies.

use super::context::{requested_by, Context};
use super::Monitored;
use crate::node::Event;
use crate::sim::{aor_key, Happening, Role};
use imflow_model::PropertyId;
use std::collections::{HashMap, HashSet};

/// Checks S1, S2, S3, S4, S5 and S9.
pub(super) fn check(ctx: &mut Context<'_>) {
    let mut found: Vec<(PropertyId, usize, String)> = Vec::new();
    let mut rendered: HashSet<(String, String)> = HashSet::new();
    let mut reported: HashSet<(String, String, String)> = HashSet::new();
    let mut outcomes: HashMap<(String, String), (bool, bool)> = HashMap::new();
    let mut copies: HashMap<(String, String, String), (bool, bool)> = HashMap::new();
    for (i, entry) in ctx.run.entries.iter().enumerate() {
        let Happening::Event(event) = &entry.what else {
            continue;
        };
        match event {
            Event::ImRendered {
                user, message_id, ..
            } => {
                let key = (aor_key(user).to_string(), message_id.clone());
                if !rendered.insert(key) {
                    found.push((
                        PropertyId::S9,
                        i,
                        format!("{user} was handed IM {message_id} a second time"),
                    ));
                }
            }
            Event::ImdnRendered {
                user,
                message_id,
                recipient,
                status,
            } => {
                let im = ctx.ims.get(message_id.as_str());
                let requested = im.is_some_and(|im| {
                    requested_by(status).is_some_and(|d| im.dispositions.contains(d))
                });
                if !requested {
                    found.push((
                        PropertyId::S1,
                        i,
                        format!(
                            "{user} got a `{status}` for {message_id}, which was not requested"
                        ),
                    ));
                }
                let sender = im.and_then(|im| im.sender);
                if sender.is_none() || sender != ctx.user(user) {
                    found.push((
                        PropertyId::S5,
                        i,
                        format!("{user} got an IMDN for {message_id}, which it did not send"),
                    ));
                }
                let r = aor_key(recipient).to_string();
                if !reported.insert((message_id.clone(), r.clone(), status.clone())) {
                    found.push((
                        PropertyId::S2,
                        i,
                        format!("{user} got `{status}` for {message_id} from {recipient} twice"),
                    ));
                }
                if status == "delivered" && !rendered.contains(&(r.clone(), message_id.clone())) {
                    found.push((
                        PropertyId::S3,
                        i,
                        format!(
                            "`delivered` for {message_id} from {recipient} before its user \
                             agent accepted it"
                        ),
                    ));
                }
                let o = outcomes.entry((message_id.clone(), r)).or_default();
                o.0 |= status == "delivered";
                o.1 |= status == "failed";
                if o.0 && o.1 {
                    found.push((
                        PropertyId::S4,
                        i,
                        format!("both `delivered` and `failed` for {message_id} from {recipient}"),
                    ));
                }
            }
            Event::StoredDelivered {
                server,
                user,
                message_id,
            }
            | Event::StoredExpired {
                server,
                user,
                message_id,
            } => {
                let delivered = matches!(event, Event::StoredDelivered { .. });
                let key = (
                    server.clone(),
                    aor_key(user).to_string(),
                    message_id.clone(),
                );
                let c = copies.entry(key).or_default();
                if c.0 || c.1 {
                    found.push((
                        PropertyId::S4,
                        i,
                        format!(
                            "{server}'s stored copy of {message_id} for {user} has a second outcome"
                        ),
                    ));
                }
                c.0 |= delivered;
                c.1 |= !delivered;
            }
            _ => {}
        }
    }
    s5_on_the_wire(ctx, &mut found);
    for (p, i, detail) in found {
        ctx.violate(Monitored::Model(p), i, detail);
    }
}

/// S5 on the wire: an IMDN delivered to a user agent must be about an IM that user sent.
fn s5_on_the_wire(ctx: &Context<'_>, found: &mut Vec<(PropertyId, usize, String)>) {
    for (i, entry, f) in ctx.transmits() {
        let (Some(imdn), Some(to)) = (f.imdn(), entry.delivered_to()) else {
            continue;
        };
        let Some(Role::UserAgent { user }) = ctx.cast().roles.get(to) else {
            continue;
        };
        for e in &imdn.entries {
            let sender = ctx.ims.get(e.message_id.as_str()).and_then(|im| im.sender);
            if sender != Some(*user) {
                found.push((
                    PropertyId::S5,
                    i,
                    format!(
                        "an IMDN for {} reached {}, who did not send it",
                        e.message_id,
                        ctx.name(*user)
                    ),
                ));
            }
        }
    }
}
