//! Parsing facts about SIP messages of the seed flow (protocol.md section 9) and the project's
//! own fixtures: typed headers, compact forms, folding, comma splitting and framing.

use imflow::sip::{
    frame_stream, parse_datagram, validate, Contact, Framing, Host, Message, Rule, Uri,
};

fn fixture(name: &str) -> Vec<u8> {
    let path = format!("{}/tests/fixtures/sip/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn parsed(bytes: &[u8]) -> Message<'_> {
    let m = parse_datagram(bytes).expect("fixture parses");
    validate(&m).expect("fixture validates");
    m
}

#[test]
fn group_message_exposes_its_typed_headers() {
    let bytes = fixture("e1-group-message-cpim.sip");
    let m = parsed(&bytes);
    assert_eq!(m.method().map(|x| x.as_str()), Some("MESSAGE"));
    let via = m.top_via().unwrap();
    assert_eq!(via.transport, "TCP");
    assert_eq!(via.host, Host::Domain("ua-a.alpha.example"));
    assert_eq!(via.port, Some(5060));
    assert_eq!(via.branch(), Some("z9hG4bK.a1f93c"));
    assert_eq!(via.rport(), Some(None));
    let from = m.from().unwrap();
    assert_eq!(from.display_name_text().as_deref(), Some("Alice"));
    assert_eq!(from.tag(), Some("7c1e55"));
    assert_eq!(m.to().unwrap().tag(), None);
    assert_eq!(m.call_id().unwrap(), "5b2e8f0a91@ua-a.alpha.example");
    let cseq = m.cseq().unwrap();
    assert_eq!((cseq.number, cseq.method), (301, "MESSAGE"));
    assert_eq!(m.max_forwards().unwrap(), Some(70));
    assert!(m.content_type().unwrap().unwrap().is("message", "cpim"));
    assert_eq!(m.content_length().unwrap(), Some(311));
    assert_eq!(m.body().len(), 311);
    assert!(m
        .body()
        .starts_with(b"From: Alice <sip:alice@alpha.example>"));
    let route = m.routes().next().unwrap().unwrap();
    assert_eq!(route.uri.as_sip().unwrap().param("lr"), Some(None));
    assert_eq!(
        m.contacts().count(),
        0,
        "a MESSAGE carries no Contact (RFC 3428)"
    );
}

#[test]
fn relayed_202_keeps_received_and_filled_rport() {
    let bytes = fixture("e2-202-accepted.sip");
    let m = parsed(&bytes);
    assert_eq!(m.status().map(|s| s.code()), Some(202));
    let via = m.top_via().unwrap();
    assert_eq!(via.received(), Some("192.0.2.10"));
    assert_eq!(via.rport(), Some(Some("50311")));
    assert_eq!(m.to().unwrap().tag(), Some("g-4410"));
    assert!(m.body().is_empty());
}

#[test]
fn aggregated_imdn_body_is_exactly_content_length_bytes() {
    let bytes = fixture("e5-aggregated-imdn.sip");
    assert_eq!(bytes.len(), 1465);
    let m = parsed(&bytes);
    assert_eq!(m.body().len(), 1153);
    assert_eq!(m.wire_len(), 1465);
}

#[test]
fn register_from_an_ipv6_device_binds_its_contact() {
    let bytes = fixture("e6-register-ipv6.sip");
    let m = parsed(&bytes);
    assert_eq!(m.top_via().unwrap().host, Host::Ipv6("2001:db8::44"));
    let contacts: Vec<_> = m.contacts().map(Result::unwrap).collect();
    let [Contact::Address(binding)] = contacts.as_slice() else {
        panic!("one binding expected: {contacts:?}");
    };
    let uri = binding.uri.as_sip().unwrap();
    assert_eq!(
        (uri.host, uri.port),
        (Host::Ipv6("2001:db8::44"), Some(5060))
    );
    assert_eq!(binding.params.get("expires"), Some(Some("3600")));
}

#[test]
fn warning_text_with_commas_stays_one_value() {
    let bytes = fixture("e9-403-non-member.sip");
    let m = parsed(&bytes);
    let warnings: Vec<_> = m.headers("warning").collect();
    assert_eq!(
        warnings,
        vec![r#"399 cf.gamma.example "sender is not a member of this group""#]
    );
    assert_eq!(m.vias().count(), 2);
}

#[test]
fn compact_forms_folding_and_comma_joined_rows_are_understood() {
    let bytes = fixture("compact-folded-register.sip");
    let m = parsed(&bytes);
    let vias: Vec<_> = m.vias().map(Result::unwrap).collect();
    assert_eq!(vias.len(), 2);
    assert_eq!(vias[1].host, Host::Domain("relay.epsilon.example"));
    assert_eq!(vias[1].branch(), Some("z9hG4bK.relay-9"));
    assert_eq!(m.cseq().unwrap().method, "REGISTER");
    assert_eq!(m.from().unwrap().tag(), Some("d-80f2"));
    assert_eq!(
        m.from().unwrap().display_name_text().as_deref(),
        Some(r#"Dave "The Climber" D."#)
    );
    assert_eq!(m.header("Call-ID"), m.header("i"));
    assert_eq!(m.header("CALL-id"), Some("d-reg-33e1@dave-phone"));
    let contacts: Vec<_> = m.contacts().map(Result::unwrap).collect();
    assert_eq!(contacts.len(), 2, "a quoted comma does not split a Contact");
    assert_eq!(
        m.headers("Supported").collect::<Vec<_>>(),
        vec!["path", "gruu"]
    );
    let ext = m.rows().find(|h| h.name == "X-Extension").unwrap();
    assert_eq!(ext.value, "folded\r\n value");
    assert_eq!(ext.unfolded(), "folded value");
}

#[test]
fn many_header_message_keeps_every_row_in_order() {
    let bytes = fixture("long-many-headers.sip");
    let m = parsed(&bytes);
    assert_eq!(m.row_count(), 48);
    assert_eq!(m.vias().count(), 6);
    assert_eq!(m.routes().count(), 2);
    assert_eq!(m.record_routes().count(), 2);
    assert_eq!(m.headers("P-Asserted-Identity").count(), 2);
    assert_eq!(m.headers("Allow").count(), 10);
    assert_eq!(m.expires().unwrap(), Some(86400));
}

#[test]
fn credentials_are_never_split_at_commas() {
    let bytes = b"SIP/2.0 401 Unauthorized\r\nVia: SIP/2.0/UDP a.example;branch=z9hG4bK1\r\n\
        From: <sip:a@a.example>;tag=1\r\nTo: <sip:a@a.example>;tag=2\r\nCall-ID: c\r\n\
        CSeq: 1 REGISTER\r\nWWW-Authenticate: Digest realm=\"a.example\", nonce=\"n\", qop=\"auth,auth-int\"\r\n\
        Content-Length: 0\r\n\r\n";
    let m = parsed(bytes);
    let challenges: Vec<_> = m.headers("www-authenticate").collect();
    assert_eq!(challenges.len(), 1);
    assert!(challenges[0].ends_with("qop=\"auth,auth-int\""));
}

#[test]
fn uris_of_every_scheme_are_typed() {
    let bytes = b"OPTIONS sips:%61lice:secret@[2001:db8::1]:5061;transport=tls?subject=x SIP/2.0\r\n\
        To: <tel:+1-201-555-0123;ext=22>\r\nFrom: <urn:uuid:f81d4fae-7dec-11d0-a765-00a0c91e6bf6>;tag=9\r\n\
        Call-ID: u\r\nCSeq: 1 OPTIONS\r\nVia: SIP/2.0/TLS h.example;branch=z9hG4bKu\r\nMax-Forwards: 1\r\n\r\n";
    let m = parse_datagram(bytes).unwrap();
    let Some(Ok(Uri::Sip(ruri))) = m.request_uri() else {
        panic!("sips URI expected");
    };
    assert!(ruri.secure);
    assert_eq!(ruri.user, Some("%61lice"));
    assert_eq!(ruri.password, Some("secret"));
    assert_eq!(ruri.headers, Some("subject=x"));
    assert!(matches!(m.to().unwrap().uri, Uri::Tel(t) if t.number == "+1-201-555-0123"));
    assert!(matches!(m.from().unwrap().uri, Uri::Other(o) if o.scheme == "urn"));
    assert_eq!(validate(&m).unwrap_err().rule, Rule::RequestUriHeaders);
}

#[test]
fn datagram_ignores_bytes_after_content_length() {
    let mut bytes = fixture("e2-202-accepted.sip");
    let len = bytes.len();
    bytes.extend_from_slice(b"123456789");
    let m = parsed(&bytes);
    assert_eq!(m.wire_len(), len);
}

#[test]
fn datagram_without_content_length_has_the_rest_as_body() {
    let bytes = b"MESSAGE sip:bob@beta.example SIP/2.0\r\nCall-ID: x\r\n\r\nhello";
    assert_eq!(parse_datagram(bytes).unwrap().body(), b"hello");
}

#[test]
fn datagram_shorter_than_content_length_is_refused() {
    let bytes = fixture("e1-group-message-cpim.sip");
    let short = &bytes[..bytes.len() - 1];
    assert_eq!(
        parse_datagram(short).unwrap_err().rule,
        Rule::ContentLengthExceedsBody
    );
}

#[test]
fn leading_crlfs_before_the_start_line_are_skipped() {
    let mut bytes = b"\r\n\r\n".to_vec();
    bytes.extend_from_slice(&fixture("e2-202-accepted.sip"));
    assert_eq!(parsed(&bytes).status().map(|s| s.code()), Some(202));
}

#[test]
fn stream_framer_splits_pipelined_messages() {
    let first = fixture("e1-group-message-cpim.sip");
    let second = fixture("e2-202-accepted.sip");
    let mut buf = b"\r\n".to_vec();
    buf.extend_from_slice(&first);
    buf.extend_from_slice(&second);
    let Ok(Framing::Complete(len)) = frame_stream(&buf) else {
        panic!("first message is complete");
    };
    assert_eq!(len, 2 + first.len());
    assert_eq!(parsed(&buf[..len]).cseq().unwrap().number, 301);
    assert_eq!(
        frame_stream(&buf[len..]),
        Ok(Framing::Complete(second.len()))
    );
    assert_eq!(frame_stream(&buf[len..len + 40]), Ok(Framing::Partial));
}

#[test]
fn every_fixture_round_trips_through_the_owned_form() {
    for name in [
        "e1-group-message-cpim.sip",
        "e2-202-accepted.sip",
        "e3-cf-leg-to-bob.sip",
        "e4-bob-delivery-imdn.sip",
        "e5-aggregated-imdn.sip",
        "e6-register-ipv6.sip",
        "e9-403-non-member.sip",
        "long-many-headers.sip",
        "compact-folded-register.sip",
    ] {
        let bytes = fixture(name);
        let owned = parsed(&bytes).to_owned();
        let wire = owned.to_bytes();
        let again = parsed(&wire).to_owned();
        assert_eq!(again, owned, "{name}");
    }
}

#[test]
fn unfolded_fixture_serializes_to_the_same_bytes() {
    // E1 has no folds and ends its header section with Content-Length: the serializer's layout.
    let bytes = fixture("e1-group-message-cpim.sip");
    assert_eq!(parsed(&bytes).to_owned().to_bytes(), bytes);
}

#[test]
fn builder_writes_the_relayed_202_byte_for_byte() {
    use imflow::sip::{OwnedMessage, StatusCode};
    let built = OwnedMessage::response(StatusCode::ACCEPTED, "Accepted")
        .header(
            "Via",
            "SIP/2.0/TCP ua-a.alpha.example:5060;branch=z9hG4bK.a1f93c;rport=50311;received=192.0.2.10",
        )
        .header("From", "\"Alice\" <sip:alice@alpha.example>;tag=7c1e55")
        .header("To", "<sip:climbers@conf.gamma.example>;tag=g-4410")
        .header("Call-ID", "5b2e8f0a91@ua-a.alpha.example")
        .header("CSeq", "301 MESSAGE")
        .header("Content-Length", "999");
    assert_eq!(built.to_bytes(), fixture("e2-202-accepted.sip"));
    assert_eq!(built.status(), Some(StatusCode::ACCEPTED));
    assert_eq!(
        built.header_value("i"),
        Some("5b2e8f0a91@ua-a.alpha.example")
    );
}
