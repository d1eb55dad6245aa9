//! SIP conformance on the third-party corpus (RFC 4475, RFC 5118 and real-world stacks' test
//! messages), read from `$IMFLOW_CORPUS` and never copied into the project.
//!
//! Every listed file must get its expected verdict (parse + validate succeed = `valid`, any
//! error = `invalid`); every valid message must reach a serialization fixed point; the LF-only
//! RFC 5118 archive must never make the parser panic.

use imflow::sip::{parse_datagram, validate, SipError};
use std::path::{Path, PathBuf};

fn corpus() -> Option<PathBuf> {
    match std::env::var_os("IMFLOW_CORPUS") {
        Some(dir) => Some(PathBuf::from(dir)),
        None => {
            println!("skipped: IMFLOW_CORPUS is not set");
            None
        }
    }
}

/// Rows `(file, verdict)` of an EXPECTED.tsv whose file is a SIP message.
fn expected(dir: &Path) -> Vec<(String, String)> {
    let tsv = std::fs::read_to_string(dir.join("EXPECTED.tsv"))
        .unwrap_or_else(|e| panic!("{}: {e}", dir.join("EXPECTED.tsv").display()));
    tsv.lines()
        .skip(1)
        .filter_map(|line| {
            let cols: Vec<&str> = line.split('\t').collect();
            match cols.as_slice() {
                [file, _section, verdict, ..] => Some((file.to_string(), verdict.to_string())),
                _ => None,
            }
        })
        .filter(|(file, _)| {
            !file.contains('/') || file.starts_with("sip/") || file.starts_with("composed/")
        })
        .collect()
}

fn verdict(bytes: &[u8]) -> Result<(), SipError> {
    let m = parse_datagram(bytes)?;
    validate(&m)
}

fn reserialize(bytes: &[u8]) -> Vec<u8> {
    parse_datagram(bytes)
        .expect("a valid message parses")
        .to_owned()
        .to_bytes()
}

fn check_folder(folder: &str, expected_rows: usize) {
    let Some(root) = corpus() else { return };
    let dir = root.join(folder);
    let rows = expected(&dir);
    assert_eq!(
        rows.len(),
        expected_rows,
        "SIP rows in {folder}/EXPECTED.tsv"
    );
    let mut failures = Vec::new();
    for (file, want) in &rows {
        let bytes = std::fs::read(dir.join(file)).unwrap_or_else(|e| panic!("{file}: {e}"));
        let got = verdict(&bytes);
        let got_word = if got.is_ok() { "valid" } else { "invalid" };
        println!(
            "{folder}/{file}: {got_word} {}",
            got.err().map(|e| e.to_string()).unwrap_or_default()
        );
        if got_word != want {
            failures.push(format!("{file}: expected {want}, got {got_word} ({got:?})"));
            continue;
        }
        if got_word == "valid" {
            let once = reserialize(&bytes);
            let twice = reserialize(&once);
            if once != twice {
                failures.push(format!("{file}: serialize(parse(x)) is not a fixed point"));
            }
            if let Err(e) = verdict(&once) {
                failures.push(format!(
                    "{file}: reserialized message no longer validates: {e}"
                ));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} mismatches:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn rfc4475_and_rfc5118_torture_messages_get_their_expected_verdicts() {
    check_folder("sip-torture", 61);
}

#[test]
fn real_world_sip_messages_get_their_expected_verdicts() {
    check_folder("real-world", 23);
}

#[test]
fn lf_only_rfc5118_archive_never_panics() {
    let Some(root) = corpus() else { return };
    let dir = root.join("sip-torture/rfc5118-archive");
    let mut seen = 0;
    for entry in std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
        let path = entry.expect("directory entry").path();
        let bytes = std::fs::read(&path).expect("readable corpus file");
        let outcome = std::panic::catch_unwind(|| verdict(&bytes));
        assert!(outcome.is_ok(), "{} made the parser panic", path.display());
        // A strict RFC 3261 parser refuses LF-only framing, and names the rule.
        let err = outcome.ok().and_then(|r| r.err()).map(|e| e.rule.name());
        assert_eq!(err, Some("bare-lf"), "{}", path.display());
        seen += 1;
    }
    assert_eq!(seen, 12, "RFC 5118 archive messages");
}
