//! The simulated network: delay, hold (reorder), drop, duplicate, within the fault budgets.
//!
//! Seeded faults touch datagrams only: a stream (TCP) is reliable and keeps its order, so a
//! stream transmit is only delayed, and never arrives before an earlier one on the same
//! connection. Scripted faults (tests) apply to the first transmit they match.

use super::cast::Cast;
use super::config::{ScriptedFault, SimConfig, WireMatch};
use super::limits::{
    DELAY_US_MAX, DELAY_US_MIN, DROP_PERCENT, DUPLICATE_DELAY_US_MAX, DUPLICATE_PERCENT,
    HOLD_PERCENT, HOLD_US_MAX,
};
use super::record::{Entry, Fate, Happening};
use super::run::{Item, Simulation};
use super::SimError;
use crate::node::{Bytes, Instant, Transmit, Transport};
use rand::Rng;

/// A scripted fault resolved to lanes, and whether it has fired.
#[derive(Debug, Clone)]
struct Scripted {
    kind: ScriptedKind,
    fired: bool,
}

#[derive(Debug, Clone)]
enum ScriptedKind {
    Drop(LaneMatch),
    Duplicate(LaneMatch, u64),
    Delay(LaneMatch, u64),
}

#[derive(Debug, Clone)]
struct LaneMatch {
    from: usize,
    to: usize,
    start: String,
    contains: Option<String>,
}

impl LaneMatch {
    fn matches(&self, from: usize, to: usize, bytes: &[u8]) -> bool {
        from == self.from
            && to == self.to
            && bytes.starts_with(self.start.as_bytes())
            && self
                .contains
                .as_ref()
                .is_none_or(|c| bytes.windows(c.len().max(1)).any(|w| w == c.as_bytes()))
    }
}

/// What is left of the fault budgets, and the scripted faults.
#[derive(Debug, Clone)]
pub(super) struct FaultState {
    /// Seeded faults are on.
    pub seeded: bool,
    drops_left: u8,
    duplicates_left: u8,
    script: Vec<Scripted>,
    /// Scripted crashes: (lane, ms).
    pub crashes: Vec<(usize, u64)>,
}

fn lane(cast: &Cast, name: &str) -> Result<usize, SimError> {
    cast.lanes
        .iter()
        .position(|l| l == name)
        .ok_or_else(|| SimError::UnknownActor(name.to_string()))
}

fn lane_match(cast: &Cast, m: &WireMatch) -> Result<LaneMatch, SimError> {
    Ok(LaneMatch {
        from: lane(cast, &m.from)?,
        to: lane(cast, &m.to)?,
        start: m.start.clone(),
        contains: m.contains.clone(),
    })
}

impl FaultState {
    /// The budgets start empty; `schedule` fills them from the scenario when faults are on.
    pub fn new(cast: &Cast, config: &SimConfig) -> Result<FaultState, SimError> {
        let mut script = Vec::new();
        let mut crashes = Vec::new();
        for fault in &config.script {
            let kind = match fault {
                ScriptedFault::Drop(m) => ScriptedKind::Drop(lane_match(cast, m)?),
                ScriptedFault::Duplicate { matching, delay_ms } => {
                    ScriptedKind::Duplicate(lane_match(cast, matching)?, *delay_ms)
                }
                ScriptedFault::Delay { matching, delay_ms } => {
                    ScriptedKind::Delay(lane_match(cast, matching)?, *delay_ms)
                }
                ScriptedFault::Crash { lane: l, at_ms } => {
                    crashes.push((lane(cast, l)?, *at_ms));
                    continue;
                }
            };
            script.push(Scripted { kind, fired: false });
        }
        Ok(FaultState {
            seeded: config.faults,
            drops_left: 0,
            duplicates_left: 0,
            script,
            crashes,
        })
    }

    /// Sets the seeded budgets (from the scenario's `faults`).
    pub fn set_budgets(&mut self, drops_max: u8, duplicates_max: u8) {
        if self.seeded {
            self.drops_left = drops_max;
            self.duplicates_left = duplicates_max;
        }
    }
}

impl Simulation {
    /// Puts one transmit of the node on `lane` onto the network.
    pub(super) fn send(&mut self, lane: usize, transmit: Transmit) {
        let now = self.now;
        let Some(to) = self.cast.lane_of(transmit.to) else {
            self.entries.push(Entry {
                at: now,
                lane,
                what: Happening::Transmit {
                    to: lane,
                    transport: transmit.transport,
                    bytes: transmit.bytes,
                    fate: Fate::Unroutable,
                    duplicate: false,
                },
            });
            return;
        };
        let datagram = transmit.transport == Transport::Udp;
        let mut delay = self.rng.random_range(DELAY_US_MIN..=DELAY_US_MAX);
        let mut lost = false;
        let mut duplicate_delay = None;
        for scripted in &mut self.faults.script {
            match &scripted.kind {
                ScriptedKind::Delay(m, ms) if m.matches(lane, to, &transmit.bytes) => {
                    delay = delay.saturating_add(ms.saturating_mul(1000));
                }
                ScriptedKind::Drop(m)
                    if !scripted.fired && m.matches(lane, to, &transmit.bytes) =>
                {
                    scripted.fired = true;
                    lost = true;
                }
                ScriptedKind::Duplicate(m, ms)
                    if !scripted.fired && m.matches(lane, to, &transmit.bytes) =>
                {
                    scripted.fired = true;
                    duplicate_delay = Some(ms.saturating_mul(1000));
                }
                _ => {}
            }
        }
        if self.faults.seeded && datagram {
            if self.rng.random_ratio(HOLD_PERCENT, 100) {
                delay = delay.saturating_add(self.rng.random_range(0..=HOLD_US_MAX));
            }
            if self.faults.drops_left > 0 && self.rng.random_ratio(DROP_PERCENT, 100) {
                self.faults.drops_left -= 1;
                lost = true;
            }
            if duplicate_delay.is_none()
                && self.faults.duplicates_left > 0
                && self.rng.random_ratio(DUPLICATE_PERCENT, 100)
            {
                self.faults.duplicates_left -= 1;
                duplicate_delay = Some(self.rng.random_range(0..=DUPLICATE_DELAY_US_MAX));
            }
        }
        let mut arrival = Instant(now.0.saturating_add(delay));
        if !datagram {
            // A stream keeps its order: never before the previous segment on this connection.
            let tail = self.stream_tail.entry((lane, to)).or_insert(arrival);
            arrival = arrival.max(*tail);
            *tail = arrival;
        }
        let copy = duplicate_delay.map(|extra| (transmit.bytes.clone(), extra));
        let fate = if lost {
            Fate::Lost
        } else {
            Fate::Delivered { at: arrival }
        };
        self.record_transmit(lane, to, transmit.transport, transmit.bytes, fate, false);
        if let Some((bytes, extra)) = copy {
            let at = Instant(arrival.0.saturating_add(extra));
            let fate = Fate::Delivered { at };
            self.record_transmit(lane, to, transmit.transport, bytes, fate, true);
        }
    }

    fn record_transmit(
        &mut self,
        lane: usize,
        to: usize,
        transport: Transport,
        bytes: Bytes,
        fate: Fate,
        duplicate: bool,
    ) {
        let entry = self.entries.len();
        self.entries.push(Entry {
            at: self.now,
            lane,
            what: Happening::Transmit {
                to,
                transport,
                bytes,
                fate,
                duplicate,
            },
        });
        if let Fate::Delivered { at } = fate {
            self.in_flight += 1;
            self.push(at, Item::Deliver { entry });
        }
    }
}
