//! Facts about stream framing (RFC 3261 section 18.3) and the scanner's rows: leading CRLFs,
//! partial messages, the mandatory Content-Length and its conflicts, folded values.

use super::*;

const REGISTER: &[u8] = b"REGISTER sip:epsilon.example SIP/2.0\r\nCall-ID: x\r\nl: 4\r\n\r\nbody";

#[test]
fn stream_framer_skips_leading_crlfs_and_counts_the_body() {
    let mut buf = b"\r\n\r\n".to_vec();
    buf.extend_from_slice(REGISTER);
    buf.extend_from_slice(b"NEXT");
    assert_eq!(
        frame_stream(&buf),
        Ok(Framing::Complete(4 + REGISTER.len()))
    );
}

#[test]
fn stream_framer_waits_for_the_whole_message() {
    for cut in 0..REGISTER.len() {
        assert_eq!(
            frame_stream(&REGISTER[..cut]),
            Ok(Framing::Partial),
            "cut {cut}"
        );
    }
}

#[test]
fn stream_needs_content_length() {
    let msg = b"MESSAGE sip:a@b SIP/2.0\r\nTo: <sip:a@b>\r\n\r\n";
    assert_eq!(
        frame_stream(msg).unwrap_err().rule,
        Rule::StreamContentLengthMissing
    );
}

#[test]
fn disagreeing_content_lengths_are_a_framing_error() {
    let msg = b"OPTIONS sip:a@b SIP/2.0\r\nContent-Length: 13\r\nl: 5\r\n\r\n0123456789abc";
    assert_eq!(
        frame_stream(msg).unwrap_err().rule,
        Rule::ContentLengthConflict
    );
}

#[test]
fn folded_rows_keep_their_continuation_lines() {
    let msg = b"OPTIONS sip:a@b SIP/2.0\r\nSubject: a\r\n  b \r\n\r\n";
    let mut rows = Vec::new();
    let Ok(Scan::Complete(_)) = scan(msg, |r| {
        rows.push(r);
        Ok(())
    }) else {
        panic!("incomplete");
    };
    assert_eq!(&msg[rows[0].value.range()], b"a\r\n  b");
}
