//! The user agent: registers with its participating function, sends IMs, renders what it
//! receives once, and answers with the IMDNs its peers asked for.
//!
//! Every request goes to the participating function's address (an outbound proxy). A MESSAGE
//! never carries Contact (RFC 3428 section 4), and at most one MESSAGE per destination URI is
//! pending at a time (RFC 3428 section 8): later ones wait in the node's outbox.

use super::core::{earliest, Accepted, Core, OutboxFull};
use super::identity::{date_time, DEFAULT_WALL_CLOCK_ORIGIN_UNIX_S};
use super::wire::{decimal, CpimMessage, OutgoingRequest, DECIMAL_DIGITS_MAX};
use super::{Event, Instant, Node, Transmit, Transport};
use crate::cpim::{CpimError, DispositionSet, OwnedCpim};
use crate::sip::parse_datagram;
use crate::transaction::TimerConfig;
use rustc_hash::FxHashSet;
use std::collections::VecDeque;
use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::Arc;

/// Most (sender, Message-ID) pairs a user agent remembers to render each IM once; the oldest
/// is forgotten first.
pub const RECEIVED_IM_IDS_MAX: usize = 65_536;

/// How a user agent is set up.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UserAgentConfig {
    /// The user's address-of-record, e.g. `sip:alice@alpha.example`.
    pub aor: String,
    /// The user's display name for CPIM From, if any.
    pub display_name: Option<String>,
    /// The device's own address (its Contact and the `from` of its transmits).
    pub address: SocketAddr,
    /// The address of the user's participating function, which every request goes to.
    pub participating_function: SocketAddr,
    /// Registration lifetime asked for in REGISTER, in seconds.
    pub register_expires_s: u32,
    /// Delay before retrying a REGISTER that failed, in milliseconds.
    pub register_retry_ms: u64,
    /// Whether a registration is refreshed at half its lifetime (RFC 3261 section 10.2.4);
    /// without it the registration lapses and the agent's timers run out.
    pub refresh_registration: bool,
    /// RFC 3261 timer base values.
    pub timers: TimerConfig,
    /// Seed of the node's own CSPRNG (tags, Call-IDs, branches, Message-IDs).
    pub seed: u64,
    /// The Unix time, in seconds, that `Instant(0)` stands for in CPIM `DateTime`.
    pub wall_clock_origin_unix_s: u64,
}

impl UserAgentConfig {
    /// A configuration with RFC timer values and a one-hour registration.
    pub fn new(
        aor: &str,
        address: SocketAddr,
        participating_function: SocketAddr,
        seed: u64,
    ) -> Self {
        UserAgentConfig {
            aor: aor.to_owned(),
            display_name: None,
            address,
            participating_function,
            register_expires_s: 3600,
            register_retry_ms: 30_000,
            refresh_registration: true,
            timers: TimerConfig::default(),
            seed,
            wall_clock_origin_unix_s: DEFAULT_WALL_CLOCK_ORIGIN_UNIX_S,
        }
    }
}

/// Why a user action could not start.
#[derive(Debug)]
pub enum UserAgentError {
    /// Too many requests already wait for the destination (RFC 3428 section 8 queueing).
    Outbox(OutboxFull),
    /// The destination or text cannot form a valid CPIM message.
    InvalidMessage(CpimError),
}

impl std::fmt::Display for UserAgentError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Outbox(e) => e.fmt(f),
            Self::InvalidMessage(e) => write!(f, "invalid IM: {e}"),
        }
    }
}

impl std::error::Error for UserAgentError {}

/// Where the user agent's registration stands (RFC 3261 section 10.2).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Registration {
    /// Not registered; a retry may be scheduled.
    Unregistered {
        /// When a failed REGISTER is retried, if at all.
        retry_at: Option<Instant>,
    },
    /// A REGISTER is pending.
    AwaitingRegisterResponse,
    /// Registered; refreshed at half the granted lifetime.
    Registered {
        /// When the refreshing REGISTER goes out (None when refreshing is off).
        refresh_at: Option<Instant>,
    },
}

/// What one of the user agent's client transactions is for.
#[derive(Debug)]
pub(crate) enum UaRequest {
    /// The REGISTER.
    Register,
    /// An IM with this Message-ID.
    Im(String),
    /// An IMDN.
    Imdn,
}

/// A SIP user agent for one user (RFC 3261 UAC/UAS, RFC 3428, RFC 5438 recipient and sender).
#[derive(Debug)]
pub struct UserAgent {
    pub(crate) config: UserAgentConfig,
    pub(crate) core: Core<UaRequest>,
    registration: Registration,
    register_call_id: String,
    register_cseq: u32,
    /// The (sender, Message-ID) key (see `received_key`) of every IM rendered, oldest first
    /// in `received_order`; both hold the one shared copy of each key. Only looked up, never
    /// walked, so a hash set (with a fixed hasher: the same run gives the same table).
    pub(crate) received: FxHashSet<Arc<str>>,
    pub(crate) received_order: VecDeque<Arc<str>>,
    /// A key buffer reused to look up each arriving IM without allocating.
    pub(crate) received_key: String,
    /// Whether the AOR is an ASCII absolute URI, checked once here: the From of every
    /// delivery IMDN the agent writes, then not scanned again per IMDN.
    pub(crate) aor_is_ascii_uri: bool,
}

impl UserAgent {
    /// A user agent, unregistered, with nothing sent.
    pub fn new(config: UserAgentConfig) -> Self {
        let mut core = Core::new(&config.aor, config.address, config.timers, config.seed);
        let register_call_id = format!("{}@{}", core.entropy.token(), config.address.ip());
        let aor_is_ascii_uri = crate::cpim::is_ascii_absolute_uri(&config.aor);
        UserAgent {
            config,
            core,
            registration: Registration::Unregistered { retry_at: None },
            register_call_id,
            register_cseq: 0,
            received: FxHashSet::default(),
            received_order: VecDeque::new(),
            received_key: String::new(),
            aor_is_ascii_uri,
        }
    }

    /// The configuration the agent runs with.
    pub fn config(&self) -> &UserAgentConfig {
        &self.config
    }

    /// The user's AOR.
    pub fn aor(&self) -> &str {
        &self.config.aor
    }

    /// Where the registration stands.
    pub fn registration(&self) -> Registration {
        self.registration
    }

    /// The user's Contact URI: `sip:user@address`.
    pub fn contact(&self) -> String {
        let user = self
            .config
            .aor
            .strip_prefix("sip:")
            .and_then(|r| r.split_once('@'))
            .map_or("", |(u, _)| u);
        format!("sip:{user}@{}", self.config.address)
    }

    /// Sends a REGISTER (RFC 3261 section 10.2) unless one is already pending.
    pub fn register(&mut self, now: Instant) {
        if self.registration == Registration::AwaitingRegisterResponse {
            return;
        }
        let domain = super::sip_util::host_of(&self.config.aor).unwrap_or("");
        let registrar = format!("sip:{domain}");
        self.register_cseq = self.register_cseq.saturating_add(1);
        let aor = &self.config.aor;
        let tag = self.core.entropy.token();
        let contact = self.contact();
        let (mut cseq, mut expires) = ([0u8; DECIMAL_DIGITS_MAX], [0u8; DECIMAL_DIGITS_MAX]);
        let request = OutgoingRequest::written(
            "REGISTER",
            &registrar,
            &[
                ("Max-Forwards", &["70"]),
                ("From", &["<", aor, ">;tag=", &tag]),
                ("To", &["<", aor, ">"]),
                ("Call-ID", &[&self.register_call_id]),
                (
                    "CSeq",
                    &[decimal(self.register_cseq.into(), &mut cseq), " REGISTER"],
                ),
                (
                    "Contact",
                    &[
                        "<",
                        &contact,
                        ">;expires=",
                        decimal(self.config.register_expires_s.into(), &mut expires),
                    ],
                ),
            ],
            b"",
        );
        let to = self.config.participating_function;
        // A REGISTER is never queued: the state above allows one at a time.
        if self
            .core
            .send_outgoing(now, request, to, None, UaRequest::Register)
            .is_ok()
        {
            self.registration = Registration::AwaitingRegisterResponse;
        }
    }

    /// Sends an IM to a group or user URI with a fresh Message-ID, the current DateTime and the
    /// requested dispositions; returns the Message-ID. Waits behind a pending MESSAGE to `to`.
    pub fn send_im(
        &mut self,
        now: Instant,
        to: &str,
        dispositions: DispositionSet,
        text: &str,
    ) -> Result<String, UserAgentError> {
        let message_id = self.core.entropy.message_id();
        let datetime = date_time(self.config.wall_clock_origin_unix_s, now);
        let mut body = OwnedCpim::builder()
            .from(self.config.display_name.as_deref(), &self.config.aor)
            .to(None, to)
            .datetime(&datetime)
            .message_id(&message_id);
        if !dispositions.is_empty() {
            body = body.disposition_notification(dispositions);
        }
        let body = body
            .content_type("text/plain; charset=utf-8")
            .content(text.as_bytes())
            .build_serialized()
            .map_err(UserAgentError::InvalidMessage)?;
        let aor = &self.config.aor;
        let tag = self.core.entropy.token();
        let host = self.config.address.ip().to_string();
        let request = CpimMessage {
            uri: to,
            from: &["<", aor, ">"],
            tag: &tag,
            to,
            call_id: &[&self.core.entropy.token(), "@", &host],
            body: &body,
        }
        // Into the node's chunk of sent bytes: the body is handed over whole.
        .to_outgoing_writing(&mut self.core.layer, 0, |_| Ok::<(), Infallible>(()));
        let request = match request {
            Ok(request) => request,
            Err(never) => match never {},
        };
        let proxy = self.config.participating_function;
        let context = UaRequest::Im(String::from(message_id));
        self.core
            .send_outgoing(now, request, proxy, Some(to.to_owned()), context)
            .map_err(UserAgentError::Outbox)?;
        self.core.event(Event::ImSent {
            user: self.config.aor.clone(),
            to: to.to_owned(),
            message_id: String::from(message_id),
        });
        Ok(String::from(message_id))
    }

    fn on_final(&mut self, now: Instant, request: UaRequest, code: u16, granted_s: Option<u32>) {
        match request {
            UaRequest::Register if (200..300).contains(&code) => {
                let granted = granted_s.unwrap_or(self.config.register_expires_s);
                let refresh_ms = u64::from(granted).saturating_mul(1000) / 2;
                let refresh_at = self
                    .config
                    .refresh_registration
                    .then(|| now.plus_millis(refresh_ms.max(1)));
                self.registration = Registration::Registered { refresh_at };
                self.core.event(Event::Registered {
                    user: self.config.aor.clone(),
                });
            }
            UaRequest::Register => {
                self.registration = Registration::Unregistered {
                    retry_at: Some(now.plus_millis(self.config.register_retry_ms)),
                };
            }
            UaRequest::Im(message_id) => self.core.event(Event::ImAnswered {
                user: self.config.aor.clone(),
                message_id,
                status: code,
            }),
            UaRequest::Imdn => {}
        }
    }

    /// The lifetime the registrar granted our Contact, from a 200 to REGISTER.
    fn granted_expires(&self, msg: &crate::sip::Message<'_>) -> Option<u32> {
        let contact = self.contact();
        msg.contacts().flatten().find_map(|c| match c {
            crate::sip::Contact::Address(a) if a.uri.as_str() == contact => a
                .params
                .get("expires")
                .flatten()
                .and_then(|v| v.parse().ok()),
            _ => None,
        })
    }
}

impl Node for UserAgent {
    fn handle_datagram(
        &mut self,
        now: Instant,
        from: SocketAddr,
        transport: Transport,
        bytes: &[u8],
    ) {
        // The message stays in the parser's result; the core hands back only its key or
        // context.
        let parsed = parse_datagram(bytes);
        let Some(msg) = self.core.decoded(&parsed) else {
            return;
        };
        match self.core.accept(now, from, transport, msg) {
            Some(Accepted::Request(key)) => self.on_request(now, &key, msg),
            Some(Accepted::Response { context, code }) => {
                // Only a 200 to REGISTER grants a lifetime; other answers need no Contact read.
                let granted = match context {
                    UaRequest::Register => self.granted_expires(msg),
                    _ => None,
                };
                self.on_final(now, context, code, granted);
            }
            None => {}
        }
    }

    fn handle_timeout(&mut self, now: Instant) {
        for (request, code) in self.core.handle_timeout(now) {
            self.on_final(now, request, code, None);
        }
        match self.registration {
            Registration::Registered {
                refresh_at: Some(at),
            } if at <= now => self.register(now),
            Registration::Unregistered { retry_at: Some(at) } if at <= now => self.register(now),
            _ => {}
        }
    }

    fn poll_transmit(&mut self) -> Option<Transmit> {
        self.core.poll_transmit()
    }

    fn poll_event(&mut self) -> Option<Event> {
        self.core.poll_event()
    }

    fn poll_timeout(&self) -> Option<Instant> {
        let registration = match self.registration {
            Registration::Registered { refresh_at } => refresh_at,
            Registration::Unregistered { retry_at } => retry_at,
            Registration::AwaitingRegisterResponse => None,
        };
        earliest(self.core.poll_timeout(), registration)
    }

    fn crash_and_restart(&mut self, _now: Instant) {
        self.core.crash();
        self.registration = Registration::Unregistered { retry_at: None };
        self.received.clear();
        self.received_order.clear();
    }
}
