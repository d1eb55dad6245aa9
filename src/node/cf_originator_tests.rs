//! A From the plain check says names a member is one whose parsed AOR is that member, for
//! members and From rows in many forms, near misses included.

use super::{is_plain_aor, names_plainly};
use crate::node::sip_util::aor_of;
use crate::sip::NameAddr;
use proptest::prelude::*;

/// The AOR the general path reads from a From row: `None` when the row does not parse.
fn parsed_aor(row: &str) -> Option<String> {
    NameAddr::parse(row, 0)
        .ok()
        .and_then(|from| aor_of(&from.uri))
}

fn member() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("sip:bob@beta.example".to_owned()),
        Just("sips:carol@delta.example".to_owned()),
        Just("sip:Bob.Smith_2-x@Beta.Example".to_owned()),
        Just("sip:bob@beta.example:5060".to_owned()),
        Just("sip:bob@beta.example;transport=udp".to_owned()),
        Just("sip:beta.example".to_owned()),
        Just("sip:bob@1.2.3.4".to_owned()),
        Just("sip:bob@1.2.3.999".to_owned()),
        Just("sip:bob@[2001:db8::1]".to_owned()),
        Just("sip:b%40b@beta.example".to_owned()),
        Just("sip:bob@beta..example".to_owned()),
        Just("sip:bob@-beta.example".to_owned()),
        Just("tel:+123".to_owned()),
        Just("sip:@x".to_owned()),
        Just("sip:bob@".to_owned()),
        "(sip|sips|SIP|mailto):[a-zA-Z0-9._-]{0,6}@[a-z0-9.-]{0,10}",
        "[a-z:@.0-9_-]{0,16}",
    ]
}

fn row(member: String) -> impl Strategy<Value = String> {
    let tag = prop_oneof![
        "[a-zA-Z0-9._-]{0,10}",
        "[ -~]{0,6}",
        Just("abc;x=1".to_owned()),
        Just("abc def".to_owned()),
    ];
    let shape = prop_oneof![
        Just("<{m}>;tag={t}"),
        Just("\"B\" <{m}>;tag={t}"),
        Just("{m};tag={t}"),
        Just("<{m}> ;tag={t}"),
        Just("<{m}>;TAG={t}"),
        Just("<{m}>;tag={t};x"),
        Just("< {m}>;tag={t}"),
    ];
    (shape, tag).prop_map(move |(shape, tag)| shape.replace("{m}", &member).replace("{t}", &tag))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2048))]

    #[test]
    fn a_from_named_plainly_is_a_from_whose_aor_is_the_member(
        (member, row) in member().prop_flat_map(|m| (Just(m.clone()), row(m))),
    ) {
        if is_plain_aor(&member) && names_plainly(&row, &member) {
            prop_assert_eq!(parsed_aor(&row), Some(member.clone()), "{}", row);
        }
    }
}

#[test]
fn the_rows_user_agents_write_are_named_plainly() {
    for member in ["sip:bob@beta.example", "sips:carol_2@delta-x.example"] {
        assert!(is_plain_aor(member), "{member}");
        let row = format!("<{member}>;tag=0123456789abcdef");
        assert!(names_plainly(&row, member));
        assert_eq!(parsed_aor(&row).as_deref(), Some(member));
    }
    for member in [
        "sip:bob@beta.example:5060",
        "tel:+123",
        "sip:bob@[2001:db8::1]",
    ] {
        assert!(!is_plain_aor(member), "{member}");
    }
    let member = "sip:bob@beta.example";
    for row in [
        "<sip:bob@beta.example>;tag=",
        "<sip:bob@beta.example>;tag=a b",
        "<sip:bob@beta.example>;tag=a;x",
        "\"Bob\" <sip:bob@beta.example>;tag=a",
        "<sip:bob@beta.example.org>;tag=a",
    ] {
        assert!(!names_plainly(row, member), "{row}");
    }
}
