//! Where the model and the implementation are known to differ (see the `imflow::refine` module
//! docs), pinned: the refinement check reports each difference, so the cases the proptest
//! generator keeps out are kept out for a reason that still holds. When the model is changed
//! to agree, these tests fail and the generator's exclusions can go.

use imflow::refine::{check_schedule, RefineError, Schedule};
use imflow_model::scenario::{Disposition, MessageSpec};
use imflow_model::Scenario;

/// Schedules tried when looking for a delivery order that shows a difference.
const SCHEDULES_TRIED_MAX: u64 = 2_000;

fn schedule(seed: u64) -> Schedule {
    let mut x = seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1;
    let choices = (0..60)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x % 7) as u16
        })
        .collect();
    Schedule { choices }
}

#[test]
fn the_model_hands_over_stored_copies_in_message_order_the_implementation_in_store_order() {
    let mut scenario = Scenario::seed();
    scenario.group.members = ["A", "B", "C"].map(String::from).to_vec();
    scenario.offline = vec!["B".to_string()];
    scenario.messages = vec![
        MessageSpec {
            from: "A".to_string(),
            dispositions: vec![],
        },
        MessageSpec {
            from: "C".to_string(),
            dispositions: vec![],
        },
    ];
    let found = (0..SCHEDULES_TRIED_MAX).find_map(|seed| {
        match check_schedule(&scenario, &schedule(seed)) {
            Err(RefineError::Divergence(d))
                if d.differences.iter().any(|x| x.contains("Delivering")) =>
            {
                Some(d)
            }
            _ => None,
        }
    });
    assert!(
        found.is_some(),
        "no schedule showed the store-order difference"
    );
}

#[test]
fn without_positive_delivery_and_without_t_agg_the_model_never_flushes_a_failed_report() {
    let mut scenario = Scenario::seed();
    scenario.offline.clear();
    scenario.stays_offline = vec!["A".to_string()];
    scenario.messages = vec![MessageSpec {
        from: "B".to_string(),
        dispositions: vec![Disposition::NegativeDelivery],
    }];
    scenario.timers.aggregation_flush = false;
    match check_schedule(&scenario, &Schedule::default()) {
        Err(RefineError::Divergence(d)) => {
            assert!(
                d.concrete_step
                    .contains("Server A -> CF: MESSAGE sip:imdn@"),
                "{d}"
            );
            assert!(
                d.differences
                    .iter()
                    .any(|x| x.contains("buffered: Some(2)")),
                "{d}"
            );
        }
        other => panic!("expected the aggregation difference, got {other:?}"),
    }
}
