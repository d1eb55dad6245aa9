//! Why a built CPIM message parses, established piece by piece as the builder writes it.
//!
//! A builder must never hand out a message its own parser would refuse. Serialising and
//! parsing again settles that, but costs as much as writing the message. Instead each piece
//! the builder formats itself is checked when it is added, against the same rules
//! [`parse`](super::parse) applies to it: the header line has only printable ASCII (so no
//! control character and no escape to decode), no space at either end of the value, a length
//! within `HEADER_LINE_BYTES_MAX`, the value check of its header (address, RFC 3339 date,
//! token, disposition list), at most one of each single-value header, and within the header
//! and size limits. A piece outside what these checks cover (a raw header, a `Subject`, text
//! outside printable ASCII, a `Content-Length`) marks the message unchecked, and the builder
//! falls back to the full parse, which also gives the exact error. The checks only ever
//! answer "certainly parses" or "ask the parser".

use super::address::Address;
use super::datetime::is_rfc3339_date_time;
use super::disposition::DispositionSet;
use super::grammar::{first_non_printable_ascii, is_token};
use super::limits::{
    CONTENT_BYTES_MAX, CPIM_HEADER_COUNT_MAX, CPIM_MESSAGE_BYTES_MAX, HEADER_LINE_BYTES_MAX,
    MIME_HEADER_COUNT_MAX,
};

/// The value rule of a header the builder formats itself.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum ValueRule {
    /// From, To, Original-To, IMDN-Record-Route, IMDN-Route: `[Formal-name] <URI>`.
    Address,
    /// DateTime: RFC 3339.
    DateTime,
    /// imdn.Message-ID: a token.
    MessageId,
    /// imdn.Disposition-Notification: a notify-req list.
    Disposition,
    /// The builder's own `NS: imdn <urn:ietf:params:imdn>`, a constant.
    ImdnNamespace,
}

/// A header that may appear at most once in its namespace (RFC 3862 sections 4.1, 4.4; RFC
/// 5438 sections 6.3, 6.4): From, DateTime, imdn.Message-ID, imdn.Original-To, one bit each.
pub(super) type SingleBit = u8;
/// `From`.
pub(super) const SINGLE_FROM: SingleBit = 1;
/// `DateTime`.
pub(super) const SINGLE_DATETIME: SingleBit = 1 << 1;
/// `imdn.Message-ID`.
pub(super) const SINGLE_MESSAGE_ID: SingleBit = 1 << 2;
/// `imdn.Original-To`.
pub(super) const SINGLE_ORIGINAL_TO: SingleBit = 1 << 3;

/// What is known so far about the message a builder is writing.
#[derive(Clone, Debug, Default)]
pub(super) struct Proof {
    /// A piece was added that these checks do not vouch for: the full parse decides.
    unchecked: bool,
    /// The single-value headers added so far.
    singles: SingleBit,
    /// CPIM headers added so far.
    headers: usize,
    /// MIME headers added so far.
    mime_headers: usize,
    /// Whether a MIME `Content-Type` was added.
    content_type: bool,
}

/// Whether `value` can stand in a header line exactly as the parser wants it: printable ASCII
/// with no space at either end.
fn plain_value(value: &str) -> bool {
    first_non_printable_ascii(value.as_bytes()).is_none()
        && !value.starts_with(' ')
        && !value.ends_with(' ')
}

impl Proof {
    /// A CPIM header line of `line_len` bytes (without CRLF) whose name the builder chose,
    /// with `value` under `rule`; `single` is its single-value bit, or 0.
    pub(super) fn header(
        &mut self,
        line_len: usize,
        value: &str,
        rule: ValueRule,
        single: SingleBit,
    ) {
        self.headers += 1;
        let value_ok = match rule {
            ValueRule::Address => Address::parse(value).is_ok(),
            ValueRule::DateTime => is_rfc3339_date_time(value),
            ValueRule::MessageId => is_token(value),
            ValueRule::Disposition => DispositionSet::parse(value).is_some(),
            ValueRule::ImdnNamespace => true,
        };
        let repeated = self.singles & single != 0;
        self.singles |= single;
        if !value_ok || repeated || line_len > HEADER_LINE_BYTES_MAX || !plain_value(value) {
            self.unchecked = true;
        }
    }

    /// A CPIM header line of any other kind: counted, and the full parse decides.
    pub(super) fn raw_header(&mut self) {
        self.headers += 1;
        self.unchecked = true;
    }

    /// A MIME header `name: value` of the encapsulated entity.
    pub(super) fn mime_header(&mut self, name: &str, value: &str) {
        self.mime_headers += 1;
        let name_ok = !name.is_empty() && name.bytes().all(|b| b.is_ascii_graphic() && b != b':');
        let line_len = name.len() + 2 + value.len();
        // A Content-Length must match the content: left to the parser.
        let length = name.eq_ignore_ascii_case("Content-Length");
        self.content_type |= name.eq_ignore_ascii_case("Content-Type");
        let value_ok = first_non_printable_ascii(value.as_bytes()).is_none();
        if !name_ok || !value_ok || length || line_len > HEADER_LINE_BYTES_MAX {
            self.unchecked = true;
        }
    }

    /// Whether the message, `total_len` bytes with `content_len` bytes of content, certainly
    /// parses; `false` means the parser must be asked.
    pub(super) fn holds(&self, total_len: usize, content_len: usize) -> bool {
        !self.unchecked
            && self.content_type
            && self.headers <= CPIM_HEADER_COUNT_MAX
            && self.mime_headers <= MIME_HEADER_COUNT_MAX
            && total_len <= CPIM_MESSAGE_BYTES_MAX
            && content_len <= CONTENT_BYTES_MAX
    }
}
