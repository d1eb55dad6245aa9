//! The plain `name-addr` (RFC 3261 section 25.1: `[ display-name ] LAQUOT addr-spec RAQUOT`)
//! with its header parameters, as From, To, Contact and Route values write it.

use super::generic_param::header_params;
use super::sip_uri::sip_uri_prefix;
use crate::sip::addr::NameAddr;
use crate::sip::chars;
use crate::sip::uri::Uri;

/// `<sip-uri>` or `"display name" <sip-uri>` followed by plain header parameters.
pub(crate) fn name_addr(text: &str) -> Option<NameAddr<'_>> {
    name_addr_inlined(text)
}

/// Whether [`name_addr`] takes `text`, for a caller that only checks the value: its body is
/// inlined here, so the address it would build is never built (no stores of the URI, host
/// and parameters that the caller would drop).
#[inline]
pub(crate) fn is_name_addr(text: &str) -> bool {
    name_addr_inlined(text).is_some()
}

/// The body of [`name_addr`], always inlined into it and into [`is_name_addr`].
#[inline(always)]
fn name_addr_inlined(text: &str) -> Option<NameAddr<'_>> {
    let b = text.as_bytes();
    let mut display_name = None;
    let mut open = 0;
    if b.first() == Some(&b'"') {
        let close = chars::find_of(b, 1, b"\"\\")?;
        if b.get(close) != Some(&b'"') {
            return None;
        }
        display_name = Some(text.get(..close + 1)?);
        open = close + 1;
        while b.get(open).is_some_and(|&c| chars::is_lws(c)) {
            open += 1;
        }
    }
    if b.get(open) != Some(&b'<') {
        return None;
    }
    // The URI stops at the first byte none of its parts take: a blank, or the first `>`, which
    // must close the brackets.
    let (uri, close) = sip_uri_prefix(text, open + 1)?;
    if b.get(close) != Some(&b'>') {
        return None;
    }
    Some(NameAddr {
        display_name,
        uri: Uri::Sip(uri),
        angle_brackets: true,
        params: header_params(text, close + 1)?,
    })
}
