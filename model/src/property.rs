//! The property catalogue of DESIGN.md section 3: one id and one name per property, shared by the
//! model, the runtime monitors, the CLI and the proofs.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// What kind of check a property is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum PropertyKind {
    /// Must hold in every reachable state (stateright `always`).
    Safety,
    /// A stable fact that must hold in every terminal state (terminal-state safety).
    Liveness,
    /// Some reachable state must satisfy it (stateright `sometimes`).
    Reachability,
}

impl PropertyKind {
    /// Lower-case word used in reports: "safety", "liveness", "reachability".
    pub fn word(self) -> &'static str {
        match self {
            PropertyKind::Safety => "safety",
            PropertyKind::Liveness => "liveness",
            PropertyKind::Reachability => "reachability",
        }
    }
}

/// A model-level property of the catalogue (DESIGN.md section 3).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum PropertyId {
    /// No IMDN of a kind the sender did not request.
    S1,
    /// The sender receives each (message, recipient, kind) at most once.
    S2,
    /// A `delivered` for (m, r) reaches the sender only after r's user agent accepted m.
    S3,
    /// Never both `delivered` and `failed` for (m, r); a deferred copy is delivered or expired.
    S4,
    /// Every IMDN for m ends at m's sender and nobody else.
    S5,
    /// Fan-out reaches every member except the sender, each once.
    S7,
    /// A non-member's IM gets 403, no fan-out, no IMDN.
    S8,
    /// A user agent hands a message to its user at most once.
    S9,
    /// Only the final user agent answers 200; nobody infers delivery from 202.
    S10,
    /// Every accepted IM is eventually offered to every recipient.
    L2,
    /// Every stored copy is eventually delivered or expired, with `failed` iff requested.
    L3,
    /// Each recipient whose agent accepted m is eventually reported `delivered` if requested.
    L4,
    /// Every aggregation buffer is eventually flushed and per-message CF state freed.
    L5,
    /// The seed flow (one aggregate for the online recipients, then each deferred IMDN) is reachable.
    R1,
}

impl PropertyId {
    /// Every property of the catalogue, in catalogue order.
    pub const ALL: [PropertyId; 14] = [
        PropertyId::S1,
        PropertyId::S2,
        PropertyId::S3,
        PropertyId::S4,
        PropertyId::S5,
        PropertyId::S7,
        PropertyId::S8,
        PropertyId::S9,
        PropertyId::S10,
        PropertyId::L2,
        PropertyId::L3,
        PropertyId::L4,
        PropertyId::L5,
        PropertyId::R1,
    ];

    /// The short id, e.g. "S2".
    pub fn id(self) -> &'static str {
        self.label().split(' ').next().unwrap_or("")
    }

    /// The catalogue name, e.g. "one-notification-per-recipient".
    pub fn name(self) -> &'static str {
        let label = self.label();
        label.split_once(' ').map_or(label, |(_, name)| name)
    }

    /// Safety, liveness or reachability.
    pub fn kind(self) -> PropertyKind {
        match self {
            PropertyId::L2 | PropertyId::L3 | PropertyId::L4 | PropertyId::L5 => {
                PropertyKind::Liveness
            }
            PropertyId::R1 => PropertyKind::Reachability,
            _ => PropertyKind::Safety,
        }
    }

    /// "id name", e.g. "S2 one-notification-per-recipient"; the stateright property name.
    pub fn label(self) -> &'static str {
        match self {
            PropertyId::S1 => "S1 requested-only",
            PropertyId::S2 => "S2 one-notification-per-recipient",
            PropertyId::S3 => "S3 delivered-means-received",
            PropertyId::S4 => "S4 delivered-xor-failed",
            PropertyId::S5 => "S5 notifications-only-to-sender",
            PropertyId::S7 => "S7 fan-out-once-without-sender",
            PropertyId::S8 => "S8 non-member-rejected",
            PropertyId::S9 => "S9 at-most-once-delivery",
            PropertyId::S10 => "S10 relay-answers-202",
            PropertyId::L2 => "L2 fan-out-completes",
            PropertyId::L3 => "L3 deferred-resolved",
            PropertyId::L4 => "L4 every-recipient-accounted",
            PropertyId::L5 => "L5 cf-state-freed",
            PropertyId::R1 => "R1 seed-flow-reachable",
        }
    }

    /// Parses "S2", "S2 one-notification-per-recipient" or "one-notification-per-recipient".
    pub fn from_label(text: &str) -> Option<PropertyId> {
        let text = text.trim();
        PropertyId::ALL
            .into_iter()
            .find(|p| p.label() == text || p.id().eq_ignore_ascii_case(text) || p.name() == text)
    }
}

impl std::fmt::Display for PropertyId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.label())
    }
}

impl Serialize for PropertyId {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.id())
    }
}

impl<'de> Deserialize<'de> for PropertyId {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        PropertyId::from_label(&text).ok_or_else(|| {
            serde::de::Error::custom(format!(
                "unknown property `{text}`: expected an id S1..S10, L2..L5, R1 or its name"
            ))
        })
    }
}
