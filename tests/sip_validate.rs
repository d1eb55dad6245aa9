//! Validation facts: each rule RFC 4475 says an element must reject is reported by name, on a
//! minimal message that breaks only that rule.

use imflow::diagnostic::Diagnostic;
use imflow::sip::{parse_datagram, validate, Rule, SipError};

const BASE: &[&str] = &[
    "MESSAGE sip:bob@beta.example SIP/2.0",
    "Via: SIP/2.0/TCP ua-b.beta.example;branch=z9hG4bK.b-39aa",
    "Max-Forwards: 70",
    "From: <sip:alice@alpha.example>;tag=a1",
    "To: <sip:bob@beta.example>",
    "Call-ID: c1@alpha.example",
    "CSeq: 12 MESSAGE",
    "Content-Type: text/plain",
    "Content-Length: 2",
];

fn wire(lines: &[String]) -> Vec<u8> {
    let mut s = lines.join("\r\n");
    s.push_str("\r\n\r\nhi");
    s.into_bytes()
}

fn base() -> Vec<String> {
    BASE.iter().map(|l| l.to_string()).collect()
}

/// The base message with the row starting with `prefix` replaced by `line` (or removed if empty).
fn replaced(prefix: &str, line: &str) -> Vec<u8> {
    let lines: Vec<String> = base()
        .into_iter()
        .filter_map(|l| {
            if l.starts_with(prefix) {
                (!line.is_empty()).then(|| line.to_string())
            } else {
                Some(l)
            }
        })
        .collect();
    wire(&lines)
}

/// The base message with `line` added before Content-Length.
fn added(line: &str) -> Vec<u8> {
    let mut lines = base();
    lines.insert(lines.len() - 1, line.to_string());
    wire(&lines)
}

fn check(bytes: &[u8]) -> Result<(), SipError> {
    validate(&parse_datagram(bytes)?)
}

fn rule(bytes: &[u8]) -> &'static str {
    check(bytes).expect_err("message must be refused").rule()
}

#[test]
fn the_base_message_is_valid() {
    assert_eq!(check(&wire(&base())), Ok(()));
}

#[test]
fn cseq_method_must_match_the_request_method() {
    assert_eq!(
        rule(&replaced("CSeq", "CSeq: 12 INVITE")),
        "cseq-method-mismatch"
    );
    assert_eq!(
        rule(&replaced("CSeq", "CSeq: 12 message")),
        "cseq-method-mismatch"
    );
}

#[test]
fn out_of_range_scalars_are_refused() {
    assert_eq!(
        rule(&replaced("CSeq", "CSeq: 2147483648 MESSAGE")),
        "cseq-out-of-range"
    );
    assert_eq!(
        rule(&replaced("Max-Forwards", "Max-Forwards: 256")),
        "max-forwards-out-of-range"
    );
    assert_eq!(rule(&added("Expires: 4294967296")), "expires-out-of-range");
    assert_eq!(
        rule(&added("Min-Expires: 99999999999")),
        "expires-out-of-range"
    );
    let contact = "REGISTER sip:b.example SIP/2.0\r\nVia: SIP/2.0/UDP h;branch=z9hG4bK1\r\n\
        Max-Forwards: 70\r\nFrom: <sip:a@b.example>;tag=1\r\nTo: <sip:a@b.example>\r\nCall-ID: r\r\n\
        CSeq: 1 REGISTER\r\nContact: <sip:a@h>;expires=280297596632815\r\nContent-Length: 0\r\n\r\n";
    assert_eq!(rule(contact.as_bytes()), "expires-out-of-range");
}

#[test]
fn status_code_must_be_three_digits() {
    let bytes = b"SIP/2.0 4294967301 better not break the receiver\r\nContent-Length: 0\r\n\r\n";
    assert_eq!(rule(bytes), "status-code-not-3-digits");
}

#[test]
fn mandatory_headers_are_required() {
    assert_eq!(rule(&replaced("To:", "")), "missing-to");
    assert_eq!(rule(&replaced("From:", "")), "missing-from");
    assert_eq!(rule(&replaced("Call-ID:", "")), "missing-call-id");
    assert_eq!(rule(&replaced("CSeq:", "")), "missing-cseq");
    assert_eq!(rule(&replaced("Via:", "")), "missing-via");
    assert_eq!(rule(&replaced("Max-Forwards:", "")), "missing-max-forwards");
}

#[test]
fn rfc2543_requests_need_no_max_forwards() {
    let old = replaced("Via:", "Via: SIP/2.0/UDP iftgw.example.com");
    let without = String::from_utf8(old)
        .unwrap()
        .replace("Max-Forwards: 70\r\n", "");
    assert_eq!(check(without.as_bytes()), Ok(()));
}

#[test]
fn single_value_headers_appear_once() {
    for line in [
        "To: <sip:carol@delta.example>",
        "From: <sip:mallory@delta.example>;tag=m",
        "Call-ID: other",
        "CSeq: 13 MESSAGE",
        "Max-Forwards: 5",
        "Content-Type: text/html",
    ] {
        assert_eq!(
            rule(&added(line)),
            "multiple-values-in-single-value-header",
            "{line}"
        );
    }
}

#[test]
fn content_length_must_agree_be_positive_and_fit_the_datagram() {
    assert_eq!(rule(&added("l: 3")), "content-length-conflict");
    assert_eq!(
        check(&added("l: 2")),
        Ok(()),
        "an agreeing duplicate is harmless"
    );
    assert_eq!(
        rule(&replaced("Content-Length", "Content-Length: -2")),
        "negative-content-length"
    );
    assert_eq!(
        rule(&replaced("Content-Length", "Content-Length: 9999")),
        "content-length-exceeds-body"
    );
    assert_eq!(
        rule(&replaced("Content-Length", "Content-Length: two")),
        "invalid-content-length"
    );
}

#[test]
fn sip_version_must_be_2_0() {
    let bytes = replaced("MESSAGE", "MESSAGE sip:bob@beta.example SIP/7.0");
    assert_eq!(rule(&bytes), "unsupported-sip-version");
    let bytes = replaced("MESSAGE", "MESSAGE sip:bob@beta.example SIP/two");
    assert_eq!(rule(&bytes), "malformed-sip-version");
}

#[test]
fn request_uri_is_bare_without_lws_or_headers() {
    let cases = [
        (
            "MESSAGE <sip:bob@beta.example> SIP/2.0",
            "request-uri-in-angle-brackets",
        ),
        (
            "MESSAGE sip:bob@beta.example; lr SIP/2.0",
            "request-uri-lws",
        ),
        (
            "MESSAGE  sip:bob@beta.example SIP/2.0",
            "request-line-spacing",
        ),
        (
            "MESSAGE sip:bob@beta.example SIP/2.0 ",
            "request-line-spacing",
        ),
        (
            "MESSAGE sip:bob@beta.example?Route=%3Csip:x%3E SIP/2.0",
            "request-uri-headers",
        ),
        ("MESSAGE sip:2001:db8::10 SIP/2.0", "invalid-host"),
    ];
    for (line, want) in cases {
        assert_eq!(rule(&replaced("MESSAGE", line)), want, "{line}");
    }
}

#[test]
fn address_syntax_errors_are_named() {
    let cases = [
        (
            "To: \"Mr. J. User <sip:bob@beta.example>",
            "unterminated-quoted-string",
        ),
        (
            "To: Watson, Thomas <sip:bob@beta.example>",
            "display-name-not-token",
        ),
        (
            "To: \"Watson, Thomas\" < sip:bob@beta.example >",
            "space-inside-angle-brackets",
        ),
        ("To: <sip:bob@beta.example>;tag=", "empty-tag"),
        (
            "To: sip:bob@beta.example?Route=%3Csip:x%3E",
            "addr-spec-needs-angle-brackets",
        ),
        ("To: <sip:bob@beta.example", "unterminated-angle-bracket"),
        ("To: <sip:b%4@beta.example>", "invalid-escape"),
    ];
    for (line, want) in cases {
        assert_eq!(rule(&replaced("To:", line)), want, "{line}");
    }
}

#[test]
fn list_elements_and_parameters_must_not_be_empty() {
    assert_eq!(
        rule(&replaced("Via:", "Via: SIP/2.0/UDP 192.0.2.15;;,;,,")),
        "empty-parameter"
    );
    assert_eq!(rule(&added("Route: ,")), "empty-list");
    assert_eq!(
        rule(&added("Route: <sip:a.example;lr><sip:b.example;lr>")),
        "unexpected-characters"
    );
    assert_eq!(
        rule(&added("Record-Route: sip:a.example")),
        "name-addr-required"
    );
    let skipped = replaced(
        "Via:",
        "Via: SIP/2.0/TCP a.example;branch=z9hG4bK1,,SIP/2.0/UDP b.example",
    );
    assert_eq!(
        check(&skipped),
        Ok(()),
        "an empty element between commas is skipped"
    );
}

#[test]
fn date_must_be_gmt() {
    assert_eq!(
        rule(&added("Date: Fri, 01 Jan 2010 16:00:00 EST")),
        "date-not-gmt"
    );
    assert_eq!(check(&added("Date: Fri, 01 Jan 2010 16:00:00 GMT")), Ok(()));
}

#[test]
fn contact_parameters_and_wildcard_follow_contact_params() {
    let register = |contact: &str| {
        format!(
            "REGISTER sip:b.example SIP/2.0\r\nVia: SIP/2.0/UDP h;branch=z9hG4bK1\r\n\
             Max-Forwards: 70\r\nFrom: <sip:a@b.example>;tag=1\r\nTo: <sip:a@b.example>\r\n\
             Call-ID: r\r\nCSeq: 1 REGISTER\r\n{contact}\r\nContent-Length: 0\r\n\r\n"
        )
        .into_bytes()
    };
    assert_eq!(
        rule(&register("Contact: <sip:a@h>;pn-tok=/throttled")),
        "invalid-contact-parameter"
    );
    assert_eq!(
        rule(&register("Contact: <sip:a@h>;q=2")),
        "invalid-contact-parameter"
    );
    assert_eq!(
        rule(&register("Contact: *, <sip:a@h>")),
        "contact-wildcard-not-alone"
    );
    assert_eq!(check(&register("Contact: *\r\nExpires: 0")), Ok(()));
}

#[test]
fn line_framing_errors_are_named() {
    let bare_lf = String::from_utf8(wire(&base()))
        .unwrap()
        .replacen("\r\n", "\n", 1);
    assert_eq!(rule(bare_lf.as_bytes()), "bare-lf");
    let bare_cr = String::from_utf8(wire(&base()))
        .unwrap()
        .replacen("\r\n", "\r", 2);
    assert_eq!(rule(bare_cr.as_bytes()), "bare-cr");
    let head_only = BASE.join("\r\n");
    assert_eq!(rule(head_only.as_bytes()), "unterminated-header-section");
    assert_eq!(rule(&added("No colon here")), "missing-header-colon");
    assert_eq!(rule(&added("Bad@Name: x")), "invalid-header-name");
}

#[test]
fn every_rule_has_a_distinct_kebab_case_name() {
    let mut names: Vec<_> = Rule::ALL.iter().map(|r| r.name()).collect();
    assert!(names.iter().all(|n| n
        .bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')));
    names.sort_unstable();
    names.dedup();
    assert_eq!(names.len(), Rule::ALL.len());
}

#[test]
fn errors_carry_the_offset_of_the_problem() {
    let bytes = replaced("CSeq", "CSeq: 12 INVITE");
    let err = check(&bytes).unwrap_err();
    let at = String::from_utf8(bytes).unwrap().find("12 INVITE").unwrap();
    assert_eq!((err.rule, err.offset), (Rule::CseqMethodMismatch, at));
}
