//! What a monitor reads from one message on the wire: the SIP facts it needs, and for a MESSAGE
//! with a CPIM body the IM or IMDN facts (RFC 3862, RFC 5438), decoded with the project's codec.

use crate::cpim::DispositionSet;
use crate::imdn::Notification;
use crate::sip::parse_datagram;

/// The start line of a message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StartLine {
    /// A request: its method and Request-URI.
    Request { method: String, uri: String },
    /// A response: its status code and reason phrase.
    Response { status: u16, reason: String },
}

/// The facts of one SIP message the monitors and trace labels use.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WireFacts {
    /// Request or response.
    pub start: StartLine,
    /// Call-ID.
    pub call_id: String,
    /// CSeq number.
    pub cseq: u32,
    /// CSeq method.
    pub cseq_method: String,
    /// How many Via header values the message has (1 = sent by the node that built it).
    pub vias: usize,
    /// Whether a Contact header is present.
    pub has_contact: bool,
    /// Body length, in bytes.
    pub body_len: usize,
    /// The IM or IMDN in a `message/cpim` body.
    pub cpim: Option<CpimFacts>,
}

/// The CPIM facts of an IM or an IMDN.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CpimFacts {
    /// CPIM `From` URI.
    pub from: String,
    /// CPIM `To` URIs.
    pub to: Vec<String>,
    /// `imdn.Message-ID`.
    pub message_id: Option<String>,
    /// `DateTime`.
    pub datetime: Option<String>,
    /// `imdn.Disposition-Notification`.
    pub dispositions: DispositionSet,
    /// How many `imdn.IMDN-Record-Route` headers it has.
    pub record_routes: usize,
    /// Content-Type of the encapsulated entity.
    pub content_type: String,
    /// The encapsulated content (the IM's payload).
    pub content: Vec<u8>,
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

impl WireFacts {
    /// The method of a request.
    pub fn method(&self) -> Option<&str> {
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
    pub fn im(&self) -> Option<&CpimFacts> {
        self.cpim.as_ref().filter(|c| !c.is_imdn)
    }

    /// The IMDN facts of a MESSAGE carrying IMDNs.
    pub fn imdn(&self) -> Option<&CpimFacts> {
        self.cpim.as_ref().filter(|c| c.is_imdn)
    }
}

/// Decodes one message; the error names the codec rule it broke.
pub fn decode(bytes: &[u8]) -> Result<WireFacts, String> {
    let m = parse_datagram(bytes).map_err(|e| e.to_string())?;
    let start = match m.start_line() {
        crate::sip::StartLine::Request { method, uri, .. } => StartLine::Request {
            method: method.as_str().to_string(),
            uri: uri.to_string(),
        },
        crate::sip::StartLine::Response { status, reason, .. } => StartLine::Response {
            status: status.code(),
            reason: reason.to_string(),
        },
    };
    let cseq = m.cseq().map_err(|e| e.to_string())?;
    let is_cpim = m
        .content_type()
        .ok()
        .flatten()
        .is_some_and(|t| t.is("message", "cpim"));
    let cpim = if is_cpim && !m.body().is_empty() {
        Some(decode_cpim(m.body())?)
    } else {
        None
    };
    Ok(WireFacts {
        start,
        call_id: m.call_id().map_err(|e| e.to_string())?.to_string(),
        cseq: cseq.number,
        cseq_method: cseq.method.to_string(),
        vias: m.vias().count(),
        has_contact: m.header("Contact").is_some(),
        body_len: m.body().len(),
        cpim,
    })
}

fn decode_cpim(body: &[u8]) -> Result<CpimFacts, String> {
    let c = crate::cpim::parse(body).map_err(|e| e.to_string())?;
    let content_type = c.content_type().unwrap_or_default().to_string();
    let media = crate::cpim::mime::media_type(&content_type).to_ascii_lowercase();
    let mut entries = Vec::new();
    let is_imdn = match media.as_str() {
        "message/imdn+xml" => {
            let n = crate::imdn::parse(c.content).map_err(|e| e.to_string())?;
            entries.push(entry(n));
            true
        }
        "multipart/mixed" => {
            let boundary = crate::multipart::boundary_from_content_type(&content_type)
                .ok_or("aggregated IMDN without a boundary")?;
            let parts = crate::multipart::parse_aggregate(c.content, boundary)
                .map_err(|e| e.to_string())?;
            entries.extend(parts.into_iter().map(entry));
            true
        }
        _ => false,
    };
    Ok(CpimFacts {
        from: c.from().map(|a| a.uri.to_string()).unwrap_or_default(),
        to: c.to().map(|a| a.uri.to_string()).collect(),
        message_id: c.message_id().map(str::to_string),
        datetime: c.datetime().map(str::to_string),
        dispositions: c.disposition_notification(),
        record_routes: c.imdn_record_route().count(),
        content_type,
        content: c.content.to_vec(),
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
