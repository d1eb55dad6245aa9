//! The parser's verdicts on header blocks: duplicates, UTF-8 and `check` agreeing with `parse`.

use super::header_block::UTF8_PREFIX_BYTES;
use super::*;

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
    let mut long = b"Subject: ".to_vec();
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
