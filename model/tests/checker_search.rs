//! The checker's breadth-first search on toy models: exact state counts (the same as
//! stateright's own BFS), shortest counterexamples and examples, real paths, bounds.

use crate::checker_toys;

use std::time::Duration;

use checker_toys::*;
use imflow_model::checker::{check, CheckOptions, OutcomeNote, Verdict};
use stateright::{Checker, Expectation, Model, Property};

#[test]
fn grid_state_counts_match_stateright_bfs() {
    let grid = Grid {
        width: 30,
        height: 20,
        with_properties: false,
    };
    let report = run(&grid, &plain());
    assert_eq!(report.unique_states, 31 * 21);
    // One init state plus one generated state per move: 30 right moves on each of 21 rows,
    // 20 up moves on each of 31 columns.
    assert_eq!(report.states, 1 + 30 * 21 + 20 * 31);
    assert_eq!(report.max_depth, 50);
    assert!(report.complete);
    let stateright = grid.clone().checker().spawn_bfs().join();
    assert_eq!(
        report.unique_states as usize,
        stateright.unique_state_count()
    );
    assert_eq!(report.states as usize, stateright.state_count());
}

#[test]
fn lost_update_state_counts_match_stateright_bfs() {
    for clients in 1..=5 {
        let model = LostUpdate {
            clients,
            with_properties: false,
        };
        let report = run(&model, &plain());
        let stateright = model.clone().checker().spawn_bfs().join();
        assert_eq!(
            report.unique_states as usize,
            stateright.unique_state_count(),
            "{clients} clients"
        );
        assert_eq!(report.states as usize, stateright.state_count());
        assert_eq!(report.max_depth, 2 * clients);
    }
}

#[test]
fn grid_verdicts_and_example_paths_are_shortest() {
    let grid = Grid {
        width: 6,
        height: 4,
        with_properties: true,
    };
    let report = run(&grid, &plain());
    let stays = report.outcome("stays on the grid").expect("property");
    assert_eq!(stays.verdict, Verdict::Hold);
    assert!(stays.path.is_none());
    let corner = report.outcome("reaches the far corner").expect("property");
    assert_eq!(corner.verdict, Verdict::Hold);
    assert_eq!(corner.expectation, Expectation::Sometimes);
    let path = corner.path.as_ref().expect("an example path");
    assert_eq!(path.len(), 6 + 4 + 1);
    assert_real_path(&grid, path);
    assert_eq!(path.last().map(|(state, _)| *state), Some((6, 4)));
    assert_eq!(report.overall(), Verdict::Hold);
}

#[test]
fn doubler_counterexample_is_the_shortest_of_many() {
    let model = Doubler { limit: 20, bad: 13 };
    let report = run(&model, &plain());
    assert_eq!(report.unique_states, 21);
    let outcome = report.outcome("never reaches bad").expect("property");
    assert_eq!(outcome.verdict, Verdict::Violated);
    let path = outcome.path.as_ref().expect("a counterexample");
    assert_real_path(&model, path);
    let states: Vec<u8> = path.iter().map(|(state, _)| *state).collect();
    // 13 = 0b1101: +1 x2 +1 x2 x2 +1 is the only 6-step way; counting up would take 13 steps.
    assert_eq!(states, vec![0, 1, 2, 3, 6, 12, 13]);
    assert_eq!(report.overall(), Verdict::Violated);
}

#[test]
fn lost_update_is_found_in_four_steps_for_any_number_of_clients() {
    for clients in 2..=5 {
        let model = LostUpdate {
            clients,
            with_properties: true,
        };
        let report = run(&model, &plain());
        let lost = report.outcome("no update is lost").expect("property");
        assert_eq!(lost.verdict, Verdict::Violated);
        let path = lost.path.as_ref().expect("a counterexample");
        assert_eq!(path.len(), 5, "read, read, write, write");
        assert_real_path(&model, path);
        let last = &path.last().expect("state").0;
        assert_ne!(usize::from(last.value), done(last));

        let finish = report.outcome("every client finishes").expect("property");
        assert_eq!(finish.verdict, Verdict::Hold);
        assert_eq!(finish.path.as_ref().map(Vec::len), Some(2 * clients + 1));
        let exceeds = report
            .outcome("the counter never exceeds the clients")
            .expect("property");
        assert_eq!(exceeds.verdict, Verdict::Hold);
    }
}

#[test]
fn sometimes_without_any_example_is_violated() {
    let model = LostUpdate {
        clients: 1,
        with_properties: true,
    };
    let report = run(&model, &plain());
    // With one client nothing is lost, so "all but one lost" means the one update is kept:
    // reachable. "No update is lost" holds.
    assert_eq!(
        report.outcome("no update is lost").map(|o| o.verdict),
        Some(Verdict::Hold)
    );
    let grid = Grid {
        width: 0,
        height: 0,
        with_properties: true,
    };
    let report = run(&grid, &plain());
    assert_eq!(
        report.outcome("reaches (1, 1)").map(|o| o.verdict),
        Some(Verdict::Violated)
    );
    assert!(report.complete);
}

#[test]
fn depth_bound_makes_undecided_properties_inconclusive() {
    let grid = Grid {
        width: 10,
        height: 10,
        with_properties: true,
    };
    let options = CheckOptions {
        max_depth: Some(3),
        ..plain()
    };
    let report = run(&grid, &options);
    assert!(!report.complete);
    assert_eq!(report.unique_states, 1 + 2 + 3 + 4);
    assert_eq!(report.max_depth, 3);
    let stays = report.outcome("stays on the grid").expect("property");
    assert_eq!(stays.verdict, Verdict::Inconclusive);
    assert_eq!(stays.note, Some(OutcomeNote::DepthBoundReached));
    let corner = report.outcome("reaches the far corner").expect("property");
    assert_eq!(corner.verdict, Verdict::Inconclusive);
    let one_one = report.outcome("reaches (1, 1)").expect("property");
    assert_eq!(one_one.verdict, Verdict::Hold, "an example found is final");
    assert_eq!(one_one.path.as_ref().map(Vec::len), Some(3));
    assert_eq!(report.overall(), Verdict::Inconclusive);
}

#[test]
fn depth_bound_that_hides_nothing_leaves_the_check_complete() {
    let grid = Grid {
        width: 10,
        height: 10,
        with_properties: true,
    };
    let options = CheckOptions {
        max_depth: Some(20),
        ..plain()
    };
    let report = run(&grid, &options);
    assert!(report.complete);
    assert_eq!(report.overall(), Verdict::Hold);
    assert_eq!(report.unique_states, 121);
}

#[test]
fn timeout_makes_undecided_properties_inconclusive() {
    let grid = Grid {
        width: 4000,
        height: 4000,
        with_properties: true,
    };
    let options = CheckOptions {
        timeout: Some(Duration::from_millis(30)),
        ..plain()
    };
    let report = run(&grid, &options);
    assert!(!report.complete);
    assert!(report.elapsed < Duration::from_secs(5));
    assert!(report.unique_states < 4001 * 4001);
    let stays = report.outcome("stays on the grid").expect("property");
    assert_eq!(stays.verdict, Verdict::Inconclusive);
    assert_eq!(stays.note, Some(OutcomeNote::TimeoutReached));
    let one_one = report.outcome("reaches (1, 1)").expect("property");
    assert_eq!(one_one.verdict, Verdict::Hold);
}

/// A model with an `eventually` property, which the checker must refuse to decide.
#[derive(Clone, Debug)]
struct Blinker;

impl Model for Blinker {
    type State = bool;
    type Action = ();
    fn init_states(&self) -> Vec<bool> {
        vec![false]
    }
    fn actions(&self, _: &bool, actions: &mut Vec<()>) {
        actions.push(());
    }
    fn next_state(&self, &on: &bool, _: ()) -> Option<bool> {
        Some(!on)
    }
    fn properties(&self) -> Vec<Property<Self>> {
        vec![
            Property::eventually("eventually on", |_, &on| on),
            Property::always("a bool is a bool", |_, _| true),
        ]
    }
}
impl imflow_model::checker::Reductions for Blinker {}

#[test]
fn eventually_properties_are_refused_and_the_others_still_decided() {
    let report = run(&Blinker, &plain());
    let eventually = report.outcome("eventually on").expect("property");
    assert_eq!(eventually.verdict, Verdict::Inconclusive);
    assert_eq!(eventually.note, Some(OutcomeNote::EventuallyUnsupported));
    assert!(eventually.path.is_none());
    assert_eq!(
        report.outcome("a bool is a bool").map(|o| o.verdict),
        Some(Verdict::Hold)
    );
    assert_eq!(report.unique_states, 2);
    assert!(report.complete);
}

#[test]
fn progress_ends_with_the_reported_totals() {
    let model = LostUpdate {
        clients: 5,
        with_properties: true,
    };
    let mut calls = Vec::new();
    let report = check(&model, &plain(), &mut |progress| {
        calls.push(progress.clone())
    });
    let last = calls
        .last()
        .expect("progress is reported at least at the end");
    assert_eq!(last.states, report.states);
    assert_eq!(last.unique_states, report.unique_states);
    assert_eq!(last.depth, report.max_depth);
    // About once a second plus the final report: a sub-second run reports once or twice.
    assert!(calls.len() <= 2 + report.elapsed.as_secs() as usize);
}

/// A counter with no limit of its own, cut by `within_boundary` at 10.
#[derive(Clone, Debug)]
struct Fenced;

impl Model for Fenced {
    type State = u8;
    type Action = u8;
    fn init_states(&self) -> Vec<u8> {
        vec![0]
    }
    fn actions(&self, &x: &u8, actions: &mut Vec<u8>) {
        if x < u8::MAX - 2 {
            actions.extend([1, 2]);
        }
    }
    fn next_state(&self, &x: &u8, step: u8) -> Option<u8> {
        Some(x + step)
    }
    fn within_boundary(&self, &x: &u8) -> bool {
        x < 10
    }
    fn properties(&self) -> Vec<Property<Self>> {
        vec![never_decided()]
    }
}
impl imflow_model::checker::Reductions for Fenced {}

#[test]
fn states_outside_the_boundary_are_neither_counted_nor_explored() {
    let report = run(&Fenced, &plain());
    assert_eq!(report.unique_states, 10);
    assert!(report.complete);
    let stateright = Fenced.checker().spawn_bfs().join();
    assert_eq!(
        report.unique_states as usize,
        stateright.unique_state_count()
    );
    assert_eq!(report.states as usize, stateright.state_count());
}
