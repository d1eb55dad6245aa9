//! Conformance on the real-world CPIM / IMDN / multipart bodies of the shared corpus.
//!
//! Reads `$IMFLOW_CORPUS/real-world/EXPECTED.tsv`, takes the rows under `cpim/` and `imdn/`
//! and checks every file gets its expected verdict; for valid files serialize(parse(x)) must be
//! a fixed point. Skips (and passes) when `IMFLOW_CORPUS` is not set.

use imflow::cpim::mime::media_type;
use imflow::diagnostic::Diagnostic;
use imflow::{cpim, imdn, multipart};
use std::path::Path;

use crate::common;
use common::corpus_defects::known_defect;

/// Decodes one CPIM body; on success returns serialize(parse(x)) after checking it is a
/// fixed point.
fn check_cpim(bytes: &[u8]) -> Result<Vec<u8>, String> {
    let once = cpim::parse(bytes)
        .map_err(|e| e.to_string())?
        .to_owned_cpim()
        .serialize();
    let twice = cpim::parse(&once)
        .map_err(|e| format!("serialized form does not parse: {e}"))?
        .to_owned_cpim()
        .serialize();
    if once != twice {
        return Err("serialize(parse(x)) is not a fixed point".into());
    }
    Ok(once)
}

fn check_imdn(bytes: &[u8]) -> Result<(), String> {
    let once = imdn::parse(bytes).map_err(|e| e.to_string())?.to_xml();
    let twice = imdn::parse(once.as_bytes())
        .map_err(|e| format!("written form does not parse: {e}"))?
        .to_xml();
    (once == twice)
        .then_some(())
        .ok_or("to_xml(parse(x)) is not a fixed point".into())
}

fn check_multipart(bytes: &[u8]) -> Result<(), String> {
    let parsed = multipart::parse_nested(bytes).map_err(|e| e.to_string())?;
    for part in &parsed.parts {
        let is_cpim = part
            .content_type()
            .is_some_and(|ct| media_type(ct).eq_ignore_ascii_case("message/cpim"));
        if is_cpim {
            check_cpim(part.body).map_err(|e| format!("CPIM part at byte {}: {e}", part.offset))?;
        }
    }
    let owned: Vec<_> = parsed.parts.iter().map(|p| p.to_owned_part()).collect();
    let (b1, once) = multipart::build(&owned);
    let again = multipart::parse(&once, &b1).map_err(|e| format!("built form: {e}"))?;
    let again: Vec<_> = again.parts.iter().map(|p| p.to_owned_part()).collect();
    (again == owned)
        .then_some(())
        .ok_or("build(parse(x)) is not a fixed point".into())
}

fn verdict(path: &Path, bytes: &[u8]) -> Result<(), String> {
    match path.extension().and_then(|e| e.to_str()) {
        Some("cpim") => check_cpim(bytes).map(|_| ()),
        Some("xml") => check_imdn(bytes),
        Some("multipart") => check_multipart(bytes),
        other => panic!("{}: no codec for extension {other:?}", path.display()),
    }
}

#[test]
fn real_world_bodies_get_their_expected_verdict() {
    let Some(root) = std::env::var_os("IMFLOW_CORPUS") else {
        println!("skipped: IMFLOW_CORPUS is not set");
        return;
    };
    let dir = Path::new(&root).join("real-world");
    let table = std::fs::read_to_string(dir.join("EXPECTED.tsv")).expect("EXPECTED.tsv");
    let mut checked = 0;
    let mut wrong = Vec::new();
    for row in table.lines().skip(1) {
        let cols: Vec<&str> = row.split('\t').collect();
        let [file, _section, expected, ..] = cols[..] else {
            continue;
        };
        if !(file.starts_with("cpim/") || file.starts_with("imdn/")) {
            continue;
        }
        let path = dir.join(file);
        let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let got = verdict(&path, &bytes);
        let got_word = if got.is_ok() { "valid" } else { "invalid" };
        println!(
            "{file}\t{got_word}\t{}",
            got.as_ref().err().map_or("", String::as_str)
        );
        if let Some(defect) = known_defect(file, &bytes) {
            let rule_ok = got.as_ref().err().is_some_and(|e| e.contains(defect.rule));
            if got_word == defect.verdict && rule_ok {
                println!(
                    "KNOWN CORPUS DEFECT {file}: EXPECTED.tsv says {expected}, but {}",
                    defect.why
                );
            } else {
                wrong.push(format!(
                    "{file}: known defect expects {} ({}), got {got_word} ({got:?})",
                    defect.verdict, defect.rule
                ));
            }
        } else if got_word != expected {
            wrong.push(format!(
                "{file}: expected {expected}, got {got_word} ({got:?})"
            ));
        }
        checked += 1;
    }
    assert!(checked >= 9, "only {checked} cpim/imdn rows found");
    assert!(wrong.is_empty(), "verdicts differ:\n{}", wrong.join("\n"));
}

#[test]
fn corpus_errors_carry_rule_and_offset() {
    // The Diagnostic contract every codec error shares, on one invalid body of each kind.
    let e = cpim::parse(b"From: x\r\n\r\n").unwrap_err();
    assert_eq!((e.rule(), e.offset()), ("invalid-address", 0));
    let e = imdn::parse(b"<imdn/>").unwrap_err();
    assert_eq!((e.rule(), e.offset()), ("not-imdn-root", 0));
    let e = multipart::parse(b"--b\r\n", "b").unwrap_err();
    assert_eq!((e.rule(), e.offset()), ("unterminated-multipart", 5));
}
