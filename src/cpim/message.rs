//! The borrowed view of a whole Message/CPIM body and its parser.

use super::address::{is_absolute_uri, Address};
use super::bindings::Bindings;
use super::datetime::is_rfc3339_date_time;
use super::disposition::DispositionSet;
use super::grammar::{is_name, is_token};
use super::header::{parse_line, Header};
use super::limits::{
    CONTENT_BYTES_MAX, CPIM_HEADER_COUNT_MAX, CPIM_MESSAGE_BYTES_MAX, HEADER_LINE_BYTES_MAX,
};
use super::mime::{self, next_line, LineFault, MimeHeader};
use super::{CpimError, CpimErrorKind, CPIM_HEADERS_NS, IMDN_NS};
use std::borrow::Cow;

/// A parsed Message/CPIM body: header block, then the encapsulated MIME entity. Zero-copy.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Cpim<'a> {
    /// The CPIM message headers in wire order.
    pub headers: Vec<Header<'a>>,
    /// The MIME headers of the encapsulated entity in wire order.
    pub mime_headers: Vec<MimeHeader<'a>>,
    /// The content bytes, exactly as sent (never trimmed).
    pub content: &'a [u8],
    /// Byte offset of the content in the body.
    pub content_offset: usize,
}

/// Parses a Message/CPIM body (RFC 3862 section 2): everything after the SIP header section.
pub fn parse(input: &[u8]) -> Result<Cpim<'_>, CpimError> {
    check_size(input)?;
    let mut headers = Vec::with_capacity(HEADERS_EXPECTED);
    let mime_start = parse_header_block(input, |h| headers.push(h))?;
    let (mime_headers, content, content_offset) = parse_entity(input, mime_start)?;
    Ok(Cpim {
        headers,
        mime_headers,
        content,
        content_offset,
    })
}

/// Checks a Message/CPIM body exactly as [`parse`] does, without keeping its headers: what a
/// builder runs on its own serialization.
pub(crate) fn check(input: &[u8]) -> Result<(), CpimError> {
    check_size(input)?;
    let mime_start = parse_header_block(input, |_| {})?;
    parse_entity(input, mime_start).map(|_| ())
}

fn check_size(input: &[u8]) -> Result<(), CpimError> {
    if input.len() > CPIM_MESSAGE_BYTES_MAX {
        return Err(CpimError::new(
            CpimErrorKind::MessageTooLarge,
            CPIM_MESSAGE_BYTES_MAX,
        ));
    }
    Ok(())
}

/// The encapsulated entity at `mime_start`: its MIME headers, its content and the content's
/// offset.
fn parse_entity(
    input: &[u8],
    mime_start: usize,
) -> Result<(Vec<MimeHeader<'_>>, &[u8], usize), CpimError> {
    let (mime_headers, content_offset) = mime::parse_headers(input, mime_start)
        .map_err(|(fault, at)| CpimError::new(CpimErrorKind::Mime(fault), at))?;
    if mime::find(&mime_headers, "Content-Type").is_none() {
        return Err(CpimError::new(
            CpimErrorKind::MissingContentType,
            mime_start,
        ));
    }
    let content = input.get(content_offset..).unwrap_or_default();
    if content.len() > CONTENT_BYTES_MAX {
        return Err(CpimError::new(
            CpimErrorKind::ContentTooLarge,
            content_offset,
        ));
    }
    mime::check_content_length(&mime_headers, content.len())
        .map_err(|(fault, at)| CpimError::new(CpimErrorKind::Mime(fault), at))?;
    Ok((mime_headers, content, content_offset))
}

/// Header rows room is made for at once: an IM or IMDN of RFC 5438 has eight or fewer, so one
/// allocation usually holds the block. The room is kept under `HEADER_ROWS_BYTES_EXPECTED`:
/// a first allocation beyond about 1 KiB leaves the allocator's per-thread cache (glibc's
/// tcache) and costs more than parsing a header line.
const HEADERS_EXPECTED: usize = HEADER_ROWS_BYTES_EXPECTED / std::mem::size_of::<Header<'static>>();
/// Bytes of header rows allocated at once (see `HEADERS_EXPECTED`).
const HEADER_ROWS_BYTES_EXPECTED: usize = 1000;

/// Reads the CPIM header block, handing each checked header to `keep` in order; returns the
/// offset of the encapsulated entity.
fn parse_header_block<'a>(
    input: &'a [u8],
    mut keep: impl FnMut(Header<'a>),
) -> Result<usize, CpimError> {
    let mut count = 0usize;
    let mut singles_seen = 0u8;
    let mut bindings = Bindings::new();
    let mut default_ns = CPIM_HEADERS_NS;
    let mut pos = 0;
    let checked = utf8_prefix(input);
    loop {
        let line = next_line(input, pos, HEADER_LINE_BYTES_MAX).map_err(|(fault, at)| {
            let kind = match fault {
                LineFault::TooLong => CpimErrorKind::HeaderLineTooLong,
                LineFault::BareLf => CpimErrorKind::BareLf,
                LineFault::Unterminated => CpimErrorKind::MissingEncapsulatedEntity,
            };
            CpimError::new(kind, at)
        })?;
        if line.text.is_empty() {
            return Ok(line.next);
        }
        if count == CPIM_HEADER_COUNT_MAX {
            return Err(CpimError::new(CpimErrorKind::TooManyHeaders, line.start));
        }
        let at = |(kind, off): (CpimErrorKind, usize)| CpimError::new(kind, line.start + off);
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
        let raw = parse_line(text).map_err(at)?;
        let namespace = match raw.prefix {
            None => default_ns,
            Some(p) => bindings
                .resolve(p)
                .ok_or(CpimError::new(CpimErrorKind::UndeclaredPrefix, line.start))?,
        };
        let header = Header {
            prefix: raw.prefix,
            name: raw.name,
            namespace,
            params_raw: raw.params_raw,
            value_raw: raw.value_raw,
            offset: line.start,
        };
        if raw.prefix.is_none() && raw.name == "NS" {
            let (prefix, uri) = parse_ns(raw.value_raw).ok_or(at((CpimErrorKind::InvalidNs, 0)))?;
            match prefix {
                Some(p) => bindings.push((p, uri)),
                None => default_ns = uri,
            }
        }
        let ns = Namespace::of(namespace);
        check_known_value(&header, ns, &bindings)
            .map_err(|kind| CpimError::new(kind, line.start))?;
        let single = single_bit(&header, ns);
        if singles_seen & single != 0 {
            return Err(CpimError::new(CpimErrorKind::DuplicateHeader, line.start));
        }
        singles_seen |= single;
        keep(header);
        count += 1;
        pos = line.next;
    }
}

/// Bytes at the start of a body checked as UTF-8 in one pass: a header block of RFC 5438
/// (about 400 bytes) and usually the whole body, where checking line by line costs more.
const UTF8_PREFIX_BYTES: usize = 2048;

/// The longest UTF-8 prefix of the body's first `UTF8_PREFIX_BYTES`, as text.
fn utf8_prefix(input: &[u8]) -> &str {
    let head = input.get(..UTF8_PREFIX_BYTES).unwrap_or(input);
    match std::str::from_utf8(head) {
        Ok(text) => text,
        Err(e) => head
            .get(..e.valid_up_to())
            .and_then(|valid| std::str::from_utf8(valid).ok())
            .unwrap_or_default(),
    }
}

/// `NS: [Name-prefix SP] "<" URI ">"` (RFC 3862 section 4.6).
fn parse_ns(value: &str) -> Option<(Option<&str>, &str)> {
    let (prefix, rest) = match value.split_once(' ') {
        Some((p, rest)) if is_name(p) => (Some(p), rest),
        Some(_) => return None,
        None => (None, value),
    };
    let uri = rest.strip_prefix('<')?.strip_suffix('>')?;
    is_absolute_uri(uri).then_some((prefix, uri))
}

fn in_ns(header: &Header<'_>, ns: &str, name: &str) -> bool {
    header.name == name && same_namespace(header.namespace, ns)
}

/// Namespace URIs compare case-insensitively; the default namespace is usually the very
/// constant it is compared with, which the pointer test settles without a byte loop.
fn same_namespace(a: &str, b: &str) -> bool {
    (a.as_ptr() == b.as_ptr() && a.len() == b.len()) || a.eq_ignore_ascii_case(b)
}

/// The namespaces whose headers this codec interprets.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Namespace {
    /// `urn:ietf:params:cpim-headers:` (RFC 3862 section 4).
    Cpim,
    /// `urn:ietf:params:imdn` (RFC 5438 section 6.1).
    Imdn,
    /// Any other.
    Other,
}

impl Namespace {
    /// Which namespace `uri` is, compared once per header.
    fn of(uri: &str) -> Self {
        if same_namespace(uri, CPIM_HEADERS_NS) {
            Self::Cpim
        } else if same_namespace(uri, IMDN_NS) {
            Self::Imdn
        } else {
            Self::Other
        }
    }
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
/// namespace.
fn check_known_value(
    h: &Header<'_>,
    ns: Namespace,
    bindings: &Bindings<'_>,
) -> Result<(), CpimErrorKind> {
    let v = h.value_raw;
    match (ns, h.name) {
        (Namespace::Cpim, "From" | "To" | "cc")
        | (Namespace::Imdn, "Original-To" | "IMDN-Record-Route" | "IMDN-Route") => {
            Address::parse(v).map(|_| ())
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

impl<'a> Cpim<'a> {
    /// Every header with this name in this namespace, in order (names are case-sensitive).
    pub fn headers_in(
        &self,
        namespace: &'a str,
        name: &'a str,
    ) -> impl Iterator<Item = &Header<'a>> {
        self.headers
            .iter()
            .filter(move |h| in_ns(h, namespace, name))
    }

    /// The first header with this name in this namespace.
    pub fn header_in(&self, namespace: &str, name: &str) -> Option<&Header<'a>> {
        self.headers.iter().find(|h| in_ns(h, namespace, name))
    }

    fn addresses(
        &self,
        namespace: &'a str,
        name: &'a str,
    ) -> impl Iterator<Item = Address<'a>> + '_ {
        self.headers_in(namespace, name)
            .filter_map(|h| Address::parse(h.value_raw).ok())
    }

    /// `From`: the sender.
    pub fn from(&self) -> Option<Address<'a>> {
        self.addresses(CPIM_HEADERS_NS, "From").next()
    }

    /// `To`: the recipients (the header may repeat).
    pub fn to(&self) -> impl Iterator<Item = Address<'a>> + '_ {
        self.addresses(CPIM_HEADERS_NS, "To")
    }

    /// `cc`: courtesy recipients.
    pub fn cc(&self) -> impl Iterator<Item = Address<'a>> + '_ {
        self.addresses(CPIM_HEADERS_NS, "cc")
    }

    /// `DateTime`: the sender's send time (RFC 3339).
    pub fn datetime(&self) -> Option<&'a str> {
        self.header_in(CPIM_HEADERS_NS, "DateTime")
            .map(|h| h.value_raw)
    }

    /// `Subject` values in order with their `lang` parameter, escapes decoded.
    pub fn subjects(&self) -> impl Iterator<Item = (Option<&'a str>, Cow<'a, str>)> + '_ {
        self.headers_in(CPIM_HEADERS_NS, "Subject")
            .map(|h| (h.lang(), h.value()))
    }

    /// `Require`: header names the receiver must understand.
    pub fn require(&self) -> impl Iterator<Item = &'a str> + '_ {
        self.headers_in(CPIM_HEADERS_NS, "Require")
            .flat_map(|h| h.value_raw.split(',').map(|n| n.trim_matches(' ')))
    }

    /// `NS` declarations in order: (prefix or `None` for the default namespace, URI).
    pub fn namespaces(&self) -> impl Iterator<Item = (Option<&'a str>, &'a str)> + '_ {
        self.headers_in(CPIM_HEADERS_NS, "NS")
            .filter_map(|h| parse_ns(h.value_raw))
    }

    /// `imdn.Message-ID` (RFC 5438 section 6.3).
    pub fn message_id(&self) -> Option<&'a str> {
        self.header_in(IMDN_NS, "Message-ID").map(|h| h.value_raw)
    }

    /// `imdn.Disposition-Notification`: the union of every such header; empty when absent.
    pub fn disposition_notification(&self) -> DispositionSet {
        self.headers_in(IMDN_NS, "Disposition-Notification")
            .filter_map(|h| DispositionSet::parse(h.value_raw))
            .flat_map(DispositionSet::iter)
            .collect()
    }

    /// `imdn.Original-To`: the recipient before an intermediary rewrote `To`.
    pub fn original_to(&self) -> Option<Address<'a>> {
        self.addresses(IMDN_NS, "Original-To").next()
    }

    /// `imdn.IMDN-Record-Route` entries, top first.
    pub fn imdn_record_route(&self) -> impl Iterator<Item = Address<'a>> + '_ {
        self.addresses(IMDN_NS, "IMDN-Record-Route")
    }

    /// `imdn.IMDN-Route` entries, top first.
    pub fn imdn_route(&self) -> impl Iterator<Item = Address<'a>> + '_ {
        self.addresses(IMDN_NS, "IMDN-Route")
    }

    /// The first MIME header of the encapsulated entity with this name (case-insensitive).
    pub fn mime_header(&self, name: &str) -> Option<&'a str> {
        mime::find(&self.mime_headers, name).map(|h| h.value)
    }

    /// `Content-Type` of the encapsulated entity.
    pub fn content_type(&self) -> Option<&'a str> {
        self.mime_header("Content-Type")
    }

    /// `Content-Disposition` of the encapsulated entity (`notification` for an IMDN).
    pub fn content_disposition(&self) -> Option<&'a str> {
        self.mime_header("Content-Disposition")
    }

    /// `Content-ID` of the encapsulated entity.
    pub fn content_id(&self) -> Option<&'a str> {
        self.mime_header("Content-ID")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ENTITY: &str = "\r\nContent-Type: text/plain\r\n\r\nhi";

    fn verdict(headers: &str) -> Result<(), CpimErrorKind> {
        let body = format!("{headers}{ENTITY}");
        let checked = check(body.as_bytes()).map_err(|e| e.kind);
        let parsed = parse(body.as_bytes()).map(|_| ()).map_err(|e| e.kind);
        assert_eq!(checked, parsed, "{headers:?}");
        checked
    }

    #[test]
    fn a_single_value_header_may_not_repeat_in_its_namespace_under_any_prefix() {
        let ns = "NS: imdn <urn:ietf:params:imdn>\r\nNS: other <urn:IETF:params:imdn>\r\n";
        let dup = Err(CpimErrorKind::DuplicateHeader);
        assert_eq!(verdict("From: <sip:a@x>\r\nFrom: <sip:b@x>\r\n"), dup);
        assert_eq!(
            verdict("DateTime: 2024-03-18T09:30:05Z\r\nDateTime: 2024-03-18T09:30:06Z\r\n"),
            dup
        );
        assert_eq!(
            verdict(&format!(
                "{ns}imdn.Message-ID: a1\r\nother.Message-ID: a2\r\n"
            )),
            dup
        );
        assert_eq!(
            verdict(&format!(
                "{ns}imdn.Original-To: <sip:g@x>\r\nother.Original-To: <sip:h@x>\r\n"
            )),
            dup
        );
        assert_eq!(verdict("To: <sip:a@x>\r\nTo: <sip:b@x>\r\n"), Ok(()));
        assert_eq!(
            verdict("NS: x <urn:example>\r\nFrom: <sip:a@x>\r\nx.From: <sip:b@x>\r\n"),
            Ok(())
        );
        assert_eq!(
            verdict(&format!("{ns}From: <sip:a@x>\r\nimdn.Message-ID: a1\r\n")),
            Ok(())
        );
    }

    #[test]
    fn header_text_is_checked_as_utf8_inside_and_past_the_prefix_checked_at_once() {
        let invalid = |body: &[u8]| parse(body).map(|_| ()).map_err(|e| (e.kind, e.offset));
        let bad_char = |at| Err((CpimErrorKind::InvalidCharacter, at));
        // In the first line, and in a line after a valid non-ASCII one.
        assert_eq!(
            invalid(b"Subject: a\xffb\r\n\r\nContent-Type: t\r\n\r\n"),
            bad_char(10)
        );
        let after = "Subject: \u{e9}t\u{e9}\r\nX: ?\r\n\r\nContent-Type: t\r\n\r\n";
        let mut body = after.as_bytes().to_vec();
        let at = after.find('?').unwrap_or_default();
        body.splice(at..=at, [0xffu8]);
        assert_eq!(invalid(&body), bad_char(at));
        // Content that is not UTF-8 leaves valid header lines valid.
        assert_eq!(
            invalid(b"X: y\r\n\r\nContent-Type: t\r\n\r\n\xff\xfe"),
            Ok(())
        );
        // A long line crossing the prefix, with a character cut by the prefix's end, then a bad
        // byte past it.
        let mut long = b"Subject: ".to_vec();
        long.resize(UTF8_PREFIX_BYTES - 1, b'a');
        long.extend_from_slice("\u{e9}".as_bytes());
        let ok_end = long.len();
        long.extend_from_slice(b"\r\n\r\nContent-Type: t\r\n\r\n");
        assert_eq!(invalid(&long), Ok(()));
        long.splice(ok_end..ok_end, [b'z', 0xff]);
        assert_eq!(invalid(&long), bad_char(ok_end + 1));
    }

    #[test]
    fn check_reports_what_parse_reports() {
        assert_eq!(verdict("X: y\r\n"), Ok(()));
        assert_eq!(verdict("p.X: y\r\n"), Err(CpimErrorKind::UndeclaredPrefix));
        let no_type = b"From: <sip:a@x>\r\n\r\nContent-Length: 2\r\n\r\nhi";
        assert_eq!(
            check(no_type).map_err(|e| e.kind),
            Err(CpimErrorKind::MissingContentType)
        );
        assert_eq!(parse(no_type).map(|_| ()), check(no_type));
    }
}
