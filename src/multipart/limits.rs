//! Named bounds on untrusted multipart bodies. Exceeding one is a typed
//! [`MultipartError`](super::MultipartError).

/// Largest multipart body accepted, in bytes.
pub const MULTIPART_BODY_BYTES_MAX: usize = 1024 * 1024;
/// Most body parts in one multipart body.
pub const MULTIPART_PARTS_MAX: usize = 256;
/// Longest boundary RFC 2046 section 5.1.1 allows, in characters.
pub const BOUNDARY_CHARS_MAX: usize = 70;
