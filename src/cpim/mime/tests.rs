//! The one-pass line reader agrees with the general reader on every section, and the
//! readers of Content-Type parameters find what they name.

use super::*;

#[test]
fn headers_end_at_the_blank_line() {
    let input = b"Content-type: text/plain;charset=utf-8\r\nContent-length: 2\r\n\r\n  ";
    let (headers, body) = parse_headers(input, 0).unwrap();
    assert_eq!(headers.len(), 2);
    assert_eq!(headers[0].value, "text/plain;charset=utf-8");
    assert_eq!(&input[body..], b"  ");
    assert!(check_content_length(&headers, 2).is_ok());
    assert_eq!(
        check_content_length(&headers, 3),
        Err((MimeFault::ContentLengthMismatch, 40))
    );
}

#[test]
fn controls_other_than_tab_are_found_past_tabs_and_non_ascii_text() {
    for (text, at) in [
        ("Content-Type: text/plain", None),
        ("X:\tv\tw", None),
        ("X: caf\u{e9} \u{85}", Some(9)),
        ("X: \u{e9}\t\u{7f}", Some(6)),
        ("X: a\u{0}", Some(4)),
    ] {
        let plain = text.find(|c: char| c.is_control() && c != '\t');
        assert_eq!(plain, at, "{text:?}");
        assert_eq!(first_control_but_tab(text), at, "{text:?}");
    }
}

proptest::proptest! {
    #[test]
    fn a_prefix_known_to_be_utf8_changes_no_header_fault_or_offset(
        pieces in proptest::collection::vec(
            proptest::prop_oneof![
                proptest::strategy::Just(&b"\r\n"[..]),
                proptest::strategy::Just(&b"X: v"[..]),
                proptest::strategy::Just(&b"Content-Type: a/b"[..]),
                proptest::strategy::Just(&b"\xc3\xa9"[..]),
                proptest::strategy::Just(&b"\xc3"[..]),
                proptest::strategy::Just(&b"\xff"[..]),
                proptest::strategy::Just(&b"\t"[..]),
                proptest::strategy::Just(&b"\n"[..]),
                proptest::strategy::Just(&b" "[..]),
            ],
            0..16,
        ),
        cut in 0usize..64,
    ) {
        let input = pieces.concat();
        // Every UTF-8 prefix the caller may know of, up to the longest.
        let longest = match std::str::from_utf8(&input) {
            Ok(text) => text.len(),
            Err(e) => e.valid_up_to(),
        };
        let known = std::str::from_utf8(&input[..cut.min(longest)]).unwrap_or("");
        proptest::prop_assert_eq!(parse_headers_in(&input, known, 0), parse_headers(&input, 0));
    }
}

/// `input` read by the one-pass line reader where it applies, with and without its UTF-8
/// prefix known, and by the general reader alone: all three agree.
fn both_readings_agree(input: &[u8]) {
    let known = match std::str::from_utf8(input) {
        Ok(text) => text,
        Err(e) => std::str::from_utf8(&input[..e.valid_up_to()]).unwrap_or(""),
    };
    let by_rule = parse_headers_by_rule(input, 0);
    let text = String::from_utf8_lossy(input);
    assert_eq!(parse_headers_in(input, known, 0), by_rule, "{text:?}");
    assert_eq!(parse_headers(input, 0), by_rule, "{text:?}");
}

#[test]
fn the_one_pass_line_reader_agrees_on_every_byte_in_every_place_of_real_sections() {
    for base in [
        "Content-Type: text/plain\r\n\r\nhi",
        "Content-type: message/imdn+xml\r\nContent-Disposition: notification\r\n\
         Content-Length: 2\r\n\r\nhi",
        "X:  v  \r\nY:\r\nZ: \r\n\r\n",
    ] {
        assert!(
            plain_header_at(base.as_bytes(), base, 0).is_some(),
            "{base:?}"
        );
        assert!(
            plain_header_at(base.as_bytes(), "", 0).is_some(),
            "{base:?}"
        );
        for text in crate::cpim::one_more_byte::with_one_more_byte(base) {
            both_readings_agree(text.as_bytes());
        }
    }
    // One header too many is refused at the same line either way.
    both_readings_agree("X: v\r\n".repeat(MIME_HEADER_COUNT_MAX + 1).as_bytes());
}

#[test]
fn the_one_pass_line_reader_agrees_from_every_line_of_the_real_world_corpus() {
    let Some(files) = crate::sip::corpus_files::corpus_files() else {
        return;
    };
    for (_, bytes) in files {
        for rest in crate::sip::corpus_files::from_each_line_start(&bytes) {
            both_readings_agree(rest);
        }
    }
}

#[test]
fn folded_mime_header_is_refused() {
    let input = b"Content-Type: text/plain;\r\n charset=utf-8\r\n\r\n";
    assert_eq!(
        parse_headers(input, 0).unwrap_err().0,
        MimeFault::FoldedHeader
    );
}

#[test]
fn bare_lf_is_refused_at_its_offset() {
    assert_eq!(parse_headers(b"A: b\n\r\n", 0), Err((MimeFault::BareLf, 4)));
}

#[test]
fn boundary_parameter_is_found_quoted_or_not() {
    let ct = "multipart/mixed; charset=x; boundary=\"agg-7f3e\"";
    assert_eq!(parameter(ct, "Boundary"), Some("agg-7f3e"));
    assert_eq!(
        parameter("multipart/mixed;boundary=abc", "boundary"),
        Some("abc")
    );
    assert_eq!(parameter("text/plain", "boundary"), None);
    assert_eq!(media_type(ct), "multipart/mixed");
}
