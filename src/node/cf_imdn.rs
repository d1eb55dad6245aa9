//! The Controlling Function as IMDN intermediary (RFC 5438 sections 8, 8.3, 14).
//!
//! An IMDN addressed to the CF's IMDN URI is answered 202 (the CF relays it) and passed on only
//! if it is about a known IM of its sender, names a recipient the IM was fanned out to, is of a
//! kind the sender requested, was not reported for that recipient yet, and comes from that
//! recipient (its SIP From); otherwise it is consumed. Under [`ImdnPolicy::Aggregate`] accepted
//! IMDNs wait in the IM's buffer until every member reached has reported and no leg is pending,
//! or until the flush timer fires; a flush of one entry is a plain IMDN, of several a
//! multipart/mixed of `message/imdn+xml` parts.

use super::cf::{count_state_timer, CfRequest, ControllingFunction, ImdnPolicy, Leg, MessageState};
use super::identity::date_time_text;
use super::lent::with_lent;
use super::notify::{read_notifications, Notifications, NOTIFICATION_DISPOSITION};
use super::sip_util::write_aor;
use super::wire::CpimMessage;
use super::{Event, Instant};
use crate::cpim::{Disposition, NotificationHeaders};
use crate::imdn::{DeliveryStatus, DispositionNotification, Notification};
use crate::multipart::{Aggregate, IMDN_MEDIA_TYPE};
use crate::sip::Message;
use crate::transaction::ServerKey;
use std::collections::BTreeMap;

/// The disposition a sender must have requested for a notification to be passed on (S1).
fn requested(notification: Notification, state: &MessageState) -> bool {
    let asked = |d| state.dispositions.contains(d);
    match notification {
        Notification::Delivery(DeliveryStatus::Delivered) => asked(Disposition::PositiveDelivery),
        Notification::Delivery(_) => {
            asked(Disposition::NegativeDelivery) || asked(Disposition::PositiveDelivery)
        }
        Notification::Processing(_) => asked(Disposition::Processing),
        Notification::Display(_) => asked(Disposition::Display),
    }
}

/// Whether every member reached has reported and no leg is pending (the aggregation rule).
fn everyone_reached_has_reported(state: &MessageState) -> bool {
    let delivery = Notification::Delivery(DeliveryStatus::Delivered).element();
    let positive = state.dispositions.contains(Disposition::PositiveDelivery);
    // Legs and reported pairs are both ordered by member: one walk over the members who sent
    // a delivery notification answers every leg, with no key built per leg.
    let mut delivered = state
        .reported
        .iter()
        .filter(|(_, kind)| *kind == delivery)
        .map(|(member, _)| member.as_str())
        .peekable();
    state.legs.iter().all(|(member, leg)| match leg {
        Leg::Pending => false,
        Leg::ReachedUserAgent => {
            !positive || {
                while delivered.next_if(|d| *d < member.as_str()).is_some() {}
                delivered.peek() == Some(&member.as_str())
            }
        }
        Leg::Relayed | Leg::Failed => true,
    })
}

/// Whether the IM's buffer holds notifications and the aggregation rule holds: then it is
/// flushed at once.
pub(crate) fn buffer_is_complete(state: &MessageState) -> bool {
    !state.buffer.is_empty() && everyone_reached_has_reported(state)
}

/// Buffers an accepted notification about the IM of `state` for its next aggregated flush,
/// starting the flush timer (counted in `timers`) with the first; whether the aggregation
/// rule now holds, so the buffer is flushed at once.
fn buffer_notification(
    state: &mut MessageState,
    timers: &mut BTreeMap<Instant, u32>,
    now: Instant,
    flush_after_ms: u64,
    entry: DispositionNotification,
) -> bool {
    state.buffer.push(entry);
    if state.flush_at.is_none() {
        let at = now.plus_millis(flush_after_ms);
        state.flush_at = Some(at);
        count_state_timer(timers, at);
    }
    everyone_reached_has_reported(state)
}

impl ControllingFunction {
    /// A MESSAGE to the CF's IMDN URI.
    pub(crate) fn on_imdn(&mut self, now: Instant, key: &ServerKey, msg: &Message<'_>) {
        let Some(cpim) = self.core.cpim_body(now, key, msg) else {
            return;
        };
        let entries = match read_notifications(&cpim) {
            Ok(entries) => entries,
            Err((rule, offset)) => {
                let offset = msg.header_section_len() + offset;
                self.core.reject_malformed(now, key, msg, rule, offset);
                return;
            }
        };
        self.core.respond(now, key, msg, 202);
        let Some(sender) = cpim.first_to().map(|a| a.uri) else {
            return;
        };
        // One key buffer, kept between IMDNs, finds each entry's IM state without allocating;
        // another holds the AOR of the IMDN's SIP From (empty when it has none).
        with_lent(
            self,
            |cf| &mut cf.lookup_key,
            |cf, state_key| {
                with_lent(
                    cf,
                    |cf| &mut cf.lookup_originator,
                    |cf, originator| {
                        originator.clear();
                        if let Ok(from) = msg.from() {
                            write_aor(&from.uri, originator);
                        }
                        cf.pass_on(now, state_key, sender, originator, entries);
                    },
                );
            },
        );
    }

    /// Passes on each of an IMDN's `entries` that is acceptable: about an IM `sender` sent
    /// that is still known, from a recipient reached (`originator`, who sent the IMDN), of a
    /// requested kind, not yet reported. `state_key` is the lent buffer the IM states are
    /// looked up with.
    fn pass_on(
        &mut self,
        now: Instant,
        state_key: &mut (String, String),
        sender: &str,
        originator: &str,
        entries: Notifications<'_>,
    ) {
        state_key.0.clear();
        state_key.0.push_str(sender);
        for document in entries {
            let entry = document.fields();
            state_key.1.clear();
            state_key.1.push_str(entry.message_id);
            let Some(state) = self.messages.get_mut(state_key) else {
                continue;
            };
            let Some(recipient) = entry.recipient_uri else {
                continue;
            };
            let acceptable = state.legs.contains_key(recipient)
                && recipient == originator
                && requested(entry.notification, state);
            if !acceptable {
                continue;
            }
            // Each (recipient, kind) is passed on once (S2, S4).
            if !state
                .reported
                .insert((recipient.to_owned(), entry.notification.element()))
            {
                continue;
            }
            // Buffered through the state already at hand, without finding it again.
            // Only an entry passed on is copied out of the IMDN's body.
            let entry = entry.into_notification();
            match self.config.imdn_policy {
                ImdnPolicy::Individual => self.send_notifications(now, state_key, vec![entry]),
                ImdnPolicy::Aggregate { flush_after_ms } => {
                    let timers = &mut self.state_timers;
                    if buffer_notification(state, timers, now, flush_after_ms, entry) {
                        self.flush(now, state_key);
                    }
                }
            }
        }
    }

    /// Passes on an accepted notification now (individual) or through the buffer (aggregate).
    pub(crate) fn accept_notification(
        &mut self,
        now: Instant,
        key: &(String, String),
        entry: DispositionNotification,
    ) {
        match self.config.imdn_policy {
            ImdnPolicy::Individual => self.send_notifications(now, key, vec![entry]),
            ImdnPolicy::Aggregate { flush_after_ms } => {
                let Some(state) = self.messages.get_mut(key) else {
                    return;
                };
                let timers = &mut self.state_timers;
                if buffer_notification(state, timers, now, flush_after_ms, entry) {
                    self.flush(now, key);
                }
            }
        }
    }

    /// Sends whatever the buffer holds.
    pub(crate) fn flush(&mut self, now: Instant, key: &(String, String)) {
        let Some(state) = self.messages.get_mut(key) else {
            return;
        };
        let flush_at = state.flush_at.take();
        let entries = std::mem::take(&mut state.buffer);
        if let Some(at) = flush_at {
            self.state_timer_cleared(at);
        }
        if !entries.is_empty() {
            self.send_notifications(now, key, entries);
        }
    }

    /// Flush timers and state expiry due at `now`.
    pub(crate) fn on_state_timers(&mut self, now: Instant) {
        // `state_timers` holds every pending flush_at and free_at: when its earliest is still
        // ahead, no IM's state is due and the walk over all of them (kept for the whole state
        // lifetime, so many under load) is skipped.
        if self.state_timers.keys().next().is_none_or(|&at| at > now) {
            return;
        }
        let mut due_flush: Vec<(String, String)> = self
            .messages
            .iter()
            .filter(|(_, s)| s.flush_at.is_some_and(|f| f <= now) || s.free_at <= now)
            .map(|(k, _)| k.clone())
            .collect();
        // Flushed in the order of their keys (sender, then Message-ID), whatever the map's.
        due_flush.sort_unstable();
        for key in due_flush {
            self.flush(now, &key);
            let free = self.messages.get(&key).is_some_and(|s| s.free_at <= now);
            if free {
                if let Some(state) = self.messages.remove(&key) {
                    self.state_timer_cleared(state.free_at);
                    if let Some(at) = state.flush_at {
                        self.state_timer_cleared(at);
                    }
                    self.core.event(Event::MessageStateFreed {
                        message_id: state.message_id,
                    });
                }
            }
        }
    }

    /// One IMDN MESSAGE to the IM's sender: a single document, or an aggregate of several.
    fn send_notifications(
        &mut self,
        now: Instant,
        key: &(String, String),
        entries: Vec<DispositionNotification>,
    ) {
        let Some(state) = self.messages.get(key) else {
            return;
        };
        let sender = state.sender.clone();
        let stamp = date_time_text(self.config.wall_clock_origin_unix_s, now);
        let message_id = self.core.entropy.message_id();
        let headers = |author, content_type| NotificationHeaders {
            from: author,
            to: &sender,
            date_time: &stamp,
            message_id: &message_id,
            route: &[],
            content_type,
            content_disposition: NOTIFICATION_DISPOSITION,
        };
        // Each document is written once: a single one straight after the CPIM headers, the
        // parts of an aggregate into the CF's document buffer (to choose the boundary over
        // them) and from there once into the body.
        let documents = &mut self.aggregate_documents;
        let (author, body) = match entries.as_slice() {
            [one] => {
                let author = one.recipient_uri.as_deref().unwrap_or(&state.group);
                let fields = one.fields();
                let body = headers(author, IMDN_MEDIA_TYPE)
                    .body_with(fields.xml_len_hint(), |out| fields.write_xml(out));
                (author.to_owned(), body)
            }
            _ => {
                let aggregate = Aggregate::of(&entries, documents);
                let content_type =
                    format!("multipart/mixed; boundary=\"{}\"", aggregate.boundary());
                let body = headers(&state.group, &content_type)
                    .body_with(aggregate.body_len(), |out| aggregate.write(out));
                (state.group.clone(), body)
            }
        };
        let (Ok(body), Some(next_hop)) = (body, self.next_hop(&sender)) else {
            return;
        };
        let (tag, call_id) = (self.core.entropy.token(), self.core.entropy.token());
        let request = CpimMessage {
            uri: &sender,
            from: &["<", &author, ">"],
            tag: &tag,
            to: &sender,
            call_id: &[&call_id],
            body: &body,
        }
        .to_outgoing();
        let _ = self
            .core
            .send_outgoing(now, request, next_hop, Some(sender), CfRequest::Notify);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cpim::DispositionSet;
    use proptest::prelude::*;
    use std::collections::{BTreeMap, BTreeSet};

    fn state(
        legs: BTreeMap<String, Leg>,
        reported: BTreeSet<(String, &'static str)>,
    ) -> MessageState {
        MessageState {
            sender: "sip:a@x".to_owned(),
            group: "sip:g@x".to_owned(),
            message_id: "m1".to_owned(),
            datetime: "2024-03-18T09:30:05Z".to_owned(),
            dispositions: DispositionSet::EMPTY.with(Disposition::PositiveDelivery),
            legs,
            reported,
            buffer: Vec::new(),
            flush_at: None,
            free_at: Instant(0),
        }
    }

    proptest! {
        #[test]
        fn the_aggregation_rule_is_a_set_lookup_per_reached_leg(
            legs in proptest::collection::btree_map(
                "[a-e]",
                prop_oneof![Just(Leg::Pending), Just(Leg::ReachedUserAgent), Just(Leg::Relayed), Just(Leg::Failed)],
                0..5,
            ),
            reported in proptest::collection::btree_set(
                ("[a-f]", prop_oneof![Just("delivery-notification"), Just("display-notification")]),
                0..8,
            ),
        ) {
            let s = state(legs, reported);
            let delivery = Notification::Delivery(DeliveryStatus::Delivered).element();
            let by_lookup = s.legs.iter().all(|(member, leg)| match leg {
                Leg::Pending => false,
                Leg::ReachedUserAgent => s.reported.contains(&(member.clone(), delivery)),
                Leg::Relayed | Leg::Failed => true,
            });
            prop_assert_eq!(everyone_reached_has_reported(&s), by_lookup);
        }
    }
}
