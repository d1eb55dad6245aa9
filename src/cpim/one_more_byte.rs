//! Test inputs: a text with one more character in each place, for the tests that compare a
//! fast reader with its definition on every near miss of a well-formed text.

/// `base` with each ASCII character (controls and DEL included) and then `é` (a two-byte
/// character) inserted at each character boundary.
pub(crate) fn with_one_more_byte(base: &str) -> impl Iterator<Item = String> + '_ {
    (0..=base.len())
        .filter(|&at| base.is_char_boundary(at))
        .flat_map(move |at| {
            (0u8..=0x7f).map(char::from).chain(['é']).map(move |c| {
                let mut text = base.to_owned();
                text.insert(at, c);
                text
            })
        })
}

#[test]
fn every_place_gets_every_ascii_character_and_one_wider_one() {
    let all: Vec<String> = with_one_more_byte("ab").collect();
    assert_eq!(all.len(), 3 * 129);
    assert_eq!(all[0], "\u{0}ab");
    assert_eq!(all[128], "éab");
    assert_eq!(all[129 + 0x7f], "a\u{7f}b");
    assert_eq!(all[3 * 129 - 1], "abé");
}
