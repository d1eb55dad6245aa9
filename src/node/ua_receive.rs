//! What a user agent does with a request: an IM is rendered once per (sender, Message-ID) and
//! answered 200 with no body and no Contact (RFC 3428 section 7); the requested delivery IMDN
//! follows the rendering (RFC 5438 section 7.2.1); an IMDN, single or aggregated, is answered
//! 200 and each entry reported to the user, once per IMDN message (its CPIM From and
//! Message-ID), however often that message arrives.

use super::identity::date_time;
use super::notify::{imdn_request, is_notification, notification_about, read_notifications};
use super::sip_util::{aor_of, from_tag};
use super::ua::{UaRequest, UserAgent, RECEIVED_IM_IDS_MAX};
use super::{Event, Instant};
use crate::cpim::{Cpim, Disposition, ImHeaders};
use crate::imdn::{DeliveryStatus, Notification};
use crate::sip::Message;
use crate::transaction::ServerKey;

impl UserAgent {
    /// A request of a new server transaction.
    pub(crate) fn on_request(&mut self, now: Instant, key: &ServerKey, msg: &Message<'_>) {
        if msg.method().map(|m| m.as_str()) != Some("MESSAGE") {
            self.core.respond(now, key, msg, 405);
            return;
        }
        let content_type = msg.content_type().ok().flatten();
        if content_type.is_some_and(|t| t.is("text", "plain")) {
            // RFC 3428 section 7: a UAS must accept text/plain; it carries no IMDN request.
            self.on_im(now, key, msg, None);
            return;
        }
        let Some(cpim) = self.core.cpim_body(now, key, msg) else {
            return;
        };
        if is_notification(&cpim) {
            self.on_imdn(now, key, msg, &cpim);
        } else {
            self.on_im(now, key, msg, Some(&cpim));
        }
    }

    fn on_imdn(&mut self, now: Instant, key: &ServerKey, msg: &Message<'_>, cpim: &Cpim<'_>) {
        let entries = match read_notifications(cpim) {
            Ok(entries) => entries,
            Err((rule, offset)) => {
                let offset = msg.header_section_len() + offset;
                self.core.reject_malformed(now, key, msg, rule, offset);
                return;
            }
        };
        self.core.respond(now, key, msg, 200);
        // The same IMDN message arriving again in a new transaction (a late network duplicate
        // after timer J) is reported once, like an IM: keyed by its CPIM From and Message-ID.
        if let (Some(from), Some(id)) = (cpim.from(), cpim.message_id()) {
            if !self.remember((from.uri.to_owned(), id.to_owned())) {
                return;
            }
        }
        for entry in entries {
            self.core.event(Event::ImdnRendered {
                user: self.config.aor.clone(),
                message_id: entry.message_id,
                recipient: entry.recipient_uri.unwrap_or_default(),
                status: entry.notification.status_element().to_owned(),
            });
        }
    }

    fn on_im(&mut self, now: Instant, key: &ServerKey, msg: &Message<'_>, cpim: Option<&Cpim<'_>>) {
        // The IM's headers, read once for rendering and for the delivery notification.
        let im = cpim.map(Cpim::im_headers);
        // The CPIM From names the sender; the SIP From stands in only without one.
        let sender = match im.as_ref().and_then(|im| im.from) {
            Some(from) => from.uri.to_owned(),
            None => msg
                .from()
                .ok()
                .and_then(|f| aor_of(&f.uri))
                .unwrap_or_default(),
        };
        // Without a Message-ID (no IMDN asked) the SIP identity of the request stands in.
        let id = match im.as_ref().and_then(|im| im.message_id) {
            Some(id) => id.to_owned(),
            None => format!(
                "{}|{}|{}",
                msg.call_id().unwrap_or(""),
                from_tag(msg),
                msg.cseq().map_or(0, |c| c.number)
            ),
        };
        self.core.respond(now, key, msg, 200);
        let seen = (sender, id);
        if !self.remember(seen.clone()) {
            return;
        }
        self.core.event(Event::ImRendered {
            user: self.config.aor.clone(),
            sender: seen.0,
            message_id: seen.1,
        });
        if let Some(im) = im {
            if im.dispositions.contains(Disposition::PositiveDelivery) {
                self.notify_delivered(now, &im);
            }
        }
    }

    /// Remembers `seen` (sender, Message-ID) unless already known; whether it was new. The
    /// oldest entry is forgotten past `RECEIVED_IM_IDS_MAX`.
    fn remember(&mut self, seen: (String, String)) -> bool {
        if !self.received.insert(seen.clone()) {
            return false;
        }
        if self.received_order.len() >= RECEIVED_IM_IDS_MAX {
            if let Some(oldest) = self.received_order.pop_front() {
                self.received.remove(&oldest);
            }
        }
        self.received_order.push_back(seen);
        true
    }

    fn notify_delivered(&mut self, now: Instant, im: &ImHeaders<'_>) {
        let delivered = Notification::Delivery(DeliveryStatus::Delivered);
        let Some(notification) = notification_about(im, delivered) else {
            return;
        };
        let stamp = date_time(self.config.wall_clock_origin_unix_s, now);
        let aor = &self.config.aor;
        let Ok(imdn) = imdn_request(&mut self.core.entropy, aor, im, &notification, &stamp) else {
            return;
        };
        let proxy = self.config.participating_function;
        let destination = Some(imdn.request_uri);
        // A full outbox drops the IMDN: RFC 5438 lets a recipient stay silent (section 14.2).
        let _ = self
            .core
            .send_outgoing(now, imdn.request, proxy, destination, UaRequest::Imdn);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::node::UserAgentConfig;
    use std::net::SocketAddr;

    #[test]
    fn an_im_is_remembered_once_and_the_oldest_is_forgotten_past_the_bound() {
        let at = |last: u8| SocketAddr::from(([10, 0, 0, last], 5060));
        let config = UserAgentConfig::new("sip:bob@beta.example", at(2), at(12), 1);
        let mut ua = UserAgent::new(config);
        let seen = |i: usize| ("sip:alice@alpha.example".to_owned(), format!("m{i}"));
        assert!(ua.remember(seen(0)));
        assert!(!ua.remember(seen(0)), "a duplicate is not new");
        for i in 1..=RECEIVED_IM_IDS_MAX {
            assert!(ua.remember(seen(i)));
        }
        assert_eq!(ua.received.len(), RECEIVED_IM_IDS_MAX);
        assert_eq!(ua.received_order.len(), RECEIVED_IM_IDS_MAX);
        assert!(!ua.received.contains(&seen(0)), "the oldest is forgotten");
        assert!(!ua.remember(seen(RECEIVED_IM_IDS_MAX)));
        assert!(ua.remember(seen(0)), "a forgotten IM is new again");
    }
}
