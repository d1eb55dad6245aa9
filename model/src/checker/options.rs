//! What the caller asks of a check: bounds, reductions, threads, and the progress it is told.

use std::time::Duration;

use stateright::Model;

/// Sound state-space reductions a model offers the checker; both default to "no reduction".
///
/// Both functions are evaluated on the states the checker stores, which are representatives when
/// symmetry is on.
pub trait Reductions: Model {
    /// The canonical member of `state`'s symmetry class (e.g. recipients sorted); the default is
    /// the state itself.
    ///
    /// Soundness contract: two states with the same representative must be bisimilar (each
    /// action of one is matched by an action of the other leading to states with equal
    /// representatives), and every property must give the same answer on all of them.
    fn representative(&self, state: &Self::State) -> Self::State
    where
        Self::State: Clone,
    {
        state.clone()
    }

    /// Partial-order reduction: the index in `actions` of one enabled action that may be explored
    /// alone from `state`, or `None` to explore them all (the default).
    ///
    /// Soundness contract: the chosen action must change the state, be independent of every other
    /// action enabled now or later before it is taken, and be invisible to every property (for an
    /// acyclic model no cycle proviso is needed).
    fn ample(&self, _state: &Self::State, _actions: &[Self::Action]) -> Option<usize> {
        None
    }
}

/// How to run one exhaustive check.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CheckOptions {
    /// Worker threads expanding each breadth-first level (0 and 1 both mean one thread).
    pub threads: usize,
    /// Store and deduplicate states by [`Reductions::representative`].
    pub symmetry: bool,
    /// Explore only [`Reductions::ample`]'s action where it names one.
    pub por: bool,
    /// Explore paths of at most this many actions; deeper states are not generated.
    pub max_depth: Option<usize>,
    /// Stop the search after this wall-clock time.
    pub timeout: Option<Duration>,
}

impl Default for CheckOptions {
    /// One thread, no reductions, no bounds.
    fn default() -> Self {
        CheckOptions {
            threads: 1,
            symmetry: false,
            por: false,
            max_depth: None,
            timeout: None,
        }
    }
}

/// A snapshot of a running check, given to the progress callback about once a second and once at
/// the end.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Progress {
    /// States generated so far, duplicates included (init states plus every successor).
    pub states: u64,
    /// Distinct states (representatives under symmetry) stored so far.
    pub unique_states: u64,
    /// Breadth-first level being explored: the number of actions from an init state.
    pub depth: usize,
    /// Wall-clock time since the check started.
    pub elapsed: Duration,
}
