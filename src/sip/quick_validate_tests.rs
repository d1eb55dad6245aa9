//! One-pass validation of plain messages against the rule-by-rule validation: on the messages
//! nodes send, on row-level and byte-level mutations of them, and on every message of the
//! third-party corpus (`$IMFLOW_CORPUS`), `validate_keeping` gives exactly what
//! `validate_general` gives (the same top Via and CSeq, or the same rule at the same offset);
//! and wherever the framing proved every row ([`validate_proven`] answers), the one-pass
//! validation gives that very answer.

use super::quick_validate::{validate_plain, validate_proven};
use super::validate::{validate_general, validate_keeping};
use super::{parse_datagram, StartLine, Uri};
use proptest::prelude::*;

/// Both validations of `bytes`, if it parses, agree, and so does the proven one if it answers.
fn agree(bytes: &[u8]) {
    let Ok(m) = parse_datagram(bytes) else {
        return;
    };
    let text = String::from_utf8_lossy(bytes);
    assert_eq!(validate_keeping(&m), validate_general(&m), "{text:?}");
    // The Request-URI built from the parts the start line noted is the one a reading gives.
    if let StartLine::Request { uri, .. } = m.start_line() {
        let read = Uri::parse(uri, m.offset_of(uri));
        assert_eq!(m.request_uri(), Some(read), "{text:?}");
    }
    if let Some(proven) = validate_proven(&m) {
        assert_eq!(Some(proven), validate_plain(&m), "{text:?}");
    }
}

/// Header sections of the kinds of messages this project's nodes send and receive.
const SENT: &[&str] = &[
    "MESSAGE sip:carol@delta.example SIP/2.0\r\n\
     Via: SIP/2.0/UDP 10.0.0.3:5060;branch=z9hG4bK8bc84c9b973841c4\r\n\
     Max-Forwards: 70\r\nFrom: <sip:alice@alpha.example>;tag=be3ecc08b14ef908\r\n\
     To: <sip:carol@delta.example>\r\nCall-ID: e63a56c8d518c46a\r\nCSeq: 1 MESSAGE\r\n\
     Content-Type: message/cpim\r\nContent-Length: 4\r\n\r\ncpim",
    "MESSAGE sip:carol@10.0.0.7:5060 SIP/2.0\r\n\
     Via: SIP/2.0/UDP 10.0.0.6:5060;branch=z9hG4bKa96ca0c37b19940f\r\n\
     Via: SIP/2.0/UDP 10.0.0.3:5060;branch=z9hG4bK8bc84c9b973841c4\r\n\
     Max-Forwards: 69\r\nFrom: <sip:alice@alpha.example>;tag=be3ecc08b14ef908\r\n\
     To: <sip:carol@delta.example>\r\nCall-ID: e63a56c8d518c46a\r\nCSeq: 1 MESSAGE\r\n\
     Content-Type: message/cpim\r\nContent-Length: 0\r\n\r\n",
    "SIP/2.0 202 Accepted\r\nVia: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bKc30ffa3b25e6e7d7\r\n\
     From: <sip:alice@alpha.example>;tag=45b4f6e3f6e5cbcf\r\n\
     To: <sip:climbers@conf.gamma.example>;tag=8b3d5eb67c280b41\r\n\
     Call-ID: b3b7c39a7c30953e@10.0.0.1\r\nCSeq: 1 MESSAGE\r\nContent-Length: 0\r\n\r\n",
    "REGISTER sip:beta.example SIP/2.0\r\n\
     Via: SIP/2.0/UDP 10.0.0.5:5060;branch=z9hG4bKe9c4965f80797b2e\r\nMax-Forwards: 70\r\n\
     From: <sip:bob@beta.example>;tag=4079a684aa605afc\r\nTo: <sip:bob@beta.example>\r\n\
     Call-ID: 923c7c39d04b7866@10.0.0.5\r\nCSeq: 1 REGISTER\r\n\
     Contact: <sip:bob@10.0.0.5:5060>;expires=3600\r\nExpires: 3600\r\n\
     Content-Length: 0\r\n\r\n",
    "OPTIONS sip:a@b.example SIP/2.0\r\nv: SIP/2.0/UDP h.example\r\nf: \"A\" <sip:a@b.example>\r\n\
     t: <sip:a@b.example>\r\ni: x\r\nCSeq: 2 OPTIONS\r\nRoute: <sip:p.example;lr>\r\n\
     Date: Sat, 13 Nov 2010 23:29:00 GMT\r\nSubject: hi\r\nl: 0\r\n\r\n",
];

#[test]
fn the_messages_nodes_send_take_the_one_pass_validation() {
    for (i, sent) in SENT.iter().enumerate().take(3) {
        let m = parse_datagram(sent.as_bytes()).expect("parses");
        assert!(validate_plain(&m).is_some(), "message {i}");
        assert!(
            m.node_rows().all(),
            "message {i}: every row proven while framed"
        );
        assert!(validate_proven(&m).is_some(), "message {i}");
    }
    for sent in SENT {
        agree(sent.as_bytes());
    }
}

#[test]
fn proven_rows_that_break_a_message_rule_are_left_to_the_rules() {
    let request = SENT[0];
    let without = |row: &str| request.replacen(row, "", 1);
    for (broken, rule) in [
        (without("To: <sip:carol@delta.example>\r\n"), "missing-to"),
        (without("Max-Forwards: 70\r\n"), "missing-max-forwards"),
        (
            request.replacen("CSeq: 1 MESSAGE", "CSeq: 1 MESSAGE\r\nCSeq: 2 MESSAGE", 1),
            "multiple-values-in-single-value-header",
        ),
        (
            request.replacen("MESSAGE sip", "OPTIONS sip", 1),
            "cseq-method-mismatch",
        ),
        (
            request.replacen("SIP/2.0\r\n", "SIP/3.0\r\n", 1),
            "unsupported-sip-version",
        ),
    ] {
        let m = parse_datagram(broken.as_bytes()).expect("parses");
        assert!(m.node_rows().all(), "{broken:?}: every row proven");
        assert_eq!(validate_proven(&m), None, "{broken:?}");
        let verdict = validate_general(&m).map(|_| ()).map_err(|e| e.rule.name());
        assert_eq!(verdict, Err(rule), "{broken:?}");
        agree(broken.as_bytes());
    }
}

/// One edit of a message: a row dropped, repeated or moved, or bytes replaced or inserted.
#[derive(Debug, Clone)]
enum Edit {
    DropRow(prop::sample::Index),
    RepeatRow(prop::sample::Index),
    SwapRows(prop::sample::Index, prop::sample::Index),
    Replace(prop::sample::Index, &'static str),
    Insert(prop::sample::Index, &'static str),
}

fn edit() -> impl Strategy<Value = Edit> {
    let text = prop::sample::select(vec![
        ",",
        "\"",
        "<",
        ">",
        " ",
        "\t",
        "\r\n ",
        ":",
        ";",
        "=",
        "@",
        "/",
        "0",
        "9",
        "a",
        "Z",
        "-",
        ".",
        "%",
        "?",
        "\r",
        "\n",
        "SIP/2.1",
        "tag=",
        ";branch=z9hG4bK1",
        "é",
    ]);
    prop_oneof![
        any::<prop::sample::Index>().prop_map(Edit::DropRow),
        any::<prop::sample::Index>().prop_map(Edit::RepeatRow),
        (any::<prop::sample::Index>(), any::<prop::sample::Index>())
            .prop_map(|(a, b)| Edit::SwapRows(a, b)),
        (any::<prop::sample::Index>(), text.clone()).prop_map(|(a, t)| Edit::Replace(a, t)),
        (any::<prop::sample::Index>(), text).prop_map(|(a, t)| Edit::Insert(a, t)),
    ]
}

/// `message` with `edits` applied (rows are the CRLF-ended lines after the start line).
fn edited(message: &str, edits: &[Edit]) -> Vec<u8> {
    let (head, body) = message.split_once("\r\n\r\n").unwrap_or((message, ""));
    let mut lines: Vec<String> = head.split("\r\n").map(str::to_owned).collect();
    for e in edits {
        let rows = lines.len().saturating_sub(1).max(1);
        match e {
            Edit::DropRow(i) if lines.len() > 1 => {
                lines.remove(1 + i.index(rows));
            }
            Edit::RepeatRow(i) if lines.len() > 1 => {
                let at = 1 + i.index(rows);
                let copy = lines[at].clone();
                lines.insert(at, copy);
            }
            Edit::SwapRows(a, b) if lines.len() > 1 => {
                lines.swap(1 + a.index(rows), 1 + b.index(rows))
            }
            Edit::Replace(at, text) | Edit::Insert(at, text) => {
                let mut joined = lines.join("\r\n").into_bytes();
                let i = at.index(joined.len());
                if matches!(e, Edit::Replace(..)) {
                    joined.remove(i);
                }
                joined.splice(i..i, text.bytes());
                let joined = String::from_utf8_lossy(&joined).into_owned();
                lines = joined.split("\r\n").map(str::to_owned).collect();
            }
            _ => {}
        }
    }
    format!("{}\r\n\r\n{body}", lines.join("\r\n")).into_bytes()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(4096))]

    #[test]
    fn edited_messages_validate_the_same_both_ways(
        message in prop::sample::select(SENT.to_vec()),
        edits in prop::collection::vec(edit(), 1..4),
    ) {
        agree(&edited(message, &edits));
    }
}

#[test]
fn every_corpus_message_validates_the_same_both_ways() {
    let Some(files) = crate::sip::corpus_files::corpus_files() else {
        return;
    };
    let mut messages = 0usize;
    for (_, bytes) in files {
        agree(&bytes);
        messages += 1;
    }
    assert!(messages > 50, "only {messages} corpus files");
}
