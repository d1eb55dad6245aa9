//! Library entry points of the SIP fuzz targets; each `fuzz/fuzz_targets/*.rs` is a one-line
//! shim over one of these, and the regression test replays stored inputs through them.
//!
//! The oracles: whatever parses must survive `to_owned`, `serialize` and a second parse unchanged;
//! whatever the plain framing (the nodes' own layout) takes, the general scanner frames the
//! same way; and validation answers as the rule-by-rule validation does, its one-pass answer
//! for a message whose rows the framing proved being the one-pass validation's own; and the
//! run of the tokens nodes write ends where the general run ends.
//! A panic here is a codec bug; an input that does not parse is fine.

use super::chars::{run, run_node_token, ALNUM, TOKEN, WORD};
use super::message::{parse_datagram, Message};
use super::owned::OwnedMessage;
use super::quick_validate::{validate_plain, validate_proven};
use super::validate::{validate_general, validate_keeping};

/// Fuzz target `sip_message`: parse arbitrary bytes (and validate them); if they parse, check
/// that the owned message round-trips through the serializer.
pub fn fuzz_sip_message(data: &[u8]) {
    super::plain_head_agreement::assert_agrees(data);
    assert_node_token_runs_agree(data);
    let Ok(message) = parse_datagram(data) else {
        return;
    };
    assert_validation_agrees(&message, data);
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

/// Checks that `message` validates as the rule-by-rule validation has it, and that the answer
/// from what the framing proved, if any, is the one-pass validation's.
fn assert_validation_agrees(message: &Message<'_>, data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    assert_eq!(
        validate_keeping(message),
        validate_general(message),
        "{text:?}"
    );
    if let Some(proven) = validate_proven(message) {
        assert_eq!(Some(proven), validate_plain(message), "{text:?}");
    }
}

/// Checks that from each of the first starts in `data`, [`run_node_token`] ends where [`run`]
/// ends, for each class it is used with.
fn assert_node_token_runs_agree(data: &[u8]) {
    /// Starts checked: enough for every shape around a token, few enough to keep runs quick.
    const STARTS: usize = 64;
    for from in 0..=data.len().min(STARTS) {
        for class in [TOKEN, WORD, ALNUM] {
            assert_eq!(
                run_node_token(data, from, class),
                run(data, from, class),
                "class {class} from {from}: {:?}",
                String::from_utf8_lossy(data)
            );
        }
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
