//! Requests and relayed responses written straight to wire bytes.
//!
//! A node's request goes out with the node's own Via on top, and that Via's branch (and its
//! transport, chosen by the message's size) is only known when the client transaction starts.
//! An [`OutgoingRequest`] is therefore the whole wire form except that one row, written after
//! [`VIA_ROW_ROOM_BYTES`] of room: once the row is known, the Request-Line moves into the room
//! and the row is written between it and the rows below, so the message is never moved as a
//! whole; the wire form is the buffer from the moved Request-Line on, shared as [`Bytes`].
//!
//! A proxy's copy of a request ([`forwarded_request`], RFC 3261 section 16.6) and its relay of a
//! response ([`relayed_response`], section 16.7) are written from the received rows directly,
//! with no owned message in between. They produce exactly the bytes the owned path
//! ([`crate::sip::OwnedMessage`] and its serializer) would: each kept row as `name: value` with
//! the name as received and the value unfolded, Content-Length recomputed, the body unchanged.

use crate::node::Bytes;
use crate::sip::owned::SIP_2_0;
pub(crate) use crate::sip::owned::{decimal, DECIMAL_DIGITS_MAX};
use crate::sip::{Header, HeaderKind, Message, StartLine};
use bytes::Buf;

/// Room for the rows a node adds to what it copies (its Via, Max-Forwards, Content-Length).
const ADDED_ROWS_BYTES: usize = 160;

/// Room left before a request's Request-Line for the sender's Via row: the longest row a node
/// writes (`Via: SIP/2.0/UDP [IPv6]:port;branch=` and a 23-byte branch is 97 bytes) fits.
pub(crate) const VIA_ROW_ROOM_BYTES: usize = 104;

/// A buffer with the room for a Via row, and `capacity` bytes more.
fn with_via_room(capacity: usize) -> Vec<u8> {
    let mut out = Vec::with_capacity(VIA_ROW_ROOM_BYTES + capacity);
    out.resize(VIA_ROW_ROOM_BYTES, 0);
    out
}

/// A request ready for the wire but for the sender's own top Via row.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct OutgoingRequest {
    /// [`VIA_ROW_ROOM_BYTES`] of room, then the wire form without the sender's Via.
    bytes: Vec<u8>,
    /// Where the Via row goes: right after the Request-Line (an offset in `bytes`).
    via_at: usize,
    /// The request method (the client transaction matches responses by it).
    method: String,
}

impl OutgoingRequest {
    /// A request a role writes row by row, in the owned path's form: the Request-Line
    /// `method uri SIP/2.0`, each row as `name: <parts...>`, then Content-Length and `body`.
    pub(crate) fn written(method: &str, uri: &str, rows: &[(&str, &[&str])], body: &[u8]) -> Self {
        let rows_len: usize = rows
            .iter()
            .map(|(name, parts)| name.len() + 4 + parts.iter().map(|p| p.len()).sum::<usize>())
            .sum();
        let mut out = with_via_room(rows_len + body.len() + uri.len() + 2 * ADDED_ROWS_BYTES);
        push_line(&mut out, &[method, " ", uri, " ", SIP_2_0]);
        let via_at = out.len();
        for (name, parts) in rows {
            push_row(&mut out, name, parts);
        }
        finish(&mut out, body);
        OutgoingRequest {
            bytes: out,
            via_at,
            method: method.to_owned(),
        }
    }

    /// The request method.
    pub(crate) fn method(&self) -> &str {
        &self.method
    }

    /// Bytes on the wire once a Via row of `via_row_len` bytes is added.
    pub(crate) fn wire_len(&self, via_row_len: usize) -> usize {
        self.bytes.len().saturating_sub(VIA_ROW_ROOM_BYTES) + via_row_len
    }

    /// The wire form with `Via: <via_prefix><branch>` as the top header row: the Request-Line
    /// moves into the room before it and the row is written where it was, so only those two
    /// are written; the message starts where the moved Request-Line does.
    pub(crate) fn with_via(self, via_prefix: &str, branch: &str) -> Bytes {
        let row_len = via_row_len(via_prefix, branch);
        let mut bytes = self.bytes;
        let end = bytes.len();
        let line = VIA_ROW_ROOM_BYTES.min(end)..self.via_at.clamp(VIA_ROW_ROOM_BYTES.min(end), end);
        let (start, row_at) = if row_len <= line.start {
            let start = line.start - row_len;
            bytes.copy_within(line.clone(), start);
            (start, line.end - row_len)
        } else {
            // A row longer than the room (no node writes one): open a gap below the line.
            bytes.resize(end + row_len, 0);
            bytes.copy_within(line.end..end, line.end + row_len);
            (line.start, line.end)
        };
        let mut to = row_at;
        for part in ["Via: ", via_prefix, branch, "\r\n"] {
            if let Some(gap) = bytes.get_mut(to..to + part.len()) {
                gap.copy_from_slice(part.as_bytes());
            }
            to += part.len();
        }
        let mut wire = Bytes::from(bytes);
        wire.advance(start);
        wire
    }
}

/// The MESSAGE every role sends (RFC 3428) as the owned path writes it: Max-Forwards 70, From
/// with its tag, To, Call-ID, `CSeq: 1 MESSAGE`, a `message/cpim` body.
#[derive(Clone, Copy, Debug)]
pub(crate) struct CpimMessage<'a> {
    /// The Request-URI.
    pub(crate) uri: &'a str,
    /// The From value before its tag, in pieces (`<`, the AOR, `>`; or a name-addr).
    pub(crate) from: &'a [&'a str],
    /// The From tag.
    pub(crate) tag: &'a str,
    /// The To URI (written in angle brackets).
    pub(crate) to: &'a str,
    /// The Call-ID, in pieces.
    pub(crate) call_id: &'a [&'a str],
    /// The Message/CPIM body.
    pub(crate) body: &'a [u8],
}

impl CpimMessage<'_> {
    /// The request in wire form, but for the sender's Via.
    pub(crate) fn to_outgoing(self) -> OutgoingRequest {
        let mut out = with_via_room(self.body.len() + 2 * ADDED_ROWS_BYTES + self.uri.len());
        push_line(&mut out, &["MESSAGE ", self.uri, " ", SIP_2_0]);
        let via_at = out.len();
        push_row(&mut out, "Max-Forwards", &["70"]);
        out.extend_from_slice(b"From: ");
        for part in self.from {
            out.extend_from_slice(part.as_bytes());
        }
        push_line(&mut out, &[";tag=", self.tag]);
        push_row(&mut out, "To", &["<", self.to, ">"]);
        out.extend_from_slice(b"Call-ID: ");
        push_line(&mut out, self.call_id);
        push_row(&mut out, "CSeq", &["1 MESSAGE"]);
        push_row(&mut out, "Content-Type", &["message/cpim"]);
        finish(&mut out, self.body);
        OutgoingRequest {
            bytes: out,
            via_at,
            method: "MESSAGE".to_owned(),
        }
    }
}

/// The length of the row `Via: <via_prefix><branch>` with its CRLF.
pub(crate) fn via_row_len(via_prefix: &str, branch: &str) -> usize {
    "Via: ".len() + via_prefix.len() + branch.len() + 2
}

/// A proxy's copy of request `msg` (RFC 3261 section 16.6): Request-URI replaced by `uri` if
/// given, Max-Forwards set to `max_forwards` right below the first Via received (or on top when
/// there is none), every other row kept in order, Content-Length recomputed.
pub(crate) fn forwarded_request(
    msg: &Message<'_>,
    uri: Option<&str>,
    max_forwards: u8,
) -> OutgoingRequest {
    let mut out = with_via_room(msg.wire_len() + ADDED_ROWS_BYTES);
    let method = match *msg.start_line() {
        StartLine::Request {
            method,
            uri: received,
            version,
        } => {
            let method = method.as_str();
            push_line(
                &mut out,
                &[method, " ", uri.unwrap_or(received), " ", version],
            );
            method.to_owned()
        }
        StartLine::Response { .. } => String::new(),
    };
    let via_at = out.len();
    let mut digits = [0u8; DECIMAL_DIGITS_MAX];
    let max_forwards = decimal(max_forwards.into(), &mut digits);
    let kept = msg
        .rows()
        .filter(|h| !matches!(h.kind, HeaderKind::ContentLength | HeaderKind::MaxForwards));
    let mut rows = RowWriter::new(msg, &mut out);
    let mut placed = false;
    if !msg.rows().any(|h| h.kind == HeaderKind::Via) {
        rows.push_row("Max-Forwards", &[max_forwards]);
        placed = true;
    }
    for row in kept {
        rows.row(&row);
        if !placed && row.kind == HeaderKind::Via {
            rows.push_row("Max-Forwards", &[max_forwards]);
            placed = true;
        }
    }
    rows.flush();
    finish(&mut out, msg.body());
    OutgoingRequest {
        bytes: out,
        via_at,
        method,
    }
}

/// A proxy's relay of response `response` upstream (RFC 3261 section 16.7): its own Via (the
/// first Via element) removed, the Via elements below it written one per row where the first Via
/// row was, every other row kept in order, Content-Length recomputed. With its status code;
/// `None` for a request.
pub(crate) fn relayed_response(response: &Message<'_>) -> Option<(u16, Vec<u8>)> {
    let StartLine::Response {
        version,
        status,
        reason,
    } = *response.start_line()
    else {
        return None;
    };
    let mut out = Vec::with_capacity(response.wire_len() + ADDED_ROWS_BYTES);
    let mut digits = [0u8; DECIMAL_DIGITS_MAX];
    let code = decimal(status.code().into(), &mut digits);
    push_line(&mut out, &[version, " ", code, " ", reason]);
    // Via rows next to each other, one hop each (no comma): dropping the top row leaves the
    // hops below exactly where the general rewrite puts them, so the rows are copied.
    let (mut one_hop_rows, mut adjacent) = (true, true);
    let (mut vias_seen, mut vias_ended) = (false, false);
    for row in response.rows() {
        if row.kind == HeaderKind::Via {
            one_hop_rows &= !row.value.contains(',');
            adjacent &= !vias_ended;
            vias_seen = true;
        } else if vias_seen {
            vias_ended = true;
        }
    }
    let mut rows = RowWriter::new(response, &mut out);
    let mut top_via_seen = false;
    for row in response.rows() {
        match row.kind {
            HeaderKind::ContentLength => {}
            HeaderKind::Via if one_hop_rows && adjacent => {
                if top_via_seen {
                    rows.hop(&row);
                }
                top_via_seen = true;
            }
            HeaderKind::Via => {
                if !top_via_seen {
                    for via in response.headers("Via").skip(1) {
                        rows.push_row("Via", &[via]);
                    }
                    top_via_seen = true;
                }
            }
            _ => rows.row(&row),
        }
    }
    rows.flush();
    finish(&mut out, response.body());
    Some((status.code(), out))
}

/// Writes header rows: a row already in the serializer's form (`name: value` CRLF, no fold) is
/// copied as received, neighbouring ones in one copy; any other row is written as the
/// serializer writes it (name as received, value unfolded).
struct RowWriter<'m, 'o> {
    head: &'m [u8],
    message: &'m Message<'m>,
    out: &'o mut Vec<u8>,
    /// Received rows waiting to be copied in one go.
    run: std::ops::Range<usize>,
}

impl<'m, 'o> RowWriter<'m, 'o> {
    fn new(message: &'m Message<'m>, out: &'o mut Vec<u8>) -> Self {
        RowWriter {
            head: message.head().as_bytes(),
            message,
            out,
            run: 0..0,
        }
    }

    /// Writes received row `row`.
    fn row(&mut self, row: &Header<'_>) {
        match self.as_received(row) {
            Some(span) if !self.run.is_empty() && self.run.end == span.start => {
                self.run.end = span.end;
            }
            Some(span) => {
                self.flush();
                self.run = span;
            }
            None => {
                self.flush();
                push_row(self.out, row.name, &[&row.unfolded()]);
            }
        }
    }

    /// Writes a one-hop Via row below the proxy's own, as the general rewrite writes a hop:
    /// named `Via`, its value as received.
    fn hop(&mut self, row: &Header<'_>) {
        match self.as_received(row) {
            Some(_) if row.name == "Via" => self.row(row),
            _ => self.push_row("Via", &[row.value]),
        }
    }

    /// Writes a row of the node's own.
    fn push_row(&mut self, name: &str, parts: &[&str]) {
        self.flush();
        push_row(self.out, name, parts);
    }

    /// Copies the rows waiting.
    fn flush(&mut self) {
        if let Some(rows) = self.head.get(self.run.clone()) {
            self.out.extend_from_slice(rows);
        }
        self.run = 0..0;
    }

    /// Where `row` lies in the input, when it is written exactly as the serializer would write
    /// it: `name: value` CRLF with one space and no fold.
    fn as_received(&self, row: &Header<'_>) -> Option<std::ops::Range<usize>> {
        let name_at = self.message.offset_of(row.name);
        let colon_at = name_at + row.name.len();
        let value_end = row.offset + row.value.len();
        let byte = |at: usize| self.head.get(at).copied();
        let plain = row.offset == colon_at + 2
            && byte(colon_at) == Some(b':')
            && byte(colon_at + 1) == Some(b' ')
            && byte(value_end) == Some(b'\r')
            && byte(value_end + 1) == Some(b'\n')
            && memchr::memchr2(b'\r', b'\n', row.value.as_bytes()).is_none();
        plain.then_some(name_at..value_end + 2)
    }
}

/// Content-Length, the empty line and the body.
fn finish(out: &mut Vec<u8>, body: &[u8]) {
    let mut digits = [0u8; DECIMAL_DIGITS_MAX];
    push_row(
        out,
        "Content-Length",
        &[decimal(body.len() as u64, &mut digits)],
    );
    out.extend_from_slice(b"\r\n");
    out.extend_from_slice(body);
}

fn push_line(out: &mut Vec<u8>, parts: &[&str]) {
    for part in parts {
        out.extend_from_slice(part.as_bytes());
    }
    out.extend_from_slice(b"\r\n");
}

/// Writes one header row `name: <parts...>` with its CRLF.
pub(crate) fn push_row(out: &mut Vec<u8>, name: &str, parts: &[&str]) {
    out.extend_from_slice(name.as_bytes());
    out.extend_from_slice(b": ");
    push_line(out, parts);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sip::{parse_datagram, serialize_into, OwnedHeader, OwnedMessage, OwnedStartLine};

    /// The wire form of a request a role built (a response yields an empty method): the
    /// tests' reference for the requests written straight to wire form.
    fn from_owned(request: &OwnedMessage) -> OutgoingRequest {
        let mut bytes = vec![0; VIA_ROW_ROOM_BYTES];
        serialize_into(request, &mut bytes);
        let via_at =
            VIA_ROW_ROOM_BYTES + line_end(bytes.get(VIA_ROW_ROOM_BYTES..).unwrap_or_default());
        let method = match &request.start_line {
            OwnedStartLine::Request { method, .. } => method.clone(),
            OwnedStartLine::Response { .. } => String::new(),
        };
        OutgoingRequest {
            bytes,
            via_at,
            method,
        }
    }

    /// Offset just past the first CRLF of `bytes` (its length if there is none).
    fn line_end(bytes: &[u8]) -> usize {
        bytes
            .windows(2)
            .position(|w| w == b"\r\n")
            .map_or(bytes.len(), |at| at + 2)
    }

    /// Requests and responses of usual and unusual shape: folded values, compact and odd-case
    /// names, no Via, a Via row with two elements, Via rows apart or adjacent, a Max-Forwards
    /// above the Via, two spaces or none after a colon, an empty value, a body.
    const SHAPES: [&str; 10] = [
        "MESSAGE sip:bob@beta.example SIP/2.0\r\nVia: SIP/2.0/UDP a.example;branch=z9hG4bK1\r\nVia: SIP/2.0/UDP b.example;branch=z9hG4bK2\r\nMax-Forwards: 69\r\nFrom:  <sip:a@alpha.example>;tag=1\r\nTo:<sip:bob@beta.example>\r\nSubject:\r\nCall-ID: c1\r\nCSeq: 1 MESSAGE\r\nContent-Length: 0\r\n\r\n",
        "SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP pf.example;branch=z9hG4bKp\r\nVia: SIP/2.0/UDP ua.example;branch=z9hG4bKu\r\nFrom: <sip:a@alpha.example>;tag=1\r\nTo: <sip:bob@beta.example>;tag=2\r\nCall-ID: c1\r\nCSeq: 1 MESSAGE\r\nContent-Length: 0\r\n\r\n",
        "SIP/2.0 202 Accepted\r\nVia: SIP/2.0/UDP pf.example;branch=z9hG4bKp\r\nFrom: <sip:a@alpha.example>;tag=1\r\nVia: SIP/2.0/UDP ua.example;branch=z9hG4bKu\r\nTo:  <sip:bob@beta.example>;tag=2\r\nCall-ID: c1\r\nCSeq: 1 MESSAGE\r\n\r\n",
        "SIP/2.0 200 OK\r\nVia:  SIP/2.0/UDP pf.example;branch=z9hG4bKp\r\nv: SIP/2.0/UDP ua.example;branch=z9hG4bKu\r\nFrom: <sip:a@alpha.example>;tag=1\r\nTo: <sip:bob@beta.example>;tag=2\r\nCall-ID: c1\r\nCSeq: 1 MESSAGE\r\nContent-Length: 0\r\n\r\n",
        "MESSAGE sip:bob@beta.example SIP/2.0\r\nVia: SIP/2.0/UDP a.example;branch=z9hG4bK1\r\nMax-Forwards: 70\r\nFrom: <sip:a@alpha.example>;tag=1\r\nTo: <sip:bob@beta.example>\r\nCall-ID: c1\r\nCSeq: 1 MESSAGE\r\nContent-Type: text/plain\r\nContent-Length: 2\r\n\r\nhi",
        "MESSAGE sip:bob@beta.example SIP/2.0\r\nMax-Forwards: 9\r\nv: SIP/2.0/UDP a.example;branch=z9hG4bK1, SIP/2.0/UDP b.example;branch=z9hG4bK2\r\nf: <sip:a@alpha.example>\r\n ;tag=1\r\nt: <sip:bob@beta.example>\r\ni: c1\r\nCSEQ: 1 MESSAGE\r\nX-Odd: a,\r\n\tb\r\nl: 0\r\n\r\n",
        "MESSAGE sip:bob@beta.example SIP/2.0\r\nFrom: <sip:a@alpha.example>;tag=1\r\nTo: <sip:bob@beta.example>\r\nCall-ID: c1\r\nCSeq: 1 MESSAGE\r\n\r\n",
        "SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP pf.example;branch=z9hG4bKp, SIP/2.0/UDP ua.example;branch=z9hG4bKu\r\nFrom: <sip:a@alpha.example>;tag=1\r\nTo: <sip:bob@beta.example>;tag=2\r\nCall-ID: c1\r\nCSeq: 1 MESSAGE\r\nContent-Length: 0\r\n\r\n",
        "SIP/2.0 202 Accepted\r\nCall-ID: c1\r\nv: SIP/2.0/UDP pf.example;branch=z9hG4bKp\r\nFrom: <sip:a@alpha.example>;tag=1\r\nVia: SIP/2.0/TCP ua.example;branch=z9hG4bKu,\r\n SIP/2.0/UDP x.example;branch=z9hG4bKx\r\nTo: <sip:bob@beta.example>;tag=2\r\nCSeq: 1 MESSAGE\r\n\r\n",
        "SIP/2.0 480 \r\nFrom: <sip:a@alpha.example>;tag=1\r\nTo: <sip:bob@beta.example>;tag=2\r\nCall-ID: c1\r\nCSeq: 1 MESSAGE\r\nContent-Length: 3\r\n\r\nabc",
    ];

    /// A proxy's copy the way the owned message path writes it: the oracle.
    fn forwarded_the_owned_way(msg: &Message<'_>, uri: Option<&str>, hops: u8) -> Vec<u8> {
        let mut request = msg.to_owned();
        request
            .headers
            .retain(|h| HeaderKind::from_name(&h.name) != HeaderKind::MaxForwards);
        if let (Some(uri), OwnedStartLine::Request { uri: target, .. }) =
            (uri, &mut request.start_line)
        {
            *target = uri.to_owned();
        }
        let at = msg
            .rows()
            .filter(|h| !matches!(h.kind, HeaderKind::ContentLength | HeaderKind::MaxForwards))
            .position(|h| h.kind == HeaderKind::Via)
            .map_or(0, |i| i + 1);
        let row = OwnedHeader {
            name: "Max-Forwards".to_owned(),
            value: hops.to_string(),
        };
        request.headers.insert(at.min(request.headers.len()), row);
        request.headers.insert(
            0,
            OwnedHeader {
                name: "Via".to_owned(),
                value: "SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bKnew".to_owned(),
            },
        );
        request.to_bytes()
    }

    /// A relayed response the way the owned message path writes it: the oracle.
    fn relayed_the_owned_way(response: &Message<'_>) -> Vec<u8> {
        let first_via = response
            .rows()
            .filter(|h| h.kind != HeaderKind::ContentLength)
            .position(|h| h.kind == HeaderKind::Via);
        let mut owned = response.to_owned();
        owned
            .headers
            .retain(|h| HeaderKind::from_name(&h.name) != HeaderKind::Via);
        let upstream: Vec<OwnedHeader> = response
            .headers("Via")
            .skip(1)
            .map(|v| OwnedHeader {
                name: "Via".to_owned(),
                value: v.to_owned(),
            })
            .collect();
        let at = first_via.unwrap_or(0).min(owned.headers.len());
        owned.headers.splice(at..at, upstream);
        owned.to_bytes()
    }

    #[test]
    fn a_forwarded_request_has_the_bytes_the_owned_path_writes() {
        for text in SHAPES.iter().filter(|t| !t.starts_with("SIP/")) {
            let msg = parse_datagram(text.as_bytes()).expect("shape parses");
            for (uri, hops) in [(None, 69), (Some("sip:bob@192.0.2.9:5070"), 0)] {
                let wire = forwarded_request(&msg, uri, hops)
                    .with_via("SIP/2.0/UDP 192.0.2.1:5060;branch=", "z9hG4bKnew");
                let oracle = forwarded_the_owned_way(&msg, uri, hops);
                assert_eq!(
                    String::from_utf8_lossy(&wire),
                    String::from_utf8_lossy(&oracle)
                );
            }
        }
    }

    #[test]
    fn a_relayed_response_has_the_bytes_the_owned_path_writes() {
        for text in SHAPES.iter().filter(|t| t.starts_with("SIP/")) {
            let msg = parse_datagram(text.as_bytes()).expect("shape parses");
            let (code, wire) = relayed_response(&msg).expect("a response");
            assert_eq!(Some(code), msg.status().map(|s| s.code()));
            assert_eq!(
                String::from_utf8_lossy(&wire),
                String::from_utf8_lossy(&relayed_the_owned_way(&msg))
            );
        }
        let request = parse_datagram(SHAPES[0].as_bytes()).expect("parses");
        assert_eq!(relayed_response(&request), None);
    }

    #[test]
    fn a_built_request_gets_its_via_right_below_the_request_line() {
        let owned = OwnedMessage::request("MESSAGE", "sip:bob@beta.example")
            .header("Max-Forwards", "70")
            .header("Call-ID", "c1")
            .body(&b"hi"[..]);
        let outgoing = from_owned(&owned);
        assert_eq!(outgoing.method(), "MESSAGE");
        let wire = outgoing
            .clone()
            .with_via("SIP/2.0/TCP 192.0.2.1:5060;branch=", "z9hG4bKx");
        let via = "Via: SIP/2.0/TCP 192.0.2.1:5060;branch=z9hG4bKx\r\n";
        let expected = format!(
            "MESSAGE sip:bob@beta.example SIP/2.0\r\n{via}Max-Forwards: 70\r\nCall-ID: c1\r\n\
             Content-Length: 2\r\n\r\nhi"
        );
        assert_eq!(String::from_utf8_lossy(&wire), expected);
        assert_eq!(
            outgoing.wire_len(via_row_len(
                "SIP/2.0/TCP 192.0.2.1:5060;branch=",
                "z9hG4bKx"
            )),
            expected.len()
        );
    }

    #[test]
    fn a_request_written_row_by_row_has_the_bytes_the_owned_path_writes() {
        let contact = "sip:dave@10.0.0.4:5060";
        let written = OutgoingRequest::written(
            "REGISTER",
            "sip:epsilon.example",
            &[
                ("Max-Forwards", &["70"]),
                ("From", &["<", "sip:dave@epsilon.example", ">;tag=", "0f1e"]),
                ("To", &["<sip:dave@epsilon.example>"]),
                ("Call-ID", &["c1@10.0.0.4"]),
                ("CSeq", &["7", " REGISTER"]),
                ("Contact", &["<", contact, ">;expires=", "3600"]),
            ],
            b"",
        );
        let owned = OwnedMessage::request("REGISTER", "sip:epsilon.example")
            .header("Max-Forwards", "70")
            .header("From", "<sip:dave@epsilon.example>;tag=0f1e")
            .header("To", "<sip:dave@epsilon.example>")
            .header("Call-ID", "c1@10.0.0.4")
            .header("CSeq", "7 REGISTER")
            .header("Contact", format!("<{contact}>;expires=3600"));
        assert_eq!(written, from_owned(&owned));
        let with_body =
            OutgoingRequest::written("MESSAGE", "sip:b@x", &[("CSeq", &["1 MESSAGE"])], b"hi");
        let owned = OwnedMessage::request("MESSAGE", "sip:b@x")
            .header("CSeq", "1 MESSAGE")
            .body(&b"hi"[..]);
        assert_eq!(with_body, from_owned(&owned));
    }

    #[test]
    fn a_via_row_of_any_length_lands_right_below_the_request_line() {
        let owned = OwnedMessage::request("MESSAGE", "sip:bob@beta.example")
            .header("Call-ID", "c1")
            .body(&b"hi"[..]);
        let ipv6 = "SIP/2.0/UDP [2001:db8:ffff:ffff:ffff:ffff:ffff:ffff]:65535;branch=";
        let branch = "z9hG4bK0123456789abcdef";
        let too_long = "x".repeat(VIA_ROW_ROOM_BYTES);
        // The longest row a node writes fits the room; a longer one takes the slow path.
        assert!(via_row_len(ipv6, branch) <= VIA_ROW_ROOM_BYTES);
        assert!(via_row_len(&too_long, branch) > VIA_ROW_ROOM_BYTES);
        for prefix in ["SIP/2.0/UDP 192.0.2.1:5060;branch=", ipv6, &too_long] {
            let outgoing = from_owned(&owned);
            let row_len = via_row_len(prefix, branch);
            let expected_len = outgoing.wire_len(row_len);
            let wire = outgoing.with_via(prefix, branch);
            let expected = format!(
                "MESSAGE sip:bob@beta.example SIP/2.0\r\nVia: {prefix}{branch}\r\nCall-ID: c1\r\n\
                 Content-Length: 2\r\n\r\nhi"
            );
            assert_eq!(String::from_utf8_lossy(&wire), expected);
            assert_eq!(wire.len(), expected_len);
        }
    }

    #[test]
    fn a_cpim_message_has_the_bytes_the_owned_path_writes() {
        let body = b"From: <sip:a@alpha.example>\r\n\r\nContent-Type: text/plain\r\n\r\nhi";
        let message = CpimMessage {
            uri: "sip:climbers@cf.gamma.example",
            from: &["\"Alice\" <", "sip:a@alpha.example", ">"],
            tag: "0123456789abcdef",
            to: "sip:climbers@cf.gamma.example",
            call_id: &["fedcba9876543210", "@", "192.0.2.1"],
            body,
        };
        let owned = OwnedMessage::request("MESSAGE", message.uri)
            .header("Max-Forwards", "70")
            .header(
                "From",
                "\"Alice\" <sip:a@alpha.example>;tag=0123456789abcdef",
            )
            .header("To", "<sip:climbers@cf.gamma.example>")
            .header("Call-ID", "fedcba9876543210@192.0.2.1")
            .header("CSeq", "1 MESSAGE")
            .header("Content-Type", "message/cpim")
            .body(&body[..]);
        assert_eq!(message.to_outgoing(), from_owned(&owned));
    }

    #[test]
    fn a_row_in_the_serializers_form_is_found_where_it_lies_and_others_are_not() {
        let text = SHAPES[0];
        let msg = parse_datagram(text.as_bytes()).expect("shape parses");
        let mut out = Vec::new();
        let writer = RowWriter::new(&msg, &mut out);
        let mut plain = Vec::new();
        for row in msg.rows() {
            match writer.as_received(&row) {
                Some(span) => {
                    let expected = format!("{}: {}\r\n", row.name, row.value);
                    assert_eq!(text.get(span.clone()), Some(expected.as_str()));
                    plain.push(row.name);
                }
                None => assert_ne!(
                    text.get(msg.offset_of(row.name)..row.offset + row.value.len() + 2),
                    Some(format!("{}: {}\r\n", row.name, row.value).as_str())
                ),
            }
        }
        // `From:  <...>` (two spaces), `To:<...>` (none) and the empty Subject are rewritten.
        assert_eq!(
            plain,
            [
                "Via",
                "Via",
                "Max-Forwards",
                "Call-ID",
                "CSeq",
                "Content-Length"
            ]
        );
    }

    #[test]
    fn a_plain_hop_is_copied_as_received_and_others_are_rewritten_as_via() {
        let hops = |text: &'static str| {
            let msg = parse_datagram(text.as_bytes()).expect("shape parses");
            let vias: Vec<_> = msg.rows().filter(|h| h.kind == HeaderKind::Via).collect();
            let (mut out, mut waiting) = (Vec::new(), false);
            let mut writer = RowWriter::new(&msg, &mut out);
            if let Some(hop) = vias.get(1) {
                writer.hop(hop);
                waiting = !writer.run.is_empty();
                writer.flush();
            }
            (String::from_utf8_lossy(&out).into_owned(), waiting)
        };
        let plain = "Via: SIP/2.0/UDP ua.example;branch=z9hG4bKu\r\n".to_owned();
        // `Via: ...` as written waits to be copied; `v: ...` is written as a `Via` row.
        assert_eq!(hops(SHAPES[1]), (plain.clone(), true));
        assert_eq!(hops(SHAPES[3]), (plain, false));
    }
}
