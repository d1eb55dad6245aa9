//! The encapsulated MIME object of a parsed Message/CPIM body on its own ([`CpimEntity`]):
//! what a recipient reads besides the headers it acts on, so that it keeps no list of header
//! rows; and what a reader of the object asks of it, whether it has that or a whole [`Cpim`]
//! ([`EncapsulatedObject`]).

use super::Cpim;
use crate::cpim::mime::{self, MimeHeader};

/// The encapsulated object of a body [`parse_im`](super::parse_im) read: each field is the
/// same-named field of the [`Cpim`] [`parse`](super::parse) gives for that body.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct CpimEntity<'a> {
    /// The MIME headers of the encapsulated entity in wire order.
    pub(crate) mime_headers: Vec<MimeHeader<'a>>,
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

impl<'a> EncapsulatedObject<'a> for Cpim<'a> {
    fn mime_headers(&self) -> &[MimeHeader<'a>] {
        &self.mime_headers
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

impl<'a> EncapsulatedObject<'a> for CpimEntity<'a> {
    fn mime_headers(&self) -> &[MimeHeader<'a>] {
        &self.mime_headers
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

impl<'a> Cpim<'a> {
    /// Its encapsulated object alone: what [`parse_im`](super::parse_im) gives for the body.
    #[cfg(test)]
    pub(crate) fn entity(&self) -> CpimEntity<'a> {
        CpimEntity {
            mime_headers: self.mime_headers.clone(),
            content: self.content,
            content_offset: self.content_offset,
            content_checked: self.content_checked,
        }
    }
}
