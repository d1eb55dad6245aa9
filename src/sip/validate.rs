//! Validation after parsing: the rules RFC 4475 says an element must reject (answer 400, 505,
//! or drop a response), checked on a [`Message`] that already framed and split cleanly.
//!
//! Three readings of the RFCs decide corpus cases and are worth knowing:
//! - Max-Forwards is mandatory only for RFC 3261 requests, recognised by the magic cookie in
//!   the top Via branch (RFC 3261 section 8.1.1.7). An RFC 2543 request (no cookie) has no
//!   Max-Forwards duty, and RFC 4475 section 3.4.1 asks elements to accept it.
//! - Empty list elements (`a,,b`) are skipped as HTTP's `#rule` does, but a list header with no
//!   element at all (`Route: ,`) is refused, as is an empty parameter (`;;`).
//! - RFC 3428 forbids Contact in a MESSAGE request and in its 1xx/2xx responses and gives it no
//!   meaning there, so a Contact in a MESSAGE transaction is not interpreted (nor validated).
//!   `Message::contacts` still parses it for a caller who asks.

use super::addr::NameAddr;
use super::error::{Rule, SipError};
use super::header_name::{HeaderKind, Shape};
use super::lex::{trim_lws, ListElements};
use super::message::Message;
use super::quick_validate::{validate_plain, validate_proven};
use super::scalars;
use super::scalars::CSeq;
use super::start_line::{self, StartLine};
use super::typed::Contact;
use super::uri::Uri;
use super::via::Via;
use crate::limits::SIP_LIST_ELEMENTS_PER_ROW_MAX;

/// Checks every RFC 3261 / RFC 4475 rule this codec knows on a parsed message.
pub fn validate(m: &Message<'_>) -> Result<(), SipError> {
    validate_keeping(m).map(|_| ())
}

/// What validation already parsed and a transaction layer needs next: the top Via (response
/// routing, transaction matching) and the CSeq, so a node does not parse them twice per hop.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Validated<'a> {
    /// The top Via element.
    pub(crate) top_via: Via<'a>,
    /// The CSeq.
    pub(crate) cseq: CSeq<'a>,
}

/// [`validate`], handing back the top Via and the CSeq it parsed on the way.
///
/// A message whose every row the framing proved to be as nodes write it is answered from what
/// the framing noted ([`validate_proven`]); one of the plain shape nodes send is recognised in
/// one pass over its rows ([`validate_plain`]); any other goes through every rule in order, so
/// that the first rule broken is the one reported.
///
/// Always inlined, with [`validate_proven`]: the answer is built where the caller keeps it.
#[inline(always)]
pub(crate) fn validate_keeping<'a>(m: &Message<'a>) -> Result<Validated<'a>, SipError> {
    if let Some(proven) = validate_proven(m) {
        return Ok(proven);
    }
    match validate_plain(m) {
        Some(plain) => Ok(plain),
        None => validate_general(m),
    }
}

/// [`validate_keeping`] rule by rule, for every message.
pub(crate) fn validate_general<'a>(m: &Message<'a>) -> Result<Validated<'a>, SipError> {
    check_start_line(m)?;
    check_lists(m)?;
    let mut top_via = None;
    for via in m.vias() {
        let via = via?;
        top_via.get_or_insert(via);
    }
    let top_via = top_via.ok_or(SipError::new(Rule::MissingVia, m.header_section_len()))?;
    m.from()?;
    m.to()?;
    m.call_id()?;
    let cseq = m.cseq()?;
    let max_forwards = m.max_forwards()?;
    if let StartLine::Request { method, .. } = m.start_line() {
        if cseq.method != method.as_str() {
            let row = m.rows_of(HeaderKind::CSeq).next();
            let at = row.map_or(0, |r| r.offset);
            return Err(SipError::new(Rule::CseqMethodMismatch, at));
        }
        if max_forwards.is_none() && top_via.has_rfc3261_branch() {
            return Err(SipError::new(
                Rule::MissingMaxForwards,
                m.header_section_len(),
            ));
        }
    }
    m.content_type()?;
    m.expires()?;
    if let Some(row) = m.single(HeaderKind::MinExpires)? {
        scalars::parse_expires(row.value, row.offset)?;
    }
    if let Some(row) = m.single(HeaderKind::Date)? {
        scalars::check_date(row.value, row.offset)?;
    }
    if cseq.method != "MESSAGE" {
        check_contacts(m)?;
    }
    for kind in [
        HeaderKind::Route,
        HeaderKind::RecordRoute,
        HeaderKind::Path,
        HeaderKind::ServiceRoute,
    ] {
        for route in m.route_like(kind) {
            route?;
        }
    }
    for kind in [
        HeaderKind::PAssertedIdentity,
        HeaderKind::PPreferredIdentity,
    ] {
        for element in m.elements(kind) {
            let (text, at) = element?;
            NameAddr::parse(text, at)?;
        }
    }
    Ok(Validated { top_via, cseq })
}

fn check_start_line(m: &Message<'_>) -> Result<(), SipError> {
    let version = m.start_line().version();
    if !start_line::is_sip_2_0(version) {
        return Err(SipError::new(
            Rule::UnsupportedSipVersion,
            m.offset_of(version),
        ));
    }
    if let Some(uri) = m.request_uri() {
        if let Uri::Sip(sip) = uri? {
            if let Some(headers) = sip.headers {
                return Err(SipError::new(
                    Rule::RequestUriHeaders,
                    m.offset_of(headers).saturating_sub(1),
                ));
            }
        }
    }
    Ok(())
}

/// Every row of a list header must split cleanly, hold at most
/// `SIP_LIST_ELEMENTS_PER_ROW_MAX` elements, and not consist of separators only.
fn check_lists(m: &Message<'_>) -> Result<(), SipError> {
    for row in m.rows().filter(|h| h.kind.shape() == Shape::List) {
        let mut elements = 0usize;
        let mut non_empty = 0usize;
        for element in ListElements::new(row.value, row.offset) {
            let (text, at) = element?;
            elements += 1;
            if elements > SIP_LIST_ELEMENTS_PER_ROW_MAX {
                return Err(SipError::new(Rule::TooManyListElements, at));
            }
            if !text.is_empty() {
                non_empty += 1;
            }
        }
        let must_have_one = matches!(
            row.kind,
            HeaderKind::Via
                | HeaderKind::Contact
                | HeaderKind::Route
                | HeaderKind::RecordRoute
                | HeaderKind::Path
                | HeaderKind::ServiceRoute
                | HeaderKind::PAssertedIdentity
                | HeaderKind::PPreferredIdentity
        );
        if non_empty == 0 && (must_have_one || !row.value.is_empty()) {
            return Err(SipError::new(Rule::EmptyList, row.offset));
        }
    }
    Ok(())
}

/// Contact: `*` alone (no parameters, no other binding), else addresses whose parameters follow
/// `contact-params` (`q` a qvalue, `expires` 32-bit delta-seconds).
fn check_contacts(m: &Message<'_>) -> Result<(), SipError> {
    let mut count = 0usize;
    let mut wildcard_at = None;
    for (contact, element) in m.contacts().zip(m.elements(HeaderKind::Contact)) {
        let at = element.map_or(0, |(_, at)| at);
        count += 1;
        match contact.map_err(contact_rule)? {
            Contact::Wildcard => wildcard_at = Some(at),
            Contact::Address(addr) => {
                for p in addr.params.iter() {
                    let value = p.value.map(|v| trim_lws(v).0);
                    if p.name.eq_ignore_ascii_case("expires") {
                        scalars::parse_expires(value.unwrap_or(""), at)?;
                    } else if p.name.eq_ignore_ascii_case("q") && !value.is_some_and(is_qvalue) {
                        return Err(SipError::new(Rule::InvalidContactParameter, at));
                    }
                }
            }
        }
    }
    match wildcard_at {
        Some(at) if count > 1 => Err(SipError::new(Rule::ContactWildcardNotAlone, at)),
        _ => Ok(()),
    }
}

fn contact_rule(e: SipError) -> SipError {
    match e.rule {
        Rule::InvalidParameter | Rule::EmptyParameterValue => {
            SipError::new(Rule::InvalidContactParameter, e.offset)
        }
        _ => e,
    }
}

/// `qvalue = ("0" ["." 0*3DIGIT]) / ("1" ["." 0*3("0")])`.
fn is_qvalue(v: &str) -> bool {
    let (int, frac) = v.split_once('.').unwrap_or((v, ""));
    frac.len() <= 3
        && match int {
            "0" => frac.bytes().all(|b| b.is_ascii_digit()),
            "1" => frac.bytes().all(|b| b == b'0'),
            _ => false,
        }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn qvalues_follow_rfc3261() {
        for ok in ["0", "0.33", "1", "1.000", "0.", "1."] {
            assert!(is_qvalue(ok), "{ok}");
        }
        for bad in ["2", "1.5", "0.1234", "", "x"] {
            assert!(!is_qvalue(bad), "{bad}");
        }
    }
}
