//! The typed error of the CPIM codec: which RFC 3862 / RFC 5438 rule broke, and where.

use crate::diagnostic::Diagnostic;
use std::fmt;

/// A broken rule of a MIME header section (RFC 2045 / RFC 5322 as profiled here), shared by the
/// CPIM encapsulated entity and the parts of a multipart body.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MimeFault {
    /// A header line is longer than `HEADER_LINE_BYTES_MAX`.
    HeaderLineTooLong,
    /// More headers than `MIME_HEADER_COUNT_MAX`.
    TooManyHeaders,
    /// A line ends in a bare LF instead of CRLF.
    BareLf,
    /// The input ends before the blank line that closes the header section.
    Unterminated,
    /// A line starts with whitespace: folding is not accepted.
    FoldedHeader,
    /// The header name is empty or has a character outside the token set.
    InvalidHeaderName,
    /// The header line has no colon.
    MissingColon,
    /// The line holds a control character other than HTAB, or is not UTF-8.
    InvalidCharacter,
    /// `Content-Length` is not a decimal number that fits the platform.
    InvalidContentLength,
    /// `Content-Length` differs from the number of content bytes.
    ContentLengthMismatch,
}

impl MimeFault {
    /// The kebab-case rule name.
    pub fn rule(self) -> &'static str {
        match self {
            Self::HeaderLineTooLong => "header-line-too-long",
            Self::TooManyHeaders => "too-many-mime-headers",
            Self::BareLf => "bare-lf-line-end",
            Self::Unterminated => "unterminated-mime-headers",
            Self::FoldedHeader => "folded-header",
            Self::InvalidHeaderName => "invalid-mime-header-name",
            Self::MissingColon => "missing-colon",
            Self::InvalidCharacter => "invalid-character",
            Self::InvalidContentLength => "invalid-content-length",
            Self::ContentLengthMismatch => "content-length-mismatch",
        }
    }
}

/// The rule a Message/CPIM body broke.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CpimErrorKind {
    /// The body is larger than `CPIM_MESSAGE_BYTES_MAX`.
    MessageTooLarge,
    /// The content is larger than `CONTENT_BYTES_MAX`.
    ContentTooLarge,
    /// A CPIM header line is longer than `HEADER_LINE_BYTES_MAX`.
    HeaderLineTooLong,
    /// More CPIM headers than `CPIM_HEADER_COUNT_MAX`.
    TooManyHeaders,
    /// A CPIM header line ends in a bare LF (RFC 3862 section 3: lines end in CRLF).
    BareLf,
    /// The input ends inside the CPIM header block (no blank line, no encapsulated entity).
    MissingEncapsulatedEntity,
    /// A CPIM header line starts with whitespace: CPIM has no folding (section 3.1).
    FoldedHeader,
    /// A header line is not UTF-8 or holds a control character (section 3.1).
    InvalidCharacter,
    /// The header name is not `[Name-prefix "."] Name`.
    InvalidHeaderName,
    /// The header line has no colon.
    MissingColon,
    /// A header parameter is not `Name "=" (Token / Number / String)`.
    InvalidParameter,
    /// The colon (and parameters) are not followed by exactly one SP.
    SpaceAfterColon,
    /// The header value has leading or trailing whitespace.
    ValueWhitespace,
    /// A quoted string has no closing quote.
    UnterminatedQuotedString,
    /// A prefixed name uses a prefix no earlier `NS` header declared (section 3.4).
    UndeclaredPrefix,
    /// An `NS` header is not `[Name-prefix SP] "<" URI ">"`.
    InvalidNs,
    /// An address header is not `[Formal-name] "<" URI ">"`.
    InvalidAddress,
    /// `DateTime` is not an RFC 3339 date-time.
    InvalidDateTime,
    /// `imdn.Message-ID` is not a Token (RFC 5438 section 6.3).
    InvalidMessageId,
    /// `imdn.Disposition-Notification` is not a comma list of tokens with parameters.
    InvalidDispositionNotification,
    /// `Require` is not a comma list of header names.
    InvalidRequire,
    /// The encapsulated entity has no `Content-Type` (section 2).
    MissingContentType,
    /// A header that may appear once (From, DateTime, imdn.Message-ID, imdn.Original-To)
    /// appears again.
    DuplicateHeader,
    /// The MIME header section of the encapsulated entity broke a rule.
    Mime(MimeFault),
}

impl CpimErrorKind {
    /// The kebab-case rule name.
    pub fn rule(self) -> &'static str {
        match self {
            Self::MessageTooLarge => "cpim-message-too-large",
            Self::ContentTooLarge => "content-too-large",
            Self::HeaderLineTooLong => "header-line-too-long",
            Self::TooManyHeaders => "too-many-headers",
            Self::BareLf => "bare-lf-line-end",
            Self::MissingEncapsulatedEntity => "missing-encapsulated-entity",
            Self::FoldedHeader => "folded-header",
            Self::InvalidCharacter => "invalid-character",
            Self::InvalidHeaderName => "invalid-header-name",
            Self::MissingColon => "missing-colon",
            Self::InvalidParameter => "invalid-header-parameter",
            Self::SpaceAfterColon => "one-space-after-colon",
            Self::ValueWhitespace => "header-value-whitespace",
            Self::UnterminatedQuotedString => "unterminated-quoted-string",
            Self::UndeclaredPrefix => "undeclared-name-prefix",
            Self::InvalidNs => "invalid-ns-header",
            Self::InvalidAddress => "invalid-address",
            Self::InvalidDateTime => "invalid-date-time",
            Self::InvalidMessageId => "invalid-message-id",
            Self::InvalidDispositionNotification => "invalid-disposition-notification",
            Self::InvalidRequire => "invalid-require",
            Self::MissingContentType => "missing-content-type",
            Self::DuplicateHeader => "duplicate-header",
            Self::Mime(fault) => fault.rule(),
        }
    }
}

/// A Message/CPIM decoding error: the broken rule and the byte offset in the body.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CpimError {
    /// Which rule was broken.
    pub kind: CpimErrorKind,
    /// Byte offset in the CPIM body where it was found.
    pub offset: usize,
}

impl CpimError {
    pub(crate) fn new(kind: CpimErrorKind, offset: usize) -> Self {
        Self { kind, offset }
    }
}

impl fmt::Display for CpimError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "CPIM: {} at byte {}", self.kind.rule(), self.offset)
    }
}

impl std::error::Error for CpimError {}

impl Diagnostic for CpimError {
    fn rule(&self) -> &'static str {
        self.kind.rule()
    }
    fn offset(&self) -> usize {
        self.offset
    }
}
