//! Properties: an owned CPIM message survives serialize -> parse; any bytes parse or fail
//! cleanly; a parsed message re-serializes to a fixed point.

use imflow::cpim::{self, escape, format_address, OwnedCpim, OwnedHeader};
use proptest::prelude::*;

const NAME_CHARS: &str = "[A-Za-z0-9!#$%&'*+\\-^_`|~]{1,12}";

fn value() -> impl Strategy<Value = String> {
    // Any text; escaping makes it a legal header value. Leading/trailing spaces are not
    // allowed on the wire, so they are trimmed.
    any::<String>()
        .prop_map(|s| escape(s.trim_matches([' ', '\t']), false).into_owned())
        .prop_filter("no edge whitespace", |s| {
            !s.starts_with(' ') && !s.ends_with(' ')
        })
}

fn param() -> impl Strategy<Value = (String, String)> {
    let token = "[A-Za-z0-9.\\-_]{1,8}".prop_map(String::from);
    let quoted = any::<String>().prop_map(|s| format!("\"{}\"", escape(&s, true)));
    (NAME_CHARS, prop_oneof![token, quoted])
}

fn generic_header() -> impl Strategy<Value = OwnedHeader> {
    (
        NAME_CHARS,
        proptest::collection::vec(param(), 0..3),
        value(),
    )
        .prop_filter_map("name the codec interprets", |(name, params, value_raw)| {
            let interpreted = ["From", "To", "cc", "DateTime", "NS", "Require"];
            (!interpreted.contains(&name.as_str())).then_some(OwnedHeader {
                prefix: None,
                name,
                params,
                value_raw,
            })
        })
}

fn address_header() -> impl Strategy<Value = OwnedHeader> {
    let name = prop_oneof![Just("To"), Just("cc")];
    let formal = proptest::option::of(any::<String>());
    let uri = "(sip|im|tel):[a-z0-9@.;=+-]{1,20}";
    (name, formal, uri).prop_map(|(name, formal, uri)| OwnedHeader {
        prefix: None,
        name: name.to_owned(),
        params: Vec::new(),
        value_raw: format_address(formal.as_deref(), &uri),
    })
}

fn imdn_headers() -> impl Strategy<Value = Vec<OwnedHeader>> {
    let id = "[A-Za-z0-9]{8,16}";
    let dispositions = proptest::sample::subsequence(
        vec![
            "positive-delivery",
            "negative-delivery",
            "processing",
            "display",
        ],
        0..=4,
    );
    let prefix = "[a-z]{1,6}";
    (prefix, id, dispositions).prop_map(|(prefix, id, disp)| {
        let header = |name: &str, value: String| OwnedHeader {
            prefix: Some(prefix.clone()),
            name: name.to_owned(),
            params: Vec::new(),
            value_raw: value,
        };
        vec![
            OwnedHeader {
                prefix: None,
                name: "NS".to_owned(),
                params: Vec::new(),
                value_raw: format!("{prefix} <urn:ietf:params:imdn>"),
            },
            header("Message-ID", id),
            header("Disposition-Notification", disp.join(", ")),
            header(
                "IMDN-Record-Route",
                "<sip:imdn@cf.gamma.example>".to_owned(),
            ),
        ]
    })
}

fn owned_cpim() -> impl Strategy<Value = OwnedCpim> {
    let headers = (
        proptest::collection::vec(prop_oneof![generic_header(), address_header()], 0..8),
        proptest::option::of(imdn_headers()),
    )
        .prop_map(|(mut h, imdn)| {
            h.extend(imdn.unwrap_or_default());
            h
        });
    let from = proptest::option::of(address_header().prop_map(|mut h| {
        h.name = "From".to_owned();
        h
    }));
    let headers = (from, headers).prop_map(|(from, mut rest)| {
        rest.splice(0..0, from);
        rest
    });
    let mime_value = "[ -~]{0,30}".prop_map(|s| s.trim_matches(' ').to_owned());
    let mime = proptest::collection::vec(("X-[A-Za-z-]{1,10}", mime_value), 0..3);
    (
        headers,
        mime,
        proptest::collection::vec(any::<u8>(), 0..200),
    )
        .prop_map(|(headers, extra, content)| {
            let mut mime_headers = vec![("Content-Type".to_owned(), "text/plain".to_owned())];
            mime_headers.extend(extra);
            OwnedCpim {
                headers,
                mime_headers,
                content,
            }
        })
}

proptest! {
    #[test]
    fn owned_cpim_survives_serialize_then_parse(m in owned_cpim()) {
        let bytes = m.serialize();
        let parsed = cpim::parse(&bytes).map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert_eq!(parsed.to_owned_cpim(), m);
    }

    #[test]
    fn arbitrary_bytes_never_panic_the_parser(bytes in proptest::collection::vec(any::<u8>(), 0..600)) {
        imflow::cpim::fuzzing::fuzz_cpim(&bytes);
    }

    #[test]
    fn mutated_seed_bodies_never_panic(pos in 0usize..1153, byte in any::<u8>(), cut in 0usize..1153) {
        let seed = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/cpim/e5-aggregated-imdn.cpim")).unwrap();
        let mut mutated = seed.clone();
        if let Some(b) = mutated.get_mut(pos) { *b = byte; }
        mutated.truncate(cut.max(1));
        imflow::cpim::fuzzing::fuzz_cpim(&mutated);
    }
}
