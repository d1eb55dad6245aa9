//! The wire writers against the owned-message path they replace, byte for byte.

use super::*;
use crate::sip::{parse_datagram, serialize_into, OwnedHeader, OwnedMessage, OwnedStartLine};

/// The wire form of a request a role built (a response yields an empty method): the
/// tests' reference for the requests written straight to wire form.
fn from_owned(request: &OwnedMessage) -> OutgoingRequest {
    let mut bytes = vec![0; VIA_ROW_ROOM_BYTES];
    serialize_into(request, &mut bytes);
    let via_at = VIA_ROW_ROOM_BYTES + line_end(bytes.get(VIA_ROW_ROOM_BYTES..).unwrap_or_default());
    let method_len = match &request.start_line {
        OwnedStartLine::Request { method, .. } => method.len(),
        OwnedStartLine::Response { .. } => 0,
    };
    OutgoingRequest {
        bytes: bytes::BytesMut::from(&bytes[..]),
        via_at,
        method_len,
    }
}

/// Offset just past the first CRLF of `bytes` (its length if there is none).
fn line_end(bytes: &[u8]) -> usize {
    bytes
        .windows(2)
        .position(|w| w == b"\r\n")
        .map_or(bytes.len(), |at| at + 2)
}

/// Requests and responses of usual and unusual shape: folded values, compact and odd-case
/// names, no Via, a Via row with two elements, Via rows apart or adjacent, a Max-Forwards
/// above the Via, two spaces or none after a colon, an empty value, a body.
const SHAPES: [&str; 10] = [
    "MESSAGE sip:bob@beta.example SIP/2.0\r\nVia: SIP/2.0/UDP a.example;branch=z9hG4bK1\r\nVia: SIP/2.0/UDP b.example;branch=z9hG4bK2\r\nMax-Forwards: 69\r\nFrom:  <sip:a@alpha.example>;tag=1\r\nTo:<sip:bob@beta.example>\r\nSubject:\r\nCall-ID: c1\r\nCSeq: 1 MESSAGE\r\nContent-Length: 0\r\n\r\n",
    "SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP pf.example;branch=z9hG4bKp\r\nVia: SIP/2.0/UDP ua.example;branch=z9hG4bKu\r\nFrom: <sip:a@alpha.example>;tag=1\r\nTo: <sip:bob@beta.example>;tag=2\r\nCall-ID: c1\r\nCSeq: 1 MESSAGE\r\nContent-Length: 0\r\n\r\n",
    "SIP/2.0 202 Accepted\r\nVia: SIP/2.0/UDP pf.example;branch=z9hG4bKp\r\nFrom: <sip:a@alpha.example>;tag=1\r\nVia: SIP/2.0/UDP ua.example;branch=z9hG4bKu\r\nTo:  <sip:bob@beta.example>;tag=2\r\nCall-ID: c1\r\nCSeq: 1 MESSAGE\r\n\r\n",
    "SIP/2.0 200 OK\r\nVia:  SIP/2.0/UDP pf.example;branch=z9hG4bKp\r\nv: SIP/2.0/UDP ua.example;branch=z9hG4bKu\r\nFrom: <sip:a@alpha.example>;tag=1\r\nTo: <sip:bob@beta.example>;tag=2\r\nCall-ID: c1\r\nCSeq: 1 MESSAGE\r\nContent-Length: 0\r\n\r\n",
    "MESSAGE sip:bob@beta.example SIP/2.0\r\nVia: SIP/2.0/UDP a.example;branch=z9hG4bK1\r\nMax-Forwards: 70\r\nFrom: <sip:a@alpha.example>;tag=1\r\nTo: <sip:bob@beta.example>\r\nCall-ID: c1\r\nCSeq: 1 MESSAGE\r\nContent-Type: text/plain\r\nContent-Length: 2\r\n\r\nhi",
    "MESSAGE sip:bob@beta.example SIP/2.0\r\nMax-Forwards: 9\r\nv: SIP/2.0/UDP a.example;branch=z9hG4bK1, SIP/2.0/UDP b.example;branch=z9hG4bK2\r\nf: <sip:a@alpha.example>\r\n ;tag=1\r\nt: <sip:bob@beta.example>\r\ni: c1\r\nCSEQ: 1 MESSAGE\r\nX-Odd: a,\r\n\tb\r\nl: 0\r\n\r\n",
    "MESSAGE sip:bob@beta.example SIP/2.0\r\nFrom: <sip:a@alpha.example>;tag=1\r\nTo: <sip:bob@beta.example>\r\nCall-ID: c1\r\nCSeq: 1 MESSAGE\r\n\r\n",
    "SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP pf.example;branch=z9hG4bKp, SIP/2.0/UDP ua.example;branch=z9hG4bKu\r\nFrom: <sip:a@alpha.example>;tag=1\r\nTo: <sip:bob@beta.example>;tag=2\r\nCall-ID: c1\r\nCSeq: 1 MESSAGE\r\nContent-Length: 0\r\n\r\n",
    "SIP/2.0 202 Accepted\r\nCall-ID: c1\r\nv: SIP/2.0/UDP pf.example;branch=z9hG4bKp\r\nFrom: <sip:a@alpha.example>;tag=1\r\nVia: SIP/2.0/TCP ua.example;branch=z9hG4bKu,\r\n SIP/2.0/UDP x.example;branch=z9hG4bKx\r\nTo: <sip:bob@beta.example>;tag=2\r\nCSeq: 1 MESSAGE\r\n\r\n",
    "SIP/2.0 480 \r\nFrom: <sip:a@alpha.example>;tag=1\r\nTo: <sip:bob@beta.example>;tag=2\r\nCall-ID: c1\r\nCSeq: 1 MESSAGE\r\nContent-Length: 3\r\n\r\nabc",
];

/// A proxy's copy the way the owned message path writes it: the oracle.
fn forwarded_the_owned_way(msg: &Message<'_>, uri: Option<&str>, hops: u8) -> Vec<u8> {
    let mut request = msg.to_owned();
    request
        .headers
        .retain(|h| HeaderKind::from_name(&h.name) != HeaderKind::MaxForwards);
    if let (Some(uri), OwnedStartLine::Request { uri: target, .. }) = (uri, &mut request.start_line)
    {
        *target = uri.to_owned();
    }
    let at = msg
        .rows()
        .filter(|h| !matches!(h.kind, HeaderKind::ContentLength | HeaderKind::MaxForwards))
        .position(|h| h.kind == HeaderKind::Via)
        .map_or(0, |i| i + 1);
    let row = OwnedHeader {
        name: "Max-Forwards".to_owned(),
        value: hops.to_string(),
    };
    request.headers.insert(at.min(request.headers.len()), row);
    request.headers.insert(
        0,
        OwnedHeader {
            name: "Via".to_owned(),
            value: "SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bKnew".to_owned(),
        },
    );
    request.to_bytes()
}

/// A relayed response the way the owned message path writes it: the oracle.
fn relayed_the_owned_way(response: &Message<'_>) -> Vec<u8> {
    let first_via = response
        .rows()
        .filter(|h| h.kind != HeaderKind::ContentLength)
        .position(|h| h.kind == HeaderKind::Via);
    let mut owned = response.to_owned();
    owned
        .headers
        .retain(|h| HeaderKind::from_name(&h.name) != HeaderKind::Via);
    let upstream: Vec<OwnedHeader> = response
        .headers("Via")
        .skip(1)
        .map(|v| OwnedHeader {
            name: "Via".to_owned(),
            value: v.to_owned(),
        })
        .collect();
    let at = first_via.unwrap_or(0).min(owned.headers.len());
    owned.headers.splice(at..at, upstream);
    owned.to_bytes()
}

#[test]
fn a_forwarded_request_has_the_bytes_the_owned_path_writes() {
    for text in SHAPES.iter().filter(|t| !t.starts_with("SIP/")) {
        let msg = parse_datagram(text.as_bytes()).expect("shape parses");
        for (uri, hops) in [(None, 69), (Some("sip:bob@192.0.2.9:5070"), 0)] {
            let copy = forwarded_request(&msg, uri, hops);
            let forwarded = copy.written_apart();
            // The transaction's method is the received Request-Line's.
            assert_eq!(Some(forwarded.method()), msg.method().map(|m| m.as_str()));
            let wire = forwarded.with_via("SIP/2.0/UDP 192.0.2.1:5060;branch=", "z9hG4bKnew");
            let oracle = forwarded_the_owned_way(&msg, uri, hops);
            assert_eq!(
                String::from_utf8_lossy(&wire),
                String::from_utf8_lossy(&oracle)
            );
            // Written as a piece of a chunk after an earlier message, with a short room: the
            // same bytes once the Via is in, the earlier message untouched.
            let mut chunk = bytes::BytesMut::with_capacity(64);
            chunk.extend_from_slice(b"earlier");
            let earlier = chunk.split().freeze();
            let (via_at, method_len) = copy.write_to(&mut chunk);
            let piece = OutgoingRequest::of_piece(chunk.split(), via_at, method_len);
            let wire = piece.with_via("SIP/2.0/UDP 192.0.2.1:5060;branch=", "z9hG4bKnew");
            assert_eq!(
                String::from_utf8_lossy(&wire),
                String::from_utf8_lossy(&oracle)
            );
            assert_eq!(&earlier[..], b"earlier");
        }
    }
}

#[test]
fn a_relayed_response_has_the_bytes_the_owned_path_writes() {
    for text in SHAPES.iter().filter(|t| t.starts_with("SIP/")) {
        let msg = parse_datagram(text.as_bytes()).expect("shape parses");
        let (code, relay) = relayed_response(&msg).expect("a response");
        let mut wire = Vec::new();
        relay.write_to(&mut wire);
        // Written into a chunk after an earlier message, only its own bytes follow.
        let mut chunk = bytes::BytesMut::from(&b"earlier"[..]);
        relay.write_to(&mut chunk);
        assert_eq!(&chunk[..7], b"earlier");
        assert_eq!(&chunk[7..], &wire[..], "{text:?}");
        assert_eq!(Some(code), msg.status().map(|s| s.code()));
        assert_eq!(
            String::from_utf8_lossy(&wire),
            String::from_utf8_lossy(&relayed_the_owned_way(&msg))
        );
    }
    let request = parse_datagram(SHAPES[0].as_bytes()).expect("parses");
    assert!(relayed_response(&request).is_none());
}

#[test]
fn a_built_request_gets_its_via_right_below_the_request_line() {
    let owned = OwnedMessage::request("MESSAGE", "sip:bob@beta.example")
        .header("Max-Forwards", "70")
        .header("Call-ID", "c1")
        .body(&b"hi"[..]);
    let outgoing = from_owned(&owned);
    assert_eq!(outgoing.method(), "MESSAGE");
    let wire = outgoing
        .clone()
        .with_via("SIP/2.0/TCP 192.0.2.1:5060;branch=", "z9hG4bKx");
    let via = "Via: SIP/2.0/TCP 192.0.2.1:5060;branch=z9hG4bKx\r\n";
    let expected = format!(
        "MESSAGE sip:bob@beta.example SIP/2.0\r\n{via}Max-Forwards: 70\r\nCall-ID: c1\r\n\
         Content-Length: 2\r\n\r\nhi"
    );
    assert_eq!(String::from_utf8_lossy(&wire), expected);
    assert_eq!(
        outgoing.wire_len(via_row_len(
            "SIP/2.0/TCP 192.0.2.1:5060;branch=",
            "z9hG4bKx"
        )),
        expected.len()
    );
}

#[test]
fn a_request_written_row_by_row_has_the_bytes_the_owned_path_writes() {
    let contact = "sip:dave@10.0.0.4:5060";
    let written = OutgoingRequest::written(
        "REGISTER",
        "sip:epsilon.example",
        &[
            ("Max-Forwards", &["70"]),
            ("From", &["<", "sip:dave@epsilon.example", ">;tag=", "0f1e"]),
            ("To", &["<sip:dave@epsilon.example>"]),
            ("Call-ID", &["c1@10.0.0.4"]),
            ("CSeq", &["7", " REGISTER"]),
            ("Contact", &["<", contact, ">;expires=", "3600"]),
        ],
        b"",
    );
    let owned = OwnedMessage::request("REGISTER", "sip:epsilon.example")
        .header("Max-Forwards", "70")
        .header("From", "<sip:dave@epsilon.example>;tag=0f1e")
        .header("To", "<sip:dave@epsilon.example>")
        .header("Call-ID", "c1@10.0.0.4")
        .header("CSeq", "7 REGISTER")
        .header("Contact", format!("<{contact}>;expires=3600"));
    assert_eq!(written, from_owned(&owned));
    assert_eq!(written.method(), "REGISTER");
    let with_body =
        OutgoingRequest::written("MESSAGE", "sip:b@x", &[("CSeq", &["1 MESSAGE"])], b"hi");
    let owned = OwnedMessage::request("MESSAGE", "sip:b@x")
        .header("CSeq", "1 MESSAGE")
        .body(&b"hi"[..]);
    assert_eq!(with_body, from_owned(&owned));
}

#[test]
fn a_via_row_of_any_length_lands_right_below_the_request_line() {
    let owned = OwnedMessage::request("MESSAGE", "sip:bob@beta.example")
        .header("Call-ID", "c1")
        .body(&b"hi"[..]);
    let ipv6 = "SIP/2.0/UDP [2001:db8:ffff:ffff:ffff:ffff:ffff:ffff]:65535;branch=";
    let branch = "z9hG4bK0123456789abcdef";
    let too_long = "x".repeat(VIA_ROW_ROOM_BYTES);
    // The longest row a node writes fits the room; a longer one takes the slow path.
    assert!(via_row_len(ipv6, branch) <= VIA_ROW_ROOM_BYTES);
    assert!(via_row_len(&too_long, branch) > VIA_ROW_ROOM_BYTES);
    for prefix in ["SIP/2.0/UDP 192.0.2.1:5060;branch=", ipv6, &too_long] {
        let outgoing = from_owned(&owned);
        let row_len = via_row_len(prefix, branch);
        let expected_len = outgoing.wire_len(row_len);
        let wire = outgoing.with_via(prefix, branch);
        let expected = format!(
            "MESSAGE sip:bob@beta.example SIP/2.0\r\nVia: {prefix}{branch}\r\nCall-ID: c1\r\n\
             Content-Length: 2\r\n\r\nhi"
        );
        assert_eq!(String::from_utf8_lossy(&wire), expected);
        assert_eq!(wire.len(), expected_len);
    }
}

#[test]
fn a_cpim_message_has_the_bytes_the_owned_path_writes() {
    let body = b"From: <sip:a@alpha.example>\r\n\r\nContent-Type: text/plain\r\n\r\nhi";
    let message = CpimMessage {
        uri: "sip:climbers@cf.gamma.example",
        from: &["\"Alice\" <", "sip:a@alpha.example", ">"],
        tag: "0123456789abcdef",
        to: "sip:climbers@cf.gamma.example",
        call_id: &["fedcba9876543210", "@", "192.0.2.1"],
        body,
    };
    let owned = OwnedMessage::request("MESSAGE", message.uri)
        .header("Max-Forwards", "70")
        .header(
            "From",
            "\"Alice\" <sip:a@alpha.example>;tag=0123456789abcdef",
        )
        .header("To", "<sip:climbers@cf.gamma.example>")
        .header("Call-ID", "fedcba9876543210@192.0.2.1")
        .header("CSeq", "1 MESSAGE")
        .header("Content-Type", "message/cpim")
        .body(&body[..]);
    assert_eq!(message.to_outgoing(), from_owned(&owned));
}

#[test]
fn a_row_in_the_serializers_form_is_found_where_it_lies_and_others_are_not() {
    let text = SHAPES[0];
    let msg = parse_datagram(text.as_bytes()).expect("shape parses");
    let mut out = Vec::new();
    let writer = RowWriter::new(&msg, &mut out);
    let mut plain = Vec::new();
    for row in msg.rows() {
        match writer.as_received(&row) {
            Some(span) => {
                let expected = format!("{}: {}\r\n", row.name, row.value);
                assert_eq!(text.get(span.clone()), Some(expected.as_str()));
                plain.push(row.name);
            }
            None => assert_ne!(
                text.get(msg.offset_of(row.name)..row.offset + row.value.len() + 2),
                Some(format!("{}: {}\r\n", row.name, row.value).as_str())
            ),
        }
    }
    // `From:  <...>` (two spaces), `To:<...>` (none) and the empty Subject are rewritten.
    assert_eq!(
        plain,
        [
            "Via",
            "Via",
            "Max-Forwards",
            "Call-ID",
            "CSeq",
            "Content-Length"
        ]
    );
}

#[test]
fn a_plain_hop_is_copied_as_received_and_others_are_rewritten_as_via() {
    let hops = |text: &'static str| {
        let msg = parse_datagram(text.as_bytes()).expect("shape parses");
        let vias: Vec<_> = msg.rows().filter(|h| h.kind == HeaderKind::Via).collect();
        let (mut out, mut waiting) = (Vec::new(), false);
        let mut writer = RowWriter::new(&msg, &mut out);
        if let Some(hop) = vias.get(1) {
            writer.hop(hop);
            waiting = !writer.run.is_empty();
            writer.flush();
        }
        (String::from_utf8_lossy(&out).into_owned(), waiting)
    };
    let plain = "Via: SIP/2.0/UDP ua.example;branch=z9hG4bKu\r\n".to_owned();
    // `Via: ...` as written waits to be copied; `v: ...` is written as a `Via` row.
    assert_eq!(hops(SHAPES[1]), (plain.clone(), true));
    assert_eq!(hops(SHAPES[3]), (plain, false));
}

#[test]
fn a_number_is_written_in_decimal_as_the_codec_writes_it() {
    for n in [
        0,
        1,
        9,
        10,
        69,
        200,
        699,
        1_048_576,
        u64::from(u32::MAX),
        u64::MAX,
    ] {
        let mut out = b"x".to_vec();
        push_decimal(&mut out, n);
        assert_eq!(out, format!("x{n}").into_bytes());
    }
}

#[test]
fn a_request_names_its_method_whatever_it_is() {
    for method in ["MESSAGE", "REGISTER", "OPTIONS", "MESSAGEX", "MESS", "x"] {
        let request = OutgoingRequest::written(method, "sip:bob@beta.example", &[], b"");
        assert_eq!(request.method(), method);
    }
}
