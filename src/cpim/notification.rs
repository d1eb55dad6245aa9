//! The CPIM body of a disposition notification (RFC 5438 sections 6 and 7.2.1.1), written in
//! one pass.
//!
//! Every IMDN a role sends has the same header block: `From` (its author), `To` (the IM's
//! sender), `DateTime`, `NS: imdn`, `imdn.Message-ID`, the `imdn.IMDN-Route` entries, then
//! `Content-Type` and `Content-Disposition`. When every value is one the builder's proof
//! vouches for (an absolute URI, an RFC 3339 date, a token, printable ASCII, within the
//! line, count and size limits) the body is written straight into one buffer, the document
//! after the headers with no copy in between; the bytes are exactly those the builder writes
//! for the same calls. Any other value goes through [`CpimBuilder`](super::CpimBuilder),
//! which decides as it always does, error included.

use super::address::is_ascii_absolute_uri;
use super::datetime::is_rfc3339_date_time;
use super::grammar::{first_non_printable_ascii, is_ascii_token};
use super::limits::{
    CONTENT_BYTES_MAX, CPIM_HEADER_COUNT_MAX, CPIM_MESSAGE_BYTES_MAX, HEADER_LINE_BYTES_MAX,
};
use super::owned::OwnedCpim;
use super::CpimError;
use bytes::{BufMut, BytesMut};

/// The header values of one IMDN's CPIM body.
#[derive(Clone, Copy, Debug)]
pub(crate) struct NotificationHeaders<'a> {
    /// `From`: the URI of the notification's author.
    pub(crate) from: &'a str,
    /// `To`: the URI of the IM's sender.
    pub(crate) to: &'a str,
    /// `DateTime` (RFC 3339).
    pub(crate) date_time: &'a str,
    /// `imdn.Message-ID` of the IMDN itself.
    pub(crate) message_id: &'a str,
    /// `imdn.IMDN-Route` entries, top first.
    pub(crate) route: &'a [&'a str],
    /// The MIME `Content-Type` of the encapsulated document.
    pub(crate) content_type: &'a str,
    /// The MIME `Content-Disposition` (`notification`).
    pub(crate) content_disposition: &'a str,
    /// The values already known to pass the checks [`vouched_for`](Self::vouched_for)
    /// makes, by how they were made, so that they are not scanned again.
    pub(crate) known: KnownValues,
}

/// Which values of a [`NotificationHeaders`] its writer knows to pass the value checks of the
/// builder's proof by how they were made: a URI the node-shape reader cut from an IM, a node's
/// own address-of-record checked once, a Message-ID a node drew itself, a constant media
/// type. Each claim must hold for the values it names (the tests of
/// each source hold it); the line limits are checked all the same.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct KnownValues {
    /// `from` is an ASCII absolute URI.
    pub(crate) from: bool,
    /// `to` and every `route` entry are ASCII absolute URIs.
    pub(crate) to_and_route: bool,
    /// `message_id` is an ASCII token.
    pub(crate) message_id: bool,
    /// `content_type` and `content_disposition` are printable ASCII.
    pub(crate) mime: bool,
    /// `date_time` is an RFC 3339 `date-time` (one a node wrote itself from its clock).
    pub(crate) date_time: bool,
}

impl KnownValues {
    /// Nothing known: every value is checked.
    pub(crate) const NONE: KnownValues = KnownValues {
        from: false,
        to_and_route: false,
        message_id: false,
        mime: false,
        date_time: false,
    };
}

/// CPIM headers an IMDN has besides its route: From, To, DateTime, NS and Message-ID.
const HEADERS_BESIDES_ROUTE: usize = 5;

/// Bytes of an IMDN's CPIM markup besides its values: names, separators, line ends and the
/// `NS` line, rounded up.
const MARKUP_BYTES: usize = 160;

impl NotificationHeaders<'_> {
    /// The body `OwnedCpim::builder()` gives for these headers (`from`, `to`, `datetime`,
    /// `message_id`, each `imdn_route`, `content_type`, the `Content-Disposition` MIME header)
    /// and the content `write_content` appends; `content_len_hint` is the room it needs. Roles
    /// write the body into their request ([`write_body_to`](Self::write_body_to)); the tests
    /// hold that to this body.
    #[cfg(test)]
    pub(crate) fn body_with(
        &self,
        content_len_hint: usize,
        write_content: impl FnOnce(&mut Vec<u8>),
    ) -> Result<Vec<u8>, CpimError> {
        if !self.vouched_for() {
            let mut content = Vec::with_capacity(content_len_hint);
            write_content(&mut content);
            return self.built(content);
        }
        let mut out = Vec::with_capacity(self.headers_len() + content_len_hint);
        self.write_headers(&mut out);
        let content_at = out.len();
        write_content(&mut out);
        let content_len = out.len() - content_at;
        if out.len() <= CPIM_MESSAGE_BYTES_MAX && content_len <= CONTENT_BYTES_MAX {
            return Ok(out);
        }
        let content = out.split_off(content_at);
        self.built(content)
    }

    /// Appends the body [`body_with`](Self::body_with) gives to the wire buffer `out` (the
    /// request that carries it), the content written by `write_content`: in one pass when
    /// every header is vouched for and the limits hold, else through the builder and copied
    /// in. On an error `out` holds a part of the body and is to be dropped.
    pub(crate) fn write_body_to(
        &self,
        out: &mut BytesMut,
        write_content: impl FnOnce(&mut BytesMut),
    ) -> Result<(), CpimError> {
        let body_at = out.len();
        if self.vouched_for() {
            self.write_headers(out);
            let content_at = out.len();
            write_content(out);
            let content_len = out.len() - content_at;
            if out.len() - body_at <= CPIM_MESSAGE_BYTES_MAX && content_len <= CONTENT_BYTES_MAX {
                return Ok(());
            }
            let content = out.split_off(content_at);
            out.truncate(body_at);
            out.extend_from_slice(&self.built(Vec::from(content))?);
            return Ok(());
        }
        let mut content = BytesMut::new();
        write_content(&mut content);
        out.extend_from_slice(&self.built(Vec::from(content))?);
        Ok(())
    }

    /// The same body through the builder, which checks and refuses as it always does.
    fn built(&self, content: Vec<u8>) -> Result<Vec<u8>, CpimError> {
        let mut builder = OwnedCpim::builder()
            .from(None, self.from)
            .to(None, self.to)
            .datetime(self.date_time)
            .message_id(self.message_id);
        for hop in self.route {
            builder = builder.imdn_route(hop);
        }
        builder
            .content_type(self.content_type)
            .mime_header("Content-Disposition", self.content_disposition)
            .content_owned(content)
            .build_serialized()
    }

    /// Whether the builder's proof holds for every header: then the message parses and the
    /// builder would hand out exactly the bytes `write_headers` writes.
    fn vouched_for(&self) -> bool {
        // A line is `name ": " value` within the limit; a value is printable ASCII with no
        // space at either end. The grammar checks below admit ASCII alone for the URIs and the
        // Message-ID, and an RFC 3339 date has no space and nothing outside ASCII, so each
        // value is read once (`tests::the_one_check_per_value_vouches_as_the_checks_by_parts`),
        // or not at all when it is known to pass (`self.known`).
        let known = self.known;
        let fits =
            |name: &str, value_len: usize| name.len() + 2 + value_len <= HEADER_LINE_BYTES_MAX;
        let address = |known: bool, name: &str, uri: &str| {
            (known || is_ascii_absolute_uri(uri)) && fits(name, uri.len() + 2)
        };
        let printable = |known: bool, value: &str| {
            known || first_non_printable_ascii(value.as_bytes()).is_none()
        };
        address(known.from, "From", self.from)
            && address(known.to_and_route, "To", self.to)
            && self
                .route
                .iter()
                .all(|hop| address(known.to_and_route, "imdn.IMDN-Route", hop))
            && self.route.len() + HEADERS_BESIDES_ROUTE <= CPIM_HEADER_COUNT_MAX
            && (known.date_time || is_rfc3339_date_time(self.date_time))
            && fits("DateTime", self.date_time.len())
            && (known.message_id || is_ascii_token(self.message_id))
            && fits("imdn.Message-ID", self.message_id.len())
            && printable(known.mime, self.content_type)
            && fits("Content-Type", self.content_type.len())
            && printable(known.mime, self.content_disposition)
            && fits("Content-Disposition", self.content_disposition.len())
    }

    /// Room for the whole body when its content needs `content_len_hint` bytes.
    pub(crate) fn body_len_hint(&self, content_len_hint: usize) -> usize {
        self.headers_len() + content_len_hint
    }

    /// Room for the header block and the MIME headers.
    fn headers_len(&self) -> usize {
        let route: usize = self.route.iter().map(|hop| hop.len() + 24).sum();
        MARKUP_BYTES
            + self.from.len()
            + self.to.len()
            + self.date_time.len()
            + self.message_id.len()
            + route
            + self.content_type.len()
            + self.content_disposition.len()
    }

    /// The header block, the blank line, the MIME headers and the blank line before the
    /// content, as the builder writes them: each value between the constant text around it,
    /// which is written as one piece from one line's end to the next value.
    fn write_headers(&self, out: &mut impl BufMut) {
        let mut put = |piece: &str| out.put_slice(piece.as_bytes());
        put("From: <");
        put(self.from);
        put(">\r\nTo: <");
        put(self.to);
        put(">\r\nDateTime: ");
        put(self.date_time);
        put(NS_TO_MESSAGE_ID);
        put(self.message_id);
        for hop in self.route {
            put("\r\nimdn.IMDN-Route: <");
            put(hop);
            put(">");
        }
        put("\r\n\r\nContent-Type: ");
        put(self.content_type);
        put("\r\nContent-Disposition: ");
        put(self.content_disposition);
        put("\r\n\r\n");
    }
}

/// The text from the end of the `DateTime` value to the `imdn.Message-ID` value: the line
/// end, the `NS: imdn <urn:ietf:params:imdn>` line and the Message-ID's name.
const NS_TO_MESSAGE_ID: &str = "\r\nNS: imdn <urn:ietf:params:imdn>\r\nimdn.Message-ID: ";

#[cfg(test)]
#[path = "notification_tests.rs"]
mod tests;
