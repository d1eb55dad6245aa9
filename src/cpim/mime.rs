//! MIME header sections (RFC 2045, RFC 5322 syntax) of the CPIM encapsulated entity and of
//! multipart body parts.
//!
//! Profile: names are tokens compared case-insensitively, `Name ":" *WSP value`, CRLF line
//! ends, no folding (continuation lines are refused rather than joined, so every header value
//! is one borrowed slice), no control characters except HTAB. Surrounding whitespace of the
//! value is not part of it.

use super::error::MimeFault;
use super::grammar::first_non_printable_ascii;
use super::limits::{HEADER_LINE_BYTES_MAX, MIME_HEADER_COUNT_MAX};
use crate::sip::chars::find_of;

/// One MIME header of an encapsulated entity or multipart part, borrowed from the input.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MimeHeader<'a> {
    /// Header name as written (compare with `eq_ignore_ascii_case`).
    pub name: &'a str,
    /// Header value without surrounding whitespace.
    pub value: &'a str,
    /// Byte offset of the header line in the input.
    pub offset: usize,
}

/// One CRLF-terminated line: its bytes (without CRLF), where it starts, where the next begins.
pub(crate) struct Line<'a> {
    pub text: &'a [u8],
    pub start: usize,
    pub next: usize,
}

/// Why a line could not be cut out of the input.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum LineFault {
    TooLong,
    BareLf,
    Unterminated,
}

/// Cuts the CRLF-terminated line that starts at `start`, looking at most `max_bytes + 2` bytes
/// ahead so a huge line costs no more than the limit (a line found in that window has at most
/// `max_bytes` bytes before its CRLF).
pub(crate) fn next_line(
    input: &[u8],
    start: usize,
    max_bytes: usize,
) -> Result<Line<'_>, (LineFault, usize)> {
    let rest = input.get(start..).unwrap_or_default();
    let window = &rest[..rest.len().min(max_bytes.saturating_add(2))];
    match find_of(window, 0, b"\n") {
        None if rest.len() > max_bytes.saturating_add(1) => {
            Err((LineFault::TooLong, start + max_bytes))
        }
        None => Err((LineFault::Unterminated, input.len())),
        Some(0) => Err((LineFault::BareLf, start)),
        Some(lf) if window.get(lf - 1) != Some(&b'\r') => Err((LineFault::BareLf, start + lf)),
        Some(lf) => Ok(Line {
            text: &window[..lf - 1],
            start,
            next: start + lf + 1,
        }),
    }
}

fn is_mime_name_char(b: u8) -> bool {
    b.is_ascii_graphic() && b != b':'
}

/// Parses the MIME header section that starts at `start`, up to and including its blank line.
/// Returns the headers and the offset of the first byte after the blank line.
pub(crate) fn parse_headers(
    input: &[u8],
    start: usize,
) -> Result<(Vec<MimeHeader<'_>>, usize), (MimeFault, usize)> {
    parse_headers_in(input, "", start)
}

/// [`parse_headers`] where `checked` is a prefix of `input` already known to be UTF-8: a line
/// inside it is not checked again (it starts after an LF and ends before a CR, both character
/// boundaries); any other line is checked on its own. Same headers, faults and offsets.
pub(crate) fn parse_headers_in<'a>(
    input: &'a [u8],
    checked: &'a str,
    start: usize,
) -> Result<(Vec<MimeHeader<'a>>, usize), (MimeFault, usize)> {
    read_headers(input, checked, start, true)
}

/// [`parse_headers`] by the general reader alone: what the one-pass line reader is checked
/// against.
#[cfg(test)]
fn parse_headers_by_rule(
    input: &[u8],
    start: usize,
) -> Result<(Vec<MimeHeader<'_>>, usize), (MimeFault, usize)> {
    read_headers(input, "", start, false)
}

/// The headers from `start`, each line tried first by [`plain_header_at`] when `plain_first`.
fn read_headers<'a>(
    input: &'a [u8],
    checked: &'a str,
    start: usize,
    plain_first: bool,
) -> Result<(Vec<MimeHeader<'a>>, usize), (MimeFault, usize)> {
    let mut headers = Vec::new();
    let mut pos = start;
    loop {
        let plain = match plain_first {
            true => plain_header_at(input, checked, pos),
            false => None,
        };
        if let Some((header, next)) = plain {
            if headers.len() == MIME_HEADER_COUNT_MAX {
                return Err((MimeFault::TooManyHeaders, pos));
            }
            headers.push(header);
            pos = next;
            continue;
        }
        let line = next_line(input, pos, HEADER_LINE_BYTES_MAX).map_err(|(fault, at)| {
            let fault = match fault {
                LineFault::TooLong => MimeFault::HeaderLineTooLong,
                LineFault::BareLf => MimeFault::BareLf,
                LineFault::Unterminated => MimeFault::Unterminated,
            };
            (fault, at)
        })?;
        if line.text.is_empty() {
            return Ok((headers, line.next));
        }
        if headers.len() == MIME_HEADER_COUNT_MAX {
            return Err((MimeFault::TooManyHeaders, line.start));
        }
        headers.push(parse_header_line(&line, checked)?);
        pos = line.next;
    }
}

/// The header line at `pos` read in one pass when it is printable ASCII ending in CRLF within
/// the line limit, starts with its name and has a colon: what the general reader gives for
/// that line, with the next line's offset. `None` for any other line (the blank line
/// included), which the general reader then reads. A line inside `checked` is cut from it; a
/// line past it is printable ASCII, so UTF-8, and is turned into text on its own.
fn plain_header_at<'a>(
    input: &'a [u8],
    checked: &'a str,
    pos: usize,
) -> Option<(MimeHeader<'a>, usize)> {
    let len = first_non_printable_ascii(input.get(pos..)?)?;
    let end = pos + len;
    if len == 0 || len > HEADER_LINE_BYTES_MAX || input.get(end..end + 2) != Some(b"\r\n") {
        return None;
    }
    let line = match checked.get(pos..end) {
        Some(text) => text,
        None => std::str::from_utf8(input.get(pos..end)?).ok()?,
    };
    // Printable ASCII has no HTAB, so a folded line starts with SP and a name byte is any
    // byte but SP and the colon.
    let colon = line.bytes().position(|b| b == b':' || b == b' ')?;
    if colon == 0 || line.as_bytes().get(colon) != Some(&b':') {
        return None;
    }
    let value = line.get(colon + 1..)?.as_bytes();
    let lead = value.iter().take_while(|&&b| b == b' ').count();
    let trail = value.iter().rev().take_while(|&&b| b == b' ').count();
    // An all-blank value trims to the empty text at its start, as `trim_matches` gives it.
    let (lead, value_end) = match lead == value.len() {
        true => (0, 0),
        false => (lead, value.len() - trail),
    };
    Some((
        MimeHeader {
            name: line.get(..colon)?,
            value: line.get(colon + 1 + lead..colon + 1 + value_end)?,
            offset: pos,
        },
        end + 2,
    ))
}

fn parse_header_line<'a>(
    line: &Line<'a>,
    checked: &'a str,
) -> Result<MimeHeader<'a>, (MimeFault, usize)> {
    if matches!(line.text.first(), Some(b' ' | b'\t')) {
        return Err((MimeFault::FoldedHeader, line.start));
    }
    let text = match checked.get(line.start..line.start + line.text.len()) {
        Some(text) => text,
        None => std::str::from_utf8(line.text)
            .map_err(|e| (MimeFault::InvalidCharacter, line.start + e.valid_up_to()))?,
    };
    if let Some(at) = first_control_but_tab(text) {
        return Err((MimeFault::InvalidCharacter, line.start + at));
    }
    let colon = text
        .bytes()
        .position(|b| b == b':')
        .ok_or((MimeFault::MissingColon, line.start))?;
    let name = &text[..colon];
    if name.is_empty() || !name.bytes().all(is_mime_name_char) {
        return Err((MimeFault::InvalidHeaderName, line.start));
    }
    let value = text[colon + 1..].trim_matches(|c| c == ' ' || c == '\t');
    Ok(MimeHeader {
        name,
        value,
        offset: line.start,
    })
}

/// Offset of the first control character other than HTAB in `text`. Printable ASCII is
/// skipped a word at a time; characters are decoded only where a byte needs a closer look.
fn first_control_but_tab(text: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut from = 0;
    loop {
        let at = from + first_non_printable_ascii(bytes.get(from..)?)?;
        let c = text.get(at..)?.chars().next()?;
        if c.is_control() && c != '\t' {
            return Some(at);
        }
        from = at + c.len_utf8();
    }
}

/// The first header with this name (ASCII case-insensitive).
pub fn find<'h, 'a>(headers: &'h [MimeHeader<'a>], name: &str) -> Option<&'h MimeHeader<'a>> {
    headers.iter().find(|h| h.name.eq_ignore_ascii_case(name))
}

/// Checks every `Content-Length` header against the real content length.
pub(crate) fn check_content_length(
    headers: &[MimeHeader<'_>],
    content_len: usize,
) -> Result<(), (MimeFault, usize)> {
    for h in headers
        .iter()
        .filter(|h| h.name.eq_ignore_ascii_case("Content-Length"))
    {
        let declared = parse_decimal(h.value).ok_or((MimeFault::InvalidContentLength, h.offset))?;
        if declared != content_len {
            return Err((MimeFault::ContentLengthMismatch, h.offset));
        }
    }
    Ok(())
}

fn parse_decimal(s: &str) -> Option<usize> {
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

/// The media type of a `Content-Type` value (`type/subtype`, before any parameter), trimmed.
pub fn media_type(content_type: &str) -> &str {
    content_type.split(';').next().unwrap_or_default().trim()
}

/// The value of parameter `name` (case-insensitive) in a MIME header value such as
/// `multipart/mixed; boundary="agg-7f3e"`, with surrounding quotes removed.
pub fn parameter<'v>(value: &'v str, name: &str) -> Option<&'v str> {
    let mut rest = value.split_once(';')?.1;
    loop {
        let (key, after) = rest.split_once('=')?;
        let after = after.trim_start();
        let (raw, next) = if let Some(quoted) = after.strip_prefix('"') {
            let end = quoted.find('"')?;
            let tail = &quoted[end + 1..];
            (&quoted[..end], tail.split_once(';').map(|(_, t)| t))
        } else {
            match after.split_once(';') {
                Some((v, t)) => (v.trim_end(), Some(t)),
                None => (after.trim_end(), None),
            }
        };
        if key.trim().eq_ignore_ascii_case(name) {
            return Some(raw);
        }
        rest = next?;
    }
}

#[cfg(test)]
mod tests;
