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
//! When every received row is already in that form (the usual case: every node of this stack
//! writes it), the rows are copied in runs between the proxy's edits (see `wire_plain`), and a
//! message a node wrote is copied whole around them, start line and body included (see
//! `wire_verbatim`).
//! A relay and a proxy's copy are written only as they are sent, straight into the node's chunk
//! of sent bytes ([`RelayedResponse`], [`ForwardedRequest`]); writers append to a [`WireOut`].

use crate::node::Bytes;
use crate::sip::owned::SIP_2_0;
pub(crate) use crate::sip::owned::{decimal, DECIMAL_DIGITS_MAX};
use crate::sip::{Header, HeaderKind, Message, StartLine};
use bytes::{Buf, BufMut, BytesMut};

/// Room for the rows a node adds to what it copies (its Via, Max-Forwards, Content-Length).
const ADDED_ROWS_BYTES: usize = 160;

/// Room left before a request's Request-Line for the sender's Via row: the longest row a node
/// writes (`Via: SIP/2.0/UDP [IPv6]:port;branch=` and a 23-byte branch is 97 bytes) fits.
pub(crate) const VIA_ROW_ROOM_BYTES: usize = 104;

/// A buffer with the room for a Via row, and `capacity` bytes more.
fn with_via_room(capacity: usize) -> BytesMut {
    let mut out = BytesMut::with_capacity(VIA_ROW_ROOM_BYTES + capacity);
    out.resize(VIA_ROW_ROOM_BYTES, 0);
    out
}

/// A request ready for the wire but for the sender's own top Via row.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct OutgoingRequest {
    /// [`VIA_ROW_ROOM_BYTES`] of room, then the wire form without the sender's Via: a buffer
    /// of its own, or a piece of the node's chunk of sent bytes.
    bytes: BytesMut,
    /// Where the Via row goes: right after the Request-Line (an offset in `bytes`).
    via_at: usize,
    /// The length of the request method, the Request-Line's first token (the client
    /// transaction matches responses by it): read from the bytes, not kept twice.
    method_len: usize,
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
            method_len: method.len(),
        }
    }

    /// A request [`ForwardedRequest::write_to`] wrote into `bytes`, with the offsets it gave.
    pub(crate) fn of_piece(bytes: BytesMut, via_at: usize, method_len: usize) -> Self {
        OutgoingRequest {
            bytes,
            via_at,
            method_len,
        }
    }

    /// The request method.
    pub(crate) fn method(&self) -> &str {
        let token = self
            .bytes
            .get(VIA_ROW_ROOM_BYTES..VIA_ROW_ROOM_BYTES + self.method_len)
            .unwrap_or_default();
        // The methods the roles send are named without a UTF-8 check of the token.
        match token {
            b"MESSAGE" => "MESSAGE",
            b"REGISTER" => "REGISTER",
            // Written from a `&str` by every constructor, so always UTF-8.
            _ => std::str::from_utf8(token).unwrap_or_default(),
        }
    }

    /// Bytes on the wire once a Via row of `via_row_len` bytes is added.
    pub(crate) fn wire_len(&self, via_row_len: usize) -> usize {
        self.bytes.len().saturating_sub(VIA_ROW_ROOM_BYTES) + via_row_len
    }

    /// The wire form with `Via: <via_prefix><branch>` as the top header row: the Request-Line
    /// moves into the room before it and the row is written where it was, so only those two
    /// are written; the message starts where the moved Request-Line does.
    pub(crate) fn with_via(self, via_prefix: &str, branch: impl AsRef<[u8]>) -> Bytes {
        let branch = branch.as_ref();
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
        for part in [&b"Via: "[..], via_prefix.as_bytes(), branch, b"\r\n"] {
            if let Some(gap) = bytes.get_mut(to..to + part.len()) {
                gap.copy_from_slice(part);
            }
            to += part.len();
        }
        let mut wire = bytes.freeze();
        wire.advance(start);
        wire
    }
}

/// The length of the row `Via: <via_prefix><branch>` with its CRLF.
pub(crate) fn via_row_len(via_prefix: &str, branch: impl AsRef<[u8]>) -> usize {
    "Via: ".len() + via_prefix.len() + branch.as_ref().len() + 2
}

/// A proxy's copy of request `msg` (RFC 3261 section 16.6): Request-URI replaced by `uri` if
/// given, Max-Forwards set to `max_forwards` right below the first Via received (or on top when
/// there is none), every other row kept in order, Content-Length recomputed. Written only when
/// sent ([`ForwardedRequest::write_to`]), straight into the node's chunk.
pub(crate) fn forwarded_request<'a, 'm>(
    msg: &'a Message<'m>,
    uri: Option<&'a str>,
    max_forwards: u8,
) -> ForwardedRequest<'a, 'm> {
    ForwardedRequest {
        msg,
        uri,
        max_forwards,
    }
}

/// A proxy's copy of a request, not yet written (see [`forwarded_request`]).
#[derive(Clone, Copy, Debug)]
pub(crate) struct ForwardedRequest<'a, 'm> {
    /// The request as received.
    msg: &'a Message<'m>,
    /// The new Request-URI, if retargeted.
    uri: Option<&'a str>,
    /// The Max-Forwards value the copy carries.
    max_forwards: u8,
}

impl ForwardedRequest<'_, '_> {
    /// Bytes to reserve for the copy, its Via room included (enough unless rows must be
    /// rewritten at length).
    pub(crate) fn room(&self) -> usize {
        VIA_ROW_ROOM_BYTES + self.msg.wire_len() + ADDED_ROWS_BYTES + self.uri.map_or(0, str::len)
    }

    /// Writes the copy into `out`, which must be empty (a fresh buffer or a chunk's tail);
    /// returns where the Via row goes and the method's length, for [`OutgoingRequest::of_piece`].
    pub(crate) fn write_to(&self, out: &mut BytesMut) -> (usize, usize) {
        out.resize(VIA_ROW_ROOM_BYTES, 0);
        let mut digits = [0u8; DECIMAL_DIGITS_MAX];
        let max_forwards = decimal_bytes(self.max_forwards.into(), &mut digits);
        match verbatim::forwarded(self.msg, self.uri, max_forwards, out) {
            Some(offsets) => offsets,
            None => self.write_by_rule(out),
        }
    }

    /// Writes the copy after the Via room in `out` as the general rule writes it, whatever the
    /// request's form: the judge of the copy [`verbatim::forwarded`] makes.
    fn write_by_rule(&self, out: &mut BytesMut) -> (usize, usize) {
        let msg = self.msg;
        let mut digits = [0u8; DECIMAL_DIGITS_MAX];
        let max_forwards = decimal(self.max_forwards.into(), &mut digits);
        let method_len = match *msg.start_line() {
            StartLine::Request {
                method,
                uri: received,
                version,
            } => {
                let method = method.as_str();
                push_line(
                    out,
                    &[method, " ", self.uri.unwrap_or(received), " ", version],
                );
                method.len()
            }
            StartLine::Response { .. } => 0,
        };
        let via_at = out.len();
        if !plain::forwarded_rows(msg, max_forwards, out) {
            forwarded_rows_rewritten(msg, max_forwards, out);
        }
        finish(out, msg.body());
        (via_at, method_len)
    }

    /// The copy in a buffer of its own.
    #[cfg(test)]
    pub(crate) fn written_apart(&self) -> OutgoingRequest {
        let mut out = BytesMut::with_capacity(self.room());
        let (via_at, method_len) = self.write_to(&mut out);
        OutgoingRequest::of_piece(out, via_at, method_len)
    }
}

/// A proxy's relay of response `response` upstream (RFC 3261 section 16.7): its own Via (the
/// first Via element) removed, the Via elements below it written one per row where the first Via
/// row was, every other row kept in order, Content-Length recomputed. With its status code;
/// `None` for a request. Written only when sent ([`RelayedResponse::write_to`]), straight into
/// the node's chunk.
pub(crate) fn relayed_response<'a, 'm>(
    response: &'a Message<'m>,
) -> Option<(u16, RelayedResponse<'a, 'm>)> {
    let status = response.status()?;
    Some((status.code(), RelayedResponse { response }))
}

/// A response a proxy relays, not yet written (see [`relayed_response`]).
#[derive(Clone, Copy, Debug)]
pub(crate) struct RelayedResponse<'a, 'm> {
    /// The response as received from downstream.
    response: &'a Message<'m>,
}

impl RelayedResponse<'_, '_> {
    /// Bytes to reserve for the relay (enough unless rows must be rewritten at length).
    pub(crate) fn room(&self) -> usize {
        self.response.wire_len() + ADDED_ROWS_BYTES
    }

    /// Appends the relay's wire form to `out`.
    pub(crate) fn write_to(&self, out: &mut impl WireOut) {
        if !verbatim::relayed(self.response, out) {
            self.write_by_rule(out);
        }
    }

    /// Appends the relay's wire form to `out` as the general rule writes it, whatever the
    /// response's form: the judge of the copy [`verbatim::relayed`] makes.
    fn write_by_rule(&self, out: &mut impl WireOut) {
        let response = self.response;
        let StartLine::Response {
            version,
            status,
            reason,
        } = *response.start_line()
        else {
            return;
        };
        out.put_slice(version.as_bytes());
        out.put_slice(b" ");
        push_decimal(out, status.code().into());
        push_line(out, &[" ", reason]);
        if !plain::relayed_rows(response, out) {
            relayed_rows_rewritten(response, out);
        }
        finish(out, response.body());
    }
}

/// Where a writer appends wire bytes: a message's own `Vec`, or the tail of a node's chunk.
pub(crate) trait WireOut: BufMut {
    /// How much is written so far: a mark to cut back to.
    fn mark(&self) -> usize;
    /// Drops what was written after `mark`.
    fn cut_to(&mut self, mark: usize);
    /// Writes `bytes` over what was written at `at` (nothing beyond what was written).
    fn overwrite(&mut self, at: usize, bytes: &[u8]);
}

impl WireOut for Vec<u8> {
    fn mark(&self) -> usize {
        self.len()
    }

    fn cut_to(&mut self, mark: usize) {
        self.truncate(mark);
    }

    fn overwrite(&mut self, at: usize, bytes: &[u8]) {
        if let Some(written) = self.get_mut(at..at + bytes.len()) {
            written.copy_from_slice(bytes);
        }
    }
}

impl WireOut for BytesMut {
    fn mark(&self) -> usize {
        self.len()
    }

    fn cut_to(&mut self, mark: usize) {
        self.truncate(mark);
    }

    fn overwrite(&mut self, at: usize, bytes: &[u8]) {
        if let Some(written) = self.get_mut(at..at + bytes.len()) {
            written.copy_from_slice(bytes);
        }
    }
}

/// Content-Length, the empty line and the body.
fn finish(out: &mut impl BufMut, body: &[u8]) {
    out.put_slice(b"Content-Length: ");
    push_decimal(out, body.len() as u64);
    out.put_slice(b"\r\n\r\n");
    out.put_slice(body);
}

/// Appends `n` in decimal, as [`decimal`] writes it.
fn push_decimal(out: &mut impl BufMut, n: u64) {
    let mut digits = [0u8; DECIMAL_DIGITS_MAX];
    out.put_slice(decimal_bytes(n, &mut digits));
}

/// The ASCII digits of `n` in decimal, written at the end of `digits`: [`decimal`] without
/// the UTF-8 check of its result, for a writer that appends bytes or chars.
pub(crate) fn decimal_bytes(n: u64, digits: &mut [u8; DECIMAL_DIGITS_MAX]) -> &[u8] {
    let mut start = digits.len();
    let mut rest = n;
    while let Some(slot) = start.checked_sub(1).and_then(|at| digits.get_mut(at)) {
        *slot = b'0' + (rest % 10) as u8;
        start -= 1;
        rest /= 10;
        if rest == 0 {
            break;
        }
    }
    digits.get(start..).unwrap_or_default()
}

/// Writes `parts` and a CRLF, into a `Vec` or a chunk's tail alike.
#[inline]
fn push_line(out: &mut impl BufMut, parts: &[&str]) {
    for part in parts {
        out.put_slice(part.as_bytes());
    }
    out.put_slice(b"\r\n");
}

/// Writes one header row `name: <parts...>` with its CRLF. Inlined, so that a constant name
/// or part is stored in place rather than copied by a call.
#[inline]
pub(crate) fn push_row(out: &mut impl BufMut, name: &str, parts: &[&str]) {
    out.put_slice(name.as_bytes());
    out.put_slice(b": ");
    push_line(out, parts);
}

#[path = "wire_cpim.rs"]
mod cpim_message;
pub(crate) use cpim_message::{CpimMessage, OwnBuffer, SentBytes};

#[path = "wire_plain.rs"]
mod plain;

#[path = "wire_verbatim.rs"]
mod verbatim;

#[path = "wire_rewrite.rs"]
mod rewrite;
#[cfg(test)]
use rewrite::RowWriter;
use rewrite::{forwarded_rows_rewritten, relayed_rows_rewritten};

#[cfg(test)]
#[path = "wire_tests.rs"]
mod tests;
