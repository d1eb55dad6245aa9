//! Differential tests of the header-section scanner: on generated header sections (known,
//! compact, unknown and malformed names, folds, stray CR/LF, limits) and on every file of the
//! third-party corpus (`$IMFLOW_CORPUS`), [`scan`] reports exactly the rows, head and error
//! of a plain reference that reads a byte at a time and classifies the token run it finds.

use super::*;
use proptest::prelude::*;

/// What a scan reported: the rows in order, then the head, `None` for a partial section, or
/// the error.
type Outcome = (Vec<Row>, Result<Option<Head>, SipError>);

fn fast(buf: &[u8]) -> Outcome {
    let mut rows = Vec::new();
    let result = scan(buf, |row| {
        rows.push(row);
        Ok(())
    })
    .map(|scanned| match scanned {
        Scan::Complete(head) => Some(head),
        Scan::Partial => None,
    });
    (rows, result)
}

/// The line end found a byte at a time, with the same limits and CR/LF rules.
fn plain_line_end(buf: &[u8], pos: usize) -> Result<Option<usize>, SipError> {
    let rest = buf.get(pos..).unwrap_or(&[]);
    let Some(len) = rest.iter().position(|&b| b == b'\r' || b == b'\n') else {
        if rest.len() > SIP_LINE_LENGTH_BYTES_MAX {
            return Err(SipError::new(Rule::LineTooLong, pos));
        }
        return Ok(None);
    };
    let eol = pos + len;
    if len > SIP_LINE_LENGTH_BYTES_MAX {
        return Err(SipError::new(Rule::LineTooLong, pos));
    }
    match (buf[eol], buf.get(eol + 1)) {
        (b'\n', _) => Err(SipError::new(Rule::BareLf, eol)),
        (_, Some(b'\n')) => Ok(Some(eol)),
        (_, Some(_)) => Err(SipError::new(Rule::BareCr, eol)),
        (_, None) => Ok(None),
    }
}

/// A row whose value is `buf[start..end]` with SP, HTAB, CR and LF trimmed off both ends, a
/// byte at a time.
fn plain_finish_row(buf: &[u8], name: Span, start: usize, end: usize, kind: HeaderKind) -> Row {
    let lws = |b: &u8| matches!(b, b' ' | b'\t' | b'\r' | b'\n');
    let value = &buf[start..end];
    let lead = value.iter().take_while(|b| lws(b)).count();
    let trail = value[lead..].iter().rev().take_while(|b| lws(b)).count();
    Row {
        kind,
        name,
        value: Span::new(start + lead, end - trail),
    }
}

fn reference(buf: &[u8]) -> Outcome {
    let mut rows = Vec::new();
    let result = reference_scan(buf, &mut rows);
    (rows, result)
}

fn reference_scan(buf: &[u8], rows: &mut Vec<Row>) -> Result<Option<Head>, SipError> {
    let start = skip_leading_crlf(buf);
    if start > SIP_HEADER_SECTION_BYTES_MAX {
        return Err(SipError::new(Rule::HeaderSectionTooLarge, start));
    }
    let limit = start + SIP_HEADER_SECTION_BYTES_MAX;
    let Some(eol) = plain_line_end(buf, start)? else {
        return Ok(None);
    };
    let start_line = Span::new(start, eol);
    let mut pos = eol + 2;
    let mut budget = Budget::new(eol - start);
    let mut open: Option<(Span, usize, HeaderKind)> = None;
    loop {
        if pos > limit {
            return Err(SipError::new(Rule::HeaderSectionTooLarge, limit));
        }
        let Some(eol) = plain_line_end(buf, pos)? else {
            if buf.len() > limit {
                return Err(SipError::new(Rule::HeaderSectionTooLarge, limit));
            }
            return Ok(None);
        };
        if matches!(buf.get(pos), Some(b' ' | b'\t')) && eol > pos {
            if open.is_none() {
                return Err(SipError::new(Rule::ContinuationWithoutHeader, pos));
            }
            pos = eol + 2;
            continue;
        }
        if let Some((name, value_start, kind)) = open.take() {
            let row = plain_finish_row(buf, name, value_start, pos - 2, kind);
            budget.account(&row)?;
            rows.push(row);
        }
        if eol == pos {
            let end = eol + 2;
            return Ok(Some(Head {
                start,
                start_line,
                end,
            }));
        }
        let line = &buf[pos..eol];
        let name_len = line.iter().take_while(|&&b| chars::is(b, TOKEN)).count();
        if name_len == 0 {
            return Err(SipError::new(Rule::InvalidHeaderName, pos));
        }
        let ws = line[name_len..]
            .iter()
            .take_while(|&&b| b == b' ' || b == b'\t')
            .count();
        match line.get(name_len + ws) {
            Some(b':') => {}
            Some(_) if ws == 0 => {
                return Err(SipError::new(Rule::InvalidHeaderName, pos + name_len))
            }
            _ => return Err(SipError::new(Rule::MissingHeaderColon, pos + name_len + ws)),
        }
        let kind = HeaderKind::from_name_bytes(&line[..name_len]);
        open = Some((
            Span::new(pos, pos + name_len),
            pos + name_len + ws + 1,
            kind,
        ));
        pos = eol + 2;
    }
}

/// Header names: known ones in odd cases, compact forms, unknown, and malformed ones.
const NAMES: &[&str] = &[
    "Via",
    "VIA",
    "v",
    "V",
    "To",
    "t",
    "From",
    "fROM",
    "Call-ID",
    "i",
    "CSeq",
    "Max-Forwards",
    "Content-Type",
    "c",
    "Content-Length",
    "l",
    "L",
    "Contact",
    "Record-Route",
    "Route",
    "P-Preferred-Identity",
    "WWW-Authenticate",
    "Request-Disposition",
    "X-Extension",
    "Vias",
    "Tо",
    "T o",
    "",
    " ",
    "Via\t",
    "Via ",
    "Via  ",
    "Subj@ct",
    "Content-Lengths",
    "z",
    "%",
    "Session-Expires",
    "x",
    "Accept-Contact",
    "Max-Forwards-",
    "ContentLength",
    "Expires",
    "Call-Id",
    "Content-",
    "Max-Forw",
];

/// Value text, folds, stray CR and LF and a line with no colon.
const VALUES: &[&str] = &[
    ": SIP/2.0/UDP 10.0.0.3:5060;branch=z9hG4bK8bc84c9b973841c4",
    ":<sip:alice@alpha.example>;tag=be3ecc08",
    ":   70  ",
    ":",
    ": a\r\n  b ",
    ": a\r\n\t",
    ": 4",
    ": with:colon",
    ": bare\nlf",
    ": bare\rcr",
    " no colon",
    ":\tmessage/cpim\t",
    ": \u{e9}t\u{e9}",
];

fn section() -> impl Strategy<Value = Vec<u8>> {
    let row = (0..NAMES.len(), 0..VALUES.len());
    (
        prop_oneof![
            Just("MESSAGE sip:a@b SIP/2.0"),
            Just("SIP/2.0 200 OK"),
            Just("")
        ],
        0usize..3,
        proptest::collection::vec(row, 0..14),
        prop_oneof![Just("\r\n"), Just(""), Just("\r"), Just("\n")],
        proptest::option::of((0usize..400, any::<u8>())),
    )
        .prop_map(|(start_line, crlfs, rows, end, flip)| {
            let mut out = b"\r\n".repeat(crlfs);
            out.extend_from_slice(start_line.as_bytes());
            out.extend_from_slice(b"\r\n");
            for (name, value) in rows {
                out.extend_from_slice(NAMES[name].as_bytes());
                out.extend_from_slice(VALUES[value].as_bytes());
                out.extend_from_slice(b"\r\n");
            }
            out.extend_from_slice(end.as_bytes());
            out.extend_from_slice(b"body");
            if let Some((at, byte)) = flip {
                let len = out.len();
                out[at % len] = byte;
            }
            out
        })
}

proptest! {
    #[test]
    fn generated_sections_scan_as_the_plain_reference_does(buf in section()) {
        prop_assert_eq!(fast(&buf), reference(&buf));
        for cut in [buf.len() / 3, buf.len() / 2, buf.len() - 1] {
            prop_assert_eq!(fast(&buf[..cut]), reference(&buf[..cut]));
        }
    }

    #[test]
    fn any_bytes_scan_as_the_plain_reference_does(
        buf in proptest::collection::vec(
            prop_oneof![6 => 0x20u8..0x7f, 2 => Just(b'\r'), 2 => Just(b'\n'), 1 => Just(b':')],
            0..200,
        ),
    ) {
        prop_assert_eq!(fast(&buf), reference(&buf));
    }
}

#[test]
fn values_trim_as_the_plain_reference_does_around_the_single_space_nodes_write() {
    for value in [
        " ab", " a", " \tab", "  ab", " ab ", " ab\t", " a b", "ab", " ", "",
    ] {
        let buf = format!("OPTIONS sip:a@b SIP/2.0\r\nSubject:{value}\r\nTo: x\r\n y\r\n\r\n");
        assert_eq!(fast(buf.as_bytes()), reference(buf.as_bytes()), "{value:?}");
    }
}

#[test]
fn sections_at_the_limits_scan_as_the_plain_reference_does() {
    let long_value = "a".repeat(SIP_LINE_LENGTH_BYTES_MAX);
    let mut many = b"OPTIONS sip:a@b SIP/2.0\r\n".to_vec();
    for _ in 0..SIP_HEADER_ROWS_MAX + 1 {
        many.extend_from_slice(b"Via: x\r\n");
    }
    many.extend_from_slice(b"\r\n");
    let long = format!("OPTIONS sip:a@b SIP/2.0\r\nSubject: {long_value}\r\n\r\n").into_bytes();
    let huge = b"\r\n".repeat(SIP_HEADER_SECTION_BYTES_MAX);
    for buf in [many, long, huge] {
        assert_eq!(fast(&buf), reference(&buf));
    }
}

#[test]
fn every_corpus_file_scans_as_the_plain_reference_does() {
    let Some(files) = crate::sip::corpus_files::corpus_files() else {
        return;
    };
    let mut rows = 0usize;
    for (path, bytes) in files {
        let outcome = fast(&bytes);
        assert_eq!(outcome, reference(&bytes), "{}", path.display());
        rows += outcome.0.len();
    }
    assert!(rows > 500, "only {rows} corpus rows");
}

/// Every line that starts with a canonical name, then with one byte of it (or of what follows)
/// replaced or the line cut short: the canonical fast path reads it as the general name
/// reading does, or leaves it to it.
#[test]
fn canonical_names_read_as_the_general_name_reading_does() {
    use crate::sip::canonical_name::{canonical_name, CANONICAL_NAMES};
    let bytes = [
        b':', b' ', b'\t', b'a', b'A', b'-', b'd', b'D', b'x', b'\r', 0xC3,
    ];
    let mut fast_hits = 0usize;
    for (written, _) in CANONICAL_NAMES {
        let line = format!("{written} SIP/2.0/UDP value");
        let line = line.as_bytes();
        let mut check = |candidate: &[u8]| {
            if let Some((len, kind)) = canonical_name(candidate) {
                fast_hits += 1;
                assert_eq!(
                    name_and_colon(candidate, 0),
                    Ok((len, 0, kind)),
                    "{}",
                    String::from_utf8_lossy(candidate)
                );
            }
        };
        for cut in 0..=line.len() {
            check(&line[..cut]);
        }
        for at in 0..written.len() + 2 {
            for &b in &bytes {
                let mut mutated = line.to_vec();
                mutated[at] = b;
                check(&mutated);
                mutated.insert(at, b);
                check(&mutated);
            }
        }
    }
    assert!(fast_hits > 100, "only {fast_hits} lines took the fast path");
}
