//! Hostile IMDN documents end in typed errors, with bounded work, never a panic or overflow.

use imflow::diagnostic::Diagnostic;
use imflow::imdn::{self, limits};

#[test]
fn entity_expansion_bomb_is_refused_as_a_dtd() {
    let mut xml =
        String::from("<?xml version=\"1.0\"?>\n<!DOCTYPE imdn [\n<!ENTITY lol \"lol\">\n");
    for i in 1..10 {
        let prev = if i == 1 {
            "lol".to_owned()
        } else {
            format!("lol{}", i - 1)
        };
        xml.push_str(&format!(
            "<!ENTITY lol{i} \"{}\">\n",
            format!("&{prev};").repeat(10)
        ));
    }
    xml.push_str(
        "]>\n<imdn xmlns=\"urn:ietf:params:xml:ns:imdn\"><message-id>&lol9;</message-id></imdn>",
    );
    let err = imdn::parse(xml.as_bytes()).unwrap_err();
    assert_eq!(err.rule(), "dtd-refused");
}

#[test]
fn undeclared_entity_reference_is_malformed() {
    let xml = "<imdn xmlns=\"urn:ietf:params:xml:ns:imdn\"><message-id>&lol9;</message-id></imdn>";
    assert_eq!(
        imdn::parse(xml.as_bytes()).unwrap_err().rule(),
        "malformed-xml"
    );
}

fn nested(depth: usize) -> String {
    let mut xml = String::from("<imdn xmlns=\"urn:ietf:params:xml:ns:imdn\">");
    xml.push_str(&"<x:a xmlns:x=\"urn:example\">".repeat(depth));
    xml.push_str(&"</x:a>".repeat(depth));
    xml.push_str("</imdn>");
    xml
}

#[test]
fn ten_thousand_deep_nesting_is_a_typed_error_without_overflow() {
    // 10,000 open tags fit the size limit; the node limit stops the parser long before.
    let open = format!(
        "<imdn xmlns=\"urn:ietf:params:xml:ns:imdn\">{}",
        "<a>".repeat(10_000)
    );
    assert!(open.len() < limits::IMDN_DOCUMENT_BYTES_MAX);
    assert_eq!(
        imdn::parse(open.as_bytes()).unwrap_err().rule(),
        "too-many-xml-nodes"
    );
    // Closed, the same nesting is larger than any IMDN may be.
    let closed = format!("{open}{}</imdn>", "</a>".repeat(10_000));
    assert_eq!(
        imdn::parse(closed.as_bytes()).unwrap_err().rule(),
        "imdn-document-too-large"
    );
}

#[test]
fn nesting_past_the_depth_limit_is_refused_even_under_the_node_limit() {
    let xml = nested(limits::IMDN_XML_DEPTH_MAX + 1);
    let err = imdn::parse(xml.as_bytes()).unwrap_err();
    assert_eq!(err.rule(), "xml-too-deep");
    let ok_depth = nested(limits::IMDN_XML_DEPTH_MAX - 1);
    assert_ne!(
        imdn::parse(ok_depth.as_bytes()).unwrap_err().rule(),
        "xml-too-deep"
    );
}

#[test]
fn wide_documents_hit_the_node_limit() {
    let xml = format!(
        "<imdn xmlns=\"urn:ietf:params:xml:ns:imdn\">{}</imdn>",
        "<x:e xmlns:x=\"urn:example\"/>".repeat(limits::IMDN_XML_NODES_MAX as usize)
    );
    assert_eq!(
        imdn::parse(xml.as_bytes()).unwrap_err().rule(),
        "too-many-xml-nodes"
    );
}

#[test]
fn oversized_document_is_refused_before_parsing() {
    let xml = " ".repeat(limits::IMDN_DOCUMENT_BYTES_MAX + 1);
    let err = imdn::parse(xml.as_bytes()).unwrap_err();
    assert_eq!(err.rule(), "imdn-document-too-large");
}

#[test]
fn non_utf8_document_is_refused_at_the_bad_byte() {
    let err = imdn::parse(b"<imdn>\xff</imdn>").unwrap_err();
    assert_eq!((err.rule(), err.offset()), ("invalid-utf8", 6));
}

#[test]
fn unterminated_documents_are_malformed() {
    for xml in [
        "",
        "<",
        "<imdn xmlns=\"urn:ietf:params:xml:ns:imdn",
        "<imdn a=\"open></imdn>",
    ] {
        assert_eq!(
            imdn::parse(xml.as_bytes()).unwrap_err().rule(),
            "malformed-xml",
            "{xml}"
        );
    }
}

#[test]
fn unclosed_root_is_reported_where_its_close_tag_is_due() {
    let xml = "<imdn xmlns=\"urn:ietf:params:xml:ns:imdn\">\n\t<message-id>m</message-id>\n";
    let err = imdn::parse(xml.as_bytes()).unwrap_err();
    assert_eq!((err.rule(), err.offset()), ("malformed-xml", xml.len()));
}
