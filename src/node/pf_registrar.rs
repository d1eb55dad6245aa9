//! The participating function as registrar (RFC 3261 section 10.3): one binding per user,
//! the 200 lists it with its remaining lifetime, and a new binding starts the delivery of the
//! user's deferred copies.

use super::pf::{Binding, ParticipatingFunction, BINDINGS_MAX};
use super::sip_util::{aor_of, host_of, response_bytes_with_contact};
use super::Instant;
use crate::sip::{Contact, Message};
use crate::transaction::ServerKey;
use std::net::SocketAddr;

impl ParticipatingFunction {
    /// The most users this registrar keeps bindings for: as configured, never above
    /// [`BINDINGS_MAX`].
    fn bindings_max(&self) -> usize {
        self.config().bindings_max.min(BINDINGS_MAX)
    }

    /// A REGISTER for this server's domain.
    pub(crate) fn on_register(&mut self, now: Instant, key: &ServerKey, msg: &Message<'_>) {
        let Some(aor) = msg.to().ok().and_then(|t| aor_of(&t.uri)) else {
            self.core.respond(now, key, msg, 400);
            return;
        };
        if !host_of(&aor).is_some_and(|h| super::pf::names(h, &self.config.domain)) {
            self.core.respond(now, key, msg, 404);
            return;
        }
        let header_expires = msg.expires().ok().flatten();
        let mut update: Option<Option<Binding>> = None;
        for contact in msg.contacts() {
            match contact {
                Ok(Contact::Wildcard) => update = Some(None),
                Ok(Contact::Address(a)) => {
                    let expires = a
                        .params
                        .get("expires")
                        .flatten()
                        .and_then(|v| v.parse::<u32>().ok())
                        .or(header_expires)
                        .unwrap_or(self.config.default_register_expires_s);
                    let Some(address) = contact_address(&a.uri) else {
                        self.core.respond(now, key, msg, 400);
                        return;
                    };
                    update = Some((expires > 0).then(|| Binding {
                        contact: a.uri.as_str().to_owned(),
                        address,
                        expires_at: now.plus_millis(u64::from(expires).saturating_mul(1000)),
                    }));
                }
                Err(_) => {
                    self.core.respond(now, key, msg, 400);
                    return;
                }
            }
        }
        let is_new_user = !self.bindings.contains(&aor);
        match update {
            Some(Some(_)) if is_new_user && self.bindings.len() >= self.bindings_max() => {
                self.core.respond(now, key, msg, 503);
                return;
            }
            Some(Some(binding)) => {
                self.bindings.insert(aor.clone(), binding);
            }
            Some(None) => {
                self.bindings.remove(&aor);
            }
            None => {}
        }
        let tag = self.core.entropy.token();
        let remaining = self.bindings.get(&aor).map(|b| {
            let remaining_s = b.expires_at.0.saturating_sub(now.0) / 1_000_000;
            (b.contact.as_str(), remaining_s.to_string())
        });
        let contact = remaining
            .as_ref()
            .map(|(uri, s)| ["<", uri, ">;expires=", s.as_str()]);
        let response =
            response_bytes_with_contact(msg, 200, &tag, contact.as_ref().map(|c| &c[..]));
        self.core.respond_with(now, key, 200, response);
        self.deliver_next(now, &aor);
    }
}

/// The socket address a Contact URI names: an IP literal host and its port (default 5060).
fn contact_address(uri: &crate::sip::Uri<'_>) -> Option<SocketAddr> {
    let sip = uri.as_sip()?;
    format!("{}:{}", sip.host, sip.port.unwrap_or(5060))
        .parse()
        .ok()
}
