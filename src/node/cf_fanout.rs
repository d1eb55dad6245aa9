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
use super::Instant;
use crate::cpim::{format_address, Cpim, Disposition, OwnedCpim, OwnedHeader, IMDN_NS};
use crate::imdn::{DeliveryStatus, DispositionNotification, Notification};
use crate::sip::{Message, OwnedMessage};
use crate::transaction::ServerKey;
use std::collections::{BTreeMap, BTreeSet};

impl ControllingFunction {
    /// A MESSAGE to hosted group number `group`.
    pub(crate) fn on_group_im(
        &mut self,
        now: Instant,
        key: &ServerKey,
        msg: &Message<'_>,
        group: usize,
    ) {
        let Some(group) = self.config.groups.get(group).cloned() else {
            return;
        };
        let sender = msg
            .from()
            .ok()
            .and_then(|f| aor_of(&f.uri))
            .unwrap_or_default();
        if !group.members.contains(&sender) {
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
        let state_key = (sender.clone(), message_id.clone());
        if self.messages.contains_key(&state_key) {
            self.core.respond(now, key, msg, 202);
            return;
        }
        if self.messages.len() >= MESSAGE_STATES_MAX {
            self.core.respond(now, key, msg, 503);
            return;
        }
        self.core.respond(now, key, msg, 202);
        let recipients: BTreeSet<&String> =
            group.members.iter().filter(|m| **m != sender).collect();
        let sip_from = msg.from().map_or(String::new(), |f| match f.display_name {
            Some(name) => format!("{name} <{}>", f.uri.as_str()),
            None => format!("<{}>", f.uri.as_str()),
        });
        let dispositions = cpim.disposition_notification();
        let mut legs = BTreeMap::new();
        for member in &recipients {
            legs.insert((*member).clone(), Leg::Pending);
        }
        let free_at = now.plus_millis(self.config.message_state_lifetime_ms);
        self.messages.insert(
            state_key.clone(),
            MessageState {
                sender,
                group: group.uri.clone(),
                message_id,
                datetime: cpim.datetime().unwrap_or("").to_owned(),
                dispositions,
                legs,
                reported: BTreeSet::new(),
                buffer: Vec::new(),
                flush_at: None,
                free_at,
            },
        );
        self.state_timer_set(free_at);
        for member in recipients {
            let body = self.leg_body(&cpim, member, group.display_name.as_deref(), &group.uri);
            let request = OwnedMessage::request("MESSAGE", member.clone())
                .header("Max-Forwards", "70")
                .header(
                    "From",
                    format!("{sip_from};tag={}", self.core.entropy.token()),
                )
                .header("To", format!("<{member}>"))
                .header("Call-ID", self.core.entropy.token())
                .header("CSeq", "1 MESSAGE")
                .header("Content-Type", "message/cpim")
                .body(body);
            let context = CfRequest::Leg {
                key: state_key.clone(),
                member: member.clone(),
            };
            let sent = match self.next_hop(member) {
                Some(next_hop) => self
                    .core
                    .send_request(now, request, next_hop, Some(member.clone()), context)
                    .is_ok(),
                None => false,
            };
            if !sent {
                self.on_leg_outcome(now, &state_key, member, 404);
            }
        }
    }

    /// The member's copy of the CPIM body: To rewritten, Original-To and IMDN-Record-Route added.
    fn leg_body(
        &self,
        cpim: &Cpim<'_>,
        member: &str,
        group_name: Option<&str>,
        group: &str,
    ) -> Vec<u8> {
        let mut owned: OwnedCpim = cpim.to_owned_cpim();
        let prefix = cpim
            .namespaces()
            .find(|(_, uri)| *uri == IMDN_NS)
            .and_then(|(p, _)| p)
            .map(str::to_owned);
        let prefix = match prefix {
            Some(p) => p,
            None => {
                owned
                    .headers
                    .push(header(None, "NS", format!("imdn <{IMDN_NS}>")));
                "imdn".to_owned()
            }
        };
        let first_to = owned
            .headers
            .iter()
            .position(|h| h.prefix.is_none() && h.name == "To");
        owned
            .headers
            .retain(|h| !(h.prefix.is_none() && h.name == "To"));
        let to = header(None, "To", format_address(None, member));
        match first_to {
            Some(at) => owned.headers.insert(at.min(owned.headers.len()), to),
            None => owned.headers.push(to),
        }
        if cpim.original_to().is_none() {
            let value = format_address(group_name, group);
            owned
                .headers
                .push(header(Some(&prefix), "Original-To", value));
        }
        if !cpim.disposition_notification().is_empty() {
            let route = header(
                Some(&prefix),
                "IMDN-Record-Route",
                format_address(None, &self.config.imdn_uri),
            );
            let top = owned
                .headers
                .iter()
                .position(|h| h.name == "IMDN-Record-Route");
            match top {
                Some(at) => owned.headers.insert(at, route),
                None => owned.headers.push(route),
            }
        }
        owned.serialize()
    }

    /// A leg's final response (or local 408): 200 reached the user agent, 202 relayed, else failed.
    pub(crate) fn on_leg_outcome(
        &mut self,
        now: Instant,
        key: &(String, String),
        member: &str,
        code: u16,
    ) {
        let Some(state) = self.messages.get_mut(key) else {
            return;
        };
        let leg = match code {
            202 => Leg::Relayed,
            200..=299 => Leg::ReachedUserAgent,
            _ => Leg::Failed,
        };
        if let Some(slot) = state.legs.get_mut(member) {
            *slot = leg;
        }
        let delivery = Notification::Delivery(DeliveryStatus::Failed).element();
        let report_failure = leg == Leg::Failed
            && state.dispositions.contains(Disposition::NegativeDelivery)
            && state.reported.insert((member.to_owned(), delivery));
        if report_failure {
            let failed = DispositionNotification {
                message_id: state.message_id.clone(),
                datetime: state.datetime.clone(),
                recipient_uri: Some(member.to_owned()),
                original_recipient_uri: Some(state.group.clone()),
                subject: None,
                notification: Notification::Delivery(DeliveryStatus::Failed),
            };
            self.accept_notification(now, key, failed);
        } else {
            self.flush_if_complete(now, key);
        }
    }

    /// A client transaction of the CF ended.
    pub(crate) fn on_final(&mut self, now: Instant, request: CfRequest, code: u16) {
        if let CfRequest::Leg { key, member } = request {
            self.on_leg_outcome(now, &key, &member, code);
        }
    }
}

fn header(prefix: Option<&str>, name: &str, value_raw: String) -> OwnedHeader {
    OwnedHeader {
        prefix: prefix.map(str::to_owned),
        name: name.to_owned(),
        params: Vec::new(),
        value_raw,
    }
}
