//! Abstract messages on the unordered network: small `Copy` values, cheap to hash and compare.
//!
//! Each packet names the hop it is on, so a delivery is one arrow of the ladder diagram. Users,
//! servers and messages are small integer ids (user `u` has participating server `u`).
//! IMDN statuses are bits so the requested set and the reported set are bitsets.

use serde::Serialize;

/// Status bit of a `delivered` delivery notification (requested by `positive-delivery`).
pub const DELIVERED: u8 = 1;
/// Status bit of a `failed` delivery notification (requested by `negative-delivery`).
pub const FAILED: u8 = 2;
/// Status bit of a `stored` processing notification (requested by `processing`).
pub const STORED: u8 = 4;
/// The three IMDN statuses the model distinguishes, in bit order.
pub const STATUSES: [u8; 3] = [DELIVERED, FAILED, STORED];

/// Index 0..3 of a status bit, for per-status counters.
pub fn status_index(status: u8) -> usize {
    match status {
        DELIVERED => 0,
        FAILED => 1,
        _ => 2,
    }
}

/// The IMDN status word for a status bit, as in the RFC 5438 XML.
pub fn status_word(status: u8) -> &'static str {
    match status {
        DELIVERED => "delivered",
        FAILED => "failed",
        _ => "stored",
    }
}

/// Bit of entry (recipient, status) in an aggregated IMDN's entry set.
pub fn entry_bit(recipient: u8, status: u8) -> u32 {
    1u32 << (u32::from(recipient) * 3 + status_index(status) as u32)
}

/// The (recipient, status) entries of an aggregated IMDN's entry set, in order.
pub fn entries(set: u32) -> impl Iterator<Item = (u8, u8)> {
    (0..32u32)
        .filter(move |bit| set & (1 << bit) != 0)
        .map(|bit| ((bit / 3) as u8, STATUSES[(bit % 3) as usize]))
}

/// A SIP final response code the model distinguishes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum Code {
    /// 200 OK: the final user agent has the IM.
    Ok200,
    /// 202 Accepted: a relay, exploder or store took the IM; says nothing about delivery.
    Accepted202,
    /// 403 Forbidden: the sender may not use the group.
    Forbidden403,
    /// 480 Temporarily Unavailable: the recipient is offline and the server does not defer.
    Unavailable480,
    /// The client's own Timer F fired (it reports 408 to itself; nobody sends 408 for a MESSAGE).
    Timeout408,
}

impl Code {
    /// The status line text, e.g. "202 Accepted".
    pub fn text(self) -> &'static str {
        match self {
            Code::Ok200 => "200 OK",
            Code::Accepted202 => "202 Accepted",
            Code::Forbidden403 => "403 Forbidden",
            Code::Unavailable480 => "480 Temporarily Unavailable",
            Code::Timeout408 => "timeout (Timer F)",
        }
    }
}

/// Where a group IM is: the sender's leg to the CF, or a fan-out leg to a recipient.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum ImHop {
    /// Sender's user agent to its own server.
    SenderToServer,
    /// Sender's server to the Controlling Function.
    ServerToCf,
    /// Fan-out leg: the CF to recipient `r`'s server.
    CfToServer {
        /// The recipient.
        r: u8,
    },
    /// Recipient `r`'s server to its user agent; `stored` if it is the deferred copy.
    ServerToUser {
        /// The recipient.
        r: u8,
        /// True when the server delivers its stored (deferred) copy after REGISTER.
        stored: bool,
    },
}

/// Where a final response to a group IM is (it retraces its request's hop).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum ResponseHop {
    /// The CF's answer to the sender's server.
    CfToServer,
    /// Relayed by the sender's server to the sender.
    ServerToSender,
    /// Recipient `r`'s user agent to its server.
    UserToServer {
        /// The recipient.
        r: u8,
        /// True when it answers the deferred copy.
        stored: bool,
    },
    /// Recipient `r`'s server to the CF (the leg's final response).
    ServerToCf {
        /// The recipient.
        r: u8,
    },
}

/// Where an IMDN is on its route recipient -> its server -> CF -> sender's server -> sender.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum ImdnHop {
    /// The recipient's user agent to its server.
    UserToServer,
    /// The recipient's server to the CF (servers also originate `stored` and `failed` here).
    ServerToCf,
    /// The CF to the sender's server.
    CfToServer,
    /// The sender's server to the sender.
    ServerToSender,
}

/// One message in flight.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum Packet {
    /// The group IM `m` (a MESSAGE carrying CPIM with `imdn.Message-ID`).
    Im {
        /// The message.
        m: u8,
        /// Its hop.
        hop: ImHop,
    },
    /// A final response to the IM `m`.
    Response {
        /// The message.
        m: u8,
        /// The status code.
        code: Code,
        /// Its hop.
        hop: ResponseHop,
    },
    /// A MESSAGE carrying one IMDN: recipient `r`'s `status` for message `m`.
    Imdn {
        /// The message the notification is about.
        m: u8,
        /// The recipient it reports on.
        r: u8,
        /// The status bit (DELIVERED, FAILED or STORED).
        status: u8,
        /// Its hop.
        hop: ImdnHop,
        /// A network copy of a MESSAGE already sent to the sender (same IMDN Message-ID).
        copy: bool,
    },
    /// A MESSAGE carrying an aggregated IMDN (multipart/mixed of several entries) for `m`.
    Aggregate {
        /// The message the notifications are about.
        m: u8,
        /// Set of (recipient, status) entries, see `entry_bit`.
        entries: u32,
        /// Its hop (only CfToServer or ServerToSender).
        hop: ImdnHop,
        /// A network copy of a MESSAGE already sent to the sender.
        copy: bool,
    },
    /// REGISTER from user `u` to its server.
    Register {
        /// The user.
        u: u8,
    },
    /// 200 OK to user `u`'s REGISTER.
    RegisterOk {
        /// The user.
        u: u8,
    },
}

impl Packet {
    /// True for a response (with retransmission, its loss makes the client retransmit its
    /// request).
    pub fn is_response(self) -> bool {
        matches!(self, Packet::Response { .. } | Packet::RegisterOk { .. })
    }

    /// The group IM this packet is about, if any.
    pub fn message(self) -> Option<u8> {
        match self {
            Packet::Im { m, .. }
            | Packet::Response { m, .. }
            | Packet::Imdn { m, .. }
            | Packet::Aggregate { m, .. } => Some(m),
            Packet::Register { .. } | Packet::RegisterOk { .. } => None,
        }
    }

    /// The request a client retransmits when this response is lost.
    pub fn retransmitted_request(self) -> Option<Packet> {
        match self {
            Packet::Response { m, hop, .. } => Some(Packet::Im {
                m,
                hop: match hop {
                    ResponseHop::CfToServer => ImHop::ServerToCf,
                    ResponseHop::ServerToSender => ImHop::SenderToServer,
                    ResponseHop::UserToServer { r, stored } => ImHop::ServerToUser { r, stored },
                    ResponseHop::ServerToCf { r } => ImHop::CfToServer { r },
                },
            }),
            Packet::RegisterOk { u } => Some(Packet::Register { u }),
            _ => None,
        }
    }

    /// The packet as a network duplicate: a notification towards the sender is marked as a copy.
    pub fn duplicated(self) -> Packet {
        match self {
            Packet::Imdn {
                m,
                r,
                status,
                hop: hop @ (ImdnHop::CfToServer | ImdnHop::ServerToSender),
                ..
            } => Packet::Imdn {
                m,
                r,
                status,
                hop,
                copy: true,
            },
            Packet::Aggregate {
                m, entries, hop, ..
            } => Packet::Aggregate {
                m,
                entries,
                hop,
                copy: true,
            },
            other => other,
        }
    }
}
