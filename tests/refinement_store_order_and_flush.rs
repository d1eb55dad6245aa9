//! Two cases where the model once differed from the implementation now refine: a user's stored
//! copies are handed over in store order (protocol.md section 7.2, FIFO), and the CF flushes its
//! aggregation buffer as soon as no leg is pending and no reached leg owes a report, which
//! without positive-delivery is at once (protocol.md section 7.3 step 5; RFC 5438: a recipient
//! sends `delivered` only when asked). Each runs many schedules through the lockstep check and
//! also checks that the schedules reach the situation in question, so a pass is not vacuous.

use imflow::node::Event;
use imflow::refine::{check_schedule, Checked, Schedule};
use imflow::sim::{Happening, SimRun};
use imflow_model::scenario::{Disposition, MessageSpec};
use imflow_model::Scenario;

/// Schedules tried per scenario.
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

/// Every schedule refines; returns the passing runs.
fn every_schedule_refines(scenario: &Scenario) -> Vec<Checked> {
    (0..SCHEDULES_TRIED_MAX)
        .map(|seed| {
            check_schedule(scenario, &schedule(seed))
                .unwrap_or_else(|e| panic!("schedule {seed} diverged: {e}"))
        })
        .collect()
}

fn aor(run: &SimRun, name: &str) -> String {
    let user = run.cast.users.iter().find(|u| u.name == name);
    user.map(|u| u.aor.clone())
        .unwrap_or_else(|| panic!("no user {name}"))
}

/// The Message-IDs of the events `pick` selects, in record order.
fn ids(run: &SimRun, pick: &dyn Fn(&Event) -> Option<String>) -> Vec<String> {
    let events = run.entries.iter().filter_map(|e| match &e.what {
        Happening::Event(event) => pick(event),
        _ => None,
    });
    events.collect()
}

#[test]
fn stored_copies_reach_a_late_registering_user_in_store_order_and_the_model_agrees() {
    let mut scenario = Scenario::seed();
    scenario.group.members = ["A", "B", "C"].map(String::from).to_vec();
    scenario.offline = vec!["B".to_string()];
    scenario.messages = ["A", "C"]
        .map(|from| MessageSpec {
            from: from.to_string(),
            dispositions: vec![],
        })
        .to_vec();
    let mut reversed = 0;
    for checked in every_schedule_refines(&scenario) {
        let run = &checked.run;
        let bob = aor(run, "B");
        let sent = ids(run, &|e| match e {
            Event::ImSent { message_id, .. } => Some(message_id.clone()),
            _ => None,
        });
        let stored = ids(run, &|e| match e {
            Event::Stored {
                user, message_id, ..
            } if *user == bob => Some(message_id.clone()),
            _ => None,
        });
        let rendered = ids(run, &|e| match e {
            Event::ImRendered {
                user, message_id, ..
            } if *user == bob && stored.contains(message_id) => Some(message_id.clone()),
            _ => None,
        });
        assert_eq!(rendered, stored, "B gets its stored copies in store order");
        if stored.len() == 2 && sent.first() == stored.get(1) {
            reversed += 1;
        }
    }
    assert!(
        reversed > 0,
        "no schedule stored the second IM before the first for B"
    );
}

#[test]
fn without_positive_delivery_and_without_t_agg_a_failed_report_is_flushed_and_the_model_agrees() {
    let mut scenario = Scenario::seed();
    scenario.offline.clear();
    scenario.stays_offline = vec!["A".to_string()];
    scenario.messages = vec![MessageSpec {
        from: "B".to_string(),
        dispositions: vec![Disposition::NegativeDelivery],
    }];
    scenario.timers.aggregation_flush = false;
    for checked in every_schedule_refines(&scenario) {
        let run = &checked.run;
        let (alice, bob) = (aor(run, "A"), aor(run, "B"));
        let failed = ids(run, &|e| match e {
            Event::ImdnRendered {
                user,
                recipient,
                status,
                message_id,
            } if *user == bob && *recipient == alice && status == "failed" => {
                Some(message_id.clone())
            }
            _ => None,
        });
        assert_eq!(failed.len(), 1, "B hears once that A's copy expired");
    }
}
