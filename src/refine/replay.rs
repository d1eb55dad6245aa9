//! Driving the implementation along a model path (DESIGN.md section 7, model-path replay).
//!
//! The path's actions are taken in order, up to the order of independent steps: the earliest
//! remaining action the model can take and some offered concrete step maps to goes next (the
//! implementation holds a MESSAGE back while another to the same destination is pending, RFC
//! 3428 section 8, where the model has both in flight). The concrete step for an action is
//! looked for among the steps the [`Stepper`] offers: the delivery, loss or duplication of a message whose
//! abstraction is the action's packet (a message taken as new before one absorbed as a
//! retransmission), or a crash. A timer action is reached by letting time pass. When no offered
//! step maps to the action, time passes (a retransmission may bring the message the path needs)
//! as long as that is a stutter step; if nothing helps, the implementation refused the step.
//! Every concrete step taken goes through the lockstep check, so the first difference between
//! the path and what the implementation does is reported with both abstract states.

use super::divergence::Divergence;
use super::lockstep::Lockstep;
use super::mapping::{describe, Mapped};
use super::{RefineError, CASE_NODE_SEED};
use crate::sim::{Choice, Stepper};
use imflow_model::{Action, GroupImModel, Scenario};

/// Most concrete stutter steps taken to reach one model action.
pub const STUTTER_STEPS_PER_ACTION_MAX: usize = 1_000;

/// A path the implementation followed to its end.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Followed {
    /// Model actions followed.
    pub model_steps: usize,
    /// Concrete steps it took (stutter steps included).
    pub concrete_steps: usize,
    /// Model steps taken before an earlier step of the path (independent steps commute: the
    /// implementation may hold a MESSAGE back behind a pending one to the same destination,
    /// RFC 3428 section 8, where the model lets both be in flight).
    pub reordered: usize,
}

/// Where the implementation left a model path.
#[derive(Debug, Clone)]
pub struct Departure {
    /// The model step (1-based) the implementation did not follow.
    pub model_step: usize,
    /// That step's action, as the model describes it.
    pub action: String,
    /// The lockstep divergence (concrete step, both abstract states).
    pub divergence: Box<Divergence>,
}

impl std::fmt::Display for Departure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(
            f,
            "the implementation left the model path at model step {}: {}",
            self.model_step, self.action
        )?;
        write!(f, "{}", self.divergence)
    }
}

/// Why a replay stopped.
#[derive(Debug, Clone)]
pub enum ReplayError {
    /// The run could not be set up or go on.
    Run(RefineError),
    /// The implementation did not follow the path.
    Departed(Departure),
}

impl std::fmt::Display for ReplayError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ReplayError::Run(e) => write!(f, "{e}"),
            ReplayError::Departed(d) => write!(f, "{d}"),
        }
    }
}

impl std::error::Error for ReplayError {}

/// Drives the implementation along `actions`, a path of `scenario`'s model from its initial
/// state (see the module docs).
pub fn replay_path(scenario: &Scenario, actions: &[Action]) -> Result<Followed, ReplayError> {
    let run_error = |e| ReplayError::Run(e);
    let model =
        GroupImModel::new(scenario).map_err(|e| run_error(RefineError::Scenario(e.to_string())))?;
    let mut stepper =
        Stepper::new(scenario, CASE_NODE_SEED).map_err(|e| run_error(RefineError::Sim(e)))?;
    let mut check =
        Lockstep::new(model, &stepper).map_err(|d| run_error(RefineError::Divergence(d)))?;
    let mut remaining: Vec<(usize, Action)> = actions.iter().copied().enumerate().collect();
    let mut concrete_steps = 0;
    let mut reordered = 0;
    while let Some(&(first, action)) = remaining.first() {
        let depart = |check: &Lockstep, d: Box<Divergence>| {
            ReplayError::Departed(Departure {
                model_step: first + 1,
                action: check.model().describe(&action),
                divergence: d,
            })
        };
        let mut progressed = false;
        for _ in 0..STUTTER_STEPS_PER_ACTION_MAX {
            let choices = stepper.choices();
            let Some(choice) = pick(&check, &stepper, &choices, &remaining) else {
                let offered: Vec<String> = choices
                    .iter()
                    .filter_map(|c| Some(format!("{c:?} = {:?}", check.predict(&stepper, *c)?)))
                    .collect();
                return Err(depart(&check, check.refuse(&stepper, action, &offered)));
            };
            let applied = stepper
                .apply(choice)
                .map_err(|e| run_error(RefineError::Sim(e)))?;
            concrete_steps += 1;
            let taken = check
                .step(&stepper, choice, &applied)
                .map_err(|d| depart(&check, d))?;
            for a in &taken {
                match remaining.iter().position(|(_, r)| r == a) {
                    Some(0) => {
                        remaining.remove(0);
                    }
                    Some(i) => {
                        remaining.remove(i);
                        reordered += 1;
                    }
                    None => {
                        let what = describe(&stepper, choice, &applied);
                        let words = check.model().describe(a);
                        let mut d = check.refuse(
                            &stepper,
                            action,
                            &[format!("{what}, which is {words}, not on the path")],
                        );
                        d.step = check.steps();
                        return Err(depart(&check, d));
                    }
                }
            }
            if !taken.is_empty() {
                progressed = true;
                break;
            }
        }
        if !progressed {
            let only = ["only stutter steps".to_string()];
            return Err(depart(&check, check.refuse(&stepper, action, &only)));
        }
    }
    Ok(Followed {
        model_steps: actions.len(),
        concrete_steps,
        reordered,
    })
}

/// The offered step that maps to the earliest remaining path action the model can take now
/// (a later one only when an earlier one has no concrete step yet: independent steps commute),
/// else a time step (a retransmission, or the timer an action is), else a stutter delivery.
fn pick(
    check: &Lockstep,
    stepper: &Stepper,
    choices: &[Choice],
    remaining: &[(usize, Action)],
) -> Option<Choice> {
    let predicted: Vec<(Choice, Option<Mapped>)> = choices
        .iter()
        .map(|c| (*c, check.predict(stepper, *c)))
        .collect();
    for (_, action) in remaining.iter().filter(|(_, a)| check.enables(*a)) {
        let exact = predicted
            .iter()
            .find(|(_, m)| matches!(m, Some(Mapped::Actions(a)) if a.first() == Some(action)));
        if let Some((c, _)) = exact {
            return Some(*c);
        }
    }
    if choices.contains(&Choice::AdvanceTime) {
        return Some(Choice::AdvanceTime);
    }
    predicted
        .iter()
        .find(|(_, m)| matches!(m, Some(Mapped::Stutter)))
        .map(|(c, _)| *c)
}
