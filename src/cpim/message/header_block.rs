//! The CPIM header block (RFC 3862 sections 3.1 and 4): each line cut and checked, its prefix
//! resolved against the `NS` declarations seen so far, the values this codec interprets checked
//! and the headers that may appear once counted.

use crate::cpim::address::{is_absolute_uri, Address};
use crate::cpim::bindings::Bindings;
use crate::cpim::datetime::is_rfc3339_date_time;
use crate::cpim::disposition::DispositionSet;
use crate::cpim::grammar::{first_non_printable_ascii, is_name, is_token};
use crate::cpim::header::{parse_line, split_plain_line_named, Header, RawHeader};
use crate::cpim::known_names::{known_name, KnownName};
use crate::cpim::limits::{CPIM_HEADER_COUNT_MAX, HEADER_LINE_BYTES_MAX};
use crate::cpim::mime::{next_line, LineFault};
use crate::cpim::plain_address::plain_address_span;
use crate::cpim::{CpimError, CpimErrorKind, CPIM_HEADERS_NS, IMDN_NS};

/// Reads the CPIM header block, handing each checked header to `keep` in order; returns the
/// offset of the encapsulated entity. `checked` is the body's [`utf8_prefix`].
pub(super) fn parse_header_block<'a>(
    input: &'a [u8],
    checked: &'a str,
    keep: impl FnMut(Header<'a>),
) -> Result<usize, CpimError> {
    read_header_block(input, checked, keep, LineReading::PlainFirst)
}

/// How header lines are cut and split.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum LineReading {
    /// Each line is first tried by [`plain_line_at`], in one pass; any other line by the
    /// general readers.
    PlainFirst,
    /// Every line by the general readers (what the one-pass reader is checked against).
    #[cfg(test)]
    GeneralOnly,
}

/// [`parse_header_block`] with the line reading chosen.
#[cfg(test)]
pub(super) fn parse_header_block_by<'a>(
    input: &'a [u8],
    keep: impl FnMut(Header<'a>),
    reading: LineReading,
) -> Result<usize, CpimError> {
    read_header_block(input, utf8_prefix(input), keep, reading)
}

fn read_header_block<'a>(
    input: &'a [u8],
    checked: &'a str,
    mut keep: impl FnMut(Header<'a>),
    reading: LineReading,
) -> Result<usize, CpimError> {
    let mut count = 0usize;
    let mut singles_seen = 0u8;
    let mut bindings = Bindings::new();
    let mut default_ns = CPIM_HEADERS_NS;
    let mut pos = 0;
    let mut namespaces = NamespaceMemo::new();
    loop {
        let plain = match reading {
            LineReading::PlainFirst => plain_line_at(checked, pos),
            #[cfg(test)]
            LineReading::GeneralOnly => None,
        };
        let (raw, start, next, address_checked) = match plain {
            Some((raw, next, address_checked)) => {
                if count == CPIM_HEADER_COUNT_MAX {
                    return Err(CpimError::new(CpimErrorKind::TooManyHeaders, pos));
                }
                (raw, pos, next, address_checked)
            }
            None => match any_line_at(input, checked, pos, count)? {
                Some((raw, start, next)) => (raw, start, next, false),
                // The blank line is the CRLF at `pos`.
                None => return Ok(pos + 2),
            },
        };
        let namespace = match raw.prefix {
            None => default_ns,
            Some(p) => bindings
                .resolve(p)
                .ok_or(CpimError::new(CpimErrorKind::UndeclaredPrefix, start))?,
        };
        let header = Header {
            prefix: raw.prefix,
            name: raw.name,
            namespace,
            params_raw: raw.params_raw,
            value_raw: raw.value_raw,
            offset: start,
        };
        if raw.prefix.is_none() && raw.name == "NS" {
            let (prefix, uri) =
                parse_ns(raw.value_raw).ok_or(CpimError::new(CpimErrorKind::InvalidNs, start))?;
            match prefix {
                Some(p) => bindings.push((p, uri)),
                None => default_ns = uri,
            }
        }
        let ns = namespaces.of(namespace);
        check_known_value(&header, ns, &bindings, address_checked)
            .map_err(|kind| CpimError::new(kind, start))?;
        let single = single_bit(&header, ns);
        if singles_seen & single != 0 {
            return Err(CpimError::new(CpimErrorKind::DuplicateHeader, start));
        }
        singles_seen |= single;
        keep(header);
        count += 1;
        pos = next;
    }
}

/// The header line at `pos` read in one pass, with the offset of the next line: `None` unless
/// the line lies in the UTF-8 prefix `checked`, is printable ASCII ending in CRLF, fits the
/// line limit and is in the plain form of [`crate::cpim::header::split_plain_line`] (name, `": "`, value). On such
/// a line the general readers give the same header, so `None` only sends the line to them.
fn plain_line_at(checked: &str, pos: usize) -> Option<(RawHeader<'_>, usize, bool)> {
    let bytes = checked.as_bytes();
    let known = known_name(bytes.get(pos..)?);
    if let Some(known) = known.filter(|k| k.takes_address) {
        if let Some(line) = plain_address_line_at(checked, pos, known) {
            return Some(line);
        }
    }
    let end = pos + first_non_printable_ascii(bytes.get(pos..)?)?;
    if bytes.get(end..end + 2) != Some(b"\r\n") || end - pos > HEADER_LINE_BYTES_MAX {
        return None;
    }
    let raw = split_plain_line_named(checked.get(pos..end)?, known)?;
    Some((raw, end + 2, false))
}

/// The header line at `pos`, which starts with the `known` name that takes an address, when
/// the value is a common-shape address ending the line: read in one pass with its value proved
/// an address (the `true`). Such a line is printable ASCII in the plain form, so the plain
/// reading would give the same header; `None` sends the line on to it.
fn plain_address_line_at(
    checked: &str,
    pos: usize,
    known: KnownName,
) -> Option<(RawHeader<'_>, usize, bool)> {
    let line = checked.as_bytes().get(pos..)?;
    let value_at = known.colon + 2;
    let (_, gt) = plain_address_span(line.get(value_at..)?)?;
    let end = value_at + gt + 1;
    if line.get(end..end + 2) != Some(b"\r\n") || end > HEADER_LINE_BYTES_MAX {
        return None;
    }
    let name_at = known.dot.map_or(0, |d| d + 1);
    let raw = RawHeader {
        prefix: match known.dot {
            Some(d) => Some(checked.get(pos..pos + d)?),
            None => None,
        },
        name: checked.get(pos + name_at..pos + known.colon)?,
        params_raw: "",
        value_raw: checked.get(pos + value_at..pos + end)?,
    };
    Some((raw, pos + end + 2, true))
}

/// The header line at `pos` read by the general readers, rule by rule: the header pieces, the
/// line's start and the next line's offset, or `None` for the blank line ending the block.
fn any_line_at<'a>(
    input: &'a [u8],
    checked: &'a str,
    pos: usize,
    count: usize,
) -> Result<Option<(RawHeader<'a>, usize, usize)>, CpimError> {
    let line = next_line(input, pos, HEADER_LINE_BYTES_MAX).map_err(|(fault, at)| {
        let kind = match fault {
            LineFault::TooLong => CpimErrorKind::HeaderLineTooLong,
            LineFault::BareLf => CpimErrorKind::BareLf,
            LineFault::Unterminated => CpimErrorKind::MissingEncapsulatedEntity,
        };
        CpimError::new(kind, at)
    })?;
    if line.text.is_empty() {
        return Ok(None);
    }
    if count == CPIM_HEADER_COUNT_MAX {
        return Err(CpimError::new(CpimErrorKind::TooManyHeaders, line.start));
    }
    // A line inside the prefix already checked is UTF-8 (it starts after an LF and ends
    // before a CR, both character boundaries); any other line is checked on its own.
    let text = match checked.get(line.start..line.start + line.text.len()) {
        Some(text) => text,
        None => std::str::from_utf8(line.text).map_err(|e| {
            CpimError::new(
                CpimErrorKind::InvalidCharacter,
                line.start + e.valid_up_to(),
            )
        })?,
    };
    let raw = parse_line(text).map_err(|(kind, off)| CpimError::new(kind, line.start + off))?;
    Ok(Some((raw, line.start, line.next)))
}

/// Bytes at the start of a body checked as UTF-8 in one pass: a header block of RFC 5438
/// (about 400 bytes) and usually the whole body, where checking line by line costs more; an
/// aggregated IMDN of twenty notifications (about 9 KiB) too, so its documents, read from
/// the content, need no check of their own (the SIMD check costs less than theirs).
pub(super) const UTF8_PREFIX_BYTES: usize = 16384;

/// The longest UTF-8 prefix of the body's first `UTF8_PREFIX_BYTES`, as text: checked once
/// for the header block and the MIME headers after it. The check is the SIMD one of
/// `simdutf8` (as for a SIP header section), which only says whether the bytes are UTF-8;
/// the standard check, run only then, says where the first bad byte is.
pub(super) fn utf8_prefix(input: &[u8]) -> &str {
    let head = input.get(..UTF8_PREFIX_BYTES).unwrap_or(input);
    if let Ok(text) = simdutf8::basic::from_utf8(head) {
        return text;
    }
    match std::str::from_utf8(head) {
        Ok(text) => text,
        Err(e) => head
            .get(..e.valid_up_to())
            .and_then(|valid| std::str::from_utf8(valid).ok())
            .unwrap_or_default(),
    }
}

/// `NS: [Name-prefix SP] "<" URI ">"` (RFC 3862 section 4.6).
pub(super) fn parse_ns(value: &str) -> Option<(Option<&str>, &str)> {
    let (prefix, rest) = match value.split_once(' ') {
        Some((p, rest)) if is_name(p) => (Some(p), rest),
        Some(_) => return None,
        None => (None, value),
    };
    let uri = rest.strip_prefix('<')?.strip_suffix('>')?;
    is_absolute_uri(uri).then_some((prefix, uri))
}

/// Namespace URIs compare case-insensitively; the default namespace is usually the very
/// constant it is compared with, which the pointer test settles without a byte loop.
pub(super) fn same_namespace(a: &str, b: &str) -> bool {
    same_slice(a, b) || a.eq_ignore_ascii_case(b)
}

/// The namespaces whose headers this codec interprets.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Namespace {
    /// `urn:ietf:params:cpim-headers:` (RFC 3862 section 4).
    Cpim,
    /// `urn:ietf:params:imdn` (RFC 5438 section 6.1).
    Imdn,
    /// Any other.
    Other,
}

impl Namespace {
    /// Which namespace `uri` is, compared once per header.
    pub(super) fn of(uri: &str) -> Self {
        if same_namespace(uri, CPIM_HEADERS_NS) {
            Self::Cpim
        } else if same_namespace(uri, IMDN_NS) {
            Self::Imdn
        } else {
            Self::Other
        }
    }
}

/// [`Namespace::of`] remembering the last URI it compared that is not the CPIM constant: the
/// headers of a block name a few URIs, each the same slice of the body (the `NS` value the
/// prefix resolves to), so a slice seen again is answered without comparing its bytes.
pub(super) struct NamespaceMemo<'a> {
    uri: &'a str,
    ns: Namespace,
}

impl<'a> NamespaceMemo<'a> {
    /// Nothing compared yet (the memo starts with the IMDN constant, whose answer is known).
    pub(super) fn new() -> Self {
        Self {
            uri: IMDN_NS,
            ns: Namespace::Imdn,
        }
    }

    /// Which namespace `uri` is.
    pub(super) fn of(&mut self, uri: &'a str) -> Namespace {
        if same_slice(uri, self.uri) {
            return self.ns;
        }
        let ns = Namespace::of(uri);
        if !same_slice(uri, CPIM_HEADERS_NS) {
            (self.uri, self.ns) = (uri, ns);
        }
        ns
    }
}

/// Whether `a` and `b` are the very same bytes in memory (so equal strings).
fn same_slice(a: &str, b: &str) -> bool {
    a.as_ptr() == b.as_ptr() && a.len() == b.len()
}

/// Headers that may appear at most once, one bit each: From and DateTime (RFC 3862 sections
/// 4.1, 4.4), imdn.Message-ID (RFC 5438 section 6.3) and imdn.Original-To (section 6.4); 0
/// for any other header. Two headers are the same header exactly when name and namespace
/// match, so a bit seen twice is a duplicate.
fn single_bit(h: &Header<'_>, ns: Namespace) -> u8 {
    match (ns, h.name) {
        (Namespace::Cpim, "From") => 1,
        (Namespace::Cpim, "DateTime") => 1 << 1,
        (Namespace::Imdn, "Message-ID") => 1 << 2,
        (Namespace::Imdn, "Original-To") => 1 << 3,
        _ => 0,
    }
}

/// Checks the syntax of the headers whose value this codec interprets; `ns` is the header's
/// namespace, `address_checked` whether the line reader already proved the value an address.
fn check_known_value(
    h: &Header<'_>,
    ns: Namespace,
    bindings: &Bindings<'_>,
    address_checked: bool,
) -> Result<(), CpimErrorKind> {
    let v = h.value_raw;
    match (ns, h.name) {
        (Namespace::Cpim, "From" | "To" | "cc")
        | (Namespace::Imdn, "Original-To" | "IMDN-Record-Route" | "IMDN-Route") => {
            match address_checked {
                true => Ok(()),
                false => Address::parse(v).map(|_| ()),
            }
        }
        (Namespace::Cpim, "DateTime") => is_rfc3339_date_time(v)
            .then_some(())
            .ok_or(CpimErrorKind::InvalidDateTime),
        (Namespace::Imdn, "Message-ID") => is_token(v)
            .then_some(())
            .ok_or(CpimErrorKind::InvalidMessageId),
        (Namespace::Imdn, "Disposition-Notification") => DispositionSet::parse(v)
            .map(|_| ())
            .ok_or(CpimErrorKind::InvalidDispositionNotification),
        (Namespace::Cpim, "Require") => {
            let ok = v.split(',').all(|n| {
                let n = n.trim_matches(' ');
                match n.split_once('.') {
                    Some((p, name)) => is_name(name) && bindings.binds(p),
                    None => is_name(n),
                }
            });
            ok.then_some(()).ok_or(CpimErrorKind::InvalidRequire)
        }
        _ => Ok(()),
    }
}
