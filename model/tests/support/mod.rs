//! Shared helpers for the model tests: the proof catalogue and checks over it.

#![allow(dead_code)]

use std::path::PathBuf;

use imflow_model::checker::{check, CheckOptions, CheckReport, Verdict};
use imflow_model::{GroupImModel, PropertyId, Scenario};

/// The proof catalogue directory (`proofs/` at the workspace root).
pub fn proofs_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../proofs")
}

/// Reads one catalogue scenario by file stem.
pub fn scenario(stem: &str) -> Scenario {
    let path = proofs_dir().join(format!("{stem}.toml"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path:?}: {e}"));
    Scenario::from_toml_str(&text).unwrap_or_else(|e| panic!("{path:?}: {e}"))
}

/// Every catalogue file stem, sorted.
pub fn stems() -> Vec<String> {
    let mut stems: Vec<String> = std::fs::read_dir(proofs_dir())
        .expect("proofs/ is readable")
        .filter_map(|entry| {
            let path = entry.ok()?.path();
            (path.extension()? == "toml").then(|| path.file_stem()?.to_str().map(String::from))?
        })
        .collect();
    stems.sort();
    stems
}

/// Check options: one thread, the given reductions, no bounds.
pub fn options(symmetry: bool, por: bool) -> CheckOptions {
    CheckOptions {
        threads: 1,
        symmetry,
        por,
        max_depth: None,
        timeout: None,
    }
}

/// Runs the checker on a model.
pub fn run(model: &GroupImModel, symmetry: bool, por: bool) -> CheckReport<GroupImModel> {
    // The checker splits fault budgets together with partial-order reduction, as the CLI does.
    let model = if por {
        model.clone().with_split_budgets(true)
    } else {
        model.clone()
    };
    check(&model, &options(symmetry, por), &mut |_| {})
}

/// The verdict per checked property of a report.
pub fn verdicts(report: &CheckReport<GroupImModel>) -> Vec<(PropertyId, Verdict)> {
    report
        .properties
        .iter()
        .map(|o| {
            let id = PropertyId::from_label(o.name).expect("property names are catalogue labels");
            (id, o.verdict)
        })
        .collect()
}

/// Every state reachable from the model's initial states (plain search, no reductions).
pub fn reachable_states(model: &GroupImModel) -> rustc_hash::FxHashSet<imflow_model::State> {
    use stateright::Model;
    let mut seen: rustc_hash::FxHashSet<imflow_model::State> =
        model.init_states().into_iter().collect();
    let mut frontier: Vec<imflow_model::State> = seen.iter().cloned().collect();
    while let Some(state) = frontier.pop() {
        for next in model.next_states(&state) {
            if seen.insert(next.clone()) {
                frontier.push(next);
            }
        }
    }
    seen
}
