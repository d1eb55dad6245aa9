//! The reader of the writer's layout gives the plain reader's fields for every document it
//! answers for, and answers for every document the writer writes from plain ASCII fields.

use super::{read_written, read_written_as, read_written_prefix, utf8_prefixes};
use crate::imdn::model::{DispositionNotification, Notification};
use crate::imdn::plain::read_fields;
use proptest::prelude::*;

/// Whether the reader answered, after checking that the plain reader agrees when it did, that
/// it calls the document as written exactly when the writer writes these bytes for the fields
/// read, and that it reads the document alike when more bytes follow it.
fn agrees(doc: &[u8]) -> bool {
    let whole = read_written_as(doc, "");
    // With a prefix known to be UTF-8 (a caller's check covered it), the same answer.
    for checked in utf8_prefixes(doc) {
        assert_eq!(read_written_as(doc, checked), whole);
    }
    if let Some((fields, as_written)) = whole {
        assert_eq!(as_written, fields.to_xml().as_bytes() == doc);
    }
    // Followed by the rest of an aggregate, the same document is read from the start.
    let mut followed = doc.to_vec();
    followed.extend_from_slice(b"\r\n--imflow-0\r\n<?xml");
    let prefix = read_written_prefix(&followed, "");
    for checked in utf8_prefixes(&followed) {
        assert_eq!(read_written_prefix(&followed, checked), prefix);
    }
    match (whole, prefix) {
        (Some((fields, as_written)), prefix) => {
            assert_eq!(prefix, Some((fields, as_written, doc.len())));
        }
        (None, Some((_, _, len))) => assert!(len < doc.len()),
        (None, None) => {}
    }
    let written = read_written(doc);
    if written.is_some() {
        assert_eq!(
            written,
            read_fields(doc),
            "{}",
            String::from_utf8_lossy(doc)
        );
    }
    written.is_some()
}

fn sample() -> DispositionNotification {
    DispositionNotification::sample_delivered()
}

#[test]
fn every_kind_and_every_optional_element_the_writer_writes_is_read_as_written() {
    for notification in Notification::ALL {
        for (recipient, subject) in [(true, true), (true, false), (false, true), (false, false)] {
            let n = DispositionNotification {
                recipient_uri: sample().recipient_uri.filter(|_| recipient),
                original_recipient_uri: sample().original_recipient_uri.filter(|_| recipient),
                subject: sample().subject.filter(|_| subject),
                notification,
                ..sample()
            };
            let xml = n.to_xml();
            assert!(agrees(xml.as_bytes()), "{xml}");
            let read = read_written(xml.as_bytes()).map(|f| f.into_notification());
            assert_eq!(read, Some(n));
        }
    }
}

#[test]
fn documents_outside_the_writers_layout_are_left_to_the_plain_reader() {
    let xml = sample().to_xml();
    let others = [
        xml.replacen("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n", "", 1),
        xml.replacen("  <message-id>", "<message-id>", 1),
        xml.replacen("</datetime>\n", "</datetime>", 1),
        xml.replacen("Xk3q9TzQ2mPw", "Xk3\tq9", 1),
        xml.replacen("Xk3q9TzQ2mPw", "Xk3&amp;q9", 1),
        xml.replacen("Xk3q9TzQ2mPw", "Xk3\u{e9}", 1),
        xml.replacen("Xk3q9TzQ2mPw", "", 1),
        xml.replacen("Xk3q9TzQ2mPw", "   ", 1),
        xml.replacen("2024-03-18T09:30:05+01:00", "yesterday", 1),
        xml.replacen("<delivered/>", "<displayed/>", 1),
        xml.replacen("<delivered/>", "<delivered />", 1),
        xml.replacen("<delivered/>", "<delivered-and-read-and-more/>", 1),
        xml.replacen("</delivery-notification>", "</display-notification>", 1),
        xml.replacen("  <subject> Summit at noon </subject>\n", "", 1)
            + "  <subject>late</subject>\n",
        format!("{xml}\n"),
        xml.trim_end().to_owned(),
        format!(" {xml}"),
    ];
    for other in &others {
        assert!(!agrees(other.as_bytes()), "read as written: {other}");
    }
    // Spaces around token text are the writer's too: trimmed as the plain reader trims.
    let spaced = xml.replacen("Xk3q9TzQ2mPw", "  Xk3q9TzQ2mPw ", 1);
    assert!(agrees(spaced.as_bytes()));
}

#[test]
fn the_real_world_imdn_documents_are_read_alike_by_both_readers() {
    // Skips (and passes) when the shared corpus is not configured.
    let Some(root) = std::env::var_os("IMFLOW_CORPUS") else {
        return;
    };
    let dir = std::path::Path::new(&root).join("real-world").join("imdn");
    let entries = std::fs::read_dir(&dir).expect("the corpus has an imdn directory");
    for entry in entries {
        let path = entry.expect("a readable directory entry").path();
        agrees(&std::fs::read(&path).expect("a readable corpus file"));
    }
}

fn text_field() -> impl Strategy<Value = String> {
    prop_oneof![
        proptest::string::string_regex("[ -~]{0,16}").expect("a valid regex"),
        proptest::string::string_regex("[ -~\t\n\r\u{e9}]{0,12}").expect("a valid regex"),
    ]
}

proptest! {
    #[test]
    fn the_written_layout_reader_never_disagrees_with_the_plain_reader(
        message_id in text_field(),
        datetime in prop_oneof![Just("2024-03-18T09:30:05Z".to_owned()), text_field()],
        recipient in proptest::option::of(text_field()),
        subject in proptest::option::of(text_field()),
        status in 0..Notification::ALL.len(),
        at in 0usize..400,
        edit in proptest::collection::vec(any::<u8>(), 0..3),
        removed in 0usize..3,
    ) {
        let n = DispositionNotification {
            message_id,
            datetime,
            recipient_uri: recipient.clone(),
            original_recipient_uri: recipient,
            subject,
            notification: Notification::ALL[status],
        };
        let xml = n.to_xml().into_bytes();
        let plain_ascii = |t: &str| t.bytes().all(|b| (0x20..0x7f).contains(&b) && !b"&<>".contains(&b));
        let expected = plain_ascii(&n.message_id)
            && !n.message_id.trim_matches(' ').is_empty()
            && n.datetime == "2024-03-18T09:30:05Z"
            && n.recipient_uri.as_deref().is_none_or(plain_ascii)
            && n.subject.as_deref().is_none_or(plain_ascii);
        prop_assert_eq!(agrees(&xml), expected);
        // The same document with a few bytes removed and a few arbitrary ones put in.
        let mut edited = xml.clone();
        let at = at.min(edited.len());
        edited.drain(at..(at + removed).min(edited.len()));
        edited.splice(at..at, edit);
        agrees(&edited);
    }
}
