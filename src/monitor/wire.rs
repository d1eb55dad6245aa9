//! What a monitor reads from one message on the wire: the SIP facts it needs, and for a MESSAGE
//! with a CPIM body the IM or IMDN facts (RFC 3862, RFC 5438), decoded with the project's codec.
//! The facts borrow the message's bytes: decoding copies only the IMDN documents' fields.

use crate::cpim::DispositionSet;
use crate::imdn::Notification;
use crate::sip::parse_datagram;
use rustc_hash::FxHashMap;

/// The start line of a message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StartLine<'a> {
    /// A request: its method and Request-URI.
    Request { method: &'a str, uri: &'a str },
    /// A response: its status code and reason phrase.
    Response { status: u16, reason: &'a str },
}

/// The facts of one SIP message the monitors and trace labels use.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WireFacts<'a> {
    /// Request or response.
    pub start: StartLine<'a>,
    /// Call-ID.
    pub call_id: &'a str,
    /// CSeq number.
    pub cseq: u32,
    /// CSeq method.
    pub cseq_method: &'a str,
    /// How many Via header values the message has (1 = sent by the node that built it).
    pub vias: usize,
    /// Whether a Contact header is present.
    pub has_contact: bool,
    /// Body length, in bytes.
    pub body_len: usize,
    /// The IM or IMDN in a `message/cpim` body.
    pub cpim: Option<CpimFacts<'a>>,
}

/// The CPIM facts of an IM or an IMDN.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CpimFacts<'a> {
    /// CPIM `From` URI.
    pub from: &'a str,
    /// CPIM `To` URIs.
    pub to: Vec<&'a str>,
    /// `imdn.Message-ID`.
    pub message_id: Option<&'a str>,
    /// `DateTime`.
    pub datetime: Option<&'a str>,
    /// `imdn.Disposition-Notification`.
    pub dispositions: DispositionSet,
    /// How many `imdn.IMDN-Record-Route` headers it has.
    pub record_routes: usize,
    /// Content-Type of the encapsulated entity.
    pub content_type: &'a str,
    /// The encapsulated content (the IM's payload).
    pub content: &'a [u8],
    /// True if the content is an IMDN (single `message/imdn+xml` or an aggregate).
    pub is_imdn: bool,
    /// The IMDN entries the content carries (one per part of an aggregate).
    pub entries: Vec<ImdnEntry>,
}

/// One disposition notification (one part of an aggregate).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImdnEntry {
    /// `<message-id>`: the IM it reports on.
    pub message_id: String,
    /// `<datetime>`: the IM's DateTime.
    pub datetime: String,
    /// `<recipient-uri>` (empty when withheld).
    pub recipient: String,
    /// The notification and its status.
    pub notification: Notification,
}

impl<'a> WireFacts<'a> {
    /// The method of a request.
    pub fn method(&self) -> Option<&'a str> {
        match &self.start {
            StartLine::Request { method, .. } => Some(method),
            StartLine::Response { .. } => None,
        }
    }

    /// The status code of a response.
    pub fn status(&self) -> Option<u16> {
        match &self.start {
            StartLine::Response { status, .. } => Some(*status),
            StartLine::Request { .. } => None,
        }
    }

    /// The IM facts of a MESSAGE carrying an IM (not an IMDN).
    pub fn im(&self) -> Option<&CpimFacts<'a>> {
        self.cpim.as_ref().filter(|c| !c.is_imdn)
    }

    /// The IMDN facts of a MESSAGE carrying IMDNs.
    pub fn imdn(&self) -> Option<&CpimFacts<'a>> {
        self.cpim.as_ref().filter(|c| c.is_imdn)
    }
}

/// Decodes one message; the error names the codec rule it broke.
pub fn decode(bytes: &[u8]) -> Result<WireFacts<'_>, String> {
    decode_with(bytes, decode_cpim)
}

/// Decodes the messages of one run, reading each distinct CPIM body once: a proxy forwards a
/// body unchanged, so most bodies cross the wire two or more times. The facts are a function
/// of the bytes, so a body's second copy gets exactly what decoding it again would give.
#[derive(Default)]
pub(crate) struct Decoder<'a> {
    bodies: FxHashMap<&'a [u8], Result<CpimFacts<'a>, String>>,
}

impl<'a> Decoder<'a> {
    /// Decodes one message, as [`decode`] does.
    pub(crate) fn decode(&mut self, bytes: &'a [u8]) -> Result<WireFacts<'a>, String> {
        let bodies = &mut self.bodies;
        decode_with(bytes, |body| {
            bodies
                .entry(body)
                .or_insert_with(|| decode_cpim(body))
                .clone()
        })
    }
}

/// Decodes one message, reading a CPIM body with `cpim_of`.
fn decode_with<'a>(
    bytes: &'a [u8],
    cpim_of: impl FnOnce(&'a [u8]) -> Result<CpimFacts<'a>, String>,
) -> Result<WireFacts<'a>, String> {
    let m = parse_datagram(bytes).map_err(|e| e.to_string())?;
    let start = match m.start_line() {
        crate::sip::StartLine::Request { method, uri, .. } => StartLine::Request {
            method: method.as_str(),
            uri,
        },
        crate::sip::StartLine::Response { status, reason, .. } => StartLine::Response {
            status: status.code(),
            reason,
        },
    };
    let cseq = m.cseq().map_err(|e| e.to_string())?;
    let is_cpim = m
        .content_type()
        .ok()
        .flatten()
        .is_some_and(|t| t.is("message", "cpim"));
    let cpim = if is_cpim && !m.body().is_empty() {
        Some(cpim_of(m.body())?)
    } else {
        None
    };
    Ok(WireFacts {
        start,
        call_id: m.call_id().map_err(|e| e.to_string())?,
        cseq: cseq.number,
        cseq_method: cseq.method,
        vias: m.vias().count(),
        has_contact: m.header("Contact").is_some(),
        body_len: m.body().len(),
        cpim,
    })
}

fn decode_cpim(body: &[u8]) -> Result<CpimFacts<'_>, String> {
    let c = crate::cpim::parse(body).map_err(|e| e.to_string())?;
    let content_type = c.content_type().unwrap_or_default();
    let media = crate::cpim::mime::media_type(content_type);
    let mut entries = Vec::new();
    let is_imdn = if media.eq_ignore_ascii_case("message/imdn+xml") {
        let n = crate::imdn::parse(c.content).map_err(|e| e.to_string())?;
        entries.push(entry(n));
        true
    } else if media.eq_ignore_ascii_case("multipart/mixed") {
        let boundary = crate::multipart::boundary_from_content_type(content_type)
            .ok_or("aggregated IMDN without a boundary")?;
        let parts =
            crate::multipart::parse_aggregate(c.content, boundary).map_err(|e| e.to_string())?;
        entries.extend(parts.into_iter().map(entry));
        true
    } else {
        false
    };
    Ok(CpimFacts {
        from: c.from().map(|a| a.uri).unwrap_or_default(),
        to: c.to().map(|a| a.uri).collect(),
        message_id: c.message_id(),
        datetime: c.datetime(),
        dispositions: c.disposition_notification(),
        record_routes: c.imdn_record_route().count(),
        content_type,
        content: c.content,
        is_imdn,
        entries,
    })
}

fn entry(n: crate::imdn::DispositionNotification) -> ImdnEntry {
    ImdnEntry {
        message_id: n.message_id,
        datetime: n.datetime,
        recipient: n.recipient_uri.unwrap_or_default(),
        notification: n.notification,
    }
}

#[cfg(test)]
mod tests {
    use super::{decode, Decoder};
    use crate::sim::{simulate, SimConfig};
    use imflow_model::Scenario;

    /// Reading each body once changes nothing: every message of runs with drops, duplicates
    /// and crashes decodes to the same facts, or the same error, as decoding it alone.
    #[test]
    fn a_run_decoder_gives_every_message_the_facts_decoding_it_alone_gives() {
        let mut repeated_bodies = 0;
        for seed in 1..=20 {
            let run = simulate(&Scenario::seed(), &SimConfig::with_faults(seed)).expect("runs");
            let mut decoder = Decoder::default();
            let mut with_cpim = 0;
            for bytes in run.entries.iter().filter_map(|e| e.bytes()) {
                let alone = decode(bytes);
                with_cpim += usize::from(alone.as_ref().is_ok_and(|f| f.cpim.is_some()));
                assert_eq!(decoder.decode(bytes), alone);
            }
            repeated_bodies += with_cpim.saturating_sub(decoder.bodies.len());
        }
        assert!(repeated_bodies > 0, "some bodies crossed the wire twice");
    }
}
