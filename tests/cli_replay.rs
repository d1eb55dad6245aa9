//! `imflow replay`: the implementation follows R1's example path of the seed flow, refuses the
//! bad step of a known-bad variant's counterexample (saying where and why), and bad or foreign
//! files are tool errors that say where.

use crate::common;
use common::cli::{imflow, scratch, stderr};

/// `imflow replay`'s exit code when the implementation departed from the path.
const DEPARTED: i32 = 15;

/// Checks the catalogue scenario `stem` (a known-bad variant: exit 12), then replays its
/// counterexample for S10 on the implementation; returns replay's stderr after checking that
/// it departed.
fn replay_s10_counterexample(stem: &str) -> String {
    let dir = scratch(&format!("replay-{stem}"));
    let scenario = format!("{}/proofs/{stem}.toml", env!("CARGO_MANIFEST_DIR"));
    let out = imflow(&["check", &scenario, "--out", dir.to_str().unwrap_or(".")]);
    assert_eq!(out.status.code(), Some(12), "{}", stderr(&out));
    let trace = dir.join("S10.itf.json");
    let out = imflow(&[
        "replay",
        trace.to_str().unwrap_or(""),
        "--scenario",
        &scenario,
    ]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(DEPARTED), "{err}");
    err
}

#[test]
fn implementation_follows_the_seed_flows_r1_example_path() {
    let dir = scratch("replay-r1");
    let out = imflow(&["check", "--out", dir.to_str().unwrap_or(".")]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    for file in ["R1.itf.json", "R1.trace.json"] {
        let path = dir.join(file);
        let out = imflow(&["replay", path.to_str().unwrap_or("")]);
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(0), "{err}");
        assert!(err.contains("followed all"), "{err}");
    }
}

#[test]
fn implementation_refuses_the_cf_counting_202_as_delivered() {
    let err = replay_s10_counterexample("bad-cf-counts-202");
    // Which model step, which action, what the implementation did, and both states.
    assert!(err.contains("left the model path at model step"), "{err}");
    assert!(
        err.contains("model action:       202 Accepted (m1)"),
        "{err}"
    );
    assert!(err.contains("SIP/2.0 202 Accepted"), "{err}");
    assert!(
        err.contains("cf: Some(ReachedUa)") && err.contains("cf: Some(Relayed)"),
        "{err}"
    );
    assert!(err.contains("model abstract state:"), "{err}");
    assert!(err.contains("implementation abstract state:"), "{err}");
}

#[test]
fn implementation_refuses_a_server_answering_200_when_it_stores() {
    let err = replay_s10_counterexample("bad-server-200-when-storing");
    assert!(
        err.contains("the implementation sent \"202 Accepted (m1)\""),
        "{err}"
    );
}

#[test]
fn a_file_that_is_not_json_is_a_tool_error_naming_the_file() {
    let dir = scratch("replay-bad-json");
    let path = dir.join("broken.itf.json");
    std::fs::write(&path, "{ not json").expect("write");
    let out = imflow(&["replay", path.to_str().unwrap_or("")]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("broken.itf.json") && err.contains("not JSON"),
        "{err}"
    );
}

#[test]
fn itf_without_states_is_a_tool_error() {
    let dir = scratch("replay-foreign");
    let path = dir.join("foreign.json");
    std::fs::write(&path, r#"{"vars": ["x"]}"#).expect("write");
    let out = imflow(&["replay", path.to_str().unwrap_or("")]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("no \"states\" array"), "{err}");
}

#[test]
fn a_path_of_another_scenario_is_refused_before_replay() {
    let dir = scratch("replay-other-scenario");
    let out = imflow(&["check", "--out", dir.to_str().unwrap_or(".")]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = std::fs::read_to_string(dir.join("R1.itf.json")).expect("read");
    // The same path, claimed to be a path of the two-senders scenario.
    let path = dir.join("claimed.itf.json");
    std::fs::write(
        &path,
        text.replace("\"source\": \"seed\"", "\"source\": \"two-senders\""),
    )
    .expect("write");
    let other = concat!(env!("CARGO_MANIFEST_DIR"), "/proofs/two-senders.toml");
    let out = imflow(&["replay", path.to_str().unwrap_or(""), "--scenario", other]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("claimed.itf.json"), "{err}");
    // Without --scenario, a path of a scenario other than the seed asks for its file.
    let out = imflow(&["replay", path.to_str().unwrap_or("")]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("--scenario FILE"), "{}", stderr(&out));
}
