//! Properties: owned parts survive build -> parse; any bytes parse or fail cleanly.

use imflow::multipart::{self, OwnedPart};
use proptest::prelude::*;

fn part() -> impl Strategy<Value = OwnedPart> {
    let value = "[ -~]{0,30}".prop_map(|s| s.trim_matches(' ').to_owned());
    let headers = proptest::collection::vec(("[A-Za-z][A-Za-z0-9-]{0,15}", value), 0..4);
    // Bodies made of the bytes that matter most to framing, plus anything.
    let byte = prop_oneof![
        Just(b'\r'),
        Just(b'\n'),
        Just(b'-'),
        Just(b'i'),
        any::<u8>()
    ];
    (headers, proptest::collection::vec(byte, 0..120))
        .prop_map(|(headers, body)| OwnedPart { headers, body })
}

proptest! {
    #[test]
    fn owned_parts_survive_build_then_parse(parts in proptest::collection::vec(part(), 1..6)) {
        let (boundary, bytes) = multipart::build(&parts);
        let parsed = multipart::parse(&bytes, &boundary).map_err(|e| TestCaseError::fail(e.to_string()))?;
        let owned: Vec<OwnedPart> = parsed.parts.iter().map(|p| p.to_owned_part()).collect();
        prop_assert_eq!(owned, parts);
        prop_assert_eq!(multipart::boundary_from_first_line(&bytes), Ok(boundary.as_str()));
    }

    #[test]
    fn arbitrary_bytes_never_panic_the_parser(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
        imflow::multipart::fuzzing::fuzz_multipart(&bytes);
        let _ = multipart::parse(&bytes, "b");
    }

    #[test]
    fn framed_noise_never_panics(
        chunks in proptest::collection::vec(prop_oneof![
            Just(&b"--b"[..]), Just(&b"\r\n"[..]), Just(&b"--"[..]), Just(&b"X: y"[..]),
            Just(&b"Content-Length: 1"[..]), Just(&b" "[..]), Just(&b"z"[..]),
        ], 0..40)
    ) {
        let bytes: Vec<u8> = chunks.concat();
        imflow::multipart::fuzzing::fuzz_multipart(&bytes);
        let _ = multipart::parse_aggregate(&bytes, "b");
    }
}

/// An aggregated IMDN as the writer writes it, with a few bytes edited: the fuzz entry point's
/// oracle compares the reader of the writer's layout with the general reader on each.
#[test]
fn edited_aggregates_are_read_alike_by_both_aggregate_readers() {
    use imflow::imdn::{DeliveryStatus, DispositionNotification, Notification};
    let notifications: Vec<DispositionNotification> = ["a1", "b2", "c3"]
        .iter()
        .map(|id| DispositionNotification {
            message_id: (*id).to_owned(),
            datetime: "2024-03-18T09:30:05Z".to_owned(),
            recipient_uri: Some("sip:bob@beta.example".to_owned()),
            original_recipient_uri: Some("sip:bob@beta.example".to_owned()),
            subject: None,
            notification: Notification::Delivery(DeliveryStatus::Delivered),
        })
        .collect();
    let (boundary, body) = multipart::aggregate_imdns(&notifications);
    assert_eq!(
        multipart::parse_aggregate(&body, &boundary),
        Ok(notifications)
    );
    imflow::multipart::fuzzing::fuzz_multipart(&body);
    for at in 0..body.len() {
        for byte in [b'\r', b'\n', b'-', b'<', b' ', 0xe9] {
            let mut edited = body.clone();
            edited[at] = byte;
            imflow::multipart::fuzzing::fuzz_multipart(&edited);
            edited.remove(at);
            imflow::multipart::fuzzing::fuzz_multipart(&edited);
        }
    }
}
