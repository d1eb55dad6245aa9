//! Byte classes of the RFC 3261 section 25 grammar as one 256-entry table of bit flags, and a
//! word-at-a-time search for a set of bytes (line ends, list separators; the CPIM line splitter
//! uses it too). Every character test in the codec is a table load.

use crate::ascii_run::alnum_bytes;

/// `token` characters: alphanum and `-.!%*_+`'~`.
pub const TOKEN: u16 = 1;
/// `word` characters (Call-ID): token plus `()<>:\"/[]?{}`.
pub const WORD: u16 = 1 << 1;
/// `unreserved`: alphanum and the marks `-_.!~*'()`.
pub const UNRESERVED: u16 = 1 << 2;
/// Unescaped characters allowed in a SIP URI user part (unreserved + `&=+$,;?/`).
pub const USER: u16 = 1 << 3;
/// Unescaped characters allowed in a SIP URI password (unreserved + `&=+$,`).
pub const PASSWORD: u16 = 1 << 4;
/// Unescaped characters allowed in a URI parameter (unreserved + `[]/:&+$`).
pub const PARAMCHAR: u16 = 1 << 5;
/// Unescaped characters allowed in a URI header name or value (unreserved + `[]/?:+$`).
pub const HNV: u16 = 1 << 6;
/// `uric`: reserved + unreserved (absolute URIs).
pub const URIC: u16 = 1 << 7;
/// Hexadecimal digits.
pub const HEX: u16 = 1 << 8;
/// Characters of a URI scheme after the first (`ALPHA / DIGIT / + / - / .`).
pub const SCHEME: u16 = 1 << 9;
/// Characters of a hostname label (alphanum, `-`) and the `.` between labels.
pub const HOSTNAME: u16 = 1 << 10;
/// Decimal digits.
pub const DIGIT: u16 = 1 << 11;
/// Letters and digits.
pub const ALNUM: u16 = 1 << 12;

const fn build() -> [u16; 256] {
    let mut t = [0u16; 256];
    let mut c = 0usize;
    while c < 256 {
        let b = c as u8;
        let alnum = b.is_ascii_alphanumeric();
        let mut f = 0u16;
        if alnum
            || matches!(
                b,
                b'-' | b'.' | b'!' | b'%' | b'*' | b'_' | b'+' | b'`' | b'\'' | b'~'
            )
        {
            f |= TOKEN;
        }
        if f & TOKEN != 0
            || matches!(
                b,
                b'(' | b')'
                    | b'<'
                    | b'>'
                    | b':'
                    | b'\\'
                    | b'"'
                    | b'/'
                    | b'['
                    | b']'
                    | b'?'
                    | b'{'
                    | b'}'
            )
        {
            f |= WORD;
        }
        let unreserved = alnum
            || matches!(
                b,
                b'-' | b'_' | b'.' | b'!' | b'~' | b'*' | b'\'' | b'(' | b')'
            );
        if unreserved {
            f |= UNRESERVED;
        }
        if unreserved || matches!(b, b'&' | b'=' | b'+' | b'$' | b',' | b';' | b'?' | b'/') {
            f |= USER;
        }
        if unreserved || matches!(b, b'&' | b'=' | b'+' | b'$' | b',') {
            f |= PASSWORD;
        }
        if unreserved || matches!(b, b'[' | b']' | b'/' | b':' | b'&' | b'+' | b'$') {
            f |= PARAMCHAR;
        }
        if unreserved || matches!(b, b'[' | b']' | b'/' | b'?' | b':' | b'+' | b'$') {
            f |= HNV;
        }
        if unreserved
            || matches!(
                b,
                b';' | b'/' | b'?' | b':' | b'@' | b'&' | b'=' | b'+' | b'$' | b','
            )
        {
            f |= URIC;
        }
        if b.is_ascii_hexdigit() {
            f |= HEX;
        }
        if alnum || matches!(b, b'+' | b'-' | b'.') {
            f |= SCHEME;
        }
        if alnum || matches!(b, b'-' | b'.') {
            f |= HOSTNAME;
        }
        if b.is_ascii_digit() {
            f |= DIGIT;
        }
        if alnum {
            f |= ALNUM;
        }
        t[c] = f;
        c += 1;
    }
    t
}

/// The table, for the constants computed from it.
const TABLE: [u16; 256] = build();

static CLASSES: [u16; 256] = TABLE;

/// The classes every letter and digit belongs to: a run of one of them takes a word of
/// letters and digits whole (see [`alnum_bytes`]).
const ALNUM_CLASSES: u16 = {
    let mut shared = u16::MAX;
    let mut c = 0usize;
    while c < 256 {
        if (c as u8).is_ascii_alphanumeric() {
            shared &= TABLE[c];
        }
        c += 1;
    }
    shared
};

/// Whether byte `b` belongs to class `class` (one of the constants above).
#[inline(always)]
pub fn is(b: u8, class: u16) -> bool {
    CLASSES[b as usize] & class != 0
}

/// Index of the first byte of `s` at or after `from` that is not in `class` (a single class
/// bit), or the length. For a class that holds every letter and digit, eight bytes a step
/// while all are letters and digits (tags, branches, Call-IDs and host labels are mostly such
/// runs), which for [`ALNUM`] is the whole answer; then one table load per byte.
#[inline(always)]
pub fn run(s: &[u8], from: usize, class: u16) -> usize {
    let rest = s.get(from..).unwrap_or_default();
    let mut at = 0;
    if class & ALNUM_CLASSES == class {
        // Whole words only: one length test a word.
        for word in rest.chunks_exact(8) {
            let Ok(word) = <[u8; 8]>::try_from(word) else {
                break;
            };
            let others = !alnum_bytes(u64::from_le_bytes(word)) & HI;
            if others != 0 {
                at += (others.trailing_zeros() / 8) as usize;
                if class == ALNUM {
                    return from + at;
                }
                break;
            }
            at += 8;
        }
    }
    let tail = rest.get(at..).unwrap_or_default();
    from + at
        + tail
            .iter()
            .position(|&b| !is(b, class))
            .unwrap_or(tail.len())
}

/// Letters and digits in a token this project's nodes write: a 64-bit draw in hex (tags,
/// branch suffixes, the left part of Call-IDs).
pub const NODE_TOKEN_LEN: usize = 16;

/// [`run`], first trying the run nodes write when `class` holds every letter and digit: when
/// the [`NODE_TOKEN_LEN`] bytes at `from` are letters and digits and the byte after them is not
/// in `class`, the run is those bytes (two word tests and one byte test, where [`run`] takes
/// three word tests and a byte loop); any other text gets [`run`]'s answer.
#[inline(always)]
pub fn run_node_token(s: &[u8], from: usize, class: u16) -> usize {
    let token = s
        .get(from..)
        .and_then(<[u8]>::first_chunk::<{ NODE_TOKEN_LEN + 1 }>);
    if let (true, Some(token)) = (class & ALNUM_CLASSES == class, token) {
        let (words, after) = token.split_at(NODE_TOKEN_LEN);
        let (low, high) = words.split_at(8);
        if let (Ok(low), Ok(high), [after]) =
            (<[u8; 8]>::try_from(low), <[u8; 8]>::try_from(high), after)
        {
            let letters_and_digits =
                alnum_bytes(u64::from_le_bytes(low)) & alnum_bytes(u64::from_le_bytes(high));
            if letters_and_digits == HI && !is(*after, class) {
                return from + NODE_TOKEN_LEN;
            }
        }
    }
    run(s, from, class)
}

/// Whether every byte of `s` belongs to `class` and `s` is not empty.
#[inline]
pub fn all(s: &[u8], class: u16) -> bool {
    !s.is_empty() && s.iter().all(|&b| is(b, class))
}

/// Whether `b` is linear white space inside a header value: SP, HTAB, or the CR/LF of a fold
/// (framing guarantees that a CR or LF inside a value is always part of a fold).
#[inline(always)]
pub fn is_lws(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\r' | b'\n')
}

/// Index of the first byte of `s` that is one of `set` (eight bytes at a time, see
/// [`find_of`]: faster than `str::find` with a char array, which decodes UTF-8).
#[inline]
pub fn find_any<const N: usize>(s: &str, set: &[u8; N]) -> Option<usize> {
    find_of(s.as_bytes(), 0, set)
}

/// Index of the first `byte` in `s`. Header fields are short, and for them a byte loop beats
/// `str::find(char)`, whose searcher set-up dominates on a few dozen bytes.
#[inline]
pub fn find_byte(s: &str, byte: u8) -> Option<usize> {
    find_of(s.as_bytes(), 0, &[byte])
}

/// Whether every byte of `s` is in `class` or part of a `%HH` escape (empty allowed).
/// Returns the offset of the first offending byte.
pub fn check_escaped(s: &[u8], class: u16) -> Result<(), usize> {
    let mut i = 0;
    while i < s.len() {
        let b = s[i];
        if b == b'%' {
            let ok = matches!(s.get(i + 1..i + 3), Some(h) if is(h[0], HEX) && is(h[1], HEX));
            if !ok {
                return Err(i);
            }
            i += 3;
        } else if is(b, class) {
            i += 1;
        } else {
            return Err(i);
        }
    }
    Ok(())
}

const LO: u64 = 0x0101_0101_0101_0101;
const HI: u64 = 0x8080_8080_8080_8080;

/// The high bit of every zero byte of `x` (and possibly of bytes above one, through the
/// borrow): the lowest flagged byte is always a real zero byte.
#[inline(always)]
fn has_zero(x: u64) -> u64 {
    x.wrapping_sub(LO) & !x & HI
}

/// The high bit of every byte of `word` below 0x0E (CR, LF, HTAB and other controls), and
/// possibly of bytes above one, through the borrow: the lowest flagged byte is always exact.
#[inline(always)]
pub(crate) fn controls(word: [u8; 8]) -> u64 {
    /// Bytes below this are flagged: `\r` (0x0D) is the largest byte looked for.
    const BELOW: u64 = LO * 0x0E;
    let word = u64::from_le_bytes(word);
    word.wrapping_sub(BELOW) & !word & HI
}

/// Index of the first CR or LF in `s` at or after `from`, sixteen bytes at a time: one test
/// per pair of words flags the bytes below 0x0E (CR, LF, HTAB and other controls, rare in
/// SIP), and only a flagged byte is looked at. A header line is a few dozen bytes, so the
/// pairs halve the loop's tests and branches over one word at a time.
#[inline]
pub fn find_line_end(s: &[u8], from: usize) -> Option<usize> {
    let mut i = from;
    loop {
        let rest = s.get(i..)?;
        let (at, step) = if let Some(pair) = rest.first_chunk::<16>() {
            let (low, high) = pair.split_at(8);
            let low = controls(low.try_into().unwrap_or_default());
            let high = controls(high.try_into().unwrap_or_default());
            if low | high == 0 {
                i += 16;
                continue;
            }
            let bit = if low != 0 {
                low.trailing_zeros()
            } else {
                64 + high.trailing_zeros()
            };
            ((bit / 8) as usize, 0)
        } else if let Some(word) = rest.first_chunk::<8>() {
            let hit = controls(*word);
            if hit == 0 {
                (0, 8)
            } else {
                ((hit.trailing_zeros() / 8) as usize, 0)
            }
        } else {
            return rest
                .iter()
                .position(|&b| b == b'\r' || b == b'\n')
                .map(|p| i + p);
        };
        if step != 0 {
            i += step;
            continue;
        }
        if matches!(rest.get(at), Some(b'\r' | b'\n')) {
            return Some(i + at);
        }
        i += at + 1;
    }
}

/// Index of the first byte of `s` at or after `from` that is one of `set`, eight bytes at a
/// time: each word is tested for every byte of the set at once (the lowest hit of
/// [`has_zero`] is exact, so the first match is found), then the tail byte by byte.
#[inline(always)]
pub fn find_of<const N: usize>(s: &[u8], from: usize, set: &[u8; N]) -> Option<usize> {
    // Each byte of the set repeated in every lane, computed once per search.
    let splats = set.map(|b| LO * u64::from(b));
    let mut i = from;
    while let Some(chunk) = s.get(i..i + 8) {
        let mut w = [0u8; 8];
        w.copy_from_slice(chunk);
        let word = u64::from_le_bytes(w);
        let hit = splats
            .iter()
            .fold(0, |hit, &splat| hit | has_zero(word ^ splat));
        if hit != 0 {
            return Some(i + (hit.trailing_zeros() / 8) as usize);
        }
        i += 8;
    }
    // `<[u8]>::contains` would call memchr once per byte here: compare with the set directly.
    s.get(i..)?
        .iter()
        .position(|&b| set.iter().fold(false, |hit, &x| hit | (x == b)))
        .map(|p| i + p)
}

#[cfg(test)]
#[path = "chars_tests.rs"]
mod tests;
