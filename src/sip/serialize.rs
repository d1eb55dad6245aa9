//! The serializer: an [`OwnedMessage`] to wire bytes, CRLF line ends, `name: value` rows in
//! order, then `Content-Length` computed from the body, the empty line and the body.

use super::owned::{OwnedMessage, OwnedStartLine};

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
            out.push(b' ');
            push_decimal(out, u64::from(status.code()));
            out.push(b' ');
            out.extend_from_slice(reason.as_bytes());
        }
    }
    out.extend_from_slice(b"\r\n");
    for h in &m.headers {
        push3(out, &h.name, b": ", &h.value);
        out.extend_from_slice(b"\r\n");
    }
    out.extend_from_slice(b"Content-Length: ");
    push_decimal(out, m.body.len() as u64);
    out.extend_from_slice(b"\r\n\r\n");
    out.extend_from_slice(&m.body);
}

/// Digits in the longest u64 (`18446744073709551615`).
pub(crate) const DECIMAL_DIGITS_MAX: usize = 20;

/// `n` in decimal, written into `digits` without the formatting machinery: the one decimal
/// writer of the codec (status codes, Content-Length, Max-Forwards, ports, tokens).
pub(crate) fn decimal(mut n: u64, digits: &mut [u8; DECIMAL_DIGITS_MAX]) -> &str {
    let mut start = digits.len();
    while start > 0 {
        start -= 1;
        if let Some(d) = digits.get_mut(start) {
            *d = b'0' + (n % 10) as u8;
        }
        n /= 10;
        if n == 0 {
            break;
        }
    }
    std::str::from_utf8(digits.get(start..).unwrap_or_default()).unwrap_or("0")
}

/// Appends `n` in decimal (see [`decimal`]).
fn push_decimal(out: &mut Vec<u8>, n: u64) {
    let mut digits = [0u8; DECIMAL_DIGITS_MAX];
    out.extend_from_slice(decimal(n, &mut digits).as_bytes());
}

fn push3(out: &mut Vec<u8>, a: &str, sep: &[u8], b: &str) {
    out.extend_from_slice(a.as_bytes());
    out.extend_from_slice(sep);
    out.extend_from_slice(b.as_bytes());
}

#[cfg(test)]
mod tests {
    use super::{decimal, push_decimal, DECIMAL_DIGITS_MAX};

    #[test]
    fn decimals_are_written_as_display_writes_them() {
        for n in [0, 7, 10, 69, 200, 486, 1300, 1_048_576, u64::MAX] {
            let mut out = b"x".to_vec();
            push_decimal(&mut out, n);
            assert_eq!(out, format!("x{n}").into_bytes());
            let mut digits = [0u8; DECIMAL_DIGITS_MAX];
            assert_eq!(decimal(n, &mut digits), n.to_string());
        }
    }
}
