//! The exact bytes the simulator's nodes send, pinned: the seed flow with no faults, and the
//! seed flow under seeded faults (drops, duplicates, holds, a crash) whose retransmissions,
//! relays and re-deliveries take the less common paths. A change of any byte a node writes
//! (header order, a proxy's rewrite of Via or Max-Forwards, a relayed response, a CPIM or IMDN
//! body) shows up here as a readable diff.
//!
//! Regenerate after an intended change with `IMFLOW_UPDATE_GOLDEN=1`.

use imflow::sim::{simulate, Fate, Happening, SimConfig, SimRun};
use imflow_model::Scenario;
use std::fmt::Write;
use std::path::PathBuf;

/// Every transmit of `run`, in order: sender and receiver lane, transport, then the message.
fn exchange(run: &SimRun) -> String {
    let mut out = String::new();
    for (step, entry) in run.entries.iter().enumerate() {
        if let Happening::Transmit {
            to,
            transport,
            bytes,
            duplicate,
            ..
        } = &entry.what
        {
            let copy = if *duplicate { " (network copy)" } else { "" };
            let _ = writeln!(
                out,
                "=== step {} at {} us: lane {} -> lane {to} over {transport:?}{copy}",
                step + 1,
                entry.at.0,
                entry.lane
            );
            out.push_str(&String::from_utf8_lossy(bytes));
            out.push('\n');
        }
    }
    out
}

fn assert_golden(name: &str, actual: &str) {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/golden")
        .join(name);
    if std::env::var_os("IMFLOW_UPDATE_GOLDEN").is_some() {
        std::fs::write(&path, actual).expect("write golden file");
        return;
    }
    let expected = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("golden file {} unreadable: {e}", path.display()));
    if expected != actual {
        let first = expected
            .lines()
            .zip(actual.lines())
            .position(|(e, a)| e != a)
            .unwrap_or(expected.lines().count().min(actual.lines().count()));
        panic!(
            "{name} differs from the golden file at line {}:\n  golden: {:?}\n  now:    {:?}",
            first + 1,
            expected.lines().nth(first),
            actual.lines().nth(first)
        );
    }
}

#[test]
fn the_seed_flow_sends_the_same_bytes_as_pinned() {
    let run = simulate(&Scenario::seed(), &SimConfig::seeded(1)).expect("the seed flow runs");
    assert_golden("sim_seed_flow_seed_1.txt", &exchange(&run));
}

/// The seed flow with a server crash, drops and duplicates allowed.
const SEED_FLOW_WITH_FAULTS: &str = r#"
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
drops_max = 2
duplicates_max = 2
crashes_max = 1
"#;

/// A seed whose run loses a datagram, duplicates one and crashes a server.
const FAULTS_SEED: u64 = 1;

#[test]
fn the_seed_flow_under_faults_sends_the_same_bytes_as_pinned() {
    let scenario = Scenario::from_toml_str(SEED_FLOW_WITH_FAULTS).expect("scenario parses");
    let run = simulate(&scenario, &SimConfig::with_faults(FAULTS_SEED)).expect("the run completes");
    let copies = run
        .entries
        .iter()
        .filter(|e| {
            matches!(
                e.what,
                Happening::Transmit {
                    duplicate: true,
                    ..
                }
            )
        })
        .count();
    let lost = run
        .entries
        .iter()
        .filter(|e| {
            matches!(
                e.what,
                Happening::Transmit {
                    fate: Fate::Lost,
                    ..
                }
            )
        })
        .count();
    let crashes = run
        .entries
        .iter()
        .filter(|e| matches!(e.what, Happening::Crash))
        .count();
    assert!(
        copies > 0 && lost > 0 && crashes > 0,
        "seed {FAULTS_SEED} takes the fault paths: {copies} copies, {lost} lost, {crashes} crashes"
    );
    assert_golden(
        &format!("sim_seed_flow_faults_seed_{FAULTS_SEED}.txt"),
        &exchange(&run),
    );
}
