//! Facts about multipart/mixed bodies (RFC 2046 section 5.1) and aggregated IMDNs (E5).

use imflow::diagnostic::Diagnostic;
use imflow::imdn::{DeliveryStatus, DispositionNotification, Notification};
use imflow::multipart::{self, OwnedPart};

fn fixture(name: &str) -> Vec<u8> {
    let path = format!(
        "{}/tests/fixtures/multipart/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

#[test]
fn aggregated_imdn_has_one_part_per_recipient() {
    let body = fixture("e5-two-delivered.multipart");
    assert_eq!(multipart::boundary_from_first_line(&body), Ok("agg-7f3e"));
    let m = multipart::parse(&body, "agg-7f3e").unwrap();
    assert_eq!(m.parts.len(), 2);
    assert!(m.preamble.is_empty() && m.epilogue.is_empty());
    for part in &m.parts {
        assert_eq!(part.content_type(), Some("message/imdn+xml"));
        assert!(part.body.starts_with(b"<?xml") && part.body.ends_with(b"</imdn>"));
    }
    let notifications = multipart::parse_aggregate(&body, "agg-7f3e").unwrap();
    assert!(notifications
        .iter()
        .all(|n| n.notification == Notification::Delivery(DeliveryStatus::Delivered)));
}

#[test]
fn preamble_and_epilogue_are_tolerated_and_kept() {
    let body = b"This is a preamble.\r\n--b1\r\nContent-Type: text/plain\r\n\r\nhello\r\n--b1--\r\nepilogue";
    let m = multipart::parse(body, "b1").unwrap();
    assert_eq!(m.preamble, b"This is a preamble.");
    assert_eq!(m.parts[0].body, b"hello");
    assert_eq!(m.epilogue, b"epilogue");
}

#[test]
fn part_bytes_are_exact_and_binary_safe() {
    let body = b"--b\r\nContent-Type: application/octet-stream\r\n\r\n\r\x00\n--b not a delimiter\r\n--bb\r\n\r\n\r\n--b\r\n\r\n\r\n--b  \t\r\n\r\n--b--";
    let m = multipart::parse(body, "b").unwrap();
    let bodies: Vec<&[u8]> = m.parts.iter().map(|p| p.body).collect();
    assert_eq!(
        bodies,
        [
            &b"\r\x00\n--b not a delimiter\r\n--bb\r\n\r\n"[..],
            b"",
            b""
        ]
    );
    assert!(m.parts[1].headers.is_empty());
}

#[test]
fn close_delimiter_is_required() {
    let body = b"--b\r\nContent-Type: text/plain\r\n\r\nhello\r\n--b\r\n\r\nmore";
    let err = multipart::parse(body, "b").unwrap_err();
    assert_eq!(
        (err.rule(), err.offset()),
        ("unterminated-multipart", body.len())
    );
}

#[test]
fn framing_errors_name_their_rule() {
    let rule = |body: &[u8], boundary: &str| multipart::parse(body, boundary).unwrap_err().rule();
    assert_eq!(rule(b"no delimiter at all", "b"), "missing-delimiter-line");
    assert_eq!(rule(b"--b--", "b"), "no-body-parts");
    assert_eq!(rule(b"--b\r\n", "b"), "unterminated-multipart");
    assert_eq!(rule(b"--b\r\n\r\nx\r\n--b--", ""), "invalid-boundary");
    assert_eq!(
        rule(b"--b\r\n\r\nx\r\n--b--", "ends in space "),
        "invalid-boundary"
    );
    assert_eq!(
        rule(b"--b\r\n\r\nx\r\n--b--", &"x".repeat(71)),
        "invalid-boundary"
    );
    assert_eq!(
        rule(b"--b\r\nContent-Type: a/b\r\n--b--", "b"),
        "unterminated-mime-headers"
    );
    assert_eq!(
        rule(b"--b\r\nContent-Length: 9\r\n\r\nabc\r\n--b--", "b"),
        "content-length-mismatch"
    );
    assert_eq!(
        multipart::boundary_from_first_line(b"preamble only\r\n")
            .unwrap_err()
            .rule(),
        "missing-delimiter-line"
    );
}

#[test]
fn built_body_uses_a_boundary_absent_from_every_part() {
    let tricky = OwnedPart {
        headers: vec![("Content-Type".into(), "text/plain".into())],
        body: b"--imflow-0000000000000000\r\n".to_vec(),
    };
    let parts = vec![tricky.clone(), tricky];
    let (boundary, bytes) = multipart::build(&parts);
    let hay = String::from_utf8_lossy(&bytes);
    let dashed = format!("--{boundary}");
    for part in &parts {
        assert!(!String::from_utf8_lossy(&part.body).contains(&dashed));
    }
    assert_eq!(hay.matches(&dashed).count(), 3);
    let again = multipart::parse(&bytes, &boundary).unwrap();
    let owned: Vec<_> = again.parts.iter().map(|p| p.to_owned_part()).collect();
    assert_eq!(owned, parts);
}

#[test]
fn boundary_is_chosen_again_when_a_part_contains_it() {
    let plain = vec![OwnedPart {
        headers: vec![],
        body: b"x".to_vec(),
    }];
    let first = multipart::choose_boundary(&plain);
    let clash = vec![OwnedPart {
        headers: vec![],
        body: format!("--{first}").into_bytes(),
    }];
    let chosen = multipart::choose_boundary(&clash);
    assert!(!format!("--{first}").contains(&format!("--{chosen}")));
}

#[test]
fn aggregated_imdns_parse_back_in_order() {
    let n = |who: &str, status| DispositionNotification {
        message_id: "Xk3q9TzQ2mPw".into(),
        datetime: "2024-03-18T09:30:05+01:00".into(),
        recipient_uri: Some(format!("sip:{who}")),
        original_recipient_uri: Some("sip:climbers@conf.gamma.example".into()),
        subject: None,
        notification: Notification::Delivery(status),
    };
    let list = vec![
        n("bob@beta.example", DeliveryStatus::Delivered),
        n("carol@delta.example", DeliveryStatus::Delivered),
        n("dave@epsilon.example", DeliveryStatus::Failed),
    ];
    let (boundary, body) = multipart::aggregate_imdns(&list);
    assert_eq!(multipart::parse_aggregate(&body, &boundary).unwrap(), list);
}

#[test]
fn aggregate_refuses_a_part_that_is_not_an_imdn() {
    let body = b"--b\r\nContent-Type: text/plain\r\n\r\nhi\r\n--b--";
    assert_eq!(
        multipart::parse_aggregate(body, "b").unwrap_err().rule(),
        "part-not-imdn"
    );
    let bad = b"--b\r\nContent-Type: message/imdn+xml\r\n\r\n<imdn/>\r\n--b--";
    let err = multipart::parse_aggregate(bad, "b").unwrap_err();
    assert_eq!((err.rule(), err.offset()), ("not-imdn-root", 39));
}

#[test]
fn nested_check_reports_a_bad_cpim_part_at_its_offset_in_the_body() {
    let body = b"--b\r\nContent-Type: message/cpim\r\n\r\nFrom:x\r\n\r\nContent-Type: a/b\r\n\r\n\r\n--b--";
    let err = multipart::parse_nested(body).unwrap_err();
    assert_eq!(
        (err.rule(), err.offset()),
        ("one-space-after-colon", 35 + 5)
    );
    let ok = b"--b\r\nContent-Type: message/cpim\r\n\r\nFrom: <sip:a@a.example>\r\n\r\nContent-Type: a/b\r\n\r\n\r\n--b--";
    assert_eq!(multipart::parse_nested(ok).unwrap().parts.len(), 1);
    let imdn = b"--b\r\nContent-Type: message/imdn+xml\r\n\r\n<x/>\r\n--b--";
    assert_eq!(
        multipart::parse_nested(imdn).unwrap_err().rule(),
        "not-imdn-root"
    );
}
