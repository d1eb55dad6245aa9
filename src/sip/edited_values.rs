//! A proptest strategy the SIP fast-path tests share: values with a few bytes edited, so that
//! each fast reader meets near-misses of the shapes it takes.

use proptest::prelude::*;

/// Bytes an edit writes: separators, LWS and a few plain characters.
const EDIT_BYTES: &[u8] = b" !\"%',-.:;<=>?@[\\]_~\tAz09";

/// Each value of `values` with one to three bytes replaced, inserted or removed (a value the
/// edits leave as invalid UTF-8 becomes the empty string).
pub(crate) fn with_edits(values: impl Strategy<Value = String>) -> impl Strategy<Value = String> {
    let edit = (
        any::<prop::sample::Index>(),
        0u8..3,
        any::<prop::sample::Index>(),
    );
    (values, prop::collection::vec(edit, 1..4)).prop_map(|(plain, edits)| {
        let mut bytes = plain.into_bytes();
        for (at, op, with) in edits {
            let i = at.index(bytes.len() + 1);
            let b = EDIT_BYTES[with.index(EDIT_BYTES.len())];
            match op {
                0 if i < bytes.len() => bytes[i] = b,
                1 if i < bytes.len() => {
                    bytes.remove(i);
                }
                _ => bytes.insert(i, b),
            }
        }
        String::from_utf8(bytes).unwrap_or_default()
    })
}
