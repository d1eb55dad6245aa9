//! What a user agent does with a request: an IM is rendered once per (sender, Message-ID) and
//! answered 200 with no body and no Contact (RFC 3428 section 7); the requested delivery IMDN
//! follows the rendering (RFC 5438 section 7.2.1); an IMDN, single or aggregated, is answered
//! 200 and each entry reported to the user, once per IMDN message (its CPIM From and
//! Message-ID), however often that message arrives.

use super::identity::date_time_text;
use super::notify::{imdn_request_from, is_notification, notification_about, read_notifications};
use super::sip_util::{aor_of, from_tag};
use super::ua::{UaRequest, UserAgent, RECEIVED_IM_IDS_MAX};
use super::wire::{decimal_bytes, DECIMAL_DIGITS_MAX};
use super::{Event, Instant};
use crate::cpim::{CpimEntity, Disposition, ImHeaders};
use crate::imdn::{DeliveryStatus, Notification};
use crate::sip::Message;
use crate::transaction::ServerKey;
use std::borrow::Cow;
use std::sync::Arc;

impl UserAgent {
    /// A request of a new server transaction.
    pub(crate) fn on_request(&mut self, now: Instant, key: &ServerKey, msg: &Message<'_>) {
        if msg.method().map(|m| m.as_str()) != Some("MESSAGE") {
            self.core.respond(now, key, msg, 405);
            return;
        }
        // The Content-Type is read once, for both questions (not again by `Core::cpim_body`).
        let content_type = msg.content_type().ok().flatten();
        if content_type.is_some_and(|t| t.is("text", "plain")) {
            // RFC 3428 section 7: a UAS must accept text/plain; it carries no IMDN request.
            self.on_im(now, key, msg, None);
            return;
        }
        if !content_type.is_some_and(|t| t.is("message", "cpim")) {
            self.core.respond(now, key, msg, 415);
            return;
        }
        // The headers an IM is rendered and notified by are read along with the parse.
        let Some((entity, im)) = self.core.body_read(now, key, msg, crate::cpim::parse_im) else {
            return;
        };
        if is_notification(&entity) {
            self.on_imdn(now, key, msg, &entity, &im);
        } else {
            self.on_im(now, key, msg, Some(im));
        }
    }

    /// An IMDN: `entity` is its body's encapsulated object, `im` the headers read along with
    /// it (its From and Message-ID name the IMDN message itself).
    fn on_imdn(
        &mut self,
        now: Instant,
        key: &ServerKey,
        msg: &Message<'_>,
        entity: &CpimEntity<'_>,
        im: &ImHeaders<'_>,
    ) {
        let entries = match read_notifications(entity) {
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
        if let (Some(from), Some(id)) = (&im.from, im.message_id) {
            if !self.remember(from.uri, id) {
                return;
            }
        }
        for entry in entries {
            let fields = entry.fields();
            self.core.event(Event::ImdnRendered {
                user: self.config.aor.clone(),
                message_id: fields.message_id.to_owned(),
                recipient: fields.recipient_uri.unwrap_or_default().to_owned(),
                status: fields.notification.status_element().to_owned(),
            });
        }
    }

    /// An IM: `im` holds its CPIM headers (read once for rendering and for the delivery
    /// notification), `None` for a `text/plain` body.
    fn on_im(
        &mut self,
        now: Instant,
        key: &ServerKey,
        msg: &Message<'_>,
        im: Option<ImHeaders<'_>>,
    ) {
        // The CPIM From names the sender; the SIP From stands in only without one.
        let sender: Cow<'_, str> = match im.as_ref().and_then(|im| im.from) {
            Some(from) => Cow::Borrowed(from.uri),
            None => Cow::Owned(
                msg.from()
                    .ok()
                    .and_then(|f| aor_of(&f.uri))
                    .unwrap_or_default(),
            ),
        };
        // Without a Message-ID (no IMDN asked) the SIP identity of the request stands in.
        let id: Cow<'_, str> = match im.as_ref().and_then(|im| im.message_id) {
            Some(id) => Cow::Borrowed(id),
            None => Cow::Owned(format!(
                "{}|{}|{}",
                msg.call_id().unwrap_or(""),
                from_tag(msg),
                msg.cseq().map_or(0, |c| c.number)
            )),
        };
        self.core.respond(now, key, msg, 200);
        if !self.remember(&sender, &id) {
            return;
        }
        self.core.event(Event::ImRendered {
            user: self.config.aor.clone(),
            sender: sender.into_owned(),
            message_id: id.into_owned(),
        });
        if let Some(im) = im {
            if im.dispositions.contains(Disposition::PositiveDelivery) {
                self.notify_delivered(now, &im);
            }
        }
    }

    /// Remembers the IM (`sender`, `message_id`) unless already known; whether it was new.
    /// The oldest entry is forgotten past `RECEIVED_IM_IDS_MAX`. The key is written into a
    /// reused buffer and copied once into the one copy both lists share.
    fn remember(&mut self, sender: &str, message_id: &str) -> bool {
        let mut key = std::mem::take(&mut self.received_key);
        received_key(&mut key, sender, message_id);
        // A repeat is rare (a late duplicate), so the shared copy is made before the one
        // lookup that both tests and inserts.
        let shared: Arc<str> = Arc::from(key.as_str());
        self.received_key = key;
        if !self.received.insert(Arc::clone(&shared)) {
            return false;
        }
        if self.received_order.len() >= RECEIVED_IM_IDS_MAX {
            if let Some(oldest) = self.received_order.pop_front() {
                self.received.remove(&oldest);
            }
        }
        self.received_order.push_back(shared);
        true
    }

    fn notify_delivered(&mut self, now: Instant, im: &ImHeaders<'_>) {
        let delivered = Notification::Delivery(DeliveryStatus::Delivered);
        let Some(notification) = notification_about(im, delivered) else {
            return;
        };
        let stamp = date_time_text(self.config.wall_clock_origin_unix_s, now);
        let aor = (self.config.aor.as_str(), self.aor_is_ascii_uri);
        // Written into the node's chunk of sent bytes.
        let (entropy, layer) = (&mut self.core.entropy, &mut self.core.layer);
        let stamp = (&*stamp, stamp.is_rfc3339_as_written());
        let Ok(imdn) = imdn_request_from(entropy, layer, aor, im, &notification, stamp) else {
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

/// Writes the key of (`sender`, `message_id`) into `out`: the Message-ID's length in decimal,
/// `:`, the Message-ID, then the sender, so no two pairs share a key whatever bytes they hold.
/// The Message-ID comes first: it is random, so keys differ in their first bytes and a lookup
/// compares few bytes (every IM of one sender shares its URI).
pub(crate) fn received_key(out: &mut String, sender: &str, message_id: &str) {
    let mut digits = [0u8; DECIMAL_DIGITS_MAX];
    out.clear();
    out.reserve(DECIMAL_DIGITS_MAX + 1 + sender.len() + message_id.len());
    // Digits are ASCII: pushed as chars, with no UTF-8 check of the digit string.
    out.extend(
        decimal_bytes(message_id.len() as u64, &mut digits)
            .iter()
            .map(|&d| char::from(d)),
    );
    out.push(':');
    out.push_str(message_id);
    out.push_str(sender);
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
        let sender = "sip:alice@alpha.example";
        let seen = |i: usize| format!("m{i}");
        let key = |i: usize| {
            let mut k = String::new();
            received_key(&mut k, sender, &seen(i));
            k
        };
        assert!(ua.remember(sender, &seen(0)));
        assert!(!ua.remember(sender, &seen(0)), "a duplicate is not new");
        for i in 1..=RECEIVED_IM_IDS_MAX {
            assert!(ua.remember(sender, &seen(i)));
        }
        assert_eq!(ua.received.len(), RECEIVED_IM_IDS_MAX);
        assert_eq!(ua.received_order.len(), RECEIVED_IM_IDS_MAX);
        assert!(
            !ua.received.contains(key(0).as_str()),
            "the oldest is forgotten"
        );
        assert!(!ua.remember(sender, &seen(RECEIVED_IM_IDS_MAX)));
        assert!(ua.remember(sender, &seen(0)), "a forgotten IM is new again");
    }

    #[test]
    fn a_sender_and_message_id_pair_has_a_key_no_other_pair_shares() {
        let mut a = String::new();
        let mut b = String::new();
        received_key(&mut a, "sip:a@x", "1m");
        received_key(&mut b, "msip:a@x", "1");
        assert_ne!(a, b);
        assert_eq!(b, "1:1msip:a@x");
        received_key(&mut b, "s", &"m".repeat(120));
        assert_eq!(b, format!("120:{}s", "m".repeat(120)));
        received_key(&mut b, "sip:a@x", "1m");
        assert_eq!(a, b);
    }
}
