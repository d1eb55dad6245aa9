//! Server D crashes after storing D's copy and answering 202; after the restart D registers and
//! still gets the IM, and A learns `delivered` (the deferred store is durable; L3, L4).

use crate::sim_support;

use imflow::node::Event;
use imflow::sim::{Happening, ScriptedFault, SimConfig};
use imflow_model::Scenario;
use sim_support::{assert_clean, imdns_at, renders, run};

#[test]
fn server_d_crash_after_202_still_delivers_after_restart_and_register() {
    let config = SimConfig {
        script: vec![ScriptedFault::Crash {
            lane: "Server D".to_string(),
            at_ms: 1_500,
        }],
        register_at_ms: vec![("D".to_string(), 4_000)],
        ..SimConfig::seeded(9)
    };
    let (run, report) = run(&Scenario::seed(), &config);
    assert_clean(&run, &report);
    let position =
        |pred: &dyn Fn(&Happening) -> bool| run.entries.iter().position(|e| pred(&e.what));
    let stored = position(&|h| matches!(h, Happening::Event(Event::Stored { .. })));
    let crash = position(&|h| matches!(h, Happening::Crash));
    let delivered = position(&|h| matches!(h, Happening::Event(Event::StoredDelivered { .. })));
    let (Some(stored), Some(crash), Some(delivered)) = (stored, crash, delivered) else {
        panic!("stored {stored:?}, crash {crash:?}, delivered {delivered:?}");
    };
    assert!(stored < crash && crash < delivered);
    assert_eq!(run.cast.lanes[run.entries[crash].lane], "Server D");
    assert_eq!(renders(&run, "dave"), 1);
    let dave = imdns_at(&run, "alice")
        .into_iter()
        .filter(|(r, s)| r.contains("dave") && s == "delivered")
        .count();
    assert_eq!(dave, 1);
}
