//! Hosts and ports: `hostport = host [ ":" port ]`, `host = hostname / IPv4address /
//! IPv6reference` (RFC 3261 section 25.1), with RFC 5954 section 4.1's IPv6 rules: the RFC 3986
//! `IPv6address` production, plus the one form RFC 3261's flawed ABNF admits and RFC 5118
//! section 4.10 asks receivers to tolerate (`2001:db8:::192.0.2.1`, a `::` directly followed by
//! `:` and an embedded IPv4 address).

use super::chars::{self, ALNUM};
use super::error::Rule;
use std::fmt;

/// A host as written: domain name, IPv4 address, or IPv6 reference.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Host<'a> {
    /// A domain name such as `cf.gamma.example`.
    Domain(&'a str),
    /// A dotted-quad IPv4 address.
    Ipv4(&'a str),
    /// An IPv6 address, without the brackets it was written in.
    Ipv6(&'a str),
}

impl<'a> Host<'a> {
    /// The host as it appears on the wire (IPv6 with brackets is written by `Display`).
    pub fn as_str(&self) -> &'a str {
        match self {
            Host::Domain(s) | Host::Ipv4(s) | Host::Ipv6(s) => s,
        }
    }
}

impl fmt::Display for Host<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Host::Ipv6(s) => write!(f, "[{s}]"),
            Host::Domain(s) | Host::Ipv4(s) => f.write_str(s),
        }
    }
}

/// Parses `host [":" port]` covering all of `text`; on failure returns the rule and the
/// relative position of the problem.
pub(crate) fn parse_hostport(text: &str) -> Result<(Host<'_>, Option<u16>), (Rule, usize)> {
    let (host, rest_at) = if let Some(inner_and_rest) = text.strip_prefix('[') {
        let close = inner_and_rest
            .find(']')
            .ok_or((Rule::InvalidIpv6Reference, 0))?;
        let inner = inner_and_rest.get(..close).unwrap_or("");
        if !is_ipv6(inner) {
            return Err((Rule::InvalidIpv6Reference, 0));
        }
        (Host::Ipv6(inner), close + 2)
    } else {
        let end = chars::find_byte(text, b':').unwrap_or(text.len());
        let name = text.get(..end).unwrap_or("");
        (parse_host_name(name).ok_or((Rule::InvalidHost, 0))?, end)
    };
    let rest = text.get(rest_at..).unwrap_or("");
    if rest.is_empty() {
        return Ok((host, None));
    }
    let digits = rest.strip_prefix(':').ok_or((Rule::InvalidHost, rest_at))?;
    let port = parse_port(digits).ok_or((Rule::InvalidPort, rest_at + 1))?;
    Ok((host, Some(port)))
}

/// Parses a port: 1 to 5 digits, at most 65535.
#[inline]
pub(crate) fn parse_port(digits: &str) -> Option<u16> {
    if digits.is_empty() || digits.len() > 5 {
        return None;
    }
    let mut value = 0u32;
    for b in digits.bytes() {
        if !b.is_ascii_digit() {
            return None;
        }
        value = value * 10 + u32::from(b - b'0');
    }
    u16::try_from(value).ok()
}

/// Classifies a bare host (no brackets, no port) as an IPv4 address or a hostname.
pub(crate) fn parse_host_name(name: &str) -> Option<Host<'_>> {
    let bytes = name.as_bytes();
    // An IPv4 address starts with a digit; a domain name usually does not.
    if bytes.first().is_some_and(u8::is_ascii_digit) && is_ipv4(name) {
        return Some(Host::Ipv4(name));
    }
    if bytes.is_empty() || bytes.len() > 255 {
        return None;
    }
    // `hostname = *( domainlabel "." ) toplabel [ "." ]`, label by label: each a run of
    // letters and digits, then any number of (`-` run, letter-and-digit run), so that no label
    // is empty, starts or ends with `-`; the top label starts with a letter.
    let trimmed = bytes.strip_suffix(b".").unwrap_or(bytes);
    let mut i = 0;
    loop {
        let label = i;
        i = chars::run(trimmed, i, ALNUM);
        if i == label {
            return None;
        }
        while trimmed.get(i) == Some(&b'-') {
            while trimmed.get(i) == Some(&b'-') {
                i += 1;
            }
            let after = i;
            i = chars::run(trimmed, i, ALNUM);
            if i == after {
                return None;
            }
        }
        match trimmed.get(i) {
            None => {
                let top_ok = trimmed.get(label).is_some_and(u8::is_ascii_alphabetic);
                return top_ok.then_some(Host::Domain(name));
            }
            Some(b'.') => i += 1,
            Some(_) => return None,
        }
    }
}

/// The host name or IPv4 address at the start of `text[from..]` and where it ends, in one pass:
/// the same verdict as [`parse_host_name`] on the longest run of hostname bytes there
/// (`None` when that run is not a host).
///
/// One table load per byte: an address of digits and dots is read octet by octet first (the
/// common Via host), anything else label by label, refusing at the first byte that makes the
/// run no host name (an empty label, or one that starts or ends with `-`). A label is read in
/// a loop that only tests for letters and digits; `-` and `.` are looked at where it stops.
pub(crate) fn host_prefix(text: &str, from: usize) -> Option<(Host<'_>, usize)> {
    let b = text.as_bytes();
    if let Some(end) = ipv4_prefix(b, from) {
        return Some((Host::Ipv4(text.get(from..end)?), end));
    }
    let is_alnum = |i: usize| b.get(i).is_some_and(|&c| chars::is(c, ALNUM));
    let mut i = from;
    // Where the last label begun starts: the top label once the run ends.
    let mut top = from;
    loop {
        // At the start of a label: a letter or digit begins it; `-` or `.` here is an empty
        // label or one starting with `-`; any other byte ends the run after a trailing dot.
        if !is_alnum(i) {
            if i == from || matches!(b.get(i), Some(b'-' | b'.')) {
                return None;
            }
            break;
        }
        top = i;
        i += 1;
        // The rest of the label: letters and digits, with `-` runs only between them.
        loop {
            while is_alnum(i) {
                i += 1;
            }
            if b.get(i) != Some(&b'-') {
                break;
            }
            while b.get(i) == Some(&b'-') {
                i += 1;
            }
            if !is_alnum(i) {
                return None;
            }
        }
        if b.get(i) != Some(&b'.') {
            break;
        }
        i += 1;
    }
    let name = text.get(from..i)?;
    // A run of digits and dots that `ipv4_prefix` refused is no address; as a name, its top
    // label starts with a digit, so it is refused here too.
    let top_ok = name.len() <= 255 && b.get(top).is_some_and(u8::is_ascii_alphabetic);
    top_ok.then_some((Host::Domain(name), i))
}

/// The end of a dotted-quad IPv4 address at `b[from..]` that is the whole run of hostname
/// bytes there (the byte after it is no hostname byte), or `None`.
#[inline]
pub(crate) fn ipv4_prefix(b: &[u8], from: usize) -> Option<usize> {
    let mut i = from;
    for octet in 0..4 {
        if octet > 0 {
            if b.get(i) != Some(&b'.') {
                return None;
            }
            i += 1;
        }
        i = octet_end(b, i)?;
    }
    let continues = b.get(i).is_some_and(|&c| chars::is(c, chars::HOSTNAME));
    (!continues).then_some(i)
}

/// The end of one IPv4 address octet whose digits start at `b[from..]`: one to three digits,
/// at most 255, or `None` (no digit, a fourth digit, or more than 255).
#[inline(always)]
pub(crate) fn octet_end(b: &[u8], from: usize) -> Option<usize> {
    let mut value = 0u16;
    let mut i = from;
    while let Some(&d) = b.get(i).filter(|d| d.is_ascii_digit()) {
        if i - from == 3 {
            return None;
        }
        value = value * 10 + u16::from(d - b'0');
        i += 1;
    }
    (i > from && value <= 255).then_some(i)
}

/// Whether `s` is a dotted-quad IPv4 address (1 to 3 digits per octet, each at most 255).
pub fn is_ipv4(s: &str) -> bool {
    let mut dots = 0;
    let mut digits = 0;
    let mut value = 0u16;
    for b in s.bytes() {
        if b == b'.' {
            if digits == 0 || dots == 3 {
                return false;
            }
            dots += 1;
            digits = 0;
            value = 0;
        } else if b.is_ascii_digit() && digits < 3 {
            digits += 1;
            value = value * 10 + u16::from(b - b'0');
            if value > 255 {
                return false;
            }
        } else {
            return false;
        }
    }
    dots == 3 && digits > 0
}

/// Whether `s` is an IPv6 address per RFC 3986 (as RFC 5954 requires), or the RFC 3261 form
/// `hexpart "::" ":" IPv4address` that RFC 5118 section 4.10 says to tolerate.
pub fn is_ipv6(s: &str) -> bool {
    if is_ipv6_rfc3986(s) {
        return true;
    }
    // RFC 3261 ABNF bug: "2001:db8:::192.0.2.1" = hexpart "2001:db8::" ":" IPv4address.
    match s.rfind(":::") {
        Some(at) => {
            let tail = s.get(at + 3..).unwrap_or("");
            let head = s.get(..at + 2).unwrap_or("");
            is_ipv4(tail) && !head.contains(":::") && is_ipv6_groups(head, 2)
        }
        None => false,
    }
}

fn is_ipv6_rfc3986(s: &str) -> bool {
    if s.len() > 45
        || !s
            .bytes()
            .all(|b| chars::is(b, chars::HEX) || b == b':' || b == b'.')
    {
        return false;
    }
    match s.rfind(':') {
        Some(last) if s.contains('.') => {
            let tail = s.get(last + 1..).unwrap_or("");
            // keep the ':' so "::" before the IPv4 part stays visible
            let head = s.get(..last + 1).unwrap_or("");
            if !is_ipv4(tail) {
                return false;
            }
            let head = if head.ends_with("::") {
                head
            } else {
                head.strip_suffix(':').unwrap_or(head)
            };
            is_ipv6_groups(head, 2)
        }
        Some(_) => is_ipv6_groups(s, 0),
        None => false,
    }
}

/// Whether `s` is 16-bit hex groups separated by `:` with at most one `::`, totalling
/// `8 - reserved` groups (fewer when `::` is present).
fn is_ipv6_groups(s: &str, reserved: usize) -> bool {
    let want = 8 - reserved;
    let group_ok =
        |g: &str| !g.is_empty() && g.len() <= 4 && g.bytes().all(|b| chars::is(b, chars::HEX));
    let count = |part: &str| -> Option<usize> {
        if part.is_empty() {
            return Some(0);
        }
        let mut n = 0;
        for g in part.split(':') {
            if !group_ok(g) {
                return None;
            }
            n += 1;
        }
        Some(n)
    };
    match s.find("::") {
        Some(at) => {
            let left = s.get(..at).unwrap_or("");
            let right = s.get(at + 2..).unwrap_or("");
            if right.contains("::") {
                return false;
            }
            match (count(left), count(right)) {
                (Some(l), Some(r)) => l + r < want,
                _ => false,
            }
        }
        None => count(s) == Some(want),
    }
}

#[cfg(test)]
#[path = "host_tests.rs"]
mod tests;
