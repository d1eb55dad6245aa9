//! The one-pass IMDN body is byte for byte the builder's, and refused where the builder refuses.

use super::{KnownValues, NotificationHeaders};
use crate::cpim::address::is_absolute_uri;
use crate::cpim::address::is_ascii_absolute_uri;
use crate::cpim::datetime::is_rfc3339_date_time;
use crate::cpim::grammar::is_ascii_token;
use crate::cpim::grammar::{first_non_printable_ascii, is_token};
use crate::cpim::limits::{CONTENT_BYTES_MAX, CPIM_HEADER_COUNT_MAX, HEADER_LINE_BYTES_MAX};
use crate::cpim::CpimError;
use proptest::prelude::*;

/// The body through the builder, as the roles wrote it before (the one-pass writer's fallback).
fn through_builder(h: &NotificationHeaders<'_>, content: &[u8]) -> Result<Vec<u8>, CpimError> {
    h.built(content.to_vec())
}

fn one_pass(h: &NotificationHeaders<'_>, content: &[u8]) -> Result<Vec<u8>, CpimError> {
    h.body_with(content.len(), |out| out.extend_from_slice(content))
}

/// The body written into a request's buffer after what the request already holds.
fn into_wire(h: &NotificationHeaders<'_>, content: &[u8]) -> Result<Vec<u8>, CpimError> {
    const ROWS: &[u8] = b"MESSAGE sip:a@x SIP/2.0\r\nContent-Length: 0\r\n\r\n";
    let mut out = bytes::BytesMut::new();
    out.extend_from_slice(ROWS);
    h.write_body_to(&mut out, |out| out.extend_from_slice(content))?;
    Ok(out.get(ROWS.len()..).unwrap_or_default().to_vec())
}

/// The builder's proof checked value by value: each grammar, then printable ASCII with no
/// space at either end, then the line limit (what `vouched_for` is checked against).
fn vouched_for_by_parts(h: &NotificationHeaders<'_>) -> bool {
    let fits = |name: &str, value_len: usize| name.len() + 2 + value_len <= HEADER_LINE_BYTES_MAX;
    let plain = |v: &str| {
        first_non_printable_ascii(v.as_bytes()).is_none()
            && !v.starts_with(' ')
            && !v.ends_with(' ')
    };
    let address =
        |name: &str, uri: &str| is_absolute_uri(uri) && plain(uri) && fits(name, uri.len() + 2);
    address("From", h.from)
        && address("To", h.to)
        && h.route.iter().all(|hop| address("imdn.IMDN-Route", hop))
        && h.route.len() + 5 <= CPIM_HEADER_COUNT_MAX
        && is_rfc3339_date_time(h.date_time)
        && plain(h.date_time)
        && fits("DateTime", h.date_time.len())
        && is_token(h.message_id)
        && plain(h.message_id)
        && fits("imdn.Message-ID", h.message_id.len())
        && first_non_printable_ascii(h.content_type.as_bytes()).is_none()
        && fits("Content-Type", h.content_type.len())
        && first_non_printable_ascii(h.content_disposition.as_bytes()).is_none()
        && fits("Content-Disposition", h.content_disposition.len())
}

const DOCUMENT: &[u8] = b"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<imdn/>\n";

fn seed_flow_headers<'a>(route: &'a [&'a str]) -> NotificationHeaders<'a> {
    NotificationHeaders {
        from: "sip:bob@beta.example",
        to: "sip:alice@alpha.example",
        date_time: "2024-03-18T09:30:07+01:00",
        message_id: "d834jied93rf",
        route,
        content_type: "message/imdn+xml",
        content_disposition: "notification",
        known: KnownValues::NONE,
    }
}

#[test]
fn the_seed_flow_imdn_is_written_in_one_pass_as_the_builder_writes_it() {
    let route = ["sip:imdn@cf.gamma.example"];
    let headers = seed_flow_headers(&route);
    let body = one_pass(&headers, DOCUMENT);
    assert_eq!(body, through_builder(&headers, DOCUMENT));
    assert_eq!(into_wire(&headers, DOCUMENT), body);
    let body = body.unwrap_or_default();
    let parsed = crate::cpim::parse(&body).map_err(|e| e.kind);
    assert_eq!(
        parsed.as_ref().map(|c| c.message_id()),
        Ok(Some("d834jied93rf"))
    );
}

#[test]
fn content_past_its_limit_is_refused_as_the_builder_refuses_it() {
    let headers = seed_flow_headers(&[]);
    let content = vec![b'x'; CONTENT_BYTES_MAX + 1];
    let refused = one_pass(&headers, &content);
    assert!(refused.is_err());
    assert_eq!(refused, through_builder(&headers, &content));
    assert_eq!(into_wire(&headers, &content), refused);
}

#[test]
fn a_route_past_the_header_count_goes_through_the_builder() {
    let hops = vec!["sip:imdn@cf.gamma.example"; CPIM_HEADER_COUNT_MAX];
    let headers = seed_flow_headers(&hops);
    let refused = one_pass(&headers, DOCUMENT);
    assert!(refused.is_err());
    assert_eq!(refused, through_builder(&headers, DOCUMENT));
    assert_eq!(into_wire(&headers, DOCUMENT), refused);
}

fn uri() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => "sip:[a-z]{1,6}@[a-z]{1,6}\\.example",
        1 => Just(String::new()),
        1 => "[a-z][a-z0-9+.-]{0,3}:[!-~\u{e9}\u{2003}\u{85} ]{0,6}",
        1 => "[ -~]{0,10}",
        1 => "sip:[a-z]{0,3}[ <>\"\u{e9}\t][a-z]{0,3}",
    ]
}

fn date_time() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => Just("2024-03-18T09:30:05Z".to_owned()),
        1 => Just("2024-03-18T09:30:05.25+01:00".to_owned()),
        1 => "[0-9T:Z+. -]{0,24}",
        1 => "[0-9]{4}-[01][0-9]-[0-3][0-9][Tt ][0-2][0-9]:[0-5][0-9]:[0-6][0-9](\\.[0-9]{1,3})?([Zz ]|[+-][0-2][0-9]:[0-5][0-9])[ \u{e9}]?",
    ]
}

fn token() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => "[a-z0-9]{1,16}",
        1 => "[ -~]{0,6}",
        1 => "[a-z]{0,2}\u{e9}[a-z]{0,2}",
        1 => "[!-~\u{e9} ]{0,4}",
    ]
}

fn mime_value() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => Just("message/imdn+xml".to_owned()),
        1 => "[ -~]{0,12}",
        1 => "[a-z]{0,3}[\u{1}\u{7f}\u{e9}][a-z]{0,3}",
    ]
}

/// An IMDN's header values as the proptests draw them, owned.
#[derive(Debug, Clone)]
struct Drawn {
    from: String,
    to: String,
    route: Vec<String>,
    date_time: String,
    message_id: String,
    content_type: String,
    content_disposition: String,
}

/// Values drawn from the strategies above, the Content-Disposition from `disposition`.
fn drawn(disposition: impl Strategy<Value = String>) -> impl Strategy<Value = Drawn> {
    (
        (uri(), uri(), proptest::collection::vec(uri(), 0..3)),
        (date_time(), token(), mime_value(), disposition),
    )
        .prop_map(
            |((from, to, route), (date_time, message_id, content_type, content_disposition))| {
                Drawn {
                    from,
                    to,
                    route,
                    date_time,
                    message_id,
                    content_type,
                    content_disposition,
                }
            },
        )
}

/// `notification` (what nodes write) or any MIME value.
fn any_disposition() -> impl Strategy<Value = String> {
    prop_oneof![Just("notification".to_owned()), mime_value()]
}

impl Drawn {
    /// `f` of the headers holding these values, with the claims `known`.
    fn headers<R>(&self, known: KnownValues, f: impl FnOnce(&NotificationHeaders<'_>) -> R) -> R {
        let route: Vec<&str> = self.route.iter().map(String::as_str).collect();
        f(&NotificationHeaders {
            from: &self.from,
            to: &self.to,
            date_time: &self.date_time,
            message_id: &self.message_id,
            route: &route,
            content_type: &self.content_type,
            content_disposition: &self.content_disposition,
            known,
        })
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2048))]

    #[test]
    fn any_header_values_give_the_builders_bytes_or_its_error(
        v in drawn(any_disposition()),
        content in proptest::collection::vec(any::<u8>(), 0..40),
    ) {
        v.headers(KnownValues::NONE, |headers| {
            let built = through_builder(headers, &content);
            prop_assert_eq!(one_pass(headers, &content), built.clone());
            prop_assert_eq!(into_wire(headers, &content), built);
            Ok(())
        })?;
    }

    #[test]
    fn the_one_check_per_value_vouches_as_the_checks_by_parts(
        v in drawn(Just("notification".to_owned())),
    ) {
        v.headers(KnownValues::NONE, |headers| {
            prop_assert_eq!(headers.vouched_for(), vouched_for_by_parts(headers));
            Ok(())
        })?;
    }

    #[test]
    fn values_known_to_pass_their_checks_vouch_as_the_checks_by_parts(
        v in drawn(any_disposition()),
        claimed in any::<[bool; 5]>(),
    ) {
        let printable = |x: &str| first_non_printable_ascii(x.as_bytes()).is_none();
        // Each claim is made only where it holds, as the writers make theirs.
        let [from_c, to_c, id_c, mime_c, date_c] = claimed;
        let known = KnownValues {
            from: from_c && is_ascii_absolute_uri(&v.from),
            to_and_route: to_c
                && is_ascii_absolute_uri(&v.to)
                && v.route.iter().all(|hop| is_ascii_absolute_uri(hop)),
            message_id: id_c && is_ascii_token(&v.message_id),
            mime: mime_c && printable(&v.content_type) && printable(&v.content_disposition),
            date_time: date_c && is_rfc3339_date_time(&v.date_time),
        };
        v.headers(known, |headers| {
            prop_assert_eq!(headers.vouched_for(), vouched_for_by_parts(headers));
            let content = b"<imdn/>";
            prop_assert_eq!(one_pass(headers, content), through_builder(headers, content));
            Ok(())
        })?;
    }
}

#[test]
fn the_ns_line_written_whole_binds_imdn_to_the_imdn_namespace() {
    let expected = format!(
        "\r\nNS: imdn <{}>\r\nimdn.Message-ID: ",
        crate::cpim::IMDN_NS
    );
    assert_eq!(super::NS_TO_MESSAGE_ID, expected);
}
