//! A checker path becomes a trace: one step per action, lanes from the model, every state kept,
//! and model maps keyed by (message, recipient) pairs kept as ITF `#map`s.

use imflow::trace::{itf, value, LadderView, Trace, TraceError};
use serde::Serialize;
use serde_json::json;
use std::collections::BTreeMap;

/// A two-lane toy: a sender hands messages to a server, which may also fire a local timer.
struct Relay;

#[derive(Clone, Debug, Hash, PartialEq, Eq, Serialize)]
struct RelayState {
    /// How often each (message, recipient) reached the server.
    seen: BTreeMap<(u8, u8), u8>,
    timer: Option<Timer>,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, Serialize)]
enum Timer {
    Armed,
    Fired { at: u8 },
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
enum RelayAction {
    Send(u8, u8),
    Fire,
}

impl stateright::Model for Relay {
    type State = RelayState;
    type Action = RelayAction;
    fn init_states(&self) -> Vec<RelayState> {
        vec![RelayState {
            seen: BTreeMap::new(),
            timer: Some(Timer::Armed),
        }]
    }
    fn actions(&self, _state: &RelayState, actions: &mut Vec<RelayAction>) {
        actions.push(RelayAction::Send(1, 2));
        actions.push(RelayAction::Fire);
    }
    fn next_state(&self, state: &RelayState, action: RelayAction) -> Option<RelayState> {
        let mut next = state.clone();
        match action {
            RelayAction::Send(m, r) => *next.seen.entry((m, r)).or_insert(0) += 1,
            RelayAction::Fire => next.timer = Some(Timer::Fired { at: 7 }),
        }
        Some(next)
    }
}

impl LadderView for Relay {
    fn lanes(&self) -> Vec<String> {
        vec!["User A".to_string(), "Server A".to_string()]
    }
    fn step_view(&self, _before: &RelayState, action: &RelayAction) -> (usize, usize, String) {
        match action {
            RelayAction::Send(m, _) => (0, 1, format!("MESSAGE m{m}")),
            RelayAction::Fire => (1, 1, "timer fires".to_string()),
        }
    }
}

fn path() -> Vec<(RelayState, Option<RelayAction>)> {
    use stateright::Model;
    let s0 = Relay.init_states().remove(0);
    let s1 = Relay
        .next_state(&s0, RelayAction::Send(1, 2))
        .expect("send");
    let s2 = Relay.next_state(&s1, RelayAction::Fire).expect("fire");
    vec![
        (s0, Some(RelayAction::Send(1, 2))),
        (s1, Some(RelayAction::Fire)),
        (s2, None),
    ]
}

#[test]
fn each_action_of_the_path_becomes_one_step_with_the_state_after_it() {
    let trace = Trace::from_model_path(&Relay, "toy", Some("S9 at-most-once-delivery"), &path())
        .expect("trace");
    assert_eq!(trace.lanes, ["User A", "Server A"]);
    assert_eq!(trace.steps.len(), 2);
    assert_eq!((trace.steps[0].from, trace.steps[0].to), (0, 1));
    assert_eq!(trace.steps[0].label, "MESSAGE m1");
    assert_eq!(trace.steps[0].action, "Send(1, 2)");
    assert!(trace.steps[1].is_local());
    assert_eq!(
        trace.initial_state,
        json!({ "seen": { "#map": [] }, "timer": { "tag": "Some", "value": "Armed" } })
    );
    assert_eq!(
        trace.steps[0].state["seen"],
        json!({ "#map": [[[1, 2], 1]] })
    );
    assert_eq!(
        trace.steps[1].state["timer"],
        json!({ "tag": "Some", "value": { "tag": "Fired", "value": { "at": 7 } } })
    );
    assert_eq!(Trace::from_json(&trace.to_json()), Ok(trace));
}

#[test]
fn model_maps_with_pair_keys_become_itf_maps_with_bigints() {
    let trace = Trace::from_model_path(&Relay, "toy", None, &path()).expect("trace");
    let doc = itf::document(&trace);
    assert_eq!(
        doc["states"][1]["seen"],
        json!({ "#map": [[[{ "#bigint": "1" }, { "#bigint": "2" }], { "#bigint": "1" }]] })
    );
    assert_eq!(doc["states"][1]["mbt::actionTaken"], "Send(1, 2)");
}

#[test]
fn string_keyed_maps_stay_records_and_none_is_a_sum_value() {
    let mut names = BTreeMap::new();
    names.insert("B".to_string(), 1u8);
    assert_eq!(value::to_value(&names), Ok(json!({ "B": 1 })));
    assert_eq!(
        value::to_value(&None::<u8>),
        Ok(json!({ "tag": "None", "value": { "#tup": [] } }))
    );
    assert_eq!(
        value::to_value(&u128::MAX),
        Ok(json!(u128::MAX.to_string()))
    );
}

#[test]
fn empty_path_and_missing_action_are_errors_not_panics() {
    let empty: Vec<(RelayState, Option<RelayAction>)> = Vec::new();
    assert_eq!(
        Trace::from_model_path(&Relay, "toy", None, &empty),
        Err(TraceError::EmptyPath)
    );
    let mut broken = path();
    broken[0].1 = None;
    assert_eq!(
        Trace::from_model_path(&Relay, "toy", None, &broken),
        Err(TraceError::MissingAction { step: 1 })
    );
}
