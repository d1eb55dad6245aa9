//! Accepting a group IM and fanning it out (RFC 5365 section 7, RFC 5438 section 8).
//!
//! Checks in order: unknown group 404 (already done by the caller), sender not a member 403
//! with no state, body not CPIM 415, undecodable CPIM 400; an IM already accepted from the
//! same sender with the same Message-ID gets 202 again and nothing else. Otherwise 202, then
//! one new MESSAGE per member except the sender, each with CPIM `To` rewritten to the member,
//! `imdn.Original-To` (the group) and the CF on top of `imdn.IMDN-Record-Route`; every other
//! CPIM octet is kept (S13).

use super::cf::{CfRequest, ControllingFunction, Leg, MessageState, MESSAGE_STATES_MAX};
use super::sip_util::{aor_of, from_tag};
use super::wire::CpimMessage;
use super::Instant;
use crate::cpim::Disposition;
use crate::imdn::{DeliveryStatus, Notification};
use crate::sip::Message;
use crate::transaction::ServerKey;
use std::convert::Infallible;
use std::sync::Arc;

impl ControllingFunction {
    /// A MESSAGE to hosted group number `group`.
    pub(crate) fn on_group_im(
        &mut self,
        now: Instant,
        key: &ServerKey,
        msg: &Message<'_>,
        group: usize,
    ) {
        let Some(hosted) = self.config.groups.get(group) else {
            return;
        };
        let sip_from = msg.from();
        let sender = sip_from
            .as_ref()
            .ok()
            .and_then(|f| aor_of(&f.uri))
            .unwrap_or_default();
        if !hosted.members.contains(&sender) {
            self.core.respond(now, key, msg, 403);
            return;
        }
        let Some(cpim) = self.core.cpim_body(now, key, msg) else {
            return;
        };
        let message_id = match cpim.message_id() {
            Some(id) => id.to_owned(),
            None => format!(
                "{}|{}|{}",
                msg.call_id().unwrap_or(""),
                from_tag(msg),
                msg.cseq().map_or(0, |c| c.number)
            ),
        };
        let state_key = (sender, message_id);
        if self.messages.contains_key(&state_key) {
            self.core.respond(now, key, msg, 202);
            return;
        }
        if self.messages.len() >= MESSAGE_STATES_MAX {
            self.core.respond(now, key, msg, 503);
            return;
        }
        self.core.respond(now, key, msg, 202);
        // Each member once, in the order of their URIs, without the sender: the legs' order
        // of sending, kept per group as positions in its member list.
        let order: Vec<usize> = self
            .group_order
            .get(group)
            .into_iter()
            .flatten()
            .copied()
            .filter(|&i| hosted.members.get(i).is_some_and(|m| *m != state_key.0))
            .collect();
        let known = self.group_members.get(group);
        let legs = order.iter().map(|&i| match known.and_then(|m| m.get(i)) {
            Some(member) => (Arc::clone(&member.aor), member.plain_aor),
            None => (
                Arc::from(hosted.members.get(i).map_or("", String::as_str)),
                false,
            ),
        });
        let sip_from = sip_from.map_or(String::new(), |f| match f.display_name {
            Some(name) => [name, " <", f.uri.as_str(), ">"].concat(),
            None => ["<", f.uri.as_str(), ">"].concat(),
        });
        let dispositions = cpim.disposition_notification();
        let plan = LegPlan::of(
            &cpim,
            dispositions,
            hosted.display_name.as_deref(),
            &hosted.uri,
        );
        // What the legs share is written once; each leg copies it around its member.
        let template = LegTemplate::of(msg.body(), &cpim, &plan, &self.config.imdn_uri);
        let free_at = now.plus_millis(self.config.message_state_lifetime_ms);
        let shared_key = Arc::new(state_key);
        let state = MessageState::new(
            Arc::clone(&shared_key),
            hosted.uri.clone(),
            cpim.datetime().unwrap_or("").to_owned(),
            dispositions,
            legs,
            free_at,
        );
        self.messages.insert(Arc::clone(&shared_key), state);
        self.state_timer_set(free_at, &shared_key);
        for (leg_index, i) in order.into_iter().enumerate() {
            // The group is borrowed again per leg: a leg that cannot be sent is settled at
            // once (its `failed` IMDN may go out before the next leg), which needs the whole CF.
            let Some(hosted) = self.config.groups.get(group) else {
                return;
            };
            let Some(member) = hosted.members.get(i) else {
                continue;
            };
            let (tag, call_id) = (self.core.entropy.token(), self.core.entropy.token());
            // The leg's CPIM body is written straight into its request.
            let written = CpimMessage {
                uri: member,
                from: &[&sip_from],
                tag: &tag,
                to: member,
                call_id: &[&call_id],
                body: &[],
            }
            .to_outgoing_writing(
                &mut self.core.layer,
                template.len_for(member),
                |out| {
                    template.write(out, member);
                    Ok::<(), Infallible>(())
                },
            );
            let request = match written {
                Ok(request) => request,
                Err(never) => match never {},
            };
            let known = self.group_members.get(group).and_then(|m| m.get(i));
            let next_hop = match known {
                Some(known) => known.next_hop,
                None => self.next_hop(member),
            };
            let context = CfRequest::Leg {
                key: Arc::clone(&shared_key),
                leg: leg_index,
            };
            let sent = match next_hop {
                Some(next_hop) => self
                    .core
                    .send_outgoing(now, request, next_hop, Some(member.clone()), context)
                    .is_ok(),
                None => false,
            };
            if !sent {
                self.on_leg_outcome(now, &shared_key, leg_index, 404);
            }
        }
    }

    /// A leg's final response (or local 408): 200 reached the user agent, 202 relayed, else
    /// failed. `leg` is its index among the IM's legs.
    pub(crate) fn on_leg_outcome(
        &mut self,
        now: Instant,
        key: &(String, String),
        leg: usize,
        code: u16,
    ) {
        let Some(state) = self.messages.get_mut(key) else {
            return;
        };
        let outcome = match code {
            202 => Leg::Relayed,
            200..=299 => Leg::ReachedUserAgent,
            _ => Leg::Failed,
        };
        state.settle_leg(leg, outcome);
        let report_failure = outcome == Leg::Failed
            && state.dispositions.contains(Disposition::NegativeDelivery)
            && state.report(leg, Notification::Delivery(DeliveryStatus::Failed));
        if report_failure {
            self.accept_failure(now, key, leg);
        } else if state.buffer_is_complete() {
            // Decided on the state at hand, without finding it again.
            self.flush(now, key);
        }
    }

    /// A client transaction of the CF ended.
    pub(crate) fn on_final(&mut self, now: Instant, request: CfRequest, code: u16) {
        if let CfRequest::Leg { key, leg, .. } = request {
            self.on_leg_outcome(now, &key, leg, code);
        }
    }
}

/// Positions in `members` of each member once, in the order of their URIs: the order of the
/// legs of every IM to the group, kept per group (the sender's position is left out per IM).
pub(crate) fn member_order(members: &[String]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..members.len()).collect();
    order.sort_by(|&a, &b| members.get(a).cmp(&members.get(b)));
    order.dedup_by(|a, b| members.get(*a) == members.get(*b));
    order
}

/// Positions in `members` of the members an IM from `sender` fans out to: each member once,
/// in the order of their URIs (the order of the legs), without the sender.
#[cfg(test)]
fn leg_order(members: &[String], sender: &str) -> Vec<usize> {
    let mut order = member_order(members);
    order.retain(|&i| members.get(i).is_some_and(|m| m != sender));
    order
}

#[path = "cf_leg.rs"]
mod leg;
#[cfg(test)]
pub(crate) use leg::{leg_body, write_leg_body, LegRewrite};
pub(crate) use leg::{LegPlan, LegTemplate};

#[cfg(test)]
#[path = "cf_fanout_tests.rs"]
mod tests;
