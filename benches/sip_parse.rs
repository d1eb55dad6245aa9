//! imflow's SIP parser against `rsip` 0.4.0 on the same messages, doing the same work: parse
//! the whole message, then read Via, From, To, Call-ID, CSeq and Content-Length typed.
//!
//! Messages: the seed flow's group MESSAGE with its CPIM body (protocol.md E1, 683 bytes), the
//! aggregated IMDN MESSAGE (E5, 1465 bytes), and a 48-header MESSAGE with six Via rows.
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

criterion_group!(benches, compare);
criterion_main!(benches);
