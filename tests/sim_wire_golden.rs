//! The exact bytes the simulator's nodes send, pinned: the seed flow with no faults, and the
//! seed flow under seeded faults (drops, duplicates, holds, a crash) whose retransmissions,
//! relays and re-deliveries take the less common paths. A change of any byte a node writes
//! (header order, a proxy's rewrite of Via or Max-Forwards, a relayed response, a CPIM or IMDN
//! body) shows up here as a readable diff.
//!
//! Regenerate after an intended change with `IMFLOW_UPDATE_GOLDEN=1`.

use crate::common;
use crate::sim_support;

use common::golden::assert_golden;
use imflow::sim::{simulate, Fate, Happening, SimConfig, SimRun};
use imflow_model::Scenario;
use sim_support::{scenario, seed_flow_with_crashes};
use std::fmt::Write;

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

#[test]
fn the_seed_flow_sends_the_same_bytes_as_pinned() {
    let run = simulate(&Scenario::seed(), &SimConfig::seeded(1)).expect("the seed flow runs");
    assert_golden("sim_seed_flow_seed_1.txt", &exchange(&run));
}

/// A seed whose run loses a datagram, duplicates one and crashes a server.
const FAULTS_SEED: u64 = 1;

#[test]
fn the_seed_flow_under_faults_sends_the_same_bytes_as_pinned() {
    let scenario = scenario(&seed_flow_with_crashes());
    let run = simulate(&scenario, &SimConfig::with_faults(FAULTS_SEED)).expect("the run completes");
    let count = |what: fn(&Happening) -> bool| run.entries.iter().filter(|e| what(&e.what)).count();
    let copies = count(|h| {
        matches!(
            h,
            Happening::Transmit {
                duplicate: true,
                ..
            }
        )
    });
    let lost = count(|h| {
        matches!(
            h,
            Happening::Transmit {
                fate: Fate::Lost,
                ..
            }
        )
    });
    let crashes = count(|h| matches!(h, Happening::Crash));
    assert!(
        copies > 0 && lost > 0 && crashes > 0,
        "seed {FAULTS_SEED} takes the fault paths: {copies} copies, {lost} lost, {crashes} crashes"
    );
    assert_golden(
        &format!("sim_seed_flow_faults_seed_{FAULTS_SEED}.txt"),
        &exchange(&run),
    );
}
