//! Differential tests of the plain header-section framing: whenever [`scan_plain`] takes a
//! buffer, the general scanner frames it without error into the same head, rows and
//! Content-Length; and it takes the sections nodes write.

use super::*;
use crate::sip::corpus_files::{corpus_files, from_each_line_start};
use crate::sip::edited_values::with_edits;
use crate::sip::plain_head_agreement::{assert_agrees, general, plain};
use proptest::prelude::*;

const NODE_MESSAGE: &str = "MESSAGE sip:bob@10.0.0.5:5060 SIP/2.0\r\n\
    Via: SIP/2.0/UDP 10.0.0.3:5060;branch=z9hG4bK2d1f\r\n\
    Via: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bK9a0c\r\n\
    Max-Forwards: 69\r\n\
    From: <sip:alice@alpha.example>;tag=45b4f6e3\r\n\
    To: <sip:bob@beta.example>\r\n\
    Call-ID: b3b7c39a7c30953e@10.0.0.1\r\n\
    CSeq: 1 MESSAGE\r\n\
    Content-Type: message/cpim\r\n\
    Content-Length: 5\r\n\
    \r\n\
    hello";

#[test]
fn a_message_as_nodes_write_it_is_framed_by_the_plain_scan() {
    let (head, rows, length) = plain(NODE_MESSAGE.as_bytes()).expect("plain section");
    assert_eq!(rows.len(), 9);
    assert_eq!(length, Some(5));
    assert_eq!(head.end, NODE_MESSAGE.len() - 5);
    assert_agrees(NODE_MESSAGE.as_bytes());
    let answer = "\r\n\r\nSIP/2.0 200 OK\r\nCall-ID: a@b\r\nContent-Length: 0\r\n\r\n";
    let (head, rows, length) = plain(answer.as_bytes()).expect("plain answer");
    assert_eq!((head.start, rows.len(), length), (4, 2, Some(0)));
    assert_agrees(answer.as_bytes());
    // A line shorter than the eight bytes the name is read from.
    let short = "SIP/2.0 200 OK\r\nTo: <a>\r\nCSeq: 1 MESSAGE\r\n\r\n";
    let (_, rows, _) = plain(short.as_bytes()).expect("short row");
    assert_eq!(rows[0].value, Span::new(20, 23));
    assert_agrees(short.as_bytes());
}

#[test]
fn any_other_row_shape_is_left_to_the_general_scanner() {
    for row in [
        "Subject: hi",
        "via: SIP/2.0/UDP h",
        "v: SIP/2.0/UDP h",
        "Call-ID:  two-spaces",
        "Call-ID:\ttab",
        "Call-ID:no-space-at-all",
        "Call-ID: trailing ",
        "Call-ID: trailing\t",
        "Call-ID: ",
        "Call-ID:",
        "Call-ID: bare\rcr",
        "Call-ID: bare\nlf",
        "Call-ID: folded\r\n next",
        " Call-ID: continuation",
        "Content-Length: 12 ",
        "Content-Length: x",
    ] {
        let buf = format!("SIP/2.0 200 OK\r\nCSeq: 1 MESSAGE\r\n{row}\r\n\r\n");
        assert!(plain(buf.as_bytes()).is_none(), "{row:?}");
    }
    let conflict = "SIP/2.0 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab";
    assert!(plain(conflict.as_bytes()).is_none());
    assert!(plain(b"SIP/2.0 200 OK\r\nCSeq: 1 MESSAGE\r\n").is_none());
    assert!(plain(b"SIP/2.0 200 OK\r\nCSeq: 1 MESSAGE\r\n\r").is_none());
}

#[test]
fn sections_beyond_a_limit_are_left_to_the_general_scanner() {
    let long = format!("SIP/2.0 200 OK\r\nCall-ID: {}\r\n\r\n", "a".repeat(9000));
    assert!(plain(long.as_bytes()).is_none());
    let padded = format!("{}SIP/2.0 200 OK\r\n\r\n", "\r\n".repeat(40_000));
    assert!(plain(padded.as_bytes()).is_none());
    let many = format!(
        "SIP/2.0 200 OK\r\n{}\r\n",
        "Call-ID: a@b\r\n".repeat(crate::limits::SIP_HEADER_ROWS_MAX + 1)
    );
    assert!(plain(many.as_bytes()).is_none());
    assert!(general(many.as_bytes()).is_err());
    let within = format!("SIP/2.0 200 OK\r\n{}\r\n", "Call-ID: a@b\r\n".repeat(200));
    assert!(plain(within.as_bytes()).is_some());
}

/// The line limit is checked on each row once the section is longer than it: a line of
/// exactly the limit is taken, one byte more is not, in a long section of short rows or alone.
#[test]
fn the_line_limit_holds_for_each_row_of_a_long_section() {
    use crate::limits::SIP_LINE_LENGTH_BYTES_MAX as LIMIT;
    let short_rows = format!("Call-ID: {}@b\r\n", "a".repeat(90)).repeat(100);
    let long_section = format!("SIP/2.0 200 OK\r\n{short_rows}\r\n");
    assert!(long_section.len() > LIMIT);
    assert!(plain(long_section.as_bytes()).is_some());
    assert_agrees(long_section.as_bytes());
    for (value_len, taken) in [(LIMIT - 9, true), (LIMIT - 8, false)] {
        let line = format!("Call-ID: {}", "a".repeat(value_len));
        for section in [
            format!("SIP/2.0 200 OK\r\n{line}\r\n\r\n"),
            format!("SIP/2.0 200 OK\r\n{short_rows}{line}\r\n{short_rows}\r\n"),
        ] {
            assert_eq!(plain(section.as_bytes()).is_some(), taken, "{value_len}");
            assert_eq!(general(section.as_bytes()).is_ok(), taken, "{value_len}");
            assert_agrees(section.as_bytes());
        }
    }
}

#[test]
fn every_corpus_file_frames_alike_from_every_line_start() {
    let Some(files) = corpus_files() else {
        return;
    };
    for (_, bytes) in &files {
        for input in from_each_line_start(bytes) {
            assert_agrees(input);
        }
    }
}

/// Rows of a node's message and near-misses of them, joined into a header section.
fn sections() -> impl Strategy<Value = String> {
    let row = prop::sample::select(vec![
        "Via: SIP/2.0/UDP 10.0.0.3:5060;branch=z9hG4bK2d1f",
        "Max-Forwards: 70",
        "From: <sip:alice@alpha.example>;tag=45b4",
        "To: <sip:bob@beta.example>",
        "Call-ID: b3b7c39a@10.0.0.1",
        "CSeq: 1 MESSAGE",
        "Content-Type: message/cpim",
        "Content-Length: 3",
        "Content-Length: 0",
        "Contact: <sip:bob@10.0.0.5:5060>;expires=3600",
        "Expires: 60",
        "Subject: x",
        "To: <a>",
        "Call-ID: x",
        " folded",
        "",
    ]);
    let start = prop::sample::select(vec![
        "",
        "\r\n",
        "SIP/2.0 200 OK",
        "MESSAGE sip:a@b SIP/2.0",
    ]);
    (start, prop::collection::vec(row, 0..12), any::<bool>()).prop_map(|(start, rows, end)| {
        let mut text = String::from(start);
        for row in rows {
            text.push_str("\r\n");
            text.push_str(row);
        }
        text.push_str(if end { "\r\n\r\nabc" } else { "\r\n" });
        text
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(4096))]

    #[test]
    fn a_line_end_is_the_first_control_byte_when_it_starts_a_crlf(
        text in prop::collection::vec(
            prop_oneof![
                12 => 0x20u8..0x7f,
                2 => prop_oneof![Just(b'\r'), Just(b'\n')],
                1 => 0u8..=255,
            ],
            0..80,
        ),
        from in 0usize..90,
    ) {
        let first = text
            .get(from..)
            .and_then(|rest| rest.iter().position(|&b| b < 0x0E))
            .map(|p| from + p);
        let plain = first.filter(|&at| text.get(at..at + 2) == Some(b"\r\n"));
        prop_assert_eq!(crlf_from(&text, from), plain);
    }

    #[test]
    fn plain_framing_is_the_general_framing(text in sections()) {
        assert_agrees(text.as_bytes());
    }

    #[test]
    fn plain_framing_is_the_general_framing_after_edits(text in with_edits(sections())) {
        assert_agrees(text.as_bytes());
    }
}
