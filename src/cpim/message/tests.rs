//! The parser's verdicts on header blocks: duplicates, UTF-8 and `check` agreeing with `parse`.

use super::header_block::UTF8_PREFIX_BYTES;
use super::*;
use crate::cpim::byte_edits::each_byte_edit;

const ENTITY: &str = "\r\nContent-Type: text/plain\r\n\r\nhi";

fn verdict(headers: &str) -> Result<(), CpimErrorKind> {
    let body = format!("{headers}{ENTITY}");
    let checked = check(body.as_bytes()).map_err(|e| e.kind);
    let parsed = parse(body.as_bytes()).map(|_| ()).map_err(|e| e.kind);
    assert_eq!(checked, parsed, "{headers:?}");
    checked
}

#[test]
fn a_single_value_header_may_not_repeat_in_its_namespace_under_any_prefix() {
    let ns = "NS: imdn <urn:ietf:params:imdn>\r\nNS: other <urn:IETF:params:imdn>\r\n";
    let dup = Err(CpimErrorKind::DuplicateHeader);
    assert_eq!(verdict("From: <sip:a@x>\r\nFrom: <sip:b@x>\r\n"), dup);
    assert_eq!(
        verdict("DateTime: 2024-03-18T09:30:05Z\r\nDateTime: 2024-03-18T09:30:06Z\r\n"),
        dup
    );
    assert_eq!(
        verdict(&format!(
            "{ns}imdn.Message-ID: a1\r\nother.Message-ID: a2\r\n"
        )),
        dup
    );
    assert_eq!(
        verdict(&format!(
            "{ns}imdn.Original-To: <sip:g@x>\r\nother.Original-To: <sip:h@x>\r\n"
        )),
        dup
    );
    assert_eq!(verdict("To: <sip:a@x>\r\nTo: <sip:b@x>\r\n"), Ok(()));
    assert_eq!(
        verdict("NS: x <urn:example>\r\nFrom: <sip:a@x>\r\nx.From: <sip:b@x>\r\n"),
        Ok(())
    );
    assert_eq!(
        verdict(&format!("{ns}From: <sip:a@x>\r\nimdn.Message-ID: a1\r\n")),
        Ok(())
    );
}

/// Header lines of 4000 bytes up to where one more line, within the line limit, reaches the
/// end of the prefix checked at once.
fn filled_to_a_line_before_the_prefix_end() -> Vec<u8> {
    const FILLER_LINE_BYTES: usize = 4000;
    let mut lines = Vec::new();
    while lines.len() + 2 * FILLER_LINE_BYTES < UTF8_PREFIX_BYTES {
        lines.extend_from_slice(b"X: ");
        lines.resize(lines.len() + FILLER_LINE_BYTES - 5, b'a');
        lines.extend_from_slice(b"\r\n");
    }
    lines
}

#[test]
fn header_text_is_checked_as_utf8_inside_and_past_the_prefix_checked_at_once() {
    let invalid = |body: &[u8]| parse(body).map(|_| ()).map_err(|e| (e.kind, e.offset));
    let bad_char = |at| Err((CpimErrorKind::InvalidCharacter, at));
    // In the first line, and in a line after a valid non-ASCII one.
    assert_eq!(
        invalid(b"Subject: a\xffb\r\n\r\nContent-Type: t\r\n\r\n"),
        bad_char(10)
    );
    let after = "Subject: \u{e9}t\u{e9}\r\nX: ?\r\n\r\nContent-Type: t\r\n\r\n";
    let mut body = after.as_bytes().to_vec();
    let at = after.find('?').unwrap_or_default();
    body.splice(at..=at, [0xffu8]);
    assert_eq!(invalid(&body), bad_char(at));
    // Content that is not UTF-8 leaves valid header lines valid.
    assert_eq!(
        invalid(b"X: y\r\n\r\nContent-Type: t\r\n\r\n\xff\xfe"),
        Ok(())
    );
    // A long line crossing the prefix, with a character cut by the prefix's end, then a bad
    // byte past it.
    let mut long = filled_to_a_line_before_the_prefix_end();
    long.extend_from_slice(b"Subject: ");
    long.resize(UTF8_PREFIX_BYTES - 1, b'a');
    long.extend_from_slice("\u{e9}".as_bytes());
    let ok_end = long.len();
    long.extend_from_slice(b"\r\n\r\nContent-Type: t\r\n\r\n");
    assert_eq!(invalid(&long), Ok(()));
    long.splice(ok_end..ok_end, [b'z', 0xff]);
    assert_eq!(invalid(&long), bad_char(ok_end + 1));
}

#[test]
fn check_reports_what_parse_reports() {
    assert_eq!(verdict("X: y\r\n"), Ok(()));
    assert_eq!(verdict("p.X: y\r\n"), Err(CpimErrorKind::UndeclaredPrefix));
    let no_type = b"From: <sip:a@x>\r\n\r\nContent-Length: 2\r\n\r\nhi";
    assert_eq!(
        check(no_type).map_err(|e| e.kind),
        Err(CpimErrorKind::MissingContentType)
    );
    assert_eq!(parse(no_type).map(|_| ()), check(no_type));
}

/// The block as each line reading sees it: the verdict and every header handed on.
fn block_by(
    input: &[u8],
    reading: header_block::LineReading,
) -> (Result<usize, CpimError>, Vec<Header<'_>>) {
    let mut headers = Vec::new();
    let verdict = header_block::parse_header_block_by(input, |h| headers.push(h), reading);
    (verdict, headers)
}

/// The one-pass line reading gives the verdict, offset and headers of the general one.
fn readings_agree(input: &[u8]) {
    use header_block::LineReading::{GeneralOnly, PlainFirst};
    assert_eq!(
        block_by(input, PlainFirst),
        block_by(input, GeneralOnly),
        "{:?}",
        String::from_utf8_lossy(input)
    );
}

const SEED_BLOCK: &str = "From: Alice <sip:alice@alpha.example>\r\nTo: <sip:bob@beta.example>\r\n\
    NS: imdn <urn:ietf:params:imdn>\r\nimdn.Message-ID: Xk3q9TzQ2mPw\r\n\
    DateTime: 2024-03-18T09:30:05+01:00\r\n\
    imdn.Disposition-Notification: positive-delivery, display\r\n\
    Subject:;lang=fr caf\u{e9}\r\n\r\nContent-Type: text/plain\r\n\r\nhi";

/// The address lines of a leg IM of RFC 5438 section 7.2.1 (a CF's record route, the group).
const ROUTED_BLOCK: &str = "NS: imdn <urn:ietf:params:imdn>\r\n\
    From: Alice Smith <sip:alice@alpha.example>\r\nTo: <sip:bob@beta.example>\r\n\
    imdn.Original-To: Climbers <sip:climbers@conf.gamma.example>\r\n\
    imdn.IMDN-Record-Route: <sip:imdn@cf.gamma.example>\r\n\
    imdn.IMDN-Route: <sip:imdn@cf.gamma.example>\r\n\r\nContent-Type: text/plain\r\n\r\nhi";

#[test]
fn both_line_readings_agree_on_every_byte_in_every_place_of_a_header_block() {
    for block in [SEED_BLOCK, ROUTED_BLOCK] {
        every_byte_in_every_place_of(block);
    }
}

fn every_byte_in_every_place_of(block: &str) {
    let base = block.as_bytes();
    assert!(parse(base).is_ok(), "{block:?}");
    readings_agree(base);
    let block_end = block.find("\r\n\r\n").unwrap_or_default() + 4;
    each_byte_edit(base, block_end, readings_agree);
}

#[test]
fn both_line_readings_agree_past_the_header_count_and_the_prefix_checked_at_once() {
    let many = "X: y\r\n".repeat(crate::cpim::limits::CPIM_HEADER_COUNT_MAX + 1);
    readings_agree(format!("{many}{ENTITY}").as_bytes());
    let mut long = filled_to_a_line_before_the_prefix_end();
    long.extend_from_slice(b"Subject: ");
    long.resize(UTF8_PREFIX_BYTES + 10, b'a');
    for cut in [
        UTF8_PREFIX_BYTES - 3,
        UTF8_PREFIX_BYTES - 1,
        UTF8_PREFIX_BYTES,
    ] {
        let mut body = long.clone();
        body.truncate(cut);
        body.extend_from_slice(b"\r\nX: y\r\n\r\nContent-Type: t\r\n\r\n");
        readings_agree(&body);
    }
}

#[test]
fn both_line_readings_agree_from_every_line_of_the_real_world_corpus() {
    let Some(files) = crate::sip::corpus_files::corpus_files() else {
        return;
    };
    assert!(!files.is_empty(), "the corpus holds no file");
    for (_, bytes) in files {
        for rest in crate::sip::corpus_files::from_each_line_start(&bytes) {
            readings_agree(rest);
        }
    }
}

mod any_block {
    use super::*;
    use proptest::prelude::*;

    fn line() -> impl Strategy<Value = String> {
        prop_oneof![
            "From: <sip:[a-c]@x>",
            "To: [A-Za-z ]{0,6}<sip:[a-c]@x>",
            "DateTime: 2024-03-18T09:30:0[0-9]Z",
            "(imdn|q)\\.Message-ID: [a-c. ]{0,3}",
            "(imdn|q)\\.Original-To: <sip:[a-c]@g>",
            "(imdn|q)\\.IMDN-(Record-)?Route: ([a-z]{1,2} ){0,2}<sip:r[a-c]@x[>\" ]?>",
            "(imdn|q)\\.Disposition-Notification: (positive-delivery|display|x)",
            "NS: (imdn|q) <urn:(ietf:params:imdn|example)>",
            "Require: (imdn|q)?\\.?[A-Z][a-z]{0,3}",
            "[A-Za-z.:;= -]{0,8}[ -~\t\u{e9}\u{85}]{0,10}",
            "[A-Z][a-z]{0,4}:(;[a-z]=[a-z\"]{0,3})? [a-z ]{0,4}",
        ]
    }

    fn end() -> impl Strategy<Value = &'static str> {
        prop_oneof![Just("\r\n"), Just("\n"), Just("\r"), Just("")]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(4096))]

        #[test]
        fn both_line_readings_agree_on_any_header_block(
            lines in proptest::collection::vec((line(), end()), 0..10),
        ) {
            let mut body: String = lines.iter().map(|(l, e)| format!("{l}{e}")).collect();
            body.push_str(ENTITY);
            readings_agree(body.as_bytes());
        }
    }
}

#[test]
fn the_namespace_memo_answers_as_the_comparison_for_every_uri_in_any_order() {
    use header_block::{Namespace, NamespaceMemo};
    let body = "urn:ietf:params:imdn URN:IETF:PARAMS:IMDN urn:example \
        urn:ietf:params:cpim-headers: urn:ietf:params:imdn";
    let mut uris: Vec<&str> = body.split(' ').collect();
    uris.extend([IMDN_NS, CPIM_HEADERS_NS, "", "urn:ietf:params:imd"]);
    let mut memo = NamespaceMemo::new();
    // Every URI after every other, and each twice in a row.
    for first in &uris {
        for then in &uris {
            for uri in [first, then, then] {
                assert!(memo.of(uri) == Namespace::of(uri), "{uri:?}");
            }
        }
    }
}

/// The prefix checked at once by the standard check alone: what `utf8_prefix` gives.
fn utf8_prefix_by_std(input: &[u8]) -> &str {
    let head = input.get(..UTF8_PREFIX_BYTES).unwrap_or(input);
    let valid = std::str::from_utf8(head).map_or_else(|e| e.valid_up_to(), str::len);
    head.get(..valid)
        .and_then(|v| std::str::from_utf8(v).ok())
        .unwrap_or_default()
}

#[test]
fn the_prefix_checked_at_once_is_the_standard_checks_whatever_the_bytes() {
    let mut body = "From: Zoë <sip:z@x>\r\n"
        .repeat(UTF8_PREFIX_BYTES / 20)
        .into_bytes();
    body.truncate(UTF8_PREFIX_BYTES + 40);
    let cut_char = "From: Zo".len();
    for len in [
        0,
        1,
        cut_char + 1,
        33,
        64,
        65,
        UTF8_PREFIX_BYTES - 1,
        UTF8_PREFIX_BYTES + 40,
    ] {
        let head = body.get(..len).unwrap_or_default();
        assert_eq!(utf8_prefix(head), utf8_prefix_by_std(head), "{len}");
        // A bad byte anywhere, in the prefix or past it.
        for at in [0, len / 3, len / 2, len.saturating_sub(1)] {
            let mut bad = head.to_vec();
            if let Some(b) = bad.get_mut(at) {
                *b = 0xff;
            }
            assert_eq!(utf8_prefix(&bad), utf8_prefix_by_std(&bad), "{len} {at}");
        }
    }
}
