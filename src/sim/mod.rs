//! The deterministic simulator: the protocol roles on a seeded network with virtual time.
//!
//! # Design (turmoil, shuttle, TigerBeetle's VOPR)
//!
//! One `u64` seed reproduces a whole run byte for byte: it seeds the network's ChaCha RNG
//! (delays, holds, drops, duplicates, crash times, registration and send times), and each node
//! gets its own seed derived from it (Call-IDs, tags, branches, Message-IDs). Time is virtual:
//! an [`Instant`] that jumps to the next thing due. The work queue is ordered by
//! (instant, sequence number), so equal instants keep insertion order and nothing depends on a
//! hash or a thread.
//!
//! # The run loop
//!
//! [`Simulation::run`] repeats: take the earliest of (a node's `poll_timeout`, a queued
//! delivery, a scheduled user action or crash); hand it to the node (`handle_timeout`,
//! `handle_datagram`, `UserAgent::send_im` / `register`, `crash_and_restart`); then drain the
//! node by the [`Node`] contract: every `poll_transmit` goes onto the network, every
//! `poll_event` into the run record. The network delays each transmit, and when faults are on
//! holds (reorders), drops or duplicates datagrams and crashes participating servers, within
//! the scenario's budgets (`drops_max`, `duplicates_max`, `crashes_max`). A stream (TCP)
//! transmit is never lost, duplicated or reordered on its connection.
//!
//! The schedule ([`limits`] names every range): online users register in the first
//! milliseconds, offline users at a seeded time before the deferred expiry, `stays_offline`
//! users never; each scenario IM is sent at a seeded time, but not before its sender's first
//! registration completed (a scenario's senders are registered when they send). When a
//! participating server crashes, its registered user registers again shortly after, as a
//! refresh would, since the crash lost the binding.
//!
//! A run ends when nothing is in flight and no timer is due before [`limits::HORIZON_MS`]
//! (quiescent: the liveness monitors apply), or when a bound is hit (see [`StopReason`]). A
//! transaction absorbing retransmissions (timer K or J) is not work a node wakes for: its
//! `poll_timeout` leaves it out and its next input ends it (see [`crate::transaction`]), so
//! it neither wakes a node nor keeps the run going.
//!
//! # The controlled run
//!
//! [`Stepper`] ([`stepper`]) runs the same roles on the same plumbing, but lets the caller pick
//! every step (deliver, let time pass, lose, duplicate, crash), so a schedule is data that
//! proptest can shrink, a fuzzer can generate and a model path can drive; [`crate::refine`]
//! checks it against the model step by step. The seeded run above is unchanged by it.
//!
//! The result is a [`SimRun`]: the [`Cast`] and the run record ([`record`]), from which
//! [`SimRun::trace`] draws the ladder, Mermaid and pcap, and [`crate::monitor`] checks every
//! observable property.

pub mod absorb;
pub mod actor;
pub mod build;
pub mod cast;
pub mod config;
mod lane_timers;
pub mod limits;
mod network;
mod outcome;
pub mod record;
mod run;
mod schedule;
pub mod stepper;
mod stepper_io;
pub mod trace;
mod work_queue;

pub use cast::{aor_key, Cast, Role, User};
pub use config::{Destination, ScheduledIm, ScriptedFault, SimConfig, WireMatch};
pub use outcome::{SimRun, StopReason};
pub use record::{Entry, Fate, Happening};
pub use run::Simulation;
pub use stepper::{Applied, Choice, InFlight, Stepper};

use crate::cpim::DispositionSet;
use crate::node::{Instant, Node};

/// A node as the simulator drives it: the [`Node`] interface plus the user actions a user
/// agent offers (other roles keep the defaults, which do nothing).
pub trait SimNode: Node {
    /// The user sends an IM to `to` (group or user URI); returns its Message-ID.
    fn send_im(
        &mut self,
        _now: Instant,
        _to: &str,
        _dispositions: DispositionSet,
        _text: &str,
    ) -> Option<String> {
        None
    }

    /// The user agent sends REGISTER; false if this node has no user.
    fn register(&mut self, _now: Instant) -> bool {
        false
    }
}

/// Why a simulation could not run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SimError {
    /// The scenario is invalid.
    Scenario(String),
    /// More than [`limits::IN_FLIGHT_DATAGRAMS_MAX`] messages were in flight at once.
    InFlightOverflow { limit: usize },
    /// More than [`limits::SCHEDULED_ACTIONS_MAX`] user actions and crashes were scheduled.
    TooManyActions { limit: usize },
    /// A scheduled action or scripted fault names a user or lane the cast does not have.
    UnknownActor(String),
    /// A scheduled action was given to a node that cannot do it (e.g. a server asked to send).
    NotAUser(String),
    /// A controlled run was asked for a step it does not offer now.
    NotOffered(String),
}

impl std::fmt::Display for SimError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SimError::Scenario(e) => write!(f, "{e}"),
            SimError::InFlightOverflow { limit } => {
                write!(f, "more than {limit} messages in flight at once")
            }
            SimError::TooManyActions { limit } => {
                write!(f, "more than {limit} scheduled actions and crashes")
            }
            SimError::UnknownActor(a) => write!(f, "no user or lane named `{a}` in this run"),
            SimError::NotAUser(a) => write!(f, "`{a}` is not a user agent"),
            SimError::NotOffered(c) => write!(f, "step {c} is not offered now"),
        }
    }
}

impl std::error::Error for SimError {}

/// Runs `scenario` with `config` on the implementation's roles; see [`Simulation`].
pub fn simulate(scenario: &imflow_model::Scenario, config: &SimConfig) -> Result<SimRun, SimError> {
    let mut simulation = Simulation::new(scenario, config)?;
    simulation.run()?;
    Ok(simulation.finish())
}
