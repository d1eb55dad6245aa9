//! Fast recognisers for the plain shapes nearly every SIP element writes: `<sip:user@host>;tag=x`
//! addresses, `SIP/2.0/UDP host:port;branch=z9hG4bK...` hops, `1 MESSAGE` CSeqs and
//! `type/subtype` media types, written without LWS, escapes, quoted values or IPv6 literals.
//!
//! Each recogniser returns `Some` only for text its general parser accepts, and then the very
//! value that parser returns; for anything else it returns `None` and the caller runs the general
//! parser, which also names the error and its offset. So a recogniser can only make a parse
//! cheaper, never change a verdict; `quick_tests` checks the agreement on generated and mutated
//! input.
//!
//! One file per grammar rule: [`generic_param`] (parameter lists, and the lookup of one
//! parameter), [`sip_uri`], [`name_addr`], [`via`], [`scalars`] (CSeq, media type, Call-ID) and
//! [`start_line`]; [`node_shapes`] (with [`node_scalars`]) reads the one exact shape of each
//! value this project's nodes write, ahead of these.

mod generic_param;
mod name_addr;
mod node_scalars;
pub(crate) mod node_shapes;
mod scalars;
mod sip_uri;
mod start_line;
mod via;

pub(crate) use generic_param::param;
pub(crate) use name_addr::{is_name_addr, name_addr};
pub(crate) use scalars::{call_id, call_id_end, cseq, media_type};
pub(crate) use sip_uri::sip_uri;
pub(crate) use start_line::start_line_noting_uri;
pub(crate) use via::{is_via, via};
