//! Tests of the byte classes and the word-at-a-time searches and runs against plain scans.

use super::*;
use proptest::strategy::Just;

#[test]
fn line_end_search_matches_a_plain_scan() {
    let text = b"Via: SIP/2.0/UDP host;branch=z9hG4bK1\r\nTo: <sip:a@b>\nSubject:\ta\x01\x0b\x0c b\r\n\t\t\t\t\t\t\t\t\t\x0e\x0f\xff\r";
    for from in 0..text.len() {
        let plain = text[from..]
            .iter()
            .position(|&b| b == b'\r' || b == b'\n')
            .map(|p| from + p);
        assert_eq!(find_line_end(text, from), plain, "from {from}");
    }
}

proptest::proptest! {
    #[test]
    fn line_end_search_matches_a_plain_scan_on_any_bytes(
        text in proptest::collection::vec(
            proptest::prop_oneof![
                8 => 0x20u8..0x7f,
                1 => proptest::prop_oneof![Just(b'\r'), Just(b'\n'), Just(b'\t')],
                1 => 0u8..=255,
            ],
            0..120,
        ),
        from in 0usize..130,
    ) {
        let plain = text
            .get(from..)
            .and_then(|rest| rest.iter().position(|&b| b == b'\r' || b == b'\n'))
            .map(|p| from + p);
        proptest::prop_assert_eq!(find_line_end(&text, from), plain);
    }
}

#[test]
fn set_search_matches_a_plain_scan_from_every_start() {
    let text = b"<sip:a@b;p=\"1,2\">;q=0.5 ,  \"x\" <sip:c@d>, e\xc3\xa9,";
    let set = b",\"<";
    for from in 0..=text.len() + 1 {
        let plain = text
            .get(from..)
            .and_then(|rest| rest.iter().position(|b| set.contains(b)))
            .map(|p| from + p);
        assert_eq!(find_of(text, from, set), plain, "from {from}");
    }
    assert_eq!(find_of(b"0123456789abcdef-", 0, b"-"), Some(16));
    assert_eq!(find_of(b"0123456789abcdef", 0, b"-"), None);
}

#[test]
fn runs_match_a_plain_scan_from_every_start() {
    let text = b"branch=z9hG4bK.a1f93c;rport, \"x\" <sip:a@b> 0123456789";
    for class in [TOKEN, ALNUM, DIGIT, USER] {
        for from in 0..=text.len() + 1 {
            let plain = text.get(from..).map_or(from, |rest| {
                from + rest.iter().take_while(|&&b| is(b, class)).count()
            });
            assert_eq!(run(text, from, class), plain, "class {class} from {from}");
        }
    }
}

proptest::proptest! {
    #[test]
    fn runs_match_a_plain_scan_on_any_bytes(
        text in proptest::collection::vec(
            proptest::prop_oneof![
                6 => proptest::prop_oneof![b'a'..=b'z', b'A'..=b'Z', b'0'..=b'9'],
                1 => 0u8..=255,
            ],
            0..60,
        ),
        from in 0usize..64,
        bit in 0u32..13,
    ) {
        let class = 1u16 << bit;
        let plain = text.get(from..).map_or(from, |rest| {
            from + rest.iter().take_while(|&&b| is(b, class)).count()
        });
        proptest::prop_assert_eq!(run(&text, from, class), plain);
    }
}

/// The first step for the tokens nodes write gives [`run`]'s answer, where it takes the text
/// (sixteen letters and digits, then a byte out of the class) and where it must leave it to
/// [`run`] (fifteen or seventeen, a byte out of the sixteen, nothing after them).
#[test]
fn a_node_token_run_is_the_general_run() {
    let token = "45b4f6e3f6e5cbcf";
    let mut taken = 0;
    for text in [
        format!("{token}\r\n"),
        format!("{token}@10.0.0.1"),
        format!("{token}-x\r\n"),
        format!("{token}A\r\n"),
        format!("{token}.\r\n"),
        token.to_string(),
        format!("{}\r\n", &token[1..]),
        format!("{token}f\r\n"),
        "45b4f6e3-6e5cbcf\r\n".to_string(),
        "45b4f6e3f6e5cbc\u{e9}\r\n".to_string(),
        format!(";tag={token}\r\nTo: <sip:a@b>"),
    ] {
        let text = text.as_bytes();
        for class in [TOKEN, WORD, ALNUM, USER, DIGIT] {
            for from in 0..=text.len() + 1 {
                let general = run(text, from, class);
                assert_eq!(
                    run_node_token(text, from, class),
                    general,
                    "{:?} class {class} from {from}",
                    String::from_utf8_lossy(text)
                );
                taken += usize::from(general == from + NODE_TOKEN_LEN);
            }
        }
    }
    assert!(taken > 10, "only {taken} node tokens");
}

proptest::proptest! {
    #[test]
    fn a_node_token_run_is_the_general_run_on_any_bytes(
        text in proptest::collection::vec(
            proptest::prop_oneof![
                12 => proptest::prop_oneof![b'a'..=b'f', b'0'..=b'9', b'G'..=b'Z'],
                1 => proptest::prop_oneof![Just(b'\r'), Just(b'-'), Just(b'@'), Just(b'.')],
                1 => 0u8..=255,
            ],
            0..40,
        ),
        from in 0usize..42,
        bit in 0u32..13,
    ) {
        let class = 1u16 << bit;
        proptest::prop_assert_eq!(run_node_token(&text, from, class), run(&text, from, class));
    }
}

#[test]
fn a_word_of_letters_and_digits_is_flagged_byte_by_byte() {
    for b in 0..=255u8 {
        for lane in 0..8 {
            let mut word = [b'a'; 8];
            word[lane] = b;
            let flags = alnum_bytes(u64::from_le_bytes(word));
            let flagged = flags >> (lane * 8 + 7) & 1 == 1;
            assert_eq!(
                flagged,
                b.is_ascii_alphanumeric(),
                "byte {b:#x} lane {lane}"
            );
            assert_eq!(flags | (0x80 << (lane * 8)), HI, "byte {b:#x} lane {lane}");
        }
    }
    assert_eq!(ALNUM_CLASSES & (HEX | DIGIT), 0);
    let supersets = TOKEN | WORD | UNRESERVED | USER | HOSTNAME | SCHEME | ALNUM;
    assert_eq!(ALNUM_CLASSES & supersets, supersets);
}

#[test]
fn token_and_word_classes_follow_rfc3261() {
    assert!(all(b"!interesting-Method0123456789_*+`.%indeed'~", TOKEN));
    assert!(!is(b'(', TOKEN) && is(b'(', WORD));
    assert!(!is(b',', WORD) && !is(b' ', TOKEN));
}

#[test]
fn escapes_need_two_hex_digits() {
    assert_eq!(check_escaped(b"a%41b", USER), Ok(()));
    assert_eq!(check_escaped(b"a%4", USER), Err(1));
    assert_eq!(check_escaped(b"user%20x", USER), Ok(()));
    assert_eq!(check_escaped(b"us er", USER), Err(2));
}
