//! The participating function and IMDNs for its own users: an IMDN is never refused because
//! stored copies are being delivered, and an IMDN for a user whose binding was lost is deferred
//! like an IM (protocol.md section 10, decision 6) without ever causing an IMDN itself (S6).

use crate::role_support;
use imflow::cpim::{Disposition, DispositionSet};
use imflow::imdn::{DeliveryStatus, Notification, ProcessingStatus};
use imflow::node::{Event, ImdnPolicy, Node, ParticipatingFunction};
use role_support::*;

const SERVER_A: &str = "im.alpha.example";
const SERVER_A_ADDR: u8 = 11;
const ALICE_ADDR: u8 = 1;

fn server_a(net: &mut Net) -> &mut ParticipatingFunction {
    net.pfs.get_mut(SERVER_A).expect("server A")
}

fn forward_each() -> Setup {
    Setup {
        policy: ImdnPolicy::Individual,
        ..Setup::default()
    }
}

/// Every (recipient, status) Alice learned about `id`.
fn alice_learned(net: &Net, id: &str) -> Vec<(String, String)> {
    let mut learned: Vec<(String, String)> = net
        .imdns(ALICE)
        .into_iter()
        .filter(|(m, _, _)| m == id)
        .map(|(_, r, s)| (r, s))
        .collect();
    learned.sort();
    learned
}

fn delivered_by(recipients: &[&str]) -> Vec<(String, String)> {
    recipients
        .iter()
        .map(|r| ((*r).to_owned(), "delivered".to_owned()))
        .collect()
}

/// The Call-ID of a message on the wire.
fn call_id(w: &Wire) -> String {
    w.text()
        .lines()
        .find_map(|l| l.strip_prefix("Call-ID: "))
        .unwrap_or("")
        .to_owned()
}

/// Whether Server A ever had two MESSAGEs towards Alice unanswered at once (S12); the first
/// `lost` 200s from Alice never arrived.
fn two_pending_towards_alice(net: &Net, mut lost: usize) -> bool {
    let mut sent: Vec<String> = Vec::new();
    let mut answered: Vec<String> = Vec::new();
    for w in &net.wire {
        let (from, to) = (w.transmit.from, w.transmit.to);
        if from == addr(SERVER_A_ADDR) && to == addr(ALICE_ADDR) {
            let id = call_id(w);
            if w.start_line().starts_with("MESSAGE") && !sent.contains(&id) {
                if sent.iter().any(|s| !answered.contains(s)) {
                    return true;
                }
                sent.push(id);
            }
        } else if from == addr(ALICE_ADDR)
            && to == addr(SERVER_A_ADDR)
            && w.start_line().starts_with("SIP/2.0 200")
        {
            if lost == 0 {
                answered.push(call_id(w));
            }
            lost = lost.saturating_sub(1);
        }
    }
    false
}

fn refusals_by_server_a(net: &Net) -> usize {
    net.wire_between(SERVER_A_ADDR, CF_ADDR)
        .iter()
        .filter(|w| w.start_line().starts_with("SIP/2.0 480"))
        .count()
}

#[test]
fn an_imdn_for_a_registered_user_whose_stored_copy_is_in_delivery_is_relayed_after_it() {
    let mut net = Net::new(forward_each());
    for aor in [BOB, CAROL, DAVE] {
        net.register(aor);
    }
    // Alice is offline: Server A stores Bob's IM for her.
    net.send_im(BOB, GROUP, DispositionSet::EMPTY, "rope check at six");
    assert_eq!(server_a(&mut net).deferred_store().len(), 1);
    // Alice registers; her first 200 to the stored copy is lost, so its delivery stays in flight.
    let mut first_answer = true;
    net.drop_if = Box::new(move |t| {
        let answer = t.from == addr(ALICE_ADDR)
            && t.to == addr(SERVER_A_ADDR)
            && t.bytes.starts_with(b"SIP/2.0 200");
        let lose = answer && first_answer;
        first_answer &= !answer;
        lose
    });
    net.register(ALICE);
    assert_eq!(server_a(&mut net).deferred_store().len(), 1, "in flight");
    // Alice's own IM: Bob's and Carol's `delivered` reach Server A during that delivery.
    let seen = net.wire.len();
    let id = net.send_im(ALICE, GROUP, positive(), "summit at noon");
    net.run_for(40_000);
    assert_eq!(refusals_by_server_a(&net), 0, "no IMDN refused with 480");
    let stored_by_a = net.wire[seen..]
        .iter()
        .filter(|w| w.transmit.from == addr(SERVER_A_ADDR) && w.transmit.to == addr(CF_ADDR))
        .filter(|w| w.start_line().starts_with("SIP/2.0 202"))
        .count();
    assert_eq!(
        stored_by_a, 0,
        "an IMDN is relayed to a bound user, never stored (202)"
    );
    assert_eq!(alice_learned(&net, &id), delivered_by(&[BOB, CAROL, DAVE]));
    assert_eq!(server_a(&mut net).deferred_store().len(), 0);
    let towards_alice = net
        .wire_between(SERVER_A_ADDR, ALICE_ADDR)
        .iter()
        .filter(|w| w.start_line().starts_with("MESSAGE"))
        .map(|w| call_id(w))
        .collect::<std::collections::BTreeSet<_>>()
        .len();
    assert_eq!(towards_alice, 4, "the stored copy and three IMDNs");
    assert!(
        !two_pending_towards_alice(&net, 1),
        "one MESSAGE pending at a time"
    );
}

/// The seed cast; Server A crashes, so Alice's binding is lost; Alice sends an IM with `asked`.
fn imdns_while_alice_is_unbound(asked: DispositionSet) -> (Net, String) {
    let mut net = seed_net(forward_each());
    let now = net.now;
    server_a(&mut net).crash_and_restart(now);
    assert!(server_a(&mut net).binding(ALICE).is_none());
    let id = net.send_im(ALICE, GROUP, asked, "summit at noon");
    net.run_for(10_000);
    (net, id)
}

fn stored_at_server_a(net: &Net) -> usize {
    net.count_events(
        |e| matches!(e, Event::Stored { server, user, .. } if server == SERVER_A && user == ALICE),
    )
}

/// Every IMDN status Server A itself generated (it never should for a stored IMDN, S6).
fn generated_by_server_a(net: &Net) -> Vec<String> {
    net.wire_between(SERVER_A_ADDR, CF_ADDR)
        .iter()
        .filter(|w| w.start_line().starts_with("MESSAGE"))
        .filter_map(|w| {
            let text = w.text();
            [
                Notification::Processing(ProcessingStatus::Stored),
                Notification::Delivery(DeliveryStatus::Failed),
            ]
            .iter()
            .map(|n| n.status_element())
            .find(|name| text.contains(&format!("<{name}/>")))
            .map(str::to_owned)
        })
        .collect()
}

#[test]
fn an_imdn_for_a_user_whose_binding_was_lost_is_stored_and_delivered_after_register() {
    let asked = DispositionSet::EMPTY
        .with(Disposition::PositiveDelivery)
        .with(Disposition::NegativeDelivery)
        .with(Disposition::Processing);
    let (mut net, id) = imdns_while_alice_is_unbound(asked);
    assert_eq!(refusals_by_server_a(&net), 0, "no IMDN refused with 480");
    assert!(
        alice_learned(&net, &id).is_empty(),
        "Alice is not bound yet"
    );
    // Bob's and Carol's `delivered`, and Server D's `stored` for Dave, who is offline.
    assert_eq!(stored_at_server_a(&net), 3);
    assert_eq!(server_a(&mut net).deferred_store().len(), 3);
    net.register(ALICE);
    net.run_for(10_000);
    let mut expected = delivered_by(&[BOB, CAROL]);
    expected.push((DAVE.to_owned(), "stored".to_owned()));
    assert_eq!(alice_learned(&net, &id), expected);
    let delivered = net.count_events(
        |e| matches!(e, Event::StoredDelivered { server, user, .. } if server == SERVER_A && user == ALICE),
    );
    assert_eq!(delivered, 3);
    assert_eq!(server_a(&mut net).deferred_store().len(), 0);
    assert!(
        generated_by_server_a(&net).is_empty(),
        "no IMDN about an IMDN"
    );
}

#[test]
fn a_stored_imdn_expires_after_the_deferral_lifetime_without_a_failed() {
    let asked = DispositionSet::EMPTY
        .with(Disposition::PositiveDelivery)
        .with(Disposition::NegativeDelivery);
    let (mut net, id) = imdns_while_alice_is_unbound(asked);
    assert_eq!(stored_at_server_a(&net), 2);
    // Dave's copy at Server D expires too: its `failed` is stored at Server A and expires later.
    net.run_for(2 * Setup::default().deferral_ms + 10_000);
    let expired = net.count_events(
        |e| matches!(e, Event::StoredExpired { server, user, .. } if server == SERVER_A && user == ALICE),
    );
    assert_eq!(stored_at_server_a(&net), 3);
    assert_eq!(expired, 3);
    assert_eq!(server_a(&mut net).deferred_store().len(), 0);
    assert!(
        generated_by_server_a(&net).is_empty(),
        "no IMDN about an IMDN"
    );
    net.register(ALICE);
    net.run_for(10_000);
    assert!(
        alice_learned(&net, &id).is_empty(),
        "expired copies stay gone"
    );
}
