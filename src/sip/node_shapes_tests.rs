//! The exact-shape readers of [`node_shapes`] against the plain recognisers they stand in front
//! of and the general parsers: wherever an exact reader answers, it gives the very value both
//! give; on generated node-shaped values (which it must take), on their mutations, and on every
//! header value and Request-URI of the third-party corpus (`$IMFLOW_CORPUS`).

use super::addr::NameAddr;
use super::chars::{self, ALNUM, USER};
use super::quick::{self, node_shapes};
use super::{scalars, Uri, Via};
use proptest::prelude::*;

/// Offset the general parsers read at (any: only the values are compared).
const BASE: usize = 0;

/// Wherever an exact reader takes `s`, the plain recogniser and the general parser give the
/// same value; the check-only forms answer as the readers that build the value. Returns how many
/// exact readers took `s`.
fn agree(s: &str) -> usize {
    let mut taken = 0;
    if let Some(v) = node_shapes::via(s) {
        assert_eq!(Some(v), quick::via(s), "{s:?}");
        assert_eq!(Ok(v), Via::parse_general(s, BASE), "{s:?}");
        assert_eq!(v.branch(), v.params.get("branch").flatten(), "{s:?}");
        taken += 1;
    }
    assert_eq!(
        node_shapes::is_via(s),
        node_shapes::via(s).is_some(),
        "{s:?}"
    );
    if let Some(a) = node_shapes::name_addr(s) {
        assert_eq!(Some(a), quick::name_addr(s), "{s:?}");
        assert_eq!(Ok(a), NameAddr::parse_general(s, BASE), "{s:?}");
        taken += 1;
    }
    let is_name_addr = node_shapes::is_name_addr(s);
    assert_eq!(is_name_addr, node_shapes::name_addr(s).is_some(), "{s:?}");
    if let Some(u) = node_shapes::sip_uri(s) {
        assert_eq!(Some(u), quick::sip_uri(s), "{s:?}");
        assert_eq!(Ok(Uri::Sip(u)), Uri::parse_general(s, BASE), "{s:?}");
        taken += 1;
    }
    let is_sip_uri = node_shapes::is_sip_uri(s);
    assert_eq!(is_sip_uri, node_shapes::sip_uri(s).is_some(), "{s:?}");
    if let Some(t) = node_shapes::media_type(s) {
        assert_eq!(Some(t), quick::media_type(s), "{s:?}");
        assert_eq!(Ok(t), scalars::parse_media_type_general(s, BASE), "{s:?}");
        taken += 1;
    }
    let is_media_type = node_shapes::is_media_type(s);
    assert_eq!(is_media_type, node_shapes::media_type(s).is_some(), "{s:?}");
    if let Some(c) = node_shapes::cseq(s) {
        assert_eq!(c.method, node_shapes::CSEQ_METHOD, "{s:?}");
        assert_eq!(Some(c), quick::cseq(s), "{s:?}");
        assert_eq!(Ok(c), scalars::parse_cseq_general(s, BASE), "{s:?}");
        taken += 1;
    }
    taken
}

#[test]
fn a_user_of_letters_and_digits_is_a_plain_user() {
    // The exact URI reader reads the user as letters and digits, trusting that the plain
    // recogniser's user class takes them all and stops at the same `@`.
    for c in 0u8..=255 {
        if chars::is(c, ALNUM) {
            assert!(chars::is(c, USER), "{c}");
        }
    }
    assert!(!chars::is(b'@', USER) && !chars::is(b'@', ALNUM));
}

#[test]
fn the_values_nodes_write_take_the_exact_readers() {
    for s in [
        "SIP/2.0/UDP 10.0.0.3:5060;branch=z9hG4bK8bc84c9b973841c4",
        "SIP/2.0/TCP 10.0.0.3:5060;branch=z9hG4bK963688ee887cb825",
        "SIP/2.0/TLS 255.255.255.255:65535;branch=z9hG4bK1",
        "<sip:alice@alpha.example>;tag=45b4f6e3f6e5cbcf",
        "<sip:climbers@conf.gamma.example>",
        "sip:imdn@cf.gamma.example",
        "sip:bob@beta.example",
        "sip:alice@10.0.0.1:5060",
        "<sip:alice@10.0.0.1:5060>;tag=1",
        "message/cpim",
        "message/imdn+xml",
        "1 MESSAGE",
        "2147483647 MESSAGE",
    ] {
        assert_eq!(agree(s), 1, "{s:?}");
    }
}

#[test]
fn other_shapes_are_left_to_the_plain_recognisers() {
    for s in [
        "SIP/2.0/UDP 10.0.0.3:5060;branch=z9hG4bK1;rport",
        "SIP/2.0/UDP 10.0.0.3;branch=z9hG4bK1",
        "SIP/2.0/UDP 10.0.0.3:5060;branch=xyz",
        "SIP/2.0/UDP 10.0.0.3:5060;BRANCH=z9hG4bK1",
        "SIP/2.0/UDP host.example:5060;branch=z9hG4bK1",
        "SIP/2.0/UDP 10.0.0.3:65536;branch=z9hG4bK1",
        "SIP/2.0/UDP 10.0.0.3:050600;branch=z9hG4bK1",
        "SIP/2.0/UDP 10.0.0.256:5060;branch=z9hG4bK1",
        "SIP/2.0/SCTP 10.0.0.3:5060;branch=z9hG4bK1",
        "SIP/2.0/UDP  10.0.0.3:5060;branch=z9hG4bK1",
        "<sip:alice@alpha.example>;tag=",
        "<sip:alice@alpha.example>;tag=a;x",
        "<sip:alice@alpha.example>;TAG=a",
        "<sip:alice@alpha.example:5060>",
        "<sip:alice@alpha-1.example>",
        "<sip:alice@alpha.example.>",
        "<sip:alice@alpha..example>",
        "<sip:alice@10.0.0.1>",
        "<sip:alice@alpha.9example>",
        "<sip:al.ice@alpha.example>",
        "<sip:@alpha.example>",
        "<sips:alice@alpha.example>",
        "\"A\" <sip:alice@alpha.example>",
        "A <sip:alice@alpha.example>",
        "sip:alpha.example",
        "sip:alice@alpha.example;lr",
        "sip:alice@10.0.0.1",
        "sip:alice@10.0.0.1:",
        "sip:alice@10.0.0.1:123456",
        "sip:alice@10.0.0.1:5060;lr",
        "sip:alice@10.0.0.01234:5060",
        "sip:alice@10.0.0.0001:5060",
        "SIP/2.0/UDP 10.0.0.0003:5060;branch=z9hG4bK1",
        "sip:alice@10.0.0:5060",
        "sip:alice@10.0.0.1.2:5060",
        "message/CPIM",
        "message/cpim;x=y",
        "text/plain",
        "2147483648 MESSAGE",
        "12345678901 MESSAGE",
        "1 REGISTER",
        " MESSAGE",
        "1  MESSAGE",
    ] {
        assert_eq!(agree(s), 0, "{s:?}");
    }
}

/// A value of one of the exact shapes, with generated variable parts (each in range).
fn node_shaped() -> impl Strategy<Value = String> {
    let label = "[a-z][a-z0-9]{0,8}";
    let domain = prop::collection::vec(label, 1..4).prop_map(|l| l.join("."));
    let octets = prop::collection::vec(0u16..256, 4)
        .prop_map(|o| o.iter().map(u16::to_string).collect::<Vec<_>>().join("."));
    let transport = prop::sample::select(vec!["UDP", "TCP", "TLS"]);
    let via = (transport, octets.clone(), 0u32..65_536, "[0-9a-f]{0,16}")
        .prop_map(|(t, h, p, b)| format!("SIP/2.0/{t} {h}:{p};branch=z9hG4bK{b}"));
    let host = prop_oneof![
        domain,
        (octets, 0u32..65_536).prop_map(|(h, p)| format!("{h}:{p}")),
    ];
    let uri = ("[a-z0-9]{1,8}", host).prop_map(|(u, h)| format!("sip:{u}@{h}"));
    let name_addr =
        (uri.clone(), prop::option::of("[0-9a-f]{1,16}")).prop_map(|(u, tag)| match tag {
            Some(t) => format!("<{u}>;tag={t}"),
            None => format!("<{u}>"),
        });
    let cseq = (0u64..(1 << 31)).prop_map(|n| format!("{n} MESSAGE"));
    let media =
        prop::sample::select(vec!["message/cpim", "message/imdn+xml"]).prop_map(String::from);
    prop_oneof![via, name_addr, uri, cseq, media]
}

/// A node-shaped value with a few bytes replaced, inserted or removed.
fn mutated() -> impl Strategy<Value = String> {
    super::edited_values::with_edits(node_shaped())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(4096))]

    #[test]
    fn node_shaped_values_take_an_exact_reader_and_read_the_same(s in node_shaped()) {
        prop_assert_eq!(agree(&s), 1, "{:?}", s);
    }

    #[test]
    fn mutated_node_shaped_values_read_the_same_both_ways(s in mutated()) {
        agree(&s);
    }
}

#[test]
fn every_corpus_header_value_reads_the_same_both_ways() {
    let Some(files) = crate::sip::corpus_files::corpus_files() else {
        return;
    };
    let values = crate::sip::corpus_files::each_header_value(&files, |v| {
        agree(v);
    });
    assert!(values > 500, "only {values} corpus values");
}
