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

    /// Partial-order reduction: pushes onto `chosen` (empty on entry), in increasing order, the
    /// indices in `actions` of a persistent set to explore alone from `state`; leaving it empty
    /// explores every action (the default).
    ///
    /// Soundness contract: the set is nonempty, every action in it changes the state, and every
    /// action outside it, on any path from `state` made only of actions outside it, is
    /// independent of every action in it (neither disables the other, and they commute). The
    /// model must be acyclic (no cycle proviso is applied), every `always` property must be
    /// stable (once false, false in every successor) or false only in terminal states, and every
    /// `sometimes` property must be true only in terminal states or stable: the reduced search
    /// then reaches a violating (or example) state whenever the full one does, and keeps every
    /// terminal state.
    fn ample(&self, _state: &Self::State, _actions: &[Self::Action], _chosen: &mut Vec<usize>) {}
}

/// How to run one exhaustive check.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CheckOptions {
    /// Worker threads expanding each breadth-first level (0 and 1 both mean one thread).
    pub threads: usize,
    /// Store and deduplicate states by [`Reductions::representative`].
    pub symmetry: bool,
    /// Explore only [`Reductions::ample`]'s persistent set where it names one.
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
