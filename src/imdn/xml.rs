//! Writing the RFC 5438 section 11 document, with XML escaping.

use super::markup::{
    notification_end, DATETIME_END, DOCUMENT_START, MESSAGE_ID_END_DATETIME,
    ORIGINAL_RECIPIENT_URI_END, RECIPIENT_URI, RECIPIENT_URI_END_ORIGINAL, SUBJECT,
};
use super::model::{DispositionNotification, Notification};
use crate::ascii_run::first_outside;
use crate::multipart::fnv::{fnv1a, FoldedText};

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
    /// The notification with its own copy of every field.
    pub(crate) fn into_notification(self) -> DispositionNotification {
        DispositionNotification {
            message_id: self.message_id.to_owned(),
            datetime: self.datetime.to_owned(),
            recipient_uri: self.recipient_uri.map(str::to_owned),
            original_recipient_uri: self.original_recipient_uri.map(str::to_owned),
            subject: self.subject.map(str::to_owned),
            notification: self.notification,
        }
    }

    /// Writes the document exactly as [`DispositionNotification::to_xml`] describes.
    pub(crate) fn to_xml(self) -> String {
        let mut out = String::with_capacity(self.xml_len_hint());
        self.write(&mut out);
        out
    }

    /// Appends the document [`to_xml`](Self::to_xml) writes to the wire buffer `out`, e.g.
    /// straight into the request that carries it.
    pub(crate) fn write_xml_to_wire(self, out: &mut bytes::BytesMut) {
        self.write(out);
    }

    /// Appends the document [`to_xml`](Self::to_xml) writes to `out` and returns
    /// `fnv1a(hash, document)`: the markup is folded in one step per piece, only the text
    /// is hashed byte by byte.
    pub(crate) fn write_xml_hashed(self, out: &mut Vec<u8>, hash: u64) -> u64 {
        let mut sink = Hashing { out, hash };
        self.write(&mut sink);
        sink.hash
    }

    /// What [`write_xml_hashed`](Self::write_xml_hashed) returns, without writing: the
    /// FNV-1a hash of the document from `hash`, markup folded a piece at a time.
    #[cfg(test)]
    pub(crate) fn xml_hash(self, hash: u64) -> u64 {
        self.hash_only(hash, true)
    }

    /// [`xml_hash`](Self::xml_hash) for fields whose texts need no escaping (printable ASCII
    /// without `&`, `<`, `>`: every text the reader of the writer's layout admits), hashed as
    /// they are. A role that copies a document read as written fingerprints it so.
    pub(crate) fn plain_xml_hash(self, hash: u64) -> u64 {
        self.hash_only(hash, false)
    }

    /// The FNV-1a hash of the document from `hash`, its texts taken `escaped` or as they are.
    fn hash_only(self, hash: u64, escaped: bool) -> u64 {
        let mut sink = HashOnly { hash, escaped };
        self.write(&mut sink);
        sink.hash
    }

    fn write(self, out: &mut impl XmlSink) {
        // Markup that always follows other markup is one piece (see `markup`).
        out.put_markup(&DOCUMENT_START);
        out.put_text(self.message_id);
        out.put_markup(&MESSAGE_ID_END_DATETIME);
        out.put_text(self.datetime);
        out.put_markup(&DATETIME_END);
        let pair = match (self.recipient_uri, self.original_recipient_uri) {
            (Some(r), Some(o)) => Some((r, o)),
            (Some(r), None) => Some((r, r)),
            (None, Some(o)) => Some((o, o)),
            (None, None) => None,
        };
        if let Some((recipient, original)) = pair {
            out.put_markup(&RECIPIENT_URI);
            out.put_text(recipient);
            out.put_markup(&RECIPIENT_URI_END_ORIGINAL);
            out.put_text(original);
            out.put_markup(&ORIGINAL_RECIPIENT_URI_END);
        }
        if let Some(subject) = self.subject {
            element(out, &SUBJECT, subject);
        }
        out.put_markup(notification_end(self.notification));
    }
}

/// Where a document is written: a `String` of its own, or the bytes of the body carrying it.
trait XmlSink {
    /// Appends text.
    fn put(&mut self, text: &str);
    /// Appends one character.
    fn put_char(&mut self, c: char);
    /// Appends a piece of markup.
    fn put_markup(&mut self, markup: &'static FoldedText) {
        self.put(markup.text());
    }
    /// Appends the text of an element, escaped.
    fn put_text(&mut self, text: &str)
    where
        Self: Sized,
    {
        escape_text(self, text);
    }
}

impl XmlSink for String {
    fn put(&mut self, text: &str) {
        self.push_str(text);
    }

    fn put_char(&mut self, c: char) {
        self.push(c);
    }
}

impl XmlSink for bytes::BytesMut {
    fn put(&mut self, text: &str) {
        self.extend_from_slice(text.as_bytes());
    }

    fn put_char(&mut self, c: char) {
        self.extend_from_slice(c.encode_utf8(&mut [0; 4]).as_bytes());
    }
}

impl XmlSink for Vec<u8> {
    fn put(&mut self, text: &str) {
        self.extend_from_slice(text.as_bytes());
    }

    fn put_char(&mut self, c: char) {
        self.extend_from_slice(c.encode_utf8(&mut [0; 4]).as_bytes());
    }
}

/// The bytes of a body, with the FNV-1a hash of everything appended so far.
struct Hashing<'o> {
    out: &'o mut Vec<u8>,
    hash: u64,
}

impl XmlSink for Hashing<'_> {
    fn put(&mut self, text: &str) {
        self.out.extend_from_slice(text.as_bytes());
        self.hash = fnv1a(self.hash, text.as_bytes());
    }

    fn put_char(&mut self, c: char) {
        self.put(c.encode_utf8(&mut [0; 4]));
    }

    fn put_markup(&mut self, markup: &'static FoldedText) {
        self.out.extend_from_slice(markup.text().as_bytes());
        self.hash = markup.fold(self.hash);
    }
}

/// The FNV-1a hash of everything appended, and nothing written; texts are hashed as escaped,
/// or (`escaped` false, for texts known to need no escaping) as they are.
struct HashOnly {
    hash: u64,
    escaped: bool,
}

impl XmlSink for HashOnly {
    fn put(&mut self, text: &str) {
        self.hash = fnv1a(self.hash, text.as_bytes());
    }

    fn put_char(&mut self, c: char) {
        self.put(c.encode_utf8(&mut [0; 4]));
    }

    fn put_markup(&mut self, markup: &'static FoldedText) {
        self.hash = markup.fold(self.hash);
    }

    fn put_text(&mut self, text: &str) {
        match self.escaped {
            true => escape_text(self, text),
            false => self.put(text),
        }
    }
}

impl DocumentFields<'_> {
    /// The document's length when no text needs escaping: the markup of the longest
    /// notification (`TO_XML_MARKUP_BYTES_MAX`) plus the text, so the writer allocates once.
    pub(crate) fn xml_len_hint(self) -> usize {
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

/// Writes one text element from its two tags as written (`  <name>`, `</name>` and LF).
fn element(out: &mut impl XmlSink, [open, close]: &'static [FoldedText; 2], text: &str) {
    out.put_markup(open);
    out.put_text(text);
    out.put_markup(close);
}

/// Whether XML 1.0 allows `c` in a document (production `Char`).
fn is_xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

fn escape_text(out: &mut impl XmlSink, text: &str) {
    // Message-IDs, dates and URIs are plain printable ASCII without markup characters:
    // found so a word at a time, and copied as they are.
    if first_outside(text.as_bytes(), 0x20, *b"&<>").is_none() {
        out.put(text);
        return;
    }
    for c in text.chars() {
        match c {
            '&' => out.put("&amp;"),
            '<' => out.put("&lt;"),
            '>' => out.put("&gt;"),
            '\r' => out.put("&#13;"),
            c if is_xml_char(c) => out.put_char(c),
            _ => out.put_char('\u{FFFD}'),
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

    /// A notification whose Message-ID, recipient and subject all carry `text`.
    fn with_texts(text: &str, notification: Notification) -> DispositionNotification {
        DispositionNotification {
            message_id: text.to_owned(),
            datetime: "2024-03-18T09:30:05Z".to_owned(),
            recipient_uri: Some(format!("sip:{text}@x")),
            original_recipient_uri: None,
            subject: Some(text.to_owned()),
            notification,
        }
    }

    #[test]
    fn a_document_appended_to_a_body_is_the_document_written_on_its_own() {
        for text in ["m1", "a&b<c>", "caf\u{e9}\r\u{1}\u{1F600}"] {
            let n = with_texts(text, Notification::ALL[0]);
            let mut body = b"head\r\n".to_vec();
            n.fields().write_xml_hashed(&mut body, 0);
            assert_eq!(body.get(6..), Some(n.to_xml().as_bytes()));
        }
    }

    #[test]
    fn the_hash_without_writing_is_the_hash_of_the_document_written() {
        for text in ["m1", "a&b<c>", "caf\u{e9}\r\u{1}\u{1F600}"] {
            for notification in Notification::ALL {
                let n = with_texts(text, notification);
                let mut body = Vec::new();
                let written = n.fields().write_xml_hashed(&mut body, 7);
                assert_eq!(n.fields().xml_hash(7), written);
                assert_eq!(written, fnv1a(7, n.to_xml().as_bytes()));
                let plain = text
                    .bytes()
                    .all(|b| (0x20..0x7f).contains(&b) && !b"&<>".contains(&b));
                if plain {
                    assert_eq!(n.fields().plain_xml_hash(7), written);
                }
            }
        }
    }

    #[test]
    fn text_is_copied_as_is_exactly_when_escaping_would_not_change_it() {
        let by_char = |text: &str| {
            let mut out = String::new();
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
            out
        };
        let specials = ['\u{7f}', '\u{80}', '\u{e9}', '\u{FFFE}', '\u{1F600}'];
        for c in (0u8..0x80).map(char::from).chain(specials) {
            for at in [0, 5, 9, 16] {
                let mut text: String = "sip:bob@beta.example".chars().take(at).collect();
                text.push(c);
                text.push_str("tail");
                let mut out = String::new();
                escape_text(&mut out, &text);
                assert_eq!(out, by_char(&text), "{text:?}");
            }
        }
    }

    #[test]
    fn the_root_start_tag_names_the_imdn_namespace() {
        let root = format!("<imdn xmlns=\"{}\">\n", super::super::IMDN_XML_NS);
        assert!(DOCUMENT_START.text().contains(&root));
    }
}
