//! What a simulated run is asked to do beyond the scenario: the seed, whether seeded faults are
//! on, and scripted faults and actions that tests use to force one exact behaviour.

use imflow_model::scenario::Disposition;

/// How to run a scenario.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SimConfig {
    /// The seed every random choice of the run comes from.
    pub seed: u64,
    /// Inject seeded faults (holds, drops, duplicates, crashes) within the scenario's budgets.
    pub faults: bool,
    /// Faults applied to exact messages, on top of (and not counted in) the seeded ones.
    pub script: Vec<ScriptedFault>,
    /// Registration times of offline users, in ms, replacing the seeded draw: (user, ms).
    pub register_at_ms: Vec<(String, u64)>,
    /// IMs sent in addition to the scenario's group IMs.
    pub extra_ims: Vec<ScheduledIm>,
    /// Send only `extra_ims`, not the scenario's group IMs (e.g. a 1-to-1 exchange).
    pub only_extra_ims: bool,
}

impl SimConfig {
    /// A run of this seed without faults.
    pub fn seeded(seed: u64) -> SimConfig {
        SimConfig {
            seed,
            ..SimConfig::default()
        }
    }

    /// A run of this seed with seeded faults within the scenario's budgets.
    pub fn with_faults(seed: u64) -> SimConfig {
        SimConfig {
            seed,
            faults: true,
            ..SimConfig::default()
        }
    }
}

/// Where a scheduled IM goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Destination {
    /// The scenario's group (through the Controlling Function).
    Group,
    /// One user, by scenario name (a 1-to-1 IM, through both participating servers).
    User(String),
}

/// One IM a user sends at a fixed time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScheduledIm {
    /// The sending user's scenario name.
    pub from: String,
    /// The destination.
    pub to: Destination,
    /// The requested dispositions.
    pub dispositions: Vec<Disposition>,
    /// When it is sent, in ms from the start.
    pub at_ms: u64,
    /// The text.
    pub text: String,
}

/// Which transmits a scripted fault applies to: by lanes ("User B", "Server B", "CF") and the
/// start of the SIP message ("MESSAGE", "SIP/2.0 200"), optionally a text the bytes contain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WireMatch {
    /// The sending lane's name.
    pub from: String,
    /// The receiving lane's name.
    pub to: String,
    /// What the start line begins with.
    pub start: String,
    /// A text the message must contain (e.g. "delivered"), if any.
    pub contains: Option<String>,
}

/// A fault a test applies to exact messages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ScriptedFault {
    /// Lose the first transmit that matches.
    Drop(WireMatch),
    /// Duplicate the first transmit that matches; the copy arrives `delay_ms` later.
    Duplicate { matching: WireMatch, delay_ms: u64 },
    /// Delay every transmit that matches by `delay_ms` more.
    Delay { matching: WireMatch, delay_ms: u64 },
    /// Crash and restart the participating server on this lane at `at_ms`.
    Crash { lane: String, at_ms: u64 },
}
