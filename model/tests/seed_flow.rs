//! The seed flow and the catalogue's stories, read off the model's own paths: R1's example
//! path is the seed flow, known-bad variants end in a state breaking their property, and the
//! notifications each scenario is about do reach the sender.

use crate::support;

use imflow_model::checker::Verdict;
use imflow_model::message::{status_index, FAILED, STORED};
use imflow_model::{Expected, GroupImModel, PropertyId, Scenario, State};
use rustc_hash::FxHashSet;
use stateright::Model;
use support::{run, scenario, stems};

/// The ladder of a path: "from -> to: label" per step.
fn ladder(model: &GroupImModel, path: &[(State, Option<imflow_model::Action>)]) -> Vec<String> {
    let lanes = model.lanes();
    path.iter()
        .filter_map(|(state, action)| {
            let view = model.step_view(state, action.as_ref()?);
            Some(format!(
                "{} -> {}: {}",
                lanes[view.from], lanes[view.to], view.label
            ))
        })
        .collect()
}

fn position(steps: &[String], wanted: &str) -> usize {
    steps
        .iter()
        .position(|s| s == wanted)
        .unwrap_or_else(|| panic!("no step `{wanted}` in\n{}", steps.join("\n")))
}

#[test]
fn seed_lanes_are_user_server_cf_server_user() {
    let model = GroupImModel::new(&Scenario::seed()).expect("valid");
    assert_eq!(
        model.lanes(),
        [
            "User A", "Server A", "CF", "Server B", "User B", "Server C", "User C", "Server D",
            "User D"
        ]
    );
}

#[test]
fn seed_example_path_is_the_seed_flow_with_explicit_imdns_one_aggregate_then_d() {
    let model = GroupImModel::new(&Scenario::seed()).expect("valid");
    let report = run(&model, true, true);
    let outcome = report
        .properties
        .iter()
        .find(|o| o.name == PropertyId::R1.label())
        .expect("R1 is checked");
    assert_eq!(outcome.verdict, Verdict::Hold);
    let steps = ladder(&model, outcome.path.as_ref().expect("an example path"));
    let sent = position(&steps, "User A -> Server A: MESSAGE m1");
    let at_cf = position(&steps, "Server A -> CF: MESSAGE m1");
    let accepted = position(&steps, "Server A -> User A: 202 Accepted (m1)");
    let stored = position(&steps, "Server D -> CF: 202 Accepted (m1)");
    for r in ["B", "C"] {
        let delivered = position(&steps, &format!("Server {r} -> User {r}: MESSAGE m1"));
        let ok = position(&steps, &format!("Server {r} -> CF: 200 OK (m1)"));
        let imdn_out = position(
            &steps,
            &format!("User {r} -> Server {r}: MESSAGE IMDN m1 delivered({r})"),
        );
        let imdn_cf = position(
            &steps,
            &format!("Server {r} -> CF: MESSAGE IMDN m1 delivered({r})"),
        );
        assert!(at_cf < delivered && delivered < ok && delivered < imdn_out && imdn_out < imdn_cf);
    }
    let aggregate = "MESSAGE aggregated IMDN m1 [delivered(B), delivered(C)]";
    let aggregated = position(&steps, &format!("Server A -> User A: {aggregate}"));
    assert_eq!(
        steps
            .iter()
            .filter(|s| s.contains("aggregated IMDN"))
            .count(),
        2,
        "one aggregate, two hops"
    );
    let register = position(&steps, "User D -> Server D: REGISTER");
    let register_ok = position(&steps, "Server D -> User D: 200 OK (REGISTER)");
    let deferred = position(&steps, "Server D -> User D: MESSAGE m1 (deferred copy)");
    let d_imdn = position(&steps, "User D -> Server D: MESSAGE IMDN m1 delivered(D)");
    let d_at_a = position(&steps, "Server A -> User A: MESSAGE IMDN m1 delivered(D)");
    assert!(sent < at_cf && at_cf < accepted && at_cf < stored && stored < d_at_a);
    let leg_d = position(&steps, "CF -> Server D: MESSAGE m1");
    assert!(leg_d < register && register < register_ok && register < deferred);
    assert!(deferred < d_imdn && d_imdn < d_at_a && aggregated < d_at_a);
}

#[test]
fn every_known_bad_variant_ends_in_a_state_breaking_its_property() {
    for stem in stems().into_iter().filter(|s| s.starts_with("bad-")) {
        let scenario = scenario(&stem);
        let Expected::Violated(property) = scenario.expect else {
            panic!("{stem} should expect a violation");
        };
        let model = GroupImModel::new(&scenario).expect("valid");
        let report = run(&model, false, false);
        let outcome = report
            .properties
            .iter()
            .find(|o| o.name == property.label())
            .expect("checked");
        assert_eq!(outcome.verdict, Verdict::Violated, "{stem}");
        let path = outcome.path.as_ref().expect("a counterexample");
        let condition = imflow_model::properties::property(property).condition;
        let (last, _) = path.last().expect("non-empty");
        assert!(
            !condition(&model, last),
            "{stem}: last state does not break {property}"
        );
        assert!(
            path[..path.len() - 1]
                .iter()
                .all(|(s, _)| condition(&model, s)),
            "{stem}: not the first breaking state"
        );
    }
}

/// True if some reachable state satisfies `goal`.
fn reachable(model: &GroupImModel, goal: impl Fn(&State) -> bool) -> bool {
    let mut seen: FxHashSet<State> = FxHashSet::default();
    let mut frontier = model.init_states();
    while let Some(state) = frontier.pop() {
        if goal(&state) {
            return true;
        }
        for next in model.next_states(&state) {
            if seen.insert(next.clone()) {
                frontier.push(next);
            }
        }
    }
    false
}

#[test]
fn failed_imdn_reaches_sender_when_deferred_copy_expires() {
    let model = GroupImModel::new(&scenario("negative-expiry")).expect("valid");
    assert!(reachable(&model, |s| s.legs[0][3].notified
        [status_index(FAILED)]
        == 1));
}

#[test]
fn stored_imdn_reaches_sender_when_processing_requested() {
    let model = GroupImModel::new(&scenario("processing-stored")).expect("valid");
    assert!(reachable(&model, |s| s.legs[0][3].notified
        [status_index(STORED)]
        == 1));
}

#[test]
fn failed_imdn_reaches_sender_when_server_answers_480() {
    let model = GroupImModel::new(&scenario("no-deferral")).expect("valid");
    assert!(reachable(&model, |s| s.legs[0][2].notified
        [status_index(FAILED)]
        == 1));
}

#[test]
fn non_member_gets_403_and_nothing_else() {
    let model = GroupImModel::new(&scenario("non-member")).expect("valid");
    assert!(reachable(&model, |s| s.messages[0].response
        == Some(imflow_model::message::Code::Forbidden403)));
    assert!(!reachable(&model, |s| s.legs[0]
        .iter()
        .any(|l| l.fanout > 0)));
}
