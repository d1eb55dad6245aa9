//! Many seeds with seeded faults (holds, drops, duplicates and crashes of participating servers
//! within the scenario's budgets) and not one monitor violation; each seed reruns identically.
//! A crash of the sender's own server loses its binding: the IMDNs that arrive before it
//! registers again are deferred like IMs (protocol.md section 10, decision 6), so L4 holds.

use crate::sim_support;

use imflow::sim::{Happening, SimConfig};
use sim_support::{assert_clean, run, scenario, seed_flow_with_crashes, seed_flow_with_faults};

/// Seeds per scenario without crashes.
const SEEDS: u64 = 60;

/// Seeds per scenario with crashes.
const SEEDS_WITH_CRASHES: u64 = 1_000;

fn no_violation_over_seeds(toml: &str) {
    no_violation_over(toml, SEEDS);
}

fn no_violation_over(toml: &str, seeds: u64) {
    let s = scenario(toml);
    for seed in 1..=seeds {
        let (run, report) = run(&s, &SimConfig::with_faults(seed));
        assert_clean(&run, &report);
    }
    let (a, _) = run(&s, &SimConfig::with_faults(seeds));
    let (b, _) = run(&s, &SimConfig::with_faults(seeds));
    assert_eq!(a.entries, b.entries, "seed {seeds} reruns identically");
}

/// How many of `seeds` runs of `toml` crash a participating server at least once.
fn runs_with_a_crash(toml: &str, seeds: u64) -> u64 {
    let s = scenario(toml);
    (1..=seeds)
        .filter(|&seed| {
            let (run, _) = run(&s, &SimConfig::with_faults(seed));
            run.entries
                .iter()
                .any(|e| matches!(e.what, Happening::Crash))
        })
        .count() as u64
}

#[test]
fn seed_flow_with_drops_and_duplicates_violates_nothing() {
    no_violation_over_seeds(&seed_flow_with_faults(
        "seed-faults",
        "drops_max = 4\nduplicates_max = 3",
    ));
}

#[test]
fn two_senders_with_drops_and_duplicates_violate_nothing() {
    no_violation_over_seeds(
        r#"
name = "two-senders-faults"
expect = "hold"
offline = ["C"]
[group]
name = "climbers"
members = ["A", "B", "C"]
[[messages]]
from = "A"
dispositions = ["positive-delivery"]
[[messages]]
from = "B"
dispositions = ["positive-delivery", "negative-delivery"]
[cf]
aggregation = "forward-each"
[faults]
drops_max = 3
duplicates_max = 2
"#,
    );
}

#[test]
fn individual_forwarding_with_drops_and_duplicates_violates_nothing() {
    no_violation_over_seeds(
        r#"
name = "forward-each-faults"
expect = "hold"
offline = ["C"]
non_members = ["E"]
[group]
name = "climbers"
members = ["A", "B", "C", "D"]
[[messages]]
from = "A"
dispositions = ["positive-delivery", "processing"]
[[messages]]
from = "E"
dispositions = ["positive-delivery"]
[cf]
aggregation = "forward-each"
[faults]
drops_max = 3
duplicates_max = 2
"#,
    );
}

/// Two senders with one seeded crash of a participating server, and drops and duplicates.
const TWO_SENDERS_WITH_CRASHES: &str = r#"
name = "two-senders-crashes"
expect = "hold"
offline = ["C"]
[group]
name = "climbers"
members = ["A", "B", "C"]
[[messages]]
from = "A"
dispositions = ["positive-delivery"]
[[messages]]
from = "B"
dispositions = ["positive-delivery", "negative-delivery"]
[cf]
aggregation = "forward-each"
[faults]
drops_max = 2
duplicates_max = 2
crashes_max = 1
"#;

#[test]
fn seed_flow_with_crashes_violates_nothing() {
    no_violation_over(&seed_flow_with_crashes(), SEEDS_WITH_CRASHES);
}

#[test]
fn two_senders_with_crashes_violate_nothing() {
    no_violation_over(TWO_SENDERS_WITH_CRASHES, SEEDS_WITH_CRASHES);
}

#[test]
fn the_crash_scenarios_do_crash_servers() {
    for toml in [seed_flow_with_crashes().as_str(), TWO_SENDERS_WITH_CRASHES] {
        let crashed = runs_with_a_crash(toml, SEEDS);
        assert!(crashed * 4 >= SEEDS, "only {crashed} of {SEEDS} runs crash");
    }
}
