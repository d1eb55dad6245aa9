//! Who sent an IMDN the Controlling Function received: the AOR of its SIP From, which must be
//! the recipient the notification reports on (RFC 5438 sections 8 and 14; protocol.md 7.3).
//!
//! A user agent writes its From as `<aor>;tag=token`. When the row is exactly that for the
//! recipient's AOR, and that AOR is one whose text is the AOR its URI names (checked once per
//! member, when the group is set up), the From names the recipient without being parsed; any
//! other row is parsed and its AOR written, once per IMDN, and compared as before.

use crate::node::sip_util::{aor_of, write_aor};
use crate::sip::{HeaderKind, Message, Uri};

/// Whether `member`'s text is exactly the AOR its URI names, in the plainest form (ASCII
/// letters, digits, `.`, `-`, `_`, the scheme's `:` and one `@`): then a From of
/// `<member>;tag=token` names it.
pub(crate) fn is_plain_aor(member: &str) -> bool {
    let plain = member
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b".-_@:".contains(&b));
    plain
        && Uri::parse(member, 0)
            .ok()
            .and_then(|u| aor_of(&u))
            .as_deref()
            == Some(member)
}

/// Whether the From row `value` is `<aor>;tag=token` with a tag of ASCII letters, digits,
/// `.`, `-` and `_`, and nothing else.
pub(crate) fn names_plainly(value: &str, aor: &str) -> bool {
    let tag = value
        .strip_prefix('<')
        .and_then(|rest| rest.strip_prefix(aor))
        .and_then(|rest| rest.strip_prefix(">;tag="));
    tag.is_some_and(|tag| {
        !tag.is_empty()
            && tag
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b".-_".contains(&b))
    })
}

/// The sender of one IMDN, its From's AOR written into a lent buffer only when needed.
pub(crate) struct Originator<'a, 'm> {
    /// The IMDN MESSAGE.
    msg: &'m Message<'a>,
    /// Its single From row's value, if it has exactly one.
    row: Option<&'a str>,
    /// The AOR of its From, once read (empty when it has none).
    aor: &'m mut String,
    /// Whether `aor` was read.
    read: bool,
}

impl<'a, 'm> Originator<'a, 'm> {
    /// The sender of `msg`; `aor` is the buffer its From's AOR is written to if needed.
    pub(crate) fn of(msg: &'m Message<'a>, aor: &'m mut String) -> Self {
        aor.clear();
        let row = msg.single(HeaderKind::From).ok().flatten().map(|r| r.value);
        Originator {
            msg,
            row,
            aor,
            read: false,
        }
    }

    /// Whether the IMDN comes from `member` (the AOR of its From is `member`); `plain` tells
    /// that `member` [`is_plain_aor`].
    pub(crate) fn is(&mut self, member: &str, plain: bool) -> bool {
        if plain && self.row.is_some_and(|row| names_plainly(row, member)) {
            return true;
        }
        if !self.read {
            self.read = true;
            if let Ok(from) = self.msg.from() {
                write_aor(&from.uri, self.aor);
            }
        }
        *self.aor == member
    }
}

#[cfg(test)]
#[path = "cf_originator_tests.rs"]
mod tests;
