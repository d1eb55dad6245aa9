//! Aggregated IMDNs (RFC 5438 section 8.3): a multipart/mixed whose parts are
//! `message/imdn+xml` documents.

use super::build::{build_of, BodyPart};
use super::parse::parse;
use super::AggregateError;
use crate::cpim::mime::media_type;
use crate::imdn::{self, DispositionNotification, ImdnError};

/// The media type of every part of an aggregated IMDN.
pub const IMDN_MEDIA_TYPE: &str = "message/imdn+xml";

/// One part of an aggregated IMDN: its document, under `Content-Type: message/imdn+xml`.
struct ImdnPart(String);

impl BodyPart for ImdnPart {
    fn header_count(&self) -> usize {
        1
    }

    fn header(&self, _: usize) -> (&str, &str) {
        ("Content-Type", IMDN_MEDIA_TYPE)
    }

    fn content(&self) -> &[u8] {
        self.0.as_bytes()
    }
}

/// Builds the multipart body of an aggregated IMDN; returns (boundary, bytes). The bytes are
/// those [`build`](super::build) writes for the same parts as [`OwnedPart`](super::OwnedPart)s.
pub fn aggregate_imdns(notifications: &[DispositionNotification]) -> (String, Vec<u8>) {
    let parts: Vec<ImdnPart> = notifications.iter().map(|n| ImdnPart(n.to_xml())).collect();
    build_of(&parts)
}

/// Reads every notification of an aggregated IMDN body, in part order.
pub fn parse_aggregate(
    body: &[u8],
    boundary: &str,
) -> Result<Vec<DispositionNotification>, AggregateError> {
    let multipart = parse(body, boundary).map_err(AggregateError::Multipart)?;
    multipart
        .parts
        .iter()
        .map(|part| {
            let is_imdn = part
                .content_type()
                .is_some_and(|ct| media_type(ct).eq_ignore_ascii_case(IMDN_MEDIA_TYPE));
            if !is_imdn {
                return Err(AggregateError::NotImdnPart {
                    offset: part.offset,
                });
            }
            imdn::parse(part.body).map_err(|e| {
                AggregateError::Imdn(ImdnError {
                    kind: e.kind,
                    offset: part.body_offset + e.offset,
                })
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::imdn::{DeliveryStatus, Notification};
    use crate::multipart::{build, OwnedPart};

    #[test]
    fn an_aggregate_is_written_as_the_same_parts_built_one_by_one() {
        let notifications: Vec<DispositionNotification> = ["a1", "b2", "c3"]
            .iter()
            .map(|id| DispositionNotification {
                message_id: (*id).to_owned(),
                datetime: "2024-03-18T09:30:05Z".to_owned(),
                recipient_uri: Some("sip:bob@beta.example".to_owned()),
                original_recipient_uri: Some("sip:group@cf.gamma.example".to_owned()),
                subject: None,
                notification: Notification::Delivery(DeliveryStatus::Delivered),
            })
            .collect();
        let parts: Vec<OwnedPart> = notifications
            .iter()
            .map(|n| OwnedPart {
                headers: vec![("Content-Type".to_owned(), IMDN_MEDIA_TYPE.to_owned())],
                body: n.to_xml().into_bytes(),
            })
            .collect();
        let (boundary, body) = aggregate_imdns(&notifications);
        assert_eq!((boundary.clone(), body.clone()), build(&parts));
        assert_eq!(parse_aggregate(&body, &boundary), Ok(notifications));
    }
}
