//! The Controlling Function handles the IM states that come due at one instant in the order
//! of their keys (sender, then Message-ID), whatever order the IMs arrived in.

use crate::role_support;
use imflow::node::{ControllingFunction, Event, Instant, Node, Transport};
use role_support::*;

/// How long the CF keeps an IM's state here, in milliseconds.
const STATE_LIFETIME_MS: u64 = 100_000;

fn cf() -> ControllingFunction {
    let mut config = group_cf_config(3);
    config.message_state_lifetime_ms = STATE_LIFETIME_MS;
    ControllingFunction::new(config)
}

/// An IM from `sender` to the group as Server A forwards it.
fn im(sender: &str, branch: &str, message_id: &str) -> Vec<u8> {
    let cpim = format!(
        "From: <{sender}>\r\nTo: Climbers <{GROUP}>\r\nDateTime: 2024-03-18T09:30:05+01:00\r\n\
         NS: imdn <urn:ietf:params:imdn>\r\nimdn.Message-ID: {message_id}\r\n\
         imdn.Disposition-Notification: positive-delivery\r\n\r\n\
         Content-Type: text/plain; charset=utf-8\r\n\r\nSummit at noon."
    );
    format!(
        "MESSAGE {GROUP} SIP/2.0\r\nVia: SIP/2.0/UDP 10.0.0.11:5060;branch={branch}\r\n\
         Max-Forwards: 69\r\nFrom: <{sender}>;tag=7c1e55\r\nTo: <{GROUP}>\r\n\
         Call-ID: 5b2e8f0a91@ua-a\r\nCSeq: 301 MESSAGE\r\n\
         Content-Type: message/cpim\r\nContent-Length: {}\r\n\r\n{cpim}",
        cpim.len()
    )
    .into_bytes()
}

#[test]
fn states_due_at_one_instant_are_freed_in_the_order_of_sender_and_message_id() {
    let mut cf = cf();
    let accepted = [
        (DAVE, "m2"),
        (ALICE, "m9"),
        (CAROL, "m1"),
        (ALICE, "m10"),
        (BOB, "m5"),
        (CAROL, "m0"),
        (ALICE, "m3"),
    ];
    for (i, (sender, id)) in accepted.iter().enumerate() {
        let branch = format!("z9hG4bK.s{i}");
        cf.handle_datagram(
            Instant(0),
            addr(11),
            Transport::Udp,
            &im(sender, &branch, id),
        );
    }
    assert_eq!(cf.message_state_count(), accepted.len());
    // Every leg times out unanswered; then every state comes due at the same instant.
    let free_at = Instant(0).plus_millis(STATE_LIFETIME_MS);
    while let Some(at) = cf.poll_timeout().filter(|&at| at <= free_at) {
        cf.handle_timeout(at);
        while cf.poll_transmit().is_some() {}
    }
    assert_eq!(cf.message_state_count(), 0);
    let mut freed = Vec::new();
    while let Some(event) = cf.poll_event() {
        if let Event::MessageStateFreed { message_id } = event {
            freed.push(message_id);
        }
    }
    let mut by_key = accepted.to_vec();
    by_key.sort();
    let expected: Vec<String> = by_key.iter().map(|(_, id)| (*id).to_owned()).collect();
    assert_eq!(freed, expected);
}
