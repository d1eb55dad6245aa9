//! A reader for IMDN documents laid out exactly as this crate's writer lays them out
//! ([`DispositionNotification::to_xml`](super::DispositionNotification::to_xml)): the
//! declaration and root start tag, then `  <name>text</name>` LF for message-id, datetime,
//! recipient-uri and original-recipient-uri (both or neither) and the optional subject in that
//! order, then `  <kind><status><value/></status></kind>` LF and `</imdn>` LF, nothing else.
//!
//! Every document a node of the simulator receives is in this layout, so its markup is
//! compared as whole constant pieces (the writer's own, from `markup`; the notification and
//! the end of the document as one), and only the text is
//! scanned, a word at a time, as printable ASCII without markup characters; one UTF-8 check
//! covers the stretch from the first text to the last, not the whole document. The reader answers only for a document
//! in this layout that the plain reader (`plain`) also accepts, with the same fields; for
//! anything else (another layout, escaped or non-ASCII text, a missing or bad field) it answers
//! `None`, and the plain reader, then the full parser, decide as before.

use super::markup::{
    notification_end, DATETIME_END, DOCUMENT_START, MESSAGE_ID_END_DATETIME,
    ORIGINAL_RECIPIENT_URI_END, RECIPIENT_URI, RECIPIENT_URI_END_ORIGINAL, SUBJECT,
};
use super::model::Notification;
use super::xml::DocumentFields;
use crate::ascii_run::first_outside;
use crate::cpim::is_rfc3339_date_time;
use crate::multipart::fnv::FoldedText;
use std::ops::Range;

/// The bytes of the document not read yet, of `len` in all.
struct Cursor<'a> {
    rest: &'a [u8],
    len: usize,
    /// Whether a text lost spaces at either end: then the document is not byte for byte
    /// what the writer writes for the fields read.
    trimmed: bool,
}

impl Cursor<'_> {
    /// Consumes `piece` if the document continues with it.
    fn eat(&mut self, piece: &FoldedText) -> bool {
        match self.rest.strip_prefix(piece.text().as_bytes()) {
            Some(rest) => {
                self.rest = rest;
                true
            }
            None => false,
        }
    }

    /// The offsets of the text of the element whose open tag was just read, up to its close
    /// tag, which is consumed too. The text is printable ASCII without `&`, `<`, `>`; `trim`
    /// drops its leading and trailing spaces (the only XML whitespace such text holds), as the
    /// plain reader does for token-like fields. Inlined into the reader: it runs four times a
    /// document, and a call's saving and restoring of registers cost about what its work does.
    #[inline(always)]
    fn text_until(&mut self, close: &FoldedText, trim: bool) -> Option<Range<usize>> {
        let len = first_outside(self.rest, 0x20, *b"&<>").unwrap_or(self.rest.len());
        let start = self.len - self.rest.len();
        let (text, rest) = self.rest.split_at_checked(len)?;
        self.rest = rest;
        if !self.eat(close) {
            return None;
        }
        if !trim {
            return Some(start..start + len);
        }
        let lead = text.iter().take_while(|&&b| b == b' ').count();
        let trail = match lead == len {
            true => 0,
            false => text.iter().rev().take_while(|&&b| b == b' ').count(),
        };
        self.trimmed |= lead + trail > 0;
        Some(start + lead..start + len - trail)
    }

    /// The text offsets of an element written with `tags`, if the document continues with
    /// its open tag: `Some(None)` when it does not, `None` when the element is there but not
    /// as written.
    fn optional(
        &mut self,
        [open, close]: &[FoldedText; 2],
        trim: bool,
    ) -> Option<Option<Range<usize>>> {
        if !self.eat(open) {
            return Some(None);
        }
        self.text_until(close, trim).map(Some)
    }
}

/// The fields of a document in the writer's layout, borrowed from `input`; `None` for any
/// other document (the plain reader and the full parser decide it).
pub(super) fn read_written(input: &[u8]) -> Option<DocumentFields<'_>> {
    read_written_as(input, "").map(|(fields, _)| fields)
}

/// [`read_written`], and whether `input` is byte for byte the document the writer writes for
/// the fields read (no text lost spaces at either end), so that a role may copy it instead
/// of writing it again. `checked` is a prefix of `input` the caller's UTF-8 check already
/// covered (empty when none): text within it is not checked again; the answer is the same
/// whatever its length.
pub(super) fn read_written_as<'a>(
    input: &'a [u8],
    checked: &'a str,
) -> Option<(DocumentFields<'a>, bool)> {
    read_written_in(input, checked, true).map(|(fields, as_written, _)| (fields, as_written))
}

/// [`read_written_as`] for a document at the start of `input`, followed by anything (the rest
/// of the body it is a part of), with its length: the same answer `read_written_as` gives
/// for exactly those bytes (`checked` as for `read_written_as`).
pub(super) fn read_written_prefix<'a>(
    input: &'a [u8],
    checked: &'a str,
) -> Option<(DocumentFields<'a>, bool, usize)> {
    read_written_in(input, checked, false)
}

/// The reader: the document is all of `input` (`whole`), or its start; `checked` is a prefix
/// of `input` known to be UTF-8.
fn read_written_in<'a>(
    input: &'a [u8],
    checked: &'a str,
    whole: bool,
) -> Option<(DocumentFields<'a>, bool, usize)> {
    let mut c = Cursor {
        rest: input,
        len: input.len(),
        trimmed: false,
    };
    if !c.eat(&DOCUMENT_START) {
        return None;
    }
    let message_id = c.text_until(&MESSAGE_ID_END_DATETIME, true)?;
    let datetime = c.text_until(&DATETIME_END, true)?;
    // The writer writes both URIs or neither.
    let (recipient, original) = match c.eat(&RECIPIENT_URI) {
        true => (
            Some(c.text_until(&RECIPIENT_URI_END_ORIGINAL, true)?),
            Some(c.text_until(&ORIGINAL_RECIPIENT_URI_END, true)?),
        ),
        false => (None, None),
    };
    let subject = c.optional(&SUBJECT, false)?;
    let texts_end = c.len - c.rest.len();
    // What is left is the notification element and the root's end tag (all of it, when the
    // document is the whole input). No notification's end is the start of another's.
    let ends = |n: Notification| {
        let end = notification_end(n).text().as_bytes();
        match whole {
            true => c.rest == end,
            false => c.rest.starts_with(end),
        }
    };
    let notification = Notification::ALL.into_iter().find(|&n| ends(n))?;
    let len = texts_end + notification_end(notification).text().len();
    // Every text lies between the first text's start and the last close tag, and every
    // byte there is ASCII (text or markup): one UTF-8 check covers them all (none when the
    // caller's covered them), and each field is cut from it next to ASCII bytes.
    let from = message_id.start;
    let texts = match checked.get(from..texts_end) {
        Some(texts) => texts,
        None => std::str::from_utf8(input.get(from..texts_end)?).ok()?,
    };
    let field = |r: Range<usize>| texts.get(r.start - from..r.end - from);
    let optional = |r: Option<Range<usize>>| r.map_or(Some(None), |r| field(r).map(Some));
    let fields = DocumentFields {
        message_id: field(message_id)?,
        datetime: field(datetime)?,
        recipient_uri: optional(recipient)?,
        original_recipient_uri: optional(original)?,
        subject: optional(subject)?,
        notification,
    };
    let valid = !fields.message_id.is_empty() && is_rfc3339_date_time(fields.datetime);
    valid.then_some((fields, !c.trimmed, len))
}

/// The longest prefix of `bytes` that is UTF-8: what a caller's one check covers.
pub(crate) fn utf8_prefix(bytes: &[u8]) -> &str {
    let valid = std::str::from_utf8(bytes).map_or_else(|e| e.valid_up_to(), str::len);
    bytes
        .get(..valid)
        .and_then(|b| std::str::from_utf8(b).ok())
        .unwrap_or_default()
}

/// Prefixes of `bytes` that are UTF-8, as a caller's check may have covered them: the longest,
/// and cuts of it at every char boundary near its start, middle and end.
#[cfg(test)]
pub(crate) fn utf8_prefixes(bytes: &[u8]) -> Vec<&str> {
    let valid = utf8_prefix(bytes);
    let len = valid.len();
    let cuts = (0..4)
        .chain(len / 2..len / 2 + 4)
        .chain(len.saturating_sub(4)..=len);
    cuts.filter_map(|cut| valid.get(..cut)).collect()
}

#[cfg(test)]
mod tests;
