//! The node-shape MIME header reader against the general one: whenever it answers, the
//! general reader gives the same headers and content offset; node-written sections are
//! answered; near misses, generated sections, the fuzz seeds and the corpus agree.

use super::*;
use crate::cpim::byte_edits::each_byte_edit;
use crate::cpim::message::entity_view::MimeRowsHeld;
use crate::cpim::message::header_block::utf8_prefix;
use proptest::prelude::*;

/// Whether the node-shape reader answered for the section at the start of `input`; when it
/// did, the general reader gave the same.
fn agree(input: &[u8]) -> bool {
    let checked = utf8_prefix(input);
    let Some(fast) = node_mime_headers::<Vec<_>>(checked, 0) else {
        return false;
    };
    // The rows a recipient's read holds in place are the same.
    let held = node_mime_headers::<MimeRowsHeld<'_>>(checked, 0);
    assert_eq!(
        held.as_ref().map(|(rows, at)| (rows.as_slice(), *at)),
        Some((fast.0.as_slice(), fast.1))
    );
    // What lets `parse_entity` skip the Content-Length check for these headers.
    assert!(
        fast.0
            .iter()
            .all(|h| !h.name.eq_ignore_ascii_case("Content-Length")),
        "{:?}",
        String::from_utf8_lossy(input)
    );
    assert_eq!(
        Ok(fast),
        general_mime_headers(input, checked, 0),
        "{:?}",
        String::from_utf8_lossy(input)
    );
    true
}

/// The MIME headers of a leg IM and of a delivery notification as nodes write them.
const NODE_SECTIONS: [&str; 2] = [
    "Content-Type: text/plain; charset=utf-8\r\n\r\nSummit at noon, bring ropes.",
    "Content-Type: message/imdn+xml\r\nContent-Disposition: notification\r\n\r\n<imdn/>",
];

#[test]
fn sections_nodes_write_are_read_by_their_names_as_the_general_reader_reads_them() {
    for section in NODE_SECTIONS {
        assert!(agree(section.as_bytes()), "{section:?}");
    }
}

#[test]
fn every_byte_in_every_place_of_a_node_section_reads_as_the_general_reader_reads_it() {
    for section in NODE_SECTIONS {
        let end = section.find("\r\n\r\n").unwrap_or_default() + 4;
        each_byte_edit(section.as_bytes(), end, |edited| {
            agree(edited);
        });
    }
}

#[test]
fn sections_without_a_type_or_with_other_headers_go_to_the_general_reader() {
    for section in [
        "Content-Disposition: notification\r\n\r\n",
        "Content-Type: text/plain\r\nContent-Length: 2\r\n\r\nhi",
        "content-type: text/plain\r\n\r\n",
        "Content-Type:  text/plain\r\n\r\n",
        "Content-Type: \r\n\r\n",
        "Content-Type: text/plain\r\n",
    ] {
        assert!(!agree(section.as_bytes()), "{section:?}");
    }
    let many = "Content-Disposition: x\r\n".repeat(MIME_HEADER_COUNT_MAX + 1);
    assert!(!agree(format!("Content-Type: t\r\n{many}\r\n").as_bytes()));
}

#[test]
fn the_fuzz_seeds_and_the_corpus_read_alike_from_every_line_start() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/corpus/cpim");
    let mut files: Vec<Vec<u8>> = std::fs::read_dir(&dir)
        .map(|entries| {
            entries
                .filter_map(|e| std::fs::read(e.ok()?.path()).ok())
                .collect()
        })
        .unwrap_or_default();
    if let Some(corpus) = crate::sip::corpus_files::corpus_files() {
        files.extend(corpus.into_iter().map(|(_, bytes)| bytes));
    }
    let mut answered = 0;
    for bytes in &files {
        for rest in crate::sip::corpus_files::from_each_line_start(bytes) {
            answered += usize::from(agree(rest));
        }
    }
    assert!(
        files.is_empty() || answered > 0,
        "no section was read by name"
    );
}

/// A MIME header line of a node shape, or one near it.
fn line() -> impl Strategy<Value = String> {
    prop_oneof![
        "Content-Type: ?[a-z/+; =-]{0,12} ?",
        "Content-Disposition: ?(notification|[a-z ]{0,4})",
        "Content-(Length|ID|type): [0-9a-z ]{0,3}",
        "[A-Za-z: -]{0,6}[ -~\t\u{e9}]{0,6}",
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(4096))]

    #[test]
    fn any_section_of_node_lines_and_near_misses_reads_alike(
        lines in proptest::collection::vec(line(), 0..5),
        ends in proptest::collection::vec(prop_oneof![Just("\r\n"), Just("\n"), Just("")], 5),
    ) {
        let mut section: String = lines
            .iter()
            .zip(&ends)
            .map(|(l, e)| format!("{l}{e}"))
            .collect();
        section.push_str("\r\nhi");
        agree(section.as_bytes());
    }
}
