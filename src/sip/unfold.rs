//! Header values unfolded (RFC 3261 section 7.3.1): a value written over several lines, each
//! fold (`[WSP] CRLF 1*WSP`) read as one SP.

use super::chars;
use std::borrow::Cow;

/// Replaces each `*WSP CRLF 1*WSP` in `value` by a single SP.
pub fn unfold(value: &str) -> Cow<'_, str> {
    if chars::find_byte(value, b'\r').is_none() {
        return Cow::Borrowed(value);
    }
    let mut out = String::with_capacity(value.len());
    for (i, line) in value.split("\r\n").enumerate() {
        if i == 0 {
            out.push_str(line.trim_end_matches([' ', '\t']));
        } else {
            out.push(' ');
            out.push_str(
                line.trim_start_matches([' ', '\t'])
                    .trim_end_matches([' ', '\t']),
            );
        }
    }
    Cow::Owned(out)
}
