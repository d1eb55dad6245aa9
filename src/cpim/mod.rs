//! Message/CPIM (RFC 3862) with the IMDN headers of RFC 5438 section 6.
//!
//! Design: [`parse`] is a zero-copy pass over the body that yields a [`Cpim`] view whose
//! headers and content borrow the input. Each line is cut with a bounded look-ahead (so a
//! 1 MiB line costs at most `HEADER_LINE_BYTES_MAX` bytes of scanning), checked against the
//! RFC 3862 line rules (CRLF ends, no folding, no control characters, exactly one SP after the
//! colon and parameters), and its prefix is resolved against the `NS` declarations seen so far
//! (a prefix must be declared before use; any prefix bound to `urn:ietf:params:imdn` works).
//! The values this codec interprets (addresses, `DateTime`, `imdn.Message-ID`,
//! `imdn.Disposition-Notification`, `Require`) are checked during the parse, so typed
//! accessors never fail later. Header names are case-sensitive; MIME header names of the
//! encapsulated entity are not.
//!
//! Line ends: CRLF only. A bare LF is refused (`bare-lf-line-end`): RFC 3862 section 3 asks
//! for CRLF and every CPIM body of the real-world corpus uses it. The content after the MIME
//! headers is opaque and may hold any bytes.
//!
//! [`OwnedCpim`] keeps values in wire form, so serialize(parse(x)) reproduces x byte for byte
//! when x wrote its MIME headers as `Name: value`, and is a fixed point otherwise.
//!
//! ```
//! use imflow::cpim::{self, Disposition};
//! let body = b"From: Alice <sip:alice@alpha.example>\r\nNS: imdn <urn:ietf:params:imdn>\r\n\
//! imdn.Message-ID: Xk3q9TzQ2mPw\r\nimdn.Disposition-Notification: positive-delivery\r\n\r\n\
//! Content-Type: text/plain\r\n\r\nSummit at noon";
//! let m = cpim::parse(body)?;
//! assert_eq!(m.message_id(), Some("Xk3q9TzQ2mPw"));
//! assert!(m.disposition_notification().contains(Disposition::PositiveDelivery));
//! assert_eq!(m.to_owned_cpim().serialize(), body);
//! # Ok::<(), imflow::cpim::CpimError>(())
//! ```

mod address;
mod bindings;
mod builder;
#[cfg(test)]
mod byte_edits;
mod datetime;
mod disposition;
mod error;
pub mod fuzzing;
mod grammar;
mod header;
mod known_names;
pub mod limits;
mod message;
pub mod mime;
mod notification;
#[cfg(test)]
mod one_more_byte;
mod owned;
mod plain_address;
mod proof;

pub(crate) use address::is_ascii_absolute_uri;
pub use address::{format_address, Address};
pub use builder::CpimBuilder;
pub use datetime::is_rfc3339_date_time;
pub use disposition::{Disposition, DispositionSet};
pub use error::{CpimError, CpimErrorKind, MimeFault};
pub use grammar::{escape, unescape};
pub use header::Header;
pub use message::{parse, Cpim};
pub(crate) use message::{parse_im, CpimEntity, EncapsulatedObject, ImHeaders};
pub(crate) use notification::{KnownValues, NotificationHeaders};
pub use owned::{OwnedCpim, OwnedHeader};

/// The default namespace of CPIM headers (RFC 3862 section 4).
pub const CPIM_HEADERS_NS: &str = "urn:ietf:params:cpim-headers:";
/// The namespace of the IMDN headers (RFC 5438 section 6.1).
pub const IMDN_NS: &str = "urn:ietf:params:imdn";
