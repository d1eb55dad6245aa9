//! Golden renderings of a small hand-made trace: the first steps of the seed flow (User A's
//! MESSAGE reaching the CF, the 202, the fan-out to B, B's IMDN) and a local event.
//!
//! Regenerate the golden files after an intended change with `IMFLOW_UPDATE_GOLDEN=1`.

use crate::common;

use common::golden::assert_golden;
use imflow::trace::{itf, ladder, mermaid, svg, Step, Trace, TRACE_FORMAT};
use serde_json::{json, Value};

const USER_A: usize = 0;
const SERVER_A: usize = 1;
const CF: usize = 2;
const SERVER_B: usize = 3;
const USER_B: usize = 4;

fn step(from: usize, to: usize, label: &str, action: &str, sent: u64) -> Step {
    Step {
        from,
        to,
        label: label.to_string(),
        action: action.to_string(),
        state: json!({ "sent": sent, "timers": { "#map": [[[1, 2], true]] }, "phase": label }),
        sip: None,
    }
}

/// The seed flow's opening: A's MESSAGE to the CF, the 202, the fan-out and B's notification.
fn seed_opening() -> Trace {
    Trace {
        format: TRACE_FORMAT.to_string(),
        scenario: "seed".to_string(),
        property: Some("R1 seed-flow-reachable".to_string()),
        lanes: ["User A", "Server A", "CF", "Server B", "User B"]
            .map(String::from)
            .to_vec(),
        initial_state: json!({ "sent": 0, "timers": { "#map": [] }, "phase": "idle" }),
        steps: vec![
            step(
                USER_A,
                SERVER_A,
                "MESSAGE m1 (positive-delivery)",
                "Send(A, m1)",
                1,
            ),
            step(SERVER_A, CF, "MESSAGE m1", "Relay(A, m1)", 2),
            step(CF, SERVER_A, "202 Accepted", "Accept(m1)", 3),
            step(CF, SERVER_B, "MESSAGE m1 -> B", "FanOut(m1, B)", 4),
            step(SERVER_B, USER_B, "MESSAGE m1", "Deliver(B, m1)", 5),
            step(
                USER_B,
                SERVER_B,
                "IMDN delivered <B>; #1",
                "Notify(B, m1)",
                6,
            ),
            step(CF, CF, "aggregation timer fires", "Flush(m1)", 6),
        ],
    }
}

#[test]
fn ladder_matches_golden() {
    assert_golden("seed_opening.txt", &ladder::render(&seed_opening()));
}

#[test]
fn mermaid_matches_golden() {
    assert_golden("seed_opening.mmd", &mermaid::render(&seed_opening()));
}

#[test]
fn svg_matches_golden() {
    assert_golden("seed_opening.svg", &svg::render(&seed_opening()));
}

#[test]
fn itf_matches_golden() {
    assert_golden("seed_opening.itf.json", &itf::render(&seed_opening()));
}

#[test]
fn itf_is_json_with_meta_vars_and_action_taken_per_state() {
    let doc: Value = serde_json::from_str(&itf::render(&seed_opening())).expect("ITF is JSON");
    assert_eq!(doc["#meta"]["format"], "ITF");
    let vars: Vec<&str> = doc["vars"]
        .as_array()
        .expect("vars")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    assert_eq!(vars, ["phase", "sent", "timers", "mbt::actionTaken"]);
    let states = doc["states"].as_array().expect("states");
    assert_eq!(states.len(), seed_opening().steps.len() + 1);
    for (i, state) in states.iter().enumerate() {
        assert_eq!(state["#meta"]["index"], i);
        for var in &vars {
            assert!(state.get(*var).is_some(), "state {i} lacks {var}");
        }
    }
    assert_eq!(states[0]["mbt::actionTaken"], "init");
    assert_eq!(states[4]["mbt::actionTaken"], "FanOut(m1, B)");
    assert_eq!(states[4]["sent"], json!({ "#bigint": "4" }));
    assert_eq!(
        states[1]["timers"],
        json!({ "#map": [[[{ "#bigint": "1" }, { "#bigint": "2" }], true]] })
    );
}

#[test]
fn svg_is_well_formed_xml_with_one_arrow_per_message() {
    let text = svg::render(&seed_opening());
    let doc = roxmltree::Document::parse(&text).expect("SVG is well-formed XML");
    let arrows = doc
        .descendants()
        .filter(|n| n.has_tag_name("line") && n.attribute("marker-end").is_some())
        .count();
    let messages = seed_opening()
        .steps
        .iter()
        .filter(|s| !s.is_local())
        .count();
    assert_eq!(arrows, messages);
}

#[test]
fn mermaid_declares_participants_in_lane_order_and_escapes_syntax() {
    let text = mermaid::render(&seed_opening());
    let participants: Vec<&str> = text
        .lines()
        .filter_map(|l| l.trim().strip_prefix("participant "))
        .collect();
    assert_eq!(
        participants,
        [
            "L0 as User A",
            "L1 as Server A",
            "L2 as CF",
            "L3 as Server B",
            "L4 as User B"
        ]
    );
    assert!(text.contains("    Note over L2: aggregation timer fires\n"));
    // A label's ';' would end the Mermaid statement early: only entity codes may hold one.
    assert!(text.contains("IMDN delivered #60;B#62;#59; #35;1"));
    assert!(without_entity_codes(&text)
        .chars()
        .all(|c| c != ';' && c != '<'));
}

/// The text with every Mermaid entity code (`#59;`) removed.
fn without_entity_codes(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(at) = rest.find('#') {
        out.push_str(&rest[..at]);
        let tail = &rest[at + 1..];
        let digits = tail.chars().take_while(char::is_ascii_digit).count();
        if digits > 0 && tail[digits..].starts_with(';') {
            rest = &tail[digits + 1..];
        } else {
            out.push('#');
            rest = tail;
        }
    }
    out.push_str(rest);
    out
}

#[test]
fn hostile_labels_stay_on_one_line_in_every_rendering() {
    let mut trace = seed_opening();
    trace.steps[0].label = "evil\nNote over L0: injected\r<script>&\"".to_string();
    let ladder_lines = ladder::render(&trace).lines().count();
    assert_eq!(
        ladder_lines,
        ladder::render(&seed_opening()).lines().count()
    );
    assert!(!mermaid::render(&trace).contains("\nNote over L0: injected"));
    roxmltree::Document::parse(&svg::render(&trace)).expect("SVG stays well-formed");
}
