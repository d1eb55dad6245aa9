//! The CPIM header block exactly as this project's nodes write it (RFC 5438 section 7.1 and
//! 7.2.1), read line by line against a fixed table of the line shapes they use: `From`, `To`,
//! `DateTime`, the one `NS: imdn <urn:ietf:params:imdn>` declaration, and the `imdn.`
//! headers `Message-ID`, `Disposition-Notification`, `Original-To`, `IMDN-Record-Route` and
//! `IMDN-Route`.
//!
//! Each line's name, with its `": "`, is compared as one byte string; its value is read by the
//! one reader its header needs (an address, a date-time, a token, a disposition list), which
//! also proves the value valid; the default namespace stays the CPIM one and the only prefix
//! is `imdn`, bound to the IMDN namespace by that exact `NS` line. So each header's namespace,
//! whether it may appear once, and its value check are known from the table row, without
//! resolving names or matching them as strings.
//!
//! Each line is handed on with its table row ([`NodeHeader`]) and, for an address, where its
//! `<` is, so a caller that gathers fields (the recipient's headers) needs no second pass.
//!
//! Any line outside these shapes, a prefix used before its declaration, a repeated single
//! header or a block past the header limit gives `None`: the caller then reads the whole block
//! again with the general reader, which names any error and its offset. On a block this reader
//! accepts, the general reader accepts it with the very same headers and entity offset (the
//! differential tests in `node_block_tests` check it), so no verdict can change.

use crate::cpim::address::Address;
use crate::cpim::datetime::is_rfc3339_date_time;
use crate::cpim::disposition::DispositionSet;
use crate::cpim::grammar::{ascii_token_len, first_non_printable_ascii};
use crate::cpim::header::Header;
use crate::cpim::limits::{CPIM_HEADER_COUNT_MAX, HEADER_LINE_BYTES_MAX};
use crate::cpim::plain_address::{plain_address_span, sip_address_span};
use crate::cpim::{CPIM_HEADERS_NS, IMDN_NS};

/// The one `NS` line nodes write, with its CRLF: binds `imdn` to the IMDN namespace.
pub(super) const IMDN_NS_LINE: &[u8] = b"NS: imdn <urn:ietf:params:imdn>\r\n";

/// Where the `NS` line's name ends (before `": "`).
const NS_NAME_END: usize = 2;

/// Where the `NS` line's value starts (after `"NS: "`).
const NS_VALUE_AT: usize = NS_NAME_END + 2;

/// Where the `NS` line's value ends: before `CRLF`.
const NS_VALUE_END: usize = IMDN_NS_LINE.len() - 2;

/// Where the namespace URI ends in the `NS` line: before `">" CRLF`.
const NS_URI_END: usize = NS_VALUE_END - 1;

/// Where the namespace URI starts in the `NS` line.
const NS_URI_AT: usize = NS_URI_END - IMDN_NS.len();

/// The prefix nodes declare, with its dot.
const IMDN_PREFIX: &[u8] = b"imdn.";

/// How a header's value is read and proved valid.
#[derive(Clone, Copy)]
enum Value {
    /// A CPIM address in the common shape (RFC 3862 section 3.4).
    Address,
    /// An RFC 3339 `date-time` (RFC 3862 section 4.4).
    DateTime,
    /// A `Token` of ASCII bytes (RFC 5438 section 6.3).
    Token,
    /// A disposition list (RFC 5438 section 6.2).
    Dispositions,
}

/// Which header of the table a line is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum NodeHeader {
    /// `From` (RFC 3862 section 4.1).
    From,
    /// `To` (RFC 3862 section 4.2).
    To,
    /// `DateTime` (RFC 3862 section 4.4).
    DateTime,
    /// The one `NS: imdn <urn:ietf:params:imdn>` line (RFC 3862 section 4.6).
    Ns,
    /// `imdn.Message-ID` (RFC 5438 section 6.3).
    MessageId,
    /// `imdn.Disposition-Notification` (RFC 5438 section 6.2).
    DispositionNotification,
    /// `imdn.Original-To` (RFC 5438 section 6.4).
    OriginalTo,
    /// `imdn.IMDN-Record-Route` (RFC 5438 section 6.5).
    ImdnRecordRoute,
    /// `imdn.IMDN-Route` (RFC 5438 section 6.6).
    ImdnRoute,
}

/// One header line the node-shape reader took: the header, which table row it is, and for an
/// address header where its `<` is in the value (so the address is cut without a search).
#[derive(Clone, Copy, Debug)]
pub(super) struct NodeLine<'a> {
    /// The header, exactly as the general reader gives it.
    pub(super) header: Header<'a>,
    /// Its table row.
    pub(super) kind: NodeHeader,
    /// Where the value's `<` is (an address header; 0 for the others).
    lt: usize,
}

impl<'a> NodeLine<'a> {
    /// The address an address header's value holds: what [`Address::of_checked`] cuts from it.
    pub(super) fn address(&self) -> Address<'a> {
        let value = self.header.value_raw;
        Address {
            formal_name_raw: match self.lt {
                0 => None,
                lt => value.get(..lt - 1),
            },
            uri: value
                .get(self.lt + 1..value.len().saturating_sub(1))
                .unwrap_or_default(),
        }
    }
}

/// One line shape: the name with its `": "` (prefix and dot included), how its value is read,
/// its bit among the headers that may appear once (0 for those that may repeat), and which
/// header it is.
struct Shape {
    head: &'static [u8],
    value: Value,
    single: u8,
    kind: NodeHeader,
}

/// The unprefixed headers nodes write, in the CPIM namespace (RFC 3862 section 4).
const CPIM_SHAPES: [Shape; 3] = [
    Shape {
        head: b"From: ",
        value: Value::Address,
        single: 1,
        kind: NodeHeader::From,
    },
    Shape {
        head: b"To: ",
        value: Value::Address,
        single: 0,
        kind: NodeHeader::To,
    },
    Shape {
        head: b"DateTime: ",
        value: Value::DateTime,
        single: 1 << 1,
        kind: NodeHeader::DateTime,
    },
];

/// The `imdn.` headers nodes write, in the IMDN namespace (RFC 5438 section 6).
const IMDN_SHAPES: [Shape; 5] = [
    Shape {
        head: b"imdn.Message-ID: ",
        value: Value::Token,
        single: 1 << 2,
        kind: NodeHeader::MessageId,
    },
    Shape {
        head: b"imdn.Disposition-Notification: ",
        value: Value::Dispositions,
        single: 0,
        kind: NodeHeader::DispositionNotification,
    },
    Shape {
        head: b"imdn.Original-To: ",
        value: Value::Address,
        single: 1 << 3,
        kind: NodeHeader::OriginalTo,
    },
    Shape {
        head: b"imdn.IMDN-Record-Route: ",
        value: Value::Address,
        single: 0,
        kind: NodeHeader::ImdnRecordRoute,
    },
    Shape {
        head: b"imdn.IMDN-Route: ",
        value: Value::Address,
        single: 0,
        kind: NodeHeader::ImdnRoute,
    },
];

/// Reads the header block of `checked` (the body's UTF-8 prefix) when every line has a node
/// shape, handing each line to `keep` in order; returns the offset of the encapsulated
/// entity. `None` (possibly after some lines were handed on) sends the block to the general
/// reader.
pub(super) fn read_node_block<'a>(
    checked: &'a str,
    mut keep: impl FnMut(NodeLine<'a>),
) -> Option<usize> {
    let bytes = checked.as_bytes();
    let mut pos = 0;
    let mut count = 0;
    let mut singles = 0u8;
    let mut imdn_uri: Option<&'a str> = None;
    loop {
        let line = bytes.get(pos..)?;
        if line.starts_with(b"\r\n") {
            return Some(pos + 2);
        }
        if count == CPIM_HEADER_COUNT_MAX {
            return None;
        }
        let (taken, next) = if line.first() == Some(&b'N') {
            if !line.starts_with(IMDN_NS_LINE) {
                return None;
            }
            let uri = checked.get(pos + NS_URI_AT..pos + NS_URI_END)?;
            imdn_uri = Some(uri);
            let header = Header {
                prefix: None,
                name: checked.get(pos..pos + NS_NAME_END)?,
                namespace: CPIM_HEADERS_NS,
                params_raw: "",
                value_raw: checked.get(pos + NS_VALUE_AT..pos + NS_VALUE_END)?,
                offset: pos,
            };
            let kind = NodeHeader::Ns;
            (
                NodeLine {
                    header,
                    kind,
                    lt: 0,
                },
                pos + IMDN_NS_LINE.len(),
            )
        } else {
            let (shape, namespace, name_at) = match line.first() {
                Some(b'i') => (imdn_shape(line)?, imdn_uri?, IMDN_PREFIX.len()),
                _ => (cpim_shape(line)?, CPIM_HEADERS_NS, 0),
            };
            if singles & shape.single != 0 {
                return None;
            }
            singles |= shape.single;
            let value_at = shape.head.len();
            let (len, lt) = value_len(line.get(value_at..)?, shape.value)?;
            let end = value_at + len;
            if line.get(end..end + 2) != Some(b"\r\n") || end > HEADER_LINE_BYTES_MAX {
                return None;
            }
            // The line is ASCII through `end`: cut once, then split.
            let text = checked.get(pos..pos + end)?;
            let value_raw = text.get(value_at..)?;
            if !is_valid(value_raw, shape.value) {
                return None;
            }
            let header = Header {
                prefix: match name_at {
                    0 => None,
                    _ => Some(text.get(..name_at - 1)?),
                },
                name: text.get(name_at..value_at - 2)?,
                namespace,
                params_raw: "",
                value_raw,
                offset: pos,
            };
            let kind = shape.kind;
            (NodeLine { header, kind, lt }, pos + end + 2)
        };
        keep(taken);
        count += 1;
        pos = next;
    }
}

/// The unprefixed shape `line` starts with. Inlined: its work is a few compares, about what
/// a call costs.
#[inline(always)]
fn cpim_shape(line: &[u8]) -> Option<&'static Shape> {
    let first = *line.first()?;
    CPIM_SHAPES
        .iter()
        .find(|s| s.head.first() == Some(&first) && line.starts_with(s.head))
}

/// The `imdn.` shape `line` (which starts with the prefix) starts with. Inlined: its work
/// is a few compares, about what a call costs.
#[inline(always)]
fn imdn_shape(line: &[u8]) -> Option<&'static Shape> {
    let first = *line.get(IMDN_PREFIX.len())?;
    IMDN_SHAPES
        .iter()
        .find(|s| s.head.get(IMDN_PREFIX.len()) == Some(&first) && line.starts_with(s.head))
}

/// The length of the value of this kind that starts `rest`, up to the first byte that cannot
/// belong to it (the caller checks for the CRLF there), and for an address where its `<` is
/// (0 for the others); `None` when no such value starts it. Addresses and tokens are proved
/// valid here, the others by [`is_valid`].
fn value_len(rest: &[u8], value: Value) -> Option<(usize, usize)> {
    match value {
        Value::Address => sip_address_span(rest)
            .or_else(|| plain_address_span(rest))
            .map(|(lt, gt)| (gt + 1, lt)),
        Value::Token => {
            // A run to the very end has nothing after it to end the line.
            let len = ascii_token_len(rest);
            (len > 0 && len < rest.len()).then_some((len, 0))
        }
        Value::DateTime | Value::Dispositions => Some((first_non_printable_ascii(rest)?, 0)),
    }
}

/// Whether the value [`value_len`] cut is valid for its header.
fn is_valid(text: &str, value: Value) -> bool {
    match value {
        Value::Address | Value::Token => true,
        Value::DateTime => is_rfc3339_date_time(text),
        Value::Dispositions => {
            let plain = !text.starts_with(' ') && !text.ends_with(' ');
            plain && DispositionSet::parse(text).is_some()
        }
    }
}

#[cfg(test)]
#[path = "node_block_tests.rs"]
mod tests;
