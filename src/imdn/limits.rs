//! Named bounds on untrusted IMDN documents. Exceeding one is a typed [`ImdnError`](super::ImdnError).

/// Largest IMDN XML document accepted, in bytes (checked before the XML parser runs).
pub const IMDN_DOCUMENT_BYTES_MAX: usize = 64 * 1024;
/// Most XML nodes (elements, text, comments, processing instructions) in one document.
pub const IMDN_XML_NODES_MAX: u32 = 512;
/// Deepest element nesting accepted (the root `<imdn>` is depth 1; RFC 5438 needs 4).
pub const IMDN_XML_DEPTH_MAX: usize = 16;
