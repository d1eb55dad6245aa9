//! The seed flow (shared/seed-flow.md) through the three roles, step by step on the wire.

use crate::role_support;
use imflow::node::Event;
use role_support::*;

#[test]
fn seed_flow_delivers_to_b_and_c_aggregates_their_imdns_and_defers_d_until_it_registers() {
    let mut net = seed_net(Setup::default());
    let first_wire = net.wire.len();
    let id = net.send_im(ALICE, GROUP, positive(), "Summit at noon, bring ropes.");

    // Steps 1-3: A -> Server A -> CF, and the CF's 202 relayed back to A.
    let to_a: Vec<String> = net.wire[first_wire..]
        .iter()
        .filter(|w| w.transmit.to == addr(1))
        .map(|w| w.start_line())
        .collect();
    assert_eq!(
        to_a.first().map(String::as_str),
        Some("SIP/2.0 202 Accepted")
    );

    // Steps 4-9: B and C render it once; D's server stores it and answers 202.
    assert_eq!(net.rendered(BOB), vec![(ALICE.to_owned(), id.clone())]);
    assert_eq!(net.rendered(CAROL), vec![(ALICE.to_owned(), id.clone())]);
    assert!(net.rendered(DAVE).is_empty());
    assert!(
        net.rendered(ALICE).is_empty(),
        "the sender is not in the fan-out"
    );
    assert_eq!(
        net.count_events(|e| matches!(e, Event::Stored { user, .. } if user == DAVE)),
        1
    );
    let d_answer = net.wire_between(14, CF_ADDR);
    assert_eq!(
        d_answer.first().map(|w| w.start_line()),
        Some("SIP/2.0 202 Accepted".to_owned())
    );

    // Steps 10-11: one aggregated IMDN (multipart/mixed, two parts) reaches A.
    let mut expected = vec![
        (id.clone(), BOB.to_owned(), "delivered".to_owned()),
        (id.clone(), CAROL.to_owned(), "delivered".to_owned()),
    ];
    let mut got = net.imdns(ALICE);
    got.sort();
    assert_eq!(got, expected);
    let aggregates: Vec<&Wire> = net
        .wire_between(CF_ADDR, 11)
        .into_iter()
        .filter(|w| w.text().contains("multipart/mixed"))
        .collect();
    assert_eq!(aggregates.len(), 1);
    assert_eq!(
        aggregates[0]
            .text()
            .matches("Content-Type: message/imdn+xml")
            .count(),
        2
    );

    // Steps 12-19: D registers, gets the stored copy, and its own IMDN reaches A alone.
    net.run_for(1_000);
    net.register(DAVE);
    assert_eq!(net.rendered(DAVE), vec![(ALICE.to_owned(), id.clone())]);
    assert_eq!(
        net.count_events(|e| matches!(e, Event::StoredDelivered { user, .. } if user == DAVE)),
        1
    );
    expected.push((id.clone(), DAVE.to_owned(), "delivered".to_owned()));
    expected.sort();
    let mut got = net.imdns(ALICE);
    got.sort();
    assert_eq!(got, expected);
    let singles = net
        .wire_between(CF_ADDR, 11)
        .into_iter()
        .filter(|w| w.start_line().starts_with("MESSAGE") && !w.text().contains("multipart/mixed"))
        .count();
    assert_eq!(singles, 1, "D's IMDN is forwarded on its own");

    // Nobody ever sends 408, and no transaction timed out.
    assert!(net.wire.iter().all(|w| !w.start_line().contains(" 408 ")));
    assert_eq!(
        net.count_events(|e| matches!(e, Event::TransactionTimedOut { .. })),
        0
    );
}

#[test]
fn cf_state_is_freed_after_its_lifetime() {
    let mut net = seed_net(Setup::default());
    let id = net.send_im(ALICE, GROUP, positive(), "hi");
    assert!(net.cf.message_state(ALICE, &id).is_some());
    net.run_for(1_200_000);
    assert!(net.cf.message_state(ALICE, &id).is_none());
    assert_eq!(
        net.count_events(
            |e| matches!(e, Event::MessageStateFreed { message_id } if *message_id == id)
        ),
        1
    );
}

#[test]
fn same_seed_and_inputs_give_the_same_bytes() {
    let run = || {
        let mut net = seed_net(Setup::default());
        net.send_im(ALICE, GROUP, positive(), "Summit at noon, bring ropes.");
        net.run_for(10_000);
        net.register(DAVE);
        net.wire
            .iter()
            .map(|w| w.transmit.bytes.clone())
            .collect::<Vec<_>>()
    };
    let a = run();
    assert!(a.len() > 20);
    assert_eq!(a, run());
    let mut other = seed_net(Setup {
        seed: 2,
        ..Setup::default()
    });
    other.send_im(ALICE, GROUP, positive(), "Summit at noon, bring ropes.");
    assert_ne!(
        other.wire[0].transmit.bytes, a[0],
        "another seed, other tags"
    );
}

#[test]
fn a_one_to_one_message_with_delivery_notification_travels_back_to_the_sender() {
    let mut net = seed_net(Setup::default());
    let id = net.send_im(ALICE, BOB, positive(), "just you");
    assert_eq!(net.rendered(BOB), vec![(ALICE.to_owned(), id.clone())]);
    assert!(net.rendered(CAROL).is_empty());
    assert!(net.events.contains(&Event::ImAnswered {
        user: ALICE.to_owned(),
        message_id: id.clone(),
        status: 200
    }));
    assert_eq!(
        net.imdns(ALICE),
        vec![(id, BOB.to_owned(), "delivered".to_owned())]
    );
    assert!(
        net.wire_between(11, CF_ADDR).is_empty(),
        "no Controlling Function involved"
    );
}

#[test]
fn two_messages_from_two_senders_each_reach_every_other_member_once() {
    let mut net = seed_net(Setup::default());
    let from_alice = net.send_im(ALICE, GROUP, positive(), "from alice");
    let from_bob = net.send_im(BOB, GROUP, positive(), "from bob");
    net.run_for(10_000);
    net.register(DAVE);
    assert_eq!(
        net.rendered(ALICE),
        vec![(BOB.to_owned(), from_bob.clone())]
    );
    assert_eq!(
        net.rendered(BOB),
        vec![(ALICE.to_owned(), from_alice.clone())]
    );
    let mut carol = net.rendered(CAROL);
    carol.sort();
    let mut expected = vec![
        (ALICE.to_owned(), from_alice.clone()),
        (BOB.to_owned(), from_bob.clone()),
    ];
    expected.sort();
    assert_eq!(carol, expected);
    assert_eq!(net.rendered(DAVE).len(), 2);
    let mut to_alice: Vec<_> = net
        .imdns(ALICE)
        .into_iter()
        .map(|(m, r, _)| (m, r))
        .collect();
    to_alice.sort();
    let mut want = vec![
        (from_alice.clone(), BOB.to_owned()),
        (from_alice.clone(), CAROL.to_owned()),
        (from_alice, DAVE.to_owned()),
    ];
    want.sort();
    assert_eq!(to_alice, want);
    assert_eq!(
        net.imdns(BOB).len(),
        3,
        "Alice, Carol and Dave report on Bob's IM"
    );
}
