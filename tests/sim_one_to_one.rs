//! A 1-to-1 IM with a delivery notification: A's IM goes through both participating servers
//! (no Controlling Function), B renders it once and A learns `delivered`.

use crate::sim_support;

use imflow::sim::{Destination, ScheduledIm, SimConfig};
use imflow_model::scenario::Disposition;
use sim_support::scenario;
use sim_support::{all_steps, assert_clean, expect_step, find_step, imdns_at, renders, run};

#[test]
fn one_to_one_message_gets_a_delivery_notification() {
    let s = scenario(
        r#"
name = "one-to-one"
expect = "hold"
[group]
name = "climbers"
members = ["A", "B"]
[[messages]]
from = "A"
"#,
    );
    let config = SimConfig {
        extra_ims: vec![ScheduledIm {
            from: "A".to_string(),
            to: Destination::User("B".to_string()),
            dispositions: vec![Disposition::PositiveDelivery],
            at_ms: 300,
            text: "Rope check at nine?".to_string(),
        }],
        only_extra_ims: true,
        ..SimConfig::seeded(12)
    };
    let (run, report) = run(&s, &config);
    assert_clean(&run, &report);
    let t = run.trace();
    let a = expect_step(
        &t,
        find_step(&t, 0, "User A", "Server A", &["MESSAGE bob"]),
        "A",
    );
    let ab = expect_step(
        &t,
        find_step(&t, a, "Server A", "Server B", &["MESSAGE bob"]),
        "A-B",
    );
    expect_step(
        &t,
        find_step(&t, ab, "Server B", "User B", &["MESSAGE bob"]),
        "to B",
    );
    assert!(t
        .steps
        .iter()
        .all(|s| t.lanes[s.from] != "CF" && t.lanes[s.to] != "CF"));
    assert!(!all_steps(&t, "Server B", "Server A", &["IMDN bob delivered"]).is_empty());
    assert_eq!(renders(&run, "bob"), 1);
    assert_eq!(
        imdns_at(&run, "alice"),
        [("sip:bob@beta.example".to_string(), "delivered".to_string())]
    );
}
