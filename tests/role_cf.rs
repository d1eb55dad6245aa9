//! The Controlling Function: membership, fan-out, dedupe, IMDN checks and aggregation.

use crate::common;
use crate::role_support;
use common::broken_imdn::IMDN_WITH_MISMATCHED_END_TAG;
use imflow::cpim::{Disposition, DispositionSet};
use imflow::node::{
    ControllingFunction, ControllingFunctionConfig, Event, ImdnPolicy, Instant, Leg, Node,
    Transmit, Transport,
};
use role_support::*;
use std::cell::Cell;
use std::rc::Rc;

fn cf() -> ControllingFunction {
    ControllingFunction::new(group_cf_config(3))
}

fn drain(node: &mut dyn Node) -> Vec<Transmit> {
    let mut t = Vec::new();
    while let Some(x) = node.poll_transmit() {
        t.push(x);
    }
    t
}

fn text(t: &Transmit) -> String {
    String::from_utf8_lossy(&t.bytes).into_owned()
}

/// An IM from `sender` to `uri` as Server A forwards it.
fn im(uri: &str, sender: &str, branch: &str, message_id: &str) -> Vec<u8> {
    let cpim = format!(
        "From: <{sender}>\r\nTo: Climbers <{uri}>\r\nDateTime: 2024-03-18T09:30:05+01:00\r\n\
         NS: imdn <urn:ietf:params:imdn>\r\nimdn.Message-ID: {message_id}\r\n\
         imdn.Disposition-Notification: positive-delivery\r\n\r\n\
         Content-Type: text/plain; charset=utf-8\r\n\r\nSummit at noon, bring ropes."
    );
    format!(
        "MESSAGE {uri} SIP/2.0\r\nVia: SIP/2.0/UDP 10.0.0.11:5060;branch={branch}\r\n\
         Via: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bK.ua\r\nMax-Forwards: 69\r\n\
         From: <{sender}>;tag=7c1e55\r\nTo: <{uri}>\r\nCall-ID: 5b2e8f0a91@ua-a\r\nCSeq: 301 MESSAGE\r\n\
         Content-Type: message/cpim\r\nContent-Length: {}\r\n\r\n{cpim}",
        cpim.len()
    )
    .into_bytes()
}

#[test]
fn a_non_member_gets_403_and_nobody_receives_anything() {
    let mut cf = cf();
    cf.handle_datagram(
        Instant(0),
        addr(11),
        Transport::Udp,
        &im(GROUP, EVE, "z9hG4bK.e1", "e1"),
    );
    let out = drain(&mut cf);
    assert_eq!(out.len(), 1);
    assert!(text(&out[0]).starts_with("SIP/2.0 403 Forbidden\r\n"));
    assert_eq!(cf.message_state_count(), 0, "no state for a refused IM");
}

#[test]
fn an_unknown_group_gets_404() {
    let mut cf = cf();
    let uri = "sip:hikers@conf.gamma.example";
    cf.handle_datagram(
        Instant(0),
        addr(11),
        Transport::Udp,
        &im(uri, ALICE, "z9hG4bK.n1", "n1"),
    );
    let out = drain(&mut cf);
    assert_eq!(out.len(), 1);
    assert!(text(&out[0]).starts_with("SIP/2.0 404 Not Found\r\n"));
}

#[test]
fn the_fan_out_skips_the_sender_rewrites_cpim_to_and_adds_original_to_and_imdn_record_route() {
    let mut cf = cf();
    let received = im(GROUP, ALICE, "z9hG4bK.a1", "Xk3q9TzQ2mPw");
    cf.handle_datagram(Instant(0), addr(11), Transport::Udp, &received);
    let out = drain(&mut cf);
    assert!(text(&out[0]).starts_with("SIP/2.0 202 Accepted\r\n"));
    let legs: Vec<&Transmit> = out[1..].iter().collect();
    let targets: Vec<String> = legs
        .iter()
        .map(|t| text(t).lines().next().unwrap_or("").to_owned())
        .collect();
    assert_eq!(
        targets,
        vec![
            format!("MESSAGE {BOB} SIP/2.0"),
            format!("MESSAGE {CAROL} SIP/2.0"),
            format!("MESSAGE {DAVE} SIP/2.0"),
        ]
    );
    assert_eq!(
        legs.iter().map(|t| t.to).collect::<Vec<_>>(),
        vec![addr(12), addr(13), addr(14)]
    );
    let bob_leg = text(legs[0]);
    let body = bob_leg
        .split("\r\n\r\n")
        .skip(1)
        .collect::<Vec<_>>()
        .join("\r\n\r\n");
    assert_eq!(
        body,
        "From: <sip:alice@alpha.example>\r\nTo: <sip:bob@beta.example>\r\n\
         DateTime: 2024-03-18T09:30:05+01:00\r\nNS: imdn <urn:ietf:params:imdn>\r\n\
         imdn.Message-ID: Xk3q9TzQ2mPw\r\nimdn.Disposition-Notification: positive-delivery\r\n\
         imdn.Original-To: Climbers <sip:climbers@conf.gamma.example>\r\n\
         imdn.IMDN-Record-Route: <sip:imdn@cf.gamma.example>\r\n\r\n\
         Content-Type: text/plain; charset=utf-8\r\n\r\nSummit at noon, bring ropes."
    );
    assert!(bob_leg.contains("\r\nFrom: <sip:alice@alpha.example>;tag="));
    assert!(!bob_leg.contains("tag=7c1e55"), "a new From tag per leg");
}

#[test]
fn an_im_resent_in_a_new_transaction_gets_202_again_and_no_new_fan_out() {
    let mut cf = cf();
    cf.handle_datagram(
        Instant(0),
        addr(11),
        Transport::Udp,
        &im(GROUP, ALICE, "z9hG4bK.a1", "m1"),
    );
    assert_eq!(drain(&mut cf).len(), 4);
    cf.handle_datagram(
        Instant(0).plus_millis(100),
        addr(11),
        Transport::Udp,
        &im(GROUP, ALICE, "z9hG4bK.a2", "m1"),
    );
    let out = drain(&mut cf);
    assert_eq!(out.len(), 1);
    assert!(text(&out[0]).starts_with("SIP/2.0 202 Accepted"));
    let state = cf.message_state(ALICE, "m1").expect("kept");
    assert!(state.legs().all(|(_, l)| l == Leg::Pending));
}

#[test]
fn a_duplicated_imdn_reaches_the_sender_once() {
    let mut net = seed_net(Setup {
        policy: ImdnPolicy::Individual,
        ..Setup::default()
    });
    // Every IMDN MESSAGE Server B forwards to the CF is duplicated into a new transaction by
    // re-sending Bob's IMDN once more from Bob's UA after the first one completed.
    let id = net.send_im(ALICE, GROUP, positive(), "hi");
    let bob_imdn = net
        .wire_between(2, 12)
        .into_iter()
        .find(|w| w.start_line().starts_with("MESSAGE sip:imdn@"))
        .map(|w| w.transmit.bytes.clone())
        .expect("Bob's IMDN");
    let resent =
        String::from_utf8_lossy(&bob_imdn).replacen("branch=z9hG4bK", "branch=z9hG4bKdup", 1);
    let now = net.now;
    net.pfs
        .get_mut("im.beta.example")
        .expect("server B")
        .handle_datagram(now, addr(2), Transport::Udp, resent.as_bytes());
    net.run_for(60_000);
    let bobs: Vec<_> = net
        .imdns(ALICE)
        .into_iter()
        .filter(|(m, r, _)| *m == id && r == BOB)
        .collect();
    assert_eq!(bobs.len(), 1);
}

#[test]
fn the_aggregation_timer_flushes_a_partial_batch_and_the_late_imdn_is_forwarded_alone() {
    let mut net = seed_net(Setup::default());
    // Carol's first five IMDN transmissions are lost (0, 0.5, 1.5, 3.5, 7.5 s): the sixth,
    // at 11.5 s, arrives after the 5 s flush timer.
    let lost = Rc::new(Cell::new(0));
    let counter = lost.clone();
    net.drop_if = Box::new(move |t| {
        let is_carol_imdn = t.from == addr(3) && t.bytes.starts_with(b"MESSAGE sip:imdn@");
        if is_carol_imdn && counter.get() < 5 {
            counter.set(counter.get() + 1);
            return true;
        }
        false
    });
    let id = net.send_im(ALICE, GROUP, positive(), "hi");
    net.run_for(60_000);
    assert_eq!(lost.get(), 5);
    let to_a: Vec<&Wire> = net
        .wire_between(CF_ADDR, 11)
        .into_iter()
        .filter(|w| w.start_line().starts_with("MESSAGE"))
        .collect();
    assert_eq!(to_a.len(), 2, "Bob's partial batch, then Carol's alone");
    assert_eq!(to_a[0].at, Instant(0).plus_millis(5_000));
    assert!(to_a[0]
        .text()
        .contains("<recipient-uri>sip:bob@beta.example</recipient-uri>"));
    assert!(!to_a[0].text().contains("carol"));
    assert_eq!(to_a[1].at, Instant(0).plus_millis(11_500));
    assert!(to_a[1]
        .text()
        .contains("<recipient-uri>sip:carol@delta.example</recipient-uri>"));
    assert!(!to_a[1].text().contains("multipart/mixed"));
    let mut got = net.imdns(ALICE);
    got.sort();
    assert_eq!(
        got,
        vec![
            (id.clone(), BOB.to_owned(), "delivered".to_owned()),
            (id, CAROL.to_owned(), "delivered".to_owned())
        ]
    );
}

#[test]
fn individual_forwarding_sends_each_imdn_on_its_own() {
    let mut net = seed_net(Setup {
        policy: ImdnPolicy::Individual,
        ..Setup::default()
    });
    net.send_im(ALICE, GROUP, positive(), "hi");
    let to_a: Vec<&Wire> = net
        .wire_between(CF_ADDR, 11)
        .into_iter()
        .filter(|w| w.start_line().starts_with("MESSAGE"))
        .collect();
    assert_eq!(to_a.len(), 2);
    assert!(to_a.iter().all(|w| !w.text().contains("multipart/mixed")));
}

#[test]
fn a_failed_leg_is_reported_failed_iff_negative_delivery_was_requested() {
    for negative in [false, true] {
        let mut net = seed_net(Setup::default());
        net.drop_if = Box::new(|t| t.to == addr(14));
        let mut asked = DispositionSet::EMPTY.with(Disposition::PositiveDelivery);
        if negative {
            asked = asked.with(Disposition::NegativeDelivery);
        }
        let id = net.send_im(ALICE, GROUP, asked, "hi");
        net.run_for(60_000);
        let failed: Vec<_> = net
            .imdns(ALICE)
            .into_iter()
            .filter(|(_, r, s)| r == DAVE && s == "failed")
            .collect();
        assert_eq!(
            failed.len(),
            usize::from(negative),
            "negative-delivery requested: {negative}"
        );
        assert_eq!(
            net.cf.message_state(ALICE, &id).and_then(|s| s.leg(DAVE)),
            Some(Leg::Failed)
        );
        assert!(net.wire.iter().all(|w| !w.start_line().contains(" 408 ")));
    }
}

#[test]
fn imdns_from_someone_else_or_of_an_unrequested_kind_are_consumed() {
    let mut net = seed_net(Setup::default());
    let id = net.send_im(ALICE, GROUP, positive(), "hi");
    let before = net.imdns(ALICE).len();
    let forged = |from: &str, recipient: &str, status: &str, kind: &str| {
        let xml = format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<imdn xmlns=\"urn:ietf:params:xml:ns:imdn\">\n\
             <message-id>{id}</message-id>\n<datetime>2024-03-18T08:30:05.000Z</datetime>\n\
             <recipient-uri>{recipient}</recipient-uri>\n<original-recipient-uri>{GROUP}</original-recipient-uri>\n\
             <{kind}><status><{status}/></status></{kind}>\n</imdn>"
        );
        let cpim = format!(
            "From: <{from}>\r\nTo: <{ALICE}>\r\nNS: imdn <urn:ietf:params:imdn>\r\nimdn.Message-ID: f-{status}\r\n\
             imdn.IMDN-Route: <{CF_IMDN}>\r\n\r\nContent-Type: message/imdn+xml\r\n\
             Content-Disposition: notification\r\n\r\n{xml}"
        );
        format!(
            "MESSAGE {CF_IMDN} SIP/2.0\r\nVia: SIP/2.0/UDP 10.0.0.11:5060;branch=z9hG4bK.f-{}-{status}\r\n\
             Max-Forwards: 69\r\nFrom: <{from}>;tag=f1\r\nTo: <{ALICE}>\r\nCall-ID: f-{status}\r\n\
             CSeq: 1 MESSAGE\r\nContent-Type: message/cpim\r\nContent-Length: {}\r\n\r\n{cpim}",
            from.len(),
            cpim.len()
        )
    };
    let now = net.now;
    for bytes in [
        forged(EVE, DAVE, "delivered", "delivery-notification"),
        forged(DAVE, DAVE, "displayed", "display-notification"),
        forged(BOB, BOB, "delivered", "delivery-notification"),
    ] {
        net.cf
            .handle_datagram(now, addr(11), Transport::Udp, bytes.as_bytes());
        let out = drain(&mut net.cf);
        assert!(
            text(&out[0]).starts_with("SIP/2.0 202 Accepted"),
            "the CF relays: 202"
        );
        assert_eq!(out.len(), 1, "nothing forwarded");
    }
    net.run_for(60_000);
    assert_eq!(net.imdns(ALICE).len(), before);
    assert_eq!(
        net.count_events(|e| matches!(e, Event::MalformedInput { .. })),
        0
    );
}

#[test]
fn message_state_must_outlive_the_longest_deferral() {
    let mut config = ControllingFunctionConfig::new("cf.gamma.example", addr(CF_ADDR), 3);
    config.message_state_lifetime_ms = 600_000;
    assert!(config.check_state_outlives_deferral(600_000).is_err());
    assert!(config.check_state_outlives_deferral(500_000).is_ok());
    // The state must strictly outlive the deferral plus two Timer F intervals of slack.
    let slack_ms = 2 * config.timers.timer_f_ms();
    let equal = config.check_state_outlives_deferral(600_000 - slack_ms);
    let Err(too_short) = equal else {
        panic!("a lifetime equal to deferral plus slack is too short");
    };
    assert_eq!(
        too_short.to_string(),
        "message state lifetime 600000 ms does not exceed deferral plus slack 600000 ms"
    );
    assert!(config
        .check_state_outlives_deferral(600_000 - slack_ms - 1)
        .is_ok());
}

#[test]
fn the_cf_sleeps_until_its_im_state_expires_then_frees_it_and_sleeps_for_good() {
    let mut net = seed_net(Setup::default());
    let accepted_at = net.now;
    net.send_im(ALICE, GROUP, positive(), "hi");
    net.run_for(120_000);
    assert_eq!(net.cf.message_state_count(), 1);
    let lifetime_ms = Setup::default().cf_state_ms;
    assert_eq!(
        net.cf.poll_timeout(),
        Some(accepted_at.plus_millis(lifetime_ms))
    );
    net.run_for(lifetime_ms);
    assert_eq!(net.cf.message_state_count(), 0);
    assert_eq!(net.cf.poll_timeout(), None);
}

#[test]
fn a_cf_crash_loses_every_ims_state_and_its_timers() {
    let mut net = seed_net(Setup::default());
    net.send_im(ALICE, GROUP, positive(), "hi");
    net.run_for(120_000);
    assert_eq!(net.cf.message_state_count(), 1);
    assert!(net.cf.poll_timeout().is_some());
    let now = net.now;
    net.cf.crash_and_restart(now);
    assert_eq!(net.cf.message_state_count(), 0);
    assert_eq!(net.cf.poll_timeout(), None);
}

#[test]
fn a_notification_whose_xml_breaks_is_refused_400_naming_the_byte_in_the_datagram() {
    use imflow::diagnostic::Diagnostic;
    let xml = IMDN_WITH_MISMATCHED_END_TAG;
    let inner = imflow::imdn::parse(xml.as_bytes()).expect_err("a mismatched end tag");
    let cpim = format!(
        "From: <{BOB}>\r\nTo: <{ALICE}>\r\nNS: imdn <urn:ietf:params:imdn>\r\nimdn.Message-ID: n1\r\n\
         imdn.IMDN-Route: <{CF_IMDN}>\r\n\r\nContent-Type: message/imdn+xml\r\n\
         Content-Disposition: notification\r\n\r\n{xml}"
    );
    let bytes = format!(
        "MESSAGE {CF_IMDN} SIP/2.0\r\nVia: SIP/2.0/UDP 10.0.0.12:5060;branch=z9hG4bK.bad-xml\r\n\
         Max-Forwards: 69\r\nFrom: <{BOB}>;tag=b1\r\nTo: <{ALICE}>\r\nCall-ID: bad-xml\r\n\
         CSeq: 1 MESSAGE\r\nContent-Type: message/cpim\r\nContent-Length: {}\r\n\r\n{cpim}",
        cpim.len()
    );
    let expected = bytes.find(xml).expect("the XML is in the datagram") + inner.offset();
    let mut cf = cf();
    cf.handle_datagram(Instant(0), addr(12), Transport::Udp, bytes.as_bytes());
    let answer = cf.poll_transmit().expect("an answer");
    assert!(answer.bytes.starts_with(b"SIP/2.0 400 "));
    match cf.poll_event() {
        Some(Event::MalformedInput { rule, offset, .. }) => {
            assert_eq!(rule, inner.rule());
            assert_eq!(offset, expected);
        }
        other => panic!("expected MalformedInput, got {other:?}"),
    }
}
