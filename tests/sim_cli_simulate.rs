//! `imflow simulate` on the command line: the ladder on stdout, the files of `--out`, many
//! seeds with `--runs`, JSON for machines, and the exit codes for usage and tool errors.

use crate::common;
use common::cli::{imflow, scratch};

#[test]
fn simulate_without_a_file_prints_the_seed_flow_ladder() {
    let out = imflow(&["simulate", "--seed", "1"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let ladder = String::from_utf8_lossy(&out.stdout);
    for lane in ["User A", "Server A", "CF", "Server D", "User D"] {
        assert!(ladder.contains(lane), "{lane}");
    }
    assert!(ladder.contains("MESSAGE IMDN x2: bob delivered, carol delivered"));
    assert!(ladder.contains("REGISTER sip:epsilon.example"));
}

#[test]
fn simulate_out_writes_trace_mermaid_and_pcap_that_render_reads() {
    let dir = scratch("out");
    let out = imflow(&["simulate", "--seed", "2", "--out", &dir.to_string_lossy()]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    for ext in ["trace.json", "mmd", "txt", "svg", "itf.json", "pcap"] {
        assert!(dir.join(format!("seed-seed2.{ext}")).is_file(), "{ext}");
    }
    let trace = dir.join("seed-seed2.trace.json");
    let mmd = std::fs::read_to_string(dir.join("seed-seed2.mmd")).expect("mermaid");
    assert!(mmd.starts_with("sequenceDiagram"));
    let rendered = imflow(&["render", &trace.to_string_lossy(), "--format", "pcap"]);
    assert_eq!(rendered.status.code(), Some(0));
    let written = std::fs::read(dir.join("seed-seed2.pcap")).expect("pcap");
    assert_eq!(
        rendered.stdout, written,
        "render draws the same capture from the trace"
    );
    assert_eq!(written.get(..4), Some(&[0xd4, 0xc3, 0xb2, 0xa1][..]));
}

#[test]
fn simulate_runs_many_seeds_and_reports_json() {
    let out = imflow(&[
        "simulate", "--runs", "5", "--seed", "10", "--format", "json",
    ]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON on stdout");
    let runs = json["runs"].as_array().expect("runs");
    assert_eq!(runs.len(), 5);
    assert_eq!(runs[4]["seed"], 14);
    assert_eq!(runs[4]["reproduce"], "imflow simulate --seed 14 --faults");
    assert!(runs.iter().all(|r| r["stop"] == "Quiescent"));
}

#[test]
fn simulate_exit_codes_for_usage_and_tool_errors() {
    assert_eq!(imflow(&["simulate", "--runs", "0"]).status.code(), Some(2));
    assert_eq!(imflow(&["simulate", "--bogus"]).status.code(), Some(2));
    let dir = scratch("bad");
    let bad = dir.join("bad.toml");
    std::fs::write(&bad, "name = 3\n").expect("write");
    let out = imflow(&["simulate", &bad.to_string_lossy()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("bad.toml"));
}
