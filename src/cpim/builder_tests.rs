//! The builder agrees with the plain way of building: each call appends an [`OwnedHeader`] or
//! MIME header to an [`OwnedCpim`], which is handed out only if its serialization parses. For
//! any sequence of calls, valid or not, both give the same message or the same error, and
//! `build_serialized` gives the bytes of `build()?.serialize()`.

use super::super::address::format_address;
use super::super::disposition::{Disposition, DispositionSet};
use super::super::grammar::escape;
use super::super::owned::{OwnedCpim, OwnedHeader};
use super::super::{CpimError, IMDN_NS};
use super::CpimBuilder;
use proptest::prelude::*;

/// One builder call.
#[derive(Clone, Debug)]
enum Call {
    From(Option<String>, String),
    To(Option<String>, String),
    DateTime(String),
    Subject(Option<String>, String),
    MessageId(String),
    Dispositions(DispositionSet),
    OriginalTo(Option<String>, String),
    RecordRoute(String),
    Route(String),
    Header(Option<String>, String, String),
    ContentType(String),
    Mime(String, String),
    Content(Vec<u8>),
}

fn apply(b: CpimBuilder, call: &Call) -> CpimBuilder {
    match call {
        Call::From(n, u) => b.from(n.as_deref(), u),
        Call::To(n, u) => b.to(n.as_deref(), u),
        Call::DateTime(d) => b.datetime(d),
        Call::Subject(l, t) => b.subject(l.as_deref(), t),
        Call::MessageId(id) => b.message_id(id),
        Call::Dispositions(set) => b.disposition_notification(*set),
        Call::OriginalTo(n, u) => b.original_to(n.as_deref(), u),
        Call::RecordRoute(u) => b.imdn_record_route(u),
        Call::Route(u) => b.imdn_route(u),
        Call::Header(p, n, v) => b.header(p.as_deref(), n, v),
        Call::ContentType(t) => b.content_type(t),
        Call::Mime(n, v) => b.mime_header(n, v),
        Call::Content(c) => b.content(c),
    }
}

/// The plain way: push owned pieces, then serialize and parse.
fn reference(calls: &[Call]) -> Result<OwnedCpim, CpimError> {
    let mut m = OwnedCpim::default();
    let mut declared = false;
    let header = |prefix: Option<&str>, name: &str, value: String| OwnedHeader {
        prefix: prefix.map(str::to_owned),
        name: name.to_owned(),
        params: Vec::new(),
        value_raw: value,
    };
    for call in calls {
        let imdn = |m: &mut OwnedCpim, declared: &mut bool, name: &str, value: String| {
            if !*declared {
                *declared = true;
                m.headers
                    .push(header(None, "NS", format!("imdn <{IMDN_NS}>")));
            }
            m.headers.push(header(Some("imdn"), name, value));
        };
        match call {
            Call::From(n, u) => {
                m.headers
                    .push(header(None, "From", format_address(n.as_deref(), u)))
            }
            Call::To(n, u) => m
                .headers
                .push(header(None, "To", format_address(n.as_deref(), u))),
            Call::DateTime(d) => m.headers.push(header(None, "DateTime", d.clone())),
            Call::Subject(l, t) => {
                let mut h = header(None, "Subject", escape(t, false).into_owned());
                if let Some(l) = l {
                    h.params.push(("lang".to_owned(), l.clone()));
                }
                m.headers.push(h);
            }
            Call::MessageId(id) => imdn(&mut m, &mut declared, "Message-ID", id.clone()),
            Call::Dispositions(s) => imdn(
                &mut m,
                &mut declared,
                "Disposition-Notification",
                s.to_string(),
            ),
            Call::OriginalTo(n, u) => imdn(
                &mut m,
                &mut declared,
                "Original-To",
                format_address(n.as_deref(), u),
            ),
            Call::RecordRoute(u) => imdn(
                &mut m,
                &mut declared,
                "IMDN-Record-Route",
                format_address(None, u),
            ),
            Call::Route(u) => imdn(&mut m, &mut declared, "IMDN-Route", format_address(None, u)),
            Call::Header(p, n, v) => {
                m.headers
                    .push(header(p.as_deref(), n, escape(v, false).into_owned()));
            }
            Call::ContentType(t) => m.mime_headers.push(("Content-Type".to_owned(), t.clone())),
            Call::Mime(n, v) => m.mime_headers.push((n.clone(), v.clone())),
            Call::Content(c) => m.content = c.clone(),
        }
    }
    m.validate()?;
    Ok(m)
}

fn assert_agrees(calls: &[Call]) -> Result<(), TestCaseError> {
    let built = calls.iter().fold(OwnedCpim::builder(), apply);
    let serialized = built.clone().build_serialized();
    let expected = reference(calls);
    prop_assert_eq!(&built.build(), &expected);
    prop_assert_eq!(serialized, expected.map(|m| m.serialize()));
    Ok(())
}

fn uri() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => "(sip|im|tel):[a-z0-9@.;=+-]{1,20}",
        1 => any::<String>(),
        1 => "sip:[a-z ]{0,4}",
    ]
}

fn formal() -> impl Strategy<Value = Option<String>> {
    proptest::option::of(prop_oneof![
        "[A-Za-z]{1,6}( [A-Za-z]{1,6})?",
        any::<String>()
    ])
}

fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => "[A-Za-z0-9]{1,12}",
        1 => any::<String>(),
        1 => " ?[a-z:;.]{0,6} ?",
    ]
}

fn datetime() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => Just("2024-03-18T09:30:05Z".to_owned()),
        1 => Just("2024-03-18T09:30:05.25+01:00".to_owned()),
        1 => text(),
    ]
}

fn dispositions() -> impl Strategy<Value = DispositionSet> {
    proptest::sample::subsequence(Disposition::ALL.to_vec(), 0..=4)
        .prop_map(|ds| ds.into_iter().collect())
}

fn mime_name() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => Just("Content-Disposition".to_owned()),
        1 => Just("content-type".to_owned()),
        1 => Just("Content-Length".to_owned()),
        1 => "[A-Za-z:-]{0,8}",
    ]
}

fn call() -> impl Strategy<Value = Call> {
    prop_oneof![
        (formal(), uri()).prop_map(|(n, u)| Call::From(n, u)),
        (formal(), uri()).prop_map(|(n, u)| Call::To(n, u)),
        datetime().prop_map(Call::DateTime),
        (proptest::option::of(text()), text()).prop_map(|(l, t)| Call::Subject(l, t)),
        text().prop_map(Call::MessageId),
        dispositions().prop_map(Call::Dispositions),
        (formal(), uri()).prop_map(|(n, u)| Call::OriginalTo(n, u)),
        uri().prop_map(Call::RecordRoute),
        uri().prop_map(Call::Route),
        (
            proptest::option::of("[a-z]{1,4}"),
            "[A-Za-z.-]{1,8}",
            text()
        )
            .prop_map(|(p, n, v)| Call::Header(p, n, v)),
        prop_oneof![Just("message/imdn+xml".to_owned()), text()].prop_map(Call::ContentType),
        (mime_name(), text()).prop_map(|(n, v)| Call::Mime(n, v)),
        proptest::collection::vec(any::<u8>(), 0..16).prop_map(Call::Content),
    ]
}

/// The calls the roles make, with well-formed values: mostly messages that parse, some with
/// a single-value header repeated.
fn role_call() -> impl Strategy<Value = Call> {
    let uri = "(sip|im):[a-z0-9@.]{1,16}";
    let id = "[A-Za-z0-9]{8,16}";
    prop_oneof![
        (proptest::option::of("[A-Za-z]{1,8}"), uri).prop_map(|(n, u)| Call::From(n, u)),
        uri.prop_map(|u| Call::To(None, u)),
        Just(Call::DateTime("2024-03-18T09:30:05Z".to_owned())),
        id.prop_map(Call::MessageId),
        dispositions().prop_map(Call::Dispositions),
        (proptest::option::of("[A-Za-z]{1,8}"), uri).prop_map(|(n, u)| Call::OriginalTo(n, u)),
        uri.prop_map(Call::RecordRoute),
        uri.prop_map(Call::Route),
        Just(Call::Mime(
            "Content-Disposition".to_owned(),
            "notification".to_owned()
        )),
        proptest::collection::vec(any::<u8>(), 0..16).prop_map(Call::Content),
    ]
}

proptest! {
    #[test]
    fn any_calls_build_what_the_plain_way_builds(
        calls in proptest::collection::vec(call(), 0..14)
    ) {
        assert_agrees(&calls)?;
    }

    #[test]
    fn role_shaped_calls_build_what_the_plain_way_builds(
        mut calls in proptest::collection::vec(role_call(), 0..10),
        extra in proptest::option::of(call()),
    ) {
        calls.push(Call::ContentType("text/plain; charset=utf-8".to_owned()));
        calls.extend(extra);
        assert_agrees(&calls)?;
    }
}

#[test]
fn an_imdn_as_the_roles_write_it_is_built_without_asking_the_parser() {
    let calls = [
        Call::From(None, "sip:bob@beta.example".to_owned()),
        Call::To(None, "sip:alice@alpha.example".to_owned()),
        Call::DateTime("2024-03-18T09:30:07Z".to_owned()),
        Call::MessageId("d834jied93rf".to_owned()),
        Call::Route("sip:imdn@cf.gamma.example".to_owned()),
        Call::ContentType("message/imdn+xml".to_owned()),
        Call::Mime("Content-Disposition".to_owned(), "notification".to_owned()),
        Call::Content(b"<imdn/>".to_vec()),
    ];
    let built = calls.iter().fold(OwnedCpim::builder(), apply);
    let len = built.serialized().len();
    assert!(built.proof.holds(len, built.content.len()));
    assert_agrees(&calls).unwrap();
}

#[test]
fn a_repeated_single_header_or_a_bad_value_is_left_to_the_parser() {
    let twice = [
        Call::From(None, "sip:a@x".to_owned()),
        Call::From(None, "sip:b@x".to_owned()),
        Call::ContentType("text/plain".to_owned()),
    ];
    let bad_date = [
        Call::DateTime("yesterday".to_owned()),
        Call::ContentType("text/plain".to_owned()),
    ];
    for calls in [&twice[..], &bad_date[..]] {
        let built = calls.iter().fold(OwnedCpim::builder(), apply);
        let len = built.serialized().len();
        assert!(!built.proof.holds(len, built.content.len()));
        assert!(built.build().is_err());
        assert_agrees(calls).unwrap();
    }
}
