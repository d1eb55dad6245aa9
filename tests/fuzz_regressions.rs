//! Every input stored under `fuzz/corpus/<target>/` and `fuzz/artifacts/<target>/` is replayed
//! through the same library function its cargo-fuzz target calls, on stable Rust, so every crash
//! a fuzzing campaign finds (saved under `fuzz/artifacts/`) stays a regression test forever.

use std::path::Path;

/// The library function a fuzz target is a one-line shim over.
type FuzzEntry = fn(&[u8]);

/// The fuzz targets and the library entry point each one is a shim over.
const TARGETS: &[(&str, FuzzEntry)] = &[
    ("sip_message", imflow::sip::fuzzing::fuzz_sip_message),
    ("sip_structured", imflow::sip::fuzzing::fuzz_sip_structured),
    ("cpim", imflow::cpim::fuzzing::fuzz_cpim),
    ("imdn", imflow::imdn::fuzzing::fuzz_imdn),
    ("multipart", imflow::multipart::fuzzing::fuzz_multipart),
    ("protocol", imflow::refine::fuzzing::fuzz_protocol),
];

fn replay_dir(dir: &Path, entry: FuzzEntry) -> usize {
    let Ok(read) = std::fs::read_dir(dir) else {
        return 0;
    };
    let mut files: Vec<_> = read.filter_map(Result::ok).map(|e| e.path()).collect();
    files.sort();
    for file in &files {
        let data = std::fs::read(file).expect("a stored fuzz input is readable");
        let outcome = std::panic::catch_unwind(|| entry(&data));
        assert!(
            outcome.is_ok(),
            "stored fuzz input {} panics; reproduce with: cd fuzz && cargo +nightly fuzz run {} {}",
            file.display(),
            dir.file_name().unwrap_or_default().to_string_lossy(),
            file.display()
        );
    }
    files.len()
}

#[test]
fn every_stored_fuzz_input_is_handled_without_a_panic() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz");
    let mut replayed = 0;
    for (target, entry) in TARGETS {
        let seeds = replay_dir(&root.join("corpus").join(target), *entry);
        assert!(
            seeds > 0,
            "fuzz target {target} has no seed corpus in fuzz/corpus/{target}"
        );
        replayed += seeds;
        replayed += replay_dir(&root.join("artifacts").join(target), *entry);
    }
    eprintln!("replayed {replayed} stored fuzz inputs");
}

#[test]
fn every_fuzz_target_file_is_listed_here() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/fuzz_targets");
    for entry in std::fs::read_dir(dir).expect("fuzz/fuzz_targets exists") {
        let name = entry.expect("readable entry").path();
        let stem = name
            .file_stem()
            .unwrap_or_default()
            .to_string_lossy()
            .into_owned();
        assert!(
            TARGETS.iter().any(|(t, _)| *t == stem),
            "fuzz target {stem} is not replayed by tests/fuzz_regressions.rs"
        );
    }
}
