//! Properties: a notification survives to_xml -> parse; any bytes parse or fail cleanly.

use imflow::imdn::{self, DispositionNotification, Notification};
use proptest::prelude::*;

/// Text XML 1.0 can carry (any char except the excluded controls and non-characters).
fn xml_text() -> impl Strategy<Value = String> {
    any::<String>().prop_map(|s| {
        s.chars()
            .filter(|c| {
                matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
            })
            .collect()
    })
}

fn uri() -> impl Strategy<Value = String> {
    "(sip|tel|im):[a-z0-9@.;=&<>+-]{1,24}"
}

fn notification() -> impl Strategy<Value = DispositionNotification> {
    let uris = proptest::option::of((uri(), uri()));
    (
        "[A-Za-z0-9&<>._-]{1,20}",
        "20[0-9]{2}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9])T([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](\\.[0-9]{1,3})?(Z|[+-](0[0-9]|1[0-4]):[0-5][0-9])",
        uris,
        proptest::option::of(xml_text()),
        proptest::sample::select(Notification::ALL.to_vec()),
    )
        .prop_map(|(message_id, datetime, uris, subject, notification)| {
            let (recipient_uri, original_recipient_uri) = match uris {
                Some((r, o)) => (Some(r), Some(o)),
                None => (None, None),
            };
            DispositionNotification {
                message_id,
                datetime,
                recipient_uri,
                original_recipient_uri,
                subject,
                notification,
            }
        })
}

proptest! {
    #[test]
    fn notification_survives_to_xml_then_parse(n in notification()) {
        let xml = n.to_xml();
        let parsed = imdn::parse(xml.as_bytes()).map_err(|e| TestCaseError::fail(format!("{e}\n{xml}")))?;
        prop_assert_eq!(parsed, n);
    }

    #[test]
    fn arbitrary_bytes_never_panic_the_parser(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
        imflow::imdn::fuzzing::fuzz_imdn(&bytes);
    }

    #[test]
    fn mutated_documents_never_panic(n in notification(), pos in 0usize..600, byte in any::<u8>()) {
        let mut xml = n.to_xml().into_bytes();
        let len = xml.len();
        xml[pos % len] = byte;
        imflow::imdn::fuzzing::fuzz_imdn(&xml);
    }
}
