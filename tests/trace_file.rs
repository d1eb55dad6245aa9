//! The trace file is the single source of truth: it loads back exactly, and a malformed or
//! hostile file is refused with a reason instead of crashing a renderer.

use imflow::trace::{ladder, Step, Trace, TraceError, TRACE_FORMAT};
use serde_json::json;

fn one_message() -> Trace {
    Trace {
        format: TRACE_FORMAT.to_string(),
        scenario: "one-to-one".to_string(),
        property: None,
        lanes: vec!["User A".to_string(), "Server A".to_string()],
        initial_state: json!({ "n": 0 }),
        steps: vec![Step {
            from: 0,
            to: 1,
            label: "MESSAGE m1".to_string(),
            action: "Send".to_string(),
            state: json!({ "n": 1 }),
            sip: Some("MESSAGE sip:b@example.com SIP/2.0\r\n".to_string()),
        }],
    }
}

#[test]
fn trace_file_loads_back_unchanged() {
    let trace = one_message();
    assert_eq!(Trace::from_json(&trace.to_json()), Ok(trace));
}

#[test]
fn step_naming_a_missing_lane_is_refused_before_rendering() {
    let mut trace = one_message();
    trace.steps[0].to = 7;
    let err = Trace::from_json(&trace.to_json()).unwrap_err();
    assert_eq!(
        err,
        TraceError::LaneOutOfRange {
            step: 1,
            lane: 7,
            lanes: 2
        }
    );
    assert!(err.to_string().contains("step 1 names lane 7"));
}

#[test]
fn unknown_trace_format_is_refused() {
    let mut trace = one_message();
    trace.format = "imflow-trace/99".to_string();
    assert!(matches!(
        Trace::from_json(&trace.to_json()),
        Err(TraceError::UnknownFormat(_))
    ));
}

#[test]
fn trace_without_lanes_is_refused() {
    let mut trace = one_message();
    trace.lanes.clear();
    trace.steps.clear();
    assert_eq!(
        Trace::from_json(&trace.to_json()),
        Err(TraceError::LaneCount(0))
    );
}

#[test]
fn non_json_and_unknown_fields_are_refused_with_serde_position() {
    let err = Trace::from_json("{ not json").unwrap_err();
    assert!(
        matches!(&err, TraceError::Json(m) if m.contains("line 1")),
        "{err}"
    );
    let mut value = serde_json::to_value(one_message()).expect("to value");
    value["colour"] = json!("red");
    let err = Trace::from_json(&value.to_string()).unwrap_err();
    assert!(err.to_string().contains("colour"), "{err}");
}

#[test]
fn trace_without_steps_renders_lanes_only() {
    let mut trace = one_message();
    trace.steps.clear();
    let text = ladder::render(&trace);
    assert!(text.contains("User A") && text.contains("Server A"));
    assert!(text.contains("(0 steps)"));
}
