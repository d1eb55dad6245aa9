//! Content-Length rows read while framing (RFC 3261 section 20.14): the first value, and a
//! second row that disagrees. A value of a few plain digits, the only form this project's nodes
//! write, is read without the general number parser; anything else goes through it, so the
//! verdict (value, rule and offset) is the general parser's for every value.

use super::error::{Rule, SipError};
use super::framing::Row;
use super::scalars;
use crate::limits::SIP_BODY_BYTES_MAX;

/// Digits in a Content-Length value the fast reading takes: six digits stay below
/// `SIP_BODY_BYTES_MAX`, so such a value is never too large.
const PLAIN_CONTENT_LENGTH_DIGITS_MAX: usize = 6;
const _: () = assert!(999_999 <= SIP_BODY_BYTES_MAX);

/// A Content-Length value of 1 to 6 digits and nothing else, read without the general parser
/// (whose verdict on such a value is always that number); `None` for anything else.
#[inline]
fn plain_content_length(value: &[u8]) -> Option<usize> {
    if value.is_empty() || value.len() > PLAIN_CONTENT_LENGTH_DIGITS_MAX {
        return None;
    }
    value.iter().try_fold(0usize, |n, &d| {
        d.is_ascii_digit().then(|| n * 10 + usize::from(d - b'0'))
    })
}

/// Tracks Content-Length rows while scanning: the first value, and disagreement.
#[derive(Debug, Default)]
pub(crate) struct ContentLength {
    pub value: Option<usize>,
}

impl ContentLength {
    /// Reads a Content-Length row; a second row must agree with the first. Inlined: both
    /// framings call it once per message, on a value of a few digits.
    #[inline]
    pub fn see(&mut self, buf: &[u8], row: &Row) -> Result<(), SipError> {
        let bytes = buf.get(row.value.range()).unwrap_or(&[]);
        let n = match plain_content_length(bytes) {
            Some(n) => n,
            None => {
                let text = std::str::from_utf8(bytes).map_err(|_| {
                    SipError::new(Rule::InvalidContentLength, row.value.start as usize)
                })?;
                scalars::parse_content_length(text, row.value.start as usize, SIP_BODY_BYTES_MAX)?
            }
        };
        match self.value {
            Some(first) if first != n => Err(SipError::new(
                Rule::ContentLengthConflict,
                row.name.start as usize,
            )),
            _ => {
                self.value = Some(n);
                Ok(())
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_plain_content_length_reads_as_the_general_parser_reads_it() {
        let alphabet = [b'0', b'1', b'9', b' ', b'-', b'x'];
        let mut values = vec![Vec::new()];
        for _ in 0..7 {
            values = values
                .iter()
                .flat_map(|v| {
                    alphabet.iter().map(move |&c| {
                        let mut longer = v.clone();
                        longer.push(c);
                        longer
                    })
                })
                .collect();
            for value in &values {
                let Some(n) = plain_content_length(value) else {
                    continue;
                };
                let text = std::str::from_utf8(value).unwrap();
                let general = scalars::parse_content_length(text, 0, SIP_BODY_BYTES_MAX);
                assert_eq!(general, Ok(n), "{text:?}");
            }
        }
        assert_eq!(plain_content_length(b"309"), Some(309));
        assert_eq!(plain_content_length(b"0000001"), None);
    }
}
