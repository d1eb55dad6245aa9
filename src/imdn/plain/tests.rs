//! The plain reader agrees with the full XML parser on every document it answers for, and
//! leaves every other document to it.

use super::read;
use crate::imdn::model::{DispositionNotification, Notification};
use crate::imdn::parse::parse_full;
use proptest::prelude::*;

/// Whether the plain reader answered, after checking that the full parser agrees when it did.
fn agrees(doc: &str) -> bool {
    agrees_on_bytes(doc.as_bytes())
}

fn agrees_on_bytes(doc: &[u8]) -> bool {
    let plain = read(doc);
    if let Some(n) = &plain {
        let text = String::from_utf8_lossy(doc);
        assert_eq!(parse_full(doc).as_ref(), Ok(n), "{text}");
    }
    plain.is_some()
}

#[test]
fn the_real_world_imdn_documents_are_read_alike_by_both_readers() {
    // Skips (and passes) when the shared corpus is not configured.
    let Some(root) = std::env::var_os("IMFLOW_CORPUS") else {
        return;
    };
    let dir = std::path::Path::new(&root).join("real-world").join("imdn");
    let entries = std::fs::read_dir(&dir).expect("the corpus has an imdn directory");
    let mut seen = 0;
    for entry in entries {
        let path = entry.expect("a readable directory entry").path();
        let bytes = std::fs::read(&path).expect("a readable corpus file");
        agrees_on_bytes(&bytes);
        seen += 1;
    }
    assert!(seen > 0, "no IMDN documents under {}", dir.display());
}

const HEAD: &str = "<imdn xmlns=\"urn:ietf:params:xml:ns:imdn\">";
const BODY: &str = "<message-id>Xk3q9TzQ2mPw</message-id>\
    <datetime>2024-03-18T09:30:05+01:00</datetime>\
    <delivery-notification><status><delivered/></status></delivery-notification>";

fn doc(inner: &str) -> String {
    format!("{HEAD}{inner}</imdn>")
}

fn sample() -> DispositionNotification {
    DispositionNotification::sample_delivered()
}

#[test]
fn a_written_document_is_read_in_one_pass_to_the_same_notification() {
    let n = sample();
    let xml = n.to_xml();
    assert!(agrees(&xml));
    assert_eq!(read(xml.as_bytes()), Some(n));
}

#[test]
fn a_written_document_lends_its_fields_and_any_other_is_decoded_in_full() {
    use crate::imdn::{parse, parse_document, ImdnDocument};
    let xml = sample().to_xml();
    let written = parse_document(xml.as_bytes());
    let lent_as_written =
        matches!(written, Ok(ImdnDocument::Written { bytes, .. }) if bytes == xml.as_bytes());
    assert!(lent_as_written, "{written:?}");
    let spaced = xml.replace("<message-id>", "<message-id> ");
    let plain = parse_document(spaced.as_bytes());
    assert!(matches!(plain, Ok(ImdnDocument::Plain(_))), "{plain:?}");
    let commented = doc(&format!("<!-- c -->{BODY}"));
    let full = parse_document(commented.as_bytes());
    assert!(matches!(full, Ok(ImdnDocument::Full(_))), "{full:?}");
    for input in [
        xml.as_str(),
        spaced.as_str(),
        commented.as_str(),
        "<imdn/>",
        "",
    ] {
        let lent = parse_document(input.as_bytes()).map(ImdnDocument::into_notification);
        assert_eq!(lent, parse(input.as_bytes()), "{input}");
    }
}

#[test]
fn every_notification_kind_and_status_is_read() {
    for notification in Notification::ALL {
        let n = DispositionNotification {
            notification,
            ..sample()
        };
        assert_eq!(read(n.to_xml().as_bytes()), Some(n));
    }
}

#[test]
fn whitespace_between_elements_and_around_token_text_is_allowed() {
    let spaced = format!(
        "\n {HEAD}\r\n\t<message-id>\n Xk3q9TzQ2mPw \t</message-id>\n\
         <datetime> 2024-03-18T09:30:05+01:00 </datetime>\
         <delivery-notification>\n <status>\n <failed/>\n </status>\n </delivery-notification>\n\
         </imdn>\n\n"
    );
    assert!(agrees(&spaced));
}

#[test]
fn documents_outside_the_plain_form_are_left_to_the_full_parser() {
    let others = [
        // Markup the plain form does not have.
        doc(&format!("<!-- c -->{BODY}")),
        doc(&BODY.replace("Xk3q9TzQ2mPw", "<![CDATA[Xk3q9TzQ2mPw]]>")),
        doc(&BODY.replace("Xk3q9TzQ2mPw", "Xk3&amp;q9")),
        doc(&BODY.replace("Xk3q9TzQ2mPw", "Xk3&#65;q9")),
        doc(&BODY.replace("<delivered/>", "<delivered></delivered>")),
        doc(&BODY.replace("<delivered/>", "<delivered />")),
        doc(&format!("{BODY}<x:ext xmlns:x=\"urn:example\">1</x:ext>")),
        doc(&BODY.replace("<datetime>", "<datetime a=\"1\">")),
        doc(&BODY.replace("Xk3q9TzQ2mPw", "Xk3\u{e9}")),
        doc(&BODY.replace("Xk3q9TzQ2mPw", "Xk3\r\nq9")),
        format!("<i:imdn xmlns:i=\"urn:ietf:params:xml:ns:imdn\">{BODY}</i:imdn>"),
        format!("<imdn xmlns='urn:ietf:params:xml:ns:imdn'>{BODY}</imdn>"),
        format!("<?xml version=\"1.0\"?>{}", doc(BODY)),
        format!(" <?xml version=\"1.0\" encoding=\"UTF-8\"?>{}", doc(BODY)),
        format!("\u{feff}{}", doc(BODY)),
        format!("{}<!-- after -->", doc(BODY)),
        // Invalid documents: the full parser names the error.
        doc(&BODY.replace("Xk3q9TzQ2mPw", "")),
        doc(&BODY.replace("2024-03-18T09:30:05+01:00", "yesterday")),
        doc(&BODY.replace("<delivered/>", "<displayed/>")),
        doc(&format!("{BODY}<message-id>again</message-id>")),
        doc(&format!("{BODY}{BODY}")),
        doc(&format!("{BODY}<unknown>x</unknown>")),
        doc(&format!("text{BODY}")),
        doc(&BODY.replace("</message-id>", "</message-ID>")),
        doc(&BODY.replace("<status>", "<status><processed/>")),
        doc(&BODY.replace("<datetime>2024-03-18T09:30:05+01:00</datetime>", "")),
        doc(&BODY.replace(
            "<delivery-notification><status><delivered/></status></delivery-notification>",
            "",
        )),
        format!("{}</imdn>", doc(BODY)),
        format!("{}x", doc(BODY)),
        doc(BODY).replace("</imdn>", ""),
        doc(&BODY.replace("Xk3q9TzQ2mPw", "Xk3]]>q9")),
    ];
    for other in &others {
        assert!(!agrees(other), "read in one pass: {other}");
    }
}

fn text_field() -> impl Strategy<Value = String> {
    proptest::string::string_regex("[ -~\t\n\r\u{e9}]{0,12}").expect("a valid regex")
}

proptest! {
    #[test]
    fn the_plain_reader_never_disagrees_with_the_full_parser(
        message_id in text_field(),
        datetime in prop_oneof![Just("2024-03-18T09:30:05Z".to_owned()), text_field()],
        recipient in proptest::option::of(text_field()),
        subject in proptest::option::of(text_field()),
        status in 0..Notification::ALL.len(),
        cut in 0usize..400,
        junk in "[<>&/ a-z\"=!?-]{0,4}",
    ) {
        let n = DispositionNotification {
            message_id,
            datetime,
            recipient_uri: recipient.clone(),
            original_recipient_uri: recipient,
            subject,
            notification: Notification::ALL[status],
        };
        let xml = n.to_xml();
        agrees(&xml);
        // The same document with a few markup bytes spliced in somewhere.
        let at = (0..=cut.min(xml.len())).rev().find(|&i| xml.is_char_boundary(i)).unwrap_or(0);
        let spliced = format!("{}{junk}{}", &xml[..at], &xml[at..]);
        agrees(&spliced);
        // Element text written without escaping: raw `<`, `&`, `>` and CR reach the reader.
        let raw = doc(&format!("<message-id>{}</message-id>{}", n.message_id,
            BODY.split_once("</message-id>").map_or("", |(_, rest)| rest)));
        agrees(&raw);
    }
}

#[test]
fn plain_text_ends_at_the_same_byte_as_a_byte_by_byte_scan_for_every_byte_anywhere() {
    let base = b"  sip:bob@beta.example\tand\nmore text 2024-03-18T09:30:05Z";
    for at in 0..=base.len() {
        for b in 0..=255u8 {
            let mut bytes = base.to_vec();
            bytes.insert(at, b);
            let by_byte = bytes
                .iter()
                .position(|&c| !super::is_plain_text(c))
                .unwrap_or(bytes.len());
            assert_eq!(super::plain_text_len(&bytes), by_byte, "{bytes:?}");
        }
    }
}
