//! Named bounds on untrusted CPIM input. Exceeding one is a typed [`CpimError`](super::CpimError).

/// Largest whole Message/CPIM body accepted, in bytes.
pub const CPIM_MESSAGE_BYTES_MAX: usize = 4 * 1024 * 1024;
/// Longest single header line (CPIM or MIME, without its CRLF), in bytes.
pub const HEADER_LINE_BYTES_MAX: usize = 8 * 1024;
/// Most CPIM message headers in one header block.
pub const CPIM_HEADER_COUNT_MAX: usize = 128;
/// Most MIME headers of one encapsulated entity or multipart part.
pub const MIME_HEADER_COUNT_MAX: usize = 32;
/// Largest encapsulated content accepted, in bytes.
pub const CONTENT_BYTES_MAX: usize = 4 * 1024 * 1024;
