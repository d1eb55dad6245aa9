//! The owned SIP message: what a node builds to send, and what a parsed [`Message`] becomes
//! when it must outlive its buffer.
//!
//! Equality is over what the wire carries once framing is removed: the start line fields, the
//! header rows in order (name as written, value unfolded), and the body. Content-Length is not a
//! row of an owned message: it is framing, derived from the body by the serializer. With that,
//! `parse(serialize(m)) == m` for every well-formed owned message (header names are tokens,
//! values hold no CR or LF and no leading or trailing whitespace).

use super::error::SipError;
use super::header_name::HeaderKind;
use super::message::{parse_datagram, Message};
use super::serialize;
/// The codec's one decimal writer, for the node's wire writers (the serializer's module is private).
pub(crate) use super::serialize::{decimal, DECIMAL_DIGITS_MAX};
use super::start_line::{StartLine, StatusCode};

/// An owned start line.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum OwnedStartLine {
    /// A Request-Line.
    Request {
        /// The method token, e.g. `MESSAGE`.
        method: String,
        /// The Request-URI.
        uri: String,
        /// The SIP-Version, normally `SIP/2.0`.
        version: String,
    },
    /// A Status-Line.
    Response {
        /// The SIP-Version, normally `SIP/2.0`.
        version: String,
        /// The status code.
        status: StatusCode,
        /// The reason phrase (may be empty).
        reason: String,
    },
}

/// One owned header row.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct OwnedHeader {
    /// The name as it will be written (full or compact form).
    pub name: String,
    /// The unfolded value.
    pub value: String,
}

/// An owned SIP message with a builder and a serializer.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct OwnedMessage {
    /// The start line.
    pub start_line: OwnedStartLine,
    /// Header rows in order, without Content-Length (the serializer writes it).
    pub headers: Vec<OwnedHeader>,
    /// The body.
    pub body: Vec<u8>,
}

/// The SIP-Version this codec writes.
pub const SIP_2_0: &str = "SIP/2.0";

/// Header rows a new message makes room for at once: the requests and responses of this
/// protocol carry five to eight, so one allocation usually holds them all.
const HEADERS_EXPECTED: usize = 8;

impl OwnedMessage {
    /// A request with no headers and no body: `method uri SIP/2.0`.
    pub fn request(method: impl Into<String>, uri: impl Into<String>) -> Self {
        OwnedMessage {
            start_line: OwnedStartLine::Request {
                method: method.into(),
                uri: uri.into(),
                version: SIP_2_0.to_owned(),
            },
            headers: Vec::with_capacity(HEADERS_EXPECTED),
            body: Vec::new(),
        }
    }

    /// A response with no headers and no body: `SIP/2.0 status reason`.
    pub fn response(status: StatusCode, reason: impl Into<String>) -> Self {
        OwnedMessage {
            start_line: OwnedStartLine::Response {
                version: SIP_2_0.to_owned(),
                status,
                reason: reason.into(),
            },
            headers: Vec::with_capacity(HEADERS_EXPECTED),
            body: Vec::new(),
        }
    }

    /// Appends a header row. A Content-Length row is ignored: the serializer derives it.
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.push_header(name, value);
        self
    }

    /// Appends a header row in place (Content-Length ignored, as in [`header`](Self::header)).
    pub fn push_header(&mut self, name: impl Into<String>, value: impl Into<String>) {
        let name = name.into();
        // Only a 14-byte name (`Content-Length`) or a 1-byte one (`l`) can be Content-Length.
        let may_be_length = matches!(name.len(), 1 | 14);
        if !may_be_length || HeaderKind::from_name(&name) != HeaderKind::ContentLength {
            self.headers.push(OwnedHeader {
                name,
                value: value.into(),
            });
        }
    }

    /// Sets the body.
    pub fn body(mut self, body: impl Into<Vec<u8>>) -> Self {
        self.body = body.into();
        self
    }

    /// The first value of header `name` (either form, any case), whole row.
    pub fn header_value(&self, name: &str) -> Option<&str> {
        let kind = HeaderKind::from_name(name);
        self.headers
            .iter()
            .find(|h| {
                let k = HeaderKind::from_name(&h.name);
                k == kind && (kind != HeaderKind::Other || h.name.eq_ignore_ascii_case(name))
            })
            .map(|h| h.value.as_str())
    }

    /// The request method, for a request.
    pub fn method(&self) -> Option<&str> {
        match &self.start_line {
            OwnedStartLine::Request { method, .. } => Some(method),
            OwnedStartLine::Response { .. } => None,
        }
    }

    /// The status code, for a response.
    pub fn status(&self) -> Option<StatusCode> {
        match &self.start_line {
            OwnedStartLine::Response { status, .. } => Some(*status),
            OwnedStartLine::Request { .. } => None,
        }
    }

    /// The wire form (see [`serialize::serialize`]).
    pub fn to_bytes(&self) -> Vec<u8> {
        serialize::serialize(self)
    }

    /// Parses a datagram into an owned message (no validation).
    pub fn from_bytes(bytes: &[u8]) -> Result<OwnedMessage, SipError> {
        parse_datagram(bytes).map(|m| m.to_owned())
    }
}

impl Message<'_> {
    /// Copies this message into an [`OwnedMessage`]: values unfolded, Content-Length dropped.
    pub fn to_owned(&self) -> OwnedMessage {
        let start_line = match *self.start_line() {
            StartLine::Request {
                method,
                uri,
                version,
            } => OwnedStartLine::Request {
                method: method.as_str().to_owned(),
                uri: uri.to_owned(),
                version: version.to_owned(),
            },
            StartLine::Response {
                version,
                status,
                reason,
            } => OwnedStartLine::Response {
                version: version.to_owned(),
                status,
                reason: reason.to_owned(),
            },
        };
        let mut headers = Vec::with_capacity(self.row_count());
        headers.extend(
            self.rows()
                .filter(|h| h.kind != HeaderKind::ContentLength)
                .map(|h| OwnedHeader {
                    name: h.name.to_owned(),
                    value: h.unfolded().into_owned(),
                }),
        );
        OwnedMessage {
            start_line,
            headers,
            body: self.body().to_vec(),
        }
    }
}
