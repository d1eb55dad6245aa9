//! The participating function as registrar (RFC 3261 section 10.3): removal with `expires=0`
//! and the bound on how many users it keeps bindings for.

use imflow::node::{
    Instant, Node, ParticipatingFunction, ParticipatingFunctionConfig, Transport, BINDINGS_MAX,
};
use std::net::SocketAddr;

fn addr(last: u8) -> SocketAddr {
    SocketAddr::from(([10, 0, 0, last], 5060))
}

/// Server D, keeping bindings for at most `BINDINGS_KEPT` users.
fn server_d() -> ParticipatingFunction {
    let mut config =
        ParticipatingFunctionConfig::new("im.epsilon.example", "epsilon.example", addr(14), 3);
    config.bindings_max = BINDINGS_KEPT;
    ParticipatingFunction::new(config)
}

const BINDINGS_KEPT: usize = 50;

/// A REGISTER for `user`@epsilon.example, in its own transaction `n`.
fn register(user: &str, n: usize, expires: u32) -> Vec<u8> {
    format!(
        "REGISTER sip:epsilon.example SIP/2.0\r\n\
         Via: SIP/2.0/UDP 10.0.0.4:5060;branch=z9hG4bK.reg-{n}\r\nMax-Forwards: 70\r\n\
         From: <sip:{user}@epsilon.example>;tag=r{n}\r\nTo: <sip:{user}@epsilon.example>\r\n\
         Call-ID: reg-{n}\r\nCSeq: {n} REGISTER\r\n\
         Contact: <sip:{user}@10.0.0.4:5060>;expires={expires}\r\nContent-Length: 0\r\n\r\n"
    )
    .into_bytes()
}

/// The status line of the server's answer to `bytes`, and nothing else left to send.
fn answer(server: &mut ParticipatingFunction, bytes: &[u8]) -> String {
    server.handle_datagram(Instant(0), addr(4), Transport::Udp, bytes);
    let answer = server.poll_transmit().expect("an answer");
    assert!(server.poll_transmit().is_none());
    String::from_utf8_lossy(&answer.bytes).into_owned()
}

#[test]
fn a_register_with_expires_zero_removes_the_binding_and_lists_no_contact() {
    let mut server = server_d();
    assert!(answer(&mut server, &register("dave", 1, 3600)).starts_with("SIP/2.0 200 OK\r\n"));
    assert!(server.binding("sip:dave@epsilon.example").is_some());
    let removed = answer(&mut server, &register("dave", 2, 0));
    assert!(removed.starts_with("SIP/2.0 200 OK\r\n"), "{removed}");
    assert!(!removed.contains("Contact:"), "{removed}");
    assert!(server.binding("sip:dave@epsilon.example").is_none());
}

#[test]
fn a_full_registrar_refuses_a_new_user_503_and_still_refreshes_a_known_one() {
    let mut server = server_d();
    for i in 0..BINDINGS_KEPT {
        let ok = answer(&mut server, &register(&format!("u{i}"), i, 3600));
        assert!(ok.starts_with("SIP/2.0 200 "), "user {i}: {ok}");
    }
    let refused = answer(&mut server, &register("newcomer", BINDINGS_KEPT, 3600));
    assert!(refused.starts_with("SIP/2.0 503 "), "{refused}");
    assert!(server.binding("sip:newcomer@epsilon.example").is_none());
    let refreshed = answer(&mut server, &register("u7", BINDINGS_KEPT + 1, 60));
    assert!(refreshed.starts_with("SIP/2.0 200 "), "{refreshed}");
    assert!(refreshed.contains("Contact: <sip:u7@10.0.0.4:5060>;expires=60\r\n"));
}

#[test]
fn by_default_a_registrar_keeps_as_many_bindings_as_the_hard_bound() {
    let config =
        ParticipatingFunctionConfig::new("im.epsilon.example", "epsilon.example", addr(14), 3);
    assert_eq!(config.bindings_max, BINDINGS_MAX);
}
