//! Header names: case-insensitive, with the compact forms of RFC 3261 section 7.3.3 and its
//! extensions (RFC 6665, 3515, 3892, 3841, 4028), and what each known header's value looks like:
//! a comma-separated list, a single value, or a credential that must never be split.
//!
//! The rows of known names and their indexes are in [`table`]; the lookup of a full name in
//! them, a few word compares per candidate row, is in [`lookup`].

mod lookup;
mod table;

#[cfg(test)]
use lookup::NAME_LENGTH_MAX;
#[cfg(test)]
use table::KINDS;
use table::{BY_KIND, COMPACT, TABLE};
#[cfg(test)]
use HeaderKind as K;

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
        lookup::full_name(name, first)
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
