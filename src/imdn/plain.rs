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
use std::ops::Range;

/// The only XML declaration the plain form accepts.
const DECLARATION: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>";
/// The root start tag of the plain form: the IMDN namespace as the default namespace.
const ROOT_START: &str = "<imdn xmlns=\"urn:ietf:params:xml:ns:imdn\">";
/// The root end tag.
const ROOT_END: &str = "</imdn>";

/// Where the reader stands in the document: the bytes left of `len` in all. The document is
/// checked as UTF-8 once, and the text fields are cut from it by offset: every cut is made
/// next to an ASCII byte, so at a character boundary.
struct Reader<'a> {
    rest: &'a [u8],
    len: usize,
}

impl<'a> Reader<'a> {
    /// Consumes `literal` if the document continues with it.
    fn eat(&mut self, literal: &[u8]) -> bool {
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
        let n = self.rest.iter().take_while(|&&b| is_xml_space(b)).count();
        self.rest = self.rest.get(n..).unwrap_or_default();
    }

    /// `<name>` for one of the elements the root may hold in the plain form, with nothing
    /// inside the tag but the name; returns the name. Any other start tag means the document
    /// is not plain (the full parser decides), so it is not read at all.
    fn start_tag(&mut self) -> Option<&'static str> {
        let inner = self.rest.strip_prefix(b"<")?;
        // The names differ in length, so at most one is compared byte by byte.
        let name = ROOT_CHILDREN
            .into_iter()
            .find(|n| inner.get(n.len()) == Some(&b'>') && inner.starts_with(n.as_bytes()))?;
        self.rest = inner.get(name.len() + 1..)?;
        Some(name)
    }

    /// `</name>` for exactly this name.
    fn end_tag(&mut self, name: &str) -> Option<()> {
        let after = self
            .rest
            .strip_prefix(b"</")?
            .strip_prefix(name.as_bytes())?;
        self.rest = after.strip_prefix(b">")?;
        Some(())
    }

    /// Plain text up to the next `<`: its offsets in the document, without leading and
    /// trailing XML whitespace when `trim`.
    fn text(&mut self, trim: bool) -> Option<Range<usize>> {
        let len = plain_text_len(self.rest);
        let (text, rest) = self.rest.split_at_checked(len)?;
        let start = self.len - self.rest.len();
        self.rest = rest;
        if !self.rest.starts_with(b"<") {
            return None;
        }
        if !trim {
            return Some(start..start + len);
        }
        let lead = text.iter().take_while(|&&b| is_xml_space(b)).count();
        let trail = match lead == len {
            true => 0,
            false => text.iter().rev().take_while(|&&b| is_xml_space(b)).count(),
        };
        Some(start + lead..start + len - trail)
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
    let doc = std::str::from_utf8(input).ok()?;
    let mut r = Reader {
        rest: input,
        len: input.len(),
    };
    r.eat(DECLARATION.as_bytes());
    r.skip_space();
    if !r.eat(ROOT_START.as_bytes()) {
        return None;
    }
    let (mut message_id, mut datetime, mut recipient, mut original, mut subject) =
        (None, None, None, None, None);
    let mut notification = None;
    loop {
        r.skip_space();
        if r.eat(ROOT_END.as_bytes()) {
            break;
        }
        let name = r.start_tag()?;
        match name {
            "delivery-notification" | "processing-notification" | "display-notification" => {
                set_once(&mut notification, read_notification(&mut r, doc, name)?)?;
            }
            _ => {
                let text = r.text(name != "subject")?;
                r.end_tag(name)?;
                let text = doc.get(text)?;
                match name {
                    "message-id" => set_once(&mut message_id, text)?,
                    "datetime" => set_once(&mut datetime, text)?,
                    "recipient-uri" => set_once(&mut recipient, text)?,
                    "original-recipient-uri" => set_once(&mut original, text)?,
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
fn read_notification(r: &mut Reader<'_>, doc: &str, kind: &str) -> Option<Notification> {
    r.skip_space();
    r.eat(b"<status>").then_some(())?;
    r.skip_space();
    let inner = r.rest.strip_prefix(b"<")?;
    let close = inner.iter().position(|&b| b == b'/')?;
    let start = r.len - inner.len();
    let after = inner.get(close..)?;
    r.rest = after.strip_prefix(b"/>")?;
    r.skip_space();
    r.end_tag("status")?;
    r.skip_space();
    r.end_tag(kind)?;
    // A value of non-ASCII bytes is no status name: cut or not, the answer is `None`.
    Notification::from_elements(kind, doc.get(start..start + close)?)
}

#[cfg(test)]
mod tests;
