//! The known header names (RFC 3261 section 7.3.3 and its extensions): one row per header with
//! its kind, canonical spelling, compact form and value shape, and the two indexes built from
//! the rows at compile time: the row of each kind, and the kind of each compact form.

use super::{HeaderKind, Shape};
use HeaderKind as K;
use Shape::{List, Opaque, Single};

/// Known headers sorted by name length, then first letter: (kind, name, compact form, shape).
pub(super) static TABLE: &[(HeaderKind, &str, Option<u8>, Shape)] = &[
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

/// Number of `HeaderKind` variants (`Other` is the last).
pub(super) const KINDS: usize = HeaderKind::Other as usize + 1;

/// For each kind, by discriminant, its row in `TABLE` (`None` for `Other`): `shape`, asked for
/// every row that validation splits, is a lookup, not a scan of the table.
pub(super) static BY_KIND: [Option<u8>; KINDS] = by_kind();

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
pub(super) static COMPACT: [HeaderKind; 26] = compact_table();

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
