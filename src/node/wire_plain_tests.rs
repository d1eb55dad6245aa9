//! The copy of rows in serializer form against the general row writer: wherever the fast path
//! takes a message, both write the same bytes; and it takes every message a node of this stack
//! writes.

use super::super::rewrite::{forwarded_rows_rewritten, relayed_rows_rewritten};
use super::{forwarded_as_serialized, forwarded_rows, relayed_as_serialized, relayed_rows};
use crate::node::test_messages::{NODES_IM as IM, NODES_OK as OK};
use crate::sip::{parse_datagram, Message, OwnedMessage};
use proptest::prelude::*;

/// The rows of `msg` forwarded by the fast path (`None` when it declines) and by the general
/// writer, after a marker that shows the fast path leaves what was written before intact.
fn forwarded_both_ways(msg: &Message<'_>) -> (Option<Vec<u8>>, Vec<u8>) {
    let mut fast = b"start line\r\n".to_vec();
    let taken = forwarded_rows(msg, "69", &mut fast);
    let mut general = b"start line\r\n".to_vec();
    forwarded_rows_rewritten(msg, "69", &mut general);
    if !taken {
        assert_eq!(
            fast, b"start line\r\n",
            "a declined copy leaves the buffer as it was"
        );
    }
    (taken.then_some(fast), general)
}

/// [`forwarded_both_ways`] for a relayed response.
fn relayed_both_ways(msg: &Message<'_>) -> (Option<Vec<u8>>, Vec<u8>) {
    let mut fast = b"status line\r\n".to_vec();
    let taken = relayed_rows(msg, &mut fast);
    let mut general = b"status line\r\n".to_vec();
    relayed_rows_rewritten(msg, &mut general);
    if !taken {
        assert_eq!(
            fast, b"status line\r\n",
            "a declined relay leaves the buffer as it was"
        );
    }
    (taken.then_some(fast), general)
}

/// Whether `text`'s rows go through the fast path, asserting it writes what the general
/// writer does whenever it is taken.
fn fast_path_agrees(text: &[u8]) -> Option<bool> {
    let msg = parse_datagram(text).ok()?;
    let (fast, general) = if msg.is_request() {
        forwarded_both_ways(&msg)
    } else {
        relayed_both_ways(&msg)
    };
    if let Some(fast) = &fast {
        assert_eq!(
            String::from_utf8_lossy(fast),
            String::from_utf8_lossy(&general),
            "{:?}",
            String::from_utf8_lossy(text)
        );
    }
    Some(fast.is_some())
}

#[test]
fn rows_in_serializer_form_are_copied_and_the_rest_left_to_the_general_writer() {
    let taken = |text: &str| fast_path_agrees(text.as_bytes()).expect("the shape parses");
    assert!(taken(IM), "a node's own request");
    assert!(taken(OK), "a node's own response");
    for (shape, edit) in [
        (IM, ("From: <", "From:  <")),
        (IM, ("To: <", "To:<")),
        (IM, ("To: <", "To : <")),
        (IM, ("To: <", "To:\t<")),
        (IM, ("Call-ID: c1", "Call-ID:: c1")),
        (IM, ("Call-ID: c1", "Call-ID: c1 ")),
        (IM, (";tag=1", "\r\n ;tag=1")),
        (IM, ("Content-Length: 2", "Content-Length:\r\n\t2")),
        (OK, ("Call-ID: c1", "Call-ID:\r\n c1")),
        (
            OK,
            (
                "0.2:5060;branch=z9hG4bKcf",
                "0.2:5060;branch=z9hG4bKcf, SIP/2.0/UDP h",
            ),
        ),
        (
            OK,
            (
                "12:5060;branch=z9hG4bKpf",
                "12:5060;branch=z9hG4bKpf,SIP/2.0/UDP h",
            ),
        ),
        (OK, ("Via: SIP/2.0/UDP 10.0.0.2", "v: SIP/2.0/UDP 10.0.0.2")),
    ] {
        let edited = shape.replacen(edit.0, edit.1, 1);
        assert_ne!(edited, shape, "{edit:?} applies");
        assert!(!taken(&edited), "{edited:?} goes the general way");
    }
    // A Via row apart from the others, and one named in its compact form on top.
    let apart = OK
        .replacen("Via: SIP/2.0/UDP 10.0.0.2:5060;branch=z9hG4bKcf\r\n", "", 1)
        .replacen(
            "Call-ID: c1\r\n",
            "Call-ID: c1\r\nVia: SIP/2.0/UDP h\r\n",
            1,
        );
    assert!(!taken(&apart));
    assert!(taken(&OK.replacen(
        "Via: SIP/2.0/UDP 10.0.0.12",
        "v: SIP/2.0/UDP 10.0.0.12",
        1
    )));
    // No Via at all: Max-Forwards goes on top.
    let no_via = "MESSAGE sip:b@h SIP/2.0\r\nMax-Forwards: 3\r\nCall-ID: c\r\nl: 0\r\n\r\n";
    assert!(taken(no_via));
    assert!(taken("MESSAGE sip:b@h SIP/2.0\r\n\r\n"));
}

/// Whether the copy around the edits alone takes `text` (a message the parser frames as
/// serialized), asserting it then writes what the general writer does.
fn taken_without_walk(text: &str) -> bool {
    let msg = parse_datagram(text.as_bytes()).expect("the shape parses");
    assert!(msg.rows_as_serialized(), "{text:?} is framed as serialized");
    let (mut fast, mut general) = (b"x".to_vec(), b"x".to_vec());
    let taken = if msg.is_request() {
        forwarded_rows_rewritten(&msg, "69", &mut general);
        forwarded_as_serialized(&msg, "69", &mut fast)
    } else {
        relayed_rows_rewritten(&msg, &mut general);
        relayed_as_serialized(&msg, &mut fast)
    };
    if taken {
        assert_eq!(
            String::from_utf8_lossy(&fast),
            String::from_utf8_lossy(&general),
            "{text:?}"
        );
    } else {
        assert_eq!(fast, b"x", "a declined copy leaves the buffer as it was");
    }
    taken
}

#[test]
fn rows_framed_as_serialized_are_copied_around_the_proxy_edits_without_a_walk() {
    let hops_on_top = IM.replacen("Max-Forwards: 69\r\n", "", 1).replacen(
        "SIP/2.0\r\n",
        "SIP/2.0\r\nMax-Forwards: 9\r\n",
        1,
    );
    let length_first = OK.replacen("Content-Length: 0\r\n", "", 1).replacen(
        "OK\r\n",
        "OK\r\nContent-Length: 0\r\n",
        1,
    );
    for text in [
        IM,
        OK,
        hops_on_top.as_str(),
        length_first.as_str(),
        "MESSAGE sip:b@h SIP/2.0\r\nCall-ID: c\r\nContent-Length: 0\r\n\r\n",
        "MESSAGE sip:b@h SIP/2.0\r\nVia: SIP/2.0/UDP h\r\nCall-ID: c\r\n\r\n",
        "MESSAGE sip:b@h SIP/2.0\r\nVia: SIP/2.0/UDP h\r\n\r\n",
        "SIP/2.0 200 OK\r\nCall-ID: c\r\n\r\n",
        "SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP h\r\n\r\n",
    ] {
        assert!(taken_without_walk(text), "{text:?}");
        assert_eq!(fast_path_agrees(text.as_bytes()), Some(true), "{text:?}");
    }
    // Two Max-Forwards rows, Via rows apart or with two hops in one: left to the walk, which
    // leaves them to the general writer.
    let twice = IM.replacen(
        "Max-Forwards: 69\r\n",
        "Max-Forwards: 69\r\nMax-Forwards: 5\r\n",
        1,
    );
    let apart = OK.replacen(
        "Via: SIP/2.0/UDP 10.0.0.2:5060;branch=z9hG4bKcf\r\n",
        "Call-ID: c0\r\nVia: SIP/2.0/UDP 10.0.0.2:5060;branch=z9hG4bKcf\r\n",
        1,
    );
    let two_hops = OK.replacen("bKcf\r\n", "bKcf, SIP/2.0/UDP h\r\n", 1);
    for text in [&twice, &apart, &two_hops] {
        assert!(!taken_without_walk(text), "{text:?}");
        fast_path_agrees(text.as_bytes());
    }
}

/// Bytes of a message with its layout edited: at chosen row starts, a fold put into the value,
/// an extra space after the colon, white space before the CRLF, or the row name's case changed.
fn edited(wire: &[u8], edits: &[(usize, u8)]) -> Vec<u8> {
    let text = String::from_utf8_lossy(wire).into_owned();
    let Some((head, body)) = text.split_once("\r\n\r\n") else {
        return wire.to_vec();
    };
    let mut lines: Vec<String> = head.split("\r\n").map(str::to_owned).collect();
    for &(at, how) in edits {
        let row = 1 + at % lines.len().saturating_sub(1).max(1);
        let Some(line) = lines.get_mut(row) else {
            continue;
        };
        let Some(colon) = line.find(':') else {
            continue;
        };
        match how % 4 {
            0 => match line.rfind(';').or_else(|| line.rfind(' ')) {
                Some(at) if at > colon + 1 => line.insert_str(at, "\r\n "),
                _ => {}
            },
            1 => line.insert(colon + 1, ' '),
            2 => line.push('\t'),
            _ => *line = line.to_ascii_uppercase(),
        }
    }
    let mut out = lines.join("\r\n").into_bytes();
    out.extend_from_slice(b"\r\n\r\n");
    out.extend_from_slice(body.as_bytes());
    out
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2_000))]

    #[test]
    fn the_fast_path_writes_what_the_general_writer_writes(
        seed in proptest::collection::vec(any::<u8>(), 64..512),
        edits in proptest::collection::vec((any::<usize>(), any::<u8>()), 0..3),
    ) {
        let mut u = arbitrary::Unstructured::new(&seed);
        let Ok(owned) = <OwnedMessage as arbitrary::Arbitrary>::arbitrary(&mut u) else {
            return Ok(());
        };
        let wire = owned.to_bytes();
        let taken = fast_path_agrees(&wire);
        prop_assert!(taken.is_some(), "a generated message parses");
        // As the serializer writes a request, every row is in its own form; a response may
        // still hold Via rows the general rewrite moves.
        if wire.starts_with(b"SIP/2.0 ") {
            prop_assert!(taken.is_some());
        } else {
            prop_assert_eq!(taken, Some(true));
        }
        fast_path_agrees(&edited(&wire, &edits));
    }
}
