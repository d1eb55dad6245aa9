//! A leg's body written straight from the parsed IM is the body the owned-copy rewrite gives:
//! copy every header into an [`OwnedCpim`], drop the unprefixed `To`s and insert the member's
//! at the first one's place, push `NS` / `Original-To` as needed and the CF's route before the
//! first `IMDN-Record-Route`, then serialize.

use super::{leg_body, leg_order, write_leg_body, LegPlan, LegRewrite, LegTemplate};
use crate::cpim::{self, format_address, Cpim, OwnedCpim, OwnedHeader, IMDN_NS};
use proptest::prelude::*;

fn header(prefix: Option<&str>, name: &str, value_raw: String) -> OwnedHeader {
    OwnedHeader {
        prefix: prefix.map(str::to_owned),
        name: name.to_owned(),
        params: Vec::new(),
        value_raw,
    }
}

/// The rewrite through an owned copy, as the CF first wrote it.
fn leg_body_through_owned_copy(cpim: &Cpim<'_>, leg: &TestLeg) -> Vec<u8> {
    let mut owned: OwnedCpim = cpim.to_owned_cpim();
    let prefix = cpim
        .namespaces()
        .find(|(_, uri)| *uri == IMDN_NS)
        .and_then(|(p, _)| p)
        .map(str::to_owned);
    let prefix = match prefix {
        Some(p) => p,
        None => {
            owned
                .headers
                .push(header(None, "NS", format!("imdn <{IMDN_NS}>")));
            "imdn".to_owned()
        }
    };
    let first_to = owned
        .headers
        .iter()
        .position(|h| h.prefix.is_none() && h.name == "To");
    owned
        .headers
        .retain(|h| !(h.prefix.is_none() && h.name == "To"));
    let to = header(None, "To", format_address(None, leg.rewrite.member));
    match first_to {
        Some(at) => owned.headers.insert(at.min(owned.headers.len()), to),
        None => owned.headers.push(to),
    }
    if cpim.original_to().is_none() {
        let value = format_address(leg.group_name, leg.group);
        owned
            .headers
            .push(header(Some(&prefix), "Original-To", value));
    }
    if !cpim.disposition_notification().is_empty() {
        let route = header(
            Some(&prefix),
            "IMDN-Record-Route",
            format_address(None, leg.rewrite.imdn_uri),
        );
        let top = owned
            .headers
            .iter()
            .position(|h| h.name == "IMDN-Record-Route");
        match top {
            Some(at) => owned.headers.insert(at, route),
            None => owned.headers.push(route),
        }
    }
    owned.serialize()
}

/// A leg and the group it is sent for.
struct TestLeg {
    rewrite: LegRewrite<'static>,
    group_name: Option<&'static str>,
    group: &'static str,
}

fn legs() -> [TestLeg; 2] {
    [
        TestLeg {
            rewrite: LegRewrite {
                member: "sip:bob@beta.example",
                imdn_uri: "sip:imdn@cf.gamma.example",
            },
            group_name: Some("Climbers"),
            group: "sip:climbers@conf.gamma.example",
        },
        TestLeg {
            rewrite: LegRewrite {
                member: "sip:carol@beta.example",
                imdn_uri: "sip:imdn@cf.gamma.example",
            },
            group_name: Some("Les Grimpeurs \u{e9}"),
            group: "sip:g@conf.gamma.example",
        },
    ]
}

fn assert_same_leg(body: &[u8]) -> Result<(), TestCaseError> {
    let Ok(cpim) = cpim::parse(body) else {
        return Ok(());
    };
    for leg in legs() {
        let dispositions = cpim.disposition_notification();
        let plan = LegPlan::of(&cpim, dispositions, leg.group_name, leg.group);
        let expected = leg_body_through_owned_copy(&cpim, &leg);
        // Lines copied from the body, and (without the body) written from their pieces.
        prop_assert_eq!(leg_body(body, &cpim, &plan, &leg.rewrite), expected.clone());
        prop_assert_eq!(leg_body(&[], &cpim, &plan, &leg.rewrite), expected.clone());
        // Written into a request's buffer after what it holds, the same bytes.
        let mut wire = bytes::BytesMut::from(&b"Content-Length: 0\r\n\r\n"[..]);
        let rows = wire.len();
        write_leg_body(&mut wire, body, &cpim, &plan, &leg.rewrite);
        prop_assert_eq!(wire.get(rows..), Some(&expected[..]));
        // From the template every leg of the IM shares, the same bytes.
        for source in [body, &[][..]] {
            let template = LegTemplate::of(source, &cpim, &plan, leg.rewrite.imdn_uri);
            let mut wire = bytes::BytesMut::from(&b"Content-Length: 0\r\n\r\n"[..]);
            template.write(&mut wire, leg.rewrite.member);
            prop_assert_eq!(wire.get(rows..), Some(&expected[..]));
            prop_assert_eq!(template.len_for(leg.rewrite.member), expected.len());
        }
    }
    Ok(())
}

const ENTITY: &str = "\r\nContent-Type:text/plain;  charset=utf-8 \r\nX-Extra:\tv\r\n\r\nhi";

#[test]
fn the_seed_im_and_odd_header_blocks_give_the_same_leg_both_ways() {
    let blocks = [
        "From: Alice <sip:alice@alpha.example>\r\nTo: Climbers <sip:climbers@conf.gamma.example>\r\n\
DateTime: 2024-03-18T09:30:05+01:00\r\nNS: imdn <urn:ietf:params:imdn>\r\n\
imdn.Message-ID: Xk3q9TzQ2mPw\r\nimdn.Disposition-Notification: positive-delivery\r\n",
        // No To, no NS, no IMDN asked.
        "From: <sip:a@x>\r\nSubject:;lang=fr Salut\r\n",
        // Two To lines around other headers, a route already there, another prefix.
        "NS: rcs <urn:ietf:params:imdn>\r\nTo: <sip:a@x>\r\nX:;p=\"q;r\";s=t v\r\n\
To: <sip:b@x>\r\nrcs.IMDN-Record-Route: <sip:pf@x>\r\nrcs.Disposition-Notification: display\r\n\
rcs.Original-To: <sip:g@x>\r\n",
        // The IMDN URN as the default namespace: a prefix is still declared.
        "NS: <urn:ietf:params:imdn>\r\nMessage-ID: a1\r\nDisposition-Notification: positive-delivery\r\n",
        // A prefix bound to the URN in another case is not the exact URN.
        "NS: m <urn:IETF:params:imdn>\r\nm.Disposition-Notification: negative-delivery\r\n",
    ];
    for block in blocks {
        let body = format!("{block}{ENTITY}");
        assert!(cpim::parse(body.as_bytes()).is_ok(), "{block}");
        assert_same_leg(body.as_bytes()).unwrap();
    }
}

#[test]
fn the_fixture_ims_give_the_same_leg_both_ways() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/cpim");
    for name in ["e1-group-im.cpim", "e3-fanout-leg-to-bob.cpim"] {
        let body = std::fs::read(dir.join(name)).expect("a readable fixture");
        assert!(cpim::parse(&body).is_ok(), "{name}");
        assert_same_leg(&body).unwrap();
    }
}

fn line() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("From: <sip:a@x>".to_owned()),
        Just("To: <sip:b@x>".to_owned()),
        Just("To: Bee <sip:c@x>".to_owned()),
        Just("NS: imdn <urn:ietf:params:imdn>".to_owned()),
        Just("NS: p <urn:ietf:params:imdn>".to_owned()),
        Just("NS: q <urn:example>".to_owned()),
        "(imdn|p|q)\\.(IMDN-Record-Route|Original-To): <sip:[a-z]{1,4}@x>",
        "(imdn|p)\\.Disposition-Notification: (positive-delivery|display|)",
        "(imdn|p)\\.Message-ID: [a-z0-9]{1,6}",
        "q\\.To: <sip:[a-z]{1,4}@x>",
        "IMDN-Record-Route: <sip:r@x>",
        "[A-Z][a-z]{0,5}:(;[a-z]{1,3}=([a-z]{1,3}|\"[a-z ;]{0,4}\")){0,2} [a-z]{1,6}",
    ]
}

/// MIME header lines after the Content-Type, written as the leg writes them or not.
fn mime_line() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("Content-Disposition: notification".to_owned()),
        Just("X-A:v".to_owned()),
        Just("X-B:  v ".to_owned()),
        Just("X-C:\tv".to_owned()),
        Just("X-D: ".to_owned()),
        Just("X-E:".to_owned()),
        "X-[a-z]{1,3}: [a-z]{0,3}",
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1024))]

    #[test]
    fn any_parsed_im_gives_the_same_leg_both_ways(
        lines in proptest::collection::vec(line(), 0..10),
        mime in proptest::collection::vec(mime_line(), 0..3),
        content in proptest::collection::vec(any::<u8>(), 0..12),
    ) {
        let mut body = lines.join("\r\n").into_bytes();
        if !lines.is_empty() {
            body.extend_from_slice(b"\r\n");
        }
        body.extend_from_slice(b"\r\nContent-Type: text/plain\r\n");
        for line in mime {
            body.extend_from_slice(line.as_bytes());
            body.extend_from_slice(b"\r\n");
        }
        body.extend_from_slice(b"\r\n");
        body.extend_from_slice(&content);
        assert_same_leg(&body)?;
    }

    #[test]
    fn the_legs_go_to_each_member_but_the_sender_once_in_the_order_of_their_uris(
        members in proptest::collection::vec("sip:[a-d]@x", 0..8),
        sender in "sip:[a-d]@x",
    ) {
        let by_order: Vec<&str> = leg_order(&members, &sender)
            .into_iter()
            .filter_map(|i| members.get(i).map(String::as_str))
            .collect();
        let by_set: Vec<&str> = members
            .iter()
            .filter(|m| **m != sender)
            .map(String::as_str)
            .collect::<std::collections::BTreeSet<_>>()
            .into_iter()
            .collect();
        prop_assert_eq!(by_order, by_set);
    }
}

#[test]
fn each_members_kept_next_hop_is_the_hop_its_uri_routes_to() {
    use crate::node::{ControllingFunction, ControllingFunctionConfig};
    let at = |port: u16| std::net::SocketAddr::from(([10, 0, 0, 1], port));
    let members = [
        "sip:bob@beta.example",
        "sip:carol@delta.example;transport=udp",
        "sips:dave@[2001:db8::1]:5061",
        "sip:erin@unrouted.example",
        "tel:+123",
        "sip:beta.example:5070",
    ];
    let config = ControllingFunctionConfig::new("cf.gamma.example", at(5060), 1)
        .route("beta.example", at(5061))
        .route("delta.example", at(5062))
        .route("[2001:db8::1]", at(5063))
        .group("sip:g@cf.gamma.example", None, &members)
        .group("sip:h@cf.gamma.example", None, &members[3..]);
    let cf = ControllingFunction::new(config.clone());
    let mut routed = 0;
    for (group, kept) in config.groups.iter().zip(&cf.group_members) {
        assert_eq!(group.members.len(), kept.len());
        for (member, kept) in group.members.iter().zip(kept) {
            assert_eq!(&*kept.aor, member.as_str());
            assert_eq!(kept.next_hop, cf.next_hop(member), "{member}");
            routed += usize::from(kept.next_hop.is_some());
        }
    }
    // Both outcomes are covered: routed members and members with no route.
    assert!(routed >= 3 && routed < members.len() + 3, "{routed}");
}
