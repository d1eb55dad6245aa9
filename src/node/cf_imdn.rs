//! The Controlling Function as IMDN intermediary (RFC 5438 sections 8, 8.3, 14).
//!
//! An IMDN addressed to the CF's IMDN URI is answered 202 (the CF relays it) and passed on only
//! if it is about a known IM of its sender, names a recipient the IM was fanned out to, is of a
//! kind the sender requested, was not reported for that recipient yet, and comes from that
//! recipient (its SIP From); otherwise it is consumed. Under [`ImdnPolicy::Aggregate`] accepted
//! IMDNs wait in the IM's buffer until every member reached has reported and no leg is pending,
//! or until the flush timer fires; a flush of one entry is a plain IMDN, of several a
//! multipart/mixed of `message/imdn+xml` parts.

use super::cf::{
    add_state_timer, CfRequest, ControllingFunction, ImdnPolicy, MessageState, NotificationBuffer,
    Originator,
};
use super::identity::date_time_text;
use super::lent::with_lent;
use super::notify::{read_notifications, Notifications, NOTIFICATION_DISPOSITION};
use super::wire::CpimMessage;
use super::{Event, Instant};
use crate::cpim::{Disposition, KnownValues, NotificationHeaders};
use crate::imdn::{DeliveryStatus, DispositionNotification, Notification};
use crate::multipart::IMDN_MEDIA_TYPE;
use crate::sip::Message;
use crate::transaction::ServerKey;
use std::collections::BTreeMap;
use std::sync::Arc;

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

/// Starts the IM's flush timer (counted in `timers`) when its first notification was just
/// buffered.
fn start_flush_timer(
    state: &mut MessageState,
    timers: &mut BTreeMap<Instant, Vec<Arc<(String, String)>>>,
    now: Instant,
    flush_after_ms: u64,
) {
    if state.flush_at.is_none() {
        let at = now.plus_millis(flush_after_ms);
        state.flush_at = Some(at);
        add_state_timer(timers, at, &state.key);
    }
}

/// Whether the notifications just buffered on `state` go out now under `policy`: at once when
/// sent individually; held for the aggregate otherwise (its flush timer started), going now
/// only when the aggregation rule holds (everyone reached has reported).
fn goes_now(
    policy: ImdnPolicy,
    state: &mut MessageState,
    timers: &mut BTreeMap<Instant, Vec<Arc<(String, String)>>>,
    now: Instant,
) -> bool {
    match policy {
        ImdnPolicy::Individual => true,
        ImdnPolicy::Aggregate { flush_after_ms } => {
            start_flush_timer(state, timers, now, flush_after_ms);
            state.everyone_reached_has_reported()
        }
    }
}

/// The `Content-Type` of an aggregate with this boundary: `multipart/mixed;
/// boundary="<boundary>"` (what `format!` writes), put together with no formatter.
fn multipart_content_type(boundary: &str) -> String {
    const HEAD: &str = "multipart/mixed; boundary=\"";
    let mut content_type = String::with_capacity(HEAD.len() + boundary.len() + 1);
    content_type.push_str(HEAD);
    content_type.push_str(boundary);
    content_type.push('"');
    content_type
}

impl ControllingFunction {
    /// A MESSAGE to the CF's IMDN URI.
    pub(crate) fn on_imdn(&mut self, now: Instant, key: &ServerKey, msg: &Message<'_>) {
        // The CPIM read for a recipient: its To (the IM's sender) is cut as the block is read,
        // and no list of header rows is kept.
        let Some((entity, im)) = self
            .core
            .cpim_body_read(now, key, msg, crate::cpim::parse_im)
        else {
            return;
        };
        let entries = match read_notifications(&entity) {
            Ok(entries) => entries,
            Err((rule, offset)) => {
                let offset = msg.header_section_len() + offset;
                self.core.reject_malformed(now, key, msg, rule, offset);
                return;
            }
        };
        self.core.respond(now, key, msg, 202);
        // The first CPIM To, as `Cpim::to` gives it first.
        let Some(sender) = im.to.map(|a| a.uri) else {
            return;
        };
        // One key buffer, kept between IMDNs, finds each entry's IM state without allocating;
        // another holds the AOR of the IMDN's SIP From, when it must be read.
        with_lent(
            self,
            |cf| &mut cf.lookup_key,
            |cf, state_key| {
                with_lent(
                    cf,
                    |cf| &mut cf.lookup_originator,
                    |cf, aor| {
                        let originator = Originator::of(msg, aor);
                        cf.pass_on(now, state_key, sender, originator, entries);
                    },
                );
            },
        );
    }

    /// Passes on each of an IMDN's `entries` that is acceptable: about an IM `sender` sent
    /// that is still known, about a recipient the IM was fanned out to who sent the IMDN
    /// (`originator`), of a requested kind, not yet reported. `state_key` is the lent buffer
    /// the IM states are looked up with.
    fn pass_on(
        &mut self,
        now: Instant,
        state_key: &mut (String, String),
        sender: &str,
        mut originator: Originator<'_, '_>,
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
            if !requested(entry.notification, state) {
                continue;
            }
            let Some(leg) = state.leg_index(recipient) else {
                continue;
            };
            let plain_aor = state.legs.get(leg).is_some_and(|l| l.plain_aor);
            if !originator.is(recipient, plain_aor) {
                continue;
            }
            // Each (recipient, kind) is passed on once (S2, S4).
            if !state.report(leg, entry.notification) {
                continue;
            }
            // Buffered through the state already at hand, without finding it again: the
            // document's bytes are kept once, copied as received when read as written.
            state.buffer(leg, &document);
            if goes_now(self.config.imdn_policy, state, &mut self.state_timers, now) {
                self.flush(now, state_key);
            }
        }
    }

    /// Passes on the notification about leg `leg` of the IM `key` that the CF writes itself:
    /// the leg failed and negative delivery was asked.
    pub(crate) fn accept_failure(&mut self, now: Instant, key: &(String, String), leg: usize) {
        let Some(state) = self.messages.get_mut(key) else {
            return;
        };
        let Some(member) = state.legs.get(leg).map(|l| l.member.to_string()) else {
            return;
        };
        let failed = DispositionNotification {
            message_id: state.message_id().to_owned(),
            datetime: state.datetime.clone(),
            recipient_uri: Some(member),
            original_recipient_uri: Some(state.group.clone()),
            subject: None,
            notification: Notification::Delivery(DeliveryStatus::Failed),
        };
        state.buffer_fields(leg, failed.fields());
        self.buffered(now, key);
    }

    /// A notification about the IM `key` was just buffered: sent now or held, as
    /// [`goes_now`] decides.
    fn buffered(&mut self, now: Instant, key: &(String, String)) {
        let Some(state) = self.messages.get_mut(key) else {
            return;
        };
        if goes_now(self.config.imdn_policy, state, &mut self.state_timers, now) {
            self.flush(now, key);
        }
    }

    /// Sends whatever the buffer holds.
    pub(crate) fn flush(&mut self, now: Instant, key: &(String, String)) {
        let Some(state) = self.messages.get_mut(key) else {
            return;
        };
        let flush_at = state.flush_at.take();
        let buffer = state.take_buffer();
        if let Some(at) = flush_at {
            self.state_timer_cleared(at, key);
        }
        if !buffer.is_empty() {
            self.send_notifications(now, key, &buffer);
        }
    }

    /// Flush timers and state expiry due at `now`.
    pub(crate) fn on_state_timers(&mut self, now: Instant) {
        // `state_timers` holds every pending flush_at and free_at with its IM: the IMs due are
        // read from it, with no walk over every IM's state (kept for the whole state lifetime,
        // so many under load).
        if self.state_timers.keys().next().is_none_or(|&at| at > now) {
            return;
        }
        // The IMs with a timer due, each once, in the order of their keys (sender, then
        // Message-ID), whatever the map's.
        let mut due: Vec<Arc<(String, String)>> = self
            .state_timers
            .range(..=now)
            .flat_map(|(_, keys)| keys.iter().cloned())
            .collect();
        due.sort_unstable();
        due.dedup();
        for key in due {
            self.flush(now, &key);
            let free = self.messages.get(&*key).is_some_and(|s| s.free_at <= now);
            if free {
                if let Some(state) = self.messages.remove(&*key) {
                    self.state_timer_cleared(state.free_at, &key);
                    if let Some(at) = state.flush_at {
                        self.state_timer_cleared(at, &key);
                    }
                    self.core.event(Event::MessageStateFreed {
                        message_id: state.message_id().to_owned(),
                    });
                }
            }
        }
    }

    /// One IMDN MESSAGE to the IM's sender: the one buffered document, or an aggregate of
    /// several, written straight into the request.
    fn send_notifications(
        &mut self,
        now: Instant,
        key: &(String, String),
        buffer: &NotificationBuffer,
    ) {
        let Some(state) = self.messages.get(key) else {
            return;
        };
        let sender = state.sender();
        let stamp = date_time_text(self.config.wall_clock_origin_unix_s, now);
        let message_id = self.core.entropy.message_id();
        let documents = &buffer.documents;
        // A single document is the content as it is, its recipient the author; several are
        // the parts of an aggregate the group is the author of.
        let single = match documents.len() {
            1 => documents.documents().next(),
            _ => None,
        };
        let aggregate = single.is_none().then(|| documents.aggregate());
        let (author, content_type, content_len) = match (&aggregate, single) {
            (Some(aggregate), _) => (
                state.group.as_str(),
                multipart_content_type(aggregate.boundary()),
                aggregate.body_len(),
            ),
            (None, single) => {
                let leg = buffer.first_leg().and_then(|i| state.legs.get(i));
                let author = leg.map_or(state.group.as_str(), |l| &*l.member);
                let len = single.map_or(0, <[u8]>::len);
                (author, IMDN_MEDIA_TYPE.to_owned(), len)
            }
        };
        let Some(next_hop) = self.next_hop(sender) else {
            return;
        };
        let headers = NotificationHeaders {
            from: author,
            to: sender,
            date_time: &stamp,
            message_id: &message_id,
            route: &[],
            content_type: &content_type,
            content_disposition: NOTIFICATION_DISPOSITION,
            // The Message-ID was drawn and the stamp written here; a single document's type
            // is the constant.
            known: KnownValues {
                message_id: true,
                mime: aggregate.is_none(),
                date_time: stamp.is_rfc3339_as_written(),
                ..KnownValues::NONE
            },
        };
        // The tags are drawn before the body is written, and given back if it cannot be.
        let drawn_at = self.core.entropy.position();
        let (tag, call_id) = (self.core.entropy.token(), self.core.entropy.token());
        let written = CpimMessage {
            uri: sender,
            from: &["<", author, ">"],
            tag: &tag,
            to: sender,
            call_id: &[&call_id],
            body: &[],
        }
        .to_outgoing_writing(
            &mut self.core.layer,
            headers.body_len_hint(content_len),
            |out| {
                headers.write_body_to(out, |out| match (&aggregate, single) {
                    (Some(aggregate), _) => aggregate.write(out),
                    (None, single) => out.extend_from_slice(single.unwrap_or_default()),
                })
            },
        );
        let request = match written {
            Ok(request) => request,
            Err(_) => {
                self.core.entropy.rewind_to(drawn_at);
                return;
            }
        };
        let sender = sender.to_owned();
        let _ = self
            .core
            .send_outgoing(now, request, next_hop, Some(sender), CfRequest::Notify);
    }
}

#[cfg(test)]
mod tests {
    use super::multipart_content_type;

    #[test]
    fn an_aggregates_content_type_is_what_the_formatter_writes() {
        for boundary in [
            "",
            "imflow-0123456789abcdef",
            "imflow-ffffffffffffffff-12",
            "a\"b",
        ] {
            let formatted = format!("multipart/mixed; boundary=\"{boundary}\"");
            assert_eq!(multipart_content_type(boundary), formatted);
        }
    }
}
