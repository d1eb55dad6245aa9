//! `imflow render`: a trace file is redrawn in every format, and bad input is refused with the
//! right exit code.

use imflow::trace::{Step, Trace, TRACE_FORMAT};
use serde_json::json;
use std::process::Command;

use crate::common;
use common::cli::{imflow, scratch};

/// A trace file of B's IMDN travelling to the CF, written into `dir`.
fn trace_file(dir: &std::path::Path) -> String {
    let trace = Trace {
        format: TRACE_FORMAT.to_string(),
        scenario: "seed".to_string(),
        property: Some("S2 one-notification-per-recipient".to_string()),
        lanes: vec![
            "CF".to_string(),
            "Server B".to_string(),
            "User B".to_string(),
        ],
        initial_state: json!({ "imdns": 0 }),
        steps: vec![
            Step {
                from: 2,
                to: 1,
                label: "IMDN delivered (B)".to_string(),
                action: "SendImdn(B)".to_string(),
                state: json!({ "imdns": 1 }),
                sip: None,
            },
            Step {
                from: 1,
                to: 0,
                label: "IMDN delivered (B)".to_string(),
                action: "RelayImdn(B)".to_string(),
                state: json!({ "imdns": 2 }),
                sip: None,
            },
        ],
    };
    let path = dir.join("S2.trace.json");
    std::fs::write(&path, trace.to_json()).expect("write trace");
    path.display().to_string()
}

#[test]
fn ladder_is_the_default_and_shows_each_lane_and_label() {
    let dir = scratch("ladder");
    let out = imflow(&["render", &trace_file(&dir)]);
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8_lossy(&out.stdout);
    for needle in ["CF", "Server B", "User B", "IMDN delivered (B)", "<-"] {
        assert!(text.contains(needle), "ladder lacks {needle:?}:\n{text}");
    }
}

#[test]
fn itf_rendering_is_json_with_one_state_per_step_plus_init() {
    let dir = scratch("itf");
    let out = imflow(&["render", &trace_file(&dir), "--format", "itf"]);
    assert_eq!(out.status.code(), Some(0));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).expect("ITF JSON");
    assert_eq!(doc["states"].as_array().map(Vec::len), Some(3));
    assert_eq!(doc["states"][2]["mbt::actionTaken"], "RelayImdn(B)");
}

#[test]
fn mermaid_and_svg_renderings_are_produced() {
    let dir = scratch("mermaid-svg");
    let file = trace_file(&dir);
    let mmd = imflow(&["render", &file, "--format", "mermaid"]);
    assert_eq!(mmd.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&mmd.stdout).starts_with("sequenceDiagram\n"));
    let svg = imflow(&["render", &file, "--format", "svg"]);
    assert_eq!(svg.status.code(), Some(0));
    roxmltree::Document::parse(&String::from_utf8_lossy(&svg.stdout)).expect("SVG is XML");
}

#[test]
fn pcap_is_refused_until_the_implementation_provides_sip_bytes() {
    let dir = scratch("pcap");
    let out = imflow(&["render", &trace_file(&dir), "--format", "pcap"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("pcap"));
    assert!(out.stdout.is_empty());
}

#[test]
fn broken_trace_file_is_a_tool_error_naming_the_file() {
    let dir = scratch("broken");
    let path = dir.join("broken.trace.json");
    std::fs::write(&path, "{\"format\": \"imflow-trace/1\", \"lanes\": [").expect("write");
    let out = imflow(&["render", &path.display().to_string()]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("broken.trace.json") && err.contains("not a trace file"),
        "{err}"
    );
}

#[test]
fn unknown_format_is_a_usage_error() {
    let out = imflow(&["render", "x.json", "--format", "png"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn reader_closing_the_pipe_early_ends_output_quietly() {
    let dir = scratch("pipe");
    let step = Step {
        from: 0,
        to: 1,
        label: "MESSAGE m1".to_string(),
        action: "Send".to_string(),
        state: json!({ "padding": "x".repeat(200) }),
        sip: None,
    };
    let trace = Trace {
        format: TRACE_FORMAT.to_string(),
        scenario: "long".to_string(),
        property: None,
        lanes: vec!["User A".to_string(), "Server A".to_string()],
        initial_state: json!({ "padding": "" }),
        steps: vec![step; 2_000],
    };
    let path = dir.join("long.trace.json");
    std::fs::write(&path, trace.to_json()).expect("write trace");
    let mut child = Command::new(env!("CARGO_BIN_EXE_imflow"))
        .args(["render", &path.display().to_string(), "--format", "itf"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("spawn imflow render");
    let mut head = [0u8; 16];
    if let Some(mut stdout) = child.stdout.take() {
        std::io::Read::read_exact(&mut stdout, &mut head).expect("first bytes");
    } // stdout dropped here: the pipe closes with most of the ITF unread
    let out = child.wait_with_output().expect("wait");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!err.contains("panicked"), "{err}");
    assert_eq!(out.status.code(), Some(0), "{err}");
}
