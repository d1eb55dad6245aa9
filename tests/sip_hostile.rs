//! Hostile input: every oversized or malformed message ends in a typed error, without a panic,
//! and parsing allocates a bounded amount whatever the input size (measured by a counting
//! global allocator in this test binary).

use imflow::limits::{SIP_BODY_BYTES_MAX, SIP_HEADER_ROWS_MAX, SIP_LINE_LENGTH_BYTES_MAX};
use imflow::sip::{frame_stream, parse_datagram, validate, Rule, SipError};
use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

struct Counting;

thread_local! {
    static LIVE: Cell<usize> = const { Cell::new(0) };
    static PEAK: Cell<usize> = const { Cell::new(0) };
}

// SAFETY: forwards to the system allocator unchanged; only adds thread-local bookkeeping.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let _ = LIVE.try_with(|live| {
            let now = live.get() + layout.size();
            live.set(now);
            let _ = PEAK.try_with(|peak| peak.set(peak.get().max(now)));
        });
        // SAFETY: same contract as the caller's.
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        let _ = LIVE.try_with(|live| live.set(live.get().saturating_sub(layout.size())));
        // SAFETY: same contract as the caller's.
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// Largest heap growth tolerated while parsing and validating one message, in bytes: the row
/// table (`SIP_HEADER_ROWS_MAX` rows) plus slack, whatever the input size.
const PARSE_HEAP_BYTES_MAX: usize = 64 * 1024;

/// Parses, validates and frames `bytes`; returns the first error and the peak heap growth.
fn run(bytes: &[u8]) -> (Result<(), SipError>, usize) {
    let base = LIVE.with(Cell::get);
    PEAK.with(|p| p.set(base));
    let framed = frame_stream(bytes);
    let result = parse_datagram(bytes).and_then(|m| validate(&m));
    let peak = PEAK.with(Cell::get) - base;
    let result = match (result, framed) {
        (Ok(()), Err(e)) => Err(e),
        (r, _) => r,
    };
    (result, peak)
}

fn refused(bytes: &[u8]) -> Rule {
    let (result, peak) = run(bytes);
    assert!(
        peak <= PARSE_HEAP_BYTES_MAX,
        "parsing allocated {peak} bytes"
    );
    result.expect_err("hostile input must be refused").rule
}

fn head(extra: &str) -> String {
    format!(
        "MESSAGE sip:bob@beta.example SIP/2.0\r\nVia: SIP/2.0/TCP a.example;branch=z9hG4bK1\r\n\
         Max-Forwards: 70\r\nFrom: <sip:a@alpha.example>;tag=1\r\nTo: <sip:bob@beta.example>\r\n\
         Call-ID: x\r\nCSeq: 1 MESSAGE\r\n{extra}"
    )
}

#[test]
fn a_one_mebibyte_header_line_is_refused() {
    let line = format!("Subject: {}\r\n\r\n", "a".repeat(1 << 20));
    assert_eq!(refused(head(&line).as_bytes()), Rule::LineTooLong);
    let unterminated = head(&format!("Subject: {}", "a".repeat(1 << 20)));
    assert_eq!(refused(unterminated.as_bytes()), Rule::LineTooLong);
}

#[test]
fn one_hundred_thousand_headers_are_refused() {
    let rows = "X-Noise: 1\r\n".repeat(100_000);
    let bytes = head(&format!("{rows}\r\n"));
    assert_eq!(refused(bytes.as_bytes()), Rule::TooManyHeaders);
    // the head has six rows; with Content-Length the message holds exactly the maximum
    let noise = "X-Noise: 1\r\n".repeat(SIP_HEADER_ROWS_MAX - 7);
    let just_fits = head(&format!("{noise}Content-Length: 0\r\n\r\n"));
    assert_eq!(run(just_fits.as_bytes()).0, Ok(()));
}

#[test]
fn content_length_of_two_to_the_64_is_refused_unread() {
    let bytes = head("Content-Length: 18446744073709551616\r\n\r\nx");
    assert_eq!(refused(bytes.as_bytes()), Rule::ContentLengthTooLarge);
    let bytes = head(&format!(
        "Content-Length: {}\r\n\r\nx",
        SIP_BODY_BYTES_MAX + 1
    ));
    assert_eq!(refused(bytes.as_bytes()), Rule::ContentLengthTooLarge);
}

#[test]
fn unterminated_quotes_and_brackets_are_refused() {
    let bytes = head("Contact: \"never closed <sip:a@b>, <sip:c@d>\r\nContent-Length: 0\r\n\r\n");
    assert_eq!(refused(bytes.as_bytes()), Rule::UnterminatedQuotedString);
    let bytes = head("Route: <sip:a.example;lr\r\nContent-Length: 0\r\n\r\n");
    assert_eq!(refused(bytes.as_bytes()), Rule::UnterminatedAngleBracket);
    let bytes = head("Subject: \"\\\r\nContent-Length: 0\r\n\r\n");
    assert_eq!(
        run(bytes.as_bytes()).0,
        Ok(()),
        "Subject is text, quotes mean nothing there"
    );
}

#[test]
fn a_mebibyte_of_crlf_or_folds_is_refused() {
    let crlfs = "\r\n".repeat(1 << 19);
    assert_eq!(refused(crlfs.as_bytes()), Rule::HeaderSectionTooLarge);
    let folds = head(&format!("Subject: a{}\r\n\r\n", "\r\n b".repeat(1 << 18)));
    assert_eq!(refused(folds.as_bytes()), Rule::HeaderSectionTooLarge);
}

#[test]
fn too_many_parameters_or_list_elements_are_refused() {
    let params = ";p".repeat(1_000);
    let bytes = head(&format!(
        "Route: <sip:a.example;lr>{params}\r\nContent-Length: 0\r\n\r\n"
    ));
    assert_eq!(refused(bytes.as_bytes()), Rule::TooManyParameters);
    let uri_params = ";p".repeat(1_000);
    let bytes = head(&format!(
        "Route: <sip:a.example{uri_params}>\r\nContent-Length: 0\r\n\r\n"
    ));
    assert_eq!(refused(bytes.as_bytes()), Rule::TooManyParameters);
    let vias = "SIP/2.0/UDP h,\r\n ".repeat(200);
    let bytes = head(&format!(
        "Via: {vias}SIP/2.0/UDP h\r\nContent-Length: 0\r\n\r\n"
    ));
    assert_eq!(refused(bytes.as_bytes()), Rule::TooManyListElements);
}

#[test]
fn a_long_uri_is_refused() {
    let user = "u".repeat(SIP_LINE_LENGTH_BYTES_MAX - 100);
    let bytes = head(&format!(
        "Route: <sip:{user}@a.example;lr>\r\nContent-Length: 0\r\n\r\n"
    ));
    assert_eq!(refused(bytes.as_bytes()), Rule::UriTooLong);
}

#[test]
fn a_body_above_the_limit_without_content_length_is_refused() {
    let mut bytes = head("\r\n").into_bytes();
    bytes.resize(bytes.len() + SIP_BODY_BYTES_MAX + 1, b'x');
    let (result, peak) = run(&bytes);
    assert_eq!(result.map_err(|e| e.rule), Err(Rule::BodyTooLarge));
    assert!(peak <= PARSE_HEAP_BYTES_MAX);
}

#[test]
fn invalid_utf8_in_the_header_section_is_refused() {
    let mut bytes = head("Subject: ").into_bytes();
    bytes.extend_from_slice(b"\xff\xfe\r\nContent-Length: 0\r\n\r\n");
    assert_eq!(refused(&bytes), Rule::InvalidUtf8);
}

#[test]
fn every_prefix_of_a_valid_message_is_a_typed_error_or_partial() {
    let full = head("Content-Type: text/plain\r\nContent-Length: 5\r\n\r\nhello");
    for cut in 0..full.len() {
        let bytes = &full.as_bytes()[..cut];
        assert!(parse_datagram(bytes).is_err(), "prefix {cut} parsed");
        assert!(
            frame_stream(bytes).is_ok(),
            "prefix {cut} is partial, not an error"
        );
    }
}

#[test]
fn parsing_and_reading_a_seed_flow_message_allocates_nothing() {
    let bytes = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/sip/e1-group-message-cpim.sip"
    ))
    .expect("fixture");
    let base = LIVE.with(Cell::get);
    PEAK.with(|p| p.set(base));
    let m = parse_datagram(&bytes).expect("E1 parses");
    let read = (
        m.top_via().is_ok(),
        m.from().is_ok(),
        m.to().is_ok(),
        m.call_id().is_ok(),
        m.cseq().is_ok(),
        m.content_length().is_ok(),
        validate(&m).is_ok(),
    );
    let peak = PEAK.with(Cell::get) - base;
    assert_eq!(read, (true, true, true, true, true, true, true));
    assert_eq!(peak, 0, "zero-copy parse and typed reads allocate nothing");
}
