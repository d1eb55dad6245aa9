//! Writing the RFC 5438 section 11 document, with XML escaping.

use super::model::{DispositionNotification, Notification};
use super::IMDN_XML_NS;

/// The fields of an IMDN document, borrowed: what the writer reads. A
/// [`DispositionNotification`] lends its own; a recipient writing about a parsed IM lends the
/// IM's, so nothing is copied before the document is written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct DocumentFields<'a> {
    /// `<message-id>`.
    pub(crate) message_id: &'a str,
    /// `<datetime>`.
    pub(crate) datetime: &'a str,
    /// `<recipient-uri>`.
    pub(crate) recipient_uri: Option<&'a str>,
    /// `<original-recipient-uri>`.
    pub(crate) original_recipient_uri: Option<&'a str>,
    /// `<subject>`.
    pub(crate) subject: Option<&'a str>,
    /// The notification kind and its status.
    pub(crate) notification: Notification,
}

impl DispositionNotification {
    /// Writes the `message/imdn+xml` document (UTF-8, LF line ends, two-space indent).
    ///
    /// The schema puts `<recipient-uri>` and `<original-recipient-uri>` in one optional group,
    /// so both or neither are written: when only one is known it stands for both (without an
    /// address rewrite the recipient is also the original recipient). Text is escaped; a CR is
    /// written as `&#13;` so XML line-end normalisation cannot change it; characters XML 1.0
    /// cannot carry are written as U+FFFD.
    pub fn to_xml(&self) -> String {
        self.fields().to_xml()
    }

    /// The document's fields, borrowed.
    pub(crate) fn fields(&self) -> DocumentFields<'_> {
        DocumentFields {
            message_id: &self.message_id,
            datetime: &self.datetime,
            recipient_uri: self.recipient_uri.as_deref(),
            original_recipient_uri: self.original_recipient_uri.as_deref(),
            subject: self.subject.as_deref(),
            notification: self.notification,
        }
    }
}

impl DocumentFields<'_> {
    /// Writes the document exactly as [`DispositionNotification::to_xml`] describes.
    pub(crate) fn to_xml(self) -> String {
        let mut out = String::with_capacity(self.xml_len_hint());
        out.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        out.push_str("<imdn xmlns=\"");
        out.push_str(IMDN_XML_NS);
        out.push_str("\">\n");
        element(&mut out, "message-id", self.message_id);
        element(&mut out, "datetime", self.datetime);
        let pair = match (self.recipient_uri, self.original_recipient_uri) {
            (Some(r), Some(o)) => Some((r, o)),
            (Some(r), None) => Some((r, r)),
            (None, Some(o)) => Some((o, o)),
            (None, None) => None,
        };
        if let Some((recipient, original)) = pair {
            element(&mut out, "recipient-uri", recipient);
            element(&mut out, "original-recipient-uri", original);
        }
        if let Some(subject) = self.subject {
            element(&mut out, "subject", subject);
        }
        let n = self.notification;
        for piece in [
            "  <",
            n.element(),
            "><status><",
            n.status_element(),
            "/></status></",
            n.element(),
            ">\n</imdn>\n",
        ] {
            out.push_str(piece);
        }
        out
    }
}

impl DocumentFields<'_> {
    /// The document's length when no text needs escaping: the markup of the longest
    /// notification (`TO_XML_MARKUP_BYTES_MAX`) plus the text, so the writer allocates once.
    fn xml_len_hint(self) -> usize {
        let uri = |u: Option<&str>| u.map_or(0, str::len);
        let (r, o) = (uri(self.recipient_uri), uri(self.original_recipient_uri));
        TO_XML_MARKUP_BYTES_MAX
            + self.message_id.len()
            + self.datetime.len()
            + 2 * r.max(o)
            + uri(self.subject)
    }
}

/// Bytes of markup `to_xml` writes around the text fields at most: the declaration, the root,
/// every optional element and the longest notification and status names.
const TO_XML_MARKUP_BYTES_MAX: usize = 400;

fn element(out: &mut String, name: &str, text: &str) {
    out.push_str("  <");
    out.push_str(name);
    out.push('>');
    escape_text(out, text);
    out.push_str("</");
    out.push_str(name);
    out.push_str(">\n");
}

/// Whether XML 1.0 allows `c` in a document (production `Char`).
fn is_xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

fn escape_text(out: &mut String, text: &str) {
    // Message-IDs, dates and URIs are plain printable ASCII: copied as they are.
    let plain = |b: u8| (0x20..0x7f).contains(&b) && !matches!(b, b'&' | b'<' | b'>');
    if text.bytes().all(plain) {
        out.push_str(text);
        return;
    }
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\r' => out.push_str("&#13;"),
            c if is_xml_char(c) => out.push(c),
            _ => out.push('\u{FFFD}'),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_markup_of_every_notification_fits_the_length_hint() {
        for notification in Notification::ALL {
            let empty = DispositionNotification {
                message_id: String::new(),
                datetime: String::new(),
                recipient_uri: Some(String::new()),
                original_recipient_uri: Some(String::new()),
                subject: Some(String::new()),
                notification,
            };
            assert!(empty.to_xml().len() <= TO_XML_MARKUP_BYTES_MAX);
        }
    }
}
