//! Two members send at once; every other member gets each IM once, and each sender learns
//! about its own IM only (S5, S7, S9).

use crate::sim_support;

use imflow::node::Event;
use imflow::sim::SimConfig;
use sim_support::{assert_clean, events, run, scenario};

#[test]
fn two_messages_from_two_senders_interleave_correctly() {
    let s = scenario(
        r#"
name = "two-senders"
expect = "hold"
[group]
name = "climbers"
members = ["A", "B", "C", "D"]
[[messages]]
from = "A"
dispositions = ["positive-delivery"]
[[messages]]
from = "B"
dispositions = ["positive-delivery"]
"#,
    );
    for seed in [1, 2, 3] {
        let (run, report) = run(&s, &SimConfig::seeded(seed));
        assert_clean(&run, &report);
        let sent: Vec<(String, String)> = events(&run)
            .iter()
            .filter_map(|e| match e {
                Event::ImSent {
                    user, message_id, ..
                } => Some((user.clone(), message_id.clone())),
                _ => None,
            })
            .collect();
        assert_eq!(sent.len(), 2);
        for (sender, id) in &sent {
            let rendered_by: Vec<&String> = events(&run)
                .iter()
                .filter_map(|e| match e {
                    Event::ImRendered {
                        user, message_id, ..
                    } if message_id == id => Some(user),
                    _ => None,
                })
                .collect();
            assert_eq!(rendered_by.len(), 3, "{id}: {rendered_by:?}");
            assert!(!rendered_by.contains(&sender));
            let told: Vec<&String> = events(&run)
                .iter()
                .filter_map(|e| match e {
                    Event::ImdnRendered {
                        user, message_id, ..
                    } if message_id == id => Some(user),
                    _ => None,
                })
                .collect();
            assert_eq!(told.len(), 3, "{id}: {told:?}");
            assert!(told.iter().all(|u| *u == sender));
        }
    }
}
