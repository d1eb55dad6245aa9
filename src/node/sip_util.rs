//! The few SIP message operations every role needs: answering a request (RFC 3261 section
//! 8.2.6), relaying a response back through a proxy (section 16.7), and reading an AOR.

use super::wire::push_row;
use crate::sip::owned::SIP_2_0;
use crate::sip::{HeaderKind, Message, StatusCode, Uri};
use bytes::BytesMut;

/// The reason phrase this stack writes for `code` (RFC 3261 section 21, RFC 3428 section 7).
pub(crate) fn reason_phrase(code: u16) -> &'static str {
    match code {
        100 => "Trying",
        200 => "OK",
        202 => "Accepted",
        400 => "Bad Request",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        415 => "Unsupported Media Type",
        480 => "Temporarily Unavailable",
        416 => "Unsupported URI Scheme",
        483 => "Too Many Hops",
        500 => "Server Internal Error",
        503 => "Service Unavailable",
        _ => "",
    }
}

/// A response to `request`: every Via element in order, From, To (with `to_tag` added when the
/// request's To has none), Call-ID and CSeq copied; no body and no Contact (RFC 3428 section 7).
/// The owned form, kept as the tests' reference for [`response_bytes`].
#[cfg(test)]
pub(crate) fn response_to(
    request: &Message<'_>,
    code: u16,
    to_tag: &str,
) -> crate::sip::OwnedMessage {
    let status = StatusCode::new(code).unwrap_or(StatusCode::BAD_REQUEST);
    let mut response = crate::sip::OwnedMessage::response(status, reason_phrase(status.code()));
    for via in request.headers("Via") {
        response.push_header("Via", via);
    }
    if let Some(from) = request.header("From") {
        response.push_header("From", from);
    }
    if let Some(to) = request.header("To") {
        let has_tag = request.to().is_ok_and(|to| to.params.get("tag").is_some());
        if has_tag || to_tag.is_empty() {
            response.push_header("To", to);
        } else {
            response.push_header("To", format!("{to};tag={to_tag}"));
        }
    }
    if let Some(call_id) = request.header("Call-ID") {
        response.push_header("Call-ID", call_id);
    }
    if let Some(cseq) = request.header("CSeq") {
        response.push_header("CSeq", cseq);
    }
    response
}

/// Bytes reserved for a status line and Content-Length row beyond what the request's header
/// section holds (the response copies a subset of those rows, so it rarely needs more).
const RESPONSE_FRAMING_BYTES: usize = 64;

/// The wire form of `response_to(request, code, to_tag)`, byte for byte, written straight
/// into one buffer: every node answers every request it accepts, and building the owned
/// message first cost a dozen allocations per answer.
pub(crate) fn response_bytes(request: &Message<'_>, code: u16, to_tag: &str) -> Vec<u8> {
    response_bytes_with_contact(request, code, to_tag, None)
}

/// [`response_bytes`] with a Contact row (its value in pieces) after CSeq: a registrar's 200
/// (RFC 3261 section 10.3).
pub(crate) fn response_bytes_with_contact(
    request: &Message<'_>,
    code: u16,
    to_tag: &str,
    contact: Option<&[&str]>,
) -> Vec<u8> {
    let mut out = BytesMut::with_capacity(response_room(request, to_tag));
    write_response(&mut out, request, code, to_tag, contact);
    out.into()
}

/// The bytes to reserve for a response to `request` with `to_tag` (enough in the usual case;
/// a writer grows past it when not).
pub(crate) fn response_room(request: &Message<'_>, to_tag: &str) -> usize {
    request.header_section_len() + to_tag.len() + RESPONSE_FRAMING_BYTES
}

/// Appends to `out` the wire form [`response_bytes_with_contact`] gives, so the response may be
/// written straight into the chunk it is sent from.
pub(crate) fn write_response(
    out: &mut BytesMut,
    request: &Message<'_>,
    code: u16,
    to_tag: &str,
    contact: Option<&[&str]>,
) {
    write_status_line(out, code);
    if !copied::rows_copied(out, request, to_tag) {
        rows_written(out, request, to_tag);
    }
    if let Some(contact) = contact {
        push_row(out, "Contact", contact);
    }
    out.extend_from_slice(b"Content-Length: 0\r\n\r\n");
}

/// Writes the status line for `code` (an invalid one answered as 400): the lines a node sends
/// most in one copy, any other piece by piece.
fn write_status_line(out: &mut BytesMut, code: u16) {
    match code {
        200 => out.extend_from_slice(b"SIP/2.0 200 OK\r\n"),
        202 => out.extend_from_slice(b"SIP/2.0 202 Accepted\r\n"),
        _ => {
            let status = StatusCode::new(code).unwrap_or(StatusCode::BAD_REQUEST);
            let reason = reason_phrase(status.code());
            let code = status.code();
            // A status code has three digits (StatusCode guarantees 100..=699).
            let digits = [
                b'0' + (code / 100) as u8,
                b'0' + (code / 10 % 10) as u8,
                b'0' + (code % 10) as u8,
            ];
            out.extend_from_slice(SIP_2_0.as_bytes());
            out.extend_from_slice(b" ");
            out.extend_from_slice(&digits);
            out.extend_from_slice(b" ");
            out.extend_from_slice(reason.as_bytes());
            out.extend_from_slice(b"\r\n");
        }
    }
}

/// The rows [`write_response`] copies from `request`, written row by row whatever their form:
/// every Via element in order, then the first From, To (tagged), Call-ID and CSeq.
fn rows_written(out: &mut BytesMut, request: &Message<'_>, to_tag: &str) {
    // One pass over the rows: each Via row written as it comes (a row holding one hop with no
    // quote or bracket is its own only element), the first From, To, Call-ID and CSeq kept.
    let vias_at = out.len();
    let mut vias_plain = true;
    let [mut from, mut to, mut call_id, mut cseq] = [None; 4];
    for (kind, value) in request.row_values() {
        match kind {
            HeaderKind::Via => {
                vias_plain &= !value.is_empty()
                    && memchr::memchr3(b',', b'"', b'<', value.as_bytes()).is_none();
                if vias_plain {
                    push_row(out, "Via", &[value]);
                }
            }
            HeaderKind::From => _ = from.get_or_insert(value),
            HeaderKind::To => _ = to.get_or_insert(value),
            HeaderKind::CallId => _ = call_id.get_or_insert(value),
            HeaderKind::CSeq => _ = cseq.get_or_insert(value),
            _ => {}
        }
    }
    if !vias_plain {
        // A list, a quote or a bracket: the elements as `Message::headers` splits them.
        out.truncate(vias_at);
        for via in request.headers("Via") {
            push_row(out, "Via", &[via]);
        }
    }
    if let Some(from) = from {
        push_row(out, "From", &[from]);
    }
    if let Some(to) = to {
        if adds_tag(request, to, to_tag) {
            push_row(out, "To", &[to, ";tag=", to_tag]);
        } else {
            push_row(out, "To", &[to]);
        }
    }
    if let Some(call_id) = call_id {
        push_row(out, "Call-ID", &[call_id]);
    }
    if let Some(cseq) = cseq {
        push_row(out, "CSeq", &[cseq]);
    }
}

#[path = "sip_util_copied.rs"]
mod copied;

/// Whether the answer's To, the request's `to`, gets `to_tag`: unless the tag is empty or the
/// To already has a tag parameter.
fn adds_tag(request: &Message<'_>, to: &str, to_tag: &str) -> bool {
    // A To without the letters `tag` anywhere has no tag parameter: no need to parse it.
    let has_tag = may_name_tag(to) && request.to().is_ok_and(|to| to.params.get("tag").is_some());
    !(has_tag || to_tag.is_empty())
}

/// Whether `value` holds the letters `tag` in any case (a tag parameter needs them).
fn may_name_tag(value: &str) -> bool {
    let bytes = value.as_bytes();
    memchr::memchr2_iter(b't', b'T', bytes).any(|at| {
        bytes
            .get(at + 1..at + 3)
            .is_some_and(|rest| rest.eq_ignore_ascii_case(b"ag"))
    })
}

/// Whether `response_to` can build a response the sender can match: the top Via parses (it
/// says where the response goes) and From, To, Call-ID and CSeq are present to be echoed.
pub(crate) fn answerable(request: &Message<'_>) -> bool {
    request.top_via().is_ok()
        && ["From", "To", "Call-ID", "CSeq"]
            .iter()
            .all(|name| request.header(name).is_some())
}

/// The address-of-record a SIP URI names: `sip:user@host`, without port, parameters or
/// headers (RFC 3261 section 10.3 step 5). None for a non-SIP URI.
pub(crate) fn aor_of(uri: &Uri<'_>) -> Option<String> {
    let mut aor = String::new();
    write_aor(uri, &mut aor).then_some(aor)
}

/// Appends to `out` the address-of-record [`aor_of`] gives, so a caller may reuse one buffer;
/// false (nothing written) for a non-SIP URI.
pub(crate) fn write_aor(uri: &Uri<'_>, out: &mut String) -> bool {
    let Some(sip) = uri.as_sip() else {
        return false;
    };
    let scheme = if sip.secure { "sips" } else { "sip" };
    let host = sip.host.as_str();
    out.reserve(scheme.len() + host.len() + 4 + sip.user.map_or(0, str::len));
    out.push_str(scheme);
    out.push(':');
    if let Some(user) = sip.user {
        out.push_str(user);
        out.push('@');
    }
    // An IPv6 host is written in brackets, as `Host`'s Display writes it.
    let ipv6 = matches!(sip.host, crate::sip::Host::Ipv6(_));
    if ipv6 {
        out.push('[');
    }
    out.push_str(host);
    if ipv6 {
        out.push(']');
    }
    true
}

/// The host part of an AOR or URI string (`sip:bob@beta.example` gives `beta.example`).
pub(crate) fn host_of(uri: &str) -> Option<&str> {
    let rest = uri
        .strip_prefix("sip:")
        .or_else(|| uri.strip_prefix("sips:"))?;
    let host_port = rest.rsplit_once('@').map_or(rest, |(_, h)| h);
    let end = host_port.find([';', '?', '>']).unwrap_or(host_port.len());
    let host_port = host_port.get(..end)?;
    if host_port.starts_with('[') {
        host_port.get(..=host_port.find(']')?)
    } else {
        host_port.split(':').next()
    }
}

/// The tag parameter of the request's From, or "" when it has none.
pub(crate) fn from_tag<'a>(request: &Message<'a>) -> &'a str {
    request
        .from()
        .ok()
        .and_then(|f| f.params.get("tag").flatten())
        .unwrap_or("")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn response_bytes_are_the_serialized_response_to() {
        let requests = [
            "MESSAGE sip:bob@beta.example SIP/2.0\r\nVia: SIP/2.0/UDP 10.0.0.2:5060;branch=z9hG4bKa, \
             SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bKb\r\nv: SIP/2.0/TCP h;branch=z9hG4bKc\r\n\
             Max-Forwards: 69\r\nFrom: <sip:alice@alpha.example>;tag=1\r\n\
             To: \"Bob;tag=x\" <sip:bob@beta.example>\r\nCall-ID: c1\r\nCSeq: 1 MESSAGE\r\n\
             Content-Length: 0\r\n\r\n",
            "MESSAGE sip:bob@beta.example SIP/2.0\r\nVia: SIP/2.0/UDP 10.0.0.2:5060;branch=z9hG4bKa\r\n\
             f: <sip:alice@alpha.example>;tag=1\r\nt: <sip:bob@beta.example>;tag=9\r\n\
             i: c1\r\nCSeq:\r\n  2 MESSAGE\r\nl: 0\r\n\r\n",
            "MESSAGE sip:bob@beta.example SIP/2.0\r\nVia: SIP/2.0/UDP 10.0.0.2:5060;branch=z9hG4bKa\r\n\
             From: <sip:alice@alpha.example>;tag=1\r\nTo: <sip:bob@beta.example>;TAG=9\r\n\
             Call-ID: c1\r\nCSeq: 3 MESSAGE\r\nContent-Length: 0\r\n\r\n",
            "OPTIONS sip:x@y SIP/2.0\r\nVia: SIP/2.0/UDP h\r\nContent-Length: 0\r\n\r\n",
            // A one-hop row, then a list row, a quoted comment and an open bracket: the rows
            // after the first are split as `Message::headers` splits them.
            "MESSAGE sip:bob@beta.example SIP/2.0\r\nVia: SIP/2.0/UDP 10.0.0.3;branch=z9hG4bKd\r\n\
             Via: SIP/2.0/UDP 10.0.0.2;branch=z9hG4bKa,SIP/2.0/UDP 10.0.0.1;branch=z9hG4bKb\r\n\
             Via: SIP/2.0/UDP h;x=\"a,b\"\r\nVia: SIP/2.0/UDP <h\r\nFrom: <sip:a@b>;tag=1\r\n\
             To: <sip:stage@beta.example>\r\nCall-ID: c2\r\nCSeq: 4 MESSAGE\r\n\r\n",
            // Two of each single-value header: the first row is echoed.
            "MESSAGE sip:bob@beta.example SIP/2.0\r\nVia: SIP/2.0/UDP 10.0.0.2;branch=z9hG4bKa\r\n\
             To: Tag <sip:bob@beta.example>\r\nTo: <sip:x@y>;tag=2\r\nFrom: <sip:a@b>\r\n\
             From: <sip:c@d>\r\ni: c3\r\ni: c4\r\nCSeq: 5 MESSAGE\r\nCSeq: 6 MESSAGE\r\n\r\n",
            "MESSAGE sip:bob@beta.example SIP/2.0\r\nVia: SIP/2.0/UDP 10.0.0.2;branch=z9hG4bKa\r\n\
             From: <sip:a@b>\r\nTo: <sip:bob@beta.example>;x=1;TaG=7\r\nCall-ID: c5\r\n\
             CSeq: 7 MESSAGE\r\n\r\n",
        ];
        for text in requests {
            let request = crate::sip::parse_datagram(text.as_bytes()).unwrap();
            for (code, tag) in [(200, "t1"), (202, ""), (400, "t2"), (42, "t3")] {
                let owned = String::from_utf8(response_to(&request, code, tag).to_bytes()).unwrap();
                assert_eq!(
                    String::from_utf8(response_bytes(&request, code, tag)).unwrap(),
                    owned,
                    "{text:?} answered {code}"
                );
                // Written after an earlier message in the same chunk: only its own bytes follow.
                let mut chunk = BytesMut::from(&b"SIP/2.0 200 OK\r\n\r\n"[..]);
                write_response(&mut chunk, &request, code, tag, None);
                assert_eq!(&chunk[..18], b"SIP/2.0 200 OK\r\n\r\n");
                assert_eq!(
                    std::str::from_utf8(&chunk[18..]).unwrap(),
                    owned,
                    "{text:?} {code}"
                );
            }
        }
    }

    #[test]
    fn host_of_strips_user_port_and_parameters() {
        assert_eq!(host_of("sip:bob@beta.example"), Some("beta.example"));
        assert_eq!(
            host_of("sip:imdn@cf.gamma.example;lr"),
            Some("cf.gamma.example")
        );
        assert_eq!(host_of("sip:epsilon.example:5060"), Some("epsilon.example"));
        assert_eq!(host_of("tel:+123"), None);
    }

    #[test]
    fn every_status_the_stack_sends_has_its_rfc_reason_phrase() {
        // RFC 3261 section 21 (and RFC 3428 section 7 for 202).
        for (code, phrase) in [
            (100, "Trying"),
            (200, "OK"),
            (202, "Accepted"),
            (400, "Bad Request"),
            (403, "Forbidden"),
            (404, "Not Found"),
            (405, "Method Not Allowed"),
            (415, "Unsupported Media Type"),
            (416, "Unsupported URI Scheme"),
            (480, "Temporarily Unavailable"),
            (483, "Too Many Hops"),
            (500, "Server Internal Error"),
            (503, "Service Unavailable"),
        ] {
            assert_eq!(super::reason_phrase(code), phrase, "{code}");
        }
        assert_eq!(
            super::reason_phrase(299),
            "",
            "a code the stack never sends"
        );
    }

    #[test]
    fn an_aor_is_scheme_user_and_host_as_display_writes_them() {
        for (uri, aor) in [
            ("sip:bob@beta.example", "sip:bob@beta.example"),
            (
                "sips:bob@beta.example:5061;transport=tcp",
                "sips:bob@beta.example",
            ),
            ("sip:beta.example", "sip:beta.example"),
            ("sip:bob@[2001:db8::1]:5060", "sip:bob@[2001:db8::1]"),
            ("sip:192.0.2.4", "sip:192.0.2.4"),
        ] {
            let parsed = Uri::parse(uri, 0).expect("a valid URI");
            assert_eq!(aor_of(&parsed).as_deref(), Some(aor), "{uri}");
            // A reused buffer, cleared, ends up holding the same AOR.
            let mut reused = String::from("sip:left-over@example.net");
            reused.clear();
            assert!(write_aor(&parsed, &mut reused));
            assert_eq!(reused, aor, "{uri}");
        }
        let tel = Uri::parse("tel:+15551234", 0).expect("a valid URI");
        assert_eq!(aor_of(&tel), None);
        let mut untouched = String::new();
        assert!(!write_aor(&tel, &mut untouched));
        assert!(untouched.is_empty());
    }
}
