//! Facts about the CPIM bodies of the seed flow (protocol.md section 9, E1 E3 E4 E5).

use imflow::cpim::{self, Disposition, DispositionSet, OwnedCpim, CPIM_HEADERS_NS, IMDN_NS};
use imflow::diagnostic::Diagnostic;

fn fixture(name: &str) -> Vec<u8> {
    let path = format!("{}/tests/fixtures/cpim/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

#[test]
fn group_im_requests_positive_delivery_with_message_id_and_datetime() {
    let bytes = fixture("e1-group-im.cpim");
    let m = cpim::parse(&bytes).unwrap();
    let from = m.from().unwrap();
    assert_eq!(from.formal_name().as_deref(), Some("Alice"));
    assert_eq!(from.uri, "sip:alice@alpha.example");
    let to: Vec<_> = m.to().map(|a| a.uri).collect();
    assert_eq!(to, ["sip:climbers@conf.gamma.example"]);
    assert_eq!(m.datetime(), Some("2024-03-18T09:30:05+01:00"));
    assert_eq!(m.message_id(), Some("Xk3q9TzQ2mPw"));
    assert_eq!(
        m.disposition_notification(),
        DispositionSet::EMPTY.with(Disposition::PositiveDelivery)
    );
    assert_eq!(m.content_type(), Some("text/plain; charset=utf-8"));
    assert_eq!(m.content, b"Summit at noon, bring ropes.");
    assert_eq!(m.original_to(), None);
    assert_eq!(m.imdn_record_route().count(), 0);
}

#[test]
fn fan_out_leg_carries_original_to_and_record_route() {
    let bytes = fixture("e3-fanout-leg-to-bob.cpim");
    let m = cpim::parse(&bytes).unwrap();
    assert_eq!(m.to().next().unwrap().uri, "sip:bob@beta.example");
    let original = m.original_to().unwrap();
    assert_eq!(original.formal_name().as_deref(), Some("Climbers"));
    assert_eq!(original.uri, "sip:climbers@conf.gamma.example");
    let route: Vec<_> = m.imdn_record_route().map(|a| a.uri).collect();
    assert_eq!(route, ["sip:imdn@cf.gamma.example"]);
}

#[test]
fn delivery_imdn_is_a_notification_routed_by_imdn_route() {
    let bytes = fixture("e4-bob-delivered-imdn.cpim");
    let m = cpim::parse(&bytes).unwrap();
    assert_eq!(m.message_id(), Some("Rb77LqWc0t"));
    assert!(m.disposition_notification().is_empty());
    let route: Vec<_> = m.imdn_route().map(|a| a.uri).collect();
    assert_eq!(route, ["sip:imdn@cf.gamma.example"]);
    assert_eq!(m.content_type(), Some("message/imdn+xml"));
    assert_eq!(m.content_disposition(), Some("notification"));
    let imdn = imflow::imdn::parse(m.content).unwrap();
    assert_eq!(imdn.message_id, "Xk3q9TzQ2mPw");
}

#[test]
fn aggregated_imdn_wraps_a_multipart_with_its_boundary() {
    let bytes = fixture("e5-aggregated-imdn.cpim");
    let m = cpim::parse(&bytes).unwrap();
    let boundary = imflow::multipart::boundary_from_content_type(m.content_type().unwrap());
    assert_eq!(boundary, Some("agg-7f3e"));
    let all = imflow::multipart::parse_aggregate(m.content, "agg-7f3e").unwrap();
    let recipients: Vec<_> = all
        .iter()
        .map(|n| n.recipient_uri.as_deref().unwrap())
        .collect();
    assert_eq!(
        recipients,
        ["sip:bob@beta.example", "sip:carol@delta.example"]
    );
}

#[test]
fn seed_bodies_serialize_back_byte_for_byte() {
    for name in [
        "e1-group-im.cpim",
        "e3-fanout-leg-to-bob.cpim",
        "e4-bob-delivered-imdn.cpim",
        "e5-aggregated-imdn.cpim",
    ] {
        let bytes = fixture(name);
        let owned = cpim::parse(&bytes).unwrap().to_owned_cpim();
        assert_eq!(owned.serialize(), bytes, "{name}");
    }
}

#[test]
fn builder_writes_the_seed_group_im() {
    let built = OwnedCpim::builder()
        .from(Some("Alice"), "sip:alice@alpha.example")
        .to(Some("Climbers"), "sip:climbers@conf.gamma.example")
        .datetime("2024-03-18T09:30:05+01:00")
        .message_id("Xk3q9TzQ2mPw")
        .disposition_notification(DispositionSet::EMPTY.with(Disposition::PositiveDelivery))
        .content_type("text/plain; charset=utf-8")
        .content(b"Summit at noon, bring ropes.")
        .build()
        .unwrap();
    assert_eq!(built.serialize(), fixture("e1-group-im.cpim"));
}

#[test]
fn builder_refuses_a_message_that_would_not_parse() {
    let err = OwnedCpim::builder()
        .datetime("yesterday")
        .content_type("text/plain")
        .build()
        .unwrap_err();
    assert_eq!(err.rule(), "invalid-date-time");
    let no_type = OwnedCpim::builder().content(b"x").build().unwrap_err();
    assert_eq!(no_type.rule(), "missing-content-type");
}

#[test]
fn any_prefix_bound_to_the_imdn_urn_names_imdn_headers() {
    let body = b"NS: rcs <urn:ietf:params:imdn>\r\nrcs.Message-ID: abc\r\n\
rcs.Disposition-Notification: display\r\nimdnx.Message-ID: nope\r\n\r\nContent-Type: text/plain\r\n\r\n";
    let err = cpim::parse(body).unwrap_err();
    assert_eq!(err.rule(), "undeclared-name-prefix");
    let ok = b"NS: rcs <urn:ietf:params:imdn>\r\nrcs.Message-ID: abc\r\n\
rcs.Disposition-Notification: display\r\n\r\nContent-Type: text/plain\r\n\r\n";
    let m = cpim::parse(ok).unwrap();
    assert_eq!(m.message_id(), Some("abc"));
    assert!(m.disposition_notification().contains(Disposition::Display));
    assert_eq!(m.headers[1].namespace, IMDN_NS);
}

#[test]
fn header_names_are_case_sensitive() {
    let body = b"from: <sip:a@a.example>\r\nNS: imdn <urn:ietf:params:imdn>\r\nimdn.message-id: x\r\n\r\nContent-Type: text/plain\r\n\r\n";
    let m = cpim::parse(body).unwrap();
    assert!(m.from().is_none());
    assert!(m.message_id().is_none());
    assert_eq!(m.headers[0].namespace, CPIM_HEADERS_NS);
}

#[test]
fn default_namespace_can_be_redeclared() {
    let body =
        b"NS: <urn:example:other>\r\nFrom: not an address\r\n\r\nContent-Type: text/plain\r\n\r\n";
    let m = cpim::parse(body).unwrap();
    assert!(m.from().is_none());
    assert_eq!(m.headers[1].namespace, "urn:example:other");
}

#[test]
fn subject_escapes_and_lang_are_decoded() {
    let body =
        b"Subject:;lang=fr caf\\u00E9 \\\"ouvert\\\"\\tici\r\n\r\nContent-Type: text/plain\r\n\r\n";
    let m = cpim::parse(body).unwrap();
    let (lang, text) = m.subjects().next().unwrap();
    assert_eq!(lang, Some("fr"));
    assert_eq!(text, "caf\u{e9} \"ouvert\"\tici");
}

#[test]
fn content_is_never_trimmed() {
    let body =
        b"From: <sip:a@a.example>\r\n\r\nContent-Type: text/plain\r\nContent-Length: 2\r\n\r\n  ";
    assert_eq!(cpim::parse(body).unwrap().content, b"  ");
}

#[test]
fn each_broken_rule_is_named_with_its_offset() {
    let cases: &[(&[u8], &str, usize)] = &[
        (b"From: <sip:a@a.example>\n\r\n", "bare-lf-line-end", 23),
        (b"From:<sip:a@a.example>\r\n\r\n", "one-space-after-colon", 5),
        (b"From: <sip:a@a.example>\r\n more\r\n\r\n", "folded-header", 25),
        (b"Subject: a\x01b\r\n\r\n", "invalid-character", 10),
        (b"Subject: \xff\r\n\r\n", "invalid-character", 9),
        (b"From: \"Alice <sip:a@a.example>\r\n\r\n", "unterminated-quoted-string", 0),
        (b"Subject: hi\r\n", "missing-encapsulated-entity", 13),
        (b"Subject: hi\r\n\r\nContent-Type: text/plain\r\n", "unterminated-mime-headers", 41),
        (b"Subject: hi\r\n\r\nX: y\r\n\r\n", "missing-content-type", 15),
        (
            b"Subject: hi\r\n\r\nContent-Type: a/b\r\nContent-Length: 9\r\n\r\nshort",
            "content-length-mismatch",
            34,
        ),
        (
            b"Subject: hi\r\n\r\nContent-Type: a/b\r\nContent-Length: 99999999999999999999999\r\n\r\n",
            "invalid-content-length",
            34,
        ),
        (b"DateTime: 2024-02-30\r\n\r\n", "invalid-date-time", 0),
        (b"NS: imdn urn:ietf:params:imdn\r\n\r\n", "invalid-ns-header", 0),
        (b"Require: a b\r\n\r\n", "invalid-require", 0),
        (
            b"NS: i <urn:ietf:params:imdn>\r\ni.Message-ID: a\r\ni.Message-ID: b\r\n\r\n",
            "duplicate-header",
            47,
        ),
    ];
    for (input, rule, offset) in cases {
        let err = cpim::parse(input).unwrap_err();
        assert_eq!(
            (err.rule(), err.offset()),
            (*rule, *offset),
            "{}",
            String::from_utf8_lossy(input)
        );
    }
}
