//! The participating function: registrar, deferral, stored delivery, expiry, crash.

use crate::role_support;
use imflow::cpim::{Disposition, DispositionSet};
use imflow::node::{Event, Instant, Node, Transport};
use role_support::*;

fn server_d(net: &mut Net) -> &mut imflow::node::ParticipatingFunction {
    net.pfs.get_mut("im.epsilon.example").expect("server D")
}

fn outcomes(net: &Net) -> (usize, usize) {
    let delivered =
        net.count_events(|e| matches!(e, Event::StoredDelivered { user, .. } if user == DAVE));
    let expired =
        net.count_events(|e| matches!(e, Event::StoredExpired { user, .. } if user == DAVE));
    (delivered, expired)
}

fn statuses_for_dave(net: &Net) -> Vec<String> {
    net.imdns(ALICE)
        .into_iter()
        .filter(|(_, r, _)| r == DAVE)
        .map(|(_, _, s)| s)
        .collect()
}

#[test]
fn the_registrar_answers_200_listing_the_binding_with_its_lifetime() {
    let mut net = Net::new(Setup::default());
    net.register(DAVE);
    let ok = net.wire_between(14, 4)[0].text();
    assert!(ok.starts_with("SIP/2.0 200 OK\r\n"));
    assert!(ok.contains("Contact: <sip:dave@10.0.0.4:5060>;expires=3600\r\n"));
    assert_eq!(server_d(&mut net).name(), "im.epsilon.example");
    let binding = server_d(&mut net).binding(DAVE).cloned().expect("bound");
    assert_eq!(binding.address, addr(4));
    assert!(net.events.contains(&Event::Registered {
        user: DAVE.to_owned()
    }));
}

#[test]
fn deferred_message_is_delivered_after_register_byte_identical_and_once() {
    let mut net = seed_net(Setup::default());
    let id = net.send_im(ALICE, GROUP, positive(), "Summit at noon, bring ropes.");
    let stored_body = net
        .wire_between(CF_ADDR, 14)
        .first()
        .and_then(|w| w.text().split_once("\r\n\r\n").map(|(_, b)| b.to_owned()))
        .expect("leg to D");
    assert_eq!(server_d(&mut net).deferred_store().len(), 1);
    net.run_for(30_000);
    net.register(DAVE);
    let delivery = net
        .wire_between(14, 4)
        .into_iter()
        .find(|w| w.start_line().starts_with("MESSAGE"))
        .map(|w| w.text())
        .expect("stored copy delivered");
    assert!(delivery.starts_with("MESSAGE sip:dave@10.0.0.4:5060 SIP/2.0\r\n"));
    assert!(delivery.contains("\r\nTo: <sip:dave@epsilon.example>\r\n"));
    assert_eq!(
        delivery.split_once("\r\n\r\n").map(|(_, b)| b.to_owned()),
        Some(stored_body)
    );
    assert_eq!(net.rendered(DAVE), vec![(ALICE.to_owned(), id)]);
    assert_eq!(outcomes(&net), (1, 0));
    assert_eq!(server_d(&mut net).deferred_store().len(), 0);
    net.run_for(700_000);
    assert_eq!(outcomes(&net), (1, 0), "a delivered copy never expires");
}

#[test]
fn stored_copies_are_delivered_in_order_one_at_a_time() {
    let mut net = seed_net(Setup::default());
    let first = net.send_im(ALICE, GROUP, DispositionSet::EMPTY, "one");
    let second = net.send_im(BOB, GROUP, DispositionSet::EMPTY, "two");
    net.register(DAVE);
    let order: Vec<String> = net.rendered(DAVE).into_iter().map(|(_, id)| id).collect();
    assert_eq!(order, vec![first, second]);
    let deliveries: Vec<String> = net
        .wire
        .iter()
        .filter(|w| w.transmit.from == addr(14) || w.transmit.from == addr(4))
        .map(|w| w.start_line())
        .filter(|l| l.starts_with("MESSAGE sip:dave@10") || l.starts_with("SIP/2.0 200"))
        .collect();
    let firsts: Vec<usize> = deliveries
        .iter()
        .enumerate()
        .filter(|(_, l)| l.starts_with("MESSAGE"))
        .map(|(i, _)| i)
        .collect();
    assert_eq!(firsts.len(), 2);
    assert!(
        firsts[1] > firsts[0] + 1,
        "the second goes out after the first was answered"
    );
}

#[test]
fn deferred_expiry_sends_failed_only_when_negative_delivery_was_requested() {
    for (positive, negative) in [(true, false), (true, true), (false, true)] {
        let mut net = seed_net(Setup::default());
        let mut asked = DispositionSet::EMPTY;
        if positive {
            asked = asked.with(Disposition::PositiveDelivery);
        }
        if negative {
            asked = asked.with(Disposition::NegativeDelivery);
        }
        net.send_im(ALICE, GROUP, asked, "hi");
        net.run_for(600_000);
        assert_eq!(outcomes(&net), (0, 1));
        let expected: Vec<String> = if negative {
            vec!["failed".to_owned()]
        } else {
            vec![]
        };
        assert_eq!(
            statuses_for_dave(&net),
            expected,
            "negative-delivery requested: {negative}"
        );
        net.register(DAVE);
        assert!(
            net.rendered(DAVE).is_empty(),
            "an expired copy is never delivered"
        );
    }
}

#[test]
fn a_stored_notification_is_sent_only_when_processing_was_requested() {
    for processing in [false, true] {
        let mut net = seed_net(Setup {
            policy: imflow::node::ImdnPolicy::Individual,
            ..Setup::default()
        });
        let mut asked = DispositionSet::EMPTY.with(Disposition::PositiveDelivery);
        if processing {
            asked = asked.with(Disposition::Processing);
        }
        net.send_im(ALICE, GROUP, asked, "hi");
        net.run_for(10_000);
        let expected: Vec<String> = if processing {
            vec!["stored".to_owned()]
        } else {
            vec![]
        };
        assert_eq!(
            statuses_for_dave(&net),
            expected,
            "processing requested: {processing}"
        );
    }
}

#[test]
fn server_d_crashes_after_its_202_and_the_message_is_still_delivered_after_restart_and_register() {
    let mut net = seed_net(Setup::default());
    let id = net.send_im(ALICE, GROUP, positive(), "hi");
    let now = net.now;
    server_d(&mut net).crash_and_restart(now);
    assert_eq!(
        server_d(&mut net).deferred_store().len(),
        1,
        "the store is durable"
    );
    net.run_for(5_000);
    net.register(DAVE);
    assert_eq!(net.rendered(DAVE), vec![(ALICE.to_owned(), id)]);
    assert_eq!(outcomes(&net), (1, 0));
    assert_eq!(statuses_for_dave(&net), vec!["delivered".to_owned()]);
}

#[test]
fn a_crash_loses_the_registration_but_not_the_stored_copy() {
    let mut net = seed_net(Setup::default());
    net.send_im(ALICE, GROUP, DispositionSet::EMPTY, "hi");
    net.register(DAVE);
    assert!(server_d(&mut net).binding(DAVE).is_some());
    let now = net.now;
    server_d(&mut net).crash_and_restart(now);
    assert!(server_d(&mut net).binding(DAVE).is_none());
}

#[test]
fn expiry_racing_a_delivery_in_flight_has_exactly_one_outcome() {
    let mut net = seed_net(Setup {
        deferral_ms: 10_000,
        ..Setup::default()
    });
    let asked = DispositionSet::EMPTY
        .with(Disposition::PositiveDelivery)
        .with(Disposition::NegativeDelivery);
    net.send_im(ALICE, GROUP, asked, "hi");
    net.run_for(9_900);
    // The first delivery attempt to Dave is lost; its retransmission at +500 ms lands after
    // the copy's expiry (10 s), while the attempt is still in flight.
    let lost = std::rc::Rc::new(std::cell::Cell::new(false));
    let flag = lost.clone();
    net.drop_if = Box::new(move |t| {
        let delivery = t.from == addr(14) && t.to == addr(4) && t.bytes.starts_with(b"MESSAGE ");
        if delivery && !flag.get() {
            flag.set(true);
            return true;
        }
        false
    });
    net.register(DAVE);
    net.run_for(60_000);
    assert!(lost.get());
    assert_eq!(outcomes(&net), (1, 0), "delivered, not also expired");
    assert_eq!(
        statuses_for_dave(&net),
        vec!["delivered".to_owned()],
        "never failed too"
    );
}

#[test]
fn a_malformed_request_to_a_server_gets_400_and_nothing_accepted_is_lost() {
    let mut net = seed_net(Setup::default());
    net.send_im(ALICE, GROUP, DispositionSet::EMPTY, "hi");
    let now = net.now;
    let bad = b"MESSAGE sip:dave@epsilon.example SIP/2.0\r\nVia: SIP/2.0/UDP 10.0.0.20:5060;branch=z9hG4bK.bad\r\n\
        Max-Forwards: 70\r\nFrom: <sip:x@y>;tag=1\r\nTo: <sip:dave@epsilon.example>\r\nCall-ID: bad\r\n\
        CSeq: 99999999999 MESSAGE\r\nContent-Length: 0\r\n\r\n";
    let server = server_d(&mut net);
    server.handle_datagram(now, addr(CF_ADDR), Transport::Udp, bad);
    let reply = server.poll_transmit().expect("an answer");
    assert!(reply.bytes.starts_with(b"SIP/2.0 400 Bad Request\r\n"));
    assert!(matches!(
        server.poll_event(),
        Some(Event::MalformedInput { .. })
    ));
    assert_eq!(server.deferred_store().len(), 1);
    assert_eq!(server.poll_timeout().map(|t| t > Instant(0)), Some(true));
}

#[test]
fn an_im_for_a_user_with_copies_waiting_is_stored_behind_them() {
    let mut net = seed_net(Setup::default());
    let first = net.send_im(ALICE, GROUP, DispositionSet::EMPTY, "one");
    // Dave registers but the first delivery attempt is lost: the copy stays in flight while
    // Bob's IM arrives, which must not overtake it.
    let lost = std::rc::Rc::new(std::cell::Cell::new(false));
    let flag = lost.clone();
    net.drop_if = Box::new(move |t| {
        let delivery = t.from == addr(14) && t.to == addr(4) && t.bytes.starts_with(b"MESSAGE ");
        if delivery && !flag.get() {
            flag.set(true);
            return true;
        }
        false
    });
    net.register(DAVE);
    let second = net.send_im(BOB, GROUP, DispositionSet::EMPTY, "two");
    net.run_for(10_000);
    assert!(lost.get());
    let order: Vec<String> = net.rendered(DAVE).into_iter().map(|(_, id)| id).collect();
    assert_eq!(order, vec![first, second]);
    assert_eq!(outcomes(&net), (2, 0));
}

#[test]
fn a_register_for_another_domain_is_answered_404() {
    let mut net = Net::new(Setup::default());
    let register = "REGISTER sip:beta.example SIP/2.0\r\n\
        Via: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bK.r-foreign\r\nMax-Forwards: 70\r\n\
        From: <sip:bob@beta.example>;tag=r1\r\nTo: <sip:bob@beta.example>\r\nCall-ID: r-foreign\r\n\
        CSeq: 1 REGISTER\r\nContact: <sip:bob@10.0.0.1:5060>\r\nExpires: 3600\r\n\
        Content-Length: 0\r\n\r\n";
    let server_a = net.pfs.get_mut("im.alpha.example").expect("server A");
    server_a.handle_datagram(Instant(0), addr(1), Transport::Udp, register.as_bytes());
    let answer = server_a.poll_transmit().expect("an answer");
    assert!(
        String::from_utf8_lossy(&answer.bytes).starts_with("SIP/2.0 404 Not Found\r\n"),
        "{}",
        String::from_utf8_lossy(&answer.bytes)
    );
    assert!(server_a.binding(BOB).is_none());
}

#[test]
fn a_binding_ends_at_the_instant_its_lifetime_runs_out() {
    let mut net = Net::new(Setup::default());
    net.register(DAVE);
    let server = server_d(&mut net);
    let ends = server.binding(DAVE).expect("bound").expires_at;
    server.handle_timeout(Instant(ends.0 - 1));
    assert!(server.binding(DAVE).is_some(), "still bound just before");
    server.handle_timeout(ends);
    assert!(
        server.binding(DAVE).is_none(),
        "gone at the instant it ends"
    );
    assert_eq!(server.poll_timeout(), None);
}

/// Dave registers with Server D holding Alice's IM for him, and every MESSAGE from D to Dave
/// is lost: D's delivery of the stored copy times out (Timer F, 64·T1 = 32 s).
fn stored_delivery_times_out(deferral_ms: u64) -> Net {
    let mut net = seed_net(Setup {
        deferral_ms,
        ..Setup::default()
    });
    net.send_im(ALICE, GROUP, positive(), "Summit at noon.");
    assert_eq!(server_d(&mut net).deferred_store().len(), 1);
    net.drop_if =
        Box::new(|t| t.from == addr(14) && t.to == addr(4) && t.bytes.starts_with(b"MESSAGE"));
    net.register(DAVE);
    net.run_for(40_000);
    net
}

#[test]
fn a_stored_copy_whose_delivery_times_out_within_its_lifetime_waits_for_the_next_register() {
    let mut net = stored_delivery_times_out(600_000);
    assert_eq!(outcomes(&net), (0, 0), "neither delivered nor expired");
    assert_eq!(server_d(&mut net).deferred_store().len(), 1, "still held");
    net.drop_if = Box::new(|_| false);
    net.register(DAVE);
    assert_eq!(outcomes(&net), (1, 0), "delivered after the next REGISTER");
}

#[test]
fn a_stored_copy_whose_delivery_times_out_after_its_lifetime_expires_then() {
    let mut net = stored_delivery_times_out(20_000);
    assert_eq!(outcomes(&net), (0, 1), "expired when the delivery failed");
    assert_eq!(server_d(&mut net).deferred_store().len(), 0);
}
