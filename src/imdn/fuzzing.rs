//! Fuzz entry point for the IMDN codec (the `imdn` cargo-fuzz target is a one-line shim).

/// Parses `data` as an IMDN document; the reader of the writer's layout must answer alike
/// whether or not its UTF-8 prefix is known to be UTF-8; when it answers, the plain reader must give
/// the same fields; when the one-pass plain reader answers, the full XML
/// parser must give the same notification, and when the document parses, the typed value must
/// survive to_xml -> parse unchanged. Panics only when one of these oracles fails.
pub fn fuzz_imdn(data: &[u8]) {
    assert_eq!(
        super::written::read_written_as(data, super::written::utf8_prefix(data)),
        super::written::read_written_as(data, ""),
        "the written-layout reader answers otherwise when a prefix is known to be UTF-8"
    );
    if let Some(written) = super::written::read_written(data) {
        assert_eq!(
            super::plain::read_fields(data),
            Some(written),
            "the written-layout reader and the plain reader disagree"
        );
    }
    if let Some(plain) = super::plain::read(data) {
        assert_eq!(
            super::parse::parse_full(data),
            Ok(plain),
            "the plain reader and the XML parser disagree"
        );
    }
    let Ok(mut parsed) = super::parse(data) else {
        return;
    };
    // The writer emits both URIs or neither; the one present stands for both.
    match (&parsed.recipient_uri, &parsed.original_recipient_uri) {
        (Some(r), None) => parsed.original_recipient_uri = Some(r.clone()),
        (None, Some(o)) => parsed.recipient_uri = Some(o.clone()),
        _ => {}
    }
    let xml = parsed.to_xml();
    match super::parse(xml.as_bytes()) {
        Ok(again) => assert_eq!(again, parsed, "IMDN round trip changed the notification"),
        Err(e) => panic!("written IMDN does not parse: {e}\n{xml}"),
    }
}
