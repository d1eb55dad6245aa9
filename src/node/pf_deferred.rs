//! The participating function's terminating side: delivery to a registered user, deferral for
//! an unregistered one, delivery of stored copies after REGISTER, and expiry.
//!
//! Stored copies of one user are delivered oldest first, one at a time, each in a new
//! transaction with the byte-identical CPIM body; an IM arriving for a registered user who
//! still has copies waiting is stored behind them rather than overtaking them. An IMDN (or an
//! IM that cannot be stored) for such a user is not refused: it is relayed once the delivery in
//! flight to the user is answered, so the user never has two MESSAGEs pending from this server
//! (RFC 3428 section 8, S12).
//!
//! IMDNs are deferred like IMs (protocol.md section 10, decision 6): when the sender's binding
//! is lost (its server crashed, or the registration lapsed), an IMDN for it is stored, answered
//! 202, delivered after its next REGISTER in FIFO order with the IMs, and expires after the same
//! lifetime. A stored IMDN never causes an IMDN itself: no `stored` and no `failed` (S6).
//!
//! Each stored copy has exactly one outcome, `StoredDelivered` or `StoredExpired`. A copy in
//! flight does not expire: when its expiry passes during a delivery attempt, the attempt's
//! final response decides (2xx: delivered; anything else, including a local timer F: expired),
//! so a user agent that accepted the copy is never also reported `failed` (S4).

use super::identity::date_time;
use super::lent::with_lent;
use super::notify::{imdn_request, is_notification, notification_about};
use super::pf::{forward_on, ParticipatingFunction, PfRequest};
use super::sip_util::write_aor;
use super::wire::CpimMessage;
use super::{Event, Instant};
use crate::cpim::{Disposition, DispositionSet};
use crate::deferred::{StoreOutcome, StoredCopy};
use crate::imdn::{DeliveryStatus, Notification, ProcessingStatus};
use crate::sip::{Message, Uri};
use crate::transaction::ServerKey;

impl ParticipatingFunction {
    /// A MESSAGE for a user of this server's domain. Its AOR is written into the server's
    /// scratch buffer, lent for the call: a request relayed to a registered user (the common
    /// case) needs no owned copy of it.
    pub(crate) fn on_terminating(
        &mut self,
        now: Instant,
        key: ServerKey,
        msg: &Message<'_>,
        target: &Uri<'_>,
    ) {
        with_lent(
            self,
            |pf| &mut pf.aor_scratch,
            |pf, aor| pf.on_terminating_for(now, key, msg, target, aor),
        );
    }

    /// [`on_terminating`](Self::on_terminating) with `aor` as the buffer for the user's AOR.
    fn on_terminating_for(
        &mut self,
        now: Instant,
        key: ServerKey,
        msg: &Message<'_>,
        target: &Uri<'_>,
        aor: &mut String,
    ) {
        aor.clear();
        if !write_aor(target, aor) {
            self.core.respond(now, &key, msg, 404);
            return;
        }
        let waiting = self.store.oldest_for(aor).is_some();
        if let Some(binding) = self.bindings.get(aor) {
            let (contact, address) = (Some(binding.contact.as_str()), binding.address);
            if !waiting {
                // The common case: relayed now, the AOR only looked up.
                forward_on(&mut self.core, now, key, msg, contact, address, None);
                return;
            }
            // Copies are waiting: a storable IM queues behind them (FIFO per user); anything
            // else (an IMDN, an IM that cannot be stored) is relayed now, but only after the
            // delivery in flight to this user is answered (one pending MESSAGE, S12).
            if !is_storable_im(msg) {
                let user = Some(aor.clone());
                forward_on(&mut self.core, now, key, msg, contact, address, user);
                return;
            }
        }
        if !self.config.deferral && !waiting {
            self.core.respond(now, &key, msg, 480);
            return;
        }
        self.defer(now, key, msg, aor.clone());
    }

    /// Stores an IM or IMDN for an unregistered user and answers 202 (RFC 3428 section 7).
    fn defer(&mut self, now: Instant, key: ServerKey, msg: &Message<'_>, user: String) {
        // Only a CPIM body says what a stored copy is (its Message-ID, its dispositions);
        // anything else is not stored and not parsed as CPIM: the user is not available.
        let is_cpim = matches!(msg.content_type(), Ok(Some(t)) if t.is("message", "cpim"));
        if !is_cpim {
            self.core.respond(now, &key, msg, 480);
            return;
        }
        let Some(cpim) = self.core.body_read(now, &key, msg, crate::cpim::parse) else {
            return;
        };
        // Nothing to store a copy once by without a Message-ID. An IMDN for an offline user
        // (its sender's binding was lost) is stored like an IM (protocol.md section 10,
        // decision 6), but never requests an IMDN itself: no `stored`, no `failed` (S6).
        let notification = is_notification(&cpim);
        let Some(message_id) = cpim.message_id().map(str::to_owned) else {
            self.core.respond(now, &key, msg, 480);
            return;
        };
        let sip_from = msg.from().map_or(String::new(), |f| match f.display_name {
            Some(name) => format!("{name} <{}>", f.uri.as_str()),
            None => format!("<{}>", f.uri.as_str()),
        });
        let mut lifetime_ms = self.config.deferred_lifetime_ms;
        if let Ok(Some(expires_s)) = msg.expires() {
            lifetime_ms = lifetime_ms.min(u64::from(expires_s).saturating_mul(1000));
        }
        let dispositions = if notification {
            DispositionSet::EMPTY
        } else {
            cpim.disposition_notification()
        };
        let copy = StoredCopy {
            user: user.clone(),
            message_id: message_id.clone(),
            sip_from,
            cpim_body: msg.body().to_vec(),
            dispositions,
            stored_at: now,
            expires_at: now.plus_millis(lifetime_ms),
        };
        match self.store.store(copy) {
            Ok(StoreOutcome::Stored) => {
                self.core.respond(now, &key, msg, 202);
                self.deliver_next(now, &user);
                self.core.event(Event::Stored {
                    server: self.config.name.clone(),
                    user: user.clone(),
                    message_id,
                });
                if dispositions.contains(Disposition::Processing) {
                    let stored = Notification::Processing(ProcessingStatus::Stored);
                    self.notify(now, msg.body(), stored, &user);
                }
            }
            Ok(StoreOutcome::AlreadyKnown) => self.core.respond(now, &key, msg, 202),
            Err(_) => self.core.respond(now, &key, msg, 480),
        }
    }

    /// Starts delivering `user`'s oldest stored copy, unless one is in flight (FIFO, one at a time).
    pub(crate) fn deliver_next(&mut self, now: Instant, user: &str) {
        if self.store.in_flight(user).is_some() {
            return;
        }
        let (Some(binding), Some(copy)) = (self.bindings.get(user), self.store.oldest_for(user))
        else {
            return;
        };
        let (tag, call_id) = (self.core.entropy.token(), self.core.entropy.token());
        let request = CpimMessage {
            uri: &binding.contact,
            from: &[&copy.sip_from],
            tag: &tag,
            to: user,
            call_id: &[&call_id],
            body: &copy.cpim_body,
        }
        .to_outgoing();
        let address = binding.address;
        let message_id = copy.message_id.clone();
        if !self.store.begin_delivery(user, &message_id) {
            return;
        }
        let context = PfRequest::Deliver {
            user: user.to_owned(),
            message_id: message_id.clone(),
        };
        if self
            .core
            .send_outgoing(now, request, address, Some(user.to_owned()), context)
            .is_err()
        {
            self.store.abort_delivery(user, &message_id);
        }
    }

    /// The final response (or local 408) of a stored copy's delivery attempt.
    pub(crate) fn on_delivery_outcome(
        &mut self,
        now: Instant,
        user: &str,
        message_id: &str,
        code: u16,
    ) {
        if (200..300).contains(&code) {
            if self.store.resolve(user, message_id).is_some() {
                self.core.event(Event::StoredDelivered {
                    server: self.config.name.clone(),
                    user: user.to_owned(),
                    message_id: message_id.to_owned(),
                });
            }
            self.deliver_next(now, user);
            return;
        }
        let expired = self
            .store
            .get(user, message_id)
            .is_some_and(|c| c.expires_at <= now);
        if expired {
            self.expire(now, user, message_id);
            self.deliver_next(now, user);
        } else {
            // Transient: the copy waits for the user's next REGISTER.
            self.store.abort_delivery(user, message_id);
        }
    }

    /// Expires every stored copy whose lifetime is over and that is not in flight.
    pub(crate) fn expire_stored(&mut self, now: Instant) {
        for (user, message_id) in self.store.expired(now) {
            self.expire(now, &user, &message_id);
        }
    }

    /// A stored copy's one `expired` outcome, with a `failed` IMDN iff negative-delivery was asked.
    fn expire(&mut self, now: Instant, user: &str, message_id: &str) {
        let Some(copy) = self.store.resolve(user, message_id) else {
            return;
        };
        self.core.event(Event::StoredExpired {
            server: self.config.name.clone(),
            user: user.to_owned(),
            message_id: message_id.to_owned(),
        });
        if copy.dispositions.contains(Disposition::NegativeDelivery) {
            let failed = Notification::Delivery(DeliveryStatus::Failed);
            self.notify(now, &copy.cpim_body, failed, user);
        }
    }

    /// Sends `status` about the IM in `cpim_body` on behalf of `user` along its IMDN route.
    fn notify(&mut self, now: Instant, cpim_body: &[u8], status: Notification, user: &str) {
        let Ok(im) = crate::cpim::parse(cpim_body) else {
            return;
        };
        let im = im.im_headers();
        let Some(notification) = notification_about(&im, status) else {
            return;
        };
        let stamp = date_time(self.config.wall_clock_origin_unix_s, now);
        let Ok(imdn) = imdn_request(&mut self.core.entropy, user, &im, &notification, &stamp)
        else {
            return;
        };
        let Some(next_hop) = self.next_hop(&imdn.request_uri) else {
            return;
        };
        let destination = Some(imdn.request_uri);
        let _ =
            self.core
                .send_outgoing(now, imdn.request, next_hop, destination, PfRequest::Notify);
    }
}

/// Whether `msg` is an IM (not an IMDN) the deferred store can keep: a CPIM body with a
/// Message-ID.
fn is_storable_im(msg: &Message<'_>) -> bool {
    let is_cpim = matches!(msg.content_type(), Ok(Some(t)) if t.is("message", "cpim"));
    is_cpim
        && crate::cpim::parse(msg.body())
            .is_ok_and(|cpim| cpim.message_id().is_some() && !is_notification(&cpim))
}
