//! Bob's user agent on its own, driven by hand: bytes in, bytes out (the role_ua tests).
#![allow(dead_code)]

use imflow::node::{Event, Node, Transmit, UserAgent, UserAgentConfig};
use std::net::SocketAddr;

pub const BOB: &str = "sip:bob@beta.example";

pub fn addr(last: u8) -> SocketAddr {
    SocketAddr::from(([10, 0, 0, last], 5060))
}

/// Bob's agent at 10.0.0.2, its server at 10.0.0.12.
pub fn bob() -> UserAgent {
    UserAgent::new(UserAgentConfig::new(BOB, addr(2), addr(12), 9))
}

/// Everything the node has to send and to report (the drain contract).
pub fn drain(node: &mut dyn Node) -> (Vec<Transmit>, Vec<Event>) {
    let mut t = Vec::new();
    let mut e = Vec::new();
    while let Some(x) = node.poll_transmit() {
        t.push(x);
    }
    while let Some(x) = node.poll_event() {
        e.push(x);
    }
    (t, e)
}

pub fn text(t: &Transmit) -> String {
    String::from_utf8_lossy(&t.bytes).into_owned()
}

/// The rule and offset of the one event, which must be a `MalformedInput`.
pub fn only_malformed(events: &[Event]) -> (&'static str, usize) {
    match events {
        [Event::MalformedInput { rule, offset, .. }] => (rule, *offset),
        other => panic!("expected one MalformedInput, got {other:?}"),
    }
}

/// Hands `bytes` to a fresh Bob from his server; the agent must answer 400 and report one
/// `MalformedInput`, whose rule and offset come back.
pub fn refused_400(bytes: &[u8]) -> (&'static str, usize) {
    let mut ua = bob();
    ua.handle_datagram(
        imflow::node::Instant(0),
        addr(12),
        imflow::node::Transport::Udp,
        bytes,
    );
    let (out, events) = drain(&mut ua);
    assert_eq!(out.len(), 1);
    assert!(text(&out[0]).starts_with("SIP/2.0 400 Bad Request"));
    only_malformed(&events)
}

/// The MESSAGE the CF sends Bob with an aggregated IMDN: `multipart` (boundary `agg`) in a CPIM
/// wrapper whose imdn.Message-ID is `id`, over `transport` (`UDP` or `TCP`). The Via branch is
/// `z9hG4bK.<id>`, the From tag `cf-<id>`, the Call-ID `<id>`.
pub fn aggregate_to_bob(multipart: &str, id: &str, transport: &str) -> String {
    let cpim = format!(
        "From: <sip:climbers@conf.gamma.example>\r\nTo: <sip:bob@beta.example>\r\n\
         NS: imdn <urn:ietf:params:imdn>\r\nimdn.Message-ID: {id}\r\n\r\n\
         Content-Type: multipart/mixed; boundary=\"agg\"\r\nContent-Disposition: notification\r\n\r\n{multipart}"
    );
    format!(
        "MESSAGE sip:bob@10.0.0.2:5060 SIP/2.0\r\nVia: SIP/2.0/{transport} 10.0.0.12:5060;branch=z9hG4bK.{id}\r\n\
         Max-Forwards: 69\r\nFrom: <sip:climbers@conf.gamma.example>;tag=cf-{id}\r\nTo: <sip:bob@beta.example>\r\n\
         Call-ID: {id}\r\nCSeq: 7 MESSAGE\r\nContent-Type: message/cpim\r\nContent-Length: {}\r\n\r\n{cpim}",
        cpim.len()
    )
}

/// How many IMs the events show rendered to the user.
pub fn rendered(events: &[Event]) -> usize {
    events
        .iter()
        .filter(|e| matches!(e, Event::ImRendered { .. }))
        .count()
}
