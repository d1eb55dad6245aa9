//! `imflow prove DIR`: every scenario file is checked against its expected verdict; the exit
//! code is 0 only if all match, and the JUnit report names each scenario.

use serde_json::Value;
use std::path::Path;

use crate::common;
use common::cli::{imflow, scratch, stderr, Scratch};

/// A three-member group in which A sends one IM asking for positive delivery.
fn three_members(name: &str, variants: &str, expect: &str) -> String {
    format!(
        "name = \"{name}\"\n\
         group = {{ name = \"friends\", members = [\"A\", \"B\", \"C\"] }}\n\
         messages = [{{ from = \"A\", dispositions = [\"positive-delivery\"] }}]\n\
         variants = {{ {variants} }}\n\
         expect = {expect}\n"
    )
}

fn write(dir: &Path, file: &str, text: &str) {
    std::fs::write(dir.join(file), text).expect("write scenario");
}

fn good_catalogue(name: &str) -> Scratch {
    let dir = scratch(&format!("prove-{name}"));
    write(
        &dir,
        "a-three-members.toml",
        &three_members("three-members", "", "\"hold\""),
    );
    write(
        &dir,
        "b-sender-in-fanout.toml",
        &three_members(
            "sender-in-fanout",
            "fanout_includes_sender = true",
            "{ violated = \"S7\" }",
        ),
    );
    write(&dir, "README.md", "not a scenario");
    dir
}

#[test]
fn catalogue_whose_verdicts_all_match_exits_0_with_a_table() {
    let dir = good_catalogue("match");
    let out = imflow(&["prove", &dir.display().to_string()]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert!(err.contains("a-three-members.toml") && err.contains("b-sender-in-fanout.toml"));
    assert!(
        err.contains("violated S7") && !err.contains("MISMATCH"),
        "{err}"
    );
    assert!(err.contains("2 of 2 scenarios match"), "{err}");
}

#[test]
fn junit_report_has_one_passing_case_per_scenario() {
    let dir = good_catalogue("junit");
    let junit = dir.join("out").join("proofs.xml");
    std::fs::create_dir_all(junit.parent().expect("parent")).expect("out dir");
    let out = imflow(&[
        "prove",
        &dir.display().to_string(),
        "--junit",
        &junit.display().to_string(),
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let xml = std::fs::read_to_string(&junit).expect("JUnit file");
    let doc = roxmltree::Document::parse(&xml).expect("JUnit is XML");
    let cases: Vec<&str> = doc
        .descendants()
        .filter(|n| n.has_tag_name("testcase"))
        .filter_map(|n| n.attribute("name"))
        .collect();
    assert_eq!(cases, ["a-three-members.toml", "b-sender-in-fanout.toml"]);
    assert_eq!(
        doc.descendants()
            .filter(|n| n.has_tag_name("failure"))
            .count(),
        0
    );
}

#[test]
fn verdict_differing_from_expected_exits_14_and_is_a_junit_failure() {
    let dir = good_catalogue("mismatch");
    write(
        &dir,
        "c-wrongly-expected.toml",
        &three_members(
            "wrongly-expected",
            "fanout_includes_sender = true",
            "\"hold\"",
        ),
    );
    let junit = dir.join("proofs.xml");
    let out = imflow(&[
        "prove",
        &dir.display().to_string(),
        "--junit",
        &junit.display().to_string(),
    ]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(14), "{err}");
    assert!(
        err.contains("MISMATCH") && err.contains("2 of 3 scenarios match"),
        "{err}"
    );
    assert!(err.contains("reproduce: imflow check") && err.contains("c-wrongly-expected.toml"));
    let xml = std::fs::read_to_string(&junit).expect("JUnit file");
    let doc = roxmltree::Document::parse(&xml).expect("JUnit is XML");
    let failed: Vec<&str> = doc
        .descendants()
        .filter(|n| n.has_tag_name("failure"))
        .filter_map(|n| n.parent().and_then(|p| p.attribute("name")))
        .collect();
    assert_eq!(failed, ["c-wrongly-expected.toml"]);
}

#[test]
fn json_format_prints_one_object_with_a_row_per_scenario() {
    let dir = good_catalogue("json");
    let out = imflow(&["prove", &dir.display().to_string(), "--format", "json"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let doc: Value = serde_json::from_slice(&out.stdout).expect("one JSON object");
    assert_eq!(doc["ok"], true);
    let rows = doc["scenarios"].as_array().expect("scenarios");
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[1]["expected"], "violated S7");
    assert!(rows[1]["violated"]
        .as_array()
        .is_some_and(|v| v.contains(&Value::from("S7"))));
    assert!(rows[0]["unique_states"].as_u64().is_some_and(|n| n > 0));
}

#[test]
fn broken_scenario_in_catalogue_is_a_tool_error() {
    let dir = good_catalogue("broken");
    write(&dir, "c-broken.toml", "name = \"broken\"\ngroup = 7\n");
    let out = imflow(&["prove", &dir.display().to_string()]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("c-broken.toml") && err.contains("error"),
        "{err}"
    );
}

#[test]
fn directory_without_scenarios_is_a_tool_error() {
    let dir = scratch("prove-empty");
    let out = imflow(&["prove", &dir.display().to_string()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("no *.toml scenario files"));
}

#[test]
fn missing_directory_argument_is_a_usage_error() {
    assert_eq!(imflow(&["prove"]).status.code(), Some(2));
}

#[test]
fn shipped_proof_catalogue_has_every_expected_verdict() {
    let proofs = Path::new(env!("CARGO_MANIFEST_DIR")).join("proofs");
    let mut files: Vec<String> = std::fs::read_dir(&proofs)
        .expect("proofs/")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|name| name.ends_with(".toml"))
        .collect();
    files.sort();
    let out_dir = scratch("prove-shipped");
    let junit = out_dir.join("proofs.xml");
    let out = imflow(&[
        "prove",
        &proofs.display().to_string(),
        "--symmetry",
        "--por",
        "--junit",
        &junit.display().to_string(),
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let xml = std::fs::read_to_string(&junit).expect("JUnit file");
    let doc = roxmltree::Document::parse(&xml).expect("JUnit is XML");
    let cases: Vec<&str> = doc
        .descendants()
        .filter(|n| n.has_tag_name("testcase"))
        .filter_map(|n| n.attribute("name"))
        .collect();
    assert_eq!(cases, files);
}
