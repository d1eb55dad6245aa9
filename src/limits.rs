//! Named bounds on untrusted input (DESIGN.md section 10). Exceeding one is a typed error.
//!
//! Units are in the names. Codec modules may define further limits next to the code that
//! enforces them, but the ones a user is likely to tune live here.

// ---------------------------------------------------------------------------------------------
// SIP (RFC 3261). A hostile peer controls every byte, so each of these bounds a loop or a buffer.

/// Most header rows (header fields, before comma splitting) one SIP message may carry, counting
/// the Content-Length row that the serializer always writes.
pub const SIP_HEADER_ROWS_MAX: usize = 256;

/// Longest line of a SIP message in bytes, CRLF excluded: the start line, each physical line,
/// and each header row once unfolded (`name: value`), so that a re-serialized message fits too.
pub const SIP_LINE_LENGTH_BYTES_MAX: usize = 8 * 1024;

/// Largest SIP header section (start line through the empty line), in bytes, both as received
/// and in the normalized form the serializer would write.
pub const SIP_HEADER_SECTION_BYTES_MAX: usize = 64 * 1024;

/// Largest SIP message body, in bytes (a declared Content-Length above it is refused unread).
pub const SIP_BODY_BYTES_MAX: usize = 1024 * 1024;

/// Longest URI (Request-URI or a URI inside a header), in bytes.
pub const SIP_URI_LENGTH_BYTES_MAX: usize = 4 * 1024;

/// Most parameters (`;name[=value]`) on one header element or one URI.
pub const SIP_PARAMS_PER_ELEMENT_MAX: usize = 64;

/// Most comma-separated elements in one header row (e.g. Via hops or Contact bindings).
pub const SIP_LIST_ELEMENTS_PER_ROW_MAX: usize = 128;
