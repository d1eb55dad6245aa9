//! A copy stored for a user who never registers expires; the sender learns `failed` if and only
//! if it asked for negative-delivery (L3, S1).

use crate::sim_support;

use imflow::node::Event;
use imflow::sim::SimConfig;
use sim_support::{assert_clean, events, group_of_four, imdns_at, run};

fn expired(run: &imflow::sim::SimRun) -> usize {
    events(run)
        .iter()
        .filter(|e| matches!(e, Event::StoredExpired { user, .. } if user.contains("dave")))
        .count()
}

#[test]
fn expired_copy_is_reported_failed_when_negative_delivery_was_requested() {
    let s = group_of_four(
        r#""positive-delivery", "negative-delivery""#,
        r#"stays_offline = ["D"]"#,
        "",
    );
    let (run, report) = run(&s, &SimConfig::seeded(11));
    assert_clean(&run, &report);
    assert_eq!(expired(&run), 1);
    let at_a = imdns_at(&run, "alice");
    let failed = ("sip:dave@epsilon.example".to_string(), "failed".to_string());
    assert_eq!(at_a.iter().filter(|e| **e == failed).count(), 1, "{at_a:?}");
    assert!(!at_a
        .iter()
        .any(|(r, s)| r.contains("dave") && s == "delivered"));
}

#[test]
fn expired_copy_is_silent_without_negative_delivery() {
    let s = group_of_four(r#""positive-delivery""#, r#"stays_offline = ["D"]"#, "");
    let (run, report) = run(&s, &SimConfig::seeded(11));
    assert_clean(&run, &report);
    assert_eq!(expired(&run), 1);
    let at_a = imdns_at(&run, "alice");
    assert!(!at_a.iter().any(|(r, _)| r.contains("dave")), "{at_a:?}");
    assert_eq!(at_a.len(), 2, "B and C still report: {at_a:?}");
}
