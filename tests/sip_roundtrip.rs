//! Properties of the SIP codec under generated input:
//! - a realistic owned message survives serialize -> parse -> to_owned unchanged, and validates;
//! - arbitrary bytes and mutated valid messages never make the parser panic, and whatever
//!   parses round-trips (the `sip_message` fuzz oracle);
//! - every `arbitrary` owned message round-trips (the `sip_structured` fuzz oracle).

use imflow::sip::fuzzing::{fuzz_sip_message, fuzz_sip_structured};
use imflow::sip::{parse_datagram, validate, OwnedMessage, StatusCode};
use proptest::prelude::*;
use std::net::Ipv6Addr;

fn token() -> impl Strategy<Value = String> {
    "[a-zA-Z0-9.!%*_+`'~-]{1,12}"
}

fn uri_word() -> impl Strategy<Value = String> {
    "([a-zA-Z0-9_.!~*'()-]|%[0-9A-F]{2}){1,10}"
}

fn method() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("MESSAGE".to_owned()),
        Just("REGISTER".to_owned()),
        Just("OPTIONS".to_owned()),
        token(),
    ]
}

fn host() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-z]([a-z0-9-]{0,6}[a-z0-9])?(\\.[a-z][a-z0-9]{0,8}){0,3}",
        any::<[u8; 4]>().prop_map(|o| format!("{}.{}.{}.{}", o[0], o[1], o[2], o[3])),
        any::<[u16; 8]>().prop_map(|g| format!("[{}]", Ipv6Addr::from(g))),
        any::<[u8; 4]>().prop_map(|o| format!("[::ffff:{}.{}.{}.{}]", o[0], o[1], o[2], o[3])),
    ]
}

fn hostport() -> impl Strategy<Value = String> {
    (host(), proptest::option::of(1u16..)).prop_map(|(h, p)| match p {
        Some(p) => format!("{h}:{p}"),
        None => h,
    })
}

fn uri_params() -> impl Strategy<Value = String> {
    proptest::collection::vec((uri_word(), proptest::option::of(uri_word())), 0..3).prop_map(|ps| {
        ps.into_iter()
            .map(|(n, v)| match v {
                Some(v) => format!(";{n}={v}"),
                None => format!(";{n}"),
            })
            .collect()
    })
}

fn sip_uri() -> impl Strategy<Value = String> {
    (
        prop_oneof![Just("sip"), Just("sips")],
        proptest::option::of(uri_word()),
        hostport(),
        uri_params(),
    )
        .prop_map(|(scheme, user, hp, params)| match user {
            Some(u) => format!("{scheme}:{u}@{hp}{params}"),
            None => format!("{scheme}:{hp}{params}"),
        })
}

fn display_name() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(String::new()),
        "[a-zA-Z0-9.!%*_+`'~-]{1,8}( [a-zA-Z0-9]{1,8}){0,2}".prop_map(|s| format!("{s} ")),
        "[ a-zA-Z,;<>@:\"\\\\éß大]{0,12}".prop_map(|s| {
            let escaped = s.replace('\\', "\\\\").replace('"', "\\\"");
            format!("\"{escaped}\" ")
        }),
    ]
}

fn name_addr(with_tag: bool) -> impl Strategy<Value = String> {
    (display_name(), sip_uri(), token()).prop_map(move |(d, uri, tag)| {
        let tag = if with_tag {
            format!(";tag={tag}")
        } else {
            String::new()
        };
        format!("{d}<{uri}>{tag}")
    })
}

fn via() -> impl Strategy<Value = String> {
    (
        prop_oneof![
            Just("UDP".to_owned()),
            Just("TCP".to_owned()),
            Just("TLS".to_owned()),
            Just("SCTP".to_owned()),
            token(),
        ],
        hostport(),
        token(),
        any::<bool>(),
    )
        .prop_map(|(t, hp, branch, rport)| {
            let rport = if rport { ";rport" } else { "" };
            format!("SIP/2.0/{t} {hp};branch=z9hG4bK{branch}{rport}")
        })
}

/// Header text without CR/LF and without surrounding whitespace.
fn text() -> impl Strategy<Value = String> {
    "[ -~éß大\u{feff}]{0,24}".prop_map(|s| s.trim().to_owned())
}

/// Either form of a name, in a random case.
fn spelled(full: &'static str, compact: Option<&'static str>) -> impl Strategy<Value = String> {
    let forms: Vec<&'static str> = std::iter::once(full).chain(compact).collect();
    (proptest::sample::select(forms), any::<u64>()).prop_map(|(name, bits)| {
        name.chars()
            .enumerate()
            .map(|(i, c)| {
                if bits >> (i % 64) & 1 == 1 {
                    c.to_ascii_uppercase()
                } else {
                    c.to_ascii_lowercase()
                }
            })
            .collect()
    })
}

fn extra_header() -> impl Strategy<Value = (String, String)> {
    prop_oneof![
        (spelled("Via", Some("v")), via()),
        (
            spelled("Route", None),
            sip_uri().prop_map(|u| format!("<{u}>"))
        ),
        (spelled("Subject", Some("s")), text()),
        (
            spelled("Supported", Some("k")),
            "[a-z0-9]{1,6}(, [a-z0-9]{1,6}){0,3}"
        ),
        ("X-[A-Za-z0-9-]{1,12}", text()),
    ]
}

prop_compose! {
    fn owned_message()(
        method in method(),
        request in any::<bool>(),
        ruri in sip_uri(),
        code in 100u16..700,
        reason in text(),
        top_via in via(),
        max_forwards in 0u8..=255,
        from in name_addr(true),
        to in name_addr(false),
        call_id in "[a-zA-Z0-9.!%*_+`'~()<>:\\\\\"/\\[\\]?{}-]{1,20}",
        cseq in 0u32..(1 << 31),
        names in (spelled("Via", Some("v")), spelled("From", Some("f")), spelled("To", Some("t")),
            spelled("Call-ID", Some("i")), spelled("Content-Type", Some("c"))),
        extra in proptest::collection::vec(extra_header(), 0..8),
        body in proptest::collection::vec(any::<u8>(), 0..200),
    ) -> OwnedMessage {
        let (via_name, from_name, to_name, call_id_name, ct_name) = names;
        let mut m = if request {
            OwnedMessage::request(method.clone(), ruri)
                .header("Max-Forwards", max_forwards.to_string())
        } else {
            OwnedMessage::response(StatusCode::new(code).expect("100..700"), reason)
        };
        m = m
            .header(via_name, top_via)
            .header(from_name, from)
            .header(to_name, to)
            .header(call_id_name, call_id)
            .header("CSeq", format!("{cseq} {method}"));
        for (name, value) in extra {
            m = m.header(name, value);
        }
        if !body.is_empty() {
            m = m.header(ct_name, "application/octet-stream");
        }
        m.body(body)
    }
}

/// A random edit of a message's bytes: overwrite, insert SIP-significant bytes, delete.
#[derive(Debug, Clone)]
enum Edit {
    Set(usize, u8),
    Insert(usize, Vec<u8>),
    Delete(usize, usize),
}

fn edit() -> impl Strategy<Value = Edit> {
    let interesting = proptest::sample::select(vec![
        b"\r\n".to_vec(),
        b"\r\n ".to_vec(),
        b"\n".to_vec(),
        b"\"".to_vec(),
        b"<".to_vec(),
        b",".to_vec(),
        b";".to_vec(),
        b":".to_vec(),
        b"%".to_vec(),
        b"\\".to_vec(),
        b"[".to_vec(),
        b"\r\nl: 3\r\n".to_vec(),
        b"\xff".to_vec(),
        b"\0".to_vec(),
    ]);
    prop_oneof![
        (any::<usize>(), any::<u8>()).prop_map(|(i, b)| Edit::Set(i, b)),
        (any::<usize>(), interesting).prop_map(|(i, b)| Edit::Insert(i, b)),
        (any::<usize>(), 1usize..16).prop_map(|(i, n)| Edit::Delete(i, n)),
    ]
}

fn apply(bytes: &mut Vec<u8>, edit: &Edit) {
    let len = bytes.len().max(1);
    match edit {
        Edit::Set(i, b) => {
            if let Some(x) = bytes.get_mut(i % len) {
                *x = *b;
            }
        }
        Edit::Insert(i, ins) => {
            let at = i % (bytes.len() + 1);
            bytes.splice(at..at, ins.iter().copied());
        }
        Edit::Delete(i, n) => {
            let at = i % len;
            let end = (at + n).min(bytes.len());
            if at < end {
                bytes.drain(at..end);
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    #[test]
    fn owned_message_survives_serialize_and_parse(m in owned_message()) {
        let wire = m.to_bytes();
        let parsed = parse_datagram(&wire).map_err(|e| TestCaseError::fail(format!(
            "{e}: {}", String::from_utf8_lossy(&wire))))?;
        prop_assert_eq!(validate(&parsed), Ok(()), "{}", String::from_utf8_lossy(&wire));
        prop_assert_eq!(parsed.to_owned(), m);
    }

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..1024)) {
        fuzz_sip_message(&bytes);
    }

    #[test]
    fn mutated_messages_never_panic_and_round_trip_when_they_parse(
        m in owned_message(),
        edits in proptest::collection::vec(edit(), 1..6),
    ) {
        let mut bytes = m.to_bytes();
        for e in &edits {
            apply(&mut bytes, e);
        }
        fuzz_sip_message(&bytes);
    }

    #[test]
    fn arbitrary_owned_messages_round_trip_and_validate(
        seed in proptest::collection::vec(any::<u8>(), 0..512),
    ) {
        fuzz_sip_structured(&seed);
        let mut u = arbitrary::Unstructured::new(&seed);
        if let Ok(m) = <OwnedMessage as arbitrary::Arbitrary>::arbitrary(&mut u) {
            let wire = m.to_bytes();
            let parsed = parse_datagram(&wire).expect("arbitrary message parses");
            prop_assert_eq!(validate(&parsed), Ok(()), "{}", String::from_utf8_lossy(&wire));
        }
    }
}
