//! Every `.rs` file and every module folder in a crate's `tests/` is declared in its
//! `tests/integration.rs`: with `autotests = false` in Cargo.toml, a file left out would never be
//! compiled or run. Shared by the integration tests of both crates of the workspace.

use std::path::Path;

#[test]
fn every_file_in_tests_is_a_module_of_the_integration_binary() {
    let tests = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests");
    let binary = std::fs::read_to_string(tests.join("integration.rs")).expect("integration.rs");
    let mut missing = Vec::new();
    for entry in std::fs::read_dir(&tests).expect("tests/ is readable") {
        let path = entry.expect("tests/ entry").path();
        let module = match path.file_stem().and_then(|s| s.to_str()) {
            Some(name) if path.extension().is_some_and(|e| e == "rs") => name.to_owned(),
            Some(name) if path.join("mod.rs").is_file() => name.to_owned(),
            _ => continue,
        };
        if module != "integration" && !binary.lines().any(|l| l == format!("mod {module};")) {
            missing.push(module);
        }
    }
    assert!(
        missing.is_empty(),
        "not declared in {}: {missing:?}",
        tests.join("integration.rs").display()
    );
}
