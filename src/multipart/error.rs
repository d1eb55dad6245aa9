//! The typed errors of the multipart codec and of aggregated IMDNs.

use crate::cpim::MimeFault;
use crate::diagnostic::Diagnostic;
use crate::imdn::ImdnError;
use std::fmt;

/// The rule a multipart/mixed body broke (RFC 2046 section 5.1).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MultipartErrorKind {
    /// The body is larger than `MULTIPART_BODY_BYTES_MAX`.
    BodyTooLarge,
    /// The boundary is not 1 to 70 `bchars` ending in a non-space (section 5.1.1).
    InvalidBoundary,
    /// No delimiter line `--boundary` starts a line of the body.
    MissingDelimiter,
    /// The body ends without the close delimiter `--boundary--`.
    MissingCloseDelimiter,
    /// The first delimiter is the close delimiter: a multipart needs one part at least.
    NoParts,
    /// More parts than `MULTIPART_PARTS_MAX`.
    TooManyParts,
    /// The MIME header section of a part broke a rule.
    Mime(MimeFault),
}

impl MultipartErrorKind {
    /// The kebab-case rule name.
    pub fn rule(self) -> &'static str {
        match self {
            Self::BodyTooLarge => "multipart-body-too-large",
            Self::InvalidBoundary => "invalid-boundary",
            Self::MissingDelimiter => "missing-delimiter-line",
            Self::MissingCloseDelimiter => "unterminated-multipart",
            Self::NoParts => "no-body-parts",
            Self::TooManyParts => "too-many-parts",
            Self::Mime(fault) => fault.rule(),
        }
    }
}

/// A multipart decoding error: the broken rule and the byte offset in the body.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MultipartError {
    /// Which rule was broken.
    pub kind: MultipartErrorKind,
    /// Byte offset in the multipart body where it was found.
    pub offset: usize,
}

impl MultipartError {
    pub(crate) fn new(kind: MultipartErrorKind, offset: usize) -> Self {
        Self { kind, offset }
    }
}

impl fmt::Display for MultipartError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "multipart: {} at byte {}", self.kind.rule(), self.offset)
    }
}

impl std::error::Error for MultipartError {}

impl Diagnostic for MultipartError {
    fn rule(&self) -> &'static str {
        self.kind.rule()
    }
    fn offset(&self) -> usize {
        self.offset
    }
}

/// Why an aggregated IMDN body (RFC 5438 section 8.3) could not be read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AggregateError {
    /// The multipart framing is broken.
    Multipart(MultipartError),
    /// A part is not `message/imdn+xml`; `offset` is the part's first byte in the body.
    NotImdnPart {
        /// Byte offset of the part in the body.
        offset: usize,
    },
    /// A part's IMDN document is invalid; its offset is relative to the whole body.
    Imdn(ImdnError),
}

impl fmt::Display for AggregateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Multipart(e) => e.fmt(f),
            Self::NotImdnPart { offset } => {
                write!(f, "aggregated IMDN: {} at byte {offset}", self.rule())
            }
            Self::Imdn(e) => e.fmt(f),
        }
    }
}

impl std::error::Error for AggregateError {}

impl Diagnostic for AggregateError {
    fn rule(&self) -> &'static str {
        match self {
            Self::Multipart(e) => e.rule(),
            Self::NotImdnPart { .. } => "part-not-imdn",
            Self::Imdn(e) => e.rule(),
        }
    }
    fn offset(&self) -> usize {
        match self {
            Self::Multipart(e) => e.offset,
            Self::NotImdnPart { offset } => *offset,
            Self::Imdn(e) => e.offset,
        }
    }
}
