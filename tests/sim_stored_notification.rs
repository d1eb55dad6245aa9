//! A server that defers an IM sends a `stored` IMDN only when the sender asked for processing
//! notifications (RFC 5438 section 8; S1).

use crate::sim_support;

use imflow::sim::SimConfig;
use sim_support::{assert_clean, group_of_four, imdns_at, run};

fn stored_for_dave(dispositions: &str) -> usize {
    let s = group_of_four(dispositions, r#"offline = ["D"]"#, "");
    let (run, report) = run(&s, &SimConfig::seeded(5));
    assert_clean(&run, &report);
    imdns_at(&run, "alice")
        .iter()
        .filter(|(r, s)| r.contains("dave") && s == "stored")
        .count()
}

#[test]
fn stored_notification_is_sent_when_processing_was_requested() {
    assert_eq!(stored_for_dave(r#""positive-delivery", "processing""#), 1);
}

#[test]
fn no_stored_notification_without_processing() {
    assert_eq!(stored_for_dave(r#""positive-delivery""#), 0);
}
