//! Many seeds with seeded faults (holds, drops and duplicates within the scenario's budgets)
//! and not one monitor violation; each seed reruns identically. Crashes are covered by
//! sim_crash_after_202.rs: a seeded crash of the sender's own server can lose an IMDN (the
//! server answers 480 while its user has not re-registered), which L4 reports.

mod sim_support;

use imflow::sim::SimConfig;
use sim_support::{assert_clean, run, scenario};

/// Seeds per scenario.
const SEEDS: u64 = 60;

fn no_violation_over_seeds(toml: &str) {
    let s = scenario(toml);
    for seed in 1..=SEEDS {
        let (run, report) = run(&s, &SimConfig::with_faults(seed));
        assert_clean(&run, &report);
    }
    let (a, _) = run(&s, &SimConfig::with_faults(SEEDS));
    let (b, _) = run(&s, &SimConfig::with_faults(SEEDS));
    assert_eq!(a.entries, b.entries, "seed {SEEDS} reruns identically");
}

#[test]
fn seed_flow_with_drops_and_duplicates_violates_nothing() {
    no_violation_over_seeds(
        r#"
name = "seed-faults"
expect = "hold"
offline = ["D"]
[group]
name = "climbers"
members = ["A", "B", "C", "D"]
[[messages]]
from = "A"
dispositions = ["positive-delivery", "negative-delivery", "processing"]
[faults]
drops_max = 4
duplicates_max = 3
"#,
    );
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
