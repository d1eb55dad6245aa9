//! The exact one-value headers this project's nodes write (see [`node_shapes`]): the CSeq
//! `1 MESSAGE` and the Content-Types `message/cpim` and `message/imdn+xml`, each read from a
//! given byte to where it ends, so that the framing can read them in place
//! ([`node_rows`](crate::sip::node_rows)) and a value can be read whole.
//!
//! [`node_shapes`]: super::node_shapes

use crate::sip::params::Params;
use crate::sip::scalars::{CSeq, MediaType};

/// The method of the CSeq nearly every request and answer of a delivery carries.
const CSEQ_MESSAGE: &[u8] = b" MESSAGE";

/// The method in [`CSEQ_MESSAGE`]: the method of every CSeq [`cseq_at`] reads.
pub(crate) const CSEQ_METHOD: &str = "MESSAGE";

/// Length of the method in [`CSEQ_MESSAGE`].
pub(crate) const CSEQ_METHOD_LEN: usize = CSEQ_MESSAGE.len() - 1;

/// Digits a CSeq number has at most here (every number below 2^31 fits in ten).
const CSEQ_DIGITS_MAX: usize = 10;

/// The largest CSeq number plus one (RFC 3261 section 8.1.1.5: less than 2^31).
const CSEQ_LIMIT: u64 = 1 << 31;

/// The Content-Types nodes write in SIP bodies: a CPIM message, an IMDN document.
const MEDIA_TYPES: [&[u8]; 2] = [b"message/cpim", b"message/imdn+xml"];

/// Where the subtype starts in a [`MEDIA_TYPES`] entry (after `message/`).
const MEDIA_SUBTYPE_AT: usize = 8;

/// The number of the CSeq `number MESSAGE` that starts at `b[from]` (one to ten digits, below
/// 2^31) and where it ends; the caller checks what follows (the end of the text, or the row's
/// CR).
#[inline(always)]
pub(crate) fn cseq_at(b: &[u8], from: usize) -> Option<(u32, usize)> {
    let mut number = 0u64;
    let mut i = from;
    while let Some(&d) = b.get(i).filter(|d| d.is_ascii_digit()) {
        if i - from == CSEQ_DIGITS_MAX {
            return None;
        }
        number = number * 10 + u64::from(d - b'0');
        i += 1;
    }
    let end = i + CSEQ_MESSAGE.len();
    if i == from || b.get(i..end) != Some(CSEQ_MESSAGE) || number >= CSEQ_LIMIT {
        return None;
    }
    Some((u32::try_from(number).ok()?, end))
}

/// `number MESSAGE` with a number of one to ten digits below 2^31, as
/// [`quick::cseq`](super::cseq) reads it.
#[inline]
pub(crate) fn cseq(text: &str) -> Option<CSeq<'_>> {
    let (number, end) = cseq_at(text.as_bytes(), 0)?;
    (end == text.len()).then_some(())?;
    Some(CSeq {
        number,
        method: text.get(end - CSEQ_METHOD_LEN..)?,
    })
}

/// `message/cpim` or `message/imdn+xml`, as [`quick::media_type`](super::media_type) reads it.
#[inline]
pub(crate) fn media_type(text: &str) -> Option<MediaType<'_>> {
    if !MEDIA_TYPES.contains(&text.as_bytes()) {
        return None;
    }
    Some(MediaType {
        kind: text.get(..MEDIA_SUBTYPE_AT - 1)?,
        subtype: text.get(MEDIA_SUBTYPE_AT..)?,
        params: Params::default(),
    })
}

/// Whether [`media_type`] takes `text` (nothing is sliced).
#[inline]
pub(crate) fn is_media_type(text: &str) -> bool {
    MEDIA_TYPES.contains(&text.as_bytes())
}

/// The subtypes of the Content-Types nodes write, in their order (all of type `message`).
const MEDIA_SUBTYPES: [&str; 2] = ["cpim", "imdn+xml"];

// Each entry is `message/` and its subtype, and their lengths differ.
const _: () = assert!(
    MEDIA_TYPES[0].len() == MEDIA_SUBTYPE_AT + MEDIA_SUBTYPES[0].len()
        && MEDIA_TYPES[1].len() == MEDIA_SUBTYPE_AT + MEDIA_SUBTYPES[1].len()
        && MEDIA_TYPES[0].len() != MEDIA_TYPES[1].len()
);

/// The Content-Type a node writes that is `len` bytes long, as [`media_type`] reads its text,
/// for a value known to be one of them (a row [`media_type_end`] proved): the entries differ
/// in length, so the length names the entry, and its words are given as constants instead of
/// slices of the row. `None` for any other length.
pub(crate) fn media_type_of_len(len: usize) -> Option<MediaType<'static>> {
    let subtype = MEDIA_SUBTYPES
        .iter()
        .find(|s| MEDIA_SUBTYPE_AT + s.len() == len)?;
    Some(MediaType {
        kind: "message",
        subtype,
        params: Params::default(),
    })
}

/// Where the Content-Type a node writes ends when it starts at `b[from]`; the caller checks
/// what follows (the end of the text, or the row's CR).
#[inline]
pub(crate) fn media_type_end(b: &[u8], from: usize) -> Option<usize> {
    let rest = b.get(from..)?;
    MEDIA_TYPES
        .iter()
        .find(|t| rest.starts_with(t))
        .map(|t| from + t.len())
}
