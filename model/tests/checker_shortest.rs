//! Every reported path is as short as an independent breadth-first search over concrete states
//! says it can be, whatever the thread count and reductions.

use crate::checker_toys;

use std::collections::{HashSet, VecDeque};
use std::hash::Hash;

use checker_toys::*;
use imflow_model::checker::{CheckOptions, Reductions, Verdict};
use stateright::{Expectation, Model};

/// The fewest actions from an init state to a state deciding the property named `name`, found
/// by a plain breadth-first search over concrete states with a `HashSet` (no fingerprints, no
/// reductions): the oracle.
fn oracle_distance<M>(model: &M, name: &str) -> Option<usize>
where
    M: Model,
    M::State: Hash + Eq + Clone,
{
    let property = model.properties().into_iter().find(|p| p.name == name)?;
    let decides = |state: &M::State| match property.expectation {
        Expectation::Always => !(property.condition)(model, state),
        _ => (property.condition)(model, state),
    };
    let mut seen = HashSet::new();
    let mut queue = VecDeque::new();
    for state in model.init_states() {
        if seen.insert(state.clone()) {
            queue.push_back((state, 0));
        }
    }
    while let Some((state, depth)) = queue.pop_front() {
        if decides(&state) {
            return Some(depth);
        }
        for next in model.next_states(&state) {
            if seen.insert(next.clone()) {
                queue.push_back((next, depth + 1));
            }
        }
    }
    None
}

fn assert_paths_are_shortest<M>(model: &M, options: &CheckOptions)
where
    M: Reductions + Sync,
    M::State: Hash + Eq + Clone + Send + Sync + std::fmt::Debug,
    M::Action: Clone + PartialEq + std::fmt::Debug,
{
    let report = run(model, options);
    for outcome in &report.properties {
        let expected = oracle_distance(model, outcome.name);
        let decided = matches!(
            (&outcome.expectation, outcome.verdict),
            (Expectation::Always, Verdict::Violated) | (Expectation::Sometimes, Verdict::Hold)
        );
        assert_eq!(decided, expected.is_some(), "{} {options:?}", outcome.name);
        if let Some(path) = &outcome.path {
            assert_real_path(model, path);
            assert_eq!(
                Some(path.len() - 1),
                expected,
                "{} {options:?}",
                outcome.name
            );
        }
    }
}

#[test]
fn lost_update_paths_are_as_short_as_the_oracle_says() {
    for clients in 2..=7 {
        let model = LostUpdate {
            clients,
            with_properties: true,
        };
        for threads in [1, 2] {
            for symmetry in [false, true] {
                let options = CheckOptions {
                    threads,
                    symmetry,
                    ..plain()
                };
                assert_paths_are_shortest(&model, &options);
            }
        }
    }
}

#[test]
fn doubler_paths_are_as_short_as_the_oracle_says() {
    for bad in 1..=40 {
        assert_paths_are_shortest(&Doubler { limit: 40, bad }, &plain());
    }
}

#[test]
fn por_paths_after_the_rerun_are_as_short_as_the_oracle_says() {
    for processes in 2..=5 {
        for steps in 2..=3 {
            let model = Independent { processes, steps };
            for threads in [1, 2] {
                let options = CheckOptions {
                    threads,
                    por: true,
                    ..plain()
                };
                assert_paths_are_shortest(&model, &options);
            }
        }
    }
}
