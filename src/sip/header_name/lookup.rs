//! The lookup of a full header name (RFC 3261 section 25.1: `header-name = token`, compared
//! case-insensitively) in [`TABLE`]: a bucket by name length and first letter, then in the
//! bucket a compare of a few machine words per row instead of a byte loop.

use super::table::TABLE;
use super::HeaderKind;
/// Longest known header name, in bytes.
pub(super) const NAME_LENGTH_MAX: usize = 20;

/// Slots per name length in `BY_KEY`: one per first letter `a`..`z`.
const LETTERS: usize = 26;

/// For each (name length, first letter), the range of `TABLE` rows with both.
static BY_KEY: [(u8, u8); (NAME_LENGTH_MAX + 1) * LETTERS] = by_key();

const fn key(len: usize, first: u8) -> usize {
    len * LETTERS + (first.to_ascii_lowercase().wrapping_sub(b'a') as usize % LETTERS)
}

const fn by_key() -> [(u8, u8); (NAME_LENGTH_MAX + 1) * LETTERS] {
    let mut out = [(0u8, 0u8); (NAME_LENGTH_MAX + 1) * LETTERS];
    let mut i = 0;
    while i < TABLE.len() {
        let name = TABLE[i].1.as_bytes();
        let k = key(name.len(), name[0]);
        if out[k].1 == 0 {
            out[k].0 = i as u8;
        }
        out[k].1 = i as u8 + 1;
        i += 1;
    }
    out
}

/// A name of two bytes or more as three little-endian words that together cover every byte:
/// its first and last `W` bytes (`W` is 8, 4 or 2, the widest that fits; the two may overlap)
/// and, for a name longer than 16 bytes, bytes 8 to 16. Two names of the same length are
/// equal exactly when their fingerprints are, so a name is compared in three word compares
/// loaded straight from the input, without copying it into a padded buffer.
type Fingerprint = [u64; 3];

/// The fingerprint of `name` (at least two bytes; shorter names are classified apart).
#[inline(always)]
fn fingerprint(name: &[u8]) -> Fingerprint {
    if let (Some(head), Some(tail)) = (name.first_chunk::<8>(), name.last_chunk::<8>()) {
        let middle = name
            .get(8..)
            .and_then(|rest| rest.first_chunk::<8>())
            .filter(|_| name.len() > 16)
            .map_or(0, |m| u64::from_le_bytes(*m));
        return [u64::from_le_bytes(*head), u64::from_le_bytes(*tail), middle];
    }
    if let (Some(head), Some(tail)) = (name.first_chunk::<4>(), name.last_chunk::<4>()) {
        return [
            u64::from(u32::from_le_bytes(*head)),
            u64::from(u32::from_le_bytes(*tail)),
            0,
        ];
    }
    if let (Some(head), Some(tail)) = (name.first_chunk::<2>(), name.last_chunk::<2>()) {
        return [
            u64::from(u16::from_le_bytes(*head)),
            u64::from(u16::from_le_bytes(*tail)),
            0,
        ];
    }
    [0; 3]
}

/// `bytes[from..from + width]` as a little-endian number (compile time).
const fn load(bytes: &[u8], from: usize, width: usize) -> u64 {
    let mut out = 0u64;
    let mut j = 0;
    while j < width {
        out |= (bytes[from + j] as u64) << (j * 8);
        j += 1;
    }
    out
}

/// [`fingerprint`] at compile time, of the `len` first bytes of `bytes`.
const fn const_fingerprint(bytes: &[u8; NAME_LENGTH_MAX], len: usize) -> Fingerprint {
    let width = if len >= 8 {
        8
    } else if len >= 4 {
        4
    } else {
        2
    };
    let middle = if len > 16 { load(bytes, 8, 8) } else { 0 };
    [
        load(bytes, 0, width),
        load(bytes, len - width, width),
        middle,
    ]
}

/// A known name's fingerprint for a case-insensitive compare a word at a time: `lower` is the
/// fingerprint of the name in lower case, `case` that of the 0x20 bit at each letter. A byte
/// `b` matches a letter `l` of the table exactly when `b | 0x20 == l` (only `l` and its upper
/// case do), and any other byte of the table (`-`) only itself, so `word | case == lower` is
/// the case-insensitive equality of the bytes a word covers.
#[derive(Clone, Copy)]
struct NameWords {
    lower: Fingerprint,
    case: Fingerprint,
}

/// `TABLE`'s names as [`NameWords`], row by row.
static WORDS: [NameWords; TABLE.len()] = name_words();

const fn name_words() -> [NameWords; TABLE.len()] {
    let empty = NameWords {
        lower: [0; 3],
        case: [0; 3],
    };
    let mut out = [empty; TABLE.len()];
    let mut i = 0;
    while i < TABLE.len() {
        let name = TABLE[i].1.as_bytes();
        let mut lower = [0u8; NAME_LENGTH_MAX];
        let mut case = [0u8; NAME_LENGTH_MAX];
        let mut j = 0;
        while j < name.len() {
            lower[j] = name[j].to_ascii_lowercase();
            if name[j].is_ascii_alphabetic() {
                case[j] = 0x20;
            }
            j += 1;
        }
        out[i] = NameWords {
            lower: const_fingerprint(&lower, name.len()),
            case: const_fingerprint(&case, name.len()),
        };
        i += 1;
    }
    out
}

/// The kind of the full header name `name` (two bytes or more) whose first byte in lower case
/// is `first`: `Other` for every name no row of [`TABLE`] spells, in any case.
#[inline(always)]
pub(super) fn full_name(name: &[u8], first: u8) -> HeaderKind {
    if !first.is_ascii_lowercase() {
        return HeaderKind::Other;
    }
    let Some(&(from, to)) = BY_KEY.get(key(name.len(), first)) else {
        return HeaderKind::Other;
    };
    if from == to {
        return HeaderKind::Other;
    }
    // Every row in range has the length of `name`, so equal fingerprints are equal names.
    let words = fingerprint(name);
    let (from, to) = (usize::from(from), usize::from(to));
    let rows = TABLE.get(from..to).unwrap_or(&[]);
    let keys = WORDS.get(from..to).unwrap_or(&[]);
    rows.iter()
        .zip(keys)
        .find(|(_, key)| {
            (words[0] | key.case[0]) == key.lower[0]
                && (words[1] | key.case[1]) == key.lower[1]
                && (words[2] | key.case[2]) == key.lower[2]
        })
        .map_or(HeaderKind::Other, |(row, _)| row.0)
}
