//! Aggregated IMDNs (RFC 5438 section 8.3): a multipart/mixed whose parts are
//! `message/imdn+xml` documents.

use super::build::{build, OwnedPart};
use super::parse::parse;
use super::AggregateError;
use crate::cpim::mime::media_type;
use crate::imdn::{self, DispositionNotification, ImdnError};

/// The media type of every part of an aggregated IMDN.
pub const IMDN_MEDIA_TYPE: &str = "message/imdn+xml";

/// Builds the multipart body of an aggregated IMDN; returns (boundary, bytes).
pub fn aggregate_imdns(notifications: &[DispositionNotification]) -> (String, Vec<u8>) {
    let parts: Vec<OwnedPart> = notifications
        .iter()
        .map(|n| OwnedPart {
            headers: vec![("Content-Type".to_owned(), IMDN_MEDIA_TYPE.to_owned())],
            body: n.to_xml().into_bytes(),
        })
        .collect();
    build(&parts)
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
