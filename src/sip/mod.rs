//! The SIP codec (RFC 3261 generic grammar). (to be written)
