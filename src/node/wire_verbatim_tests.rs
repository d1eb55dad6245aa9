//! The relay and the proxy's copy of a request made of received bytes against the general
//! writers: wherever the copy is taken, both write the same bytes (and offsets); a node's own
//! messages are taken, and every edit that moves a byte the general writer rewrites is declined.

use super::super::{forwarded_request, relayed_response, VIA_ROW_ROOM_BYTES};
use super::{forwarded, relayed};
use crate::node::test_messages::NODES_OK as OK;
use crate::sip::{parse_datagram, OwnedMessage};
use bytes::BytesMut;
use proptest::prelude::*;

/// Whether the copy takes `text`, asserting it then writes what the general writer writes, and
/// that a declined copy leaves what was written before as it was. `None`: not a response.
fn copy_agrees(text: &[u8]) -> Option<bool> {
    let msg = parse_datagram(text).ok()?;
    let (_, relay) = relayed_response(&msg)?;
    let mut general = b"earlier".to_vec();
    relay.write_by_rule(&mut general);
    let mut copied = b"earlier".to_vec();
    let taken = relayed(&msg, &mut copied);
    if taken {
        assert_eq!(
            String::from_utf8_lossy(&copied),
            String::from_utf8_lossy(&general),
            "{:?}",
            String::from_utf8_lossy(text)
        );
    } else {
        assert_eq!(copied, b"earlier", "a declined copy writes nothing");
    }
    // Whichever way it goes, the relay is the general writer's.
    let mut relayed_bytes = b"earlier".to_vec();
    relay.write_to(&mut relayed_bytes);
    assert_eq!(relayed_bytes, general);
    Some(taken)
}

#[test]
fn a_nodes_response_is_copied_and_every_other_shape_left_to_the_general_writer() {
    let taken = |text: &str| copy_agrees(text.as_bytes()).expect("a response that parses");
    assert!(taken(OK), "a node's own response");
    let proven = parse_datagram(OK.as_bytes()).is_ok_and(|m| m.node_rows().all());
    assert!(proven, "the shape every node writes is proven");
    let named_hops = OK.replacen("10.0.0.12:5060", "pf.example", 1);
    assert!(
        taken(&named_hops),
        "a response in serializer form, not proven"
    );
    let listed = named_hops.replacen("bKcf\r\n", "bKcf, SIP/2.0/UDP h\r\n", 1);
    assert_eq!(
        copy_agrees(listed.as_bytes()),
        Some(false),
        "two hops in a row"
    );
    let with_body = OK.replacen(
        "Content-Length: 0\r\n\r\n",
        "Content-Length: 3\r\n\r\nabc",
        1,
    );
    assert!(taken(&with_body), "a body follows the copied rows");
    assert!(taken(&OK.replacen("200 OK", "480 ", 1)), "an empty reason");
    assert!(taken(&OK.replacen("200 OK", "202 Accepted", 1)));
    assert!(
        taken(&OK.replacen("200 OK", "200  OK", 1)),
        "a reason read from its SP on"
    );
    assert!(
        taken(&OK.replacen("200 OK", "200 OK ", 1)),
        "a reason up to its CRLF"
    );
    assert!(
        taken(&format!("\r\n\r\n{OK}")),
        "CRLFs before the status line"
    );
    let one_via = OK.replacen("Via: SIP/2.0/UDP 10.0.0.2:5060;branch=z9hG4bKcf\r\n", "", 1);
    assert!(taken(&one_via));
    assert!(
        taken("SIP/2.0 200 OK\r\nCall-ID: c\r\nContent-Length: 0\r\n\r\n"),
        "no Via"
    );
    assert!(
        taken("SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP h\r\n\r\n"),
        "no Content-Length"
    );
    assert!(taken("SIP/2.0 200 OK\r\n\r\n"), "no rows");
    let length_first = OK.replacen("Content-Length: 0\r\n", "", 1).replacen(
        "OK\r\n",
        "OK\r\nContent-Length: 0\r\n",
        1,
    );
    for declined in [
        OK.replacen("Content-Length: 0", "Content-Length: 00", 1),
        OK.replacen("Content-Length: 0", "l: 0", 1),
        OK.replacen("Content-Length: 0", "Content-Length:  0", 1),
        with_body.replacen("Content-Length: 3", "Content-Length: 003", 1),
        length_first,
        OK.replacen("Via: SIP/2.0/UDP 10.0.0.2", "v: SIP/2.0/UDP 10.0.0.2", 1),
        OK.replacen("Via: SIP/2.0/UDP 10.0.0.12", "v: SIP/2.0/UDP 10.0.0.12", 1),
        OK.replacen("bKpf\r\n", "bKpf, SIP/2.0/UDP h\r\n", 1),
        OK.replacen("bKcf\r\n", "bKcf,SIP/2.0/UDP h\r\n", 1),
        OK.replacen("Call-ID: c1", "Call-ID:\r\n c1", 1),
        OK.replacen("From: <", "From:  <", 1),
        // A Via row apart from the top one.
        OK.replacen("Via: SIP/2.0/UDP 10.0.0.2:5060;branch=z9hG4bKcf\r\n", "", 1)
            .replacen(
                "Call-ID: c1\r\n",
                "Call-ID: c1\r\nVia: SIP/2.0/UDP h\r\n",
                1,
            ),
        // Two Content-Length rows.
        OK.replacen("Call-ID: c1\r\n", "Content-Length: 0\r\nCall-ID: c1\r\n", 1),
    ] {
        assert_ne!(declined, OK, "the edit applies");
        let taken = copy_agrees(declined.as_bytes());
        assert_eq!(taken, Some(false), "{declined:?} goes the general way");
    }
}

/// Rows a response is built from: a node's own rows, and rows in the other forms a response
/// may hold (compact names, lists, extra white space, Content-Length written otherwise).
const ROWS: [&str; 12] = [
    "Via: SIP/2.0/UDP 10.0.0.12:5060;branch=z9hG4bKpf",
    "Via: SIP/2.0/UDP 10.0.0.2:5060;branch=z9hG4bKcf",
    "From: <sip:alice@alpha.example>;tag=1",
    "To: <sip:bob@beta.example>;tag=2",
    "Call-ID: c1",
    "CSeq: 1 MESSAGE",
    "v: SIP/2.0/TCP h;branch=z9hG4bKx",
    "Via: SIP/2.0/UDP a;branch=z9hG4bKa, SIP/2.0/UDP b",
    "From:  <sip:f@g>",
    "Call-ID:\r\n c2",
    "Content-Length: 0",
    "l: 0",
];

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2_000))]

    #[test]
    fn a_response_of_any_rows_is_relayed_with_the_general_writers_bytes(
        picks in proptest::collection::vec(0..ROWS.len(), 0..12),
        length_last in any::<bool>(),
    ) {
        let mut text = String::from("SIP/2.0 200 OK\r\n");
        for pick in picks {
            text.push_str(ROWS[pick]);
            text.push_str("\r\n");
        }
        if length_last {
            text.push_str("Content-Length: 0\r\n");
        }
        text.push_str("\r\n");
        // A shape the parser refuses (two Content-Length rows) has nothing to relay.
        if parse_datagram(text.as_bytes()).is_ok() {
            prop_assert!(copy_agrees(text.as_bytes()).is_some(), "{text:?} is relayed");
        }
    }

    #[test]
    fn the_copy_writes_what_the_general_writer_writes(
        seed in proptest::collection::vec(any::<u8>(), 64..512),
        cut in any::<usize>(),
    ) {
        let mut u = arbitrary::Unstructured::new(&seed);
        let Ok(owned) = <OwnedMessage as arbitrary::Arbitrary>::arbitrary(&mut u) else {
            return Ok(());
        };
        let wire = owned.to_bytes();
        copy_agrees(&wire);
        // The same bytes with one byte of the header section dropped: most such shapes are
        // refused or declined; any the copy takes must still agree.
        if let Some(at) = wire.len().checked_sub(1).map(|last| cut % (last + 1)) {
            let mut shorter = wire.clone();
            shorter.remove(at);
            copy_agrees(&shorter);
        }
    }
}

/// Whether the copy takes request `text` forwarded with `uri`, asserting it then writes what
/// the general writer writes, with the same offsets, and writes nothing when declined. `None`:
/// not a request that parses.
fn forward_agrees(text: &[u8], uri: Option<&str>) -> Option<bool> {
    let msg = parse_datagram(text).ok().filter(|m| m.is_request())?;
    let copy = forwarded_request(&msg, uri, 69);
    let room = || BytesMut::from(&[0u8; VIA_ROW_ROOM_BYTES][..]);
    let mut general = room();
    let general_offsets = copy.write_by_rule(&mut general);
    let mut copied = room();
    let taken = forwarded(&msg, uri, b"69", &mut copied);
    match taken {
        Some(offsets) => {
            assert_eq!(
                String::from_utf8_lossy(&copied),
                String::from_utf8_lossy(&general),
                "{:?} to {uri:?}",
                String::from_utf8_lossy(text)
            );
            assert_eq!(offsets, general_offsets);
        }
        None => assert_eq!(copied, room(), "a declined copy writes nothing"),
    }
    Some(taken.is_some())
}

const IM: &str = "MESSAGE sip:bob@beta.example SIP/2.0\r\n\
    Via: SIP/2.0/UDP 10.0.0.2:5060;branch=z9hG4bKua\r\nMax-Forwards: 70\r\n\
    From: <sip:alice@alpha.example>;tag=1\r\nTo: <sip:bob@beta.example>\r\nCall-ID: c1\r\n\
    CSeq: 1 MESSAGE\r\nContent-Type: message/cpim\r\nContent-Length: 2\r\n\r\nhi";

#[test]
fn a_nodes_request_is_forwarded_as_received_and_other_shapes_by_the_general_writer() {
    for uri in [None, Some("sip:bob@10.0.0.7:5060")] {
        let taken = |text: &str| forward_agrees(text.as_bytes(), uri).expect("parses");
        assert!(taken(IM), "a node's own request");
        assert!(
            taken(&format!("\r\n{IM}")),
            "a CRLF before the Request-Line"
        );
        assert!(
            taken(&IM.replacen("Max-Forwards: 70\r\n", "", 1)),
            "no Max-Forwards"
        );
        let below = IM.replacen("Max-Forwards: 70\r\n", "", 1).replacen(
            "Call-ID: c1\r\n",
            "Call-ID: c1\r\nMax-Forwards: 9\r\n",
            1,
        );
        assert!(taken(&below), "Max-Forwards further down");
        let no_via = IM.replacen("Via: SIP/2.0/UDP 10.0.0.2:5060;branch=z9hG4bKua\r\n", "", 1);
        assert!(taken(&no_via), "Max-Forwards on top");
        let no_length = IM.replacen("Content-Length: 2\r\n", "", 1);
        assert!(taken(&no_length), "no Content-Length");
        assert!(taken("OPTIONS sip:x@y SIP/2.0\r\n\r\n"), "no rows");
        let hops_on_top = IM.replacen("Max-Forwards: 70\r\n", "", 1).replacen(
            "SIP/2.0\r\n",
            "SIP/2.0\r\nMax-Forwards: 9\r\n",
            1,
        );
        for declined in [
            hops_on_top,
            IM.replacen("Call-ID: c1\r\n", "Call-ID: c1\r\nMax-Forwards: 9\r\n", 1),
            IM.replacen("Content-Length: 2", "l: 2", 1),
            IM.replacen("Content-Length: 2", "Content-Length: 02", 1),
            IM.replacen(
                "Content-Type: message/cpim\r\nContent-Length: 2",
                "Content-Length: 2\r\nContent-Type: message/cpim",
                1,
            ),
            IM.replacen("Max-Forwards: 70", "Max-Forwards:  70", 1),
            IM.replacen("Via: SIP", "v: SIP", 1),
            IM.replacen("Call-ID: c1", "Call-ID:\r\n c1", 1),
        ] {
            assert_ne!(declined, IM, "the edit applies");
            let taken = forward_agrees(declined.as_bytes(), uri);
            assert_eq!(taken, Some(false), "{declined:?} goes the general way");
        }
    }
    // A Request-Line copied as received only when it reads as the writer writes it.
    let spaced = IM.replacen(
        "MESSAGE sip:bob@beta.example",
        "MESSAGE  sip:bob@beta.example",
        1,
    );
    if let Some(taken) = forward_agrees(spaced.as_bytes(), None) {
        assert!(!taken, "{spaced:?}");
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2_000))]

    #[test]
    fn a_request_of_any_rows_is_forwarded_with_the_general_writers_bytes(
        picks in proptest::collection::vec(0..REQUEST_ROWS.len(), 0..12),
        length_last in any::<bool>(),
        retargeted in any::<bool>(),
    ) {
        let mut text = String::from("MESSAGE sip:bob@beta.example SIP/2.0\r\n");
        for pick in picks {
            text.push_str(REQUEST_ROWS[pick]);
            text.push_str("\r\n");
        }
        if length_last {
            text.push_str("Content-Length: 0\r\n");
        }
        text.push_str("\r\n");
        let uri = retargeted.then_some("sip:bob@10.0.0.7");
        if parse_datagram(text.as_bytes()).is_ok() {
            prop_assert!(forward_agrees(text.as_bytes(), uri).is_some(), "{text:?} is forwarded");
        }
    }
}

/// Rows a request is built from: a node's own rows, and rows in the other forms a request may
/// hold (compact names, lists, extra white space, Content-Length written otherwise).
const REQUEST_ROWS: [&str; 10] = [
    "Via: SIP/2.0/UDP 10.0.0.12:5060;branch=z9hG4bKpf",
    "Via: SIP/2.0/UDP 10.0.0.2:5060;branch=z9hG4bKcf",
    "Max-Forwards: 70",
    "From: <sip:alice@alpha.example>;tag=1",
    "Call-ID: c1",
    "v: SIP/2.0/TCP h;branch=z9hG4bKx",
    "Max-Forwards:  7",
    "Call-ID:\r\n c2",
    "Content-Length: 0",
    "l: 0",
];

#[test]
fn every_max_forwards_value_is_written_in_one_row_and_longer_digits_decline() {
    let msg = parse_datagram(IM.as_bytes()).expect("parses");
    for hops in [0u8, 9, 69, 100, 255] {
        let copy = forwarded_request(&msg, None, hops);
        let mut general = BytesMut::from(&[0u8; VIA_ROW_ROOM_BYTES][..]);
        let general_offsets = copy.write_by_rule(&mut general);
        let mut written = BytesMut::new();
        assert_eq!(copy.write_to(&mut written), general_offsets);
        assert_eq!(written, general, "Max-Forwards {hops}");
    }
    let mut out = BytesMut::new();
    assert_eq!(forwarded(&msg, None, b"1000", &mut out), None);
    assert!(out.is_empty(), "a declined copy writes nothing");
}
