//! A MESSAGE nobody answers: the sender's own timer F yields a local 408; no element ever
//! puts a 408 on the wire (RFC 4320 section 4.2), and the proxy drops its server transaction.

use crate::role_support;
use imflow::node::Event;
use role_support::*;

#[test]
fn an_unanswered_message_times_out_locally_and_nobody_sends_408() {
    let mut net = seed_net(Setup::default());
    // The CF is unreachable: everything sent to it is lost.
    net.drop_if = Box::new(|t| t.to == addr(CF_ADDR));
    let id = net.send_im(ALICE, GROUP, positive(), "anyone?");
    net.run_for(70_000);
    let retransmissions = net
        .wire_between(11, CF_ADDR)
        .iter()
        .filter(|w| w.start_line().starts_with("MESSAGE"))
        .count();
    assert_eq!(
        retransmissions, 11,
        "the first send and ten timer-E retransmissions"
    );
    assert!(net.wire.iter().all(|w| !w.start_line().contains(" 408 ")));
    assert!(net.events.contains(&Event::ImAnswered {
        user: ALICE.to_owned(),
        message_id: id,
        status: 408
    }));
    assert_eq!(
        net.count_events(
            |e| matches!(e, Event::TransactionTimedOut { method, .. } if method == "MESSAGE")
        ),
        2,
        "Server A's and Alice's client transactions"
    );
}
