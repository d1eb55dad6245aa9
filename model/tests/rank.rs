//! The termination proof holds on the catalogue: the ranking function strictly increases along
//! every transition of every catalogue scenario's full (unreduced) state space, and every
//! behaviour ends in a terminal state.

use crate::support;

use imflow_model::rank::rank;
use imflow_model::{GroupImModel, State};
use rustc_hash::FxHashSet;
use stateright::Model;
use support::{scenario, stems};

/// Explores every reachable state of `model`, checking `rank` on every transition; returns the
/// number of unique states and of terminal states.
fn explore_checking_rank(model: &GroupImModel) -> (usize, usize) {
    let init = model.init_states();
    let mut seen: FxHashSet<State> = init.iter().cloned().collect();
    let mut frontier = init;
    let mut terminal = 0;
    let mut actions = Vec::new();
    while let Some(state) = frontier.pop() {
        actions.clear();
        model.actions(&state, &mut actions);
        if actions.is_empty() {
            terminal += 1;
        }
        for action in actions.drain(..) {
            let next = model
                .next_state(&state, action)
                .expect("every enabled action changes the state");
            assert!(
                rank(&next) > rank(&state),
                "{}: rank does not increase on {}",
                model.scenario().name,
                model.format_action(&action)
            );
            if seen.insert(next.clone()) {
                frontier.push(next);
            }
        }
    }
    (seen.len(), terminal)
}

#[test]
fn rank_strictly_increases_along_every_transition_of_every_catalogue_scenario() {
    for stem in stems() {
        let model = GroupImModel::new(&scenario(&stem)).expect("valid scenario");
        let (states, terminal) = explore_checking_rank(&model);
        assert!(
            states > 0 && terminal > 0,
            "{stem}: {states} states, {terminal} terminal"
        );
    }
}
