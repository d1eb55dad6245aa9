//! The lockstep check: the model follows the concrete run step by step.
//!
//! Each concrete step maps to model actions (see the table in the module docs of
//! [`super`]); each must be enabled in the current model state, and the projection of the
//! model's next state must equal the projection of the concrete state after the step. A step
//! that maps to no action (a stutter step) must leave the concrete projection unchanged.
//!
//! A retransmission the transaction layer absorbs is a stutter step. The model, in contrast,
//! retransmits end to end: after a lost response it delivers the request again and the next
//! hop handles it again, where the concrete server transaction answers from its cache; and a
//! duplicate it makes is delivered, where the concrete layer absorbs the copy. So the model may
//! hold packets the concrete network does not. When a concrete step's actions are not enabled
//! or do not match, the model may first deliver such packets (at most [`CATCH_UP_STEPS_MAX`]),
//! each only if it leaves the projection unchanged: the concrete step then maps to those
//! deliveries followed by its own actions.

use super::divergence::{Divergence, Reason};
use super::history::History;
use super::packet::{Abstract, PacketMap};
use super::projection::Projection;
use crate::sim::absorb::is_retransmission;
use crate::sim::{Applied, Choice, Happening, Stepper};
use imflow_model::action::{enabled_actions, Action};
use imflow_model::message::Packet;
use imflow_model::state::{CfPhase, State, Store};
use imflow_model::GroupImModel;
use stateright::Model;
use std::collections::{HashMap, HashSet};

/// Most model-only deliveries (see `catch_up`) taken to match one concrete step.
pub const CATCH_UP_STEPS_MAX: usize = 16;

/// How a concrete step maps to the model.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Mapped {
    /// These actions, in order, each of which must be enabled.
    Actions(Vec<Action>),
    /// No action: the abstract state must not change.
    Stutter,
    /// The step cannot be placed at all (the reason says why).
    Unplaceable(&'static str),
}

/// The refinement check of one controlled run.
#[derive(Debug)]
pub struct Lockstep {
    model: GroupImModel,
    state: State,
    packets: PacketMap,
    abstracts: HashMap<usize, Abstract>,
    history: History,
    registered: usize,
    concrete: Projection,
    steps: usize,
    delivered: HashSet<Packet>,
}

impl Lockstep {
    /// Starts checking `stepper` (just set up) against `model`; the initial states must agree.
    pub fn new(model: GroupImModel, stepper: &Stepper) -> Result<Lockstep, Box<Divergence>> {
        let cast = stepper.cast();
        let senders = model
            .scenario()
            .messages
            .iter()
            .map(|m| {
                cast.user_index(&m.from)
                    .and_then(|u| cast.users.get(u))
                    .map_or(String::new(), |u| u.aor.clone())
            })
            .collect();
        let mut history = History::new(stepper.message_ids(), senders);
        history.update(cast, stepper.entries());
        let state = model.initial_state();
        let mut check = Lockstep {
            packets: PacketMap::new(stepper.message_ids()),
            abstracts: HashMap::new(),
            concrete: Projection::of_run(stepper, &history),
            history,
            registered: 0,
            state,
            model,
            steps: 0,
            delivered: HashSet::new(),
        };
        check.register_transmits(stepper);
        let expected = Projection::of_model(check.model.config(), &check.state);
        if expected != check.concrete {
            return Err(check.divergence(
                stepper,
                "the setup",
                Mapped::Stutter,
                Reason::StatesDiffer,
                &expected,
            ));
        }
        Ok(check)
    }

    /// The model state the check has reached.
    pub fn model_state(&self) -> &State {
        &self.state
    }

    /// The model the check runs.
    pub fn model(&self) -> &GroupImModel {
        &self.model
    }

    /// Concrete steps checked so far.
    pub fn steps(&self) -> usize {
        self.steps
    }

    /// How `applied` (just done by `stepper`) maps to the model, before it is checked.
    pub fn map(&self, stepper: &Stepper, applied: &Applied) -> Mapped {
        match *applied {
            Applied::Delivered { entry, absorbed } => match self.abstracts.get(&entry) {
                Some(Abstract::Packet(_)) if absorbed => Mapped::Stutter,
                Some(Abstract::Packet(p)) => {
                    let copy = p.duplicated();
                    let enabled = |a: Action| self.enabled(a);
                    if !enabled(Action::Deliver(*p)) && copy != *p && enabled(Action::Deliver(copy))
                    {
                        Mapped::Actions(vec![Action::Deliver(copy)])
                    } else {
                        Mapped::Actions(vec![Action::Deliver(*p)])
                    }
                }
                Some(Abstract::Unmodelled(_)) => Mapped::Stutter,
                Some(Abstract::Unknown(why)) => Mapped::Unplaceable(why),
                None => Mapped::Unplaceable("a delivery of a message the map never saw sent"),
            },
            // A lost message is only a delay: its client retransmits the request, and the server
            // transaction answers a retransmission with its cached final response (RFC 3261
            // section 17.2.2). See the module docs of `refine` on the model's `Drop`.
            Applied::Dropped { .. } => Mapped::Stutter,
            Applied::Duplicated { entry, copy } => match self.abstracts.get(&entry) {
                Some(Abstract::Packet(p)) if self.is_live(stepper, entry, copy) => {
                    Mapped::Actions(vec![Action::Duplicate(*p)])
                }
                _ => Mapped::Stutter,
            },
            Applied::Crashed { user } => Mapped::Actions(vec![Action::Crash(user as u8)]),
            Applied::Timer { lane } => self.timer_actions(stepper, lane),
        }
    }

    /// Checks one step `stepper` just did (`choice`, which did `applied`).
    pub fn step(
        &mut self,
        stepper: &Stepper,
        choice: Choice,
        applied: &Applied,
    ) -> Result<Vec<Action>, Box<Divergence>> {
        let mapped = self.map(stepper, applied);
        self.steps += 1;
        self.history.update(stepper.cast(), stepper.entries());
        self.register_transmits(stepper);
        self.concrete = Projection::of_run(stepper, &self.history);
        let what = describe(stepper, choice, applied);
        let fail = |me: &Self, mapped: Mapped, reason: Reason, expected: &Projection| {
            Err(me.divergence(stepper, &what, mapped, reason, expected))
        };
        let current = Projection::of_model(self.model.config(), &self.state);
        match mapped.clone() {
            Mapped::Stutter => {
                if current != self.concrete {
                    return fail(self, mapped, Reason::StutterChangedState, &current);
                }
                Ok(Vec::new())
            }
            Mapped::Unplaceable(_) => fail(self, mapped, Reason::Unplaceable, &current),
            Mapped::Actions(actions) => {
                let mut state = self.state.clone();
                let mut taken = Vec::new();
                let mut products = Vec::new();
                for _ in 0..=CATCH_UP_STEPS_MAX {
                    if let Some(next) = self.apply_all(&state, &actions) {
                        let (next, flushes) = self.eager_flushes(next);
                        if Projection::of_model(self.model.config(), &next) == self.concrete {
                            taken.extend(actions.iter().copied());
                            taken.extend(flushes);
                            self.state = next;
                            for action in &taken {
                                if let Action::Deliver(p) = action {
                                    self.delivered.insert(*p);
                                }
                            }
                            self.delivered.extend(products);
                            return Ok(taken);
                        }
                    }
                    match self.catch_up(stepper, &state, &actions, &products) {
                        Some((phantom, next)) => {
                            let mut before = state.network.clone();
                            for p in &next.network {
                                match before.iter().position(|q| q == p) {
                                    Some(i) => {
                                        before.swap_remove(i);
                                    }
                                    None => products.push(*p),
                                }
                            }
                            taken.push(phantom);
                            state = next;
                        }
                        None => break,
                    }
                }
                let mut state = self.state.clone();
                for action in &actions {
                    match self
                        .model
                        .next_state(&state, *action)
                        .filter(|_| self.enabled_in(&state, *action))
                    {
                        Some(next) => state = next,
                        None => {
                            return fail(
                                self,
                                mapped.clone(),
                                Reason::NotEnabled(*action),
                                &current,
                            )
                        }
                    }
                }
                let expected = Projection::of_model(self.model.config(), &state);
                fail(self, mapped, Reason::StatesDiffer, &expected)
            }
        }
    }

    /// The CF's flushes the implementation did at once where the model waits for `T_agg`: the
    /// model's completion rule waits for every leg that reached its agent to report, even when
    /// the sender asked for no positive-delivery (so none will); the implementation's rule
    /// (RFC 5438 section 8.3) does not wait for reports nobody will send. The model allows
    /// `T_agg` at any time the buffer is not empty, so such a step is the delivery followed by
    /// `AggregationFlush(m)`, taken only when it is enabled and the implementation's buffer for
    /// `m` is empty.
    fn eager_flushes(&self, mut state: State) -> (State, Vec<Action>) {
        let mut flushes = Vec::new();
        for (m, message) in self.concrete.messages.iter().enumerate() {
            let empty = message
                .legs
                .iter()
                .all(|l| l.buffered.is_none_or(|b| b == 0));
            let action = Action::AggregationFlush(m as u8);
            if empty && self.enabled_in(&state, action) {
                if let Some(next) = self.model.next_state(&state, action) {
                    state = next;
                    flushes.push(action);
                }
            }
        }
        (state, flushes)
    }

    /// The model state after `actions` from `state`, if each is enabled in turn.
    fn apply_all(&self, state: &State, actions: &[Action]) -> Option<State> {
        let mut state = state.clone();
        for action in actions {
            if !self.enabled_in(&state, *action) {
                return None;
            }
            state = self.model.next_state(&state, *action)?;
        }
        Some(state)
    }

    /// One model step the concrete run has no counterpart for: the delivery of a packet the
    /// model has in flight but the concrete network does not, and that the concrete run
    /// already delivered once (a request the model retransmits end to end after a lost
    /// response, where the concrete server transaction answers from its cache; a copy the
    /// concrete transaction layer absorbed), which leaves the projection as it is. Never the
    /// packet of the step being checked, and never a packet the implementation has not sent
    /// yet (packets earlier catch-up deliveries made are model-only too) (e.g. an IM its agent holds back behind a pending one, RFC 3428 section 8).
    fn catch_up(
        &self,
        stepper: &Stepper,
        state: &State,
        targets: &[Action],
        products: &[Packet],
    ) -> Option<(Action, State)> {
        // The concrete counterparts: messages in flight their receiver would take as new.
        let fresh = |f: &crate::sim::InFlight| {
            let bytes = stepper.entries().get(f.entry).and_then(|e| e.bytes());
            match (stepper.actors().get(f.to), bytes) {
                (Some(actor), Some(bytes)) => !is_retransmission(actor, bytes),
                _ => false,
            }
        };
        let mut concrete: Vec<Packet> = stepper
            .in_flight()
            .iter()
            .filter(|f| fresh(f))
            .filter_map(|f| match self.abstracts.get(&f.entry) {
                Some(Abstract::Packet(p)) => Some(*p),
                _ => None,
            })
            .collect();
        let here = Projection::of_model(self.model.config(), state);
        let mut phantoms = Vec::new();
        for p in &state.network {
            match concrete.iter().position(|c| c == p) {
                Some(i) => {
                    concrete.swap_remove(i);
                }
                None => phantoms.push(*p),
            }
        }
        let seen = |p: &Packet| {
            let original = match *p {
                Packet::Imdn {
                    m, r, status, hop, ..
                } => Packet::Imdn {
                    m,
                    r,
                    status,
                    hop,
                    copy: false,
                },
                Packet::Aggregate {
                    m, entries, hop, ..
                } => Packet::Aggregate {
                    m,
                    entries,
                    hop,
                    copy: false,
                },
                other => other,
            };
            self.delivered.contains(&original) || products.contains(p)
        };
        phantoms.retain(|p| seen(p));
        phantoms.into_iter().find_map(|p| {
            let action = Action::Deliver(p);
            if targets.contains(&action) {
                return None;
            }
            let next = self.model.next_state(state, action)?;
            (Projection::of_model(self.model.config(), &next) == here).then_some((action, next))
        })
    }

    /// How `choice` would map if `stepper` applied it now; `None` for a timer (what it does is
    /// known only once it fired).
    pub fn predict(&self, stepper: &Stepper, choice: Choice) -> Option<Mapped> {
        let flight = |i: usize| stepper.in_flight().get(i).copied();
        let applied = match choice {
            Choice::Deliver(i) => {
                let f = flight(i)?;
                let bytes = stepper.entries().get(f.entry)?.bytes()?;
                let absorbed = is_retransmission(stepper.actors().get(f.to)?, bytes);
                Applied::Delivered {
                    entry: f.entry,
                    absorbed,
                }
            }
            Choice::Drop(i) => Applied::Dropped {
                entry: flight(i)?.entry,
            },
            Choice::Duplicate(i) => Applied::Duplicated {
                entry: flight(i)?.entry,
                copy: usize::MAX,
            },
            Choice::Crash(user) => Applied::Crashed { user },
            Choice::AdvanceTime => return None,
        };
        Some(self.map(stepper, &applied))
    }

    /// The divergence of a model path whose next action `action` no concrete step offered
    /// now maps to; `offered` lists what the implementation could do instead.
    pub fn refuse(&self, stepper: &Stepper, action: Action, offered: &[String]) -> Box<Divergence> {
        let current = Projection::of_model(self.model.config(), &self.state);
        let what = if offered.is_empty() {
            "nothing (no step offered)".to_string()
        } else {
            format!("offers only: {}", offered.join(" | "))
        };
        let mut d = self.divergence(
            stepper,
            &what,
            Mapped::Actions(vec![action]),
            Reason::NoMatchingStep,
            &current,
        );
        d.step = self.steps + 1;
        d
    }

    fn enabled(&self, action: Action) -> bool {
        self.enabled_in(&self.state, action)
    }

    fn enabled_in(&self, state: &State, action: Action) -> bool {
        let mut actions = Vec::new();
        enabled_actions(self.model.config(), state, &mut actions);
        actions.contains(&action)
    }

    /// True if the datagram of `entry` would still be taken as new by its receiver, and no
    /// other copy of it is in flight (so losing or copying it is a fault the model sees).
    fn is_live(&self, stepper: &Stepper, entry: usize, copy: usize) -> bool {
        let Some(e) = stepper.entries().get(entry) else {
            return false;
        };
        let (Happening::Transmit { to, bytes, .. }, from) = (&e.what, e.lane) else {
            return false;
        };
        let fresh = stepper
            .actors()
            .get(*to)
            .is_some_and(|a| !is_retransmission(a, bytes));
        let twins = stepper.in_flight().iter().filter(|f| {
            f.entry != entry
                && f.entry != copy
                && f.from == from
                && f.to == *to
                && stepper.entries().get(f.entry).and_then(|x| x.bytes()) == Some(bytes.as_slice())
        });
        fresh && twins.count() == 0
    }

    /// The model actions a fired timer on `lane` stands for, read from what changed: a CF
    /// buffer that emptied is `T_agg` (or the flush `T_state` does first), a freed record is
    /// `T_state`, a stored copy that expired is `T_exp`. Anything else a timer does
    /// (retransmission, transaction clean-up) is a stutter.
    fn timer_actions(&self, stepper: &Stepper, lane: usize) -> Mapped {
        let before = &self.concrete;
        let mut history = self.history.clone();
        history.update(stepper.cast(), stepper.entries());
        let after = Projection::of_run(stepper, &history);
        let mut actions = Vec::new();
        let cast = stepper.cast();
        for (m, (b, a)) in before.messages.iter().zip(&after.messages).enumerate() {
            let m8 = m as u8;
            if lane == cast.cf_lane && b.cf == CfPhase::Active {
                let buffered = |legs: &[super::projection::LegView]| {
                    legs.iter().any(|l| l.buffered.is_some_and(|b| b != 0))
                };
                if buffered(&b.legs) && !buffered(&a.legs) {
                    actions.push(Action::AggregationFlush(m8));
                }
                if a.cf == CfPhase::Freed {
                    actions.push(Action::CfStateExpiry(m8));
                }
            }
            for (r, user) in cast.users.iter().enumerate() {
                let (Some(x), Some(y)) = (b.legs.get(r), a.legs.get(r)) else {
                    continue;
                };
                let live = matches!(x.store, Store::Stored | Store::Delivering);
                if lane == user.server_lane && live && y.store == Store::Expired {
                    actions.push(Action::DeferredExpiry { m: m8, r: r as u8 });
                }
            }
        }
        if actions.is_empty() {
            Mapped::Stutter
        } else {
            Mapped::Actions(actions)
        }
    }

    fn register_transmits(&mut self, stepper: &Stepper) {
        let entries = stepper.entries();
        for (i, entry) in entries.iter().enumerate().skip(self.registered) {
            if let Happening::Transmit {
                to,
                bytes,
                duplicate,
                ..
            } = &entry.what
            {
                if *duplicate {
                    // A network copy carries the abstraction of the transmit it copies.
                    let original = entries[..i]
                        .iter()
                        .rposition(|e| e.lane == entry.lane && e.bytes() == Some(bytes.as_slice()));
                    if let Some(a) = original.and_then(|o| self.abstracts.get(&o).copied()) {
                        self.abstracts.insert(i, a);
                    }
                    continue;
                }
                let a = self
                    .packets
                    .abstract_message(stepper.cast(), entry.lane, *to, bytes);
                self.abstracts.insert(i, a);
            }
        }
        self.registered = entries.len();
    }

    fn divergence(
        &self,
        stepper: &Stepper,
        what: &str,
        mapped: Mapped,
        reason: Reason,
        expected: &Projection,
    ) -> Box<Divergence> {
        Box::new(Divergence {
            step: self.steps,
            concrete_step: what.to_string(),
            mapped: match &mapped {
                Mapped::Actions(a) => a
                    .iter()
                    .map(|a| self.model.describe(a))
                    .collect::<Vec<_>>()
                    .join("; "),
                Mapped::Stutter => "no model action (a stutter step)".to_string(),
                Mapped::Unplaceable(why) => format!("nothing: {why}"),
            },
            reason: match reason {
                Reason::NotEnabled(a) => Reason::NotEnabledText(self.model.describe(&a)),
                other => other,
            },
            model: expected.clone(),
            implementation: self.concrete.clone(),
            differences: expected.differences(&self.concrete),
            model_state: format!("{:?}", self.state),
            time_ms: stepper.now().as_millis(),
        })
    }
}

/// A concrete step in words: the choice and, for a message, its hop and start line.
pub fn describe(stepper: &Stepper, choice: Choice, applied: &Applied) -> String {
    let lane = |l: usize| {
        stepper
            .cast()
            .lanes
            .get(l)
            .cloned()
            .unwrap_or_else(|| format!("lane {l}"))
    };
    let message = |entry: usize| {
        let e = stepper.entries().get(entry);
        let start = e
            .and_then(|e| e.bytes())
            .and_then(|b| b.split(|c| *c == b'\r').next())
            .map(|l| String::from_utf8_lossy(l).into_owned())
            .unwrap_or_default();
        match e.map(|e| (&e.what, e.lane)) {
            Some((Happening::Transmit { to, .. }, from)) => {
                format!("{} -> {}: {start}", lane(from), lane(*to))
            }
            _ => start,
        }
    };
    match applied {
        Applied::Delivered { entry, absorbed } => format!(
            "{choice:?}: deliver {}{}",
            message(*entry),
            if *absorbed {
                " (absorbed as a retransmission)"
            } else {
                ""
            }
        ),
        Applied::Timer { lane: l } => format!(
            "{choice:?}: a timer of {} fires at {} ms",
            lane(*l),
            stepper.now().as_millis()
        ),
        Applied::Dropped { entry } => format!("{choice:?}: the network loses {}", message(*entry)),
        Applied::Duplicated { entry, .. } => {
            format!("{choice:?}: the network duplicates {}", message(*entry))
        }
        Applied::Crashed { user } => format!(
            "{choice:?}: Server {} crashes and restarts",
            stepper
                .cast()
                .users
                .get(*user)
                .map_or("?", |u| u.name.as_str())
        ),
    }
}
