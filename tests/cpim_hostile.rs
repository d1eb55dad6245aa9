//! Hostile CPIM bodies end in typed errors, with bounded work, never a panic.

use imflow::cpim::{self, limits};
use imflow::diagnostic::Diagnostic;

#[test]
fn one_mebibyte_header_line_is_refused_at_the_line_limit() {
    let mut body = b"Subject: ".to_vec();
    body.resize(body.len() + 1024 * 1024, b'a');
    body.extend_from_slice(b"\r\n\r\nContent-Type: text/plain\r\n\r\n");
    let err = cpim::parse(&body).unwrap_err();
    assert_eq!(err.rule(), "header-line-too-long");
    assert_eq!(err.offset(), limits::HEADER_LINE_BYTES_MAX);
}

#[test]
fn hundred_thousand_headers_are_refused_at_the_header_limit() {
    let mut body = Vec::new();
    for i in 0..100_000 {
        body.extend_from_slice(format!("X{i}: v\r\n").as_bytes());
    }
    body.extend_from_slice(b"\r\nContent-Type: text/plain\r\n\r\n");
    let err = cpim::parse(&body).unwrap_err();
    assert_eq!(err.rule(), "too-many-headers");
    let expected: usize = (0..limits::CPIM_HEADER_COUNT_MAX)
        .map(|i| format!("X{i}: v\r\n").len())
        .sum();
    assert_eq!(err.offset(), expected);
}

#[test]
fn too_many_mime_headers_are_refused() {
    let mut body = b"Subject: s\r\n\r\nContent-Type: a/b\r\n".to_vec();
    for _ in 0..100_000 {
        body.extend_from_slice(b"X: y\r\n");
    }
    body.extend_from_slice(b"\r\n");
    assert_eq!(
        cpim::parse(&body).unwrap_err().rule(),
        "too-many-mime-headers"
    );
}

#[test]
fn unterminated_quotes_are_typed_errors() {
    for body in [
        &b"To: \"Bob <sip:b@beta.example>\r\n\r\nContent-Type: a/b\r\n\r\n"[..],
        b"Test:;p=\"open value\r\n\r\nContent-Type: a/b\r\n\r\n",
        b"From: \"esc\\\"<sip:a@a.example>\r\n\r\nContent-Type: a/b\r\n\r\n",
    ] {
        assert_eq!(
            cpim::parse(body).unwrap_err().rule(),
            "unterminated-quoted-string"
        );
    }
}

#[test]
fn oversized_body_is_refused_before_scanning() {
    let body = vec![b'a'; limits::CPIM_MESSAGE_BYTES_MAX + 1];
    assert_eq!(
        cpim::parse(&body).unwrap_err().rule(),
        "cpim-message-too-large"
    );
}

#[test]
fn empty_and_truncated_inputs_are_typed_errors() {
    for body in [&b""[..], b"\r", b"\r\n", b"\r\n\r", b"S", b"Subject: x\r"] {
        assert!(cpim::parse(body).is_err());
    }
}
