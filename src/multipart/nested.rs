//! Checking a multipart body together with the CPIM and IMDN parts it carries, as
//! `imflow parse --kind multipart` does: one verdict, offsets relative to the whole body.

use super::error::MultipartError;
use super::parse::{boundary_from_first_line, parse, Multipart};
use crate::cpim::mime::media_type;
use crate::cpim::{self, CpimError};
use crate::diagnostic::Diagnostic;
use crate::imdn::{self, ImdnError};
use std::fmt;

/// Why a multipart body or one of its CPIM / IMDN parts is invalid.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NestedError {
    /// The multipart framing is broken.
    Multipart(MultipartError),
    /// A `message/cpim` part is invalid (offset relative to the whole body).
    Cpim(CpimError),
    /// A `message/imdn+xml` part is invalid (offset relative to the whole body).
    Imdn(ImdnError),
}

impl fmt::Display for NestedError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Multipart(e) => e.fmt(f),
            Self::Cpim(e) => e.fmt(f),
            Self::Imdn(e) => e.fmt(f),
        }
    }
}

impl std::error::Error for NestedError {}

impl Diagnostic for NestedError {
    fn rule(&self) -> &'static str {
        match self {
            Self::Multipart(e) => e.rule(),
            Self::Cpim(e) => e.rule(),
            Self::Imdn(e) => e.rule(),
        }
    }
    fn offset(&self) -> usize {
        match self {
            Self::Multipart(e) => e.offset,
            Self::Cpim(e) => e.offset,
            Self::Imdn(e) => e.offset,
        }
    }
}

/// Parses a multipart body whose boundary is taken from its first delimiter line, then parses
/// every `message/cpim` and `message/imdn+xml` part with its own codec.
pub fn parse_nested(body: &[u8]) -> Result<Multipart<'_>, NestedError> {
    let boundary = boundary_from_first_line(body).map_err(NestedError::Multipart)?;
    let multipart = parse(body, boundary).map_err(NestedError::Multipart)?;
    for part in &multipart.parts {
        let Some(content_type) = part.content_type() else {
            continue;
        };
        let at = part.body_offset;
        let kind = media_type(content_type);
        if kind.eq_ignore_ascii_case("message/cpim") {
            cpim::parse(part.body).map_err(|e| {
                NestedError::Cpim(CpimError {
                    kind: e.kind,
                    offset: at + e.offset,
                })
            })?;
        } else if kind.eq_ignore_ascii_case("message/imdn+xml") {
            imdn::parse(part.body).map_err(|e| {
                NestedError::Imdn(ImdnError {
                    kind: e.kind,
                    offset: at + e.offset,
                })
            })?;
        }
    }
    Ok(multipart)
}
