//! Fuzz entry point for the IMDN codec (the `imdn` cargo-fuzz target is a one-line shim).

/// Parses `data` as an IMDN document; when it parses, the typed value must survive
/// to_xml -> parse unchanged. Panics only when that oracle fails.
pub fn fuzz_imdn(data: &[u8]) {
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
