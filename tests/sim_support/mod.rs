//! Shared helpers of the simulator behaviour tests (tests/sim_*.rs): run a scenario, check the
//! monitors, and find steps and events in the run.
#![allow(dead_code)] // each test file uses a subset

use imflow::monitor::{self, Report};
use imflow::node::Event;
use imflow::sim::{simulate, Happening, SimConfig, SimRun};
use imflow::trace::Trace;
use imflow_model::Scenario;

pub mod record_edits;

/// Reads a scenario from TOML text, panicking with the reason if it is invalid.
pub fn scenario(toml: &str) -> Scenario {
    Scenario::from_toml_str(toml).unwrap_or_else(|e| panic!("test scenario: {e}"))
}

/// Runs a scenario and its monitors.
pub fn run(scenario: &Scenario, config: &SimConfig) -> (SimRun, Report) {
    let run = simulate(scenario, config).unwrap_or_else(|e| panic!("simulation failed: {e}"));
    let report = monitor::check(&run);
    (run, report)
}

/// Panics with every violation (and the seed) unless the run is quiescent and clean.
pub fn assert_clean(run: &SimRun, report: &Report) {
    let mut problems: Vec<String> = report.violations.iter().map(|v| v.to_string()).collect();
    problems.extend(
        report
            .undecodable
            .iter()
            .map(|(step, why)| format!("step {step} undecodable: {why}")),
    );
    if !run.is_quiescent() {
        problems.push(format!("run stopped: {:?}", run.stop));
    }
    assert!(
        problems.is_empty(),
        "seed {} (faults {}):\n{}\n{}",
        run.seed,
        run.faults,
        problems.join("\n"),
        imflow::trace::ladder::render(&run.trace())
    );
}

/// The node events of a run, in order.
pub fn events(run: &SimRun) -> Vec<&Event> {
    run.entries
        .iter()
        .filter_map(|e| match &e.what {
            Happening::Event(ev) => Some(ev),
            _ => None,
        })
        .collect()
}

/// How many `ImRendered` events the user whose AOR contains `who` has for any IM.
pub fn renders(run: &SimRun, who: &str) -> usize {
    events(run)
        .iter()
        .filter(|e| matches!(e, Event::ImRendered { user, .. } if user.contains(who)))
        .count()
}

/// The (recipient, status) of every IMDN entry rendered at the user whose AOR contains `who`.
pub fn imdns_at(run: &SimRun, who: &str) -> Vec<(String, String)> {
    events(run)
        .iter()
        .filter_map(|e| match e {
            Event::ImdnRendered {
                user,
                recipient,
                status,
                ..
            } if user.contains(who) => Some((recipient.clone(), status.clone())),
            _ => None,
        })
        .collect()
}

/// Index of the first step at or after `from` going `lane_from` -> `lane_to` whose label
/// contains every one of `words`.
pub fn find_step(
    trace: &Trace,
    from: usize,
    lane_from: &str,
    lane_to: &str,
    words: &[&str],
) -> Option<usize> {
    let lane = |name: &str| trace.lanes.iter().position(|l| l == name);
    let (a, b) = (lane(lane_from)?, lane(lane_to)?);
    trace
        .steps
        .iter()
        .enumerate()
        .skip(from)
        .find(|(_, s)| s.from == a && s.to == b && words.iter().all(|w| s.label.contains(w)))
        .map(|(i, _)| i)
}

/// Every step index going `lane_from` -> `lane_to` whose label contains every one of `words`.
pub fn all_steps(trace: &Trace, lane_from: &str, lane_to: &str, words: &[&str]) -> Vec<usize> {
    let mut found = Vec::new();
    let mut at = 0;
    while let Some(i) = find_step(trace, at, lane_from, lane_to, words) {
        found.push(i);
        at = i + 1;
    }
    found
}

/// Unwraps a step index, naming what was looked for and showing the ladder if it is missing.
pub fn expect_step(trace: &Trace, index: Option<usize>, what: &str) -> usize {
    index.unwrap_or_else(|| panic!("no step: {what}\n{}", imflow::trace::ladder::render(trace)))
}

/// Four members A, B, C, D; A sends one IM with these dispositions; `top` holds top-level keys
/// (e.g. `offline = ["D"]`) and `tables` more tables (e.g. `[faults]`).
pub fn group_of_four(dispositions: &str, top: &str, tables: &str) -> Scenario {
    scenario(&group_of_four_toml("test", dispositions, top, tables))
}

/// The scenario TOML of [`group_of_four`], under the name `name`.
pub fn group_of_four_toml(name: &str, dispositions: &str, top: &str, tables: &str) -> String {
    format!(
        r#"
name = "{name}"
expect = "hold"
{top}
[group]
name = "climbers"
members = ["A", "B", "C", "D"]
[[messages]]
from = "A"
dispositions = [{dispositions}]
{tables}
"#
    )
}

/// The seed flow's dispositions (every kind A asks for), as a TOML list's items.
pub const SEED_DISPOSITIONS: &str = r#""positive-delivery", "negative-delivery", "processing""#;

/// The seed flow (D offline) under the fault budgets in `faults` (the `[faults]` table's keys).
pub fn seed_flow_with_faults(name: &str, faults: &str) -> String {
    group_of_four_toml(
        name,
        SEED_DISPOSITIONS,
        r#"offline = ["D"]"#,
        &format!("[faults]\n{faults}"),
    )
}

/// The seed flow with one seeded crash of a participating server, and drops and duplicates.
pub fn seed_flow_with_crashes() -> String {
    seed_flow_with_faults(
        "seed-crashes",
        "drops_max = 2\nduplicates_max = 2\ncrashes_max = 1",
    )
}
