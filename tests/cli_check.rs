//! `imflow check` as CI runs it: exit codes, the JSON object, `--out` trace files, the ladder and
//! reproduce line of a counterexample, and clear errors for bad input.

use imflow::trace::Trace;
use serde_json::Value;
use std::path::Path;

use crate::common;
use common::cli::{imflow, scratch, stderr};

/// Writes a scenario file into `dir` and returns its path as text.
fn scenario(dir: &Path, file: &str, toml: &str) -> String {
    let path = dir.join(file);
    std::fs::write(&path, toml).expect("write scenario");
    path.display().to_string()
}

/// Three members; the CF's fan-out wrongly includes the sender (breaks S7).
const SENDER_IN_FANOUT: &str = r#"
name = "sender-in-fanout"
group = { name = "friends", members = ["A", "B", "C"] }
messages = [{ from = "A", dispositions = ["positive-delivery"] }]
variants = { fanout_includes_sender = true }
expect = { violated = "S7" }
"#;

#[test]
fn seed_flow_holds_and_exits_0_with_a_line_per_property() {
    let out = imflow(&["check"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(0), "{err}");
    for line in [
        "S2   one-notification-per-recipient",
        "L4   every-recipient-accounted",
    ] {
        assert!(err.contains(line), "missing {line:?} in:\n{err}");
    }
    assert!(err.contains("R1   seed-flow-reachable"), "{err}");
    assert!(
        err.contains("unique states") && err.contains("unique states/s"),
        "{err}"
    );
    assert!(err.contains("verdict: hold"), "{err}");
}

#[test]
fn json_format_prints_one_object_with_the_documented_shape() {
    let out = imflow(&["check", "--format", "json"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let doc: Value = serde_json::from_slice(&out.stdout).expect("stdout is one JSON object");
    assert_eq!(doc["scenario"], "seed");
    assert_eq!(doc["verdict"], "hold");
    for key in ["unique_states", "states", "max_depth"] {
        assert!(
            doc[key].as_u64().is_some_and(|n| n > 0),
            "{key}: {}",
            doc[key]
        );
    }
    assert!(doc["seconds"].as_f64().is_some());
    let properties = doc["properties"].as_array().expect("properties");
    assert_eq!(properties.len(), 14);
    for p in properties {
        for key in ["id", "name", "kind", "verdict", "trace"] {
            assert!(p.get(key).is_some(), "property lacks {key}: {p}");
        }
        let has_trace = !p["trace"].is_null();
        assert_eq!(
            has_trace,
            p["id"] == "R1",
            "only R1's example has a trace: {}",
            p["id"]
        );
    }
}

#[test]
fn known_bad_variant_exits_12_with_ladder_and_reproduce_line() {
    let dir = scratch("bad");
    let file = scenario(&dir, "sender-in-fanout.toml", SENDER_IN_FANOUT);
    let out = imflow(&["check", &file]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(12), "{err}");
    assert!(
        err.contains("counterexample for S7 fan-out-once-without-sender"),
        "{err}"
    );
    assert!(
        err.contains("User A") && err.contains("|"),
        "no ladder:\n{err}"
    );
    assert!(
        err.contains(&format!("reproduce: imflow check {file} --out traces")),
        "{err}"
    );
    assert!(err.contains("verdict: violated (S7"), "{err}");
}

/// D starts offline; the CF frees the message's state before D's deferral ends (breaks L4).
const CF_FREES_STATE_EARLY: &str = r#"
name = "cf-frees-state-early"
group = { name = "friends", members = ["A", "B", "D"] }
offline = ["D"]
messages = [{ from = "A", dispositions = ["positive-delivery"] }]
variants = { cf_frees_state_early = true }
expect = { violated = "L4" }
"#;

#[test]
fn liveness_violation_alone_exits_13_with_its_trace_in_json() {
    let dir = scratch("liveness");
    let file = scenario(&dir, "cf-frees-state-early.toml", CF_FREES_STATE_EARLY);
    let out = imflow(&["check", &file, "--format", "json"]);
    assert_eq!(out.status.code(), Some(13), "{}", stderr(&out));
    let doc: Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(doc["verdict"], "violated");
    let l4 = doc["properties"]
        .as_array()
        .and_then(|ps| ps.iter().find(|p| p["id"] == "L4"))
        .expect("L4 reported");
    assert_eq!(l4["kind"], "liveness");
    assert_eq!(l4["verdict"], "violated");
    let trace: Trace = serde_json::from_value(l4["trace"].clone()).expect("L4 trace");
    assert!(!trace.steps.is_empty());
    assert!(stderr(&out).contains("L4 every-recipient-accounted violated; reproduce: imflow check"));
}

#[test]
fn out_dir_gets_trace_itf_mermaid_and_ladder_files_that_parse() {
    let dir = scratch("out");
    let file = scenario(&dir, "sender-in-fanout.toml", SENDER_IN_FANOUT);
    let traces = dir.join("traces");
    let out = imflow(&["check", &file, "--out", &traces.display().to_string()]);
    assert_eq!(out.status.code(), Some(12), "{}", stderr(&out));
    let read = |name: &str| std::fs::read_to_string(traces.join(name)).expect(name);
    let trace = Trace::from_json(&read("S7.trace.json")).expect("trace file loads");
    assert_eq!(trace.scenario, "sender-in-fanout");
    assert!(!trace.steps.is_empty());
    let itf: Value = serde_json::from_str(&read("S7.itf.json")).expect("ITF is JSON");
    assert_eq!(
        itf["states"].as_array().map(Vec::len),
        Some(trace.steps.len() + 1)
    );
    assert!(read("S7.mmd").starts_with("sequenceDiagram\n"));
    assert_eq!(read("S7.txt"), imflow::trace::ladder::render(&trace));
    assert!(read("R1.txt").contains("User A"));
}

#[test]
fn broken_scenario_file_is_a_tool_error_that_names_file_and_problem() {
    let dir = scratch("broken");
    let file = scenario(
        &dir,
        "typo.toml",
        &SENDER_IN_FANOUT.replace("messages", "mesages"),
    );
    let out = imflow(&["check", &file]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("typo.toml") && err.contains("mesages"),
        "{err}"
    );
}

#[test]
fn missing_scenario_file_is_a_tool_error() {
    let out = imflow(&["check", "no/such/scenario.toml"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("no/such/scenario.toml"));
}

#[test]
fn bad_flags_are_usage_errors() {
    for args in [
        &["check", "--threads", "0"][..],
        &["check", "--format", "xml"],
        &["check", "--timeout", "-1"],
        &["check", "--no-such-flag"],
    ] {
        assert_eq!(imflow(args).status.code(), Some(2), "{args:?}");
    }
}

#[test]
fn depth_bound_cutting_the_search_is_inconclusive_exit_3() {
    let out = imflow(&["check", "--max-depth", "2", "--format", "json"]);
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    let doc: Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(doc["verdict"], "inconclusive");
    assert_eq!(doc["max_depth"], 2);
}

#[test]
fn seed_r1_example_shows_aggregated_imdn_for_b_and_c_before_d_imdn() {
    let dir = scratch("seed-r1");
    let out = imflow(&["check", "--out", &dir.display().to_string()]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = std::fs::read_to_string(dir.join("R1.trace.json")).expect("R1 trace");
    let trace = Trace::from_json(&text).expect("R1 trace loads");
    let user_a = trace
        .lanes
        .iter()
        .position(|l| l == "User A")
        .expect("User A lane");
    let to_a: Vec<(usize, &str)> = trace
        .steps
        .iter()
        .enumerate()
        .filter(|(_, s)| s.to == user_a && s.from != user_a)
        .map(|(i, s)| (i, s.label.as_str()))
        .collect();
    let aggregate = to_a
        .iter()
        .find(|(_, l)| l.contains("aggregated IMDN") && l.contains("(B)") && l.contains("(C)"))
        .expect("one aggregated IMDN for B and C reaches User A");
    let d_imdn = to_a
        .iter()
        .find(|(_, l)| l.contains("IMDN") && l.contains("(D)"))
        .expect("D's IMDN reaches User A");
    assert!(
        aggregate.0 < d_imdn.0,
        "aggregate must come first: {to_a:?}"
    );
    let imdns_to_a = to_a.iter().filter(|(_, l)| l.contains("IMDN")).count();
    assert_eq!(imdns_to_a, 2, "exactly the aggregate and D's own: {to_a:?}");
    let register = trace
        .steps
        .iter()
        .position(|s| s.label.contains("REGISTER"))
        .expect("D registers");
    assert!(register < d_imdn.0);
    // The ladder shows both arrivals at User A as numbered rows, the aggregate's first.
    let ladder = std::fs::read_to_string(dir.join("R1.txt")).expect("R1 ladder");
    let row = |(i, label): (usize, &str)| {
        let number = format!("{:>4} ", i + 1);
        ladder
            .lines()
            .position(|l| l.starts_with(&number) && l.contains(label))
            .unwrap_or_else(|| panic!("no ladder row for step {}: {label}\n{ladder}", i + 1))
    };
    assert!(row(*aggregate) < row(*d_imdn), "{ladder}");
}

#[test]
fn timeout_cutting_the_search_is_inconclusive_exit_3() {
    let out = imflow(&["check", "--no-por", "--timeout", "0.01", "--format", "json"]);
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    let doc: Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(doc["verdict"], "inconclusive");
    assert!(doc["properties"]
        .as_array()
        .is_some_and(|ps| ps.iter().any(|p| p["verdict"] == "inconclusive")));
}
