//! What a participating function answers a MESSAGE for a user who is not registered when it
//! cannot defer it: 480 without deferral or for a body that is not CPIM (nothing stored), and
//! 400 naming the byte for a malformed CPIM body (nothing stored).

use crate::role_support;
use imflow::node::{Event, Instant, Node, Transport};
use role_support::*;

/// Server D on its own, with deferral `on` or off, and a MESSAGE for Dave (unregistered) from
/// the CF with `content_type` and `body`.
fn server_d_alone(deferral: bool) -> imflow::node::ParticipatingFunction {
    let mut config = imflow::node::ParticipatingFunctionConfig::new(
        "im.epsilon.example",
        "epsilon.example",
        addr(14),
        7,
    );
    config.deferral = deferral;
    imflow::node::ParticipatingFunction::new(config)
}

fn message_for_dave(content_type: &str, body: &str) -> Vec<u8> {
    format!(
        "MESSAGE sip:dave@epsilon.example SIP/2.0\r\n\
         Via: SIP/2.0/UDP 10.0.0.20:5060;branch=z9hG4bK.cf-d-1\r\nMax-Forwards: 69\r\n\
         From: <sip:alice@alpha.example>;tag=cf1\r\nTo: <sip:dave@epsilon.example>\r\n\
         Call-ID: cf-d-1@cf.gamma.example\r\nCSeq: 1 MESSAGE\r\nContent-Type: {content_type}\r\n\
         Content-Length: {}\r\n\r\n{body}",
        body.len()
    )
    .into_bytes()
}

const IM_FOR_DAVE: &str = "From: <sip:alice@alpha.example>\r\nTo: <sip:dave@epsilon.example>\r\n\
    DateTime: 2024-03-18T09:30:05+01:00\r\nNS: imdn <urn:ietf:params:imdn>\r\n\
    imdn.Message-ID: d1\r\n\r\nContent-Type: text/plain\r\n\r\nSummit at noon.";

fn answer_of(server: &mut imflow::node::ParticipatingFunction, bytes: &[u8]) -> String {
    server.handle_datagram(Instant(0), addr(CF_ADDR), Transport::Udp, bytes);
    let answer = server.poll_transmit().expect("an answer");
    String::from_utf8_lossy(&answer.bytes).into_owned()
}

#[test]
fn without_deferral_an_im_for_an_unregistered_user_is_refused_480_and_not_stored() {
    let mut server = server_d_alone(false);
    let answer = answer_of(&mut server, &message_for_dave("message/cpim", IM_FOR_DAVE));
    assert!(answer.starts_with("SIP/2.0 480 "), "{answer}");
    assert!(server.deferred_store().is_empty());
    let mut with_deferral = server_d_alone(true);
    let answer = answer_of(
        &mut with_deferral,
        &message_for_dave("message/cpim", IM_FOR_DAVE),
    );
    assert!(answer.starts_with("SIP/2.0 202 "), "{answer}");
    assert_eq!(with_deferral.deferred_store().len(), 1);
}

#[test]
fn a_message_that_is_not_cpim_for_an_unregistered_user_is_refused_480_and_not_stored() {
    // Plain text, and plain text that happens to read as CPIM: neither is parsed nor stored.
    for body in ["Summit at noon.", IM_FOR_DAVE] {
        let mut server = server_d_alone(true);
        let answer = answer_of(&mut server, &message_for_dave("text/plain", body));
        assert!(answer.starts_with("SIP/2.0 480 "), "{answer}");
        assert!(server.deferred_store().is_empty());
    }
}

#[test]
fn a_malformed_cpim_body_for_an_unregistered_user_is_refused_400_naming_the_byte() {
    use imflow::diagnostic::Diagnostic;
    let body = "From: <sip:alice@alpha.example>\r\nTo: <sip:dave@epsilon.example>\r\n\
                DateTime 2024-03-18T09:30:05+01:00\r\n\r\nContent-Type: text/plain\r\n\r\nHi.";
    let inner = imflow::cpim::parse(body.as_bytes()).expect_err("a header line without colon");
    let bytes = message_for_dave("message/cpim", body);
    let text = String::from_utf8_lossy(&bytes).into_owned();
    let expected = text.find(body).expect("the body is in the datagram") + inner.offset();
    let mut server = server_d_alone(true);
    let answer = answer_of(&mut server, &bytes);
    assert!(answer.starts_with("SIP/2.0 400 "), "{answer}");
    match server.poll_event() {
        Some(Event::MalformedInput { rule, offset, .. }) => {
            assert_eq!(rule, inner.rule());
            assert_eq!(offset, expected);
            assert!(
                text[offset..].starts_with("DateTime 2024"),
                "{}",
                &text[offset..]
            );
        }
        other => panic!("expected MalformedInput, got {other:?}"),
    }
    assert!(server.deferred_store().is_empty());
}
