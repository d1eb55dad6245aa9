//! A builder for CPIM messages as the protocol roles write them (RFC 3862, RFC 5438 section 6).
//!
//! The builder writes the wire form as it goes: CPIM header lines into one string, MIME
//! header lines into another, and remembers where each piece lies, so that
//! [`build_serialized`](CpimBuilder::build_serialized) only concatenates and
//! [`build`](CpimBuilder::build) copies the pieces out. Either refuses a message that would not
//! parse; how that is known without parsing it again is the job of [`proof`](super::proof).
//!
//! One file per job: this one adds headers in protocol terms; `header_line` writes a header
//! line and records where its pieces lie; `finish` ends the message as bytes or an owned copy.

mod finish;
mod header_line;

use super::address::format_address;
use super::disposition::DispositionSet;
use super::grammar::escape;
use super::owned::OwnedCpim;
use super::proof::{
    Proof, SingleBit, ValueRule, SINGLE_DATETIME, SINGLE_FROM, SINGLE_MESSAGE_ID,
    SINGLE_ORIGINAL_TO,
};
use super::IMDN_NS;
use header_line::{HeaderSpan, Value};
use std::ops::Range;

/// Builds an [`OwnedCpim`]; IMDN headers declare `NS: imdn <urn:ietf:params:imdn>` on first use.
#[derive(Clone, Debug, Default)]
pub struct CpimBuilder {
    /// The CPIM header lines as written, each ending in CRLF.
    headers: String,
    /// Where each CPIM header's pieces lie in `headers`, in order.
    spans: Vec<HeaderSpan>,
    /// The MIME header lines of the encapsulated entity, each `Name: value` CRLF.
    mime: String,
    /// Where each MIME header's name and value lie in `mime`, in order.
    mime_spans: Vec<(Range<usize>, Range<usize>)>,
    /// The content bytes.
    content: Vec<u8>,
    imdn_declared: bool,
    proof: Proof,
}

/// CPIM headers a builder makes room for at once: an RFC 5438 IM or IMDN has about ten.
const HEADERS_EXPECTED: usize = 12;
/// Bytes of header lines a builder makes room for at once: an IMDN's block is about 300.
const HEADER_BYTES_EXPECTED: usize = 384;

impl OwnedCpim {
    /// Starts a builder.
    pub fn builder() -> CpimBuilder {
        CpimBuilder {
            headers: String::with_capacity(HEADER_BYTES_EXPECTED),
            spans: Vec::with_capacity(HEADERS_EXPECTED),
            mime_spans: Vec::with_capacity(2),
            ..CpimBuilder::default()
        }
    }
}

impl CpimBuilder {
    fn address(self, prefix: Option<&str>, name: &str, formal: Option<&str>, uri: &str) -> Self {
        let single = match (prefix, name) {
            (None, "From") => SINGLE_FROM,
            (Some(_), "Original-To") => SINGLE_ORIGINAL_TO,
            _ => 0,
        };
        match formal {
            None => self.checked(
                prefix,
                name,
                Value::Pieces(["<", uri, ">"]),
                ValueRule::Address,
                single,
            ),
            Some(formal) => {
                let text = format_address(Some(formal), uri);
                self.checked(prefix, name, Value::Text(&text), ValueRule::Address, single)
            }
        }
    }

    fn imdn(mut self, name: &str, value: Value<'_>, rule: ValueRule, single: SingleBit) -> Self {
        if !self.imdn_declared {
            self = self.imdn_declare();
        }
        self.checked(Some("imdn"), name, value, rule, single)
    }

    fn imdn_address(mut self, name: &str, formal: Option<&str>, uri: &str) -> Self {
        if !self.imdn_declared {
            self = self.imdn_declare();
        }
        self.address(Some("imdn"), name, formal, uri)
    }

    /// `NS: imdn <urn:ietf:params:imdn>`, before the first IMDN header.
    fn imdn_declare(mut self) -> Self {
        self.imdn_declared = true;
        let ns = Value::Pieces(["imdn <", IMDN_NS, ">"]);
        self.checked(None, "NS", ns, ValueRule::ImdnNamespace, 0)
    }

    /// Adds `From: [name] <uri>`.
    pub fn from(self, formal_name: Option<&str>, uri: &str) -> Self {
        self.address(None, "From", formal_name, uri)
    }

    /// Adds a `To: [name] <uri>` (may be called several times).
    pub fn to(self, formal_name: Option<&str>, uri: &str) -> Self {
        self.address(None, "To", formal_name, uri)
    }

    /// Adds `DateTime` (RFC 3339).
    pub fn datetime(self, date_time: &str) -> Self {
        let value = Value::Text(date_time);
        self.checked(
            None,
            "DateTime",
            value,
            ValueRule::DateTime,
            SINGLE_DATETIME,
        )
    }

    /// Adds `Subject`, escaping the text, with an optional `;lang=` parameter.
    pub fn subject(mut self, lang: Option<&str>, text: &str) -> Self {
        let text = escape(text, false);
        self.write(None, "Subject", lang, Value::Text(&text));
        self.proof.raw_header();
        self
    }

    /// Adds `imdn.Message-ID`.
    pub fn message_id(self, id: &str) -> Self {
        let value = Value::Text(id);
        self.imdn("Message-ID", value, ValueRule::MessageId, SINGLE_MESSAGE_ID)
    }

    /// Adds `imdn.Disposition-Notification`.
    pub fn disposition_notification(self, set: DispositionSet) -> Self {
        let value = Value::Dispositions(set);
        self.imdn("Disposition-Notification", value, ValueRule::Disposition, 0)
    }

    /// Adds `imdn.Original-To`.
    pub fn original_to(self, formal_name: Option<&str>, uri: &str) -> Self {
        self.imdn_address("Original-To", formal_name, uri)
    }

    /// Adds an `imdn.IMDN-Record-Route` entry (call in top-first order).
    pub fn imdn_record_route(self, uri: &str) -> Self {
        self.imdn_address("IMDN-Record-Route", None, uri)
    }

    /// Adds an `imdn.IMDN-Route` entry (call in top-first order).
    pub fn imdn_route(self, uri: &str) -> Self {
        self.imdn_address("IMDN-Route", None, uri)
    }

    /// Adds any header; the value is escaped. Declare a prefix with `header(None, "NS", ..)`.
    pub fn header(mut self, prefix: Option<&str>, name: &str, value: &str) -> Self {
        let value = escape(value, false);
        self.write(prefix, name, None, Value::Text(&value));
        self.proof.raw_header();
        self
    }

    /// Adds `Content-Type` to the encapsulated entity.
    pub fn content_type(self, media_type: &str) -> Self {
        self.mime_header("Content-Type", media_type)
    }

    /// Adds a MIME header to the encapsulated entity.
    pub fn mime_header(mut self, name: &str, value: &str) -> Self {
        let out = &mut self.mime;
        let name_at = out.len();
        out.push_str(name);
        out.push_str(": ");
        let value_at = out.len();
        out.push_str(value);
        out.push_str("\r\n");
        let spans = (
            name_at..name_at + name.len(),
            value_at..value_at + value.len(),
        );
        self.mime_spans.push(spans);
        self.proof.mime_header(name, value);
        self
    }

    /// Sets the content bytes.
    pub fn content(mut self, bytes: &[u8]) -> Self {
        self.content.clear();
        self.content.extend_from_slice(bytes);
        self
    }

    /// Sets the content bytes, taking them as they are (no copy).
    pub(crate) fn content_owned(mut self, bytes: Vec<u8>) -> Self {
        self.content = bytes;
        self
    }
}

#[cfg(test)]
#[path = "builder_tests.rs"]
mod tests;
