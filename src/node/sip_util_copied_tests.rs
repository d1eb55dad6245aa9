//! The rows a response repeats, copied in runs, against the general writer: wherever the copy
//! is taken both write the same bytes; a node's own requests are taken, and every shape the
//! general writer rewrites is declined.

use super::super::rows_written;
use super::rows_copied;
use crate::node::test_messages::NODES_IM as IM;
use crate::sip::{parse_datagram, OwnedMessage};
use bytes::BytesMut;
use proptest::prelude::*;

/// Whether the copy takes `text` answered with `to_tag`, asserting it then writes what the
/// general writer writes, and that a declined copy leaves what was written before as it was.
/// `None`: not a request that parses.
fn copy_agrees(text: &[u8], to_tag: &str) -> Option<bool> {
    let request = parse_datagram(text).ok().filter(|m| m.is_request())?;
    let mut general = BytesMut::from(&b"earlier"[..]);
    rows_written(&mut general, &request, to_tag);
    let mut copied = BytesMut::from(&b"earlier"[..]);
    let taken = rows_copied(&mut copied, &request, to_tag);
    if taken {
        assert_eq!(
            String::from_utf8_lossy(&copied),
            String::from_utf8_lossy(&general),
            "{:?} with tag {to_tag:?}",
            String::from_utf8_lossy(text)
        );
    } else {
        assert_eq!(&copied[..], b"earlier", "a declined copy writes nothing");
    }
    Some(taken)
}

#[test]
fn a_nodes_request_is_copied_and_every_other_shape_left_to_the_general_writer() {
    let taken = |text: &str, tag: &str| copy_agrees(text.as_bytes(), tag).expect("parses");
    let proven = |text: &str| parse_datagram(text.as_bytes()).is_ok_and(|m| m.node_rows().all());
    assert!(proven(IM), "the shape every node writes is proven");
    // A hop with a host name is not a node's proven shape: read without the proof.
    let named_hop = IM.replacen("10.0.0.12:5060", "pf.example", 1);
    assert!(!proven(&named_hop));
    for tag in ["8b3d5eb67c280b41", ""] {
        assert!(taken(IM, tag), "a node's own request");
        assert!(taken(&named_hop, tag), "a request in serializer form");
        let tagged = named_hop.replacen("bob@beta.example>", "bob@beta.example>;TAG=7", 1);
        assert!(taken(&tagged, tag), "a tag named in capitals");
        assert!(taken(
            &IM.replacen("bob@beta.example>", "bob@beta.example>;tag=7", 1),
            tag
        ));
        assert!(
            taken(&IM.replacen("Call-ID: c1\r\n", "", 1), tag),
            "no Call-ID"
        );
        assert!(taken(
            &IM.replacen("To: <sip:bob@beta.example>\r\n", "", 1),
            tag
        ));
        let to_last = IM
            .replacen("To: <sip:bob@beta.example>\r\n", "", 1)
            .replacen("hi", "", 1)
            .replacen(
                "Content-Length: 2\r\n",
                "To: <sip:b@h>\r\nContent-Length: 0\r\n",
                1,
            );
        assert!(taken(&to_last, tag), "rows apart are copied apart");
        let twice = IM.replacen("Call-ID: c1\r\n", "Call-ID: c1\r\nFrom: <sip:x@y>\r\n", 1);
        assert!(taken(&twice, tag), "the first From is repeated");
        assert!(taken(
            "OPTIONS sip:x@y SIP/2.0\r\nContent-Length: 0\r\n\r\n",
            tag
        ));
        for declined in [
            IM.replacen("bKcf\r\n", "bKcf, SIP/2.0/UDP h\r\n", 1),
            IM.replacen("bKcf\r\n", "bKcf;x=\"a\"\r\n", 1),
            IM.replacen("bKcf\r\n", "bKcf;x=<a>\r\n", 1),
            IM.replacen("Via: SIP/2.0/UDP 10.0.0.2", "v: SIP/2.0/UDP 10.0.0.2", 1),
            IM.replacen("From: <", "f: <", 1),
            IM.replacen("To: <", "To:  <", 1),
            IM.replacen("Call-ID: c1", "Call-ID:\r\n c1", 1),
            IM.replacen("CSeq: 1", "CSEQ: 1", 1),
            // A Via row apart from the others.
            IM.replacen("Via: SIP/2.0/UDP 10.0.0.2:5060;branch=z9hG4bKua\r\n", "", 1)
                .replacen(
                    "Call-ID: c1\r\n",
                    "Call-ID: c1\r\nVia: SIP/2.0/UDP h\r\n",
                    1,
                ),
        ] {
            assert_ne!(declined, IM, "the edit applies");
            let taken = copy_agrees(declined.as_bytes(), tag);
            assert_eq!(taken, Some(false), "{declined:?} goes the general way");
        }
    }
}

/// Rows a request is built from: a node's own rows, and rows in the other forms a request may
/// hold (compact names, lists, quotes, brackets, extra white space, a second To).
const ROWS: [&str; 14] = [
    "Via: SIP/2.0/UDP 10.0.0.12:5060;branch=z9hG4bKcf",
    "Via: SIP/2.0/UDP 10.0.0.2:5060;branch=z9hG4bKua",
    "Max-Forwards: 69",
    "From: <sip:alice@alpha.example>;tag=1",
    "To: <sip:bob@beta.example>",
    "Call-ID: c1",
    "CSeq: 1 MESSAGE",
    "Content-Type: message/cpim",
    "v: SIP/2.0/TCP h;branch=z9hG4bKx",
    "To: \"Tag\" <sip:x@y>;tag=2",
    "Via: SIP/2.0/UDP a;branch=z9hG4bKa, SIP/2.0/UDP b",
    "From:  <sip:f@g>",
    "t: <sip:t@h>",
    "Call-ID:\r\n c2",
];

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2_000))]

    #[test]
    fn a_request_of_any_rows_is_answered_with_the_general_writers_bytes(
        picks in proptest::collection::vec(0..ROWS.len(), 0..12),
        tagged in any::<bool>(),
    ) {
        let mut text = String::from("MESSAGE sip:bob@beta.example SIP/2.0\r\n");
        for pick in picks {
            text.push_str(ROWS[pick]);
            text.push_str("\r\n");
        }
        text.push_str("Content-Length: 0\r\n\r\n");
        let tag = if tagged { "t1" } else { "" };
        prop_assert!(copy_agrees(text.as_bytes(), tag).is_some(), "{text:?} parses");
    }

    #[test]
    fn the_copy_writes_what_the_general_writer_writes(
        seed in proptest::collection::vec(any::<u8>(), 64..512),
        cut in any::<usize>(),
        tagged in any::<bool>(),
    ) {
        let mut u = arbitrary::Unstructured::new(&seed);
        let Ok(owned) = <OwnedMessage as arbitrary::Arbitrary>::arbitrary(&mut u) else {
            return Ok(());
        };
        let tag = if tagged { "t1" } else { "" };
        let wire = owned.to_bytes();
        copy_agrees(&wire, tag);
        // The same bytes with one byte dropped: any shape the copy takes must still agree.
        if let Some(at) = wire.len().checked_sub(1).map(|last| cut % (last + 1)) {
            let mut shorter = wire.clone();
            shorter.remove(at);
            copy_agrees(&shorter, tag);
        }
    }
}
