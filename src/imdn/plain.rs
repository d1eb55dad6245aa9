//! A one-pass reader for IMDN documents in the plain form, the form [`to_xml`] writes and most
//! agents send: an optional `<?xml version="1.0" encoding="UTF-8"?>` declaration, the root
//! `<imdn xmlns="urn:ietf:params:xml:ns:imdn">` with no other attribute, unprefixed children
//! written `<name>text</name>`, the notification as `<kind><status><value/></status></kind>`,
//! XML whitespace between elements, and printable ASCII text with no markup character (no
//! `&`, `<`, `>`, so no entity or character reference and no CR to normalise).
//!
//! The reader builds no tree and allocates nothing: the fields it gives are slices of the
//! document. It answers only for
//! a document that is in the plain form *and* valid; for anything else (comments, CDATA,
//! prefixes, extension elements, attributes, non-ASCII text, a missing or repeated element, a
//! bad date) it answers `None`, and [`parse`](super::parse) runs the full XML parser, so every
//! verdict and error offset stays the full parser's. A plain document is well-formed XML whose
//! tree is the one the reader walked, so both readers give the same notification.
//!
//! [`to_xml`]: super::DispositionNotification::to_xml

use super::model::{DispositionNotification, Notification};
use super::xml::DocumentFields;
use crate::ascii_run::first_outside;
use crate::cpim::is_rfc3339_date_time;

/// The only XML declaration the plain form accepts.
const DECLARATION: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>";
/// The root start tag of the plain form: the IMDN namespace as the default namespace.
const ROOT_START: &str = "<imdn xmlns=\"urn:ietf:params:xml:ns:imdn\">";
/// The root end tag.
const ROOT_END: &str = "</imdn>";

/// Where the reader stands in the document. Every cut is made next to an ASCII byte, so the
/// pieces stay `str` slices of the one UTF-8 check made at the start.
struct Reader<'a> {
    rest: &'a str,
}

impl<'a> Reader<'a> {
    fn bytes(&self) -> &'a [u8] {
        self.rest.as_bytes()
    }

    /// Moves `n` bytes on (always to just after an ASCII byte).
    fn advance(&mut self, n: usize) -> Option<()> {
        self.rest = self.rest.get(n..)?;
        Some(())
    }

    /// Consumes `literal` if the document continues with it.
    fn eat(&mut self, literal: &str) -> bool {
        match self.rest.strip_prefix(literal) {
            Some(rest) => {
                self.rest = rest;
                true
            }
            None => false,
        }
    }

    /// Skips XML whitespace (production `S`).
    fn skip_space(&mut self) {
        let n = self
            .bytes()
            .iter()
            .take_while(|&&b| is_xml_space(b))
            .count();
        self.rest = self.rest.get(n..).unwrap_or_default();
    }

    /// `<name>` for one of the elements the root may hold in the plain form, with nothing
    /// inside the tag but the name; returns the name. Any other start tag means the document
    /// is not plain (the full parser decides), so it is not read at all.
    fn start_tag(&mut self) -> Option<&'static str> {
        let inner = self.rest.strip_prefix('<')?;
        // The names differ in length, so at most one is compared byte by byte.
        let name = ROOT_CHILDREN
            .into_iter()
            .find(|n| inner.as_bytes().get(n.len()) == Some(&b'>') && inner.starts_with(n))?;
        self.rest = inner.get(name.len() + 1..)?;
        Some(name)
    }

    /// `</name>` for exactly this name.
    fn end_tag(&mut self, name: &str) -> Option<()> {
        let after = self.rest.strip_prefix("</")?.strip_prefix(name)?;
        self.rest = after.strip_prefix('>')?;
        Some(())
    }

    /// Plain text up to the next `<`.
    fn text(&mut self) -> Option<&'a str> {
        let len = plain_text_len(self.bytes());
        let text = self.rest.get(..len)?;
        self.advance(len)?;
        self.rest.starts_with('<').then_some(text)
    }
}

/// The elements the root holds in the plain form (RFC 5438 section 11.1.1).
const ROOT_CHILDREN: [&str; 8] = [
    "message-id",
    "datetime",
    "recipient-uri",
    "original-recipient-uri",
    "subject",
    "delivery-notification",
    "processing-notification",
    "display-notification",
];

/// XML whitespace (production `S`).
fn is_xml_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r')
}

/// The bytes plain text may hold: printable ASCII other than markup, HTAB and LF.
static PLAIN_TEXT: [bool; 256] = plain_text();

const fn plain_text() -> [bool; 256] {
    let mut out = [false; 256];
    let mut b = 0;
    while b < 256 {
        let byte = b as u8;
        out[b] = matches!(byte, b'\t' | b'\n' | 0x20..=0x7e) && !matches!(byte, b'&' | b'<' | b'>');
        b += 1;
    }
    out
}

/// Whether plain text may hold `b`.
fn is_plain_text(b: u8) -> bool {
    PLAIN_TEXT[usize::from(b)]
}

/// Length of the run of plain text at the start of `bytes`. The run is found eight bytes at a
/// time as printable ASCII without markup characters; HTAB and LF end such a run but are plain
/// text, so they are stepped over one by one.
fn plain_text_len(bytes: &[u8]) -> usize {
    let mut i = 0;
    loop {
        let Some(at) = bytes
            .get(i..)
            .and_then(|rest| first_outside(rest, 0x20, *b"&<>"))
        else {
            return bytes.len();
        };
        let at = i + at;
        if !bytes.get(at).copied().is_some_and(is_plain_text) {
            return at;
        }
        i = at + 1;
    }
}

fn trim_xml_space(s: &str) -> &str {
    s.trim_matches(|c: char| c.is_ascii() && is_xml_space(c as u8))
}

/// Fills `slot` once; a second occurrence leaves the verdict to the full parser.
fn set_once<T>(slot: &mut Option<T>, value: T) -> Option<()> {
    if slot.is_some() {
        return None;
    }
    *slot = Some(value);
    Some(())
}

/// The notification of a plain document, or `None` when the document is not plain or not a
/// valid IMDN (the full parser then decides).
pub(super) fn read(input: &[u8]) -> Option<DispositionNotification> {
    read_fields(input).map(DocumentFields::into_notification)
}

/// [`read`]'s notification with every text field borrowed from `input`.
pub(super) fn read_fields(input: &[u8]) -> Option<DocumentFields<'_>> {
    let mut r = Reader {
        rest: std::str::from_utf8(input).ok()?,
    };
    r.eat(DECLARATION);
    r.skip_space();
    if !r.eat(ROOT_START) {
        return None;
    }
    let (mut message_id, mut datetime, mut recipient, mut original, mut subject) =
        (None, None, None, None, None);
    let mut notification = None;
    loop {
        r.skip_space();
        if r.eat(ROOT_END) {
            break;
        }
        let name = r.start_tag()?;
        match name {
            "delivery-notification" | "processing-notification" | "display-notification" => {
                set_once(&mut notification, read_notification(&mut r, name)?)?;
            }
            _ => {
                let text = r.text()?;
                r.end_tag(name)?;
                match name {
                    "message-id" => set_once(&mut message_id, trim_xml_space(text))?,
                    "datetime" => set_once(&mut datetime, trim_xml_space(text))?,
                    "recipient-uri" => set_once(&mut recipient, trim_xml_space(text))?,
                    "original-recipient-uri" => set_once(&mut original, trim_xml_space(text))?,
                    "subject" => set_once(&mut subject, text)?,
                    _ => return None,
                }
            }
        }
    }
    r.skip_space();
    if !r.rest.is_empty() {
        return None;
    }
    let message_id = message_id.filter(|id| !id.is_empty())?;
    let datetime = datetime.filter(|d| is_rfc3339_date_time(d))?;
    Some(DocumentFields {
        message_id,
        datetime,
        recipient_uri: recipient,
        original_recipient_uri: original,
        subject,
        notification: notification?,
    })
}

/// `<status><value/></status></kind>` after the `<kind>` start tag.
fn read_notification(r: &mut Reader<'_>, kind: &str) -> Option<Notification> {
    r.skip_space();
    r.eat("<status>").then_some(())?;
    r.skip_space();
    let inner = r.rest.strip_prefix('<')?;
    let close = inner.bytes().position(|b| b == b'/')?;
    let value = inner.get(..close)?;
    r.rest = inner.get(close..)?.strip_prefix("/>")?;
    r.skip_space();
    r.end_tag("status")?;
    r.skip_space();
    r.end_tag(kind)?;
    Notification::from_elements(kind, value)
}

#[cfg(test)]
mod tests;
