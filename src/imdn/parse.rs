//! Decoding `message/imdn+xml` with roxmltree under this module's limits.
//!
//! Order of defences: the byte size is checked first; a document in the writer's own layout
//! is then read by comparing its markup whole (see `written`), one in the plain form in one
//! pass (see `plain`), and any other is checked for UTF-8, then roxmltree parses with
//! DTDs refused (so no entity can be declared, let alone expanded) and a node limit; roxmltree
//! 0.21.2 parses element content iteratively, and the nesting depth is checked on the finished
//! tree. Elements of other namespaces are extension elements and are skipped; elements of the
//! IMDN namespace must be the ones section 11.1 defines, each at most once (order not checked).

use super::limits::{IMDN_DOCUMENT_BYTES_MAX, IMDN_XML_DEPTH_MAX, IMDN_XML_NODES_MAX};
use super::model::{DispositionNotification, Notification};
use super::xml::DocumentFields;
use super::{ImdnError, ImdnErrorKind, IMDN_XML_NS};
use crate::cpim::is_rfc3339_date_time;
use roxmltree::{Document, Node, ParsingOptions};

/// Parses an IMDN document.
///
/// A document in the plain form is read in one pass without a tree (the crate-private `plain`
/// reader); any other goes through the full XML parser, which also gives every error.
pub fn parse(input: &[u8]) -> Result<DispositionNotification, ImdnError> {
    parse_document(input).map(ImdnDocument::into_notification)
}

/// An IMDN document as read: a plain one lends its fields from the input, any other was
/// decoded by the full parser into its own.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum ImdnDocument<'a> {
    /// Read in the writer's own layout, and byte for byte the document the writer writes for
    /// its fields: a role that passes it on may copy `bytes` instead of writing it again.
    Written {
        /// Every field, a slice of `bytes`.
        fields: DocumentFields<'a>,
        /// The whole document.
        bytes: &'a [u8],
    },
    /// Read by a one-pass reader: every field a slice of the document.
    Plain(DocumentFields<'a>),
    /// Decoded by the full XML parser.
    Full(DispositionNotification),
}

impl ImdnDocument<'_> {
    /// The document's fields, borrowed.
    pub(crate) fn fields(&self) -> DocumentFields<'_> {
        match self {
            Self::Written { fields, .. } | Self::Plain(fields) => *fields,
            Self::Full(notification) => notification.fields(),
        }
    }

    /// The notification with its own copy of every field: what [`parse`] gives.
    pub(crate) fn into_notification(self) -> DispositionNotification {
        match self {
            Self::Written { fields, .. } | Self::Plain(fields) => fields.into_notification(),
            Self::Full(notification) => notification,
        }
    }
}

/// [`parse`] lending the fields of a plain document instead of copying them: the same
/// verdict, error and notification for every input.
pub(crate) fn parse_document(input: &[u8]) -> Result<ImdnDocument<'_>, ImdnError> {
    parse_document_in(input, "")
}

/// [`parse_document`] of `input` whose prefix `checked` a caller's UTF-8 check already
/// covered: the same answer, with no UTF-8 check of the document's own within that prefix
/// where the writer's layout reads it.
pub(crate) fn parse_document_in<'a>(
    input: &'a [u8],
    checked: &'a str,
) -> Result<ImdnDocument<'a>, ImdnError> {
    if input.len() > IMDN_DOCUMENT_BYTES_MAX {
        return Err(ImdnError::new(
            ImdnErrorKind::DocumentTooLarge,
            IMDN_DOCUMENT_BYTES_MAX,
        ));
    }
    // The writer's own layout first (constant markup compared whole), then the plain form.
    let fields = match super::written::read_written_as(input, checked) {
        Some((fields, true)) => {
            return Ok(ImdnDocument::Written {
                fields,
                bytes: input,
            })
        }
        Some((fields, false)) => Some(fields),
        None => super::plain::read_fields(input),
    };
    match fields {
        Some(fields) => Ok(ImdnDocument::Plain(fields)),
        None => parse_full(input).map(ImdnDocument::Full),
    }
}

/// A document in the writer's own layout at the start of `input` (a part of an aggregate,
/// with the rest of the body after it), and its length: what [`parse_document`] gives for
/// exactly those bytes. `None` when no such document starts `input`, or it is over the size
/// limit; the caller then finds where the document ends and asks [`parse_document`].
/// `checked` is a prefix of `input` known to be UTF-8, as for [`parse_document_in`].
pub(crate) fn parse_written_prefix<'a>(
    input: &'a [u8],
    checked: &'a str,
) -> Option<(ImdnDocument<'a>, usize)> {
    let (fields, as_written, len) = super::written::read_written_prefix(input, checked)?;
    let bytes = input
        .get(..len)
        .filter(|b| b.len() <= IMDN_DOCUMENT_BYTES_MAX)?;
    let document = match as_written {
        true => ImdnDocument::Written { fields, bytes },
        false => ImdnDocument::Plain(fields),
    };
    Some((document, len))
}

/// Parses a document of at most `IMDN_DOCUMENT_BYTES_MAX` bytes with the full XML parser.
pub(super) fn parse_full(input: &[u8]) -> Result<DispositionNotification, ImdnError> {
    let text = std::str::from_utf8(input)
        .map_err(|e| ImdnError::new(ImdnErrorKind::InvalidUtf8, e.valid_up_to()))?;
    let options = ParsingOptions {
        allow_dtd: false,
        nodes_limit: IMDN_XML_NODES_MAX,
        ..ParsingOptions::default()
    };
    let doc = Document::parse_with_options(text, options).map_err(|e| xml_error(text, &e))?;
    check_depth(&doc)?;
    read_imdn(doc.root_element())
}

fn xml_error(text: &str, e: &roxmltree::Error) -> ImdnError {
    use roxmltree::Error as E;
    let kind = match e {
        E::DtdDetected => ImdnErrorKind::DtdRefused,
        E::NodesLimitReached => ImdnErrorKind::TooManyNodes,
        E::EntityReferenceLoop(_) => ImdnErrorKind::EntityExpansion,
        _ => ImdnErrorKind::MalformedXml,
    };
    // roxmltree reports an unclosed root at (1, 1); the missing close tag is due at the end.
    if matches!(e, E::UnclosedRootNode) {
        return ImdnError::new(kind, text.len());
    }
    let pos = e.pos();
    ImdnError::new(kind, byte_offset(text, pos.row, pos.col))
}

/// Byte offset of a 1-based (row, column-in-characters) position.
fn byte_offset(text: &str, row: u32, col: u32) -> usize {
    let line_start = if row <= 1 {
        0
    } else {
        text.match_indices('\n')
            .nth(row as usize - 2)
            .map_or(text.len(), |(i, _)| i + 1)
    };
    let line = &text[line_start..];
    let in_line = line
        .char_indices()
        .nth(col.saturating_sub(1) as usize)
        .map_or(line.len(), |(i, _)| i);
    line_start + in_line
}

fn check_depth(doc: &Document<'_>) -> Result<(), ImdnError> {
    for node in doc.descendants().filter(Node::is_element) {
        if node.ancestors().take(IMDN_XML_DEPTH_MAX + 2).count() > IMDN_XML_DEPTH_MAX + 1 {
            return Err(ImdnError::new(ImdnErrorKind::TooDeep, node.range().start));
        }
    }
    Ok(())
}

/// XML whitespace (production `S`), the only whitespace trimmed from token-like fields.
fn is_xml_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\r')
}

fn err(kind: ImdnErrorKind, node: Node<'_, '_>) -> ImdnError {
    ImdnError::new(kind, node.range().start)
}

/// The IMDN-namespace element children of `node`; other-namespace elements are skipped and
/// non-whitespace text is refused.
fn imdn_children<'a, 'i>(node: Node<'a, 'i>) -> Result<Vec<Node<'a, 'i>>, ImdnError> {
    let mut out = Vec::new();
    for child in node.children() {
        if child.is_text()
            && !child
                .text()
                .unwrap_or_default()
                .trim_matches(is_xml_space)
                .is_empty()
        {
            return Err(err(ImdnErrorKind::UnexpectedText, child));
        }
        if child.is_element() && child.tag_name().namespace() == Some(IMDN_XML_NS) {
            out.push(child);
        }
    }
    Ok(out)
}

/// The text content of a leaf element (no element children allowed).
fn leaf_text(node: Node<'_, '_>) -> Result<String, ImdnError> {
    let mut text = String::new();
    for child in node.children() {
        if child.is_element() {
            return Err(err(ImdnErrorKind::UnexpectedElement, child));
        }
        if let Some(t) = child.text().filter(|_| child.is_text()) {
            text.push_str(t);
        }
    }
    Ok(text)
}

fn set_once<T>(slot: &mut Option<T>, value: T, node: Node<'_, '_>) -> Result<(), ImdnError> {
    if slot.is_some() {
        return Err(err(ImdnErrorKind::DuplicateElement, node));
    }
    *slot = Some(value);
    Ok(())
}

fn read_imdn(root: Node<'_, '_>) -> Result<DispositionNotification, ImdnError> {
    if root.tag_name().name() != "imdn" || root.tag_name().namespace() != Some(IMDN_XML_NS) {
        return Err(err(ImdnErrorKind::NotImdn, root));
    }
    let (mut message_id, mut datetime, mut recipient, mut original, mut subject) =
        (None, None, None, None, None);
    let mut notification = None;
    for child in imdn_children(root)? {
        let trimmed = || leaf_text(child).map(|t| t.trim_matches(is_xml_space).to_owned());
        match child.tag_name().name() {
            "message-id" => set_once(&mut message_id, trimmed()?, child)?,
            "datetime" => {
                let value = trimmed()?;
                if !is_rfc3339_date_time(&value) {
                    return Err(err(ImdnErrorKind::InvalidDatetime, child));
                }
                set_once(&mut datetime, value, child)?;
            }
            "recipient-uri" => set_once(&mut recipient, trimmed()?, child)?,
            "original-recipient-uri" => set_once(&mut original, trimmed()?, child)?,
            "subject" => set_once(&mut subject, leaf_text(child)?, child)?,
            name @ ("delivery-notification"
            | "processing-notification"
            | "display-notification") => {
                set_once(&mut notification, read_notification(child, name)?, child)?;
            }
            _ => return Err(err(ImdnErrorKind::UnexpectedElement, child)),
        }
    }
    let message_id = message_id
        .filter(|id| !id.is_empty())
        .ok_or(err(ImdnErrorKind::MissingMessageId, root))?;
    Ok(DispositionNotification {
        message_id,
        datetime: datetime.ok_or(err(ImdnErrorKind::MissingDatetime, root))?,
        recipient_uri: recipient,
        original_recipient_uri: original,
        subject,
        notification: notification.ok_or(err(ImdnErrorKind::MissingNotification, root))?,
    })
}

fn read_notification(node: Node<'_, '_>, name: &str) -> Result<Notification, ImdnError> {
    let mut status = None;
    for child in imdn_children(node)? {
        if child.tag_name().name() != "status" {
            return Err(err(ImdnErrorKind::UnexpectedElement, child));
        }
        set_once(&mut status, child, child)?;
    }
    let status = status.ok_or(err(ImdnErrorKind::MissingStatus, node))?;
    let values = imdn_children(status)?;
    let [value] = values.as_slice() else {
        return Err(err(ImdnErrorKind::MissingStatus, status));
    };
    if value.has_children() {
        return Err(err(ImdnErrorKind::UnexpectedElement, *value));
    }
    Notification::from_elements(name, value.tag_name().name())
        .ok_or(err(ImdnErrorKind::UnknownStatus, *value))
}

#[cfg(test)]
mod tests {
    use super::byte_offset;

    #[test]
    fn row_and_character_column_become_a_byte_offset() {
        let text = "ab\ncd\u{e9}\nf";
        assert_eq!(byte_offset(text, 1, 1), 0);
        assert_eq!(byte_offset(text, 2, 4), 7);
        assert_eq!(byte_offset(text, 3, 1), 8);
        assert_eq!(byte_offset(text, 9, 9), text.len());
    }
}
