//! The serializer: an [`OwnedMessage`] to wire bytes, CRLF line ends, `name: value` rows in
//! order, then `Content-Length` computed from the body, the empty line and the body.

use super::owned::{OwnedMessage, OwnedStartLine};
use std::io::Write;

/// Writes `m` in wire form into a new buffer.
pub fn serialize(m: &OwnedMessage) -> Vec<u8> {
    let size = 64
        + m.headers
            .iter()
            .map(|h| h.name.len() + h.value.len() + 4)
            .sum::<usize>()
        + m.body.len();
    let mut out = Vec::with_capacity(size);
    serialize_into(m, &mut out);
    out
}

/// Appends the wire form of `m` to `out`.
pub fn serialize_into(m: &OwnedMessage, out: &mut Vec<u8>) {
    match &m.start_line {
        OwnedStartLine::Request {
            method,
            uri,
            version,
        } => {
            push3(out, method, b" ", uri);
            out.push(b' ');
            out.extend_from_slice(version.as_bytes());
        }
        OwnedStartLine::Response {
            version,
            status,
            reason,
        } => {
            out.extend_from_slice(version.as_bytes());
            // Writing to a Vec cannot fail.
            let _ = write!(out, " {} ", status.code());
            out.extend_from_slice(reason.as_bytes());
        }
    }
    out.extend_from_slice(b"\r\n");
    for h in &m.headers {
        push3(out, &h.name, b": ", &h.value);
        out.extend_from_slice(b"\r\n");
    }
    let _ = write!(out, "Content-Length: {}\r\n\r\n", m.body.len());
    out.extend_from_slice(&m.body);
}

fn push3(out: &mut Vec<u8>, a: &str, sep: &[u8], b: &str) {
    out.extend_from_slice(a.as_bytes());
    out.extend_from_slice(sep);
    out.extend_from_slice(b.as_bytes());
}
