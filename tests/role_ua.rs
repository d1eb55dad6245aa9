//! The user agent as a recipient, driven by hand: IMs and IMDNs in, answers and events out.

use crate::ua_alone;
use imflow::cpim::DispositionSet;
use imflow::node::{Event, Instant, Node, Transport};
use ua_alone::*;

/// An IM as Server B relays it to Bob (protocol.md E3 plus the proxy's Via).
fn im(branch: &str, message_id: &str, record_route: bool) -> Vec<u8> {
    let mut cpim = format!(
        "From: Alice <sip:alice@alpha.example>\r\nTo: <sip:bob@beta.example>\r\n\
         DateTime: 2024-03-18T09:30:05+01:00\r\nNS: imdn <urn:ietf:params:imdn>\r\n\
         imdn.Message-ID: {message_id}\r\nimdn.Disposition-Notification: positive-delivery\r\n\
         imdn.Original-To: Climbers <sip:climbers@conf.gamma.example>\r\n"
    );
    if record_route {
        cpim.push_str("imdn.IMDN-Record-Route: <sip:imdn@cf.gamma.example>\r\n");
    }
    cpim.push_str(
        "\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nSummit at noon, bring ropes.",
    );
    format!(
        "MESSAGE sip:bob@10.0.0.2:5060 SIP/2.0\r\n\
         Via: SIP/2.0/UDP 10.0.0.12:5060;branch={branch}\r\n\
         Via: SIP/2.0/UDP 10.0.0.20:5060;branch=z9hG4bK.cf-b-0017\r\n\
         Max-Forwards: 69\r\nFrom: \"Alice\" <sip:alice@alpha.example>;tag=cf88a1\r\n\
         To: <sip:bob@beta.example>\r\nCall-ID: cf-77d2c1@cf.gamma.example\r\nCSeq: 1 MESSAGE\r\n\
         Content-Type: message/cpim\r\nContent-Length: {}\r\n\r\n{cpim}",
        cpim.len()
    )
    .into_bytes()
}

#[test]
fn an_im_is_answered_200_without_body_or_contact_then_rendered_then_notified_along_imdn_route() {
    let mut ua = bob();
    ua.handle_datagram(
        Instant(0),
        addr(12),
        Transport::Udp,
        &im("z9hG4bK.pf-1", "Xk3q9TzQ2mPw", true),
    );
    let (out, events) = drain(&mut ua);
    assert_eq!(out.len(), 2, "the 200 and the IMDN");
    let ok = text(&out[0]);
    assert!(ok.starts_with("SIP/2.0 200 OK\r\n"));
    assert!(ok.ends_with("Content-Length: 0\r\n\r\n"));
    assert!(!ok.to_ascii_lowercase().contains("contact:"));
    assert_eq!(out[0].to, addr(12));
    assert_eq!(
        events,
        vec![Event::ImRendered {
            user: BOB.to_owned(),
            sender: "sip:alice@alpha.example".to_owned(),
            message_id: "Xk3q9TzQ2mPw".to_owned()
        }]
    );
    let imdn = text(&out[1]);
    assert!(imdn.starts_with("MESSAGE sip:imdn@cf.gamma.example SIP/2.0\r\n"));
    assert_eq!(out[1].to, addr(12), "via Bob's participating function");
    for expected in [
        "To: <sip:alice@alpha.example>\r\n",
        "\r\nFrom: <sip:bob@beta.example>\r\nTo: <sip:alice@alpha.example>\r\n",
        "imdn.IMDN-Route: <sip:imdn@cf.gamma.example>\r\n",
        "Content-Type: message/imdn+xml\r\nContent-Disposition: notification\r\n",
        "<message-id>Xk3q9TzQ2mPw</message-id>",
        "<datetime>2024-03-18T09:30:05+01:00</datetime>",
        "<recipient-uri>sip:bob@beta.example</recipient-uri>",
        "<original-recipient-uri>sip:climbers@conf.gamma.example</original-recipient-uri>",
        "<delivered/>",
    ] {
        assert!(imdn.contains(expected), "missing {expected:?} in\n{imdn}");
    }
    assert!(
        !imdn.contains("Disposition-Notification"),
        "an IMDN never asks for an IMDN"
    );
    assert!(!imdn.contains("IMDN-Record-Route"));
    assert!(!imdn.to_ascii_lowercase().contains("\ncontact:"));
}

#[test]
fn without_imdn_record_route_the_imdn_goes_to_the_im_sender() {
    let mut ua = bob();
    ua.handle_datagram(
        Instant(0),
        addr(12),
        Transport::Udp,
        &im("z9hG4bK.pf-1", "m1", false),
    );
    let (out, _) = drain(&mut ua);
    assert!(text(&out[1]).starts_with("MESSAGE sip:alice@alpha.example SIP/2.0\r\n"));
    assert!(!text(&out[1]).contains("IMDN-Route"));
}

#[test]
fn a_retransmitted_im_is_rendered_once_and_gets_the_same_200() {
    let mut ua = bob();
    let bytes = im("z9hG4bK.pf-1", "m1", true);
    ua.handle_datagram(Instant(0), addr(12), Transport::Udp, &bytes);
    let (first, _) = drain(&mut ua);
    ua.handle_datagram(
        Instant(0).plus_millis(500),
        addr(12),
        Transport::Udp,
        &bytes,
    );
    let (again, events) = drain(&mut ua);
    assert!(events.is_empty());
    assert_eq!(again.len(), 1);
    assert_eq!(
        again[0].bytes, first[0].bytes,
        "the server transaction replays its 200"
    );
}

#[test]
fn an_im_resent_in_a_new_transaction_is_answered_200_but_not_rendered_or_notified_again() {
    let mut ua = bob();
    ua.handle_datagram(
        Instant(0),
        addr(12),
        Transport::Udp,
        &im("z9hG4bK.pf-1", "m1", true),
    );
    drain(&mut ua);
    ua.handle_datagram(
        Instant(0).plus_millis(40_000),
        addr(12),
        Transport::Udp,
        &im("z9hG4bK.pf-2", "m1", true),
    );
    let (out, events) = drain(&mut ua);
    assert!(events.is_empty(), "no second rendering");
    assert_eq!(out.len(), 1, "only the 200, no second IMDN");
    assert!(text(&out[0]).starts_with("SIP/2.0 200 OK"));
}

#[test]
fn an_aggregated_imdn_is_answered_200_and_reported_once_per_entry_without_an_imdn_back() {
    let entry = |r: &str| {
        format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<imdn xmlns=\"urn:ietf:params:xml:ns:imdn\">\n\
             <message-id>m1</message-id>\n<datetime>2024-03-18T09:30:05+01:00</datetime>\n\
             <recipient-uri>{r}</recipient-uri>\n<original-recipient-uri>sip:climbers@conf.gamma.example</original-recipient-uri>\n\
             <delivery-notification><status><delivered/></status></delivery-notification>\n</imdn>"
        )
    };
    let multipart = format!(
        "--agg\r\nContent-Type: message/imdn+xml\r\n\r\n{}\r\n--agg\r\nContent-Type: message/imdn+xml\r\n\r\n{}\r\n--agg--",
        entry("sip:alice@alpha.example"),
        entry("sip:carol@delta.example")
    );
    let bytes = aggregate_to_bob(&multipart, "agg1", "TCP");
    let mut ua = bob();
    ua.handle_datagram(Instant(0), addr(12), Transport::Tcp, bytes.as_bytes());
    let (out, events) = drain(&mut ua);
    // The same IMDN message again in a new transaction (a late duplicate): 200, no new report.
    let again = bytes.replace("branch=z9hG4bK.agg1", "branch=z9hG4bK.agg2");
    ua.handle_datagram(
        Instant(0).plus_millis(60_000),
        addr(12),
        Transport::Tcp,
        again.as_bytes(),
    );
    let (out_again, events_again) = drain(&mut ua);
    assert!(text(&out_again[0]).starts_with("SIP/2.0 200 OK"));
    assert!(events_again.is_empty());
    assert_eq!(out.len(), 1, "a 200 and no IMDN for an IMDN");
    assert!(text(&out[0]).starts_with("SIP/2.0 200 OK"));
    let recipients: Vec<String> = events
        .iter()
        .map(|e| match e {
            Event::ImdnRendered {
                recipient,
                status,
                message_id,
                ..
            } => {
                assert_eq!((message_id.as_str(), status.as_str()), ("m1", "delivered"));
                recipient.clone()
            }
            other => panic!("unexpected {other:?}"),
        })
        .collect();
    assert_eq!(
        recipients,
        vec!["sip:alice@alpha.example", "sip:carol@delta.example"]
    );
}

#[test]
fn a_plain_text_message_is_accepted_and_rendered_once() {
    let bytes = b"MESSAGE sip:bob@10.0.0.2:5060 SIP/2.0\r\nVia: SIP/2.0/UDP 10.0.0.12:5060;branch=z9hG4bK.t1\r\n\
        Max-Forwards: 69\r\nFrom: <sip:alice@alpha.example>;tag=p1\r\nTo: <sip:bob@beta.example>\r\n\
        Call-ID: plain-1\r\nCSeq: 5 MESSAGE\r\nContent-Type: text/plain\r\nContent-Length: 2\r\n\r\nhi";
    let mut ua = bob();
    ua.handle_datagram(Instant(0), addr(12), Transport::Udp, bytes);
    let (out, events) = drain(&mut ua);
    assert_eq!(out.len(), 1, "a 200 and no IMDN");
    assert!(text(&out[0]).starts_with("SIP/2.0 200 OK"));
    assert!(
        matches!(events.as_slice(), [Event::ImRendered { sender, .. }] if sender == "sip:alice@alpha.example")
    );
}

/// Bob's agent's answer-and-events to a plain-text IM (no CPIM, so no Message-ID) from Alice
/// with this From tag, Call-ID and CSeq number.
fn plain_im(tag: &str, call_id: &str, cseq: u32, branch: &str) -> Vec<u8> {
    format!(
        "MESSAGE sip:bob@10.0.0.2:5060 SIP/2.0\r\nVia: SIP/2.0/UDP 10.0.0.12:5060;branch={branch}\r\n\
         Max-Forwards: 69\r\nFrom: <sip:alice@alpha.example>;tag={tag}\r\nTo: <sip:bob@beta.example>\r\n\
         Call-ID: {call_id}\r\nCSeq: {cseq} MESSAGE\r\nContent-Type: text/plain\r\nContent-Length: 3\r\n\r\nHi."
    )
    .into_bytes()
}

#[test]
fn plain_ims_that_differ_only_in_the_from_tag_are_two_ims_and_a_resent_one_is_rendered_once() {
    // Without a Message-ID an IM is known by Call-ID, From tag and CSeq (RFC 3261 section
    // 8.2.2.2): another From tag is another request; the same three again are the same IM.
    let mut ua = bob();
    for (i, tag) in ["t1", "t2", "t1"].iter().enumerate() {
        let branch = format!("z9hG4bK.plain-{i}");
        let at = Instant(0).plus_millis(40_000 * i as u64);
        ua.handle_datagram(
            at,
            addr(12),
            Transport::Udp,
            &plain_im(tag, "same-call", 1, &branch),
        );
    }
    let (out, events) = drain(&mut ua);
    assert_eq!(out.len(), 3, "each request is answered");
    assert_eq!(rendered(&events), 2);
}

#[test]
fn an_agent_names_its_user_and_an_invalid_im_is_refused_saying_why() {
    let mut ua = bob();
    assert_eq!(ua.aor(), BOB);
    let refused = ua
        .send_im(Instant(0), "not a uri", DispositionSet::EMPTY, "hi")
        .expect_err("no destination URI");
    let said = refused.to_string();
    assert!(said.starts_with("invalid IM: "), "{said}");
    assert!(said.len() > "invalid IM: ".len(), "{said}");
}

#[test]
fn an_im_resent_after_another_im_is_still_recognised() {
    let mut ua = bob();
    let sends = [
        ("z9hG4bK.r-1", "m1"),
        ("z9hG4bK.r-2", "m2"),
        ("z9hG4bK.r-3", "m1"),
    ];
    for (i, (branch, id)) in sends.iter().enumerate() {
        let at = Instant(0).plus_millis(40_000 * i as u64);
        ua.handle_datagram(at, addr(12), Transport::Udp, &im(branch, id, true));
    }
    let (_, events) = drain(&mut ua);
    let rendered: Vec<&str> = events
        .iter()
        .filter_map(|e| match e {
            Event::ImRendered { message_id, .. } => Some(message_id.as_str()),
            _ => None,
        })
        .collect();
    assert_eq!(rendered, ["m1", "m2"]);
}
