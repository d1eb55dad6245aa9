//! The fast recognisers of [`quick`](super::quick) against the general parsers: on generated
//! shapes, on mutations of the shapes this project sends, and on every header value of the
//! third-party corpus (`$IMFLOW_CORPUS`), each public parse gives exactly what the general parse
//! gives (the same value, or the same rule at the same offset).

use super::addr::NameAddr;
use super::lex::Cursor;
use super::params::{self, ValueRules};
use super::{quick, scalars, StartLine, Uri, Via};
use proptest::prelude::*;

/// Offset the texts are parsed at, so that offsets are checked too.
const BASE: usize = 17;

/// Every public parse of `s` agrees with its general parse.
fn agree(s: &str) {
    assert_eq!(
        NameAddr::parse(s, BASE),
        NameAddr::parse_general(s, BASE),
        "{s:?}"
    );
    assert_eq!(Via::parse(s, BASE), Via::parse_general(s, BASE), "{s:?}");
    // The branch the recogniser noted is the one a lookup in the general parse finds.
    if let (Ok(fast), Ok(general)) = (Via::parse(s, BASE), Via::parse_general(s, BASE)) {
        assert_eq!(
            fast.branch(),
            general.params.get("branch").flatten(),
            "{s:?}"
        );
        assert_eq!(fast.branch(), general.branch(), "{s:?}");
    }
    assert_eq!(Uri::parse(s, BASE), Uri::parse_general(s, BASE), "{s:?}");
    assert_eq!(
        scalars::parse_cseq(s, BASE),
        scalars::parse_cseq_general(s, BASE),
        "{s:?}"
    );
    assert_eq!(
        scalars::parse_media_type(s, BASE),
        scalars::parse_media_type_general(s, BASE),
        "{s:?}"
    );
    assert_eq!(
        scalars::parse_call_id(s, BASE),
        scalars::parse_call_id_general(s, BASE),
        "{s:?}"
    );
    // The check-only forms answer as the recognisers that build the value.
    assert_eq!(
        quick::is_name_addr(s),
        quick::name_addr(s).is_some(),
        "{s:?}"
    );
    assert_eq!(quick::is_via(s), quick::via(s).is_some(), "{s:?}");
    params_agree(s);
    assert_eq!(
        StartLine::parse(s, BASE),
        StartLine::parse_general(s, BASE),
        "{s:?}"
    );
    // A Request-URI is noted as a node's exactly when the exact URI reader takes it, and its
    // noted parts give the very URI that reader gives.
    if let Ok((line, noted)) = StartLine::parse_noting_uri(s, BASE) {
        let node_uri = match line {
            StartLine::Request { uri, .. } => quick::node_shapes::sip_uri(uri).map(|u| (uri, u)),
            StartLine::Response { .. } => None,
        };
        let fast = quick::start_line_noting_uri(s).is_some();
        assert_eq!(noted.is_some(), fast && node_uri.is_some(), "{s:?}");
        if let (Some(parts), Some((uri, read))) = (noted, node_uri) {
            let from_parts = quick::node_shapes::sip_uri_of_parts(uri, parts);
            assert_eq!(from_parts, Some(read), "{s:?}");
        }
    }
}

/// Lookups in parameter text that parses agree with a scan of the general iterator.
fn params_agree(s: &str) {
    for rules in [ValueRules::Generic, ValueRules::Via] {
        let mut c = Cursor::new(s, 0);
        let Ok(p) = params::parse(&mut c, rules) else {
            continue;
        };
        for name in ["tag", "TAG", "branch", "lr", "rport", "received", "x", ""] {
            let general = p
                .iter()
                .find(|q| q.name.eq_ignore_ascii_case(name))
                .map(|q| q.value);
            assert_eq!(p.get(name), general, "{s:?} {name}");
        }
    }
}

/// Header values this project's nodes write, which the recognisers must take.
const PLAIN: &[&str] = &[
    "<sip:alice@alpha.example>;tag=be3ecc08b14ef908",
    "<sip:carol@delta.example>",
    "\"Alice\" <sip:alice@alpha.example>;tag=7c1e55",
    "<sips:bob@10.0.0.5:5060;transport=tcp;lr>;expires=3600",
    "SIP/2.0/UDP 10.0.0.3:5060;branch=z9hG4bK8bc84c9b973841c4",
    "SIP/2.0/TCP ua-a.alpha.example:5060;branch=z9hG4bK.a1f93c;rport",
    "SIP/2.0/UDP 10.0.0.3;rport;BRANCH=z9hG4bKup;branch=z9hG4bKlow",
    "SIP/2.0/UDP 10.0.0.3;branch;branch=z9hG4bKsecond",
    "SIP/2.0/UDP 10.0.0.3;branches=x;branch=z9hG4bKlast",
    "sip:carol@10.0.0.7:5060",
    "sip:im.alpha.example;lr",
    "1 MESSAGE",
    "message/cpim",
    "text/plain;charset=utf-8",
    "5b2e8f0a91@ua-a.alpha.example",
    ";branch=z9hG4bK1;rport;received=10.0.0.1",
    "MESSAGE sip:carol@10.0.0.7:5060 SIP/2.0",
    "SIP/2.0 202 Accepted",
    "SIP/2.0 200 OK",
];

#[test]
fn the_shapes_nodes_send_take_the_fast_path_and_agree() {
    let quick_takes = |s: &str| {
        quick::name_addr(s).is_some()
            || quick::via(s).is_some()
            || quick::sip_uri(s).is_some()
            || quick::cseq(s).is_some()
            || quick::media_type(s).is_some()
            || quick::call_id(s).is_some()
            || quick::param(s, "branch").is_some()
            || quick::start_line_noting_uri(s).is_some()
    };
    for s in PLAIN {
        assert!(quick_takes(s), "{s:?}");
        agree(s);
    }
}

#[test]
fn near_misses_fall_back_to_the_general_parser() {
    for s in [
        "<sip:a@b>;tag=",
        "<sip:a@b>;tag=x;",
        "<sip:a@b> ;tag=x",
        "<sip:a:pw@b>",
        "<sip:a@b?x=y>",
        "<sip:%41@b>",
        "<sip:@b>",
        "<sip:a@[2001:db8::1]>",
        "<sip:a@b:99999>",
        "<sip:a@b;;lr>",
        "\"a\\\"b\" <sip:a@b>",
        "SIP/2.0/UDP 10.0.0.3:5060;branch=\"x\"",
        "SIP/2.0/UDP  host ;branch=x",
        "SIP /2.0/UDP host",
        "SIP/2.0/UDP host;received=2001:db8::1",
        "2147483648 MESSAGE",
        "00000000001 MESSAGE",
        "1  MESSAGE",
        "message / cpim",
        "a@b@c",
        "sip:host;p=a@b",
        "SIP/2.0 099 Low",
        "SIP/2.0 700 High",
        "SIP/2.0 200",
        "SIP/2.0 2000 OK",
        "sip/2.0 200 OK",
        "MESSAGE  sip:a@b SIP/2.0",
        "MESSAGE sip:a@b SIP/2.0 ",
        "MESSAGE <sip:a@b> SIP/2.0",
        "MESSAGE sip:a@b\tx SIP/2.0",
        "MESSAGE sip:a@b SIP/2.1",
        "MES<SAGE sip:a@b SIP/2.0",
        "<sip:a.example;x=y@z>",
        "<sip:a.example:5060@z>",
        "<sip:a@b;p=1@c>",
        "<sip:a@b.example\t>",
        "<sip:a@b.example.>;tag=1",
        "<sip:a@1.2.3.4.5>",
        "<sip:a@10.0.0.256>",
        "<sip:a@-b.example>",
        "<sip:a@b-.example>",
        "<sip:a@b..example>",
        "<sip:a@b.example>>",
        "sip:a@b.example>",
        "SIP/2.0/UDP a--b.example.:5060;branch=z9hG4bK1",
        "SIP/2.0/UDP 10.0.0.3.:5060",
    ] {
        agree(s);
    }
}

/// Pieces that generated values are made of: separators, escapes, LWS, and the parts of plain
/// addresses, hops and scalars.
fn piece() -> impl Strategy<Value = &'static str> {
    prop::sample::select(vec![
        "sip:",
        "sips:",
        "SIP:",
        "tel:",
        "http:",
        "<",
        ">",
        "\"",
        "\\",
        ";",
        "=",
        ":",
        "@",
        "?",
        "&",
        "%41",
        "%4",
        "[2001:db8::1]",
        " ",
        "\t",
        "\r\n ",
        ",",
        "/",
        "alice",
        "10.0.0.3",
        "5060",
        "99999",
        "a.example",
        "-x",
        "x-",
        "tag",
        "branch",
        "BRANCH",
        "branch=",
        "z9hG4bK1",
        "lr",
        "SIP/2.0/UDP",
        "1",
        "MESSAGE",
        "message/cpim",
        "é",
        "0",
        ".",
        "_",
        "!",
        "*",
        "+1-201",
    ])
}

/// A plain value with a few bytes replaced, inserted or removed.
fn mutated() -> impl Strategy<Value = String> {
    super::edited_values::with_edits(prop::sample::select(PLAIN.to_vec()).prop_map(String::from))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(4096))]

    #[test]
    fn generated_values_parse_the_same_both_ways(pieces in prop::collection::vec(piece(), 0..12)) {
        agree(&pieces.concat());
    }

    #[test]
    fn mutated_plain_values_parse_the_same_both_ways(s in mutated()) {
        agree(&s);
    }
}

#[test]
fn every_corpus_header_value_parses_the_same_both_ways() {
    let Some(files) = crate::sip::corpus_files::corpus_files() else {
        return;
    };
    for (_, bytes) in &files {
        let start = bytes.iter().position(|&b| b != b'\r' && b != b'\n');
        let line = start.and_then(|s| bytes.get(s..)?.split(|&b| b == b'\r').next());
        if let Some(Ok(line)) = line.map(std::str::from_utf8) {
            agree(line);
        }
    }
    let values = crate::sip::corpus_files::each_header_value(&files, agree);
    assert!(values > 500, "only {values} corpus values");
}

#[test]
fn a_hop_s_branch_is_its_first_branch_parameter_whatever_its_case() {
    fn branch(s: &str) -> Option<&str> {
        Via::parse(s, BASE).ok().and_then(|v| v.branch())
    }
    assert_eq!(
        branch("SIP/2.0/UDP 10.0.0.3;rport;BRANCH=z9hG4bKup;branch=z9hG4bKlow"),
        Some("z9hG4bKup")
    );
    assert_eq!(
        branch("SIP/2.0/UDP 10.0.0.3;branch;branch=z9hG4bKsecond"),
        None
    );
    assert_eq!(
        branch("SIP/2.0/UDP 10.0.0.3;branches=x;branch=z9hG4bKlast"),
        Some("z9hG4bKlast")
    );
    assert_eq!(branch("SIP/2.0/UDP 10.0.0.3;rport"), None);
    let noted = quick::via("SIP/2.0/UDP 10.0.0.3:5060;branch=z9hG4bK8bc8;rport")
        .and_then(|v| v.params.noted_branch());
    assert_eq!(noted, Some("z9hG4bK8bc8"));
}

#[test]
fn a_message_request_line_reads_as_the_general_reading_and_near_misses_too() {
    let node = "MESSAGE sip:carol@delta.example SIP/2.0";
    assert!(quick::start_line_noting_uri(node).is_some());
    for s in [
        node,
        "MESSAGE sip:carol@10.0.0.7:5060 SIP/2.0",
        "MESSAGE sip:carol@delta.example;transport=udp SIP/2.0",
        "MESSAGE  sip:carol@delta.example SIP/2.0",
        "MESSAGE\tsip:carol@delta.example SIP/2.0",
        "MESSAGES sip:carol@delta.example SIP/2.0",
        "MESSAGE- sip:carol@delta.example SIP/2.0",
        "MESSAGE <sip:carol@delta.example> SIP/2.0",
        "MESSAGE sip:carol@delta.example SIP/2.1",
        "MESSAGE sip:carol@delta.example",
        "MESSAGE ",
        "MESSAGE",
        "message sip:carol@delta.example SIP/2.0",
        "REGISTER sip:delta.example SIP/2.0",
    ] {
        agree(s);
    }
}
