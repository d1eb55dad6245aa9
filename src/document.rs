//! Whole documents as `imflow parse` sees them: a SIP message, a CPIM body, an IMDN document or a
//! multipart/mixed body, decoded and validated together with the bodies they carry.
//!
//! A SIP message whose body is `message/cpim` has that body checked too, and a CPIM message whose
//! content is `message/imdn+xml` or `multipart/mixed` has its content checked; every error offset
//! is relative to the start of the document, so a user can find the byte in the file.

use crate::diagnostic::Diagnostic;
use crate::{cpim, imdn, multipart, sip};
use std::fmt;

/// Which wire format a document is in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DocumentKind {
    /// A SIP request or response (RFC 3261), framed as a datagram.
    Sip,
    /// A Message/CPIM body (RFC 3862).
    Cpim,
    /// An IMDN XML document (RFC 5438 section 11).
    Imdn,
    /// A multipart/mixed body (RFC 2046); the boundary is taken from the first delimiter line.
    Multipart,
}

impl DocumentKind {
    /// The lowercase name used on the command line and in JSON output.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Sip => "sip",
            Self::Cpim => "cpim",
            Self::Imdn => "imdn",
            Self::Multipart => "multipart",
        }
    }

    /// Guesses the kind from the first bytes: XML is IMDN, a leading `--` delimiter is
    /// multipart, a SIP start line is SIP, anything else is CPIM.
    pub fn detect(bytes: &[u8]) -> DocumentKind {
        let start = bytes
            .iter()
            .position(|b| !b.is_ascii_whitespace())
            .unwrap_or(bytes.len());
        let rest = &bytes[start..];
        let first_line = rest.split(|&b| b == b'\n').next().unwrap_or(&[]);
        if rest.starts_with(b"<") {
            DocumentKind::Imdn
        } else if rest.starts_with(b"--") {
            DocumentKind::Multipart
        } else if looks_like_sip_start_line(first_line) {
            DocumentKind::Sip
        } else {
            DocumentKind::Cpim
        }
    }
}

fn looks_like_sip_start_line(line: &[u8]) -> bool {
    let upper: Vec<u8> = line
        .iter()
        .take(4096)
        .map(|b| b.to_ascii_uppercase())
        .collect();
    upper.starts_with(b"SIP/") || upper.windows(5).any(|w| w == b" SIP/")
}

/// Why a document is invalid: the broken rule, the byte offset in the document, and a message.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Finding {
    /// The kebab-case rule name reported by the codec that found the problem.
    pub rule: &'static str,
    /// Byte offset from the start of the document.
    pub offset: usize,
    /// A human-readable description.
    pub message: String,
}

impl Finding {
    fn from_diagnostic(e: &dyn Diagnostic, base: usize) -> Finding {
        Finding {
            rule: e.rule(),
            offset: base + e.offset(),
            message: e.to_string(),
        }
    }
}

impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} at byte {}: {}", self.rule, self.offset, self.message)
    }
}

/// Decodes and validates a document of the given kind, including the bodies it carries.
pub fn check(kind: DocumentKind, bytes: &[u8]) -> Result<(), Finding> {
    match kind {
        DocumentKind::Sip => check_sip(bytes),
        DocumentKind::Cpim => check_cpim(bytes, 0),
        DocumentKind::Imdn => imdn::parse(bytes)
            .map(|_| ())
            .map_err(|e| Finding::from_diagnostic(&e, 0)),
        DocumentKind::Multipart => multipart::parse_nested(bytes)
            .map(|_| ())
            .map_err(|e| Finding::from_diagnostic(&e, 0)),
    }
}

fn check_sip(bytes: &[u8]) -> Result<(), Finding> {
    let message = sip::parse_datagram(bytes).map_err(|e| Finding::from_diagnostic(&e, 0))?;
    sip::validate(&message).map_err(|e| Finding::from_diagnostic(&e, 0))?;
    let body_offset = message.header_section_len();
    let content_type = message
        .content_type()
        .map_err(|e| Finding::from_diagnostic(&e, 0))?;
    match content_type {
        Some(t) if t.is("message", "cpim") => check_cpim(message.body(), body_offset),
        _ => Ok(()),
    }
}

fn check_cpim(bytes: &[u8], base: usize) -> Result<(), Finding> {
    let message = cpim::parse(bytes).map_err(|e| Finding::from_diagnostic(&e, base))?;
    let Some(content_type) = message.content_type() else {
        return Ok(());
    };
    let at = base + message.content_offset;
    let media = cpim::mime::media_type(content_type);
    if media.eq_ignore_ascii_case("message/imdn+xml") {
        imdn::parse(message.content)
            .map(|_| ())
            .map_err(|e| Finding::from_diagnostic(&e, at))
    } else if media.eq_ignore_ascii_case("multipart/mixed") {
        let Some(boundary) = multipart::boundary_from_content_type(content_type) else {
            return Err(Finding {
                rule: "multipart-boundary-missing",
                offset: base,
                message: "multipart/mixed content without a boundary parameter".to_owned(),
            });
        };
        multipart::parse(message.content, boundary)
            .map(|_| ())
            .map_err(|e| Finding::from_diagnostic(&e, at))
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_are_detected_from_the_first_bytes() {
        assert_eq!(
            DocumentKind::detect(b"<?xml version=\"1.0\"?><imdn/>"),
            DocumentKind::Imdn
        );
        assert_eq!(
            DocumentKind::detect(b"--b\r\n\r\nx\r\n--b--"),
            DocumentKind::Multipart
        );
        assert_eq!(
            DocumentKind::detect(b"MESSAGE sip:a@b SIP/2.0\r\n"),
            DocumentKind::Sip
        );
        assert_eq!(
            DocumentKind::detect(b"SIP/2.0 200 OK\r\n"),
            DocumentKind::Sip
        );
        assert_eq!(
            DocumentKind::detect(b"From: <sip:a@b>\r\n\r\n"),
            DocumentKind::Cpim
        );
    }

    #[test]
    fn a_broken_cpim_body_inside_sip_is_reported_at_its_file_offset() {
        let body = b"From <sip:a@b.example>\r\n\r\nContent-Type: text/plain\r\n\r\nhi";
        let head = format!(
            "MESSAGE sip:b@b.example SIP/2.0\r\nVia: SIP/2.0/UDP a.example;branch=z9hG4bK1\r\n\
             Max-Forwards: 70\r\nFrom: <sip:a@a.example>;tag=1\r\nTo: <sip:b@b.example>\r\n\
             Call-ID: c1\r\nCSeq: 1 MESSAGE\r\nContent-Type: message/cpim\r\n\
             Content-Length: {}\r\n\r\n",
            body.len()
        );
        let mut bytes = head.clone().into_bytes();
        bytes.extend_from_slice(body);
        let finding = check(DocumentKind::Sip, &bytes).unwrap_err();
        assert!(finding.offset >= head.len(), "{finding}");
    }
}
