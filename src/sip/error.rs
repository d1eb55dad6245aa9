//! SIP decoding and validation errors: the rule that was broken and the byte offset it was
//! found at. Both types are `Copy` and allocation-free so a parser can return them from a hot
//! loop and a fuzz target can compare them.

use crate::diagnostic::Diagnostic;
use std::fmt;

macro_rules! rules {
    ($( $(#[$doc:meta])* $variant:ident = $name:literal, )*) => {
        /// The RFC 3261 / RFC 4475 rule a SIP message broke.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum Rule {
            $( $(#[$doc])* $variant, )*
        }

        impl Rule {
            /// The kebab-case name of the rule, as printed by `imflow parse`.
            pub const fn name(self) -> &'static str {
                match self {
                    $( Rule::$variant => $name, )*
                }
            }

            /// Every rule, in declaration order (for documentation and tests).
            pub const ALL: &'static [Rule] = &[$( Rule::$variant, )*];
        }
    };
}

rules! {
    /// A line ends in a bare LF; SIP lines end in CRLF (RFC 3261 section 7).
    BareLf = "bare-lf",
    /// A CR not followed by LF inside the header section.
    BareCr = "bare-cr",
    /// A physical line is longer than `SIP_LINE_LENGTH_BYTES_MAX`.
    LineTooLong = "line-too-long",
    /// More header rows than `SIP_HEADER_ROWS_MAX`.
    TooManyHeaders = "too-many-headers",
    /// The header section is longer than `SIP_HEADER_SECTION_BYTES_MAX`.
    HeaderSectionTooLarge = "header-section-too-large",
    /// No empty line ends the header section.
    UnterminatedHeaderSection = "unterminated-header-section",
    /// The header section is not UTF-8 (RFC 3261 section 25 allows only UTF-8 text).
    InvalidUtf8 = "invalid-utf8",
    /// The start line is neither a Request-Line nor a Status-Line.
    MalformedStartLine = "malformed-start-line",
    /// Request-Line elements are not separated by exactly one SP (RFC 3261 section 7.1).
    RequestLineSpacing = "request-line-spacing",
    /// The Request-URI contains whitespace (RFC 4475 section 3.1.2.8).
    RequestUriLws = "request-uri-lws",
    /// The Request-URI is enclosed in `<>` (RFC 4475 section 3.1.2.7).
    RequestUriInAngleBrackets = "request-uri-in-angle-brackets",
    /// The Request-URI carries `?headers` (RFC 4475 section 3.1.2.11, RFC 3261 19.1.1).
    RequestUriHeaders = "request-uri-headers",
    /// The method is not a token.
    InvalidMethod = "invalid-method",
    /// The SIP-Version is not `SIP/digits.digits`.
    MalformedSipVersion = "malformed-sip-version",
    /// The SIP-Version is not 2.0 (answered with 505).
    UnsupportedSipVersion = "unsupported-sip-version",
    /// The Status-Code is not exactly three digits.
    StatusCodeNot3Digits = "status-code-not-3-digits",
    /// The Status-Code is outside 100..=699.
    StatusCodeOutOfRange = "status-code-out-of-range",
    /// A header name is not a token.
    InvalidHeaderName = "invalid-header-name",
    /// A header line has no colon.
    MissingHeaderColon = "missing-header-colon",
    /// A continuation line (leading SP/HTAB) follows the start line.
    ContinuationWithoutHeader = "continuation-without-header",
    /// Content-Length is not a decimal number.
    InvalidContentLength = "invalid-content-length",
    /// Content-Length is negative (RFC 4475 section 3.1.2.3).
    NegativeContentLength = "negative-content-length",
    /// Content-Length is above `SIP_BODY_BYTES_MAX`.
    ContentLengthTooLarge = "content-length-too-large",
    /// Two Content-Length headers disagree (RFC 4475 section 3.3.9).
    ContentLengthConflict = "content-length-conflict",
    /// Content-Length promises more bytes than the datagram holds (RFC 4475 section 3.1.2.2).
    ContentLengthExceedsBody = "content-length-exceeds-body",
    /// The body is larger than `SIP_BODY_BYTES_MAX`.
    BodyTooLarge = "body-too-large",
    /// A message on a stream transport has no Content-Length (RFC 3261 section 18.3).
    StreamContentLengthMissing = "stream-content-length-missing",
    /// A mandatory To header is missing (RFC 3261 section 8.1.1).
    MissingTo = "missing-to",
    /// A mandatory From header is missing.
    MissingFrom = "missing-from",
    /// A mandatory Call-ID header is missing.
    MissingCallId = "missing-call-id",
    /// A mandatory CSeq header is missing.
    MissingCseq = "missing-cseq",
    /// A mandatory Via header is missing.
    MissingVia = "missing-via",
    /// An RFC 3261 request (magic-cookie branch) has no Max-Forwards.
    MissingMaxForwards = "missing-max-forwards",
    /// A single-value header appears more than once (RFC 4475 section 3.3.8).
    MultipleValuesInSingleValueHeader = "multiple-values-in-single-value-header",
    /// The CSeq method differs from the Request-Line method (RFC 4475 section 3.1.2.17).
    CseqMethodMismatch = "cseq-method-mismatch",
    /// The CSeq number is 2^31 or more (RFC 3261 section 8.1.1.5).
    CseqOutOfRange = "cseq-out-of-range",
    /// The CSeq header is not `number LWS method`.
    InvalidCseq = "invalid-cseq",
    /// Max-Forwards is above 255.
    MaxForwardsOutOfRange = "max-forwards-out-of-range",
    /// Max-Forwards is not a decimal number.
    InvalidMaxForwards = "invalid-max-forwards",
    /// An Expires value (header or Contact parameter) does not fit in 32 bits.
    ExpiresOutOfRange = "expires-out-of-range",
    /// An Expires value is not a decimal number.
    InvalidExpires = "invalid-expires",
    /// Call-ID is not `word ["@" word]`.
    InvalidCallId = "invalid-call-id",
    /// A Via element is not `sent-protocol LWS sent-by *(;via-params)`.
    InvalidVia = "invalid-via",
    /// A host is not a hostname, IPv4 address or IPv6 reference.
    InvalidHost = "invalid-host",
    /// A port is not a decimal number below 65536.
    InvalidPort = "invalid-port",
    /// An IPv6 literal breaks RFC 5954 (RFC 3986 IPv6address, RFC 3261 3-colon form tolerated).
    InvalidIpv6Reference = "invalid-ipv6-reference",
    /// A URI does not follow its scheme's grammar.
    InvalidUri = "invalid-uri",
    /// A URI scheme is not `ALPHA *(ALPHA / DIGIT / + / - / .)`.
    InvalidUriScheme = "invalid-uri-scheme",
    /// A `%` is not followed by two hex digits.
    InvalidEscape = "invalid-escape",
    /// A URI is longer than `SIP_URI_LENGTH_BYTES_MAX`.
    UriTooLong = "uri-too-long",
    /// A quoted string has no closing quote (RFC 4475 section 3.1.2.6).
    UnterminatedQuotedString = "unterminated-quoted-string",
    /// A `<` has no matching `>`.
    UnterminatedAngleBracket = "unterminated-angle-bracket",
    /// Whitespace inside `<...>` around an addr-spec (RFC 4475 section 3.1.2.14).
    SpaceInsideAngleBrackets = "space-inside-angle-brackets",
    /// An unquoted display name holds non-token characters (RFC 4475 section 3.1.2.15).
    DisplayNameNotToken = "display-name-not-token",
    /// An addr-spec holds `?` or `,`, so it must be a name-addr (RFC 3261 section 20.10).
    AddrSpecNeedsAngleBrackets = "addr-spec-needs-angle-brackets",
    /// Route, Record-Route, Path and Service-Route elements must be name-addrs.
    NameAddrRequired = "name-addr-required",
    /// A list header has no element at all (e.g. `Route: ,`).
    EmptyList = "empty-list",
    /// A `;` introduces no parameter (RFC 4475 section 3.1.2.1).
    EmptyParameter = "empty-parameter",
    /// A parameter `name=` has no value.
    EmptyParameterValue = "empty-parameter-value",
    /// A `tag=` parameter has no value.
    EmptyTag = "empty-tag",
    /// A parameter name or value breaks the `generic-param` grammar.
    InvalidParameter = "invalid-parameter",
    /// A Contact parameter breaks the `contact-params` grammar.
    InvalidContactParameter = "invalid-contact-parameter",
    /// More parameters than `SIP_PARAMS_PER_ELEMENT_MAX` on one element.
    TooManyParameters = "too-many-parameters",
    /// More elements than `SIP_LIST_ELEMENTS_PER_ROW_MAX` in one header row.
    TooManyListElements = "too-many-list-elements",
    /// `Contact: *` is combined with other bindings or parameters.
    ContactWildcardNotAlone = "contact-wildcard-not-alone",
    /// Content-Type is not `type/subtype *(;param)`.
    InvalidContentType = "invalid-content-type",
    /// A Date header is not an RFC 1123 date in GMT (RFC 4475 section 3.1.2.12).
    DateNotGmt = "date-not-gmt",
    /// Characters follow a complete element where a separator was expected.
    UnexpectedCharacters = "unexpected-characters",
}

/// A SIP decoding or validation error: the rule broken and the byte offset in the input.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct SipError {
    /// The rule that was broken.
    pub rule: Rule,
    /// Byte offset into the buffer that was parsed.
    pub offset: usize,
}

impl SipError {
    /// An error for `rule` at byte `offset`.
    pub const fn new(rule: Rule, offset: usize) -> Self {
        SipError { rule, offset }
    }
}

impl fmt::Display for SipError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "SIP {} at byte {}", self.rule.name(), self.offset)
    }
}

impl std::error::Error for SipError {}

impl Diagnostic for SipError {
    fn rule(&self) -> &'static str {
        self.rule.name()
    }
    fn offset(&self) -> usize {
        self.offset
    }
}
