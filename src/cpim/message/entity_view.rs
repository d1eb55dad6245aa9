//! The encapsulated MIME object of a parsed Message/CPIM body on its own ([`CpimEntity`]):
//! what a recipient reads besides the headers it acts on, so that it keeps no list of header
//! rows; and what a reader of the object asks of it, whether it has that or a whole [`Cpim`]
//! ([`EncapsulatedObject`]).

use super::entity::{MimeRows, NODE_MIME_HEADERS_EXPECTED};
use super::Cpim;
use crate::cpim::mime::{self, MimeHeader};

/// The encapsulated object of a body [`parse_im`](super::parse_im) read: each field is the
/// same-named field of the [`Cpim`] [`parse`](super::parse) gives for that body.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct CpimEntity<'a> {
    /// The MIME headers of the encapsulated entity in wire order.
    pub(crate) mime_headers: MimeRowsHeld<'a>,
    /// The content bytes, exactly as sent (never trimmed).
    pub(crate) content: &'a [u8],
    /// Byte offset of the content in the body.
    pub(crate) content_offset: usize,
    /// The longest prefix of the content the body's one UTF-8 check covered.
    pub(crate) content_checked: &'a str,
}

/// What a reader of the encapsulated object (an IMDN reader, a test for a notification) asks
/// of a parsed body, whole ([`Cpim`]) or not ([`CpimEntity`]).
pub(crate) trait EncapsulatedObject<'a> {
    /// The MIME headers in wire order.
    fn mime_headers(&self) -> &[MimeHeader<'a>];
    /// The content bytes.
    fn content(&self) -> &'a [u8];
    /// Byte offset of the content in the body.
    fn content_offset(&self) -> usize;
    /// The prefix of the content known to be UTF-8.
    fn content_checked(&self) -> &'a str;

    /// The first MIME header with this name (case-insensitive), as [`Cpim::mime_header`].
    fn mime_value(&self, name: &str) -> Option<&'a str> {
        mime::find(self.mime_headers(), name).map(|h| h.value)
    }
}

/// Implements [`EncapsulatedObject`] for readings that hold the encapsulated object in fields
/// of the same names (`mime_headers`, `content`, `content_offset`, `content_checked`).
macro_rules! encapsulated_object_fields {
    ($($reading:ident),+) => {$(
        impl<'a> EncapsulatedObject<'a> for $reading<'a> {
            fn mime_headers(&self) -> &[MimeHeader<'a>] {
                self.mime_headers.as_slice()
            }

            fn content(&self) -> &'a [u8] {
                self.content
            }

            fn content_offset(&self) -> usize {
                self.content_offset
            }

            fn content_checked(&self) -> &'a str {
                self.content_checked
            }
        }
    )+};
}

encapsulated_object_fields!(Cpim, CpimEntity);

impl<'a> Cpim<'a> {
    /// Its encapsulated object alone: what [`parse_im`](super::parse_im) gives for the body.
    #[cfg(test)]
    pub(crate) fn entity(&self) -> CpimEntity<'a> {
        CpimEntity {
            mime_headers: MimeRowsHeld::from(self.mime_headers.clone()),
            content: self.content,
            content_offset: self.content_offset,
            content_checked: self.content_checked,
        }
    }
}

/// A header the rows held in place start as (never read: only the first `len` rows are).
const NO_ROW: MimeHeader<'static> = MimeHeader {
    name: "",
    value: "",
    offset: 0,
};

/// The MIME headers of a [`CpimEntity`]: held in place when there are as few as nodes write
/// (no allocation for the one or two of an IM or an IMDN), else in a `Vec`.
#[derive(Clone, Debug)]
pub(crate) enum MimeRowsHeld<'a> {
    /// The first `len` rows.
    Few {
        rows: [MimeHeader<'a>; NODE_MIME_HEADERS_EXPECTED],
        len: usize,
    },
    /// More than fit in place.
    Many(Vec<MimeHeader<'a>>),
}

impl<'a> From<Vec<MimeHeader<'a>>> for MimeRowsHeld<'a> {
    fn from(rows: Vec<MimeHeader<'a>>) -> Self {
        MimeRowsHeld::Many(rows)
    }
}

impl<'a> MimeRows<'a> for MimeRowsHeld<'a> {
    fn with_room(_: usize) -> Self {
        MimeRowsHeld::Few {
            rows: [NO_ROW; NODE_MIME_HEADERS_EXPECTED],
            len: 0,
        }
    }

    fn push(&mut self, header: MimeHeader<'a>) {
        match self {
            MimeRowsHeld::Few { rows, len } => match rows.get_mut(*len) {
                Some(slot) => {
                    *slot = header;
                    *len += 1;
                }
                None => {
                    let mut many = Vec::with_capacity(*len * 2);
                    many.extend_from_slice(rows);
                    many.push(header);
                    *self = MimeRowsHeld::Many(many);
                }
            },
            MimeRowsHeld::Many(rows) => rows.push(header),
        }
    }

    fn as_slice(&self) -> &[MimeHeader<'a>] {
        match self {
            MimeRowsHeld::Few { rows, len } => rows.get(..*len).unwrap_or_default(),
            MimeRowsHeld::Many(rows) => rows,
        }
    }
}

/// Rows are equal when they hold the same headers in the same order, in place or not.
impl PartialEq for MimeRowsHeld<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.as_slice() == other.as_slice()
    }
}

impl Eq for MimeRowsHeld<'_> {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_held_in_place_or_not_are_the_rows_pushed_in_order() {
        let row = |i: usize| MimeHeader {
            name: "Content-Type",
            value: "text/plain",
            offset: i,
        };
        for count in 0..=NODE_MIME_HEADERS_EXPECTED * 3 {
            let mut held = MimeRowsHeld::with_room(NODE_MIME_HEADERS_EXPECTED);
            let mut pushed = Vec::with_room(NODE_MIME_HEADERS_EXPECTED);
            for i in 0..count {
                held.push(row(i));
                MimeRows::push(&mut pushed, row(i));
            }
            assert_eq!(held.as_slice(), pushed.as_slice());
            assert_eq!(held, MimeRowsHeld::from(pushed));
            let in_place = matches!(held, MimeRowsHeld::Few { .. });
            assert_eq!(in_place, count <= NODE_MIME_HEADERS_EXPECTED);
        }
    }
}
