//! What a check found: one verdict per property, with the shortest path that decides it.

use std::fmt;
use std::time::Duration;

use stateright::{Expectation, Model};

/// The verdict on one property.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Verdict {
    /// `always`: true in every reachable state; `sometimes`: an example state was found.
    Hold,
    /// `always`: a reachable state breaks it; `sometimes`: no reachable state satisfies it.
    Violated,
    /// The search was cut (depth bound, timeout) before the property was decided, or the
    /// property's expectation is not supported (see [`OutcomeNote`]).
    Inconclusive,
}

/// Why an outcome is inconclusive or its path is less than the usual guarantee.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum OutcomeNote {
    /// The property is `eventually`, which the checker rejects: stateright 0.31's semantics are
    /// unsound on cycles and joins; write liveness as `always("terminal => stable fact")`.
    EventuallyUnsupported,
    /// The search stopped at `max_depth` before deciding the property.
    DepthBoundReached,
    /// The search stopped at the timeout before deciding the property.
    TimeoutReached,
    /// A breadth-first level grew past [`crate::checker::LEVEL_STATES_MAX`] states.
    LevelTooWide,
    /// The decision was found with partial-order reduction and the unreduced re-run that makes
    /// the path shortest was cut by the timeout: the path is real but may be longer than needed.
    PathMayNotBeShortest,
    /// The symmetry-reduced path could not be replayed on concrete states: the model's
    /// representative function is not a bisimulation. The verdict stands; no path is given.
    PathNotReplayable,
}

/// A path through the model's concrete states: (state, action taken from it), the last action
/// `None`.
pub type ConcretePath<M> = Vec<(<M as Model>::State, Option<<M as Model>::Action>)>;

/// The verdict on one property of `model.properties()`, with its deciding path.
pub struct PropertyOutcome<M: Model> {
    /// The stateright property name (for imflow: `PropertyId::label()`).
    pub name: &'static str,
    /// `Always` (safety, terminal-state liveness) or `Sometimes` (reachability).
    pub expectation: Expectation,
    /// The verdict.
    pub verdict: Verdict,
    /// The counterexample (`always` violated) or example (`sometimes` holds): a concrete path of
    /// (state, action taken from it) from an init state, shortest possible, last action `None`.
    pub path: Option<ConcretePath<M>>,
    /// Why the verdict is inconclusive or the path is missing or possibly not shortest.
    pub note: Option<OutcomeNote>,
}

/// Everything one exhaustive check found.
pub struct CheckReport<M: Model> {
    /// One outcome per property, in `model.properties()` order.
    pub properties: Vec<PropertyOutcome<M>>,
    /// Distinct states stored (representatives under symmetry).
    pub unique_states: u64,
    /// States generated, duplicates included (init states plus every successor).
    pub states: u64,
    /// The deepest breadth-first level reached: the most actions on any shortest path.
    pub max_depth: usize,
    /// Wall-clock time of the whole check, including any shortest-path re-run.
    pub elapsed: Duration,
    /// Every reachable state was explored (no depth bound, timeout or width limit cut it).
    pub complete: bool,
}

impl<M: Model> Clone for PropertyOutcome<M>
where
    M::State: Clone,
    M::Action: Clone,
{
    fn clone(&self) -> Self {
        PropertyOutcome {
            name: self.name,
            expectation: self.expectation.clone(),
            verdict: self.verdict,
            path: self.path.clone(),
            note: self.note,
        }
    }
}

impl<M: Model> fmt::Debug for PropertyOutcome<M>
where
    M::State: fmt::Debug,
    M::Action: fmt::Debug,
{
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PropertyOutcome")
            .field("name", &self.name)
            .field("expectation", &self.expectation)
            .field("verdict", &self.verdict)
            .field("path", &self.path)
            .field("note", &self.note)
            .finish()
    }
}

impl<M: Model> Clone for CheckReport<M>
where
    M::State: Clone,
    M::Action: Clone,
{
    fn clone(&self) -> Self {
        CheckReport {
            properties: self.properties.clone(),
            unique_states: self.unique_states,
            states: self.states,
            max_depth: self.max_depth,
            elapsed: self.elapsed,
            complete: self.complete,
        }
    }
}

impl<M: Model> fmt::Debug for CheckReport<M>
where
    M::State: fmt::Debug,
    M::Action: fmt::Debug,
{
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CheckReport")
            .field("properties", &self.properties)
            .field("unique_states", &self.unique_states)
            .field("states", &self.states)
            .field("max_depth", &self.max_depth)
            .field("elapsed", &self.elapsed)
            .field("complete", &self.complete)
            .finish()
    }
}

impl<M: Model> CheckReport<M> {
    /// The outcome of the property named `name`, if the model has one.
    pub fn outcome(&self, name: &str) -> Option<&PropertyOutcome<M>> {
        self.properties.iter().find(|outcome| outcome.name == name)
    }

    /// The worst verdict over all properties: `Violated` beats `Inconclusive` beats `Hold`.
    pub fn overall(&self) -> Verdict {
        let verdicts = || self.properties.iter().map(|outcome| outcome.verdict);
        if verdicts().any(|v| v == Verdict::Violated) {
            Verdict::Violated
        } else if verdicts().any(|v| v == Verdict::Inconclusive) {
            Verdict::Inconclusive
        } else {
            Verdict::Hold
        }
    }
}
