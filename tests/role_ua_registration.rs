//! The user agent's registration (RFC 3261 section 10.2), its choice of transport by size
//! (RFC 3428 section 8), RFC 2543 transaction matching, and what a crash makes it forget.

use crate::ua_alone;
use imflow::cpim::DispositionSet;
use imflow::node::{
    Event, Instant, Node, Registration, Transmit, Transport, UserAgent, UserAgentConfig,
    UDP_MESSAGE_BYTES_MAX,
};
use ua_alone::*;

/// The final response `status` to the request `sent`, echoing its rows, with `extra` rows.
fn answer(sent: &Transmit, status: &str, extra: &str) -> String {
    let request = text(sent);
    let row = |name: &str| {
        request
            .lines()
            .find(|l| l.starts_with(name))
            .expect("a row of the request")
            .to_owned()
    };
    format!(
        "SIP/2.0 {status}\r\n{}\r\n{}\r\n{};tag=srv\r\n{}\r\n{}\r\n{extra}Content-Length: 0\r\n\r\n",
        row("Via:"),
        row("From:"),
        row("To:"),
        row("Call-ID:"),
        row("CSeq:")
    )
}

fn sends_register(out: &[Transmit]) -> bool {
    out.iter().any(|t| text(t).starts_with("REGISTER "))
}

#[test]
fn a_refused_register_is_retried_at_the_retry_delay_and_not_before() {
    let mut ua = bob();
    ua.register(Instant(0));
    let (out, _) = drain(&mut ua);
    let refusal = answer(&out[0], "403 Forbidden", "");
    ua.handle_datagram(Instant(1_000), addr(12), Transport::Udp, refusal.as_bytes());
    drain(&mut ua);
    let retry = Instant(1_000).plus_millis(ua.config().register_retry_ms);
    assert_eq!(
        ua.registration(),
        Registration::Unregistered {
            retry_at: Some(retry)
        }
    );
    ua.handle_timeout(Instant(retry.0 - 1));
    assert!(!sends_register(&drain(&mut ua).0), "not before the delay");
    ua.handle_timeout(retry);
    assert!(sends_register(&drain(&mut ua).0), "at the delay");
}

#[test]
fn the_refresh_follows_the_lifetime_granted_to_this_agent_contact_not_another() {
    let mut ua = bob();
    ua.register(Instant(0));
    let (out, _) = drain(&mut ua);
    let contacts = format!(
        "Contact: <sip:bob@10.0.0.9:5060>;expires=10\r\nContact: <{}>;expires=600\r\n",
        ua.contact()
    );
    let ok = answer(&out[0], "200 OK", &contacts);
    ua.handle_datagram(Instant(0), addr(12), Transport::Udp, ok.as_bytes());
    let (_, events) = drain(&mut ua);
    assert!(events.contains(&Event::Registered {
        user: BOB.to_owned()
    }));
    assert_eq!(
        ua.registration(),
        Registration::Registered {
            refresh_at: Some(Instant(0).plus_millis(300_000))
        },
        "half of the 600 s granted to this contact"
    );
}

#[test]
fn a_message_of_exactly_the_udp_limit_goes_over_udp_and_one_byte_more_over_tcp() {
    let size_with = |text_len: usize| -> (usize, Transport) {
        let mut ua = bob();
        let text = "x".repeat(text_len);
        ua.send_im(
            Instant(0),
            "sip:carol@delta.example",
            DispositionSet::EMPTY,
            &text,
        )
        .expect("sent");
        let (out, _) = drain(&mut ua);
        (out[0].bytes.len(), out[0].transport)
    };
    // The same seed writes the same tokens, so the size moves with the text alone.
    let (base, _) = size_with(100);
    let mut text_len = 100 + UDP_MESSAGE_BYTES_MAX - base;
    while size_with(text_len).0 > UDP_MESSAGE_BYTES_MAX {
        text_len -= 1;
    }
    assert_eq!(size_with(text_len), (UDP_MESSAGE_BYTES_MAX, Transport::Udp));
    let (bigger, transport) = size_with(text_len + 1);
    assert!(bigger > UDP_MESSAGE_BYTES_MAX);
    assert_eq!(transport, Transport::Tcp);
}

/// A plain-text IM from an RFC 2543 client: its Via branch lacks the magic cookie.
fn rfc2543_im(branch: &str, cseq: u32) -> Vec<u8> {
    format!(
        "MESSAGE sip:bob@10.0.0.2:5060 SIP/2.0\r\nVia: SIP/2.0/UDP 10.0.0.12:5060;branch={branch}\r\n\
         Max-Forwards: 69\r\nFrom: <sip:alice@alpha.example>;tag=old\r\nTo: <sip:bob@beta.example>\r\n\
         Call-ID: old-client\r\nCSeq: {cseq} MESSAGE\r\nContent-Type: text/plain\r\nContent-Length: 3\r\n\r\nHi."
    )
    .into_bytes()
}

#[test]
fn requests_of_an_rfc2543_client_are_matched_by_call_id_and_cseq_not_by_branch() {
    // RFC 3261 section 17.2.3: without the magic cookie the branch may repeat across
    // transactions; two CSeq numbers are two requests even with the same branch.
    let mut ua = bob();
    ua.handle_datagram(Instant(0), addr(12), Transport::Udp, &rfc2543_im("1", 1));
    ua.handle_datagram(Instant(10), addr(12), Transport::Udp, &rfc2543_im("1", 2));
    let (out, events) = drain(&mut ua);
    assert_eq!(out.len(), 2, "two requests, two answers");
    assert_eq!(rendered(&events), 2);
}

#[test]
fn a_crash_loses_the_registration_and_the_memory_of_received_ims() {
    let mut ua = bob();
    ua.register(Instant(0));
    let (out, _) = drain(&mut ua);
    let ok = answer(&out[0], "200 OK", "");
    ua.handle_datagram(Instant(0), addr(12), Transport::Udp, ok.as_bytes());
    ua.handle_datagram(
        Instant(10),
        addr(12),
        Transport::Udp,
        &rfc2543_im("z9hG4bK.a", 1),
    );
    drain(&mut ua);
    ua.crash_and_restart(Instant(20));
    assert_eq!(
        ua.registration(),
        Registration::Unregistered { retry_at: None }
    );
    // The same IM in a new transaction after the crash: nothing remembers it was seen.
    ua.handle_datagram(
        Instant(40_000),
        addr(12),
        Transport::Udp,
        &rfc2543_im("z9hG4bK.b", 1),
    );
    let (_, events) = drain(&mut ua);
    assert!(events.iter().any(|e| matches!(e, Event::ImRendered { .. })));
}

#[test]
fn a_crash_loses_the_im_in_flight_and_its_timers() {
    let mut ua = bob();
    ua.send_im(
        Instant(0),
        "sip:carol@delta.example",
        DispositionSet::EMPTY,
        "hi",
    )
    .expect("sent");
    drain(&mut ua);
    assert!(ua.poll_timeout().is_some(), "Timer E and F run");
    ua.crash_and_restart(Instant(100));
    assert_eq!(ua.poll_timeout(), None);
    ua.handle_timeout(Instant(600));
    assert!(drain(&mut ua).0.is_empty(), "nothing is retransmitted");
}

#[test]
fn a_message_over_1300_bytes_goes_over_the_stream_transport() {
    let mut ua = bob();
    ua.send_im(
        Instant(0),
        "sip:carol@delta.example",
        DispositionSet::EMPTY,
        &"x".repeat(1200),
    )
    .expect("sent");
    ua.send_im(
        Instant(0),
        "sip:dave@epsilon.example",
        DispositionSet::EMPTY,
        "short",
    )
    .expect("sent");
    let (out, _) = drain(&mut ua);
    assert_eq!(out[0].transport, Transport::Tcp);
    assert!(out[0].bytes.len() > 1300);
    assert!(text(&out[0]).contains("Via: SIP/2.0/TCP "));
    assert_eq!(out[1].transport, Transport::Udp);
    assert!(text(&out[1]).contains("Via: SIP/2.0/UDP "));
}

#[test]
fn register_asks_for_its_lifetime_and_refreshes_at_half_of_what_was_granted() {
    let mut ua = bob();
    ua.register(Instant(0));
    let (out, _) = drain(&mut ua);
    let r = text(&out[0]);
    assert!(r.starts_with("REGISTER sip:beta.example SIP/2.0\r\n"));
    assert!(r.contains("Contact: <sip:bob@10.0.0.2:5060>;expires=3600\r\n"));
    let ok = answer(
        &out[0],
        "200 OK",
        "Contact: <sip:bob@10.0.0.2:5060>;expires=600\r\n",
    );
    ua.handle_datagram(Instant(0), addr(12), Transport::Udp, ok.as_bytes());
    let (_, events) = drain(&mut ua);
    assert_eq!(
        events,
        vec![Event::Registered {
            user: BOB.to_owned()
        }]
    );
    assert_eq!(
        ua.poll_timeout(),
        Some(Instant(0).plus_millis(300_000)),
        "the refresh at half of 600 s (timer K asks for no wake)"
    );
    ua.handle_timeout(Instant(0).plus_millis(300_000));
    let (out, _) = drain(&mut ua);
    assert!(
        text(&out[0]).contains("CSeq: 2 REGISTER\r\n"),
        "refresh, same Call-ID, CSeq + 1"
    );
}

#[test]
fn without_refresh_a_registered_agent_has_no_timer_left() {
    let mut config = UserAgentConfig::new(BOB, addr(2), addr(12), 9);
    config.refresh_registration = false;
    let mut ua = UserAgent::new(config);
    ua.register(Instant(0));
    let (out, _) = drain(&mut ua);
    let ok = answer(&out[0], "200 OK", "");
    ua.handle_datagram(Instant(0), addr(12), Transport::Udp, ok.as_bytes());
    ua.handle_timeout(Instant(0).plus_millis(5_000));
    assert_eq!(ua.poll_timeout(), None);
}

#[test]
fn a_refused_register_leaves_the_agent_unregistered_and_it_tries_again_later() {
    let mut ua = bob();
    ua.register(Instant(0));
    let (out, _) = drain(&mut ua);
    let refusal = answer(&out[0], "403 Forbidden", "");
    ua.handle_datagram(Instant(1_000), addr(12), Transport::Udp, refusal.as_bytes());
    let (_, events) = drain(&mut ua);
    assert!(
        !events.iter().any(|e| matches!(e, Event::Registered { .. })),
        "{events:?}"
    );
    assert!(
        !matches!(
            ua.registration(),
            imflow::node::Registration::Registered { .. }
        ),
        "{:?}",
        ua.registration()
    );
    let retry = Instant(1_000).plus_millis(ua.config().register_retry_ms);
    ua.handle_timeout(retry);
    let (again, _) = drain(&mut ua);
    assert!(
        again.iter().any(|t| text(t).starts_with("REGISTER ")),
        "a new REGISTER after the retry delay"
    );
}
