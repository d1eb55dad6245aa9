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
