//! The first divergence between the implementation and the model: the step, what the concrete
//! step was, the model action it maps to, why it failed, and both abstract states.

use super::projection::Projection;
use imflow_model::Action;

/// Why a concrete step diverged.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reason {
    /// The mapped action is not enabled in the model state.
    NotEnabled(Action),
    /// The mapped action (as the model describes it) is not enabled in the model state.
    NotEnabledText(String),
    /// The model's next state and the implementation's state differ.
    StatesDiffer,
    /// A step that maps to no model action changed the abstract state.
    StutterChangedState,
    /// The concrete step has no abstraction at all.
    Unplaceable,
    /// A model path asked for an action the implementation offers no step for.
    NoMatchingStep,
    /// The implementation sent a message the model does not have in flight (model's words).
    SentWhatTheModelDoesNot(String),
}

impl std::fmt::Display for Reason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Reason::NotEnabled(a) => write!(f, "the model cannot take {a:?} in its current state"),
            Reason::NotEnabledText(a) => write!(f, "the model cannot take \"{a}\" in its current state"),
            Reason::StatesDiffer => write!(f, "the model's next state and the implementation's state differ"),
            Reason::StutterChangedState => write!(
                f,
                "the step maps to no model action, yet it changed the implementation's abstract state"
            ),
            Reason::Unplaceable => write!(f, "the refinement map cannot place this step"),
            Reason::NoMatchingStep => write!(f, "the implementation offers no step that maps to the model's action"),
            Reason::SentWhatTheModelDoesNot(p) => write!(
                f,
                "the implementation sent \"{p}\", which the model does not have in flight after the step"
            ),
        }
    }
}

/// The first point where the implementation and the model part.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Divergence {
    /// The concrete step, counted from 1 after the setup (0: the initial states differ).
    pub step: usize,
    /// The concrete step in words.
    pub concrete_step: String,
    /// The model action(s) it maps to, in the model's words.
    pub mapped: String,
    /// Why it failed.
    pub reason: Reason,
    /// The model side's abstract state (after the mapped actions, or before them if they were
    /// not enabled).
    pub model: Projection,
    /// The implementation's abstract state after the step.
    pub implementation: Projection,
    /// Each differing field: "field: model vs implementation".
    pub differences: Vec<String>,
    /// The full model state the check had reached before the step.
    pub model_state: String,
    /// The virtual time of the concrete run, in milliseconds.
    pub time_ms: u64,
}

impl std::fmt::Display for Divergence {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(
            f,
            "divergence at concrete step {} (t = {} ms)",
            self.step, self.time_ms
        )?;
        writeln!(f, "  implementation did: {}", self.concrete_step)?;
        writeln!(f, "  model action:       {}", self.mapped)?;
        writeln!(f, "  why:                {}", self.reason)?;
        if self.differences.is_empty() {
            writeln!(f, "  abstract states agree (model vs implementation)")?;
        } else {
            writeln!(f, "  differences (model vs implementation):")?;
            for d in &self.differences {
                writeln!(f, "    {d}")?;
            }
        }
        writeln!(f, "  model abstract state:          {:?}", self.model)?;
        writeln!(
            f,
            "  implementation abstract state: {:?}",
            self.implementation
        )?;
        write!(f, "  model state before the step:   {}", self.model_state)
    }
}

impl std::error::Error for Divergence {}
