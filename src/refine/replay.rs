//! Driving the implementation along a model path (DESIGN.md section 7, model-path replay).
//!
//! For each model action in turn, the concrete step that maps to it is looked for among the
//! steps the [`Stepper`] offers: the delivery, loss or duplication of a message whose
//! abstraction is the action's packet (a message taken as new before one absorbed as a
//! retransmission), or a crash. A timer action is reached by letting time pass. When no offered
//! step maps to the action, time passes (a retransmission may bring the message the path needs)
//! as long as that is a stutter step; if nothing helps, the implementation refused the step.
//! Every concrete step taken goes through the lockstep check, so the first difference between
//! the path and what the implementation does is reported with both abstract states.

use super::divergence::Divergence;
use super::lockstep::{describe, Lockstep, Mapped};
use super::{RefineError, CASE_NODE_SEED};
use crate::sim::{Choice, Stepper};
use imflow_model::{Action, GroupImModel, Scenario};

/// Most concrete stutter steps taken to reach one model action.
pub const STUTTER_STEPS_PER_ACTION_MAX: usize = 64;

/// A path the implementation followed to its end.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Followed {
    /// Model actions followed.
    pub model_steps: usize,
    /// Concrete steps it took (stutter steps included).
    pub concrete_steps: usize,
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
    let mut k = 0;
    let mut concrete_steps = 0;
    while let Some(&action) = actions.get(k) {
        let step = k + 1;
        let depart = |check: &Lockstep, d: Box<Divergence>| {
            ReplayError::Departed(Departure {
                model_step: step,
                action: check.model().describe(&action),
                divergence: d,
            })
        };
        let mut reached = false;
        for _ in 0..STUTTER_STEPS_PER_ACTION_MAX {
            let choices = stepper.choices();
            let choice = pick(&check, &stepper, &choices, action);
            let Some(choice) = choice else {
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
            if taken.is_empty() {
                continue;
            }
            let expected = actions.get(k..k + taken.len());
            if expected != Some(taken.as_slice()) {
                let what = describe(&stepper, choice, &applied);
                let taken: Vec<String> = taken.iter().map(|a| check.model().describe(a)).collect();
                let mut d = check.refuse(
                    &stepper,
                    action,
                    &[format!("{what}, which is {}", taken.join("; "))],
                );
                d.step = check.steps();
                return Err(depart(&check, d));
            }
            k += taken.len();
            reached = true;
            break;
        }
        if !reached {
            return Err(depart(
                &check,
                check.refuse(&stepper, action, &["only stutter steps".to_string()]),
            ));
        }
    }
    Ok(Followed {
        model_steps: k,
        concrete_steps,
    })
}

/// The offered step that maps to `action`, else a time step (a retransmission or the timer the
/// action is), else a stutter delivery.
fn pick(check: &Lockstep, stepper: &Stepper, choices: &[Choice], action: Action) -> Option<Choice> {
    let predicted: Vec<(Choice, Option<Mapped>)> = choices
        .iter()
        .map(|c| (*c, check.predict(stepper, *c)))
        .collect();
    let exact = predicted
        .iter()
        .find(|(_, m)| matches!(m, Some(Mapped::Actions(a)) if a.first() == Some(&action)));
    if let Some((c, _)) = exact {
        return Some(*c);
    }
    if choices.contains(&Choice::AdvanceTime) {
        return Some(Choice::AdvanceTime);
    }
    predicted
        .iter()
        .find(|(_, m)| matches!(m, Some(Mapped::Stutter)))
        .map(|(c, _)| *c)
}
