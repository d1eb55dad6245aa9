//! IMDN XML (RFC 5438 section 11). (to be written)
