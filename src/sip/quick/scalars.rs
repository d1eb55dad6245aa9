//! The plain one-value headers: `CSeq` (`1*DIGIT LWS Method`), `Content-Type`'s `media-type`
//! (`m-type SLASH m-subtype *( SEMI m-parameter )`) and `Call-ID` (`word [ "@" word ]`).

use super::generic_param::header_params;
use crate::sip::chars::{run, run_node_token, TOKEN, WORD};
use crate::sip::scalars::{CSeq, MediaType};

/// The largest CSeq number plus one (RFC 3261 section 8.1.1.5: less than 2^31).
const CSEQ_LIMIT: u64 = 1 << 31;

/// Digits a CSeq number may have here: ten hold every number below 2^31, and the general
/// parser's verdict on longer ones (leading zeros or too large) is left to it.
const CSEQ_DIGITS_MAX: usize = 10;

/// `1*DIGIT SP Method` with a number below 2^31 and single spaces: the digits are read and
/// summed in one loop.
pub(crate) fn cseq(text: &str) -> Option<CSeq<'_>> {
    let b = text.as_bytes();
    let mut number = 0u64;
    let mut digits_end = 0;
    while let Some(&d) = b.get(digits_end).filter(|d| d.is_ascii_digit()) {
        if digits_end == CSEQ_DIGITS_MAX {
            return None;
        }
        number = number * 10 + u64::from(d - b'0');
        digits_end += 1;
    }
    if digits_end == 0 || b.get(digits_end) != Some(&b' ') || number >= CSEQ_LIMIT {
        return None;
    }
    let method_end = run(b, digits_end + 1, TOKEN);
    if method_end == digits_end + 1 || method_end != b.len() {
        return None;
    }
    Some(CSeq {
        number: number as u32,
        method: text.get(digits_end + 1..)?,
    })
}

/// `type/subtype` with plain parameters.
pub(crate) fn media_type(text: &str) -> Option<MediaType<'_>> {
    let b = text.as_bytes();
    let kind_end = run(b, 0, TOKEN);
    if kind_end == 0 || b.get(kind_end) != Some(&b'/') {
        return None;
    }
    let subtype_end = run(b, kind_end + 1, TOKEN);
    if subtype_end == kind_end + 1 {
        return None;
    }
    Some(MediaType {
        kind: text.get(..kind_end)?,
        subtype: text.get(kind_end + 1..subtype_end)?,
        params: header_params(text, subtype_end)?,
    })
}

/// `word ["@" word]` with nothing around it.
pub(crate) fn call_id(text: &str) -> Option<&str> {
    (call_id_end(text.as_bytes(), 0)? == text.len()).then_some(text)
}

/// Where the Call-ID `word ["@" word]` that starts at `b[from]` ends; the caller checks what
/// follows (the end of the text, or the row's CR). An `@` with no word after it ends nothing.
/// Always inlined: the framing reads every Call-ID row with it.
#[inline(always)]
pub(crate) fn call_id_end(b: &[u8], from: usize) -> Option<usize> {
    let left_end = run_node_token(b, from, WORD);
    if left_end == from {
        return None;
    }
    if b.get(left_end) != Some(&b'@') {
        return Some(left_end);
    }
    let right_end = run(b, left_end + 1, WORD);
    (right_end > left_end + 1).then_some(right_end)
}
