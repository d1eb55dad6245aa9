//! The relay copied as received against the general writer: wherever the copy is taken, both
//! write the same bytes; a node's own responses are taken, and every edit that moves a byte
//! the general writer rewrites is declined.

use super::super::relayed_response;
use super::relayed;
use crate::sip::{parse_datagram, OwnedMessage};
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

const OK: &str = "SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP 10.0.0.12:5060;branch=z9hG4bKpf\r\n\
    Via: SIP/2.0/UDP 10.0.0.2:5060;branch=z9hG4bKcf\r\nFrom: <sip:alice@alpha.example>;tag=1\r\n\
    To: <sip:bob@beta.example>;tag=2\r\nCall-ID: c1\r\nCSeq: 1 MESSAGE\r\nContent-Length: 0\r\n\r\n";

#[test]
fn a_nodes_response_is_copied_and_every_other_shape_left_to_the_general_writer() {
    let taken = |text: &str| copy_agrees(text.as_bytes()).expect("a response that parses");
    assert!(taken(OK), "a node's own response");
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

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2_000))]

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
