//! Runtime monitors: every observable property of the catalogue, checked on a simulated run.
//!
//! The model-level properties keep the ids and names of [`imflow_model::PropertyId`] (S1, S2,
//! S3, S4, S5, S7, S8, S9, S10 as safety; L2, L3, L4, L5 at the end of a quiescent run); the
//! wire-level rules only the implementation can break are [`WireRule`]s (S6, S11, S12, S13, S15,
//! S16). Each monitor reads the run record of [`crate::sim`]: every message on the wire, decoded
//! with the project's codec ([`wire`]), and every event the nodes reported. A [`Violation`] names
//! the property, the step (the 1-based entry of the run record, which is also the step of the
//! run's trace) and the seed that reproduces it.
//!
//! The checks, by file: `wire_rules` (S6, S11, S12, S13, S15, S16), `delivery` (S1 to S5, S9:
//! what the user agents saw), `relay` (S7, S8, S10: what the Controlling Function and the
//! participating servers sent), `liveness` (L2 to L5).

mod context;
mod delivery;
mod liveness;
mod relay;
pub mod wire;
mod wire_rules;

pub use wire_rules::UDP_MESSAGE_BYTES_MAX;

use crate::sim::SimRun;
use imflow_model::{PropertyId, PropertyKind};

/// A wire-level rule of DESIGN.md section 3 that only the implementation can break.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum WireRule {
    /// No IMDN requests an IMDN, no IMDN for an IMDN, no IMDN-Record-Route in an IMDN.
    S6,
    /// No Contact in a MESSAGE, and no Contact and no body in a MESSAGE's 2xx.
    S11,
    /// At most one pending out-of-dialog MESSAGE per (sender, destination URI).
    S12,
    /// Message-ID, DateTime, requested dispositions and payload preserved end to end.
    S13,
    /// A message over UDP is at most 1300 bytes.
    S15,
    /// Nobody sends 408 on the wire (a timed-out client reports 408 locally).
    S16,
}

impl WireRule {
    /// Every wire rule, in catalogue order.
    pub const ALL: [WireRule; 6] = [
        WireRule::S6,
        WireRule::S11,
        WireRule::S12,
        WireRule::S13,
        WireRule::S15,
        WireRule::S16,
    ];

    /// "id name", e.g. "S6 no-imdn-for-imdn".
    pub fn label(self) -> &'static str {
        match self {
            WireRule::S6 => "S6 no-imdn-for-imdn",
            WireRule::S11 => "S11 no-contact-no-body-in-2xx",
            WireRule::S12 => "S12 one-pending-message-per-destination",
            WireRule::S13 => "S13 im-preserved-end-to-end",
            WireRule::S15 => "S15 udp-size-limit",
            WireRule::S16 => "S16 no-408-on-the-wire",
        }
    }
}

/// A property a monitor checks: one of the model's, or a wire rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Monitored {
    /// A property of [`imflow_model::PropertyId`].
    Model(PropertyId),
    /// A wire-level rule.
    Wire(WireRule),
}

impl Monitored {
    /// "id name", e.g. "S2 one-notification-per-recipient".
    pub fn label(self) -> &'static str {
        match self {
            Monitored::Model(p) => p.label(),
            Monitored::Wire(w) => w.label(),
        }
    }

    /// The short id, e.g. "S2".
    pub fn id(self) -> &'static str {
        self.label().split(' ').next().unwrap_or("")
    }

    /// Safety or liveness (wire rules are safety).
    pub fn kind(self) -> PropertyKind {
        match self {
            Monitored::Model(p) => p.kind(),
            Monitored::Wire(_) => PropertyKind::Safety,
        }
    }
}

impl std::fmt::Display for Monitored {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.label())
    }
}

/// One monitor violation: which property, at which step of which seed, and what was seen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Violation {
    /// The property violated.
    pub property: Monitored,
    /// The 1-based step of the run record (and of the run's trace) where it was seen.
    pub step: usize,
    /// The seed that reproduces the run.
    pub seed: u64,
    /// What the monitor saw, in protocol words.
    pub detail: String,
}

impl std::fmt::Display for Violation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} violated at step {} (seed {}): {}",
            self.property, self.step, self.seed, self.detail
        )
    }
}

/// What the monitors found in one run.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Report {
    /// Every violation, in step order.
    pub violations: Vec<Violation>,
    /// Messages on the wire the codec could not decode: (step, why). A node sent bytes the
    /// monitors cannot read, so the properties that need them were not checked for them.
    pub undecodable: Vec<(usize, String)>,
    /// Whether the run ended quiescent, so L2 to L5 were checked.
    pub liveness_checked: bool,
}

impl Report {
    /// True if nothing was violated and every message could be read.
    pub fn is_clean(&self) -> bool {
        self.violations.is_empty() && self.undecodable.is_empty()
    }

    /// The first violation of a safety property (or wire rule), if any.
    pub fn first_safety(&self) -> Option<&Violation> {
        self.violations
            .iter()
            .find(|v| v.property.kind() == PropertyKind::Safety)
    }

    /// The first violation of a liveness property, if any.
    pub fn first_liveness(&self) -> Option<&Violation> {
        self.violations
            .iter()
            .find(|v| v.property.kind() == PropertyKind::Liveness)
    }
}

/// Runs every monitor on `run`.
pub fn check(run: &SimRun) -> Report {
    let mut ctx = context::Context::new(run);
    wire_rules::check(&mut ctx);
    delivery::check(&mut ctx);
    relay::check(&mut ctx);
    let liveness_checked = run.is_quiescent();
    if liveness_checked {
        liveness::check(&mut ctx);
    }
    let mut violations = ctx.violations;
    violations.sort_by_key(|v| (v.step, v.property));
    Report {
        violations,
        undecodable: ctx.undecodable,
        liveness_checked,
    }
}
