//! Symmetry and partial-order reduction keep every verdict, shrink the state space, and still
//! give shortest, concrete paths.

use crate::checker_toys;

use checker_toys::*;
use imflow_model::checker::{CheckOptions, Verdict};
use stateright::{Checker, Model};

fn symmetric() -> CheckOptions {
    CheckOptions {
        symmetry: true,
        ..plain()
    }
}

fn por() -> CheckOptions {
    CheckOptions {
        por: true,
        ..plain()
    }
}

fn verdicts<M: stateright::Model>(
    report: &imflow_model::checker::CheckReport<M>,
) -> Vec<(&'static str, Verdict)> {
    report
        .properties
        .iter()
        .map(|o| (o.name, o.verdict))
        .collect()
}

#[test]
fn symmetry_keeps_verdicts_and_path_lengths_and_shrinks_the_space() {
    for clients in 2..=6 {
        let model = LostUpdate {
            clients,
            with_properties: true,
        };
        let full = run(&model, &plain());
        let reduced = run(&model, &symmetric());
        assert!(full.complete && reduced.complete);
        assert_eq!(verdicts(&full), verdicts(&reduced), "{clients} clients");
        assert!(
            reduced.unique_states < full.unique_states,
            "{clients} clients: {} !< {}",
            reduced.unique_states,
            full.unique_states
        );
        assert_eq!(reduced.max_depth, full.max_depth);
        for (plain_outcome, reduced_outcome) in full.properties.iter().zip(&reduced.properties) {
            assert_eq!(
                plain_outcome.path.as_ref().map(Vec::len),
                reduced_outcome.path.as_ref().map(Vec::len),
                "{}: symmetry keeps depths",
                plain_outcome.name
            );
            if let Some(path) = &reduced_outcome.path {
                assert_real_path(&model, path);
            }
        }
    }
}

#[test]
fn symmetric_counterexample_is_replayed_on_concrete_states() {
    let model = LostUpdate {
        clients: 4,
        with_properties: true,
    };
    let report = run(&model, &symmetric());
    let lost = report.outcome("no update is lost").expect("property");
    assert_eq!(lost.verdict, Verdict::Violated);
    let path = lost.path.as_ref().expect("a counterexample");
    assert_eq!(path.len(), 5);
    assert_real_path(&model, path);
    let last = &path.last().expect("state").0;
    assert_ne!(
        usize::from(last.value),
        done(last),
        "the concrete end state breaks it"
    );
    assert!(lost.note.is_none());
}

#[test]
fn symmetry_counts_match_stateright_symmetric_dfs() {
    for clients in 1..=5 {
        let model = LostUpdate {
            clients,
            with_properties: false,
        };
        let ours = run(&model, &symmetric());
        let theirs = model
            .clone()
            .checker()
            .symmetry_fn(sorted_clients)
            .spawn_dfs()
            .join();
        assert_eq!(
            ours.unique_states as usize,
            theirs.unique_state_count(),
            "{clients} clients"
        );
    }
}

#[test]
fn por_explores_fewer_states_and_keeps_verdicts() {
    let model = Independent {
        processes: 4,
        steps: 3,
    };
    let full = run(&model, &plain());
    assert_eq!(full.unique_states, 4 * 4 * 4 * 4);
    let reduced = run(&model, &por());
    // Processes 2 and 3 run alone first (7 states), then processes 0 and 1 interleave on a 4x4
    // grid whose corner (0, 0) is already counted.
    assert_eq!(reduced.unique_states, 7 + 15);
    assert!(reduced.complete);
    assert_eq!(verdicts(&full), verdicts(&reduced));
}

#[test]
fn por_counterexample_is_made_shortest_by_the_unreduced_rerun() {
    let model = Independent {
        processes: 4,
        steps: 3,
    };
    // In the reduced space (2, 2, _, _) is only reachable after processes 2 and 3 finish:
    // 6 + 4 actions. A POR search bounded at 9 actions cannot find it...
    let bounded = run(
        &model,
        &CheckOptions {
            max_depth: Some(9),
            ..por()
        },
    );
    let both = "processes 0 and 1 never both reach 2";
    assert_eq!(
        bounded.outcome(both).map(|o| o.verdict),
        Some(Verdict::Inconclusive)
    );
    // ...yet the reported counterexample has the shortest length, 4 actions.
    let report = run(&model, &por());
    let outcome = report.outcome(both).expect("property");
    assert_eq!(outcome.verdict, Verdict::Violated);
    let path = outcome.path.as_ref().expect("a counterexample");
    assert_eq!(path.len(), 5);
    assert_real_path(&model, path);
    assert!(outcome.note.is_none(), "the re-run completed");
    let example = report.outcome("process 1 steps").expect("property");
    assert_eq!(example.verdict, Verdict::Hold);
    assert_eq!(example.path.as_ref().map(Vec::len), Some(2));
    let unreduced = run(&model, &plain());
    assert_eq!(
        unreduced.outcome(both).and_then(|o| o.path.clone()),
        outcome.path,
        "the same path as the unreduced search"
    );
}

#[test]
fn por_and_symmetry_together_keep_verdicts() {
    let model = LostUpdate {
        clients: 5,
        with_properties: true,
    };
    let full = run(&model, &plain());
    let both = run(
        &model,
        &CheckOptions {
            symmetry: true,
            por: true,
            ..plain()
        },
    );
    assert_eq!(verdicts(&full), verdicts(&both));
    for outcome in &both.properties {
        if let Some(path) = &outcome.path {
            assert_real_path(&model, path);
        }
    }
}

/// Two counters whose "representative" sorts them although only the first one moves: not a
/// bisimulation, so stored paths cannot be replayed on concrete states.
#[derive(Clone, Debug)]
struct BrokenSymmetry;

impl Model for BrokenSymmetry {
    type State = (u8, u8);
    type Action = ();
    fn init_states(&self) -> Vec<(u8, u8)> {
        vec![(0, 0)]
    }
    fn actions(&self, &(x, _): &(u8, u8), actions: &mut Vec<()>) {
        if x < 3 {
            actions.push(());
        }
    }
    fn next_state(&self, &(x, y): &(u8, u8), _: ()) -> Option<(u8, u8)> {
        Some((x + 1, y))
    }
    fn properties(&self) -> Vec<stateright::Property<Self>> {
        vec![stateright::Property::always(
            "x never reaches 2",
            |_, &(x, _)| x != 2,
        )]
    }
}

impl imflow_model::checker::Reductions for BrokenSymmetry {
    fn representative(&self, &(x, y): &(u8, u8)) -> (u8, u8) {
        (x.min(y), x.max(y))
    }
}

#[test]
fn a_representative_that_is_not_a_bisimulation_is_reported_not_panicked_on() {
    let report = run(&BrokenSymmetry, &symmetric());
    let outcome = report.outcome("x never reaches 2").expect("property");
    assert_eq!(outcome.verdict, Verdict::Violated);
    assert!(outcome.path.is_none());
    assert_eq!(
        outcome.note,
        Some(imflow_model::checker::OutcomeNote::PathNotReplayable)
    );
}

#[test]
fn por_example_deeper_than_every_violation_keeps_its_reduced_path_and_says_so() {
    // With one step each, processes 0 and 1 never both reach 2: nothing is violated, so no
    // unreduced re-run happens, and the example for "process 1 steps" is the reduced search's
    // (processes 2 and 3 step first).
    let model = Independent {
        processes: 4,
        steps: 1,
    };
    let report = run(&model, &por());
    assert_eq!(report.overall(), Verdict::Hold);
    let example = report.outcome("process 1 steps").expect("property");
    assert_eq!(example.verdict, Verdict::Hold);
    assert_eq!(
        example.note,
        Some(imflow_model::checker::OutcomeNote::PathMayNotBeShortest)
    );
    let path = example.path.as_ref().expect("an example");
    assert_real_path(&model, path);
    assert_eq!(path.len(), 4);
    let unreduced = run(&model, &plain());
    let shortest = unreduced.outcome("process 1 steps").expect("property");
    assert_eq!(shortest.path.as_ref().map(Vec::len), Some(2));
    assert!(shortest.note.is_none());
}
