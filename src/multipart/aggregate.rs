//! Aggregated IMDNs (RFC 5438 section 8.3): a multipart/mixed whose parts are
//! `message/imdn+xml` documents.

use super::boundary::choose_boundary_within;
use super::build::{write_parts, written_len, BodyPart};
use super::fnv::{FoldedText, FNV_OFFSET_BASIS};
use super::parse::parse;
use super::written::read_written_aggregate;
use super::AggregateError;
use crate::cpim::mime::media_type;
use crate::imdn::{self, DispositionNotification, DocumentFields, ImdnDocument, ImdnError};
use bytes::BufMut;

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
    let mut documents = AggregateDocuments::default();
    for n in notifications {
        documents.push_fields(n.fields());
    }
    let aggregate = documents.aggregate();
    let mut out = Vec::with_capacity(aggregate.body_len());
    aggregate.write(&mut out);
    (aggregate.boundary, out)
}

/// The documents of an aggregated IMDN, gathered one at a time as they are accepted: each
/// kept once, one after another in one buffer, and the boundary's fingerprint hashed as they
/// come, so the aggregate needs neither a copy of each notification nor a second pass to
/// choose its boundary.
#[derive(Clone, Debug)]
pub(crate) struct AggregateDocuments {
    /// The documents, one after another.
    bytes: Vec<u8>,
    /// Where each document ends in `bytes`.
    ends: Vec<usize>,
    /// The FNV-1a fingerprint of the parts so far (their header and document).
    fingerprint: u64,
}

impl Default for AggregateDocuments {
    fn default() -> Self {
        AggregateDocuments {
            bytes: Vec::new(),
            ends: Vec::new(),
            fingerprint: FNV_OFFSET_BASIS,
        }
    }
}

impl AggregateDocuments {
    /// Adds a received document: copied as it is when it was read as the writer writes it,
    /// else written from its fields; either way the bytes the writer writes for its fields.
    pub(crate) fn push(&mut self, document: &ImdnDocument<'_>) {
        match document {
            ImdnDocument::Written { fields, bytes } => {
                // Its texts were read as printable ASCII without markup characters: hashed as
                // they are, with no check for what escaping would change.
                let [name, value] = &PART_HEADER;
                let hash = value.fold(name.fold(self.fingerprint));
                self.fingerprint = fields.plain_xml_hash(hash);
                self.bytes.extend_from_slice(bytes);
                self.ends.push(self.bytes.len());
            }
            other => self.push_fields(other.fields()),
        }
    }

    /// Adds the document the writer writes for `fields`.
    pub(crate) fn push_fields(&mut self, fields: DocumentFields<'_>) {
        // The header and the markup are hashed a piece at a time, only the text byte by byte.
        let [name, value] = &PART_HEADER;
        let hash = value.fold(name.fold(self.fingerprint));
        self.fingerprint = fields.write_xml_hashed(&mut self.bytes, hash);
        self.ends.push(self.bytes.len());
    }

    /// Makes room for `documents` more documents of about `bytes_each` bytes.
    pub(crate) fn reserve(&mut self, documents: usize, bytes_each: usize) {
        self.ends.reserve(documents);
        self.bytes.reserve(documents.saturating_mul(bytes_each));
    }

    /// How many documents there are.
    pub(crate) fn len(&self) -> usize {
        self.ends.len()
    }

    /// Whether there is none.
    pub(crate) fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    /// The documents in the order they came.
    pub(crate) fn documents(&self) -> impl Iterator<Item = &[u8]> + '_ {
        let starts = std::iter::once(0).chain(self.ends.iter().copied());
        starts
            .zip(&self.ends)
            .map(|(start, &end)| self.bytes.get(start..end).unwrap_or_default())
    }

    /// The aggregate of every document, in the order they came.
    pub(crate) fn aggregate(&self) -> Aggregate<'_> {
        let parts: Vec<ImdnPart<'_>> = self.documents().map(ImdnPart).collect();
        // The one part header holds no `--imflow-`, and the documents lie one after another
        // in `bytes`: one search of them decides whether the first candidate is free.
        Aggregate {
            boundary: choose_boundary_within(&parts, self.fingerprint, &self.bytes),
            parts,
        }
    }
}

/// An aggregated IMDN ready to be written where its carrier wants it, its boundary chosen
/// over its documents. What it writes is exactly the body [`aggregate_imdns`] returns for the
/// same notifications.
pub(crate) struct Aggregate<'d> {
    boundary: String,
    parts: Vec<ImdnPart<'d>>,
}

impl Aggregate<'_> {
    /// The boundary, for the carrier's `Content-Type`.
    pub(crate) fn boundary(&self) -> &str {
        &self.boundary
    }

    /// The body's length in bytes.
    pub(crate) fn body_len(&self) -> usize {
        written_len(&self.parts, &self.boundary)
    }

    /// Appends the multipart body to `out`.
    pub(crate) fn write(&self, out: &mut impl BufMut) {
        write_parts(&self.parts, &self.boundary, out);
    }
}

/// Reads every notification of an aggregated IMDN body, in part order.
pub fn parse_aggregate(
    body: &[u8],
    boundary: &str,
) -> Result<Vec<DispositionNotification>, AggregateError> {
    let documents = parse_aggregate_documents(body, "", boundary)?;
    Ok(documents
        .into_iter()
        .map(ImdnDocument::into_notification)
        .collect())
}

/// [`parse_aggregate`] lending each plain document's fields from `body`: the same verdict,
/// error and notifications for every input. `checked` is a prefix of `body` a caller's UTF-8
/// check already covered (empty when none).
pub(crate) fn parse_aggregate_documents<'b>(
    body: &'b [u8],
    checked: &'b str,
    boundary: &str,
) -> Result<Vec<ImdnDocument<'b>>, AggregateError> {
    // An aggregate as this crate writes it is read without building its parts; any other body,
    // and any error, is the general reader's.
    match read_written_aggregate(body, checked, boundary) {
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

    /// The body and boundary an aggregate of `documents` writes.
    fn written(documents: &AggregateDocuments) -> (String, Vec<u8>) {
        let aggregate = documents.aggregate();
        let mut body = Vec::new();
        aggregate.write(&mut body);
        assert_eq!(aggregate.body_len(), body.len());
        (aggregate.boundary, body)
    }

    proptest! {
        #[test]
        fn received_documents_copied_as_written_aggregate_as_their_notifications_do(
            notifications in proptest::collection::vec(any_notification(), 0..4),
            spaced in any::<bool>(),
        ) {
            // Spaces around the Message-ID are trimmed on reading: such a document is written
            // again from its fields, any other copied.
            let xmls: Vec<String> = notifications
                .iter()
                .map(|n| n.to_xml())
                .map(|x| if spaced { x.replace("<message-id>", "<message-id> ") } else { x })
                .collect();
            let documents: Vec<ImdnDocument<'_>> = xmls
                .iter()
                .filter_map(|x| imdn::parse_document(x.as_bytes()).ok())
                .collect();
            let (mut received, mut rewritten) = (AggregateDocuments::default(), AggregateDocuments::default());
            for document in &documents {
                received.push(document);
                rewritten.push_fields(document.fields());
            }
            let read: Vec<DispositionNotification> =
                documents.into_iter().map(ImdnDocument::into_notification).collect();
            prop_assert_eq!(received.len(), read.len());
            prop_assert_eq!(written(&received), written(&rewritten));
            prop_assert_eq!(written(&received), aggregate_imdns(&read));
        }
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
            let mut documents = AggregateDocuments::default();
            for n in &notifications {
                documents.push_fields(n.fields());
            }
            let aggregate = documents.aggregate();
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
