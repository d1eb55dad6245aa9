//! The near misses the CPIM differential tests share: every single-byte edit of a text as
//! nodes write it, up to a place, so that each fast reader meets every way its shape can be
//! one byte off.

/// Calls `check` with `base` edited once, for every place `at` from 0 to `through`: the byte at
/// `at` removed, and each ASCII byte, a UTF-8 lead byte (0xc3) and a byte never in UTF-8
/// (0xff) inserted at `at` and written over the byte there.
pub(crate) fn each_byte_edit(base: &[u8], through: usize, mut check: impl FnMut(&[u8])) {
    for at in 0..=through {
        if at < base.len() {
            let mut shorter = base.to_vec();
            shorter.remove(at);
            check(&shorter);
        }
        for b in (0u8..=0x7f).chain([0xc3, 0xff]) {
            let mut bytes = base.to_vec();
            bytes.insert(at.min(base.len()), b);
            check(&bytes);
            bytes.remove(at.min(base.len()));
            if let Some(slot) = bytes.get_mut(at) {
                *slot = b;
                check(&bytes);
            }
        }
    }
}
