//! The per-IM state kept by counters and bits answers as the sets and the walk over the legs
//! it replaced: each (member, kind) reported once, and the aggregation rule.

use super::{Leg, MessageState};
use crate::cpim::{Disposition, DispositionSet};
use crate::imdn::{DeliveryStatus, DisplayStatus, Notification, ProcessingStatus};
use crate::node::Instant;
use proptest::prelude::*;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

/// One thing that happens to an IM's state.
#[derive(Clone, Debug)]
enum Step {
    /// Leg number `.0` (modulo the leg count) gets its final response.
    Settle(usize, Leg),
    /// A notification about leg number `.0`'s member is passed on.
    Report(usize, Notification),
}

fn any_step() -> impl Strategy<Value = Step> {
    let leg = prop_oneof![
        Just(Leg::Pending),
        Just(Leg::ReachedUserAgent),
        Just(Leg::Relayed),
        Just(Leg::Failed),
    ];
    let notification = prop_oneof![
        Just(Notification::Delivery(DeliveryStatus::Delivered)),
        Just(Notification::Delivery(DeliveryStatus::Failed)),
        Just(Notification::Display(DisplayStatus::Displayed)),
        Just(Notification::Processing(ProcessingStatus::Stored)),
    ];
    prop_oneof![
        (0usize..8, leg).prop_map(|(i, l)| Step::Settle(i, l)),
        (0usize..8, notification).prop_map(|(i, n)| Step::Report(i, n)),
    ]
}

/// The aggregation rule as the CF first checked it: a walk over the legs with a set lookup.
fn rule_by_walk(
    legs: &BTreeMap<String, Leg>,
    reported: &BTreeSet<(String, &str)>,
    positive: bool,
) -> bool {
    legs.iter().all(|(member, leg)| match leg {
        Leg::Pending => false,
        Leg::ReachedUserAgent => {
            !positive || reported.contains(&(member.clone(), "delivery-notification"))
        }
        Leg::Relayed | Leg::Failed => true,
    })
}

proptest! {
    #[test]
    fn the_counted_state_answers_as_the_sets_and_the_walk_over_the_legs(
        members in proptest::collection::btree_set("sip:[a-f]@x", 0..5),
        positive in any::<bool>(),
        steps in proptest::collection::vec(any_step(), 0..24),
    ) {
        let dispositions = match positive {
            true => DispositionSet::EMPTY.with(Disposition::PositiveDelivery),
            false => DispositionSet::EMPTY.with(Disposition::Display),
        };
        let mut state = MessageState::new(
            Arc::new(("sip:s@x".to_owned(), "m1".to_owned())),
            "sip:g@x".to_owned(),
            "2024-03-18T09:30:05Z".to_owned(),
            dispositions,
            members.iter().map(|m| (Arc::from(m.as_str()), false)),
            Instant(0),
        );
        let mut legs: BTreeMap<String, Leg> =
            members.iter().map(|m| (m.clone(), Leg::Pending)).collect();
        let mut reported: BTreeSet<(String, &str)> = BTreeSet::new();
        prop_assert_eq!(state.everyone_reached_has_reported(), rule_by_walk(&legs, &reported, positive));
        for step in steps {
            let Some(count) = Some(members.len()).filter(|&n| n > 0) else {
                break;
            };
            match step {
                Step::Settle(i, leg) => {
                    let member = members.iter().nth(i % count).cloned().unwrap_or_default();
                    let at = state.leg_index(&member);
                    prop_assert_eq!(at, Some(i % count));
                    state.settle_leg(i % count, leg);
                    legs.insert(member, leg);
                }
                Step::Report(i, notification) => {
                    let member = members.iter().nth(i % count).cloned().unwrap_or_default();
                    let fresh = reported.insert((member, notification.element()));
                    prop_assert_eq!(state.report(i % count, notification), fresh);
                }
            }
            prop_assert_eq!(
                state.everyone_reached_has_reported(),
                rule_by_walk(&legs, &reported, positive)
            );
            let kept: Vec<(&str, Leg)> = legs.iter().map(|(m, l)| (m.as_str(), *l)).collect();
            prop_assert_eq!(state.legs().collect::<Vec<_>>(), kept);
            let by_set: Vec<(&str, &str)> = reported.iter().map(|(m, k)| (m.as_str(), *k)).collect();
            prop_assert_eq!(state.reported().collect::<Vec<_>>(), by_set);
        }
        for member in &members {
            prop_assert_eq!(state.leg(member), legs.get(member).copied());
        }
        prop_assert_eq!(state.leg("sip:nobody@x"), None);
    }
}
