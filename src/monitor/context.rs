//! What every monitor shares: the run, each wire message decoded once, and what is known of
//! each IM (from its first copy on the wire).

use super::wire::{Decoder, WireFacts};
use super::{Monitored, Violation};
use crate::cpim::DispositionSet;
use crate::sim::{aor_key, Cast, Entry, Happening, Role, SimRun};
use std::collections::HashMap;

/// An IM as its first copy on the wire showed it.
#[derive(Debug, Clone)]
pub(super) struct ImInfo<'a> {
    /// The sender's user index, if the CPIM From is a user of the cast.
    pub sender: Option<usize>,
    /// Whether it was sent to the group URI.
    pub to_group: bool,
    /// `DateTime`.
    pub datetime: Option<&'a str>,
    /// Requested dispositions.
    pub dispositions: DispositionSet,
    /// CPIM From.
    pub from: &'a str,
    /// Content-Type of the payload.
    pub content_type: &'a str,
    /// The payload.
    pub content: &'a [u8],
}

pub(super) struct Context<'a> {
    pub run: &'a SimRun,
    /// The decoded facts of each entry that is a transmit (None for other entries).
    pub facts: Vec<Option<WireFacts<'a>>>,
    /// IMs by Message-ID.
    pub ims: HashMap<&'a str, ImInfo<'a>>,
    pub violations: Vec<Violation>,
    pub undecodable: Vec<(usize, String)>,
}

impl<'a> Context<'a> {
    pub fn new(run: &'a SimRun) -> Context<'a> {
        let mut undecodable = Vec::new();
        let mut decoder = Decoder::default();
        let facts: Vec<Option<WireFacts<'a>>> = run
            .entries
            .iter()
            .enumerate()
            .map(|(i, e)| {
                let bytes = e.bytes()?;
                decoder
                    .decode(bytes)
                    .map_err(|why| undecodable.push((i + 1, why)))
                    .ok()
            })
            .collect();
        let mut ims: HashMap<&'a str, ImInfo<'a>> = HashMap::new();
        for (entry, facts) in run.entries.iter().zip(&facts) {
            let Some(f) = facts else { continue };
            let (Some(im), Some("MESSAGE")) = (f.im(), f.method()) else {
                continue;
            };
            let Some(id) = im.message_id else { continue };
            if ims.contains_key(id) {
                continue;
            }
            let to_group = matches!(&f.start, super::wire::StartLine::Request { uri, .. }
                if aor_key(uri) == aor_key(&run.cast.group_uri));
            let sender = run
                .cast
                .user_by_aor(im.from)
                .or(match run.cast.roles.get(entry.lane) {
                    Some(Role::UserAgent { user }) => Some(*user),
                    _ => None,
                });
            ims.insert(
                id,
                ImInfo {
                    sender,
                    to_group,
                    datetime: im.datetime,
                    dispositions: im.dispositions,
                    from: im.from,
                    content_type: im.content_type,
                    content: im.content,
                },
            );
        }
        Context {
            run,
            facts,
            ims,
            violations: Vec::new(),
            undecodable,
        }
    }

    pub fn cast(&self) -> &Cast {
        &self.run.cast
    }

    /// Records a violation seen at entry index `index` (0-based).
    pub fn violate(&mut self, property: Monitored, index: usize, detail: String) {
        self.violations.push(Violation {
            property,
            step: index + 1,
            seed: self.run.seed,
            detail,
        });
    }

    /// Entries with their decoded facts (transmits only).
    pub fn transmits(&self) -> impl Iterator<Item = (usize, &'a Entry, &WireFacts<'a>)> + '_ {
        self.run
            .entries
            .iter()
            .zip(&self.facts)
            .enumerate()
            .filter_map(|(i, (e, f))| f.as_ref().map(|f| (i, e, f)))
    }

    /// The user index behind an AOR or URI in an event or IMDN.
    pub fn user(&self, uri: &str) -> Option<usize> {
        self.cast().user_by_aor(uri)
    }

    /// A user's scenario name, for details.
    pub fn name(&self, user: usize) -> &str {
        self.cast().users.get(user).map_or("?", |u| u.name.as_str())
    }

    /// The index of the last entry (where end-of-run facts are reported).
    pub fn last_index(&self) -> usize {
        self.run.entries.len().saturating_sub(1)
    }

    /// Whether the entry is a network duplicate copy.
    pub fn is_duplicate(entry: &Entry) -> bool {
        matches!(
            entry.what,
            Happening::Transmit {
                duplicate: true,
                ..
            }
        )
    }
}

/// The disposition a notification status answers (RFC 5438 section 7.1.1.3).
pub(super) fn requested_by(status: &str) -> Option<crate::cpim::Disposition> {
    use crate::cpim::Disposition;
    match status {
        "delivered" | "failed" => Some(if status == "delivered" {
            Disposition::PositiveDelivery
        } else {
            Disposition::NegativeDelivery
        }),
        "stored" | "processed" => Some(Disposition::Processing),
        "displayed" => Some(Disposition::Display),
        _ => None,
    }
}
