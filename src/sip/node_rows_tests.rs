//! The row proofs of [`node_rows`](super) against the framing's line search and the readers
//! validation runs: a value an exact reader takes up to the row's CRLF ends at the first
//! control byte (the line end the framing finds), and validation's reader of its kind takes
//! that value with the same result; on the values nodes write, on near misses of them, on any
//! of them under any kind, and on every header value of the third-party corpus.

use super::*;
use crate::limits::SIP_BODY_BYTES_MAX;
use crate::sip::addr::NameAddr;
use crate::sip::chars::is_lws;
use crate::sip::edited_values::with_edits;
use crate::sip::quick;
use crate::sip::scalars;
use crate::sip::via::Via;
use proptest::prelude::*;

/// The kinds a row can be proven of.
const PROVEN_KINDS: [HeaderKind; 8] = [
    HeaderKind::Via,
    HeaderKind::From,
    HeaderKind::To,
    HeaderKind::CallId,
    HeaderKind::CSeq,
    HeaderKind::MaxForwards,
    HeaderKind::ContentType,
    HeaderKind::ContentLength,
];

/// Whether a row of `kind` holding `value` (then CRLF and a next row) is proven; when it is,
/// checks that its end is the first control byte and that validation's reader of `kind` takes
/// the value with the parts the proof noted.
fn proven(kind: HeaderKind, value: &str) -> bool {
    let mut buf = value.as_bytes().to_vec();
    buf.extend_from_slice(b"\r\nTo: <sip:a@b>\r\n");
    let mut proof = NodeRows::new();
    let Some(end) = proof.value_end(kind, &buf, 0) else {
        return false;
    };
    if buf.get(end..end + 2) != Some(b"\r\n") {
        return false;
    }
    let first_control = buf.iter().position(|&b| b < 0x0E);
    assert_eq!(first_control, Some(end), "{kind:?} {value:?}");
    // Not empty, and no LWS at either end: the framing's plain row checks them on other rows.
    let ends = (
        buf.first().copied(),
        end.checked_sub(1).map(|last| buf[last]),
    );
    assert!(
        matches!(ends, (Some(first), Some(last)) if !is_lws(first) && !is_lws(last)),
        "{kind:?} {value:?}"
    );
    let text = std::str::from_utf8(&buf[..end]).expect("a proven value is text");
    match kind {
        HeaderKind::Via => {
            let (at, spans) = proof.top_via().expect("the top hop is noted");
            assert_eq!(at, 0);
            let via = node_shapes::via_of(text, spans);
            assert!(via.is_some(), "{value:?}");
            assert_eq!(via, quick::via(text), "{value:?}");
            assert_eq!(via.ok_or(()), Via::parse_general(text, 0).map_err(|_| ()));
        }
        HeaderKind::From | HeaderKind::To => {
            let addr = quick::name_addr(text);
            assert!(addr.is_some(), "{value:?}");
            assert_eq!(
                addr.ok_or(()),
                NameAddr::parse_general(text, 0).map_err(|_| ())
            );
        }
        HeaderKind::CallId => {
            assert_eq!(quick::call_id(text), Some(text), "{value:?}");
            assert_eq!(scalars::parse_call_id(text, 0), Ok(text), "{value:?}");
        }
        HeaderKind::CSeq => {
            let cseq = quick::cseq(text).expect("a proven CSeq is plain");
            let number = proof.cseq().expect("the CSeq is noted");
            assert_eq!(number, cseq.number, "{value:?}");
            assert_eq!(node_shapes::CSEQ_METHOD, cseq.method, "{value:?}");
            assert_eq!(scalars::parse_cseq_general(text, 0), Ok(cseq), "{value:?}");
        }
        HeaderKind::MaxForwards => {
            let noted = proof
                .lone_max_forwards(0)
                .expect("the Max-Forwards is noted");
            assert_eq!(scalars::parse_max_forwards(text, 0), Ok(noted), "{value:?}");
        }
        HeaderKind::ContentType => {
            let media = quick::media_type(text);
            assert!(media.is_some(), "{value:?}");
            assert_eq!(
                node_shapes::media_type_of_len(text.len()),
                media,
                "{value:?}"
            );
            assert_eq!(
                media.ok_or(()),
                scalars::parse_media_type_general(text, 0).map_err(|_| ())
            );
        }
        HeaderKind::ContentLength => {
            let general = scalars::parse_content_length(text, 0, SIP_BODY_BYTES_MAX);
            assert_eq!(general.ok(), text.parse().ok(), "{value:?}");
        }
        _ => panic!("{kind:?} is never proven"),
    }
    true
}

#[test]
fn the_values_nodes_write_are_proven() {
    for (kind, value) in [
        (
            HeaderKind::Via,
            "SIP/2.0/UDP 10.0.0.3:5060;branch=z9hG4bK8bc84c9b973841c4",
        ),
        (
            HeaderKind::Via,
            "SIP/2.0/TLS 255.255.255.255:65535;branch=z9hG4bK1",
        ),
        (
            HeaderKind::From,
            "<sip:alice@alpha.example>;tag=45b4f6e3f6e5cbcf",
        ),
        (HeaderKind::To, "<sip:climbers@conf.gamma.example>"),
        (HeaderKind::To, "<sip:alice@10.0.0.1:5060>;tag=1"),
        (HeaderKind::CallId, "b3b7c39a7c30953e@10.0.0.1"),
        (HeaderKind::CallId, "4f3eb9228ca45ca8"),
        (HeaderKind::CSeq, "1 MESSAGE"),
        (HeaderKind::CSeq, "2147483647 MESSAGE"),
        (HeaderKind::MaxForwards, "70"),
        (HeaderKind::MaxForwards, "255"),
        (HeaderKind::ContentType, "message/cpim"),
        (HeaderKind::ContentType, "message/imdn+xml"),
        (HeaderKind::ContentLength, "309"),
        (HeaderKind::ContentLength, "0"),
    ] {
        assert!(proven(kind, value), "{kind:?} {value:?}");
    }
}

#[test]
fn other_values_are_left_to_the_line_search() {
    for (kind, value) in [
        (
            HeaderKind::Via,
            "SIP/2.0/UDP 10.0.0.3:5060;branch=z9hG4bK1;rport",
        ),
        (
            HeaderKind::Via,
            "SIP/2.0/UDP 10.0.0.3:5060;branch=z9hG4bK1 ",
        ),
        (HeaderKind::From, "<sip:alice@alpha.example>;tag="),
        (HeaderKind::From, "\"A\" <sip:alice@alpha.example>"),
        (HeaderKind::CallId, "b3b7c39a7c30953e@"),
        (HeaderKind::CallId, "a b"),
        (HeaderKind::CSeq, "1 REGISTER"),
        (HeaderKind::CSeq, "2147483648 MESSAGE"),
        (HeaderKind::CSeq, "1 MESSAGES"),
        (HeaderKind::MaxForwards, "256"),
        (HeaderKind::MaxForwards, "0070"),
        (HeaderKind::ContentType, "message/cpim;x=y"),
        (HeaderKind::ContentType, "message/cpimx"),
        (HeaderKind::ContentLength, "1234567"),
        (HeaderKind::ContentLength, "1\t"),
        (HeaderKind::Contact, "<sip:bob@10.0.0.5:5060>;expires=3600"),
        (HeaderKind::Expires, "3600"),
    ] {
        assert!(!proven(kind, value), "{kind:?} {value:?}");
    }
}

/// Values of the shapes nodes write, with generated variable parts (some out of range).
fn node_values() -> impl Strategy<Value = String> {
    let octets = prop::collection::vec(0u16..300, 4)
        .prop_map(|o| o.iter().map(u16::to_string).collect::<Vec<_>>().join("."));
    let via = (octets.clone(), 0u32..70_000, "[0-9a-f]{0,16}")
        .prop_map(|(h, p, b)| format!("SIP/2.0/UDP {h}:{p};branch=z9hG4bK{b}"));
    let host = prop_oneof![
        "[a-z][a-z0-9]{0,5}(\\.[a-z][a-z0-9]{0,5}){0,2}",
        (octets.clone(), 0u32..70_000).prop_map(|(h, p)| format!("{h}:{p}")),
    ];
    let name_addr =
        ("[a-z0-9]{1,6}", host, prop::option::of("[0-9a-f]{0,8}")).prop_map(|(user, host, tag)| {
            match tag {
                Some(t) => format!("<sip:{user}@{host}>;tag={t}"),
                None => format!("<sip:{user}@{host}>"),
            }
        });
    let call_id = ("[0-9a-f]{1,16}", prop::option::of(octets))
        .prop_map(|(id, at)| at.map_or(id.clone(), |host| format!("{id}@{host}")));
    let cseq = (0u64..(1 << 32)).prop_map(|n| format!("{n} MESSAGE"));
    let number = (0u32..2_000_000).prop_map(|n| n.to_string());
    let media =
        prop::sample::select(vec!["message/cpim", "message/imdn+xml"]).prop_map(String::from);
    prop_oneof![via, name_addr, call_id, cseq, number, media]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(4096))]

    #[test]
    fn a_proven_value_ends_at_its_line_end_and_validates_alike(
        value in node_values(),
        kind in prop::sample::select(PROVEN_KINDS.to_vec()),
    ) {
        proven(kind, &value);
    }

    #[test]
    fn a_proven_near_miss_ends_at_its_line_end_and_validates_alike(
        value in with_edits(node_values()),
        kind in prop::sample::select(PROVEN_KINDS.to_vec()),
    ) {
        proven(kind, &value);
    }
}

#[test]
fn every_corpus_header_value_proven_ends_at_its_line_end_and_validates_alike() {
    let Some(files) = crate::sip::corpus_files::corpus_files() else {
        return;
    };
    let values = crate::sip::corpus_files::each_header_value(&files, |v| {
        for kind in PROVEN_KINDS {
            proven(kind, v);
        }
    });
    assert!(values > 500, "only {values} corpus values");
}

/// A datagram whose rows are the ones nodes write, with `max_forwards` (rows, CRLF each)
/// after the top hop.
fn datagram_with(max_forwards: &str) -> String {
    format!(
        "MESSAGE sip:carol@delta.example SIP/2.0\r\n\
         Via: SIP/2.0/UDP 10.0.0.3:5060;branch=z9hG4bK8bc84c9b973841c4\r\n\
         {max_forwards}From: <sip:alice@alpha.example>;tag=be3ecc08b14ef908\r\n\
         To: <sip:carol@delta.example>\r\nCall-ID: e63a56c8d518c46a\r\n\
         CSeq: 1 MESSAGE\r\nContent-Length: 0\r\n\r\n"
    )
}

/// Whether the Max-Forwards of `rows` is answered from the framing's note, after checking
/// that it is the value (or error) the general reading of the row gives.
fn max_forwards_alike(rows: &str) -> bool {
    let text = datagram_with(rows);
    let Ok(m) = crate::sip::parse_datagram(text.as_bytes()) else {
        return false;
    };
    let general = m.max_forwards_general();
    assert_eq!(m.max_forwards(), general, "{rows:?}");
    let (_, repeated) = m.kind_sets();
    let noted = m.node_rows().lone_max_forwards(repeated);
    if let Some(n) = noted {
        assert_eq!(general, Ok(Some(n)), "{rows:?}");
    }
    noted.is_some()
}

#[test]
fn a_noted_max_forwards_is_the_general_reading_and_other_rows_are_read_again() {
    for value in ["0", "9", "69", "70", "070", "199", "255"] {
        let rows = format!("Max-Forwards: {value}\r\n");
        assert!(max_forwards_alike(&rows), "{rows:?}");
    }
    for rows in [
        "",
        "Max-Forwards: 256\r\n",
        "Max-Forwards: 0070\r\n",
        "Max-Forwards: 70 \r\n",
        "Max-Forwards:  70\r\n",
        "Max-Forwards: 7a\r\n",
        "Max-Forwards: \r\n",
        "max-forwards: 70\r\n",
        "Max-Forwards: 70\r\nMax-Forwards: 70\r\n",
        "Max-Forwards: 70\r\nMax-Forwards: 69\r\n",
        "Max-Forwards: 70\r\nExpires: 10\r\n",
        "Max-Forwards: 70\r\nX-Other: y\r\n",
        "Max-Forwards:\r\n 70\r\n",
    ] {
        assert!(!max_forwards_alike(rows), "{rows:?}");
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1024))]

    #[test]
    fn max_forwards_reads_alike_noted_or_not(
        value in with_edits("[0-9]{1,4}".prop_map(String::from)),
        twice in any::<bool>(),
    ) {
        let row = format!("Max-Forwards: {value}\r\n");
        let rows = if twice { row.repeat(2) } else { row };
        max_forwards_alike(&rows);
    }
}

/// Whether the Content-Type of `rows` is given without reading its row again, after checking
/// that it is the value (or error) the general reading of the row gives.
fn content_type_alike(rows: &str) -> bool {
    let text = datagram_with(rows);
    let Ok(m) = crate::sip::parse_datagram(text.as_bytes()) else {
        return false;
    };
    assert_eq!(m.content_type(), m.content_type_general(), "{rows:?}");
    m.node_rows().all() && matches!(m.lone_row(HeaderKind::ContentType), Some(Some(_)))
}

#[test]
fn a_proven_content_type_is_the_general_reading_and_other_rows_are_read_again() {
    for value in ["message/cpim", "message/imdn+xml"] {
        let rows = format!("Content-Type: {value}\r\n");
        assert!(content_type_alike(&rows), "{rows:?}");
    }
    for rows in [
        "",
        "Content-Type: message/CPIM\r\n",
        "Content-Type: text/plain\r\n",
        "Content-Type: message/cpim;x=y\r\n",
        "Content-Type: message/cpim \r\n",
        "Content-Type: message/cpim\r\nContent-Type: message/cpim\r\n",
        "Content-Type: message/cpim\r\nX-Other: y\r\n",
        "content-type: message/cpim\r\n",
        "c: message/cpim\r\n",
    ] {
        assert!(!content_type_alike(rows), "{rows:?}");
    }
}
