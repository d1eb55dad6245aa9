//! The markup of the IMDN document the writer produces (RFC 5438 section 11.1), each piece
//! with its FNV-1a steps folded at compile time, so a body writer that fingerprints what it
//! writes (the aggregate's multipart boundary) hashes only the text byte by byte.

use super::model::{DeliveryStatus, DisplayStatus, Notification, ProcessingStatus};
use crate::multipart::fnv::FoldedText;

/// The XML declaration and the root's start tag, with the IMDN namespace.
pub(super) static DOCUMENT_START: FoldedText = FoldedText::new(concat!(
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n",
    "<imdn xmlns=\"urn:ietf:params:xml:ns:imdn\">\n"
));

/// The two tags of a text element as written: `  <name>`, then `</name>` and LF.
const fn tags(open: &'static str, close: &'static str) -> [FoldedText; 2] {
    [FoldedText::new(open), FoldedText::new(close)]
}

/// `<message-id>`.
pub(super) static MESSAGE_ID: [FoldedText; 2] = tags("  <message-id>", "</message-id>\n");
/// `<datetime>`.
pub(super) static DATETIME: [FoldedText; 2] = tags("  <datetime>", "</datetime>\n");
/// `<recipient-uri>`.
pub(super) static RECIPIENT_URI: [FoldedText; 2] = tags("  <recipient-uri>", "</recipient-uri>\n");
/// `<original-recipient-uri>`.
pub(super) static ORIGINAL_RECIPIENT_URI: [FoldedText; 2] =
    tags("  <original-recipient-uri>", "</original-recipient-uri>\n");
/// `<subject>`.
pub(super) static SUBJECT: [FoldedText; 2] = tags("  <subject>", "</subject>\n");

/// Before the notification element's name.
pub(super) static NOTIFICATION_OPEN: FoldedText = FoldedText::new("  <");
/// Between the notification element's name and the status element's.
pub(super) static STATUS_OPEN: FoldedText = FoldedText::new("><status><");
/// Between the status element's name and the notification element's end tag name.
pub(super) static STATUS_CLOSE: FoldedText = FoldedText::new("/></status></");
/// After the notification element's end tag name: the root's end.
pub(super) static DOCUMENT_END: FoldedText = FoldedText::new(">\n</imdn>\n");

static DELIVERY: FoldedText = FoldedText::new("delivery-notification");
static PROCESSING: FoldedText = FoldedText::new("processing-notification");
static DISPLAY: FoldedText = FoldedText::new("display-notification");

static DELIVERED: FoldedText = FoldedText::new("delivered");
static FAILED: FoldedText = FoldedText::new("failed");
static PROCESSED: FoldedText = FoldedText::new("processed");
static STORED: FoldedText = FoldedText::new("stored");
static DISPLAYED: FoldedText = FoldedText::new("displayed");
static FORBIDDEN: FoldedText = FoldedText::new("forbidden");
static ERROR: FoldedText = FoldedText::new("error");

/// The notification's element name ([`Notification::element`]).
pub(super) fn element(n: Notification) -> &'static FoldedText {
    match n {
        Notification::Delivery(_) => &DELIVERY,
        Notification::Processing(_) => &PROCESSING,
        Notification::Display(_) => &DISPLAY,
    }
}

/// The status element's name ([`Notification::status_element`]).
pub(super) fn status(n: Notification) -> &'static FoldedText {
    match n {
        Notification::Delivery(DeliveryStatus::Delivered) => &DELIVERED,
        Notification::Delivery(DeliveryStatus::Failed) => &FAILED,
        Notification::Processing(ProcessingStatus::Processed) => &PROCESSED,
        Notification::Processing(ProcessingStatus::Stored) => &STORED,
        Notification::Display(DisplayStatus::Displayed) => &DISPLAYED,
        Notification::Delivery(DeliveryStatus::Forbidden)
        | Notification::Processing(ProcessingStatus::Forbidden)
        | Notification::Display(DisplayStatus::Forbidden) => &FORBIDDEN,
        Notification::Delivery(DeliveryStatus::Error)
        | Notification::Processing(ProcessingStatus::Error)
        | Notification::Display(DisplayStatus::Error) => &ERROR,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_notification_and_status_is_written_with_its_own_element_name() {
        for n in Notification::ALL {
            assert_eq!(element(n).text(), n.element());
            assert_eq!(status(n).text(), n.status_element());
        }
    }
}
