//! The user agent refuses what it cannot read, driven by hand: a malformed request is answered
//! 400 naming the byte in the datagram (or only reported when it cannot be answered), a
//! malformed response is dropped and reported, never answered.

use crate::common;
use crate::ua_alone;
use common::broken_imdn::IMDN_WITH_MISMATCHED_END_TAG;
use imflow::node::{Event, Instant, Node, Transport};
use ua_alone::*;

#[test]
fn a_malformed_request_gets_400_and_a_malformed_input_event() {
    let mut ua = bob();
    let bad =
        b"MESSAGE sip:bob@10.0.0.2 SIP/2.0\r\nVia: SIP/2.0/UDP 10.0.0.12;branch=z9hG4bK.x\r\n\
        Max-Forwards: 70\r\nFrom: <sip:a@b>;tag=1\r\nTo: <sip:bob@beta.example>\r\nCall-ID: c\r\n\
        CSeq: 1 REGISTER\r\nContent-Length: 0\r\n\r\n";
    ua.handle_datagram(Instant(0), addr(12), Transport::Udp, bad);
    let (out, events) = drain(&mut ua);
    assert_eq!(out.len(), 1);
    assert!(text(&out[0]).starts_with("SIP/2.0 400 Bad Request"));
    assert!(matches!(
        events.as_slice(),
        [Event::MalformedInput {
            rule: "cseq-method-mismatch",
            ..
        }]
    ));
}

#[test]
fn a_malformed_response_is_dropped_and_reported() {
    let mut ua = bob();
    ua.handle_datagram(
        Instant(0),
        addr(12),
        Transport::Udp,
        b"SIP/2.0 200 OK\r\nVia: nonsense\r\n\r\n",
    );
    let (out, events) = drain(&mut ua);
    assert!(out.is_empty());
    assert!(matches!(events.as_slice(), [Event::MalformedInput { .. }]));
}

#[test]
fn a_notification_whose_xml_breaks_is_refused_400_naming_the_byte_in_the_datagram() {
    let xml = IMDN_WITH_MISMATCHED_END_TAG;
    let inner = imflow::imdn::parse(xml.as_bytes()).expect_err("a mismatched end tag");
    let cpim = format!(
        "From: <sip:carol@delta.example>\r\nTo: <sip:bob@beta.example>\r\n\
         NS: imdn <urn:ietf:params:imdn>\r\nimdn.Message-ID: n1\r\n\r\n\
         Content-Type: message/imdn+xml\r\nContent-Disposition: notification\r\n\r\n{xml}"
    );
    let bytes = format!(
        "MESSAGE sip:bob@10.0.0.2:5060 SIP/2.0\r\nVia: SIP/2.0/UDP 10.0.0.12:5060;branch=z9hG4bK.n1\r\n\
         Max-Forwards: 69\r\nFrom: <sip:carol@delta.example>;tag=n1\r\nTo: <sip:bob@beta.example>\r\n\
         Call-ID: n-1\r\nCSeq: 3 MESSAGE\r\nContent-Type: message/cpim\r\nContent-Length: {}\r\n\r\n{cpim}",
        cpim.len()
    );
    let expected = bytes.find(xml).expect("the XML is in the datagram") + inner.offset;
    let (rule, offset) = refused_400(bytes.as_bytes());
    assert_eq!(rule, inner.kind.rule());
    assert_eq!(offset, expected, "the offset of the fault in the datagram");
}

#[test]
fn an_aggregate_whose_first_imdn_is_invalid_is_refused_400_naming_the_byte_in_the_datagram() {
    use imflow::diagnostic::Diagnostic;
    // The first part's document is an empty `imdn` element: no message-id, no status.
    let multipart = "--agg\r\nContent-Type: message/imdn+xml\r\n\r\n<imdn/>\r\n--agg--";
    let inner = imflow::multipart::parse_aggregate(multipart.as_bytes(), "agg")
        .expect_err("an empty IMDN document");
    let bytes = aggregate_to_bob(multipart, "agg9", "UDP");
    let expected = bytes.find(multipart).expect("the body is in the datagram") + inner.offset();
    let (rule, offset) = refused_400(bytes.as_bytes());
    assert_eq!(rule, inner.rule());
    assert_eq!(offset, expected, "the offset of the fault in the datagram");
    assert!(bytes[offset..].starts_with("<imdn/>"));
}

#[test]
fn a_malformed_request_that_cannot_be_answered_is_only_reported() {
    // Without a CSeq there is nothing to echo; with a top Via that does not parse there is
    // nowhere to send an answer: no 400, one MalformedInput each.
    let without_cseq =
        b"MESSAGE sip:bob@10.0.0.2 SIP/2.0\r\nVia: SIP/2.0/UDP 10.0.0.12;branch=z9hG4bK.y\r\n\
        Max-Forwards: 70\r\nFrom: <sip:a@b>;tag=1\r\nTo: <sip:bob@beta.example>\r\nCall-ID: c\r\n\
        Content-Length: 0\r\n\r\n";
    let bad_via = b"MESSAGE sip:bob@10.0.0.2 SIP/2.0\r\nVia: nonsense\r\n\
        Max-Forwards: 70\r\nFrom: <sip:a@b>;tag=1\r\nTo: <sip:bob@beta.example>\r\nCall-ID: c\r\n\
        CSeq: 1 MESSAGE\r\nContent-Length: 0\r\n\r\n";
    for bad in [&without_cseq[..], &bad_via[..]] {
        let mut ua = bob();
        ua.handle_datagram(Instant(0), addr(12), Transport::Udp, bad);
        let (out, events) = drain(&mut ua);
        assert!(out.is_empty(), "{}", text(&out[0]));
        assert!(matches!(events.as_slice(), [Event::MalformedInput { .. }]));
    }
}

#[test]
fn a_malformed_response_is_never_answered_even_when_its_rows_could_be_echoed() {
    let mut ua = bob();
    let bad = b"SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP 10.0.0.2:5060;branch=z9hG4bK.q\r\n\
        From: <sip:bob@beta.example>;tag=1\r\nTo: <sip:carol@delta.example>;tag=2\r\nCall-ID: q\r\n\
        CSeq: many MESSAGE\r\nContent-Length: 0\r\n\r\n";
    ua.handle_datagram(Instant(0), addr(12), Transport::Udp, bad);
    let (out, events) = drain(&mut ua);
    assert!(out.is_empty(), "{}", text(&out[0]));
    assert!(matches!(events.as_slice(), [Event::MalformedInput { .. }]));
}

#[test]
fn an_im_whose_cpim_breaks_is_refused_400_naming_the_byte_in_the_datagram() {
    use imflow::diagnostic::Diagnostic;
    let body = "From: <sip:alice@alpha.example>\r\nTo: <sip:bob@beta.example>\r\n\
                DateTime 2024-03-18T09:30:05+01:00\r\n\r\nContent-Type: text/plain\r\n\r\nHi.";
    let inner = imflow::cpim::parse(body.as_bytes()).expect_err("a header line without colon");
    let bytes = format!(
        "MESSAGE sip:bob@10.0.0.2:5060 SIP/2.0\r\nVia: SIP/2.0/UDP 10.0.0.12:5060;branch=z9hG4bK.c1\r\n\
         Max-Forwards: 69\r\nFrom: <sip:alice@alpha.example>;tag=c1\r\nTo: <sip:bob@beta.example>\r\n\
         Call-ID: c-1\r\nCSeq: 1 MESSAGE\r\nContent-Type: message/cpim\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    );
    let expected = bytes.find(body).expect("the body is in the datagram") + inner.offset();
    let (rule, offset) = refused_400(bytes.as_bytes());
    assert_eq!(rule, inner.rule());
    assert_eq!(offset, expected, "the offset of the fault in the datagram");
}
