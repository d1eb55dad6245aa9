//! Hostile multipart bodies end in typed errors, with bounded work, never a panic.

use imflow::diagnostic::Diagnostic;
use imflow::multipart::{self, limits};

#[test]
fn unterminated_boundary_is_a_typed_error() {
    let mut body = b"--agg\r\nContent-Type: message/imdn+xml\r\n\r\n".to_vec();
    body.extend(std::iter::repeat_n(b'x', 100_000));
    body.extend_from_slice(b"\r\n--agg-");
    let err = multipart::parse(&body, "agg").unwrap_err();
    assert_eq!(err.rule(), "unterminated-multipart");
}

#[test]
fn part_count_is_limited() {
    let mut body = Vec::new();
    for _ in 0..100_000 {
        body.extend_from_slice(b"--p\r\n\r\n\r\n");
    }
    body.extend_from_slice(b"--p--");
    let err = multipart::parse(&body, "p").unwrap_err();
    assert_eq!(err.rule(), "too-many-parts");
    assert_eq!(err.offset(), limits::MULTIPART_PARTS_MAX * 9 + 5);
}

#[test]
fn oversized_body_is_refused_before_scanning() {
    let body = vec![b'-'; limits::MULTIPART_BODY_BYTES_MAX + 1];
    assert_eq!(
        multipart::parse(&body, "b").unwrap_err().rule(),
        "multipart-body-too-large"
    );
}

#[test]
fn one_mebibyte_part_header_line_is_refused() {
    let mut body = b"--b\r\nX: ".to_vec();
    body.resize(limits::MULTIPART_BODY_BYTES_MAX - 100, b'a');
    body.extend_from_slice(b"\r\n\r\n\r\n--b--");
    assert_eq!(
        multipart::parse(&body, "b").unwrap_err().rule(),
        "header-line-too-long"
    );
}

#[test]
fn delimiter_lookalikes_everywhere_cost_linear_work() {
    let mut body = b"--b\r\n\r\n".to_vec();
    while body.len() < limits::MULTIPART_BODY_BYTES_MAX - 16 {
        body.extend_from_slice(b"\r\n--bx");
    }
    body.extend_from_slice(b"\r\n--b--");
    let started = std::time::Instant::now();
    let m = multipart::parse(&body, "b").unwrap();
    assert_eq!(m.parts.len(), 1);
    assert!(started.elapsed().as_secs() < 5);
}
