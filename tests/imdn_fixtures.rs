//! Facts about IMDN documents of the seed flow (protocol.md E4, E8) and RFC 5438 section 11.

use imflow::diagnostic::Diagnostic;
use imflow::imdn::{
    self, DeliveryStatus, DisplayStatus, DispositionNotification, Notification, ProcessingStatus,
};

fn fixture(name: &str) -> Vec<u8> {
    let path = format!("{}/tests/fixtures/imdn/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

#[test]
fn bobs_delivered_imdn_names_him_and_the_group() {
    let n = imdn::parse(&fixture("e4-delivered-crlf.xml")).unwrap();
    assert_eq!(
        n,
        DispositionNotification {
            message_id: "Xk3q9TzQ2mPw".into(),
            datetime: "2024-03-18T09:30:05+01:00".into(),
            recipient_uri: Some("sip:bob@beta.example".into()),
            original_recipient_uri: Some("sip:climbers@conf.gamma.example".into()),
            subject: None,
            notification: Notification::Delivery(DeliveryStatus::Delivered),
        }
    );
}

#[test]
fn stored_processing_notification_may_omit_both_uris() {
    let n = imdn::parse(&fixture("e8-dave-stored.xml")).unwrap();
    assert_eq!(
        n.notification,
        Notification::Processing(ProcessingStatus::Stored)
    );
    assert_eq!((n.recipient_uri, n.original_recipient_uri), (None, None));
}

#[test]
fn failed_delivery_with_only_recipient_uri_is_accepted() {
    let n = imdn::parse(&fixture("e8-dave-failed.xml")).unwrap();
    assert_eq!(
        n.notification,
        Notification::Delivery(DeliveryStatus::Failed)
    );
    assert_eq!(n.recipient_uri.as_deref(), Some("sip:dave@epsilon.example"));
    assert_eq!(n.original_recipient_uri, None);
}

#[test]
fn writer_emits_both_uris_when_only_one_is_known() {
    let n = imdn::parse(&fixture("e8-dave-failed.xml")).unwrap();
    let again = imdn::parse(n.to_xml().as_bytes()).unwrap();
    assert_eq!(
        again.original_recipient_uri.as_deref(),
        Some("sip:dave@epsilon.example")
    );
}

#[test]
fn extension_elements_of_other_namespaces_are_ignored() {
    let n = imdn::parse(&fixture("carol-displayed-with-extensions.xml")).unwrap();
    assert_eq!(
        n.notification,
        Notification::Display(DisplayStatus::Displayed)
    );
    assert_eq!(n.subject.as_deref(), Some("Summit & ropes"));
    assert_eq!(n.recipient_uri.as_deref(), Some("sip:carol@delta.example"));
}

#[test]
fn every_status_of_every_notification_round_trips() {
    for notification in Notification::ALL {
        let n = DispositionNotification {
            message_id: "m1".into(),
            datetime: "2024-03-18T09:30:05Z".into(),
            recipient_uri: None,
            original_recipient_uri: None,
            subject: Some("a < b & \"c\" ]]> \r\n".into()),
            notification,
        };
        assert_eq!(imdn::parse(n.to_xml().as_bytes()).unwrap(), n);
    }
}

#[test]
fn written_document_is_the_rfc_5438_shape() {
    let n = imdn::parse(&fixture("e4-delivered-crlf.xml")).unwrap();
    let expected = concat!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n",
        "<imdn xmlns=\"urn:ietf:params:xml:ns:imdn\">\n",
        "  <message-id>Xk3q9TzQ2mPw</message-id>\n",
        "  <datetime>2024-03-18T09:30:05+01:00</datetime>\n",
        "  <recipient-uri>sip:bob@beta.example</recipient-uri>\n",
        "  <original-recipient-uri>sip:climbers@conf.gamma.example</original-recipient-uri>\n",
        "  <delivery-notification><status><delivered/></status></delivery-notification>\n",
        "</imdn>\n",
    );
    assert_eq!(n.to_xml(), expected);
}

fn rule_of(xml: &str) -> &'static str {
    imdn::parse(xml.as_bytes()).unwrap_err().rule()
}

const HEAD: &str = "<imdn xmlns=\"urn:ietf:params:xml:ns:imdn\"><message-id>m</message-id><datetime>2024-03-18T09:30:05Z</datetime>";

#[test]
fn schema_violations_name_their_rule() {
    let tail = "<display-notification><status><displayed/></status></display-notification></imdn>";
    assert_eq!(
        rule_of("<imdn><message-id>m</message-id></imdn>"),
        "not-imdn-root"
    );
    assert_eq!(rule_of(&format!("{HEAD}</imdn>")), "missing-notification");
    assert_eq!(
        rule_of(&format!("{HEAD}<delivery-notification><status><displayed/></status></delivery-notification></imdn>")),
        "unknown-status"
    );
    assert_eq!(
        rule_of(&format!(
            "{HEAD}<delivery-notification><status/></delivery-notification></imdn>"
        )),
        "missing-status"
    );
    assert_eq!(
        rule_of(&format!("{HEAD}<delivery-notification><status><delivered/><failed/></status></delivery-notification></imdn>")),
        "missing-status"
    );
    assert_eq!(
        rule_of(&format!("{HEAD}<message-id>m2</message-id>{tail}")),
        "duplicate-imdn-element"
    );
    assert_eq!(
        rule_of(&format!("{HEAD}<bogus/>{tail}")),
        "unexpected-imdn-element"
    );
    assert_eq!(
        rule_of(&format!("{HEAD}stray text{tail}")),
        "unexpected-text"
    );
    let no_id = "<imdn xmlns=\"urn:ietf:params:xml:ns:imdn\"><message-id> </message-id><datetime>2024-03-18T09:30:05Z</datetime>";
    assert_eq!(rule_of(&format!("{no_id}{tail}")), "missing-message-id");
    let bad_date = "<imdn xmlns=\"urn:ietf:params:xml:ns:imdn\"><message-id>m</message-id><datetime>monday</datetime>";
    assert_eq!(rule_of(&format!("{bad_date}{tail}")), "invalid-date-time");
    assert_eq!(rule_of(&format!("{HEAD}{tail}")[..40]), "malformed-xml");
}

#[test]
fn malformed_xml_offset_points_into_the_document() {
    let xml = format!("{HEAD}<display-notification></imdn>");
    let err = imdn::parse(xml.as_bytes()).unwrap_err();
    assert_eq!(err.rule(), "malformed-xml");
    assert!(
        err.offset() >= HEAD.len() && err.offset() <= xml.len(),
        "{}",
        err.offset()
    );
}
