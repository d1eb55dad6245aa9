//! The typed IMDN (RFC 5438 section 11.1): one disposition notification about one message.

/// Status of a delivery notification (RFC 5438 section 11.1.5).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum DeliveryStatus {
    /// `<delivered/>`: the recipient's agent has the message.
    Delivered,
    /// `<failed/>`: delivery failed (e.g. a deferred copy expired).
    Failed,
    /// `<forbidden/>`: policy refused to report.
    Forbidden,
    /// `<error/>`: an error occurred while reporting.
    Error,
}

/// Status of a processing notification (RFC 5438 section 11.1.5; intermediaries only).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ProcessingStatus {
    /// `<processed/>`: an intermediary processed the message.
    Processed,
    /// `<stored/>`: a store-and-forward server stored it for later delivery.
    Stored,
    /// `<forbidden/>`: policy refused to report.
    Forbidden,
    /// `<error/>`: an error occurred while processing.
    Error,
}

/// Status of a display notification (RFC 5438 section 11.1.5).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum DisplayStatus {
    /// `<displayed/>`: the user was shown the message.
    Displayed,
    /// `<forbidden/>`: policy refused to report.
    Forbidden,
    /// `<error/>`: an error occurred.
    Error,
}

/// Which notification the document carries, with its status.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Notification {
    /// `<delivery-notification>`.
    Delivery(DeliveryStatus),
    /// `<processing-notification>`.
    Processing(ProcessingStatus),
    /// `<display-notification>`.
    Display(DisplayStatus),
}

/// An IMDN document (`message/imdn+xml`).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct DispositionNotification {
    /// `<message-id>`: the `imdn.Message-ID` of the IM this reports on.
    pub message_id: String,
    /// `<datetime>`: the IM's `DateTime` (its send time), RFC 3339.
    pub datetime: String,
    /// `<recipient-uri>`: the final recipient (from the IM's CPIM `To`).
    pub recipient_uri: Option<String>,
    /// `<original-recipient-uri>`: the IM's `imdn.Original-To`, e.g. the group URI.
    pub original_recipient_uri: Option<String>,
    /// `<subject>`: the IM's subject, if the recipient copied it.
    pub subject: Option<String>,
    /// The notification kind and its status.
    pub notification: Notification,
}

impl Notification {
    /// The element name of the notification (`delivery-notification`, ...).
    pub fn element(self) -> &'static str {
        match self {
            Self::Delivery(_) => "delivery-notification",
            Self::Processing(_) => "processing-notification",
            Self::Display(_) => "display-notification",
        }
    }

    /// The element name of the status (`delivered`, `stored`, ...).
    pub fn status_element(self) -> &'static str {
        match self {
            Self::Delivery(DeliveryStatus::Delivered) => "delivered",
            Self::Delivery(DeliveryStatus::Failed) => "failed",
            Self::Processing(ProcessingStatus::Processed) => "processed",
            Self::Processing(ProcessingStatus::Stored) => "stored",
            Self::Display(DisplayStatus::Displayed) => "displayed",
            Self::Delivery(DeliveryStatus::Forbidden)
            | Self::Processing(ProcessingStatus::Forbidden)
            | Self::Display(DisplayStatus::Forbidden) => "forbidden",
            Self::Delivery(DeliveryStatus::Error)
            | Self::Processing(ProcessingStatus::Error)
            | Self::Display(DisplayStatus::Error) => "error",
        }
    }

    /// The notification named by a `*-notification` element and a status element, if valid.
    pub fn from_elements(notification: &str, status: &str) -> Option<Self> {
        Some(match (notification, status) {
            ("delivery-notification", "delivered") => Self::Delivery(DeliveryStatus::Delivered),
            ("delivery-notification", "failed") => Self::Delivery(DeliveryStatus::Failed),
            ("delivery-notification", "forbidden") => Self::Delivery(DeliveryStatus::Forbidden),
            ("delivery-notification", "error") => Self::Delivery(DeliveryStatus::Error),
            ("processing-notification", "processed") => {
                Self::Processing(ProcessingStatus::Processed)
            }
            ("processing-notification", "stored") => Self::Processing(ProcessingStatus::Stored),
            ("processing-notification", "forbidden") => {
                Self::Processing(ProcessingStatus::Forbidden)
            }
            ("processing-notification", "error") => Self::Processing(ProcessingStatus::Error),
            ("display-notification", "displayed") => Self::Display(DisplayStatus::Displayed),
            ("display-notification", "forbidden") => Self::Display(DisplayStatus::Forbidden),
            ("display-notification", "error") => Self::Display(DisplayStatus::Error),
            _ => return None,
        })
    }

    /// Every notification/status combination of RFC 5438 section 11.1.5.
    pub const ALL: [Notification; 11] = [
        Self::Delivery(DeliveryStatus::Delivered),
        Self::Delivery(DeliveryStatus::Failed),
        Self::Delivery(DeliveryStatus::Forbidden),
        Self::Delivery(DeliveryStatus::Error),
        Self::Processing(ProcessingStatus::Processed),
        Self::Processing(ProcessingStatus::Stored),
        Self::Processing(ProcessingStatus::Forbidden),
        Self::Processing(ProcessingStatus::Error),
        Self::Display(DisplayStatus::Displayed),
        Self::Display(DisplayStatus::Forbidden),
        Self::Display(DisplayStatus::Error),
    ];
}

#[cfg(test)]
impl DispositionNotification {
    /// The delivery notification the IMDN reader tests start from: every optional element
    /// present, a subject with spaces at both ends.
    pub(crate) fn sample_delivered() -> Self {
        DispositionNotification {
            message_id: "Xk3q9TzQ2mPw".to_owned(),
            datetime: "2024-03-18T09:30:05+01:00".to_owned(),
            recipient_uri: Some("sip:bob@beta.example".to_owned()),
            original_recipient_uri: Some("sip:group@cf.gamma.example".to_owned()),
            subject: Some(" Summit at noon ".to_owned()),
            notification: Notification::Delivery(DeliveryStatus::Delivered),
        }
    }
}
