//! The markup of the IMDN document the writer produces (RFC 5438 section 11.1), each piece
//! with its FNV-1a steps folded at compile time, so a body writer that fingerprints what it
//! writes (the aggregate's multipart boundary) hashes only the text byte by byte.
//!
//! Markup that always follows other markup is one piece: the declaration, the root start tag
//! and `<message-id>`; `</message-id>` and `<datetime>`; `</recipient-uri>` and
//! `<original-recipient-uri>`; and the whole notification element with the root's end tag,
//! one piece for each of the eleven notifications. A document is so written (and read back
//! by `written`) in a few pieces rather than one per tag.

use super::model::{DeliveryStatus, DisplayStatus, Notification, ProcessingStatus};
use crate::multipart::fnv::FoldedText;

/// The XML declaration, the root's start tag with the IMDN namespace, and `<message-id>`.
pub(super) static DOCUMENT_START: FoldedText = FoldedText::new(concat!(
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n",
    "<imdn xmlns=\"urn:ietf:params:xml:ns:imdn\">\n",
    "  <message-id>"
));

/// `</message-id>` and `<datetime>`, between the two texts that every document has.
pub(super) static MESSAGE_ID_END_DATETIME: FoldedText =
    FoldedText::new("</message-id>\n  <datetime>");

/// After the datetime text.
pub(super) static DATETIME_END: FoldedText = FoldedText::new("</datetime>\n");

/// `<recipient-uri>`.
pub(super) static RECIPIENT_URI: FoldedText = FoldedText::new("  <recipient-uri>");

/// `</recipient-uri>` and `<original-recipient-uri>`: the writer writes both URIs or neither.
pub(super) static RECIPIENT_URI_END_ORIGINAL: FoldedText =
    FoldedText::new("</recipient-uri>\n  <original-recipient-uri>");

/// After the original recipient's text.
pub(super) static ORIGINAL_RECIPIENT_URI_END: FoldedText =
    FoldedText::new("</original-recipient-uri>\n");

/// The two tags of the subject as written: `  <subject>`, then `</subject>` and LF.
pub(super) static SUBJECT: [FoldedText; 2] = [
    FoldedText::new("  <subject>"),
    FoldedText::new("</subject>\n"),
];

/// The notification element of `kind` with status `status`, then the root's end tag.
macro_rules! notification_end {
    ($kind:literal, $status:literal) => {
        FoldedText::new(concat!(
            "  <",
            $kind,
            "><status><",
            $status,
            "/></status></",
            $kind,
            ">\n</imdn>\n"
        ))
    };
}

static DELIVERED: FoldedText = notification_end!("delivery-notification", "delivered");
static DELIVERY_FAILED: FoldedText = notification_end!("delivery-notification", "failed");
static DELIVERY_FORBIDDEN: FoldedText = notification_end!("delivery-notification", "forbidden");
static DELIVERY_ERROR: FoldedText = notification_end!("delivery-notification", "error");
static PROCESSED: FoldedText = notification_end!("processing-notification", "processed");
static STORED: FoldedText = notification_end!("processing-notification", "stored");
static PROCESSING_FORBIDDEN: FoldedText = notification_end!("processing-notification", "forbidden");
static PROCESSING_ERROR: FoldedText = notification_end!("processing-notification", "error");
static DISPLAYED: FoldedText = notification_end!("display-notification", "displayed");
static DISPLAY_FORBIDDEN: FoldedText = notification_end!("display-notification", "forbidden");
static DISPLAY_ERROR: FoldedText = notification_end!("display-notification", "error");

/// The end of every document about `n`: its notification element and the root's end tag.
pub(super) fn notification_end(n: Notification) -> &'static FoldedText {
    match n {
        Notification::Delivery(DeliveryStatus::Delivered) => &DELIVERED,
        Notification::Delivery(DeliveryStatus::Failed) => &DELIVERY_FAILED,
        Notification::Delivery(DeliveryStatus::Forbidden) => &DELIVERY_FORBIDDEN,
        Notification::Delivery(DeliveryStatus::Error) => &DELIVERY_ERROR,
        Notification::Processing(ProcessingStatus::Processed) => &PROCESSED,
        Notification::Processing(ProcessingStatus::Stored) => &STORED,
        Notification::Processing(ProcessingStatus::Forbidden) => &PROCESSING_FORBIDDEN,
        Notification::Processing(ProcessingStatus::Error) => &PROCESSING_ERROR,
        Notification::Display(DisplayStatus::Displayed) => &DISPLAYED,
        Notification::Display(DisplayStatus::Forbidden) => &DISPLAY_FORBIDDEN,
        Notification::Display(DisplayStatus::Error) => &DISPLAY_ERROR,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_notification_ends_with_its_own_element_and_status_names() {
        for n in Notification::ALL {
            let (kind, status) = (n.element(), n.status_element());
            let expected = format!("  <{kind}><status><{status}/></status></{kind}>\n</imdn>\n");
            assert_eq!(notification_end(n).text(), expected);
        }
    }
}
