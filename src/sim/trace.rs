//! A run as a [`Trace`]: one step per entry of the run record, so a monitor's step number is the
//! trace's step number. A transmit is an arrow labelled with its method or status and key
//! headers, carrying its real SIP bytes; a node event or a crash is a local step on its lane.
//! Each step's `state` holds the network facts of the step (`time_us`, `transport`, `fate`,
//! `arrival_us`, `duplicate`), which [`crate::trace::pcap::from_trace`] reads.

use super::outcome::SimRun;
use super::record::{Entry, Fate, Happening};
use crate::monitor::wire::{decode, StartLine, WireFacts};
use crate::node::{Event, Transport};
use crate::trace::{Step, Trace, TRACE_FORMAT};
use serde_json::json;

/// How many characters of a Message-ID a label shows.
const MESSAGE_ID_CHARS_SHOWN: usize = 8;

impl SimRun {
    /// The run as a trace (lanes = actors, steps = the run record).
    pub fn trace(&self) -> Trace {
        let steps = self.entries.iter().map(|e| self.step(e)).collect();
        Trace {
            format: TRACE_FORMAT.to_string(),
            scenario: self.scenario.clone(),
            property: None,
            lanes: self.cast.lanes.clone(),
            initial_state: json!({ "seed": self.seed, "faults": self.faults }),
            steps,
        }
    }

    fn step(&self, entry: &Entry) -> Step {
        let time_us = entry.at.0;
        match &entry.what {
            Happening::Transmit {
                to,
                transport,
                bytes,
                fate,
                duplicate,
            } => {
                let facts = decode(bytes);
                let mut label = match &facts {
                    Ok(f) => label(f),
                    Err(e) => format!("undecodable: {e}"),
                };
                if *transport == Transport::Tcp {
                    label.insert_str(0, "[TCP] ");
                }
                if *duplicate {
                    label.insert_str(0, "(duplicate) ");
                }
                let (fate_word, arrival) = match fate {
                    Fate::Delivered { at } => ("delivered", Some(at.0)),
                    Fate::Lost => ("lost", None),
                    Fate::Unroutable => ("unroutable", None),
                };
                if fate_word != "delivered" {
                    label.insert_str(0, &format!("({fate_word}) "));
                }
                let transport_word = match transport {
                    Transport::Udp => "udp",
                    Transport::Tcp => "tcp",
                };
                Step {
                    from: entry.lane,
                    to: *to,
                    label,
                    action: format!(
                        "send {transport_word} {} -> {} ({} bytes)",
                        self.cast.address(entry.lane),
                        self.cast.address(*to),
                        bytes.len()
                    ),
                    state: json!({
                        "time_us": time_us,
                        "transport": transport_word,
                        "fate": fate_word,
                        "arrival_us": arrival,
                        "duplicate": duplicate,
                    }),
                    sip: Some(String::from_utf8_lossy(bytes).into_owned()),
                }
            }
            Happening::Event(event) => Step {
                from: entry.lane,
                to: entry.lane,
                label: event_label(event),
                action: format!("{event:?}"),
                state: json!({ "time_us": time_us }),
                sip: None,
            },
            Happening::Crash => Step {
                from: entry.lane,
                to: entry.lane,
                label: "crash and restart (deferred store kept)".to_string(),
                action: "crash_and_restart".to_string(),
                state: json!({ "time_us": time_us }),
                sip: None,
            },
        }
    }
}

fn short(id: &str) -> &str {
    id.char_indices()
        .nth(MESSAGE_ID_CHARS_SHOWN)
        .map_or(id, |(i, _)| &id[..i])
}

fn user_part(uri: &str) -> &str {
    let key = super::cast::aor_key(uri);
    key.split('@').next().unwrap_or(key)
}

/// The arrow label of one message: method or status, then the headers that matter.
fn label(f: &WireFacts) -> String {
    match &f.start {
        StartLine::Response { status, reason } => format!("{status} {reason} ({})", f.cseq_method),
        StartLine::Request { method, uri } => {
            if let Some(imdn) = f.imdn() {
                let entries: Vec<String> = imdn
                    .entries
                    .iter()
                    .map(|e| {
                        format!(
                            "{} {}",
                            user_part(&e.recipient),
                            e.notification.status_element()
                        )
                    })
                    .collect();
                let kind = if entries.len() > 1 {
                    format!("IMDN x{}:", entries.len())
                } else {
                    "IMDN".to_string()
                };
                let about = imdn.entries.first().map_or("", |e| short(&e.message_id));
                format!("{method} {kind} {} (m {about})", entries.join(", "))
            } else if let Some(im) = f.im() {
                let dispositions: Vec<&str> = im.dispositions.iter().map(|d| d.as_str()).collect();
                format!(
                    "{method} {} m {} ({})",
                    user_part(uri),
                    im.message_id.map_or("-", short),
                    if dispositions.is_empty() {
                        "no IMDN".to_string()
                    } else {
                        dispositions.join(", ")
                    }
                )
            } else {
                format!("{method} {uri}")
            }
        }
    }
}

/// The label of a node event on its lane.
fn event_label(event: &Event) -> String {
    match event {
        Event::ImRendered {
            sender, message_id, ..
        } => format!(
            "renders IM {} from {}",
            short(message_id),
            user_part(sender)
        ),
        Event::ImdnRendered {
            message_id,
            recipient,
            status,
            ..
        } => format!(
            "learns {} {status} (m {})",
            user_part(recipient),
            short(message_id)
        ),
        Event::Registered { .. } => "registered".to_string(),
        Event::Stored {
            user, message_id, ..
        } => format!("stores m {} for {}", short(message_id), user_part(user)),
        Event::StoredDelivered {
            user, message_id, ..
        } => format!(
            "stored m {} delivered to {}",
            short(message_id),
            user_part(user)
        ),
        Event::StoredExpired {
            user, message_id, ..
        } => format!(
            "stored m {} for {} expired",
            short(message_id),
            user_part(user)
        ),
        Event::MessageStateFreed { message_id } => {
            format!("frees state of m {}", short(message_id))
        }
        Event::TransactionTimedOut { method, .. } => format!("timer F: local 408 ({method})"),
        Event::MalformedInput { rule, .. } => format!("malformed input: {rule}"),
        Event::ImSent { to, message_id, .. } => {
            format!("sends IM {} to {}", short(message_id), user_part(to))
        }
        Event::ImAnswered {
            message_id, status, ..
        } => format!("IM {} answered {status}", short(message_id)),
    }
}
