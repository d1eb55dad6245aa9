//! imflow's SIP parser against `rsip` 0.4.0 on the same messages, doing the same work: parse
//! the whole message, then read Via, From, To, Call-ID, CSeq and Content-Length typed.
//!
//! Messages: the seed flow's group MESSAGE with its CPIM body (protocol.md E1, 683 bytes), the
//! aggregated IMDN MESSAGE (E5, 1465 bytes), and a 48-header MESSAGE with six Via rows.
//!
//! A second group, `receive`, times what every node does with every datagram it receives:
//! `parse_datagram` then `validate`, on the four shapes the simulator's steady runs carry most
//! (a MESSAGE with one Via and with two, a 202 and a 200), written as the nodes write them.
//!
//! Run: `cargo bench --bench sip_parse -- --warm-up-time 1 --measurement-time 3`.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use rsip::prelude::*;
use std::hint::black_box;

const MESSAGES: &[(&str, &[u8])] = &[
    (
        "e1_group_message_cpim",
        include_bytes!("../tests/fixtures/sip/e1-group-message-cpim.sip"),
    ),
    (
        "e5_aggregated_imdn",
        include_bytes!("../tests/fixtures/sip/e5-aggregated-imdn.sip"),
    ),
    (
        "long_many_headers",
        include_bytes!("../tests/fixtures/sip/long-many-headers.sip"),
    ),
];

/// The simulator's most frequent datagrams, bodies shortened (validation does not read them).
const RECEIVED: &[(&str, &[u8])] = &[
    (
        "message_one_via",
        b"MESSAGE sip:carol@delta.example SIP/2.0\r\n\
        Via: SIP/2.0/UDP 10.0.0.3:5060;branch=z9hG4bK8bc84c9b973841c4\r\n\
        Max-Forwards: 70\r\nFrom: <sip:alice@alpha.example>;tag=be3ecc08b14ef908\r\n\
        To: <sip:carol@delta.example>\r\nCall-ID: e63a56c8d518c46a\r\nCSeq: 1 MESSAGE\r\n\
        Content-Type: message/cpim\r\nContent-Length: 4\r\n\r\ncpim",
    ),
    (
        "message_two_vias",
        b"MESSAGE sip:carol@10.0.0.7:5060 SIP/2.0\r\n\
        Via: SIP/2.0/UDP 10.0.0.6:5060;branch=z9hG4bKa96ca0c37b19940f\r\n\
        Via: SIP/2.0/UDP 10.0.0.3:5060;branch=z9hG4bK8bc84c9b973841c4\r\n\
        Max-Forwards: 69\r\nFrom: <sip:alice@alpha.example>;tag=be3ecc08b14ef908\r\n\
        To: <sip:carol@delta.example>\r\nCall-ID: e63a56c8d518c46a\r\nCSeq: 1 MESSAGE\r\n\
        Content-Type: message/cpim\r\nContent-Length: 4\r\n\r\ncpim",
    ),
    (
        "accepted_202",
        b"SIP/2.0 202 Accepted\r\nVia: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bKc30ffa3b25e6e7d7\r\n\
        From: <sip:alice@alpha.example>;tag=45b4f6e3f6e5cbcf\r\n\
        To: <sip:climbers@conf.gamma.example>;tag=8b3d5eb67c280b41\r\n\
        Call-ID: b3b7c39a7c30953e@10.0.0.1\r\nCSeq: 1 MESSAGE\r\nContent-Length: 0\r\n\r\n",
    ),
    (
        "ok_200_two_vias",
        b"SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP 10.0.0.4:5060;branch=z9hG4bKfd72aa6b28d85adf\r\n\
        Via: SIP/2.0/UDP 10.0.0.3:5060;branch=z9hG4bK454bcf7846683138\r\n\
        From: <sip:alice@alpha.example>;tag=7bb1d63fe9f3d56c\r\n\
        To: <sip:bob@beta.example>;tag=7b4ad2d2da7be88e\r\nCall-ID: 4f3eb9228ca45ca8\r\n\
        CSeq: 1 MESSAGE\r\nContent-Length: 0\r\n\r\n",
    ),
];

/// What a node does with a received datagram before its role sees it.
fn imflow_receive(bytes: &[u8]) -> usize {
    let m = imflow::sip::parse_datagram(bytes).expect("imflow parses");
    imflow::sip::validate(&m).expect("the message is valid");
    m.row_count()
}

/// imflow: zero-copy parse, then the six typed headers.
fn imflow_parse_and_read(bytes: &[u8]) -> usize {
    let m = imflow::sip::parse_datagram(bytes).expect("imflow parses");
    let via = m.top_via().expect("Via");
    let from = m.from().expect("From");
    let to = m.to().expect("To");
    let call_id = m.call_id().expect("Call-ID");
    let cseq = m.cseq().expect("CSeq");
    let length = m.content_length().expect("Content-Length").unwrap_or(0);
    black_box((&via, &from, &to));
    via.branch().map_or(0, str::len)
        + from.tag().map_or(0, str::len)
        + to.uri.as_str().len()
        + call_id.len()
        + cseq.number as usize
        + length
}

/// rsip: parse, then each header through its typed form.
fn rsip_parse_and_read(bytes: &[u8]) -> usize {
    let m = rsip::SipMessage::try_from(bytes).expect("rsip parses");
    let via = m.via_header().expect("Via").typed().expect("typed Via");
    let from = m.from_header().expect("From").typed().expect("typed From");
    let to = m.to_header().expect("To").typed().expect("typed To");
    let call_id = m.call_id_header().expect("Call-ID").value().to_owned();
    let cseq = m.cseq_header().expect("CSeq").typed().expect("typed CSeq");
    let length = m
        .headers()
        .iter()
        .find_map(|h| match h {
            rsip::Header::ContentLength(l) => Some(l.length().expect("length")),
            _ => None,
        })
        .unwrap_or(0);
    black_box((&via, &from, &to));
    via.branch().map_or(0, |b| b.to_string().len())
        + from.tag().map_or(0, |t| t.value().len())
        + call_id.len()
        + cseq.seq as usize
        + length as usize
}

fn compare(c: &mut Criterion) {
    for &(name, bytes) in MESSAGES {
        assert_eq!(
            imflow_parse_and_read(bytes) > 0,
            rsip_parse_and_read(bytes) > 0,
            "both parsers read {name}"
        );
        let mut group = c.benchmark_group(name);
        group.throughput(Throughput::Bytes(bytes.len() as u64));
        group.bench_function("imflow", |b| {
            b.iter(|| imflow_parse_and_read(black_box(bytes)))
        });
        group.bench_function("rsip", |b| b.iter(|| rsip_parse_and_read(black_box(bytes))));
        group.finish();
    }
}

fn receive(c: &mut Criterion) {
    let mut group = c.benchmark_group("receive");
    for &(name, bytes) in RECEIVED {
        group.throughput(Throughput::Bytes(bytes.len() as u64));
        group.bench_function(name, |b| b.iter(|| imflow_receive(black_box(bytes))));
    }
    group.finish();
}

criterion_group!(benches, compare, receive);
criterion_main!(benches);
