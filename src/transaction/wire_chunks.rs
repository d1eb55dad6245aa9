//! The bytes a node sends, written back to back into shared chunks.
//!
//! Every message a node sends is held twice: by the transmit the runtime carries (and a
//! simulator's run record keeps) and by the transaction that may send it again (a request until
//! its final response, a final response for timer J). A [`Bytes`] made from a message's own
//! `Vec` costs a second allocation for its shared header, and every message its own buffer.
//! Here each message is written straight into the tail of a chunk ([`WireChunks::written`],
//! [`WireChunks::piece`]: a node's answers, relays and proxied requests) or copied there once
//! from where it was built ([`WireChunks::copy_of`]), and handed out as a view of it: holders
//! of messages of one chunk share its single header and buffer, so a message costs no
//! allocation of its own, and the chunk is freed when the last view of it goes.
//!
//! The price is retention: a chunk lives as long as any message in it. Messages of one chunk
//! are written within a short time of each other and held for about as long (a transaction's
//! lifetime), so chunks are freed in about the order they were filled; the chunk size bounds
//! what one long-held message can keep alive.
//!
//! A node's first chunk is small ([`WIRE_CHUNK_FIRST_BYTES`]) and each next one twice the size
//! of the one before, up to [`WIRE_CHUNK_BYTES`]: a node that sends a handful of messages (a
//! short run, a quiet user agent) does not pay for a full chunk, and a busy one soon works in
//! full chunks.

use crate::node::Bytes;
use bytes::BytesMut;

/// Size of a full chunk of sent messages, in bytes (a message larger than that gets a chunk of
/// its own size).
pub const WIRE_CHUNK_BYTES: usize = 16 * 1024;

/// Size of a node's first chunk of sent messages, in bytes; each next chunk doubles, up to
/// [`WIRE_CHUNK_BYTES`].
pub const WIRE_CHUNK_FIRST_BYTES: usize = 2 * 1024;

/// The chunk a node's next sent message is written into.
#[derive(Debug, Default)]
pub(crate) struct WireChunks {
    /// The unwritten tail of the current chunk (empty before the first message).
    tail: BytesMut,
    /// The size of the chunk started last, in bytes (0 before the first).
    last_chunk_bytes: usize,
}

impl WireChunks {
    /// Starts a new chunk with room for at least `room` bytes: twice the last one's size
    /// (the first [`WIRE_CHUNK_FIRST_BYTES`]), at most [`WIRE_CHUNK_BYTES`], or `room` when
    /// that is more.
    fn start_chunk(&mut self, room: usize) {
        let size = (self.last_chunk_bytes * 2).clamp(WIRE_CHUNK_FIRST_BYTES, WIRE_CHUNK_BYTES);
        self.last_chunk_bytes = size;
        self.tail = BytesMut::with_capacity(size.max(room));
    }

    /// `message`, copied into the current chunk (a new one when it does not fit), as a view
    /// sharing that chunk.
    pub(crate) fn copy_of(&mut self, message: &[u8]) -> Bytes {
        if self.tail.capacity() < message.len() {
            self.start_chunk(message.len());
        }
        self.tail.extend_from_slice(message);
        self.tail.split().freeze()
    }

    /// The message `write` appends to the current chunk's tail (a new chunk first when fewer
    /// than `room` bytes are left), as a view sharing that chunk: no copy and no allocation of
    /// its own. A message longer than `room` is still kept whole (its chunk grows or moves).
    pub(crate) fn written(&mut self, room: usize, write: impl FnOnce(&mut BytesMut)) -> Bytes {
        self.piece(room, write).0.freeze()
    }

    /// [`written`](Self::written), but the message stays writable (a request whose Via row is
    /// written later) and `write`'s result comes back with it; `write` starts on an empty buffer.
    pub(crate) fn piece<R>(
        &mut self,
        room: usize,
        write: impl FnOnce(&mut BytesMut) -> R,
    ) -> (BytesMut, R) {
        if self.tail.capacity() < room {
            self.start_chunk(room);
        }
        // The tail holds nothing unsent: every message is split off once written.
        self.tail.clear();
        let result = write(&mut self.tail);
        (self.tail.split(), result)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_sent_message_keeps_exactly_its_bytes() {
        let mut chunks = WireChunks::default();
        let first = chunks.copy_of(b"SIP/2.0 200 OK\r\n\r\n");
        let second = chunks.copy_of(b"MESSAGE sip:b@x SIP/2.0\r\n\r\n");
        assert_eq!(&first[..], b"SIP/2.0 200 OK\r\n\r\n");
        assert_eq!(&second[..], b"MESSAGE sip:b@x SIP/2.0\r\n\r\n");
    }

    #[test]
    fn messages_of_one_chunk_are_written_back_to_back() {
        let mut chunks = WireChunks::default();
        let first = chunks.copy_of(b"abc");
        let second = chunks.copy_of(b"def");
        assert_eq!(first.as_ptr().wrapping_add(first.len()), second.as_ptr());
    }

    #[test]
    fn a_message_that_does_not_fit_starts_a_new_chunk_and_keeps_its_bytes() {
        let mut chunks = WireChunks::default();
        let filler = vec![b'a'; WIRE_CHUNK_BYTES - 2];
        let first = chunks.copy_of(&filler);
        let second = chunks.copy_of(b"four");
        assert_eq!(&first[..], &filler[..]);
        assert_eq!(&second[..], b"four");
        assert_ne!(first.as_ptr().wrapping_add(first.len()), second.as_ptr());
    }

    #[test]
    fn a_message_larger_than_a_chunk_is_kept_whole() {
        let mut chunks = WireChunks::default();
        let large: Vec<u8> = (0..WIRE_CHUNK_BYTES * 2).map(|i| (i % 251) as u8).collect();
        let copy = chunks.copy_of(&large);
        assert_eq!(&copy[..], &large[..]);
        assert_eq!(&chunks.copy_of(b"next")[..], b"next");
    }

    #[test]
    fn written_messages_share_the_chunk_with_copied_ones() {
        let mut chunks = WireChunks::default();
        let copied = chunks.copy_of(b"SIP/2.0 200 OK\r\n\r\n");
        let written = chunks.written(64, |out| out.extend_from_slice(b"SIP/2.0 202 Accepted\r\n"));
        assert_eq!(&copied[..], b"SIP/2.0 200 OK\r\n\r\n");
        assert_eq!(&written[..], b"SIP/2.0 202 Accepted\r\n");
        assert_eq!(copied.as_ptr().wrapping_add(copied.len()), written.as_ptr());
    }

    #[test]
    fn a_written_message_longer_than_its_room_is_kept_whole() {
        let mut chunks = WireChunks::default();
        let before = chunks.copy_of(&vec![b'a'; WIRE_CHUNK_BYTES - 8]);
        let long: Vec<u8> = (0..WIRE_CHUNK_BYTES + 5).map(|i| (i % 251) as u8).collect();
        let written = chunks.written(4, |out| out.extend_from_slice(&long));
        assert_eq!(&written[..], &long[..]);
        assert_eq!(&before[..], &vec![b'a'; WIRE_CHUNK_BYTES - 8][..]);
        assert_eq!(
            &chunks.written(4, |out| out.extend_from_slice(b"next"))[..],
            b"next"
        );
    }

    #[test]
    fn a_written_message_asking_more_room_than_is_left_starts_a_new_chunk() {
        let mut chunks = WireChunks::default();
        let first = chunks.copy_of(&vec![b'a'; WIRE_CHUNK_BYTES - 100]);
        let second = chunks.written(200, |out| out.extend_from_slice(b"short"));
        assert_eq!(&second[..], b"short");
        assert_ne!(first.as_ptr().wrapping_add(first.len()), second.as_ptr());
    }

    #[test]
    fn a_piece_stays_writable_and_keeps_its_bytes_as_later_messages_follow() {
        let mut chunks = WireChunks::default();
        let (mut piece, len) = chunks.piece(64, |out| {
            out.extend_from_slice(b"....MESSAGE sip:b@x SIP/2.0\r\n");
            out.len()
        });
        let after = chunks.written(8, |out| out.extend_from_slice(b"after"));
        assert_eq!(len, piece.len());
        piece[..4].copy_from_slice(b"Via:");
        assert_eq!(&piece.freeze()[..], b"Via:MESSAGE sip:b@x SIP/2.0\r\n");
        assert_eq!(&after[..], b"after");
    }

    #[test]
    fn a_message_outlives_the_chunks_that_follow() {
        let mut chunks = WireChunks::default();
        let kept = chunks.copy_of(b"kept");
        for _ in 0..3 {
            drop(chunks.copy_of(&vec![b'x'; WIRE_CHUNK_BYTES]));
        }
        assert_eq!(&kept[..], b"kept");
    }

    #[test]
    fn chunks_start_small_and_double_up_to_a_full_chunk() {
        let mut chunks = WireChunks::default();
        let mut sizes = Vec::new();
        for _ in 0..8 {
            chunks.copy_of(b"x");
            sizes.push(chunks.tail.capacity() + 1);
            // Use up the chunk: the next message starts a new one.
            let left = chunks.tail.capacity();
            chunks.copy_of(&vec![b'y'; left]);
        }
        assert_eq!(
            sizes,
            [2048, 4096, 8192, 16384, 16384, 16384, 16384, 16384],
            "first {WIRE_CHUNK_FIRST_BYTES}, doubling to {WIRE_CHUNK_BYTES}"
        );
    }
}
