//! Library entry points of the SIP fuzz targets; each `fuzz/fuzz_targets/*.rs` is a one-line
//! shim over one of these, and the regression test replays stored inputs through them.
//!
//! The oracles: whatever parses must survive `to_owned`, `serialize` and a second parse unchanged;
//! and whatever the plain framing (the nodes' own layout) takes, the general scanner frames the
//! same way.
//! A panic here is a codec bug; an input that does not parse is fine.

use super::message::parse_datagram;
use super::owned::OwnedMessage;

/// Fuzz target `sip_message`: parse arbitrary bytes (and validate them); if they parse, check
/// that the owned message round-trips through the serializer.
pub fn fuzz_sip_message(data: &[u8]) {
    super::plain_head_agreement::assert_agrees(data);
    let Ok(message) = parse_datagram(data) else {
        return;
    };
    let _ = super::validate(&message);
    let owned = message.to_owned();
    assert_round_trip(&owned);
}

/// Fuzz target `sip_structured`: an arbitrary owned message must round-trip.
pub fn fuzz_sip_structured(data: &[u8]) {
    let mut u = arbitrary::Unstructured::new(data);
    if let Ok(owned) = <OwnedMessage as arbitrary::Arbitrary>::arbitrary(&mut u) {
        assert_round_trip(&owned);
    }
}

fn assert_round_trip(owned: &OwnedMessage) {
    let bytes = owned.to_bytes();
    match parse_datagram(&bytes) {
        Ok(again) => assert_eq!(
            &again.to_owned(),
            owned,
            "round trip changed the message; wire form: {:?}",
            String::from_utf8_lossy(&bytes)
        ),
        Err(e) => panic!(
            "serialized message does not parse: {e}; wire form: {:?}",
            String::from_utf8_lossy(&bytes)
        ),
    }
}
