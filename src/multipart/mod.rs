//! multipart/mixed (RFC 2046 section 5.1) for aggregated IMDNs (RFC 5438 section 8.3).
//!
//! [`parse`] splits a body at its delimiter lines without copying: each [`Part`] borrows its
//! MIME headers and its exact content bytes (binary-safe: only `CRLF--boundary` ends a part).
//! Preamble and epilogue are tolerated and kept; the close delimiter is required. [`build`]
//! writes parts with a deterministic boundary that occurs in none of them, so
//! `parse(build(parts)) == parts`. [`aggregate_imdns`] and [`parse_aggregate`] do the same
//! for a list of [`DispositionNotification`](crate::imdn::DispositionNotification)s (an
//! aggregate laid out exactly as the writer writes it is read without building its parts;
//! any other body by the general reader, which gives every error), and
//! [`parse_nested`] checks a body with its CPIM and IMDN parts in one go.
//!
//! ```
//! use imflow::multipart::{self, OwnedPart};
//! let parts = vec![OwnedPart { headers: vec![("Content-Type".into(), "text/plain".into())], body: b"hi".to_vec() }];
//! let (boundary, body) = multipart::build(&parts);
//! assert_eq!(multipart::boundary_from_first_line(&body)?, boundary);
//! let parsed = multipart::parse(&body, &boundary)?;
//! assert_eq!(parsed.parts[0].body, b"hi");
//! # Ok::<(), imflow::multipart::MultipartError>(())
//! ```

mod aggregate;
mod boundary;
mod build;
mod error;
pub(crate) mod fnv;
pub mod fuzzing;
pub mod limits;
mod nested;
mod parse;
mod written;

pub use aggregate::{aggregate_imdns, parse_aggregate, IMDN_MEDIA_TYPE};
pub(crate) use aggregate::{parse_aggregate_documents, AggregateDocuments};
pub use boundary::choose_boundary;
pub use build::{build, OwnedPart};
pub use error::{AggregateError, MultipartError, MultipartErrorKind};
pub use nested::{parse_nested, NestedError};
pub use parse::{boundary_from_first_line, check_boundary, parse, Multipart, Part};

/// The `boundary` parameter of a `multipart/*` Content-Type value.
pub fn boundary_from_content_type(content_type: &str) -> Option<&str> {
    crate::cpim::mime::parameter(content_type, "boundary")
}
