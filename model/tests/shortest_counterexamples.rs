//! Every known-bad variant's counterexample is shortest: its length equals the depth of the
//! nearest violating state, computed here by an independent plain breadth-first search over the
//! model (no fingerprints, no reductions, no parent links), with and without the checker's
//! reductions.

use crate::support;

use imflow_model::checker::Verdict;
use imflow_model::{Expected, GroupImModel, PropertyId};
use stateright::{Expectation, Model};
use std::collections::{HashSet, VecDeque};
use support::{run, scenario, stems};

/// The number of actions on a shortest path from an init state to a state where `property`
/// (an `always` property of the model) is false, or None if no reachable state breaks it.
fn nearest_violation(model: &GroupImModel, property: PropertyId) -> Option<usize> {
    let checked = model.properties();
    let p = checked
        .iter()
        .find(|p| p.name == property.label())
        .expect("the property is checked");
    assert!(matches!(p.expectation, Expectation::Always));
    let mut seen = HashSet::new();
    let mut queue = VecDeque::new();
    for s in model.init_states() {
        if seen.insert(s.clone()) {
            queue.push_back((s, 0usize));
        }
    }
    let mut actions = Vec::new();
    while let Some((state, depth)) = queue.pop_front() {
        if !(p.condition)(model, &state) {
            return Some(depth);
        }
        actions.clear();
        model.actions(&state, &mut actions);
        for action in actions.drain(..) {
            if let Some(next) = model.next_state(&state, action) {
                if seen.insert(next.clone()) {
                    queue.push_back((next, depth + 1));
                }
            }
        }
    }
    None
}

#[test]
fn every_known_bad_counterexample_is_shortest() {
    let mut checked = 0;
    for stem in stems().iter().filter(|s| s.starts_with("bad-")) {
        let scenario = scenario(stem);
        let Expected::Violated(property) = scenario.expect else {
            panic!("{stem}: a known-bad scenario must expect a violation");
        };
        let model = GroupImModel::new(&scenario).expect("valid scenario");
        let nearest = nearest_violation(&model, property)
            .unwrap_or_else(|| panic!("{stem}: no state violates {}", property.label()));
        for (symmetry, por) in [(false, false), (true, false), (false, true), (true, true)] {
            let report = run(&model, symmetry, por);
            let outcome = report
                .outcome(property.label())
                .unwrap_or_else(|| panic!("{stem}: {} not reported", property.label()));
            assert_eq!(outcome.verdict, Verdict::Violated, "{stem}");
            let path = outcome.path.as_ref().expect("a counterexample path");
            // A path of n actions has n + 1 entries (the last carries no action).
            assert_eq!(
                path.len() - 1,
                nearest,
                "{stem} (symmetry {symmetry}, por {por}): counterexample for {} is not shortest",
                property.label()
            );
            // And it really ends in a violating state reached by enabled actions.
            let last = &path.last().expect("non-empty").0;
            let p = model
                .properties()
                .into_iter()
                .find(|p| p.name == property.label())
                .expect("checked");
            assert!(
                !(p.condition)(&model, last),
                "{stem}: last state does not violate"
            );
        }
        checked += 1;
    }
    assert!(checked >= 7, "only {checked} known-bad scenarios");
}
