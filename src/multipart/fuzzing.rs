//! Fuzz entry point for the multipart codec (the `multipart` cargo-fuzz target is a one-line
//! shim).

use super::{boundary_from_first_line, build, parse, OwnedPart};

/// Takes the boundary from the first delimiter line of `data` and parses it; the reader of the
/// aggregate writer's layout must answer alike whether or not its UTF-8 prefix is known to be
/// UTF-8;
/// when it answers, the general aggregate reader must give the same documents; when it parses, the owned parts must survive build -> parse unchanged. Panics
/// only when one of these oracles fails.
pub fn fuzz_multipart(data: &[u8]) {
    let Ok(boundary) = boundary_from_first_line(data) else {
        return;
    };
    let written = super::written::read_written_aggregate(data, "", boundary);
    let checked = crate::imdn::utf8_prefix(data);
    assert_eq!(
        super::written::read_written_aggregate(data, checked, boundary),
        written,
        "the written-layout aggregate reader answers otherwise when a prefix is known to be UTF-8"
    );
    if let Some(documents) = written {
        assert_eq!(
            super::aggregate::read_aggregate_documents(data, boundary),
            Ok(documents),
            "the written-layout aggregate reader and the general reader disagree"
        );
    }
    let Ok(parsed) = parse(data, boundary) else {
        return;
    };
    let owned: Vec<OwnedPart> = parsed.parts.iter().map(|p| p.to_owned_part()).collect();
    let (new_boundary, bytes) = build(&owned);
    match parse(&bytes, &new_boundary) {
        Ok(again) => {
            let again: Vec<OwnedPart> = again.parts.iter().map(|p| p.to_owned_part()).collect();
            assert_eq!(again, owned, "multipart round trip changed the parts");
        }
        Err(e) => panic!("built multipart does not parse: {e}"),
    }
}
