//! The integration tests of the `imflow-model` crate, built as one test binary: each file beside
//! this one is a module here. One binary instead of one per file keeps a fresh `cargo test` to
//! one link. `every_test_file_is_a_module` fails when a file in `tests/` is not listed below.

mod checker_toys;
mod support;

mod catalogue;
mod checker_reductions;
mod checker_search;
mod checker_shortest;
mod checker_threads;
mod persistent_sets;
mod rank;
mod reductions;
mod scenario_format;
mod seed_flow;
mod shortest_counterexamples;
mod split_budgets;
mod store_order_and_flush;
/// Every `.rs` file and every module folder in `tests/` is declared above: with `autotests =
/// false` in Cargo.toml, a file left out would never be compiled or run.
#[test]
fn every_test_file_is_a_module() {
    let this = include_str!("integration.rs");
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests");
    let mut missing = Vec::new();
    for entry in std::fs::read_dir(&dir).expect("tests/ is readable") {
        let path = entry.expect("tests/ entry").path();
        let module = match path.file_stem().and_then(|s| s.to_str()) {
            Some(name) if path.extension().is_some_and(|e| e == "rs") => name.to_owned(),
            Some(name) if path.join("mod.rs").is_file() => name.to_owned(),
            _ => continue,
        };
        if module != "integration" && !this.lines().any(|l| l == format!("mod {module};")) {
            missing.push(module);
        }
    }
    assert!(
        missing.is_empty(),
        "not declared in tests/integration.rs: {missing:?}"
    );
}
