//! Message/CPIM (RFC 3862). (to be written)
