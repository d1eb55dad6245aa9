//! The header names every element writes, recognised at the start of a header line in their
//! RFC 3261 spelling with the colon and one SP right after them (`Via: `, `Call-ID: `,
//! `Content-Length: `): one load of the line's first eight bytes, a branch on the first byte
//! and one or two masked word compares, instead of a search for the colon and a lookup of the
//! name before it. The SP is the one the plain framing wants after every colon, checked here
//! within the words already loaded (for the names of seven bytes, as one more byte).
//!
//! A line that starts so is read by the general name reading exactly the same way: the first
//! colon is the one after the name (no canonical name holds a colon), no SP/HTAB stands before
//! it, and the name is the one [`HeaderKind::from_name_bytes`] classifies as that kind (the
//! tests check every entry). Any other line, including the same names in another case or
//! compact form, or with no SP after the colon, gets `None` and is read by the general path.

use super::header_name::HeaderKind;

/// Up to eight bytes of a name (with its colon) as a little-endian word and the mask of the
/// bytes it covers.
#[derive(Clone, Copy)]
struct Word {
    bits: u64,
    mask: u64,
}

/// `text` (at most eight bytes) as a [`Word`], at compile time.
const fn word(text: &[u8]) -> Word {
    let mut bits = 0u64;
    let mut mask = 0u64;
    let mut i = 0;
    while i < text.len() {
        bits |= (text[i] as u64) << (i * 8);
        mask |= 0xFF << (i * 8);
        i += 1;
    }
    Word { bits, mask }
}

impl Word {
    /// Whether the line word `line` starts with this word's bytes.
    #[inline(always)]
    fn starts(self, line: u64) -> bool {
        line & self.mask == self.bits
    }
}

const VIA: Word = word(b"Via: ");
const FROM: Word = word(b"From: ");
const TO: Word = word(b"To: ");
const CSEQ: Word = word(b"CSeq: ");
const CALL_ID: Word = word(b"Call-ID:");
const CONTACT: Word = word(b"Contact:");
const CONTENT_: Word = word(b"Content-");
const TYPE: Word = word(b"Type: ");
const LENGTH: Word = word(b"Length: ");
const MAX_FORW: Word = word(b"Max-Forw");
const ARDS: Word = word(b"ards: ");
const EXPIRES: Word = word(b"Expires:");

/// Every name [`canonical_name`] recognises, as written with its colon, and its kind (for the
/// tests that hold it to the general reading).
#[cfg(test)]
pub(crate) const CANONICAL_NAMES: [(&str, HeaderKind); 10] = [
    ("Via:", HeaderKind::Via),
    ("From:", HeaderKind::From),
    ("To:", HeaderKind::To),
    ("CSeq:", HeaderKind::CSeq),
    ("Call-ID:", HeaderKind::CallId),
    ("Contact:", HeaderKind::Contact),
    ("Content-Type:", HeaderKind::ContentType),
    ("Content-Length:", HeaderKind::ContentLength),
    ("Max-Forwards:", HeaderKind::MaxForwards),
    ("Expires:", HeaderKind::Expires),
];

/// The word at `line[at..at + 8]`, or `None` when the line is shorter.
#[inline(always)]
fn word_at(line: &[u8], at: usize) -> Option<u64> {
    let chunk = line.get(at..)?.first_chunk::<8>()?;
    Some(u64::from_le_bytes(*chunk))
}

/// Whether the byte after a name of seven bytes and its colon is an SP.
#[inline(always)]
fn sp_at_eight(line: &[u8]) -> bool {
    line.get(8) == Some(&b' ')
}

/// `(name length, kind)` when `line` starts with a canonical name, its colon and one SP and
/// is at least eight bytes long (sixteen for the names longer than seven), else `None`.
#[inline(always)]
pub(crate) fn canonical_name(line: &[u8]) -> Option<(usize, HeaderKind)> {
    canonical_name_then(line, |len, kind| Some((len, kind)))
}

/// `then(name length, kind)` when `line` starts with a canonical name (see
/// [`canonical_name`]), else `None`. `then` is called in the branch that matched the name,
/// with its length and kind as constants, so that an inlined `then` is compiled once per
/// name, for that name alone.
#[inline(always)]
pub(crate) fn canonical_name_then<T>(
    line: &[u8],
    mut then: impl FnMut(usize, HeaderKind) -> Option<T>,
) -> Option<T> {
    let head = word_at(line, 0)?;
    match head as u8 {
        b'V' if VIA.starts(head) => then(3, HeaderKind::Via),
        b'F' if FROM.starts(head) => then(4, HeaderKind::From),
        b'T' if TO.starts(head) => then(2, HeaderKind::To),
        b'C' => {
            if CSEQ.starts(head) {
                then(4, HeaderKind::CSeq)
            } else if head == CALL_ID.bits && sp_at_eight(line) {
                then(7, HeaderKind::CallId)
            } else if head == CONTENT_.bits {
                let tail = word_at(line, 8)?;
                if TYPE.starts(tail) {
                    then(12, HeaderKind::ContentType)
                } else if LENGTH.starts(tail) {
                    then(14, HeaderKind::ContentLength)
                } else {
                    None
                }
            } else if head == CONTACT.bits && sp_at_eight(line) {
                then(7, HeaderKind::Contact)
            } else {
                None
            }
        }
        b'M' if head == MAX_FORW.bits && ARDS.starts(word_at(line, 8)?) => {
            then(12, HeaderKind::MaxForwards)
        }
        b'E' if head == EXPIRES.bits && sp_at_eight(line) => then(7, HeaderKind::Expires),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_canonical_name_is_the_kind_the_general_classifier_gives() {
        for (written, kind) in CANONICAL_NAMES {
            let name = &written.as_bytes()[..written.len() - 1];
            assert_eq!(HeaderKind::from_name_bytes(name), kind, "{written}");
            let line = format!("{written} value-long-enough");
            assert_eq!(
                canonical_name(line.as_bytes()),
                Some((name.len(), kind)),
                "{written}"
            );
        }
    }

    #[test]
    fn other_spellings_and_short_lines_are_left_to_the_general_reading() {
        for line in [
            "VIA: SIP/2.0/UDP h",
            "via: SIP/2.0/UDP h",
            "Via : SIP/2.0/UDP h",
            "v: SIP/2.0/UDP h",
            "Call-Id: abcdefgh",
            "Content-type: text/plain",
            "Content-Lengths: 4",
            "Content-Disposition: x",
            "Max-Forwards : 70",
            "Vias: x",
            "Via:",
            "To:<a>",
            "Content-Type:",
            "Via:SIP/2.0/UDP h",
            "Via:\tSIP/2.0/UDP h",
            "CSeq:1 MESSAGE",
            "Call-ID:abcdefgh",
            "Call-ID:\tabcdefgh",
            "Contact:<sip:a@b>",
            "Expires:3600",
            "Content-Length:0 ",
            "Max-Forwards:70 ",
            "Content-Type:message/cpim",
            "MIME-Version: 1.0",
            "Min-Expires: 3600",
            "Max-Breadth: 60",
            "Event: presence",
            "Error-Info: <sip:e@h>",
            "Cseqs: 1 MESSAGE",
        ] {
            assert_eq!(canonical_name(line.as_bytes()), None, "{line}");
        }
    }
}
