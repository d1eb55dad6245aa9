//! Building and reading disposition notifications (RFC 5438 sections 7.2.1, 8, 9, 11).
//!
//! One builder serves the user agent (its `delivered`) and the participating function
//! (`stored` when it defers, `failed` when a stored copy expires): the IMDN goes to the IM's
//! top `IMDN-Record-Route`, else to its CPIM `From`; CPIM From is the recipient, To the IM
//! sender; `IMDN-Route` copies `IMDN-Record-Route`; the content is `message/imdn+xml` with
//! `Content-Disposition: notification`. An IMDN never requests an IMDN and never carries
//! `IMDN-Record-Route` (S6).

use super::identity::Entropy;
use super::wire::{CpimMessage, OutgoingRequest, OwnBuffer, SentBytes};
use crate::cpim::{CpimError, EncapsulatedObject, ImHeaders, KnownValues, NotificationHeaders};
use crate::imdn::{DocumentFields, ImdnDocument, Notification};
use crate::multipart::{boundary_from_content_type, parse_aggregate_documents, IMDN_MEDIA_TYPE};

/// The `Content-Disposition` value that marks an IMDN (RFC 5438 section 9).
pub const NOTIFICATION_DISPOSITION: &str = "notification";

/// Whether a CPIM body carries notifications rather than an IM (RFC 5438 section 9).
pub(crate) fn is_notification<'a>(cpim: &impl EncapsulatedObject<'a>) -> bool {
    cpim.mime_value("Content-Disposition")
        .is_some_and(|d| d.trim().eq_ignore_ascii_case(NOTIFICATION_DISPOSITION))
}

/// The notification documents of one IMDN body in order: a single document, or each part of
/// an aggregate (a single one needs no list of its own). A plain document lends its fields
/// from the body, so a role copies only what it keeps.
pub(crate) type Notifications<'a> =
    std::iter::Chain<std::option::IntoIter<ImdnDocument<'a>>, std::vec::IntoIter<ImdnDocument<'a>>>;

/// The notification documents a CPIM IMDN body carries: one, or each part of an aggregate.
pub(crate) fn read_notifications<'a>(
    cpim: &impl EncapsulatedObject<'a>,
) -> Result<Notifications<'a>, (&'static str, usize)> {
    use crate::diagnostic::Diagnostic;
    let (content, checked, offset) = (
        cpim.content(),
        cpim.content_checked(),
        cpim.content_offset(),
    );
    let content_type = cpim.mime_value("Content-Type").unwrap_or("");
    let media = crate::cpim::mime::media_type(content_type);
    if media.eq_ignore_ascii_case(IMDN_MEDIA_TYPE) {
        return crate::imdn::parse_document_in(content, checked)
            .map(|n| Some(n).into_iter().chain(Vec::new()))
            .map_err(|e| (e.kind.rule(), offset + e.offset));
    }
    if media.eq_ignore_ascii_case("multipart/mixed") {
        let boundary =
            boundary_from_content_type(content_type).ok_or(("missing-boundary", offset))?;
        return parse_aggregate_documents(content, checked, boundary)
            .map(|parts| None.into_iter().chain(parts))
            .map_err(|e| (e.rule(), offset + e.offset()));
    }
    Err(("unsupported-notification-type", offset))
}

/// The notification `recipient` sends about `im` with `status`, or None when the IM lacks
/// the Message-ID or DateTime an IMDN must echo (RFC 5438 section 7.1.1). Its fields borrow
/// the IM's header values.
pub(crate) fn notification_about<'a>(
    im: &ImHeaders<'a>,
    status: Notification,
) -> Option<DocumentFields<'a>> {
    let recipient = im.to.map(|a| a.uri);
    let original = im.original_to.map(|a| a.uri).or(recipient);
    Some(DocumentFields {
        message_id: im.message_id?,
        datetime: im.datetime?,
        recipient_uri: recipient,
        original_recipient_uri: original,
        subject: None,
        notification: status,
    })
}

/// An IMDN request ready for a client transaction, and where it goes.
pub(crate) struct ImdnRequest {
    /// The MESSAGE carrying the IMDN (no Via yet).
    pub(crate) request: OutgoingRequest,
    /// Its Request-URI: the next hop of the IMDN route.
    pub(crate) request_uri: String,
}

/// The MESSAGE that carries `notification` from `recipient_aor` back along `im`'s IMDN route.
pub(crate) fn imdn_request(
    entropy: &mut Entropy,
    recipient_aor: &str,
    im: &ImHeaders<'_>,
    notification: &DocumentFields<'_>,
    date_time: &str,
) -> Result<ImdnRequest, CpimError> {
    let recipient = (recipient_aor, false);
    let date_time = (date_time, false);
    imdn_request_from(
        entropy,
        &mut OwnBuffer,
        recipient,
        im,
        notification,
        date_time,
    )
}

/// [`imdn_request`] from a recipient whose AOR may be known to be an ASCII absolute URI
/// (`recipient.1`, checked once when the node was made): then, like the IM's URIs the
/// node-shape reader cut, the Message-ID drawn here and the constant media type, it is not
/// scanned again before the body is written; nor is the `DateTime` when `date_time.1` says it
/// is one the node wrote itself
/// ([`DateTimeText::is_rfc3339_as_written`](super::identity::DateTimeText::is_rfc3339_as_written)). The request is written where `sent`
/// puts it (a node's chunk of sent bytes).
pub(crate) fn imdn_request_from(
    entropy: &mut Entropy,
    sent: &mut impl SentBytes,
    (recipient_aor, aor_is_ascii_uri): (&str, bool),
    im: &ImHeaders<'_>,
    notification: &DocumentFields<'_>,
    (date_time, date_time_written): (&str, bool),
) -> Result<ImdnRequest, CpimError> {
    let sender = im.from.map(|a| a.uri).unwrap_or("");
    let route = im.record_route.as_slice();
    let request_uri = route.first().copied().unwrap_or(sender).to_owned();
    let message_id = entropy.message_id();
    let known = KnownValues {
        from: aor_is_ascii_uri,
        to_and_route: im.ascii_uris && im.from.is_some(),
        message_id: true,
        mime: true,
        date_time: date_time_written,
    };
    let headers = NotificationHeaders {
        from: recipient_aor,
        to: sender,
        date_time,
        message_id: &message_id,
        route,
        content_type: IMDN_MEDIA_TYPE,
        content_disposition: NOTIFICATION_DISPOSITION,
        known,
    };
    // The tags are drawn before the body is written, and given back if it cannot be.
    let drawn_at = entropy.position();
    let (tag, call_id) = (entropy.token(), entropy.token());
    // The CPIM body, the document included, is written straight into the request.
    let body_len_hint = headers.body_len_hint(notification.xml_len_hint());
    let request = CpimMessage {
        uri: &request_uri,
        from: &["<", recipient_aor, ">"],
        tag: &tag,
        to: sender,
        call_id: &[&call_id],
        body: &[],
    }
    .to_outgoing_writing(sent, body_len_hint, |out| {
        headers.write_body_to(out, |out| notification.write_xml_to_wire(out))
    });
    let request = match request {
        Ok(request) => request,
        Err(e) => {
            entropy.rewind_to(drawn_at);
            return Err(e);
        }
    };
    Ok(ImdnRequest {
        request,
        request_uri,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cpim::{KnownValues, NotificationHeaders};

    /// What `imdn_request_from` claims without checking holds: its Message-IDs are ASCII
    /// tokens and its media type and disposition printable ASCII, so the claims vouch as the
    /// checks do.
    #[test]
    fn the_values_an_imdn_request_claims_pass_their_checks() {
        let mut entropy = Entropy::new(3);
        for _ in 0..1000 {
            let id = entropy.message_id();
            let headers = |known| NotificationHeaders {
                from: "sip:bob@beta.example",
                to: "sip:alice@alpha.example",
                date_time: "2024-03-18T09:30:05Z",
                message_id: &id,
                route: &[],
                content_type: IMDN_MEDIA_TYPE,
                content_disposition: NOTIFICATION_DISPOSITION,
                known,
            };
            let claimed = KnownValues {
                message_id: true,
                mime: true,
                ..KnownValues::NONE
            };
            let checked = headers(KnownValues::NONE).body_with(8, |out| out.extend(b"<imdn/>"));
            assert!(checked.is_ok(), "{}", &*id);
            assert_eq!(
                headers(claimed).body_with(8, |out| out.extend(b"<imdn/>")),
                checked
            );
        }
    }
}
