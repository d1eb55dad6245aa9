//! Plain `generic-param` lists (RFC 3261 section 25.1: `*( SEMI generic-param )`), written as
//! `;name[=value]` with token names and values: the check that a rest of an element is such a
//! list, and the lookup of one parameter in such a list.

use crate::limits::SIP_PARAMS_PER_ELEMENT_MAX;
use crate::sip::chars::{run, TOKEN};
use crate::sip::params::Params;

/// The `;`-separated parameters of `b` from `from` to the end, each
/// `1*name-byte ["=" 1*value-byte]` with names in `name_class` and values in `value_class` (at
/// most `SIP_PARAMS_PER_ELEMENT_MAX`): `true` when the whole rest has that shape.
#[inline(always)]
fn plain_params(b: &[u8], from: usize, name_class: u16, value_class: u16) -> bool {
    let mut i = from;
    let mut count = 0usize;
    while i < b.len() {
        if b.get(i) != Some(&b';') {
            return false;
        }
        count += 1;
        if count > SIP_PARAMS_PER_ELEMENT_MAX {
            return false;
        }
        let name_end = run(b, i + 1, name_class);
        if name_end == i + 1 {
            return false;
        }
        i = name_end;
        if b.get(i) == Some(&b'=') {
            let value_end = run(b, i + 1, value_class);
            if value_end == i + 1 {
                return false;
            }
            i = value_end;
        }
    }
    true
}

/// The header parameters of an element from `from` (a `;` or the end) to the end of `text`.
#[inline(always)]
pub(super) fn header_params(text: &str, from: usize) -> Option<Params<'_>> {
    if from >= text.len() {
        return Some(Params::default());
    }
    if !plain_params(text.as_bytes(), from, TOKEN, TOKEN) {
        return None;
    }
    Some(Params::checked(text.get(from..)?))
}

/// The parameter `name` of plain parameter text (see [`Params::get`]): `None` when the text is
/// not plain up to the match, and the caller must read it with the general iterator.
pub(crate) fn param<'a>(text: &'a str, name: &str) -> Option<Option<Option<&'a str>>> {
    let b = text.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if b.get(i) != Some(&b';') {
            return None;
        }
        let name_end = run(b, i + 1, TOKEN);
        if name_end == i + 1 {
            return None;
        }
        let this = text.get(i + 1..name_end)?;
        i = name_end;
        let mut value = None;
        if b.get(i) == Some(&b'=') {
            let value_end = run(b, i + 1, TOKEN);
            if value_end == i + 1 {
                return None;
            }
            value = Some(text.get(i + 1..value_end)?);
            i = value_end;
        }
        if !matches!(b.get(i), None | Some(b';')) {
            return None;
        }
        // Parameters are almost always written in the case asked for: an exact compare first.
        if this == name || this.eq_ignore_ascii_case(name) {
            return Some(Some(value));
        }
    }
    Some(None)
}
