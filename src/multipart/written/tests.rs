//! The reader of the writer's aggregate layout gives the general reader's documents for every
//! body it answers for, and answers for every aggregate the writer writes.

use super::read_written_aggregate;
use crate::imdn::{DeliveryStatus, DispositionNotification, ImdnDocument, Notification};
use crate::multipart::aggregate::read_aggregate_documents;
use crate::multipart::aggregate_imdns;
use crate::multipart::limits::MULTIPART_PARTS_MAX;
use proptest::prelude::*;

/// Whether the reader answered, after checking that the general reader agrees when it did.
fn agrees(body: &[u8], boundary: &str) -> bool {
    let written = read_written_aggregate(body, "", boundary);
    // With a prefix known to be UTF-8 (a caller's check covered it), the same answer.
    for checked in crate::imdn::utf8_prefixes(body) {
        assert_eq!(read_written_aggregate(body, checked, boundary), written);
    }
    if let Some(documents) = &written {
        assert_eq!(
            read_aggregate_documents(body, boundary).as_ref(),
            Ok(documents),
            "{}",
            String::from_utf8_lossy(body)
        );
    }
    written.is_some()
}

fn delivered(id: &str) -> DispositionNotification {
    DispositionNotification {
        message_id: id.to_owned(),
        datetime: "2024-03-18T09:30:05Z".to_owned(),
        recipient_uri: Some("sip:bob@beta.example".to_owned()),
        original_recipient_uri: Some("sip:group@cf.gamma.example".to_owned()),
        subject: None,
        notification: Notification::Delivery(DeliveryStatus::Delivered),
    }
}

/// An aggregate of three notifications as the writer writes it: (boundary, body).
fn written() -> (String, String) {
    let (boundary, body) = aggregate_imdns(&[delivered("a1"), delivered("b2"), delivered("c3")]);
    (boundary, String::from_utf8(body).unwrap_or_default())
}

#[test]
fn an_aggregate_as_written_is_read_part_by_part_to_the_documents_written() {
    let (boundary, body) = written();
    assert!(agrees(body.as_bytes(), &boundary));
    let read = read_written_aggregate(body.as_bytes(), "", &boundary).unwrap_or_default();
    let ids: Vec<String> = read
        .into_iter()
        .map(|d| ImdnDocument::into_notification(d).message_id)
        .collect();
    assert_eq!(ids, ["a1", "b2", "c3"]);
}

#[test]
fn bodies_outside_the_writers_layout_are_left_to_the_general_reader() {
    let (boundary, body) = written();
    let delimiter = format!("--{boundary}");
    let others = [
        format!("preamble\r\n{body}"),
        format!("{body}\r\n"),
        format!("{body}\r\nepilogue"),
        body.replacen(&format!("{delimiter}\r\n"), &format!("{delimiter} \r\n"), 1),
        body.replacen(
            "Content-Type: message/imdn+xml",
            "content-type: message/imdn+xml",
            1,
        ),
        body.replacen(
            "Content-Type: message/imdn+xml",
            "Content-Type: text/plain",
            1,
        ),
        body.replacen("\r\n\r\n", "\r\nContent-ID: <x>\r\n\r\n", 1),
        body.replacen(
            "<message-id>b2",
            &format!("<message-id>b2\r\n{delimiter}X"),
            1,
        ),
        body.replacen("<datetime>2024-03-18T09:30:05Z", "<datetime>yesterday", 1),
        body.replacen("<message-id>c3", "<message-id>", 1),
        body.replacen(
            &format!("\r\n{delimiter}\r\n"),
            &format!("\r\n{delimiter}\r\n\r\n{delimiter}\r\n"),
            1,
        ),
        body.trim_end_matches('-').to_owned(),
        format!("{delimiter}--"),
        String::new(),
    ];
    for other in &others {
        assert!(
            !agrees(other.as_bytes(), &boundary),
            "read as written: {other}"
        );
    }
    for wrong in ["", "imflow-", &format!("{boundary} "), &"x".repeat(71)] {
        assert!(!agrees(body.as_bytes(), wrong), "{wrong:?}");
    }
}

#[test]
fn an_aggregate_of_more_parts_than_the_limit_is_left_to_the_general_reader() {
    let many: Vec<DispositionNotification> = (0..=MULTIPART_PARTS_MAX)
        .map(|i| delivered(&format!("m{i}")))
        .collect();
    let (boundary, body) = aggregate_imdns(&many);
    assert!(!agrees(&body, &boundary));
    let (boundary, body) = aggregate_imdns(&many[..MULTIPART_PARTS_MAX]);
    assert!(agrees(&body, &boundary));
}

fn any_notification() -> impl Strategy<Value = DispositionNotification> {
    let text = prop_oneof![
        "[ -~]{1,16}",
        Just("a\r\n--imflow-".to_owned()),
        "[ -~\r\n\u{e9}]{0,8}",
    ];
    (
        text.clone(),
        proptest::option::of(text),
        0..Notification::ALL.len(),
    )
        .prop_map(|(message_id, recipient, status)| DispositionNotification {
            message_id,
            recipient_uri: recipient.clone(),
            original_recipient_uri: recipient,
            notification: Notification::ALL[status],
            ..delivered("")
        })
}

proptest! {
    #[test]
    fn the_written_aggregate_reader_never_disagrees_with_the_general_reader(
        notifications in proptest::collection::vec(any_notification(), 1..5),
        at in 0usize..2000,
        edit in proptest::collection::vec(
            prop_oneof![any::<u8>(), Just(b'\r'), Just(b'\n'), Just(b'-')], 0..4),
        removed in 0usize..4,
        boundary_edit in 0usize..4,
    ) {
        let (boundary, body) = aggregate_imdns(&notifications);
        let readable = read_aggregate_documents(&body, &boundary).is_ok();
        // Every aggregate the writer writes whose documents read is read in the writer's layout.
        prop_assert_eq!(agrees(&body, &boundary), readable);
        let mut edited = body.clone();
        let at = at.min(edited.len());
        edited.drain(at..(at + removed).min(edited.len()));
        edited.splice(at..at, edit);
        agrees(&edited, &boundary);
        // The right body under a boundary one character off.
        let mut near = boundary.clone();
        match boundary_edit {
            0 => { near.pop(); }
            1 => near.push('0'),
            2 => near.insert(0, '-'),
            _ => near = near.replace('-', "_"),
        }
        agrees(&body, &near);
    }
}
