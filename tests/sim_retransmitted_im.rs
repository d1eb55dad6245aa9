//! When B's 200 is lost, Server B retransmits the IM; B's user agent hands it to its user once
//! (S9) and B reports it once.

use crate::sim_support;

use imflow::sim::{ScriptedFault, SimConfig, WireMatch};
use imflow_model::Scenario;
use sim_support::{all_steps, assert_clean, imdns_at, renders, run};

#[test]
fn retransmitted_im_is_delivered_once() {
    let config = SimConfig {
        script: vec![ScriptedFault::Drop(WireMatch {
            from: "User B".to_string(),
            to: "Server B".to_string(),
            start: "SIP/2.0 200".to_string(),
            contains: Some("MESSAGE".to_string()),
        })],
        ..SimConfig::seeded(4)
    };
    let (run, report) = run(&Scenario::seed(), &config);
    assert_clean(&run, &report);
    let t = run.trace();
    let copies = all_steps(&t, "Server B", "User B", &["MESSAGE bob"]);
    assert!(copies.len() >= 2, "the IM was retransmitted: {copies:?}");
    assert_eq!(
        all_steps(&t, "User B", "Server B", &["(lost) 200 OK"]).len(),
        1
    );
    assert_eq!(renders(&run, "bob"), 1);
    let from_bob = imdns_at(&run, "alice");
    assert_eq!(
        from_bob.iter().filter(|(r, _)| r.contains("bob")).count(),
        1
    );
}
