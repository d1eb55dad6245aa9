//! The typed error of the IMDN codec: which RFC 5438 section 11 or XML rule broke, and where.

use crate::diagnostic::Diagnostic;
use std::fmt;

/// The rule an IMDN document broke.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ImdnErrorKind {
    /// The document is larger than `IMDN_DOCUMENT_BYTES_MAX`.
    DocumentTooLarge,
    /// The document is not UTF-8 (RFC 5438 section 11 mandates UTF-8).
    InvalidUtf8,
    /// The document has a DTD; DTDs (and so entity expansion) are refused.
    DtdRefused,
    /// Entity references nest or repeat past the parser's bound.
    EntityExpansion,
    /// More nodes than `IMDN_XML_NODES_MAX`.
    TooManyNodes,
    /// Elements nest deeper than `IMDN_XML_DEPTH_MAX`.
    TooDeep,
    /// The document is not well-formed XML 1.0 (with namespaces).
    MalformedXml,
    /// The root is not `<imdn xmlns="urn:ietf:params:xml:ns:imdn">`.
    NotImdn,
    /// An IMDN-namespace element the schema does not allow at this place.
    UnexpectedElement,
    /// An element that may appear once appears twice.
    DuplicateElement,
    /// Non-whitespace text where the schema has only elements.
    UnexpectedText,
    /// `<message-id>` is missing or empty.
    MissingMessageId,
    /// `<datetime>` is missing.
    MissingDatetime,
    /// `<datetime>` is not an RFC 3339 date-time.
    InvalidDatetime,
    /// None of the three `*-notification` elements is present.
    MissingNotification,
    /// A notification has no `<status>` with exactly one status element.
    MissingStatus,
    /// The status element is not one this notification kind allows.
    UnknownStatus,
}

impl ImdnErrorKind {
    /// The kebab-case rule name.
    pub fn rule(self) -> &'static str {
        match self {
            Self::DocumentTooLarge => "imdn-document-too-large",
            Self::InvalidUtf8 => "invalid-utf8",
            Self::DtdRefused => "dtd-refused",
            Self::EntityExpansion => "entity-expansion",
            Self::TooManyNodes => "too-many-xml-nodes",
            Self::TooDeep => "xml-too-deep",
            Self::MalformedXml => "malformed-xml",
            Self::NotImdn => "not-imdn-root",
            Self::UnexpectedElement => "unexpected-imdn-element",
            Self::DuplicateElement => "duplicate-imdn-element",
            Self::UnexpectedText => "unexpected-text",
            Self::MissingMessageId => "missing-message-id",
            Self::MissingDatetime => "missing-datetime",
            Self::InvalidDatetime => "invalid-date-time",
            Self::MissingNotification => "missing-notification",
            Self::MissingStatus => "missing-status",
            Self::UnknownStatus => "unknown-status",
        }
    }
}

/// An IMDN decoding error: the broken rule and the byte offset in the document.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ImdnError {
    /// Which rule was broken.
    pub kind: ImdnErrorKind,
    /// Byte offset in the XML document where it was found.
    pub offset: usize,
}

impl ImdnError {
    pub(crate) fn new(kind: ImdnErrorKind, offset: usize) -> Self {
        Self { kind, offset }
    }
}

impl fmt::Display for ImdnError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "IMDN: {} at byte {}", self.kind.rule(), self.offset)
    }
}

impl std::error::Error for ImdnError {}

impl Diagnostic for ImdnError {
    fn rule(&self) -> &'static str {
        self.kind.rule()
    }
    fn offset(&self) -> usize {
        self.offset
    }
}
