//! `imflow parse`: one line per file, JSON on request, exit 0 / 10 / 2, and the third-party
//! corpus verdicts through the command a user runs.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::common;
use common::cli::scratch;
use common::corpus_defects::known_defect;

fn imflow() -> Command {
    Command::new(env!("CARGO_BIN_EXE_imflow"))
}

fn seed(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fuzz/corpus")
        .join(name)
}

/// Writes `bytes` to the file `name` in the test's scratch directory `dir`.
fn scratch_file(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, bytes).expect("write temp file");
    path
}

#[test]
fn valid_files_of_every_kind_exit_0_with_one_line_each() {
    let files = [
        seed("sip_message/e1.sip"),
        seed("cpim/e4-bob-delivered-imdn.cpim"),
        seed("imdn/e8-dave-failed.xml"),
        seed("multipart/e5-two-delivered.multipart"),
    ];
    let out = imflow().arg("parse").args(&files).output().expect("runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}");
    let kinds: Vec<&str> = stdout
        .lines()
        .map(|l| l.rsplit_once('(').map(|(_, k)| k).unwrap_or(""))
        .collect();
    assert_eq!(kinds, ["sip)", "cpim)", "imdn)", "multipart)"], "{stdout}");
}

#[test]
fn an_invalid_file_exits_10_and_json_names_rule_and_offset() {
    let dir = scratch("parse-invalid");
    let bad = scratch_file(
        &dir,
        "cseq-mismatch.sip",
        b"OPTIONS sip:b@b.example SIP/2.0\r\nVia: SIP/2.0/UDP a.example;branch=z9hG4bK1\r\n\
          Max-Forwards: 70\r\nFrom: <sip:a@a.example>;tag=1\r\nTo: <sip:b@b.example>\r\n\
          Call-ID: c1\r\nCSeq: 1 INVITE\r\nContent-Length: 0\r\n\r\n",
    );
    let out = imflow()
        .args(["parse", "--format", "json"])
        .arg(seed("sip_message/e2.sip"))
        .arg(&bad)
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(10));
    let lines: Vec<serde_json::Value> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).expect("each line is one JSON object"))
        .collect();
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[0]["verdict"], "valid");
    assert!(lines[0].get("error").is_none());
    assert_eq!(lines[1]["kind"], "sip");
    assert_eq!(lines[1]["verdict"], "invalid");
    assert_eq!(lines[1]["error"]["rule"], "cseq-method-mismatch");
    assert!(lines[1]["error"]["offset"].as_u64().is_some());
    assert!(lines[1]["error"]["message"].as_str().is_some());
}

#[test]
fn usage_errors_exit_2_and_unreadable_files_exit_1() {
    let out = imflow().args(["parse"]).output().expect("runs");
    assert_eq!(out.status.code(), Some(2));
    let out = imflow()
        .args(["parse", "--kind", "xml", "x"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    let out = imflow()
        .args(["parse", "/nonexistent/imflow/file.sip"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot read"));
}

#[test]
fn kind_multipart_takes_the_boundary_from_the_first_delimiter_line() {
    let out = imflow()
        .args(["parse", "--kind", "multipart"])
        .arg(seed("multipart/e5-two-delivered.multipart"))
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(0));
    let dir = scratch("parse-multipart");
    let unterminated = scratch_file(
        &dir,
        "open.multipart",
        b"--b1\r\nContent-Type: text/plain\r\n\r\nnever closed\r\n",
    );
    let out = imflow()
        .args(["parse", "--kind", "multipart"])
        .arg(&unterminated)
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(10));
}

/// Every file of `$IMFLOW_CORPUS/*/EXPECTED.tsv` gets its expected verdict from `imflow parse`.
#[test]
fn corpus_files_get_their_expected_verdicts_from_imflow_parse() {
    let Some(corpus) = std::env::var_os("IMFLOW_CORPUS") else {
        eprintln!("skipped: IMFLOW_CORPUS is not set (set it to ../shared/corpus)");
        return;
    };
    let mut checked = 0;
    let mut wrong = Vec::new();
    for set in ["sip-torture", "real-world"] {
        let dir = Path::new(&corpus).join(set);
        let table = std::fs::read_to_string(dir.join("EXPECTED.tsv")).expect("EXPECTED.tsv");
        for row in table.lines().skip(1).filter(|l| !l.trim().is_empty()) {
            let cols: Vec<&str> = row.split('\t').collect();
            let (file, expected) = (cols[0], cols[2]);
            let out = imflow()
                .args(["parse", "--format", "json"])
                .arg(dir.join(file))
                .output()
                .expect("runs");
            let line: serde_json::Value =
                serde_json::from_slice(&out.stdout).expect("one JSON object");
            checked += 1;
            let bytes = std::fs::read(dir.join(file)).expect("corpus file");
            if let Some(defect) = known_defect(file, &bytes) {
                if line["verdict"] == defect.verdict && line["error"]["rule"] == defect.rule {
                    eprintln!(
                        "KNOWN CORPUS DEFECT {set}/{file}: EXPECTED.tsv says {expected}, but {}",
                        defect.why
                    );
                } else {
                    wrong.push(format!(
                        "{set}/{file}: known defect expects {} ({}), got {line}",
                        defect.verdict, defect.rule
                    ));
                }
            } else if line["verdict"] != expected {
                wrong.push(format!("{set}/{file}: expected {expected}, got {line}"));
            }
        }
    }
    assert!(checked >= 90, "only {checked} corpus files listed");
    assert!(wrong.is_empty(), "verdicts differ:\n{}", wrong.join("\n"));
}
