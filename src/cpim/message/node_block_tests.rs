//! The node-shape block reader against the general one: on every block it accepts, the general
//! reader accepts it too, with the same headers and entity offset; node-written blocks are
//! accepted; near misses of them, generated blocks, the fuzz seeds and the corpus agree.

use super::super::header_block::{parse_header_block_by, utf8_prefix, LineReading};
use super::*;
use crate::cpim::byte_edits::each_byte_edit;
use crate::cpim::CpimError;
use proptest::prelude::*;

/// What the node-shape reader gives for `input`: its headers and entity offset, or `None`.
fn by_node_shapes(input: &[u8]) -> Option<(Vec<Header<'_>>, usize)> {
    let mut headers = Vec::new();
    let at = read_node_block(utf8_prefix(input), |l| headers.push(l.header))?;
    Some((headers, at))
}

/// What the general reader gives for `input`: its verdict and every header handed on.
fn by_general_reader(input: &[u8]) -> (Result<usize, CpimError>, Vec<Header<'_>>) {
    let mut headers = Vec::new();
    let verdict = parse_header_block_by(input, |h| headers.push(h), LineReading::GeneralOnly);
    (verdict, headers)
}

/// The node-shape reader gives up, or gives exactly what the general reader gives; and the
/// whole parser gives what it gave before the node-shape reader existed. Returns whether the
/// node-shape reader answered.
fn agree(input: &[u8]) -> bool {
    let general = by_general_reader(input);
    let fast = by_node_shapes(input);
    if let Some((headers, at)) = &fast {
        assert_eq!(
            (Ok(*at), headers.clone()),
            general,
            "{:?}",
            String::from_utf8_lossy(input)
        );
    }
    // Reading a recipient's headers along the way gives what reading them afterwards gives.
    let whole = crate::cpim::parse(input).map(|c| (c.entity(), c.im_headers()));
    let along = crate::cpim::parse_im(input).map(|(c, mut im)| {
        // The node-shape reader claims every URI it cut is an ASCII absolute URI.
        assert_eq!(im.ascii_uris, fast.is_some(), "{input:?}");
        if im.ascii_uris {
            super::super::im_headers::assert_ascii_uris(&im);
            im.ascii_uris = false;
        }
        (c, im)
    });
    assert_eq!(along, whole, "{input:?}");
    let parsed = crate::cpim::parse(input).map(|c| c.headers);
    let checked = crate::cpim::message::check(input);
    assert_eq!(
        parsed.as_ref().map(|_| ()).map_err(|e| *e),
        checked,
        "{input:?}"
    );
    match (general.0, parsed) {
        (Err(e), parsed) => assert_eq!(parsed, Err(e), "{input:?}"),
        (Ok(_), Ok(headers)) => assert_eq!(headers, general.1, "{input:?}"),
        // The entity failed after a good block: `check` said the same above.
        (Ok(_), Err(_)) => {}
    }
    fast.is_some()
}

/// A leg IM as a Controlling Function sends it on (RFC 5438 section 7.2.1).
const LEG_IM: &str = "From: A <sip:alice@alpha.example>\r\nTo: <sip:bob@beta.example>\r\n\
    DateTime: 2024-03-18T08:30:05.257Z\r\nNS: imdn <urn:ietf:params:imdn>\r\n\
    imdn.Message-ID: 83d2f7edaefee79eb1dbca1f\r\n\
    imdn.Disposition-Notification: positive-delivery\r\n\
    imdn.Original-To: climbers <sip:climbers@conf.gamma.example>\r\n\
    imdn.IMDN-Record-Route: <sip:imdn@cf.gamma.example>\r\n\r\n\
    Content-Type: text/plain; charset=utf-8\r\n\r\nSummit at noon, bring ropes.";

/// A delivery notification as a recipient sends it back (RFC 5438 section 7.1.2).
const IMDN: &str = "From: <sip:bob@beta.example>\r\nTo: <sip:alice@alpha.example>\r\n\
    DateTime: 2024-03-18T08:30:05.285Z\r\nNS: imdn <urn:ietf:params:imdn>\r\n\
    imdn.Message-ID: 4d130e2719ba9fb24660600f\r\n\
    imdn.IMDN-Route: <sip:imdn@cf.gamma.example>\r\n\r\n\
    Content-Type: message/imdn+xml\r\nContent-Disposition: notification\r\n\r\n<imdn/>";

/// A group IM as its sender writes it, with two dispositions asked for.
const GROUP_IM: &str = "From: A <sip:alice@alpha.example>\r\n\
    To: <sip:climbers@conf.gamma.example>\r\nDateTime: 2024-03-18T08:30:05+01:00\r\n\
    NS: imdn <urn:ietf:params:imdn>\r\nimdn.Message-ID: Xk3q9TzQ2mPw\r\n\
    imdn.Disposition-Notification: positive-delivery, negative-delivery\r\n\r\n\
    Content-Type: text/plain\r\n\r\nhi";

#[test]
fn the_ns_line_holds_the_imdn_namespace_where_its_offsets_say() {
    let line = format!("NS: imdn <{IMDN_NS}>\r\n");
    assert_eq!(IMDN_NS_LINE, line.as_bytes());
    assert_eq!(line.get(NS_URI_AT..NS_URI_END), Some(IMDN_NS));
    assert_eq!(
        line.get(NS_VALUE_AT..NS_VALUE_END),
        Some("imdn <urn:ietf:params:imdn>")
    );
    assert_eq!(line.get(..NS_NAME_END), Some("NS"));
}

#[test]
fn blocks_nodes_write_are_read_by_their_shapes_as_the_general_reader_reads_them() {
    for block in [LEG_IM, IMDN, GROUP_IM] {
        assert!(agree(block.as_bytes()), "{block:?}");
        let (headers, _) = by_node_shapes(block.as_bytes()).unwrap_or_default();
        assert!(headers.len() >= 6, "{block:?}");
    }
}

#[test]
fn every_byte_in_every_place_of_a_node_block_reads_as_the_general_reader_reads_it() {
    for block in [LEG_IM, IMDN] {
        let block_end = block.find("\r\n\r\n").unwrap_or_default() + 4;
        each_byte_edit(block.as_bytes(), block_end, |edited| {
            agree(edited);
        });
    }
}

#[test]
fn blocks_the_shapes_leave_to_the_general_reader_get_its_verdict() {
    let leave = [
        // Used before its declaration: the general reader names the undeclared prefix.
        "imdn.Message-ID: a\r\nNS: imdn <urn:ietf:params:imdn>\r\n\r\nContent-Type: t\r\n\r\n",
        "From: <sip:a@x>\r\nFrom: <sip:b@x>\r\n\r\nContent-Type: t\r\n\r\n",
        "DateTime: 2024-03-18T09:30:05Z\r\nDateTime: 2024-03-18T09:30:05Z\r\n\r\nx",
        "NS: imdn <urn:ietf:params:imdn>\r\nimdn.Message-ID: a\r\nimdn.Message-ID: a\r\n\r\n",
        "NS: imdn <urn:example>\r\nimdn.Message-ID: a\r\n\r\nContent-Type: t\r\n\r\n",
        "NS: <urn:ietf:params:imdn>\r\nFrom: <sip:a@x>\r\n\r\nContent-Type: t\r\n\r\n",
        "Subject: hi\r\n\r\nContent-Type: t\r\n\r\n",
        "To: <sip:a@x>\r\n",
    ];
    for block in leave {
        assert!(!agree(block.as_bytes()), "{block:?}");
    }
    let many = "To: <sip:a@x>\r\n".repeat(crate::cpim::limits::CPIM_HEADER_COUNT_MAX + 1);
    assert!(!agree(
        format!("{many}\r\nContent-Type: t\r\n\r\n").as_bytes()
    ));
}

#[test]
fn the_fuzz_seeds_read_alike_from_every_line_start() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/corpus/cpim");
    let Ok(entries) = std::fs::read_dir(&dir) else {
        println!("skipped: no fuzz seeds at {}", dir.display());
        return;
    };
    let mut read_by_shapes = 0;
    for entry in entries {
        let bytes = std::fs::read(entry.expect("seed entry").path()).expect("seed reads");
        for rest in crate::sip::corpus_files::from_each_line_start(&bytes) {
            read_by_shapes += usize::from(agree(rest));
        }
    }
    assert!(read_by_shapes > 0, "no fuzz seed has a node-shaped block");
}

#[test]
fn the_corpus_reads_alike_from_every_line_start() {
    let Some(files) = crate::sip::corpus_files::corpus_files() else {
        return;
    };
    for (_, bytes) in files {
        for rest in crate::sip::corpus_files::from_each_line_start(&bytes) {
            agree(rest);
        }
    }
}

/// A line of a node shape, or one near it (another prefix, case, spacing or value).
fn line() -> impl Strategy<Value = String> {
    prop_oneof![
        "From: ([A-Za-z]{1,3} ){0,2}<sip:[a-c]{1,3}@[a-c.]{1,4}>",
        "To: (\"[a-c ]{0,2}\" ?)?<(sip|im):[a-c@]{1,3}>",
        "DateTime: 2024-0[0-9]-1[0-9]T0[0-9]:[0-6]0:[0-6][0-9](\\.[0-9]{0,3})?(Z|z|[+-]0[0-9]:[0-9]{2}|)",
        "(imdn|IMDN|q|imdn\\.x)\\.Message-ID: [a-f0-9.\u{e9}]{0,4}",
        "(imdn|q)\\.Disposition-Notification: ?(positive-delivery|display|processing|x)(, ?(negative-delivery|display))?",
        "(imdn|q)\\.(Original-To|IMDN-Record-Route|IMDN-Route): ([a-z]{1,2} ?){0,2}<sip:[a-c]@x[>\" ]?>",
        "NS: (imdn|q|) ?<urn:(ietf:params:imdn|IETF:params:imdn|example)>",
        "[A-Z][a-z]{0,4}:(;[a-z]=[a-z]{0,2})? [a-z ]{0,4}",
    ]
}

/// One edit of a block: a byte put in, taken out or changed at a place given as a fraction.
fn edit() -> impl Strategy<Value = Option<(u8, f64, u8)>> {
    proptest::option::of((0u8..3, 0.0f64..1.0, any::<u8>()))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(4096))]

    #[test]
    fn any_block_of_node_lines_and_near_misses_reads_alike(
        lines in proptest::collection::vec(line(), 0..10),
        ns_first in any::<bool>(),
        change in edit(),
    ) {
        let mut body = String::new();
        if ns_first {
            body.push_str("NS: imdn <urn:ietf:params:imdn>\r\n");
        }
        for l in &lines {
            body.push_str(l);
            body.push_str("\r\n");
        }
        body.push_str("\r\nContent-Type: text/plain\r\n\r\nhi");
        let mut bytes = body.into_bytes();
        if let Some((kind, place, b)) = change {
            let at = ((bytes.len() as f64) * place) as usize;
            match kind {
                0 => bytes.insert(at.min(bytes.len()), b),
                1 if at < bytes.len() => {
                    bytes.remove(at);
                }
                _ => {
                    if let Some(slot) = bytes.get_mut(at) {
                        *slot = b;
                    }
                }
            }
        }
        agree(&bytes);
    }
}
