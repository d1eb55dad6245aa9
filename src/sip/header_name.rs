//! Header names: case-insensitive, with the compact forms of RFC 3261 section 7.3.3 and its
//! extensions (RFC 6665, 3515, 3892, 3841, 4028), and what each known header's value looks like:
//! a comma-separated list, a single value, or a credential that must never be split.

/// A header this codec knows by name, or `Other`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum HeaderKind {
    /// The `Accept` header.
    Accept,
    /// The `Accept-Contact` header.
    AcceptContact,
    /// The `Accept-Encoding` header.
    AcceptEncoding,
    /// The `Accept-Language` header.
    AcceptLanguage,
    /// The `Alert-Info` header.
    AlertInfo,
    /// The `Allow` header.
    Allow,
    /// The `Allow-Events` header.
    AllowEvents,
    /// The `Authorization` header.
    Authorization,
    /// The `Call-ID` header.
    CallId,
    /// The `Call-Info` header.
    CallInfo,
    /// The `Contact` header.
    Contact,
    /// The `Content-Disposition` header.
    ContentDisposition,
    /// The `Content-Encoding` header.
    ContentEncoding,
    /// The `Content-Language` header.
    ContentLanguage,
    /// The `Content-Length` header.
    ContentLength,
    /// The `Content-Type` header.
    ContentType,
    /// The `CSeq` header.
    CSeq,
    /// The `Date` header.
    Date,
    /// The `Error-Info` header.
    ErrorInfo,
    /// The `Event` header.
    Event,
    /// The `Expires` header.
    Expires,
    /// The `From` header.
    From,
    /// The `In-Reply-To` header.
    InReplyTo,
    /// The `Max-Forwards` header.
    MaxForwards,
    /// The `Min-Expires` header.
    MinExpires,
    /// The `P-Asserted-Identity` header.
    PAssertedIdentity,
    /// The `P-Associated-URI` header.
    PAssociatedUri,
    /// The `Path` header.
    Path,
    /// The `P-Preferred-Identity` header.
    PPreferredIdentity,
    /// The `Proxy-Authenticate` header.
    ProxyAuthenticate,
    /// The `Proxy-Authorization` header.
    ProxyAuthorization,
    /// The `Proxy-Require` header.
    ProxyRequire,
    /// The `Record-Route` header.
    RecordRoute,
    /// The `Referred-By` header.
    ReferredBy,
    /// The `Refer-To` header.
    ReferTo,
    /// The `Reject-Contact` header.
    RejectContact,
    /// The `Request-Disposition` header.
    RequestDisposition,
    /// The `Require` header.
    Require,
    /// The `Route` header.
    Route,
    /// The `Security-Client` header.
    SecurityClient,
    /// The `Security-Server` header.
    SecurityServer,
    /// The `Security-Verify` header.
    SecurityVerify,
    /// The `Service-Route` header.
    ServiceRoute,
    /// The `Session-Expires` header.
    SessionExpires,
    /// The `Subject` header.
    Subject,
    /// The `Supported` header.
    Supported,
    /// The `To` header.
    To,
    /// The `Unsupported` header.
    Unsupported,
    /// The `Via` header.
    Via,
    /// The `Warning` header.
    Warning,
    /// The `WWW-Authenticate` header.
    WwwAuthenticate,
    /// Any header not listed above (extension headers keep their own spelling).
    #[default]
    Other,
}

/// How a header's value is structured.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// `value *(COMMA value)`: rows may be joined or split at commas outside quotes and `<>`.
    List,
    /// One value per message (RFC 4475 section 3.3.8 rejects a second row).
    Single,
    /// Anything else, including the credentials headers that must never be split at commas
    /// (WWW-Authenticate, Authorization, Proxy-Authenticate, Proxy-Authorization).
    Opaque,
}

use HeaderKind as K;
use Shape::{List, Opaque, Single};

/// Known headers sorted by name length, then first letter: (kind, name, compact form, shape).
static TABLE: &[(HeaderKind, &str, Option<u8>, Shape)] = &[
    (K::To, "To", Some(b't'), Single),
    (K::Via, "Via", Some(b'v'), List),
    (K::CSeq, "CSeq", None, Single),
    (K::Date, "Date", None, Single),
    (K::From, "From", Some(b'f'), Single),
    (K::Path, "Path", None, List),
    (K::Allow, "Allow", None, List),
    (K::Event, "Event", Some(b'o'), Opaque),
    (K::Route, "Route", None, List),
    (K::Accept, "Accept", None, List),
    (K::CallId, "Call-ID", Some(b'i'), Single),
    (K::Contact, "Contact", Some(b'm'), List),
    (K::Expires, "Expires", None, Single),
    (K::Require, "Require", None, List),
    (K::Subject, "Subject", Some(b's'), Opaque),
    (K::Warning, "Warning", None, List),
    (K::ReferTo, "Refer-To", Some(b'r'), Opaque),
    (K::CallInfo, "Call-Info", None, List),
    (K::Supported, "Supported", Some(b'k'), List),
    (K::AlertInfo, "Alert-Info", None, List),
    (K::ErrorInfo, "Error-Info", None, List),
    (K::InReplyTo, "In-Reply-To", None, List),
    (K::MinExpires, "Min-Expires", None, Single),
    (K::ReferredBy, "Referred-By", Some(b'b'), Opaque),
    (K::Unsupported, "Unsupported", None, List),
    (K::AllowEvents, "Allow-Events", Some(b'u'), List),
    (K::ContentType, "Content-Type", Some(b'c'), Single),
    (K::MaxForwards, "Max-Forwards", None, Single),
    (K::RecordRoute, "Record-Route", None, List),
    (K::Authorization, "Authorization", None, Opaque),
    (K::ProxyRequire, "Proxy-Require", None, List),
    (K::ServiceRoute, "Service-Route", None, List),
    (K::AcceptContact, "Accept-Contact", Some(b'a'), List),
    (K::ContentLength, "Content-Length", Some(b'l'), Opaque),
    (K::RejectContact, "Reject-Contact", Some(b'j'), List),
    (K::AcceptEncoding, "Accept-Encoding", None, List),
    (K::AcceptLanguage, "Accept-Language", None, List),
    (K::SecurityClient, "Security-Client", None, List),
    (K::SecurityServer, "Security-Server", None, List),
    (K::SecurityVerify, "Security-Verify", None, List),
    (K::SessionExpires, "Session-Expires", Some(b'x'), Opaque),
    (K::ContentEncoding, "Content-Encoding", Some(b'e'), List),
    (K::ContentLanguage, "Content-Language", None, List),
    (K::PAssociatedUri, "P-Associated-URI", None, List),
    (K::WwwAuthenticate, "WWW-Authenticate", None, Opaque),
    (K::ProxyAuthenticate, "Proxy-Authenticate", None, Opaque),
    (K::ContentDisposition, "Content-Disposition", None, Opaque),
    (K::PAssertedIdentity, "P-Asserted-Identity", None, List),
    (K::ProxyAuthorization, "Proxy-Authorization", None, Opaque),
    (
        K::RequestDisposition,
        "Request-Disposition",
        Some(b'd'),
        List,
    ),
    (K::PPreferredIdentity, "P-Preferred-Identity", None, List),
];

/// Longest known header name, in bytes.
const NAME_LENGTH_MAX: usize = 20;

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

/// Number of `HeaderKind` variants (`Other` is the last).
const KINDS: usize = HeaderKind::Other as usize + 1;

/// For each kind, by discriminant, its row in `TABLE` (`None` for `Other`): `shape`, asked for
/// every row that validation splits, is a lookup, not a scan of the table.
static BY_KIND: [Option<u8>; KINDS] = by_kind();

const fn by_kind() -> [Option<u8>; KINDS] {
    let mut out = [None; KINDS];
    let mut i = 0;
    while i < TABLE.len() {
        out[TABLE[i].0 as usize] = Some(i as u8);
        i += 1;
    }
    out
}

/// Compact forms `a` to `z`, indexed by letter.
static COMPACT: [HeaderKind; 26] = compact_table();

const fn compact_table() -> [HeaderKind; 26] {
    let mut out = [HeaderKind::Other; 26];
    let mut i = 0;
    while i < TABLE.len() {
        if let Some(c) = TABLE[i].2 {
            out[(c - b'a') as usize] = TABLE[i].0;
        }
        i += 1;
    }
    out
}

impl HeaderKind {
    /// Classifies a header name (either form, any case).
    #[inline]
    pub fn from_name(name: &str) -> HeaderKind {
        Self::from_name_bytes(name.as_bytes())
    }

    /// Classifies a header name given as bytes (either form, any case).
    #[inline]
    pub fn from_name_bytes(name: &[u8]) -> HeaderKind {
        let Some(&first) = name.first() else {
            return HeaderKind::Other;
        };
        let first = first.to_ascii_lowercase();
        if name.len() == 1 {
            return match first {
                b'a'..=b'z' => COMPACT[usize::from(first - b'a')],
                _ => HeaderKind::Other,
            };
        }
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

    fn row(self) -> Option<&'static (HeaderKind, &'static str, Option<u8>, Shape)> {
        let index = BY_KIND.get(self as usize).copied().flatten()?;
        TABLE.get(usize::from(index))
    }

    /// The full canonical name (`None` for `Other`).
    pub fn canonical_name(self) -> Option<&'static str> {
        self.row().map(|row| row.1)
    }

    /// The compact form, if the header has one.
    pub fn compact_form(self) -> Option<char> {
        self.row().and_then(|row| row.2).map(char::from)
    }

    /// How the header's value is structured.
    pub fn shape(self) -> Shape {
        self.row().map_or(Shape::Opaque, |row| row.3)
    }
}

#[cfg(test)]
#[path = "header_name_tests.rs"]
mod tests;
