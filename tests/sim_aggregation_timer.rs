//! With C's answers held up in the network, the aggregation timer flushes B's IMDN alone, and C's late IMDN is
//! forwarded alone afterwards (RFC 5438 section 8.3; L5).

use crate::sim_support;

use imflow::sim::{ScriptedFault, SimConfig, WireMatch};
use sim_support::{all_steps, assert_clean, imdns_at, run, scenario};

#[test]
fn aggregation_timer_flushes_a_partial_batch_and_the_late_imdn_travels_alone() {
    let s = scenario(
        r#"
name = "slow-carol"
expect = "hold"
[group]
name = "climbers"
members = ["A", "B", "C"]
[[messages]]
from = "A"
dispositions = ["positive-delivery"]
"#,
    );
    let config = SimConfig {
        script: ["SIP/2.0 200", "MESSAGE"]
            .map(|start| ScriptedFault::Delay {
                matching: WireMatch {
                    from: "User C".to_string(),
                    to: "Server C".to_string(),
                    start: start.to_string(),
                    contains: None,
                },
                delay_ms: 5_000,
            })
            .to_vec(),
        ..SimConfig::seeded(8)
    };
    let (run, report) = run(&s, &config);
    assert_clean(&run, &report);
    let t = run.trace();
    let to_a = all_steps(&t, "CF", "Server A", &["MESSAGE IMDN"]);
    let labels: Vec<&str> = to_a.iter().map(|i| t.steps[*i].label.as_str()).collect();
    assert_eq!(labels.len(), 2, "{labels:?}");
    assert!(labels[0].contains("bob delivered") && !labels[0].contains("carol"));
    assert!(labels[1].contains("carol delivered") && !labels[1].contains("bob"));
    let flushed_at = t.steps[to_a[0]].state["time_us"].as_u64().unwrap_or(0);
    let bob_at_cf = all_steps(&t, "Server B", "CF", &["IMDN bob delivered"]);
    let bob_at = t.steps[bob_at_cf[0]].state["arrival_us"]
        .as_u64()
        .unwrap_or(0);
    assert!(
        flushed_at >= bob_at + 2_000_000,
        "flushed by the 2 s timer, not at once ({bob_at} -> {flushed_at})"
    );
    assert_eq!(imdns_at(&run, "alice").len(), 2);
}
