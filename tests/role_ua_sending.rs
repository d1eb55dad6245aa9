//! The user agent as a sender, driven by hand: an IM carries no Contact, and requests to one
//! destination go one at a time, the next ones queued up to a bound and refused past it.

use crate::ua_alone;
use imflow::cpim::{Disposition, DispositionSet};
use imflow::node::{Event, Instant, Node, Transport};
use ua_alone::*;

#[test]
fn a_message_carries_no_contact_and_a_second_one_to_the_same_uri_waits_for_the_first() {
    let mut ua = bob();
    let group = "sip:climbers@conf.gamma.example";
    let asked = DispositionSet::EMPTY
        .with(Disposition::PositiveDelivery)
        .with(Disposition::NegativeDelivery);
    let first = ua.send_im(Instant(0), group, asked, "one").expect("sent");
    ua.send_im(Instant(0), group, DispositionSet::EMPTY, "two")
        .expect("queued");
    ua.send_im(
        Instant(0),
        "sip:carol@delta.example",
        DispositionSet::EMPTY,
        "three",
    )
    .expect("sent");
    let (out, _) = drain(&mut ua);
    assert_eq!(out.len(), 2, "the second IM to the group waits");
    let m = text(&out[0]);
    assert!(!m.to_ascii_lowercase().contains("\r\ncontact:"));
    assert!(m.contains(&format!("imdn.Message-ID: {first}\r\n")));
    assert!(
        m.contains("imdn.Disposition-Notification: positive-delivery, negative-delivery\r\n")
            || m.contains("imdn.Disposition-Notification: positive-delivery,negative-delivery\r\n")
    );
    assert!(m.contains("DateTime: 2024-03-18T08:30:05.000Z\r\n"));
    assert!(first.len() * 4 >= 64, "at least 64 random bits");
    // The 202 for the first releases the second.
    let branch = m
        .split("branch=")
        .nth(1)
        .and_then(|r| r.split("\r\n").next())
        .unwrap_or("");
    let call_id = m
        .split("Call-ID: ")
        .nth(1)
        .and_then(|r| r.split("\r\n").next())
        .unwrap_or("");
    let from = m
        .split("\r\nFrom: ")
        .nth(1)
        .and_then(|r| r.split("\r\n").next())
        .unwrap_or("");
    let accepted = format!(
        "SIP/2.0 202 Accepted\r\nVia: SIP/2.0/UDP 10.0.0.2:5060;branch={branch}\r\nFrom: {from}\r\n\
         To: <{group}>;tag=g1\r\nCall-ID: {call_id}\r\nCSeq: 1 MESSAGE\r\nContent-Length: 0\r\n\r\n"
    );
    ua.handle_datagram(
        Instant(0).plus_millis(10),
        addr(12),
        Transport::Udp,
        accepted.as_bytes(),
    );
    let (out, events) = drain(&mut ua);
    assert!(events.contains(&Event::ImAnswered {
        user: BOB.to_owned(),
        message_id: first,
        status: 202
    }));
    assert_eq!(out.len(), 1);
    assert!(text(&out[0]).contains("\r\n\r\ntwo"));
}

#[test]
fn a_full_queue_for_one_destination_refuses_the_next_im_and_says_why() {
    use imflow::node::{UserAgentError, QUEUED_REQUESTS_PER_DESTINATION_MAX};
    let mut ua = bob();
    let to = "sip:alice@alpha.example";
    // One MESSAGE in flight, then the queue behind it fills up.
    for _ in 0..=QUEUED_REQUESTS_PER_DESTINATION_MAX {
        ua.send_im(Instant(0), to, DispositionSet::EMPTY, "hi")
            .expect("queued");
    }
    let refused = ua.send_im(Instant(0), to, DispositionSet::EMPTY, "one more");
    let Err(UserAgentError::Outbox(full)) = refused else {
        panic!("the queue is full: {refused:?}");
    };
    assert_eq!(full.destination, to);
    assert_eq!(
        full.to_string(),
        format!("more than {QUEUED_REQUESTS_PER_DESTINATION_MAX} requests queued for {to}")
    );
}
