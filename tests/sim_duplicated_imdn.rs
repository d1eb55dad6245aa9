//! A network duplicate of B's IMDN reaches A once (S2): soon after the original it is absorbed
//! by the transaction layer; after Timer J it is a new request that the Controlling Function
//! drops because (bob, delivered) is already reported.

use crate::sim_support;

use imflow::sim::{ScriptedFault, SimConfig, WireMatch};
use imflow_model::Scenario;
use sim_support::{all_steps, assert_clean, imdns_at, run};

fn duplicate_bobs_imdn(delay_ms: u64) {
    let config = SimConfig {
        script: vec![ScriptedFault::Duplicate {
            matching: WireMatch {
                from: "Server B".to_string(),
                to: "CF".to_string(),
                start: "MESSAGE".to_string(),
                contains: Some("<delivered/>".to_string()),
            },
            delay_ms,
        }],
        ..SimConfig::seeded(6)
    };
    let (run, report) = run(&Scenario::seed(), &config);
    assert_clean(&run, &report);
    let t = run.trace();
    let copies = all_steps(
        &t,
        "Server B",
        "CF",
        &["(duplicate) MESSAGE IMDN bob delivered"],
    );
    assert_eq!(copies.len(), 1, "the duplicate was made");
    let bob = imdns_at(&run, "alice")
        .into_iter()
        .filter(|(r, _)| r.contains("bob"))
        .count();
    assert_eq!(bob, 1);
}

#[test]
fn duplicated_imdn_reaches_the_sender_once() {
    duplicate_bobs_imdn(50);
}

#[test]
fn imdn_duplicated_after_timer_j_reaches_the_sender_once() {
    duplicate_bobs_imdn(40_000);
}
