//! The controlled run: the same roles and network plumbing as [`super::Simulation`], but the
//! caller picks every step.
//!
//! # Why
//!
//! The seeded run draws its own schedule, so a failing run can only be shrunk by its seed.
//! Refinement checking, proptest shrinking, model-path replay and fuzzing need the schedule
//! itself as data: [`Stepper::choices`] lists what may happen next and [`Stepper::apply`] does
//! one of them. Picking by "index modulo the number of choices" makes any byte string a valid
//! schedule, and a shorter or smaller one a simpler behaviour.
//!
//! # What may happen next
//!
//! In a fixed order: the delivery of each datagram in flight (oldest first; the network may
//! reorder arbitrarily and delay a message as long as it likes), advancing virtual time to the
//! earliest node timer, and, within the scenario's budgets, the loss or duplication of a datagram
//! in flight (never of a stream segment: a stream is reliable) and the crash of a participating
//! server holding a binding or a stored copy (as the model allows) while it is between
//! exchanges (no transaction alive). A crash in the middle of a transaction loses the proxy's
//! transaction state, and the implementation then handles the client's retransmission as a new
//! request and forwards it again; the model keeps every message in flight across a crash and
//! loses only bindings and deliveries of stored copies, so it has no action for that (the CF's
//! dedupe makes it harmless). Such crashes are outside the refinement space.
//!
//! # Time
//!
//! One global virtual clock. A delivery takes no time. Advancing time fires the earliest timer
//! of one node (ties: the lowest lane) at its instant: retransmissions (timer E), transaction
//! clean-up (K, J), the CF's aggregation flush (`T_agg`) and state expiry (`T_state`), a
//! server's deferred expiry (`T_exp`). K and J ask a node for no wake (in a seeded run the
//! node's next input ends the transaction), but here they stay timers like the others: the
//! controlled run stops at their instants ([`Actor::next_wake`]) and its nodes end those
//! transactions only when woken there ([`Actor::end_absorbing_when_woken`]), so a delivery at
//! the same instant before that wake still finds the transaction. The transactions alive at
//! each step, the crash condition and the choices offered are the ones the refinement map
//! always saw. It is not offered when the earliest timer would be some
//! node's timer F (a request given up): the network delivers within 64·T1 (RFC 3261), which is
//! also what the model assumes when it lets clients retransmit (`faults.retransmission`); nor
//! when a message would stay in flight longer than [`NETWORK_HOLD_MS_MAX`] (T4: a copy held
//! longer could reach a node after its server transaction ended, outside RFC 3261's
//! assumptions and the model's); nor beyond [`super::limits::HORIZON_MS`]. So the only way to reach a timer is to let time pass, and a
//! timer fires in real-time order: `T_state` (240 s) cannot overtake `T_exp` (120 s).
//!
//! # Setup
//!
//! [`Stepper::new`] brings the run to the model's initial state before the first choice: the
//! users that start online register (every message of that exchange delivered at once), each
//! scenario IM is handed to its sender's agent, and every user that starts offline but
//! registers later sends its REGISTER. After a crash the server's user sends its REGISTER at
//! once (the model puts it in flight in the crash step).

use super::actor::Actor;
use super::cast::Cast;
use super::limits::HORIZON_MS;
use super::record::{Entry, Fate, Happening};
use super::schedule::disposition_set;
use super::SimError;
use crate::node::{Bytes, Instant, Transport};
use imflow_model::Scenario;

/// Most deliveries the setup may need to register the online users.
pub const SETUP_DELIVERIES_MAX: usize = 1_000;
/// Longest a message stays in flight while time passes, in milliseconds: T4, the longest the
/// network holds a message (RFC 3261 section 17.1.2.2), as the seeded run's duplicates.
pub const NETWORK_HOLD_MS_MAX: u64 = 5_000;
/// Most datagrams in flight at once in a controlled run.
pub const STEPPER_IN_FLIGHT_MAX: usize = 1_000;

/// One thing the caller may make happen next.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Choice {
    /// Deliver the datagram at this position of [`Stepper::in_flight`].
    Deliver(usize),
    /// Let time pass until the earliest node timer, and fire it.
    AdvanceTime,
    /// The network loses the datagram at this position.
    Drop(usize),
    /// The network duplicates the datagram at this position (the copy is in flight too).
    Duplicate(usize),
    /// The participating server of this user (scenario index) crashes and restarts.
    Crash(usize),
}

/// A datagram or stream segment on its way.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InFlight {
    /// Its transmit entry in the run record.
    pub entry: usize,
    /// The sending lane.
    pub from: usize,
    /// The receiving lane.
    pub to: usize,
    /// Datagram or stream.
    pub transport: Transport,
}

/// What one applied choice did, for the refinement map.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Applied {
    /// A datagram reached its lane; `absorbed` when the transaction layer took it as a
    /// retransmission (its server transaction existed, or its client transaction no longer
    /// awaited a final response).
    Delivered {
        /// The transmit entry delivered.
        entry: usize,
        /// Taken as a retransmission.
        absorbed: bool,
    },
    /// Time advanced to the timer of this lane, which fired.
    Timer {
        /// The lane whose timer fired.
        lane: usize,
    },
    /// The datagram of this transmit entry was lost.
    Dropped {
        /// The transmit entry lost.
        entry: usize,
    },
    /// The datagram of `entry` was duplicated as `copy`.
    Duplicated {
        /// The original transmit entry.
        entry: usize,
        /// The copy's transmit entry.
        copy: usize,
    },
    /// The server of this user crashed and restarted.
    Crashed {
        /// The user (scenario index).
        user: usize,
    },
}

/// A scenario running under a caller-chosen schedule.
#[derive(Debug)]
pub struct Stepper {
    pub(super) scenario: String,
    pub(super) cast: Cast,
    pub(super) actors: Vec<Actor>,
    pub(super) now: Instant,
    pub(super) in_flight: Vec<InFlight>,
    pub(super) entries: Vec<Entry>,
    pub(super) drops_left: u8,
    pub(super) duplicates_left: u8,
    pub(super) crashes_left: u8,
    pub(super) message_ids: Vec<Option<String>>,
    pub(super) timer_wakes: usize,
}

impl Stepper {
    /// A controlled run of `scenario`, its nodes seeded from `seed`, brought to the model's
    /// initial state (see the module docs).
    pub fn new(scenario: &Scenario, seed: u64) -> Result<Stepper, SimError> {
        scenario
            .validate()
            .map_err(|e| SimError::Scenario(e.to_string()))?;
        let cast = Cast::new(scenario);
        let mut actors = (0..cast.lanes.len())
            .map(|lane| super::build::actor(&cast, scenario, seed, lane))
            .collect::<Result<Vec<_>, _>>()?;
        actors.iter_mut().for_each(Actor::end_absorbing_when_woken);
        let mut stepper = Stepper {
            scenario: scenario.name.clone(),
            cast,
            actors,
            now: Instant(0),
            in_flight: Vec::new(),
            entries: Vec::new(),
            drops_left: scenario.faults.drops_max,
            duplicates_left: scenario.faults.duplicates_max,
            crashes_left: scenario.faults.crashes_max,
            message_ids: Vec::new(),
            timer_wakes: 0,
        };
        stepper.set_up(scenario)?;
        Ok(stepper)
    }

    fn set_up(&mut self, scenario: &Scenario) -> Result<(), SimError> {
        let starts_offline = |name: &String| {
            scenario.offline.contains(name) || scenario.stays_offline.contains(name)
        };
        let users = self.cast.users.clone();
        for user in users.iter().filter(|u| !starts_offline(&u.name)) {
            self.register(user.ua_lane)?;
        }
        for _ in 0..SETUP_DELIVERIES_MAX {
            if self.in_flight.is_empty() {
                break;
            }
            self.apply(Choice::Deliver(0))?;
        }
        let group = self.cast.group_uri.clone();
        for (i, message) in scenario.messages.iter().enumerate() {
            let lane = self
                .cast
                .user_index(&message.from)
                .and_then(|u| self.cast.users.get(u))
                .map(|u| u.ua_lane)
                .ok_or_else(|| SimError::UnknownActor(message.from.clone()))?;
            let text = format!("Message {} to the group.", i + 1);
            let set = disposition_set(&message.dispositions);
            let now = self.now;
            let id = match self.actors.get_mut(lane) {
                Some(Actor::UserAgent(ua)) => ua.send_im(now, &group, set, &text).ok(),
                _ => return Err(SimError::NotAUser(message.from.clone())),
            };
            self.message_ids.push(id);
            self.drain(lane)?;
        }
        for user in users.iter().filter(|u| scenario.offline.contains(&u.name)) {
            self.register(user.ua_lane)?;
        }
        Ok(())
    }

    pub(super) fn register(&mut self, lane: usize) -> Result<(), SimError> {
        let now = self.now;
        match self.actors.get_mut(lane) {
            Some(Actor::UserAgent(ua)) => ua.register(now),
            _ => return Err(SimError::NotAUser(format!("lane {lane}"))),
        }
        self.drain(lane)
    }

    /// The actors of this run.
    pub fn cast(&self) -> &Cast {
        &self.cast
    }

    /// The role on each lane.
    pub fn actors(&self) -> &[Actor] {
        &self.actors
    }

    /// The Message-ID the sender's agent gave each scenario IM (None if it refused to send).
    pub fn message_ids(&self) -> &[Option<String>] {
        &self.message_ids
    }

    /// The run record so far.
    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    /// The datagrams in flight, oldest first.
    pub fn in_flight(&self) -> &[InFlight] {
        &self.in_flight
    }

    /// The virtual time now.
    pub fn now(&self) -> Instant {
        self.now
    }

    /// The lane and instant of the timer that [`Choice::AdvanceTime`] would fire, if offered.
    pub fn next_timer(&self) -> Option<(usize, Instant)> {
        let (lane, at) = self
            .actors
            .iter()
            .enumerate()
            .filter_map(|(lane, a)| a.next_wake().map(|t| (t, lane)))
            .min()
            .map(|(t, lane)| (lane, t))?;
        let give_up = self.actors.iter().filter_map(Actor::next_give_up).min();
        let within_horizon = at <= Instant(0).plus_millis(HORIZON_MS);
        let held_until = self
            .in_flight
            .iter()
            .filter_map(|f| self.entries.get(f.entry).map(|e| e.at))
            .min()
            .map(|sent| sent.plus_millis(NETWORK_HOLD_MS_MAX));
        let held = held_until.is_some_and(|limit| at > limit);
        (within_horizon && !held && give_up.is_none_or(|f| at < f))
            .then_some((lane, at.max(self.now)))
    }

    /// Every choice offered now, in the fixed order of the module docs.
    pub fn choices(&self) -> Vec<Choice> {
        let mut out: Vec<Choice> = (0..self.in_flight.len()).map(Choice::Deliver).collect();
        if self.next_timer().is_some() {
            out.push(Choice::AdvanceTime);
        }
        let datagrams = || {
            self.in_flight
                .iter()
                .enumerate()
                .filter(|(_, f)| f.transport == Transport::Udp)
                .map(|(i, _)| i)
        };
        if self.drops_left > 0 {
            out.extend(datagrams().map(Choice::Drop));
        }
        if self.duplicates_left > 0 && self.in_flight.len() < STEPPER_IN_FLIGHT_MAX {
            out.extend(datagrams().map(Choice::Duplicate));
        }
        if self.crashes_left > 0 {
            out.extend(
                (0..self.cast.users.len())
                    .filter(|u| self.may_crash(*u))
                    .map(Choice::Crash),
            );
        }
        out
    }

    /// The model's crash condition (the server holds a binding or a stored copy), at a moment
    /// the server is between exchanges (see the module docs).
    fn may_crash(&self, user: usize) -> bool {
        let Some(u) = self.cast.users.get(user) else {
            return false;
        };
        match self.actors.get(u.server_lane) {
            Some(a @ Actor::Participating(pf)) => {
                a.is_between_exchanges()
                    && (pf.binding(&u.aor).is_some() || !pf.deferred_store().is_empty())
            }
            _ => false,
        }
    }

    /// True when nothing is in flight and no timer is offered: the run is over.
    pub fn is_quiescent(&self) -> bool {
        self.in_flight.is_empty() && self.next_timer().is_none()
    }

    /// Makes `choice` happen; a choice not offered now is refused as [`SimError::NotOffered`].
    pub fn apply(&mut self, choice: Choice) -> Result<Applied, SimError> {
        let refused = || SimError::NotOffered(format!("{choice:?}"));
        match choice {
            Choice::Deliver(i) => {
                if i >= self.in_flight.len() {
                    return Err(refused());
                }
                let flight = self.in_flight.remove(i);
                self.deliver(flight)
            }
            Choice::AdvanceTime => {
                let (lane, at) = self.next_timer().ok_or_else(refused)?;
                self.now = self.now.max(at);
                self.timer_wakes += 1;
                let now = self.now;
                if let Some(actor) = self.actors.get_mut(lane) {
                    actor.node_mut().handle_timeout(now);
                }
                self.drain(lane)?;
                Ok(Applied::Timer { lane })
            }
            Choice::Drop(i) => {
                let flight = self.datagram(i).ok_or_else(refused)?;
                if self.drops_left == 0 {
                    return Err(refused());
                }
                self.drops_left -= 1;
                self.in_flight.remove(i);
                if let Some(Happening::Transmit { fate, .. }) =
                    self.entries.get_mut(flight.entry).map(|e| &mut e.what)
                {
                    *fate = Fate::Lost;
                }
                Ok(Applied::Dropped {
                    entry: flight.entry,
                })
            }
            Choice::Duplicate(i) => {
                let flight = self.datagram(i).ok_or_else(refused)?;
                if self.duplicates_left == 0 {
                    return Err(refused());
                }
                self.duplicates_left -= 1;
                // The copy shares the original's buffer.
                let bytes = match self.entries.get(flight.entry).map(|e| &e.what) {
                    Some(Happening::Transmit { bytes, .. }) => bytes.clone(),
                    _ => Bytes::new(),
                };
                let copy = self.record(flight.from, flight.to, flight.transport, bytes, true)?;
                Ok(Applied::Duplicated {
                    entry: flight.entry,
                    copy,
                })
            }
            Choice::Crash(user) => {
                if self.crashes_left == 0 || !self.may_crash(user) {
                    return Err(refused());
                }
                self.crashes_left -= 1;
                self.crash(user)?;
                Ok(Applied::Crashed { user })
            }
        }
    }
}
