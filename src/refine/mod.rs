//! Refinement: the implementation, run under a chosen schedule, checked step by step against the
//! model (DESIGN.md section 7).
//!
//! # The map
//!
//! | concrete step ([`crate::sim::Stepper`]) | model action |
//! |---|---|
//! | a message delivered and taken as new by its receiver | `Deliver(p)`, `p` its [`packet`] abstraction |
//! | a message absorbed as a retransmission by the transaction layer | stutter |
//! | a response to an IMDN, a provisional response | stutter (the model does not represent them) |
//! | the loss of any message | stutter (only a delay, see below) |
//! | the duplication of any message | stutter (the second copy to arrive is absorbed by the receiving transaction) |
//! | a timer: the CF's buffer flushed / record freed | `AggregationFlush(m)` / `CfStateExpiry(m)` |
//! | a timer: a stored copy expired at server r | `DeferredExpiry { m, r }` |
//! | a timer: retransmission (E) or transaction clean-up (K, J) | stutter |
//! | a server crash (its user's REGISTER sent at once) | `Crash(u)` |
//!
//! The abstract state compared after each step is a [`projection`] of both sides; the network
//! itself is not compared, but each delivery must be enabled (its packet in flight in the
//! model) and each new message a step sends must be in flight in the model after it
//! ([`lockstep`]). The first divergence is a [`Divergence`] with both abstract states, the
//! step and the model state.
//!
//! # Model paths on the implementation
//!
//! [`replay_path`] drives the implementation along a model path through the same map (used by
//! `imflow replay` and by the model-based tests). A path the implementation cannot take is
//! reported where it parts; besides the bad step of a known-bad variant, that is any step of
//! the kinds the implementation cannot do by the differences below: a `Drop` or `Duplicate`,
//! a timer that fires while messages are in flight (the implementation's timers are long
//! against the network's delays).
//!
//! # Where the model and the implementation differ, and how the map handles it
//!
//! - Timers: the model fires `T_agg`, `T_exp`, `T_state` whenever enabled; the implementation at
//!   fixed delays on one clock (2 s, 120 s, 240 s). The stepper fires timers in time order, so
//!   the implementation's timer steps are a subset of the model's.
//! - Timer F never fires in a controlled run: the model's clients always retransmit until
//!   answered (`faults.retransmission = true`), and the implementation has no transport without
//!   retransmission, so cases with `retransmission = false` are outside the refinement space.
//! - Lost responses: the model's `Drop(response)` puts the request back in flight and the next
//!   hop handles it *again*, against its current state (e.g. a server that deferred a copy and
//!   answered 202 has since delivered it to its bound user, so it proxies the retransmission and
//!   the CF gets a 200). The implementation's server transaction answers a retransmission with its cached
//!   final response (RFC 3261 section 17.2.2): a lost response is only a delay, like a lost
//!   request. So a concrete loss maps to no model action; the model's `Drop` covers more than
//!   the implementation can do, and a model path through a `Drop` is not replayable.
//! - Crashes: the stepper crashes a server only between exchanges (no transaction alive). A
//!   crash mid-transaction loses the proxy's transaction state and the implementation handles
//!   the client's retransmission as a new request and forwards it again (harmless: the CF
//!   dedupes by Message-ID); the model keeps every message in flight across a crash and loses
//!   only bindings and deliveries of stored copies, so it has no action for that.
//! - Duplicates: the model's `Duplicate` makes a copy the next hop handles again (its
//!   idempotence); in the implementation the copy that arrives second is absorbed by the
//!   transaction layer (a request by the server transaction, a response by the completed client
//!   transaction), as the stepper keeps every message in flight less than T4 and transactions
//!   live 64·T1. So a concrete duplicate maps to no model action, and the model's `Duplicate`
//!   covers more than the implementation does.
//!
//! Stored copies and aggregation no longer differ: both sides hand a user's stored copies over
//! in store order, queue an IM for a bound user behind copies still waiting, and flush the CF's
//! buffer once no leg is pending and no reached leg owes a report (with no positive-delivery
//! requested, none does). The generator ([`case::ScenarioParams`]) keeps no case out for them.
//!
//! # One call
//!
//! [`check_case`] builds the scenario, runs the schedule through the stepper with the lockstep
//! check on, lets the run finish, and runs the monitors ([`crate::monitor`]) on its record. It is
//! what the proptest cases and the fuzz target call. Liveness monitors count only when every
//! timer is on: with `T_state` off no state is freed (L5), with `T_exp` off a copy for a user
//! who stays offline is never resolved (L3), in the model as in the implementation.

pub mod case;
pub mod divergence;
pub mod fuzzing;
pub mod history;
pub mod lockstep;
pub mod mapping;
pub mod packet;
pub mod path;
pub mod projection;
pub mod replay;

pub use case::{Case, MessageParams, ScenarioParams, Schedule};
pub use divergence::{Divergence, Reason};
pub use lockstep::Lockstep;
pub use replay::{replay_path, Followed};

use crate::monitor::Violation;
use crate::sim::{SimError, SimRun, Stepper};
use imflow_model::{GroupImModel, Scenario};

/// Most steps one controlled run takes (the schedule, then the run to quiescence).
pub const RUN_STEPS_MAX: usize = 20_000;
/// The seed of the nodes' own generators in a controlled run (tags, branches, Message-IDs).
pub const CASE_NODE_SEED: u64 = 1;

/// Why a refinement case failed.
#[derive(Debug, Clone)]
pub enum RefineError {
    /// The scenario is not valid.
    Scenario(String),
    /// The controlled run could not go on.
    Sim(SimError),
    /// The implementation left the model.
    Divergence(Box<Divergence>),
    /// A runtime monitor saw a property violated on the run's record.
    Monitor(Box<Violation>),
    /// The run did not become quiescent within [`RUN_STEPS_MAX`] steps.
    NoQuiescence,
}

impl std::fmt::Display for RefineError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RefineError::Scenario(e) => write!(f, "invalid scenario: {e}"),
            RefineError::Sim(e) => write!(f, "controlled run failed: {e}"),
            RefineError::Divergence(d) => write!(f, "{d}"),
            RefineError::Monitor(v) => write!(f, "monitor: {v:?}"),
            RefineError::NoQuiescence => {
                write!(f, "the run was not quiescent after {RUN_STEPS_MAX} steps")
            }
        }
    }
}

impl std::error::Error for RefineError {}

/// A case that passed: how many steps the model took, and the run's record.
#[derive(Debug)]
pub struct Checked {
    /// Concrete steps after the setup.
    pub steps: usize,
    /// Model actions taken.
    pub model_actions: usize,
    /// The run, for traces.
    pub run: SimRun,
}

/// Runs `schedule` on `scenario` with the lockstep check and the monitors on.
pub fn check_schedule(scenario: &Scenario, schedule: &Schedule) -> Result<Checked, RefineError> {
    let model = GroupImModel::new(scenario).map_err(|e| RefineError::Scenario(e.to_string()))?;
    let mut stepper = Stepper::new(scenario, CASE_NODE_SEED).map_err(RefineError::Sim)?;
    let mut check = Lockstep::new(model, &stepper).map_err(RefineError::Divergence)?;
    let mut model_actions = 0;
    let picks = schedule.choices.iter().take(case::SCHEDULE_CHOICES_MAX);
    let mut picks = picks.map(|c| usize::from(*c));
    for _ in 0..RUN_STEPS_MAX {
        let choices = stepper.choices();
        if choices.is_empty() {
            break;
        }
        let index = picks.next().unwrap_or(0) % choices.len();
        let Some(choice) = choices.get(index).copied() else {
            break;
        };
        let applied = stepper.apply(choice).map_err(RefineError::Sim)?;
        model_actions += check
            .step(&stepper, choice, &applied)
            .map_err(RefineError::Divergence)?
            .len();
    }
    if !stepper.choices().is_empty() {
        return Err(RefineError::NoQuiescence);
    }
    let steps = check.steps();
    let run = stepper.finish();
    let report = crate::monitor::check(&run);
    let timers = &scenario.timers;
    let all_timers = timers.aggregation_flush && timers.deferred_expiry && timers.cf_state_expiry;
    let first = match all_timers {
        true => report.violations.first(),
        false => report.first_safety(),
    };
    if let Some(v) = first {
        return Err(RefineError::Monitor(Box::new(v.clone())));
    }
    Ok(Checked {
        steps,
        model_actions,
        run,
    })
}

/// Runs a whole [`Case`] (the fuzz target's entry point).
pub fn check_case(case: &Case) -> Result<Checked, RefineError> {
    check_schedule(&case.scenario.scenario(), &case.schedule)
}
