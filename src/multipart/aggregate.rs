//! Aggregated IMDNs (RFC 5438 section 8.3): a multipart/mixed whose parts are
//! `message/imdn+xml` documents.

use super::boundary::choose_boundary_within;
use super::build::{write_parts, written_len, BodyPart};
use super::fnv::{FoldedText, FNV_OFFSET_BASIS};
use super::parse::parse;
use super::written::read_written_aggregate;
use super::AggregateError;
use crate::cpim::mime::media_type;
use crate::imdn::{self, DispositionNotification, ImdnDocument, ImdnError};

/// The media type of every part of an aggregated IMDN.
pub const IMDN_MEDIA_TYPE: &str = "message/imdn+xml";

/// The one MIME header of every part: `Content-Type: message/imdn+xml`, as the boundary's
/// fingerprint folds it.
static PART_HEADER: [FoldedText; 2] = [
    FoldedText::new("Content-Type"),
    FoldedText::new(IMDN_MEDIA_TYPE),
];

/// One part of an aggregated IMDN: its document, under [`PART_HEADER`].
struct ImdnPart<'d>(&'d [u8]);

impl BodyPart for ImdnPart<'_> {
    fn header_count(&self) -> usize {
        1
    }

    fn header(&self, _: usize) -> (&str, &str) {
        let [name, value] = &PART_HEADER;
        (name.text(), value.text())
    }

    fn content(&self) -> &[u8] {
        self.0
    }
}

/// Builds the multipart body of an aggregated IMDN; returns (boundary, bytes). The bytes are
/// those [`build`](super::build) writes for the same parts as [`OwnedPart`](super::OwnedPart)s.
pub fn aggregate_imdns(notifications: &[DispositionNotification]) -> (String, Vec<u8>) {
    let mut documents = Vec::new();
    let aggregate = Aggregate::of(notifications, &mut documents);
    let mut out = Vec::with_capacity(aggregate.body_len());
    aggregate.write(&mut out);
    (aggregate.boundary, out)
}

/// An aggregated IMDN ready to be written where its carrier wants it: each document written
/// once into a buffer the caller keeps, the boundary chosen over them. What it writes is
/// exactly the body [`aggregate_imdns`] returns.
pub(crate) struct Aggregate<'d> {
    boundary: String,
    parts: Vec<ImdnPart<'d>>,
}

impl<'d> Aggregate<'d> {
    /// The aggregate of `notifications`, their documents written into `documents` (cleared
    /// first; a buffer kept between aggregates costs no allocation once grown).
    pub(crate) fn of(
        notifications: &[DispositionNotification],
        documents: &'d mut Vec<u8>,
    ) -> Self {
        documents.clear();
        let mut ends = Vec::with_capacity(notifications.len());
        // The boundary's fingerprint is hashed as the parts are written: the header and the
        // markup a piece at a time, only the documents' text byte by byte.
        let [name, value] = &PART_HEADER;
        let mut fingerprint = FNV_OFFSET_BASIS;
        for n in notifications {
            fingerprint = value.fold(name.fold(fingerprint));
            fingerprint = n.fields().write_xml_hashed(documents, fingerprint);
            ends.push(documents.len());
        }
        let documents: &'d [u8] = documents;
        let mut start = 0;
        let parts: Vec<ImdnPart<'d>> = ends
            .into_iter()
            .map(|end| {
                let part = ImdnPart(documents.get(start..end).unwrap_or_default());
                start = end;
                part
            })
            .collect();
        // The one part header holds no `--imflow-`, and the documents lie one after another
        // in `documents`: one search of them decides whether the first candidate is free.
        Aggregate {
            boundary: choose_boundary_within(&parts, fingerprint, documents),
            parts,
        }
    }

    /// The boundary, for the carrier's `Content-Type`.
    pub(crate) fn boundary(&self) -> &str {
        &self.boundary
    }

    /// The body's length in bytes.
    pub(crate) fn body_len(&self) -> usize {
        written_len(&self.parts, &self.boundary)
    }

    /// Appends the multipart body to `out`.
    pub(crate) fn write(&self, out: &mut Vec<u8>) {
        write_parts(&self.parts, &self.boundary, out);
    }
}

/// Reads every notification of an aggregated IMDN body, in part order.
pub fn parse_aggregate(
    body: &[u8],
    boundary: &str,
) -> Result<Vec<DispositionNotification>, AggregateError> {
    let documents = parse_aggregate_documents(body, boundary)?;
    Ok(documents
        .into_iter()
        .map(ImdnDocument::into_notification)
        .collect())
}

/// [`parse_aggregate`] lending each plain document's fields from `body`: the same verdict,
/// error and notifications for every input.
pub(crate) fn parse_aggregate_documents<'b>(
    body: &'b [u8],
    boundary: &str,
) -> Result<Vec<ImdnDocument<'b>>, AggregateError> {
    // An aggregate as this crate writes it is read without building its parts; any other body,
    // and any error, is the general reader's.
    match read_written_aggregate(body, boundary) {
        Some(documents) => Ok(documents),
        None => read_aggregate_documents(body, boundary),
    }
}

/// [`parse_aggregate_documents`] by the general reader: the multipart split into its parts,
/// each part's MIME headers read and its media type checked.
pub(super) fn read_aggregate_documents<'b>(
    body: &'b [u8],
    boundary: &str,
) -> Result<Vec<ImdnDocument<'b>>, AggregateError> {
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
            imdn::parse_document(part.body).map_err(|e| {
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
    use crate::multipart::boundary::{choose_boundary_for, fingerprint};
    use crate::multipart::{build, OwnedPart};
    use proptest::prelude::*;

    /// Each notification as its own `message/imdn+xml` part, built one by one.
    fn parts_of(notifications: &[DispositionNotification]) -> Vec<OwnedPart> {
        notifications
            .iter()
            .map(|n| OwnedPart {
                headers: vec![("Content-Type".to_owned(), IMDN_MEDIA_TYPE.to_owned())],
                body: n.to_xml().into_bytes(),
            })
            .collect()
    }

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
        let (boundary, body) = aggregate_imdns(&notifications);
        assert_eq!(
            (boundary.clone(), body.clone()),
            build(&parts_of(&notifications))
        );
        assert_eq!(parse_aggregate(&body, &boundary), Ok(notifications));
    }

    fn any_notification() -> impl Strategy<Value = DispositionNotification> {
        let text = prop_oneof![
            "[ -~]{0,24}",
            Just("a&b<c>\r--imflow-".to_owned()),
            "\\PC{0,8}",
            Just("caf\u{e9}\u{1}\u{FFFE}\u{1F600}".to_owned()),
        ];
        (
            text.clone(),
            text.clone(),
            proptest::option::of(text.clone()),
            proptest::option::of(text.clone()),
            proptest::option::of(text),
            proptest::sample::select(Notification::ALL.to_vec()),
        )
            .prop_map(
                |(
                    message_id,
                    datetime,
                    recipient_uri,
                    original_recipient_uri,
                    subject,
                    notification,
                )| {
                    DispositionNotification {
                        message_id,
                        datetime,
                        recipient_uri,
                        original_recipient_uri,
                        subject,
                        notification,
                    }
                },
            )
    }

    #[test]
    fn the_part_header_holds_no_delimiter_prefix() {
        let [name, value] = &PART_HEADER;
        for text in [name.text(), value.text()] {
            assert!(!text.contains("--imflow-"), "{text}");
        }
    }

    proptest! {
        #[test]
        fn the_fingerprint_hashed_while_writing_is_the_fingerprint_of_the_parts_written(
            notifications in proptest::collection::vec(any_notification(), 0..4),
        ) {
            let mut documents = Vec::new();
            let aggregate = Aggregate::of(&notifications, &mut documents);
            prop_assert_eq!(
                &aggregate.boundary,
                &choose_boundary_for(&aggregate.parts, fingerprint(&aggregate.parts))
            );
            let mut body = Vec::new();
            aggregate.write(&mut body);
            prop_assert_eq!((aggregate.boundary.clone(), body), build(&parts_of(&notifications)));
        }
    }
}
