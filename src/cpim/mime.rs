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
    let mut headers = Vec::new();
    let mut pos = start;
    loop {
        if let Some((header, next)) = plain_header_at(checked, pos) {
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

/// The header line at `pos` read in one pass when it lies in `checked`, is printable ASCII
/// ending in CRLF within the line limit, starts with its name and has a colon: what the
/// general reader gives for that line, with the next line's offset. `None` for any other line
/// (the blank line included), which the general reader then reads.
fn plain_header_at(checked: &str, pos: usize) -> Option<(MimeHeader<'_>, usize)> {
    let bytes = checked.as_bytes();
    let len = first_non_printable_ascii(bytes.get(pos..)?)?;
    let end = pos + len;
    if len == 0 || len > HEADER_LINE_BYTES_MAX || bytes.get(end..end + 2) != Some(b"\r\n") {
        return None;
    }
    let line = bytes.get(pos..end)?;
    // Printable ASCII has no HTAB, so a folded line starts with SP and a name byte is any
    // byte but SP and the colon.
    let colon = line.iter().position(|&b| b == b':' || b == b' ')?;
    if colon == 0 || line.get(colon) != Some(&b':') {
        return None;
    }
    let value = line.get(colon + 1..)?;
    let lead = value.iter().take_while(|&&b| b == b' ').count();
    let trail = value.iter().rev().take_while(|&&b| b == b' ').count();
    // An all-blank value trims to the empty text at its start, as `trim_matches` gives it.
    let (lead, value_end) = match lead == value.len() {
        true => (0, 0),
        false => (lead, value.len() - trail),
    };
    Some((
        MimeHeader {
            name: checked.get(pos..pos + colon)?,
            value: checked.get(pos + colon + 1 + lead..pos + colon + 1 + value_end)?,
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
mod tests {
    use super::*;

    #[test]
    fn headers_end_at_the_blank_line() {
        let input = b"Content-type: text/plain;charset=utf-8\r\nContent-length: 2\r\n\r\n  ";
        let (headers, body) = parse_headers(input, 0).unwrap();
        assert_eq!(headers.len(), 2);
        assert_eq!(headers[0].value, "text/plain;charset=utf-8");
        assert_eq!(&input[body..], b"  ");
        assert!(check_content_length(&headers, 2).is_ok());
        assert_eq!(
            check_content_length(&headers, 3),
            Err((MimeFault::ContentLengthMismatch, 40))
        );
    }

    #[test]
    fn controls_other_than_tab_are_found_past_tabs_and_non_ascii_text() {
        for (text, at) in [
            ("Content-Type: text/plain", None),
            ("X:\tv\tw", None),
            ("X: caf\u{e9} \u{85}", Some(9)),
            ("X: \u{e9}\t\u{7f}", Some(6)),
            ("X: a\u{0}", Some(4)),
        ] {
            let plain = text.find(|c: char| c.is_control() && c != '\t');
            assert_eq!(plain, at, "{text:?}");
            assert_eq!(first_control_but_tab(text), at, "{text:?}");
        }
    }

    proptest::proptest! {
        #[test]
        fn a_prefix_known_to_be_utf8_changes_no_header_fault_or_offset(
            pieces in proptest::collection::vec(
                proptest::prop_oneof![
                    proptest::strategy::Just(&b"\r\n"[..]),
                    proptest::strategy::Just(&b"X: v"[..]),
                    proptest::strategy::Just(&b"Content-Type: a/b"[..]),
                    proptest::strategy::Just(&b"\xc3\xa9"[..]),
                    proptest::strategy::Just(&b"\xc3"[..]),
                    proptest::strategy::Just(&b"\xff"[..]),
                    proptest::strategy::Just(&b"\t"[..]),
                    proptest::strategy::Just(&b"\n"[..]),
                    proptest::strategy::Just(&b" "[..]),
                ],
                0..16,
            ),
            cut in 0usize..64,
        ) {
            let input = pieces.concat();
            // Every UTF-8 prefix the caller may know of, up to the longest.
            let longest = match std::str::from_utf8(&input) {
                Ok(text) => text.len(),
                Err(e) => e.valid_up_to(),
            };
            let known = std::str::from_utf8(&input[..cut.min(longest)]).unwrap_or("");
            proptest::prop_assert_eq!(parse_headers_in(&input, known, 0), parse_headers(&input, 0));
        }
    }

    /// `input` read with and without its UTF-8 prefix known, so by the one-pass line reader
    /// where it applies and by the general reader alone.
    fn both_readings_agree(input: &[u8]) {
        let known = match std::str::from_utf8(input) {
            Ok(text) => text,
            Err(e) => std::str::from_utf8(&input[..e.valid_up_to()]).unwrap_or(""),
        };
        assert_eq!(
            parse_headers_in(input, known, 0),
            parse_headers(input, 0),
            "{:?}",
            String::from_utf8_lossy(input)
        );
    }

    #[test]
    fn the_one_pass_line_reader_agrees_on_every_byte_in_every_place_of_real_sections() {
        for base in [
            "Content-Type: text/plain\r\n\r\nhi",
            "Content-type: message/imdn+xml\r\nContent-Disposition: notification\r\n\
             Content-Length: 2\r\n\r\nhi",
            "X:  v  \r\nY:\r\nZ: \r\n\r\n",
        ] {
            assert!(plain_header_at(base, 0).is_some(), "{base:?}");
            for text in crate::cpim::one_more_byte::with_one_more_byte(base) {
                both_readings_agree(text.as_bytes());
            }
        }
        // One header too many is refused at the same line either way.
        both_readings_agree("X: v\r\n".repeat(MIME_HEADER_COUNT_MAX + 1).as_bytes());
    }

    #[test]
    fn the_one_pass_line_reader_agrees_from_every_line_of_the_real_world_corpus() {
        let Some(files) = crate::sip::corpus_files::corpus_files() else {
            return;
        };
        for (_, bytes) in files {
            for rest in crate::sip::corpus_files::from_each_line_start(&bytes) {
                both_readings_agree(rest);
            }
        }
    }

    #[test]
    fn folded_mime_header_is_refused() {
        let input = b"Content-Type: text/plain;\r\n charset=utf-8\r\n\r\n";
        assert_eq!(
            parse_headers(input, 0).unwrap_err().0,
            MimeFault::FoldedHeader
        );
    }

    #[test]
    fn bare_lf_is_refused_at_its_offset() {
        assert_eq!(parse_headers(b"A: b\n\r\n", 0), Err((MimeFault::BareLf, 4)));
    }

    #[test]
    fn boundary_parameter_is_found_quoted_or_not() {
        let ct = "multipart/mixed; charset=x; boundary=\"agg-7f3e\"";
        assert_eq!(parameter(ct, "Boundary"), Some("agg-7f3e"));
        assert_eq!(
            parameter("multipart/mixed;boundary=abc", "boundary"),
            Some("abc")
        );
        assert_eq!(parameter("text/plain", "boundary"), None);
        assert_eq!(media_type(ct), "multipart/mixed");
    }
}
