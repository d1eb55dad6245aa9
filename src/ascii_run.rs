//! Where a run of ASCII text stops, found eight bytes at a time.
//!
//! A CPIM header value, the URI of a CPIM address and the text of an IMDN element are each a
//! run of printable ASCII without a few delimiter bytes; their readers need the first byte that
//! ends the run. Each 8-byte word is tested with borrows and carries: a byte is flagged when it
//! is below the run's lowest byte, is DEL or above (so every byte of a non-ASCII character), or
//! equals one of the delimiters. A borrow or carry only ever flags bytes above a real hit, so
//! the lowest flagged byte of a word is exact; the bytes after the last whole word are tested
//! one by one against the same definition.

/// One in every byte of a word.
const ONES: u64 = 0x0101_0101_0101_0101;
/// The high bit of every byte of a word.
const HIGH_BITS: u64 = 0x8080_8080_8080_8080;

/// Index of the first byte of `bytes` outside the run: below `lowest` (at most 0x80), DEL or
/// above, or one of `delimiters`.
#[inline]
pub(crate) fn first_outside<const N: usize>(
    bytes: &[u8],
    lowest: u8,
    delimiters: [u8; N],
) -> Option<usize> {
    let zero_byte = |x: u64| x.wrapping_sub(ONES) & !x;
    let mut i = 0;
    while let Some(chunk) = bytes.get(i..i + 8) {
        let mut word = [0u8; 8];
        word.copy_from_slice(chunk);
        let x = u64::from_le_bytes(word);
        let below = x.wrapping_sub(ONES * u64::from(lowest)) & !x;
        // DEL + 1 reaches 0x80; a non-ASCII byte has its high bit set already.
        let from_del = x.wrapping_add(ONES);
        let delimiter = delimiters
            .iter()
            .fold(0, |hits, &d| hits | zero_byte(x ^ (ONES * u64::from(d))));
        let hit = (below | from_del | x | delimiter) & HIGH_BITS;
        if hit != 0 {
            return Some(i + (hit.trailing_zeros() / 8) as usize);
        }
        i += 8;
    }
    bytes
        .get(i..)?
        .iter()
        .position(|&b| b < lowest || b >= 0x7f || delimiters.contains(&b))
        .map(|p| i + p)
}

/// The high bit of each byte of `word` that is an ASCII letter or digit, exactly: the bytes
/// without the high bit are compared with `0`-`9` and (case folded) `a`-`z` lane by lane, with
/// no carry between lanes (every sum stays below 0x100). A word of letters and digits only
/// gives every high bit: what the SIP codec's runs (tags, branches, Call-IDs, host labels) and
/// the CPIM tokens nodes draw (hex Message-IDs) are read eight bytes a step by.
#[inline(always)]
pub(crate) fn alnum_bytes(word: u64) -> u64 {
    let seven = word & !HIGH_BITS;
    let digit = seven.wrapping_add(ONES * 0x50) & !seven.wrapping_add(ONES * 0x46);
    let folded = seven | (ONES * 0x20);
    let letter = folded.wrapping_add(ONES * 0x1F) & !folded.wrapping_add(ONES * 0x05);
    (digit | letter) & !word & HIGH_BITS
}

#[cfg(test)]
mod tests {
    use super::first_outside;

    /// The definition, one byte at a time.
    fn by_byte<const N: usize>(bytes: &[u8], lowest: u8, delimiters: [u8; N]) -> Option<usize> {
        bytes
            .iter()
            .position(|&b| b < lowest || b >= 0x7f || delimiters.contains(&b))
    }

    #[test]
    fn every_byte_in_every_place_of_a_run_is_found_where_the_definition_finds_it() {
        let run = b"alice.smith@alpha.example;transport=udp?x";
        for at in 0..run.len() {
            for b in 0..=u8::MAX {
                let mut bytes = run.to_vec();
                bytes[at] = b;
                for len in [at + 1, bytes.len()] {
                    let bytes = &bytes[..len];
                    assert_eq!(first_outside(bytes, 0x20, []), by_byte(bytes, 0x20, []));
                    let uri = *b"<>\"";
                    assert_eq!(first_outside(bytes, 0x21, uri), by_byte(bytes, 0x21, uri));
                    let markup = *b"&<>";
                    assert_eq!(
                        first_outside(bytes, 0x20, markup),
                        by_byte(bytes, 0x20, markup)
                    );
                }
            }
        }
    }

    #[test]
    fn a_run_with_nothing_outside_has_no_end_in_it() {
        assert_eq!(first_outside(b"", 0x20, []), None);
        assert_eq!(first_outside(b"0123456789abcdef~ ", 0x20, []), None);
        assert_eq!(first_outside(b"0123456789abcdef~ ", 0x21, []), Some(17));
    }
}
