//! The MESSAGE every role sends with a `message/cpim` body (RFC 3428, RFC 3862), written
//! straight to wire bytes but for the sender's Via (see [`OutgoingRequest`]).
//!
//! A role either hands over a body it already holds ([`CpimMessage::to_outgoing`]) or writes
//! the body straight into the request's buffer ([`CpimMessage::to_outgoing_writing`]), so that
//! the body is written once, with no buffer of its own to copy from. That buffer is where
//! [`SentBytes`] puts it: a piece of the node's chunk of sent bytes (no allocation of its own,
//! and the wire form is shared without one either), or a buffer of its own ([`OwnBuffer`]).

use super::{
    decimal_bytes, finish, with_via_room, OutgoingRequest, ADDED_ROWS_BYTES, DECIMAL_DIGITS_MAX,
    VIA_ROW_ROOM_BYTES,
};
use crate::transaction::TransactionLayer;
use bytes::{Buf, BytesMut};

/// Where a request written by [`CpimMessage::to_outgoing_writing`] is put: `write` appends it
/// to an empty buffer with room for about `room` bytes, which is handed back with `write`'s
/// result.
pub(crate) trait SentBytes {
    /// The buffer `write` wrote into, and what it returned.
    fn piece<R>(&mut self, room: usize, write: impl FnOnce(&mut BytesMut) -> R) -> (BytesMut, R);
}

/// A node's transaction layer lends the tail of its chunk of sent bytes: the request is a
/// piece of that chunk, as the proxy's copies and every response are.
impl<C> SentBytes for TransactionLayer<C> {
    fn piece<R>(&mut self, room: usize, write: impl FnOnce(&mut BytesMut) -> R) -> (BytesMut, R) {
        self.sent_piece(room, write)
    }
}

/// A buffer of its own for each request: for a writer with no transaction layer at hand.
pub(crate) struct OwnBuffer;

impl SentBytes for OwnBuffer {
    fn piece<R>(&mut self, room: usize, write: impl FnOnce(&mut BytesMut) -> R) -> (BytesMut, R) {
        let mut out = BytesMut::with_capacity(room);
        let result = write(&mut out);
        (out, result)
    }
}

/// The end of the Request-Line: ` SIP/2.0` and its CRLF.
const REQUEST_LINE_END: &[u8] = b" SIP/2.0\r\n";

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
    /// The Request-Line and every row above Content-Length, in the order nodes write them;
    /// returns where the sender's Via goes (after the Request-Line). Each value is written
    /// between the constant text around it, one piece from a row's end to the next value.
    fn write_rows(&self, out: &mut BytesMut) -> usize {
        out.extend_from_slice(b"MESSAGE ");
        out.extend_from_slice(self.uri.as_bytes());
        out.extend_from_slice(REQUEST_LINE_END);
        let via_at = out.len();
        out.extend_from_slice(b"Max-Forwards: 70\r\nFrom: ");
        for part in self.from {
            out.extend_from_slice(part.as_bytes());
        }
        out.extend_from_slice(b";tag=");
        out.extend_from_slice(self.tag.as_bytes());
        out.extend_from_slice(b"\r\nTo: <");
        out.extend_from_slice(self.to.as_bytes());
        out.extend_from_slice(b">\r\nCall-ID: ");
        for part in self.call_id {
            out.extend_from_slice(part.as_bytes());
        }
        out.extend_from_slice(b"\r\nCSeq: 1 MESSAGE\r\nContent-Type: message/cpim\r\n");
        via_at
    }

    /// The request in wire form, but for the sender's Via.
    pub(crate) fn to_outgoing(self) -> OutgoingRequest {
        let mut out = with_via_room(self.body.len() + 2 * ADDED_ROWS_BYTES + self.uri.len());
        let via_at = self.write_rows(&mut out);
        finish(&mut out, self.body);
        OutgoingRequest {
            bytes: out,
            via_at,
            method_len: "MESSAGE".len(),
        }
    }

    /// [`to_outgoing`](Self::to_outgoing) with the body `body` followed by what `write_body`
    /// appends, written straight into the buffer `sent` lends (`body_len_hint` is the room the
    /// body needs). Content-Length precedes the body, so its digits get [`DECIMAL_DIGITS_MAX`]
    /// of room; once the body is written the rows above close the unused room by moving down,
    /// and the message starts that much later. The bytes are those `to_outgoing` writes for
    /// the same body; an error of `write_body` is handed back (what was written is dropped).
    pub(crate) fn to_outgoing_writing<E>(
        self,
        sent: &mut impl SentBytes,
        body_len_hint: usize,
        write_body: impl FnOnce(&mut BytesMut) -> Result<(), E>,
    ) -> Result<OutgoingRequest, E> {
        let body_room = self.body.len() + body_len_hint;
        let room = VIA_ROW_ROOM_BYTES + body_room + 2 * ADDED_ROWS_BYTES + self.uri.len();
        let (bytes, via_at) = sent.piece(room, |out| self.write_request(out, write_body));
        Ok(OutgoingRequest {
            bytes,
            via_at: via_at?,
            method_len: "MESSAGE".len(),
        })
    }

    /// Writes the request into the empty buffer `out` (see
    /// [`to_outgoing_writing`](Self::to_outgoing_writing)); returns where the Via row goes.
    fn write_request<E>(
        self,
        out: &mut BytesMut,
        write_body: impl FnOnce(&mut BytesMut) -> Result<(), E>,
    ) -> Result<usize, E> {
        out.resize(VIA_ROW_ROOM_BYTES, 0);
        let via_at = self.write_rows(out);
        out.extend_from_slice(b"Content-Length: ");
        let rows_end = out.len();
        out.resize(rows_end + DECIMAL_DIGITS_MAX, 0);
        out.extend_from_slice(b"\r\n\r\n");
        let body_at = out.len();
        out.extend_from_slice(self.body);
        write_body(out)?;
        let body_len = out.len() - body_at;
        let mut digits = [0u8; DECIMAL_DIGITS_MAX];
        let digits = decimal_bytes(body_len as u64, &mut digits);
        let unused = DECIMAL_DIGITS_MAX - digits.len();
        if let Some(slot) = out.get_mut(rows_end + unused..rows_end + DECIMAL_DIGITS_MAX) {
            slot.copy_from_slice(digits);
        }
        // The Request-Line and the rows move down onto the unused room; the room for the Via
        // row before them keeps its size.
        out.copy_within(VIA_ROW_ROOM_BYTES..rows_end, VIA_ROW_ROOM_BYTES + unused);
        out.advance(unused);
        Ok(via_at)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::node::wire::via_row_len;

    fn message(body: &[u8]) -> CpimMessage<'_> {
        CpimMessage {
            uri: "sip:bob@beta.example",
            from: &["<", "sip:alice@alpha.example", ">"],
            tag: "0123456789abcdef",
            to: "sip:bob@beta.example",
            call_id: &["fedcba9876543210"],
            body,
        }
    }

    #[test]
    fn a_body_written_into_the_request_gives_the_bytes_of_a_body_handed_over() {
        let prefix = "Via: SIP/2.0/UDP 192.0.2.1:5060;branch=";
        // Content-Length of every digit count, the body handed over in part or not at all.
        for len in [0usize, 1, 9, 10, 99, 100, 999, 1000, 9_999, 10_000, 65_000] {
            let body: Vec<u8> = (0..len).map(|i| b'a' + (i % 26) as u8).collect();
            let expected = message(&body).to_outgoing();
            let expected_len = expected.wire_len(via_row_len(prefix, "z9hG4bK1"));
            let expected = expected.with_via(prefix, "z9hG4bK1");
            for (given, hint) in [(0, 0), (len / 2, len), (len, 3)] {
                let (head, rest) = body.split_at(given);
                let write = |out: &mut BytesMut| {
                    out.extend_from_slice(rest);
                    Ok::<(), ()>(())
                };
                // Into a buffer of its own, and into a chunk that already holds a message.
                let mut layer = layer();
                let _ = layer.piece(3, |out| out.extend_from_slice(b"abc"));
                for written in [
                    message(head).to_outgoing_writing(&mut OwnBuffer, hint, write),
                    message(head).to_outgoing_writing(&mut layer, hint, write),
                ] {
                    let written = written.expect("the writer does not fail");
                    assert_eq!(written.method(), "MESSAGE");
                    assert_eq!(
                        written.wire_len(via_row_len(prefix, "z9hG4bK1")),
                        expected_len
                    );
                    assert_eq!(written.with_via(prefix, "z9hG4bK1"), expected);
                }
            }
        }
    }

    /// A transaction layer, for the chunk of sent bytes it lends.
    fn layer() -> TransactionLayer<()> {
        let local = std::net::SocketAddr::from(([192, 0, 2, 1], 5060));
        TransactionLayer::new(local, crate::transaction::TimerConfig::default())
    }

    #[test]
    fn requests_written_into_the_chunk_one_after_another_keep_their_own_bytes() {
        let mut layer = layer();
        let prefix = "Via: SIP/2.0/UDP 192.0.2.1:5060;branch=";
        let bodies: Vec<Vec<u8>> = (0..40)
            .map(|i| vec![b'a' + (i % 26) as u8; i * 97])
            .collect();
        let written: Vec<OutgoingRequest> = bodies
            .iter()
            .map(|body| {
                message(b"")
                    .to_outgoing_writing(&mut layer, 10, |out| {
                        out.extend_from_slice(body);
                        Ok::<(), ()>(())
                    })
                    .expect("the writer does not fail")
            })
            .collect();
        for (written, body) in written.into_iter().zip(&bodies) {
            let expected = message(body).to_outgoing().with_via(prefix, "z9hG4bK1");
            assert_eq!(written.with_via(prefix, "z9hG4bK1"), expected);
        }
    }

    /// The rows as written row by row (the writer's reference): each row by its name and
    /// parts, as the owned path writes them.
    fn rows_row_by_row(m: &CpimMessage<'_>, out: &mut BytesMut) -> usize {
        use crate::node::wire::{push_line, push_row};
        use crate::sip::owned::SIP_2_0;
        push_line(out, &["MESSAGE ", m.uri, " ", SIP_2_0]);
        let via_at = out.len();
        push_row(out, "Max-Forwards", &["70"]);
        out.extend_from_slice(b"From: ");
        for part in m.from {
            out.extend_from_slice(part.as_bytes());
        }
        push_line(out, &[";tag=", m.tag]);
        push_row(out, "To", &["<", m.to, ">"]);
        out.extend_from_slice(b"Call-ID: ");
        push_line(out, m.call_id);
        push_row(out, "CSeq", &["1 MESSAGE"]);
        push_row(out, "Content-Type", &["message/cpim"]);
        via_at
    }

    #[test]
    fn the_rows_written_piece_by_piece_are_the_rows_written_row_by_row() {
        let name_addr = ["\"Bob\" <", "sip:bob@beta.example", ">"];
        let call_id = ["a1b2", "@", "192.0.2.4"];
        for (from, call_id) in [(&name_addr[..], &call_id[..]), (&[][..], &[][..])] {
            let m = CpimMessage {
                from,
                call_id,
                ..message(b"")
            };
            let (mut pieces, mut rows) = (BytesMut::new(), BytesMut::new());
            let via_at = m.write_rows(&mut pieces);
            assert_eq!(via_at, rows_row_by_row(&m, &mut rows));
            assert_eq!(pieces, rows);
        }
    }

    #[test]
    fn a_body_that_cannot_be_written_gives_its_error() {
        let write = |out: &mut BytesMut| {
            out.extend_from_slice(b"part");
            Err("refused")
        };
        let refused = message(b"").to_outgoing_writing(&mut OwnBuffer, 10, write);
        assert_eq!(refused.err(), Some("refused"));
        let mut layer = layer();
        let refused = message(b"").to_outgoing_writing(&mut layer, 10, write);
        assert_eq!(refused.err(), Some("refused"));
        // What the refused writer left is not part of the next request.
        let next = message(b"body")
            .to_outgoing_writing(&mut layer, 10, |_| Ok::<(), ()>(()))
            .expect("the writer does not fail");
        let expected = message(b"body").to_outgoing();
        let prefix = "Via: SIP/2.0/UDP 192.0.2.1:5060;branch=";
        assert_eq!(
            next.with_via(prefix, "z9hG4bK1"),
            expected.with_via(prefix, "z9hG4bK1")
        );
    }
}
