//! The header section's UTF-8 check against the standard one: the same verdict, and the same
//! offset for the first byte that is not UTF-8.

use super::*;
use proptest::prelude::*;

proptest! {
    #![proptest_config(ProptestConfig::with_cases(4096))]

    #[test]
    fn a_header_section_is_text_exactly_when_the_standard_check_says_so(
        bytes in prop::collection::vec(
            prop_oneof![8 => 0x20u8..0x7f, 1 => 0x80u8..=0xff, 1 => 0u8..=0xff],
            0..200,
        ),
    ) {
        let standard = std::str::from_utf8(&bytes)
            .map_err(|e| SipError::new(Rule::InvalidUtf8, e.valid_up_to()));
        prop_assert_eq!(head_text(&bytes), standard);
    }
}

#[test]
fn a_bad_byte_is_found_where_the_standard_check_finds_it() {
    let mut long = "Call-ID: a@b\r\n".repeat(20).into_bytes();
    for at in [0, 63, 64, 65, 200, long.len() - 1] {
        let saved = long[at];
        long[at] = 0xC3;
        let expected = std::str::from_utf8(&long).map_err(|e| e.valid_up_to());
        assert_eq!(head_text(&long).map_err(|e| e.offset), expected, "at {at}");
        long[at] = saved;
    }
    assert_eq!(head_text(&long).map(str::len), Ok(long.len()));
}
