//! The lockstep check: the model follows the concrete run step by step.
//!
//! Each concrete step maps to model actions (see the table in the module docs of
//! [`super`]); each must be enabled in the current model state, and the projection of the
//! model's next state must equal the projection of the concrete state after the step. A step
//! that maps to no action (a stutter step) must leave the concrete projection unchanged.
//!
//! A retransmission the transaction layer absorbs is *optionally* the model's delivery of the
//! same packet: after a lost response the model puts the retransmitted request in flight and
//! delivers it again, while the concrete server transaction answers it from its cache. The
//! optional action is taken when it is enabled and the model's next state projects to the
//! concrete one; otherwise the step must be a stutter.

use super::divergence::{Divergence, Reason};
use super::history::History;
use super::packet::{Abstract, PacketMap};
use super::projection::Projection;
use crate::sim::absorb::is_retransmission;
use crate::sim::{Applied, Choice, Happening, Stepper};
use imflow_model::action::{enabled_actions, Action};
use imflow_model::state::{CfPhase, State, Store};
use imflow_model::GroupImModel;
use stateright::Model;
use std::collections::HashMap;

/// How a concrete step maps to the model.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Mapped {
    /// These actions, in order, each of which must be enabled.
    Actions(Vec<Action>),
    /// This action if it is enabled and matches; else a stutter step.
    Optional(Action),
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
                Some(Abstract::Packet(p)) if absorbed => Mapped::Optional(Action::Deliver(*p)),
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
            Applied::Dropped { entry } => match self.abstracts.get(&entry) {
                Some(Abstract::Packet(p))
                    if p.is_response() && self.is_live(stepper, entry, entry) =>
                {
                    Mapped::Actions(vec![Action::Drop(*p)])
                }
                _ => Mapped::Stutter,
            },
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
            Mapped::Optional(action) => {
                if let Some(next) = self.successor(action) {
                    if Projection::of_model(self.model.config(), &next) == self.concrete {
                        self.state = next;
                        return Ok(vec![action]);
                    }
                }
                if current != self.concrete {
                    return fail(self, mapped, Reason::StutterChangedState, &current);
                }
                Ok(Vec::new())
            }
            Mapped::Actions(actions) => {
                let mut state = self.state.clone();
                for action in &actions {
                    if !self.enabled_in(&state, *action) {
                        return fail(self, mapped.clone(), Reason::NotEnabled(*action), &current);
                    }
                    match self.model.next_state(&state, *action) {
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
                if expected != self.concrete {
                    return fail(self, mapped, Reason::StatesDiffer, &expected);
                }
                self.state = state;
                Ok(actions)
            }
        }
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

    fn successor(&self, action: Action) -> Option<State> {
        if !self.enabled(action) {
            return None;
        }
        self.model.next_state(&self.state, action)
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
                Mapped::Optional(a) => format!("{} (or a stutter step)", self.model.describe(a)),
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
