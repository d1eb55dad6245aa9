//! The borrowed view of a whole Message/CPIM body (RFC 3862 section 2) and its parser: the
//! header block is read by `node_block` when every line has a shape this project's nodes write,
//! else by `header_block` (the general reader, which names every error); the encapsulated MIME
//! object by `entity`; the view's accessors find headers by name and namespace.

mod entity;
mod entity_view;
mod header_block;
mod im_headers;
mod node_block;
mod node_block_agreement;
mod route_uris;

use super::address::Address;
use super::disposition::DispositionSet;
use super::header::Header;
use super::limits::CPIM_MESSAGE_BYTES_MAX;
use super::mime::{self, MimeHeader};
use super::{CpimError, CpimErrorKind, CPIM_HEADERS_NS, IMDN_NS};
use entity::parse_entity;
use entity_view::MimeRowsHeld;
pub(crate) use entity_view::{CpimEntity, EncapsulatedObject};
use header_block::{parse_header_block, parse_ns, same_namespace, utf8_prefix};
pub(crate) use im_headers::ImHeaders;
use node_block::read_node_block;
pub(crate) use node_block_agreement::assert_node_block_agrees;
use std::borrow::Cow;

/// A parsed Message/CPIM body: header block, then the encapsulated MIME entity. Zero-copy.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Cpim<'a> {
    /// The CPIM message headers in wire order.
    pub headers: Vec<Header<'a>>,
    /// The MIME headers of the encapsulated entity in wire order.
    pub mime_headers: Vec<MimeHeader<'a>>,
    /// The content bytes, exactly as sent (never trimmed).
    pub content: &'a [u8],
    /// Byte offset of the content in the body.
    pub content_offset: usize,
    /// The longest prefix of the content the body's one UTF-8 check covered (all of it for a
    /// body of a few KiB): a reader of the content (an IMDN document) need not check it again.
    pub(crate) content_checked: &'a str,
}

/// Parses a Message/CPIM body (RFC 3862 section 2): everything after the SIP header section.
pub fn parse(input: &[u8]) -> Result<Cpim<'_>, CpimError> {
    check_size(input)?;
    let mut headers = Vec::with_capacity(HEADERS_EXPECTED);
    let checked = utf8_prefix(input);
    // A block in the shapes nodes write is read by their table; any other by the general
    // reader, from the start again (it names every error and its offset).
    let node_block = read_node_block(checked, |line| headers.push(line.header));
    let mime_start = match node_block {
        Some(at) => at,
        None => {
            headers.clear();
            parse_header_block(input, checked, |h| headers.push(h))?
        }
    };
    let (mime_headers, content, content_offset) = parse_entity(input, checked, mime_start)?;
    Ok(Cpim {
        headers,
        mime_headers,
        content,
        content_offset,
        content_checked: checked.get(content_offset..).unwrap_or_default(),
    })
}

/// [`parse`] for a recipient: the encapsulated object and the headers it acts on
/// ([`Cpim::im_headers`]), with no list of header rows. When every line has a node shape the
/// fields are gathered while the block is read (each line's table row says which field it
/// fills, and an address is cut where the reader found it); else the general reader's rows
/// give them. Same verdict as `parse`, and on success the entity and fields of the same `Cpim`.
pub(crate) fn parse_im(input: &[u8]) -> Result<(CpimEntity<'_>, ImHeaders<'_>), CpimError> {
    check_size(input)?;
    let checked = utf8_prefix(input);
    let mut im = ImHeaders::default();
    let mime_start = match read_node_block(checked, |line| im.take_node_line(&line)) {
        Some(at) => {
            im.ascii_uris = true;
            at
        }
        None => {
            // The general reader, from the start again: what the node-shape reader saw is
            // forgotten, and the rows the general reader keeps give the fields.
            let mut headers = Vec::with_capacity(HEADERS_EXPECTED);
            let at = parse_header_block(input, checked, |h| headers.push(h))?;
            im = ImHeaders::of(&headers);
            at
        }
    };
    let (mime_headers, content, content_offset) = parse_entity(input, checked, mime_start)?;
    let entity = CpimEntity {
        mime_headers,
        content,
        content_offset,
        content_checked: checked.get(content_offset..).unwrap_or_default(),
    };
    Ok((entity, im))
}

/// Checks a Message/CPIM body exactly as [`parse`] does, without keeping its headers: what a
/// builder runs on its own serialization.
pub(crate) fn check(input: &[u8]) -> Result<(), CpimError> {
    check_size(input)?;
    let checked = utf8_prefix(input);
    let mime_start = parse_header_block(input, checked, |_| {})?;
    parse_entity::<MimeRowsHeld<'_>>(input, checked, mime_start).map(|_| ())
}

fn check_size(input: &[u8]) -> Result<(), CpimError> {
    if input.len() > CPIM_MESSAGE_BYTES_MAX {
        return Err(CpimError::new(
            CpimErrorKind::MessageTooLarge,
            CPIM_MESSAGE_BYTES_MAX,
        ));
    }
    Ok(())
}

/// Header rows room is made for at once: an IM or IMDN of RFC 5438 has eight or fewer, so one
/// allocation usually holds the block. The room is kept under `HEADER_ROWS_BYTES_EXPECTED`:
/// a first allocation beyond about 1 KiB leaves the allocator's per-thread cache (glibc's
/// tcache) and costs more than parsing a header line.
const HEADERS_EXPECTED: usize = HEADER_ROWS_BYTES_EXPECTED / std::mem::size_of::<Header<'static>>();
/// Bytes of header rows allocated at once (see `HEADERS_EXPECTED`).
const HEADER_ROWS_BYTES_EXPECTED: usize = 1000;

fn in_ns(header: &Header<'_>, ns: &str, name: &str) -> bool {
    header.name == name && same_namespace(header.namespace, ns)
}

impl<'a> Cpim<'a> {
    /// Every header with this name in this namespace, in order (names are case-sensitive).
    pub fn headers_in(
        &self,
        namespace: &'a str,
        name: &'a str,
    ) -> impl Iterator<Item = &Header<'a>> {
        self.headers
            .iter()
            .filter(move |h| in_ns(h, namespace, name))
    }

    /// The first header with this name in this namespace.
    pub fn header_in(&self, namespace: &str, name: &str) -> Option<&Header<'a>> {
        self.headers.iter().find(|h| in_ns(h, namespace, name))
    }

    fn addresses(
        &self,
        namespace: &'a str,
        name: &'a str,
    ) -> impl Iterator<Item = Address<'a>> + '_ {
        self.headers_in(namespace, name)
            .filter_map(|h| Address::parse(h.value_raw).ok())
    }

    /// `From`: the sender.
    pub fn from(&self) -> Option<Address<'a>> {
        self.addresses(CPIM_HEADERS_NS, "From").next()
    }

    /// `To`: the recipients (the header may repeat).
    pub fn to(&self) -> impl Iterator<Item = Address<'a>> + '_ {
        self.addresses(CPIM_HEADERS_NS, "To")
    }

    /// `cc`: courtesy recipients.
    pub fn cc(&self) -> impl Iterator<Item = Address<'a>> + '_ {
        self.addresses(CPIM_HEADERS_NS, "cc")
    }

    /// `DateTime`: the sender's send time (RFC 3339).
    pub fn datetime(&self) -> Option<&'a str> {
        self.header_in(CPIM_HEADERS_NS, "DateTime")
            .map(|h| h.value_raw)
    }

    /// `Subject` values in order with their `lang` parameter, escapes decoded.
    pub fn subjects(&self) -> impl Iterator<Item = (Option<&'a str>, Cow<'a, str>)> + '_ {
        self.headers_in(CPIM_HEADERS_NS, "Subject")
            .map(|h| (h.lang(), h.value()))
    }

    /// `Require`: header names the receiver must understand.
    pub fn require(&self) -> impl Iterator<Item = &'a str> + '_ {
        self.headers_in(CPIM_HEADERS_NS, "Require")
            .flat_map(|h| h.value_raw.split(',').map(|n| n.trim_matches(' ')))
    }

    /// `NS` declarations in order: (prefix or `None` for the default namespace, URI).
    pub fn namespaces(&self) -> impl Iterator<Item = (Option<&'a str>, &'a str)> + '_ {
        self.headers_in(CPIM_HEADERS_NS, "NS")
            .filter_map(|h| parse_ns(h.value_raw))
    }

    /// `imdn.Message-ID` (RFC 5438 section 6.3).
    pub fn message_id(&self) -> Option<&'a str> {
        self.header_in(IMDN_NS, "Message-ID").map(|h| h.value_raw)
    }

    /// `imdn.Disposition-Notification`: the union of every such header; empty when absent.
    pub fn disposition_notification(&self) -> DispositionSet {
        self.headers_in(IMDN_NS, "Disposition-Notification")
            .filter_map(|h| DispositionSet::parse(h.value_raw))
            .flat_map(DispositionSet::iter)
            .collect()
    }

    /// `imdn.Original-To`: the recipient before an intermediary rewrote `To`.
    pub fn original_to(&self) -> Option<Address<'a>> {
        self.addresses(IMDN_NS, "Original-To").next()
    }

    /// `imdn.IMDN-Record-Route` entries, top first.
    pub fn imdn_record_route(&self) -> impl Iterator<Item = Address<'a>> + '_ {
        self.addresses(IMDN_NS, "IMDN-Record-Route")
    }

    /// `imdn.IMDN-Route` entries, top first.
    pub fn imdn_route(&self) -> impl Iterator<Item = Address<'a>> + '_ {
        self.addresses(IMDN_NS, "IMDN-Route")
    }

    /// The first MIME header of the encapsulated entity with this name (case-insensitive).
    pub fn mime_header(&self, name: &str) -> Option<&'a str> {
        mime::find(&self.mime_headers, name).map(|h| h.value)
    }

    /// `Content-Type` of the encapsulated entity.
    pub fn content_type(&self) -> Option<&'a str> {
        self.mime_header("Content-Type")
    }

    /// `Content-Disposition` of the encapsulated entity (`notification` for an IMDN).
    pub fn content_disposition(&self) -> Option<&'a str> {
        self.mime_header("Content-Disposition")
    }

    /// `Content-ID` of the encapsulated entity.
    pub fn content_id(&self) -> Option<&'a str> {
        self.mime_header("Content-ID")
    }
}

#[cfg(test)]
mod tests;
