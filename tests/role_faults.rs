//! Under seeded loss and duplication the roles keep their at-most-once promises: every member
//! renders the IM at most once, the sender learns each (recipient, kind) at most once and never
//! both delivered and failed, and nobody sends 408.

use crate::role_support;
use imflow::cpim::{Disposition, DispositionSet};
use imflow::node::Event;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use role_support::*;
use std::cell::RefCell;
use std::collections::BTreeMap;
use std::rc::Rc;

/// Most datagrams one run may lose, and most it may duplicate.
const DROPS_MAX: u32 = 4;
const DUPLICATES_MAX: u32 = 4;

#[test]
fn loss_and_duplication_never_break_at_most_once_delivery_or_notification() {
    for seed in 0..150u64 {
        let mut net = seed_net(Setup {
            seed: seed + 1,
            ..Setup::default()
        });
        let rng = Rc::new(RefCell::new(ChaCha8Rng::seed_from_u64(seed)));
        let budget = Rc::new(RefCell::new((DROPS_MAX, DUPLICATES_MAX)));
        let (r1, b1) = (rng.clone(), budget.clone());
        net.drop_if = Box::new(move |_| {
            let mut b = b1.borrow_mut();
            let lose = b.0 > 0 && r1.borrow_mut().random_ratio(1, 8);
            if lose {
                b.0 -= 1;
            }
            lose
        });
        let (r2, b2) = (rng.clone(), budget.clone());
        net.duplicate_if = Box::new(move |_| {
            let mut b = b2.borrow_mut();
            let twice = b.1 > 0 && r2.borrow_mut().random_ratio(1, 8);
            if twice {
                b.1 -= 1;
            }
            twice
        });
        let asked = DispositionSet::EMPTY
            .with(Disposition::PositiveDelivery)
            .with(Disposition::NegativeDelivery);
        let id = net.send_im(ALICE, GROUP, asked, "hi");
        net.run_for(40_000);
        net.register(DAVE);
        net.run_for(120_000);
        let context = format!("seed {seed}");
        for member in [BOB, CAROL, DAVE] {
            assert!(
                net.rendered(member).len() <= 1,
                "{context}: {member} rendered twice"
            );
        }
        assert!(net.rendered(ALICE).is_empty(), "{context}");
        let mut per_recipient: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for (m, r, s) in net.imdns(ALICE) {
            assert_eq!(m, id, "{context}");
            per_recipient.entry(r).or_default().push(s);
        }
        for (r, statuses) in &per_recipient {
            assert_eq!(statuses.len(), 1, "{context}: {r} reported {statuses:?}");
        }
        for member in [BOB, CAROL, DAVE] {
            if !net.rendered(member).is_empty() {
                let got = per_recipient.get(member).cloned().unwrap_or_default();
                assert_ne!(
                    got,
                    vec!["failed".to_owned()],
                    "{context}: {member} got it, yet failed"
                );
            }
        }
        assert!(
            net.wire.iter().all(|w| !w.start_line().contains(" 408 ")),
            "{context}"
        );
        let stored_outcomes = net.count_events(|e| {
            matches!(
                e,
                Event::StoredDelivered { .. } | Event::StoredExpired { .. }
            )
        });
        let stored = net.count_events(|e| matches!(e, Event::Stored { .. }));
        assert_eq!(
            stored, stored_outcomes,
            "{context}: one outcome per stored copy"
        );
    }
}
