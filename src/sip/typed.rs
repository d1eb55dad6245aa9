//! Typed accessors of [`Message`]: each parses its header from the borrowed spans when called.
//! Single-value headers report a second row as `multiple-values-in-single-value-header`.

use super::addr::NameAddr;
use super::error::{Rule, SipError};
use super::header_name::HeaderKind;
use super::lex::trim_lws;
use super::message::Message;
use super::quick::node_shapes;
use super::scalars::{self, CSeq, MediaType};
use super::via::Via;
use crate::limits::SIP_BODY_BYTES_MAX;

/// One Contact value: the wildcard `*` (REGISTER removal of all bindings) or an address.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Contact<'a> {
    /// `Contact: *`.
    Wildcard,
    /// A binding or target address with its parameters (`expires`, `q` ...).
    Address(NameAddr<'a>),
}

impl<'a> Message<'a> {
    fn required<T>(
        &self,
        kind: HeaderKind,
        missing: Rule,
        parse: impl FnOnce(&'a str, usize) -> Result<T, SipError>,
    ) -> Result<T, SipError> {
        let row = self
            .single(kind)?
            .ok_or(SipError::new(missing, self.header_section_len()))?;
        parse(row.value, row.offset)
    }

    fn optional<T>(
        &self,
        kind: HeaderKind,
        parse: impl FnOnce(&'a str, usize) -> Result<T, SipError>,
    ) -> Result<Option<T>, SipError> {
        match self.single(kind)? {
            Some(row) => parse(row.value, row.offset).map(Some),
            None => Ok(None),
        }
    }

    /// Every Via hop, top first, across rows and comma-joined values.
    pub fn vias(&self) -> impl Iterator<Item = Result<Via<'a>, SipError>> + '_ {
        self.elements(HeaderKind::Via)
            .map(|e| e.and_then(|(text, at)| Via::parse(text, at)))
    }

    /// The topmost Via hop (the one that names this message's transaction).
    pub fn top_via(&self) -> Result<Via<'a>, SipError> {
        self.vias().next().unwrap_or(Err(SipError::new(
            Rule::MissingVia,
            self.header_section_len(),
        )))
    }

    /// The From header.
    pub fn from(&self) -> Result<NameAddr<'a>, SipError> {
        self.required(HeaderKind::From, Rule::MissingFrom, NameAddr::parse)
    }

    /// The To header.
    pub fn to(&self) -> Result<NameAddr<'a>, SipError> {
        self.required(HeaderKind::To, Rule::MissingTo, NameAddr::parse)
    }

    /// The Call-ID.
    pub fn call_id(&self) -> Result<&'a str, SipError> {
        self.required(
            HeaderKind::CallId,
            Rule::MissingCallId,
            scalars::parse_call_id,
        )
    }

    /// The CSeq header.
    pub fn cseq(&self) -> Result<CSeq<'a>, SipError> {
        self.required(HeaderKind::CSeq, Rule::MissingCseq, scalars::parse_cseq)
    }

    /// Max-Forwards, if present. The value the framing read of a proven message's one
    /// Max-Forwards row (see [`node_rows`](super::node_rows)) is that row's value as the
    /// general reading gives it, without a second reading. Always inlined: that answer is a
    /// few moves, fewer than a call's frame.
    #[inline(always)]
    pub fn max_forwards(&self) -> Result<Option<u8>, SipError> {
        let (_, repeated) = self.kind_sets();
        if let Some(noted) = self.node_rows().lone_max_forwards(repeated) {
            return Ok(Some(noted));
        }
        self.max_forwards_general()
    }

    /// [`max_forwards`](Self::max_forwards) read from the row, for every message.
    pub(crate) fn max_forwards_general(&self) -> Result<Option<u8>, SipError> {
        self.optional(HeaderKind::MaxForwards, scalars::parse_max_forwards)
    }

    /// Content-Length, if present (rows that repeat it must agree; parsing already checked).
    pub fn content_length(&self) -> Result<Option<usize>, SipError> {
        match self.rows_of(HeaderKind::ContentLength).next() {
            Some(row) => {
                scalars::parse_content_length(row.value, row.offset, SIP_BODY_BYTES_MAX).map(Some)
            }
            None => Ok(None),
        }
    }

    /// Content-Type, if present. In a message whose every row the framing proved (see
    /// [`node_rows`](super::node_rows)), a lone Content-Type row holds one of the values nodes
    /// write, named by its length: given without reading the row again. Always inlined: that
    /// answer is a few moves, fewer than a call's frame.
    #[inline(always)]
    pub fn content_type(&self) -> Result<Option<MediaType<'a>>, SipError> {
        if self.node_rows().all() {
            if let Some(Some(row)) = self.lone_row(HeaderKind::ContentType) {
                if let Some(media_type) = node_shapes::media_type_of_len(row.value.len()) {
                    return Ok(Some(media_type));
                }
            }
        }
        self.content_type_general()
    }

    /// [`content_type`](Self::content_type) read from the row, for every message.
    pub(crate) fn content_type_general(&self) -> Result<Option<MediaType<'a>>, SipError> {
        self.optional(HeaderKind::ContentType, scalars::parse_media_type)
    }

    /// The Expires header in seconds, if present.
    pub fn expires(&self) -> Result<Option<u32>, SipError> {
        self.optional(HeaderKind::Expires, scalars::parse_expires)
    }

    /// Every Contact value in order.
    pub fn contacts(&self) -> impl Iterator<Item = Result<Contact<'a>, SipError>> + '_ {
        self.elements(HeaderKind::Contact).map(|e| {
            e.and_then(|(text, at)| {
                if trim_lws(text).0 == "*" {
                    Ok(Contact::Wildcard)
                } else {
                    NameAddr::parse(text, at).map(Contact::Address)
                }
            })
        })
    }

    /// Every Route value in order (the route set, RFC 3261 section 20.34).
    pub fn routes(&self) -> impl Iterator<Item = Result<NameAddr<'a>, SipError>> + '_ {
        self.route_like(HeaderKind::Route)
    }

    /// Every Record-Route value in order.
    pub fn record_routes(&self) -> impl Iterator<Item = Result<NameAddr<'a>, SipError>> + '_ {
        self.route_like(HeaderKind::RecordRoute)
    }

    /// Elements of a header whose grammar is `name-addr *(SEMI rr-param)`: the `<>` form is
    /// mandatory (Route, Record-Route, Path, Service-Route).
    pub(crate) fn route_like(
        &self,
        kind: HeaderKind,
    ) -> impl Iterator<Item = Result<NameAddr<'a>, SipError>> + '_ {
        self.elements(kind).map(|e| {
            e.and_then(|(text, at)| {
                let addr = NameAddr::parse(text, at)?;
                if addr.angle_brackets {
                    Ok(addr)
                } else {
                    Err(SipError::new(Rule::NameAddrRequired, at))
                }
            })
        })
    }
}
