//! Numbers written as lowercase hex digits, most significant first (what `{:08x}` and
//! `{:016x}` write), without a formatter: the tokens a node draws (branches, tags, Call-IDs,
//! Message-IDs) and the multipart boundaries the Controlling Function picks.

/// The eight lowercase hex digits of `value`, most significant first (what `{:08x}` writes).
///
/// Digit by digit through a table this cost more than drawing the number. Here each nibble is
/// spread into a byte of its own and all eight bytes are turned into their digits at once:
/// `0`..`9` are the nibble plus `'0'`, and a nibble of 10 or more, the ones that carry into
/// bit 4 when 6 is added, gets the distance from `'9' + 1` to `'a'` on top.
pub(crate) fn hex8(value: u32) -> [u8; 8] {
    const BYTES: u64 = 0x0101_0101_0101_0101;
    let x = u64::from(value);
    // Nibble `i`, counted from the least significant, into byte `i`.
    let x = ((x & 0xffff_0000) << 16) | (x & 0x0000_ffff);
    let x = ((x & 0x0000_ff00_0000_ff00) << 8) | (x & 0x0000_00ff_0000_00ff);
    let x = ((x & 0x00f0_00f0_00f0_00f0) << 4) | (x & 0x000f_000f_000f_000f);
    let letters = ((x + 6 * BYTES) >> 4) & BYTES;
    let digits = x + u64::from(b'0') * BYTES + letters * u64::from(b'a' - b'9' - 1);
    digits.to_be_bytes()
}

/// The sixteen lowercase hex digits of `value`, most significant first (what `{:016x}` writes).
pub(crate) fn hex16(value: u64) -> [u8; 16] {
    let mut digits = [0u8; 16];
    let (high, low) = digits.split_at_mut(8);
    high.copy_from_slice(&hex8((value >> 32) as u32));
    low.copy_from_slice(&hex8(value as u32));
    digits
}

#[cfg(test)]
mod tests {
    use super::{hex16, hex8};
    use rand::{RngCore, SeedableRng};
    use rand_chacha::ChaCha20Rng;

    #[test]
    fn eight_hex_digits_are_what_the_format_macro_writes() {
        // Every nibble value in every place, the edges, and a spread of draws.
        let mut values = vec![0u32, 1, 9, 10, 15, 16, 0x9999_9999, 0xaaaa_aaaa, u32::MAX];
        for place in 0..8 {
            values.extend((0..16u32).map(|nibble| nibble << (4 * place)));
        }
        let mut twin = ChaCha20Rng::seed_from_u64(5);
        values.extend((0..1_000).map(|_| twin.next_u32()));
        for value in values {
            assert_eq!(hex8(value), format!("{value:08x}").as_bytes(), "{value:#x}");
        }
    }

    #[test]
    fn sixteen_hex_digits_are_what_the_format_macro_writes() {
        let mut twin = ChaCha20Rng::seed_from_u64(6);
        let draws = (0..1_000).map(|_| twin.next_u64());
        for value in [0, 1, 0xf0, 0x0123_4567_89ab_cdef, u64::MAX, 1 << 63]
            .into_iter()
            .chain(draws)
        {
            assert_eq!(
                hex16(value),
                format!("{value:016x}").as_bytes(),
                "{value:#x}"
            );
        }
    }
}
