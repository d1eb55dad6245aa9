//! The abstraction of one concrete message: SIP bytes on a hop between two lanes become the
//! model's [`Packet`] on that hop, or traffic the model does not represent.
//!
//! - A MESSAGE carrying an IM is `Im { m, hop }`: `m` by its CPIM `imdn.Message-ID` (the one
//!   the sender's agent gave scenario IM `m`), the hop by the lanes' roles. A server's message
//!   to its own user is the deferred copy (`stored`) when it is a new request of the server
//!   (one Via) rather than a proxied one (the upstream Vias kept).
//! - A MESSAGE carrying one IMDN is `Imdn { m, r, status, hop }`; one carrying a
//!   multipart/mixed of several is `Aggregate { m, entries, hop }` (copy is always false here:
//!   which of two copies is "the copy" is the model's bookkeeping, see `lockstep`).
//! - REGISTER is `Register { u }`; its 200 is `RegisterOk { u }`.
//! - A final response is `Response { m, code, hop }` for the hop its request took, found by the
//!   top Via branch (a response retraces its request, RFC 3261 section 18.2.2).
//! - Responses to IMDN MESSAGEs and provisional responses are not modelled (the model says so,
//!   `imflow_model` crate docs); they are [`Abstract::Unmodelled`].

use crate::imdn::{DeliveryStatus, Notification, ProcessingStatus};
use crate::multipart::{boundary_from_content_type, parse_aggregate, IMDN_MEDIA_TYPE};
use crate::sim::{Cast, Role};
use crate::sip::{parse_datagram, Message};
use imflow_model::message::{
    entry_bit, Code, ImHop, ImdnHop, Packet, ResponseHop, DELIVERED, FAILED, STORED,
};
use std::collections::HashMap;

/// What one concrete message is, abstractly.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Abstract {
    /// A model packet.
    Packet(Packet),
    /// Traffic the model does not represent (a response to an IMDN, a provisional response).
    Unmodelled(&'static str),
    /// A message the map cannot place: a divergence in itself (see the reason).
    Unknown(&'static str),
}

/// The map's memory: each request's packet by its top Via branch (responses are matched to it),
/// and each scenario IM's Message-ID.
#[derive(Debug, Clone, Default)]
pub struct PacketMap {
    requests: HashMap<String, Packet>,
    message_ids: Vec<Option<String>>,
}

impl PacketMap {
    /// A map for a run whose scenario IMs got these Message-IDs.
    pub fn new(message_ids: &[Option<String>]) -> PacketMap {
        PacketMap {
            requests: HashMap::new(),
            message_ids: message_ids.to_vec(),
        }
    }

    /// The abstraction of `bytes` sent from lane `from` to lane `to`; a request is remembered
    /// by its branch so its responses can be placed.
    pub fn abstract_message(
        &mut self,
        cast: &Cast,
        from: usize,
        to: usize,
        bytes: &[u8],
    ) -> Abstract {
        let Ok(msg) = parse_datagram(bytes) else {
            return Abstract::Unknown("bytes that do not parse as SIP");
        };
        let Ok(branch) = msg.top_via().map(|v| v.branch().unwrap_or("").to_owned()) else {
            return Abstract::Unknown("a message without a Via");
        };
        if let Some(status) = msg.status() {
            return self.response(status.code(), &branch);
        }
        let roles = (cast.roles.get(from).copied(), cast.roles.get(to).copied());
        let result = match msg.method().map(|m| m.as_str()) {
            Some("REGISTER") => match roles.0 {
                Some(Role::UserAgent { user }) => {
                    Abstract::Packet(Packet::Register { u: user as u8 })
                }
                _ => Abstract::Unknown("a REGISTER not sent by a user agent"),
            },
            Some("MESSAGE") => self.message(cast, roles, &msg),
            _ => Abstract::Unknown("a request method the model does not know"),
        };
        if let Abstract::Packet(p) = result {
            self.requests.insert(branch, p);
        }
        result
    }

    fn response(&self, code: u16, branch: &str) -> Abstract {
        if code < 200 {
            return Abstract::Unmodelled("a provisional response");
        }
        match self.requests.get(branch) {
            Some(Packet::Register { u }) if code == 200 => {
                Abstract::Packet(Packet::RegisterOk { u: *u })
            }
            Some(Packet::Im { m, hop }) => match model_code(code) {
                Some(code) => Abstract::Packet(Packet::Response {
                    m: *m,
                    code,
                    hop: response_hop(*hop),
                }),
                None => Abstract::Unknown("a response code the model does not know"),
            },
            Some(Packet::Imdn { .. } | Packet::Aggregate { .. }) => {
                Abstract::Unmodelled("a response to an IMDN MESSAGE")
            }
            Some(_) => Abstract::Unknown("a REGISTER answered with other than 200"),
            None => Abstract::Unknown("a response to a request the map never saw"),
        }
    }

    fn message(
        &self,
        cast: &Cast,
        roles: (Option<Role>, Option<Role>),
        msg: &Message<'_>,
    ) -> Abstract {
        let is_cpim = matches!(msg.content_type(), Ok(Some(t)) if t.is("message", "cpim"));
        let Some(cpim) = is_cpim
            .then(|| crate::cpim::parse(msg.body()).ok())
            .flatten()
        else {
            return Abstract::Unknown("a MESSAGE without a Message/CPIM body");
        };
        let notification = cpim
            .content_disposition()
            .is_some_and(|d| d.trim().eq_ignore_ascii_case("notification"));
        if notification {
            return self.notification(cast, roles, &cpim);
        }
        let Some(m) = cpim.message_id().and_then(|id| self.index_of(id)) else {
            return Abstract::Unknown("an IM that is none of the scenario's");
        };
        let hop = match roles {
            (Some(Role::UserAgent { .. }), Some(Role::ParticipatingFunction { .. })) => {
                ImHop::SenderToServer
            }
            (Some(Role::ParticipatingFunction { .. }), Some(Role::ControllingFunction)) => {
                ImHop::ServerToCf
            }
            (Some(Role::ControllingFunction), Some(Role::ParticipatingFunction { user })) => {
                ImHop::CfToServer { r: user as u8 }
            }
            (Some(Role::ParticipatingFunction { .. }), Some(Role::UserAgent { user })) => {
                ImHop::ServerToUser {
                    r: user as u8,
                    stored: msg.vias().count() == 1,
                }
            }
            _ => return Abstract::Unknown("an IM on a hop the model does not have"),
        };
        Abstract::Packet(Packet::Im { m, hop })
    }

    fn notification(
        &self,
        cast: &Cast,
        roles: (Option<Role>, Option<Role>),
        cpim: &crate::cpim::Cpim<'_>,
    ) -> Abstract {
        let hop = match roles {
            (Some(Role::UserAgent { .. }), Some(Role::ParticipatingFunction { .. })) => {
                ImdnHop::UserToServer
            }
            (Some(Role::ParticipatingFunction { .. }), Some(Role::ControllingFunction)) => {
                ImdnHop::ServerToCf
            }
            (Some(Role::ControllingFunction), Some(Role::ParticipatingFunction { .. })) => {
                ImdnHop::CfToServer
            }
            (Some(Role::ParticipatingFunction { .. }), Some(Role::UserAgent { .. })) => {
                ImdnHop::ServerToSender
            }
            _ => return Abstract::Unknown("an IMDN on a hop the model does not have"),
        };
        let content_type = cpim.content_type().unwrap_or("");
        let media = crate::cpim::mime::media_type(content_type);
        let (entries, aggregate) = if media.eq_ignore_ascii_case(IMDN_MEDIA_TYPE) {
            match crate::imdn::parse(cpim.content) {
                Ok(n) => (vec![n], false),
                Err(_) => return Abstract::Unknown("an IMDN document that does not parse"),
            }
        } else {
            let parsed = boundary_from_content_type(content_type)
                .and_then(|b| parse_aggregate(cpim.content, b).ok());
            match parsed {
                Some(entries) => (entries, true),
                None => return Abstract::Unknown("an aggregated IMDN that does not parse"),
            }
        };
        let mut message = None;
        let mut set = 0u32;
        let mut single = None;
        for entry in &entries {
            let Some(m) = self.index_of(&entry.message_id) else {
                return Abstract::Unknown("an IMDN about none of the scenario's IMs");
            };
            if message.is_some_and(|first| first != m) {
                return Abstract::Unknown("an aggregated IMDN about two IMs");
            }
            message = Some(m);
            let recipient = entry
                .recipient_uri
                .as_deref()
                .and_then(|uri| cast.user_by_aor(uri));
            let (Some(r), Some(status)) = (recipient, status_bit(entry.notification)) else {
                return Abstract::Unknown(
                    "an IMDN entry for no scenario user or of a kind the model lacks",
                );
            };
            set |= entry_bit(r as u8, status);
            single = Some((r as u8, status));
        }
        match (message, single, aggregate) {
            (Some(m), Some((r, status)), false) => Abstract::Packet(Packet::Imdn {
                m,
                r,
                status,
                hop,
                copy: false,
            }),
            (Some(m), Some(_), true) => Abstract::Packet(Packet::Aggregate {
                m,
                entries: set,
                hop,
                copy: false,
            }),
            _ => Abstract::Unknown("an IMDN MESSAGE without entries"),
        }
    }

    fn index_of(&self, message_id: &str) -> Option<u8> {
        self.message_ids
            .iter()
            .position(|id| id.as_deref() == Some(message_id))
            .map(|i| i as u8)
    }
}

/// The model's status bit of a notification, if the model has that kind.
fn status_bit(notification: Notification) -> Option<u8> {
    match notification {
        Notification::Delivery(DeliveryStatus::Delivered) => Some(DELIVERED),
        Notification::Delivery(DeliveryStatus::Failed) => Some(FAILED),
        Notification::Processing(ProcessingStatus::Stored) => Some(STORED),
        _ => None,
    }
}

/// The model's code of a final response status, if the model distinguishes it.
pub fn model_code(code: u16) -> Option<Code> {
    match code {
        200 => Some(Code::Ok200),
        202 => Some(Code::Accepted202),
        403 => Some(Code::Forbidden403),
        480 => Some(Code::Unavailable480),
        408 => Some(Code::Timeout408),
        _ => None,
    }
}

/// The hop a response to a request on `hop` takes.
pub fn response_hop(hop: ImHop) -> ResponseHop {
    match hop {
        ImHop::SenderToServer => ResponseHop::ServerToSender,
        ImHop::ServerToCf => ResponseHop::CfToServer,
        ImHop::CfToServer { r } => ResponseHop::ServerToCf { r },
        ImHop::ServerToUser { r, stored } => ResponseHop::UserToServer { r, stored },
    }
}
