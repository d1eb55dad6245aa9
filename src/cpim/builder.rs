//! A builder for CPIM messages as the protocol roles write them (RFC 3862, RFC 5438 section 6).

use super::address::format_address;
use super::disposition::DispositionSet;
use super::grammar::escape;
use super::owned::{OwnedCpim, OwnedHeader};
use super::{CpimError, IMDN_NS};

/// Builds an [`OwnedCpim`]; IMDN headers declare `NS: imdn <urn:ietf:params:imdn>` on first use.
#[derive(Clone, Debug, Default)]
pub struct CpimBuilder {
    message: OwnedCpim,
    imdn_declared: bool,
}

/// CPIM headers a builder makes room for at once: an RFC 5438 IM or IMDN has about ten.
const HEADERS_EXPECTED: usize = 12;

impl OwnedCpim {
    /// Starts a builder.
    pub fn builder() -> CpimBuilder {
        CpimBuilder {
            message: OwnedCpim {
                headers: Vec::with_capacity(HEADERS_EXPECTED),
                mime_headers: Vec::with_capacity(2),
                content: Vec::new(),
            },
            imdn_declared: false,
        }
    }
}

impl CpimBuilder {
    fn push(mut self, prefix: Option<&str>, name: &str, value_raw: String) -> Self {
        self.message.headers.push(OwnedHeader {
            prefix: prefix.map(str::to_owned),
            name: name.to_owned(),
            params: Vec::new(),
            value_raw,
        });
        self
    }

    fn imdn(mut self, name: &str, value_raw: String) -> Self {
        if !self.imdn_declared {
            self.imdn_declared = true;
            self = self.push(None, "NS", format!("imdn <{IMDN_NS}>"));
        }
        self.push(Some("imdn"), name, value_raw)
    }

    /// Adds `From: [name] <uri>`.
    pub fn from(self, formal_name: Option<&str>, uri: &str) -> Self {
        self.push(None, "From", format_address(formal_name, uri))
    }

    /// Adds a `To: [name] <uri>` (may be called several times).
    pub fn to(self, formal_name: Option<&str>, uri: &str) -> Self {
        self.push(None, "To", format_address(formal_name, uri))
    }

    /// Adds `DateTime` (RFC 3339).
    pub fn datetime(self, date_time: &str) -> Self {
        self.push(None, "DateTime", date_time.to_owned())
    }

    /// Adds `Subject`, escaping the text, with an optional `;lang=` parameter.
    pub fn subject(mut self, lang: Option<&str>, text: &str) -> Self {
        self = self.push(None, "Subject", escape(text, false).into_owned());
        if let (Some(lang), Some(h)) = (lang, self.message.headers.last_mut()) {
            h.params.push(("lang".to_owned(), lang.to_owned()));
        }
        self
    }

    /// Adds `imdn.Message-ID`.
    pub fn message_id(self, id: &str) -> Self {
        self.imdn("Message-ID", id.to_owned())
    }

    /// Adds `imdn.Disposition-Notification`.
    pub fn disposition_notification(self, set: DispositionSet) -> Self {
        self.imdn("Disposition-Notification", set.to_string())
    }

    /// Adds `imdn.Original-To`.
    pub fn original_to(self, formal_name: Option<&str>, uri: &str) -> Self {
        self.imdn("Original-To", format_address(formal_name, uri))
    }

    /// Adds an `imdn.IMDN-Record-Route` entry (call in top-first order).
    pub fn imdn_record_route(self, uri: &str) -> Self {
        self.imdn("IMDN-Record-Route", format_address(None, uri))
    }

    /// Adds an `imdn.IMDN-Route` entry (call in top-first order).
    pub fn imdn_route(self, uri: &str) -> Self {
        self.imdn("IMDN-Route", format_address(None, uri))
    }

    /// Adds any header; the value is escaped. Declare a prefix with `header(None, "NS", ..)`.
    pub fn header(self, prefix: Option<&str>, name: &str, value: &str) -> Self {
        self.push(prefix, name, escape(value, false).into_owned())
    }

    /// Adds `Content-Type` to the encapsulated entity.
    pub fn content_type(self, media_type: &str) -> Self {
        self.mime_header("Content-Type", media_type)
    }

    /// Adds a MIME header to the encapsulated entity.
    pub fn mime_header(mut self, name: &str, value: &str) -> Self {
        self.message
            .mime_headers
            .push((name.to_owned(), value.to_owned()));
        self
    }

    /// Sets the content bytes.
    pub fn content(mut self, bytes: &[u8]) -> Self {
        self.message.content = bytes.to_vec();
        self
    }

    /// Finishes the message, refusing it if its serialization would not parse.
    pub fn build(self) -> Result<OwnedCpim, CpimError> {
        self.message.validate()?;
        Ok(self.message)
    }
}
