//! The lockstep check: the model follows the concrete run step by step.
//!
//! Each concrete step maps to model actions ([`super::mapping`]); each must be enabled in the
//! current model state, and the projection of the model's next state must equal the projection
//! of the concrete state after the step. A step that maps to no action (a stutter step) must
//! leave the concrete projection unchanged. And every new message the step sent (not a
//! byte-identical retransmission, not a network copy) must be in flight in the model after it:
//! so a wrong response code or an extra message is caught where it is sent, even though the
//! networks are not compared as a whole (a message the implementation holds back behind a
//! pending one to the same destination is sent later, when the model has long had it in
//! flight).

use super::divergence::{Divergence, Reason};
use super::history::History;
use super::mapping::{describe, map_message_step, timer_actions, Mapped};
use super::packet::{Abstract, PacketMap};
use super::projection::Projection;
use crate::sim::absorb::is_retransmission;
use crate::sim::{Applied, Choice, Happening, Stepper};
use imflow_model::action::{enabled_actions, Action};
use imflow_model::message::Packet;
use imflow_model::state::State;
use imflow_model::GroupImModel;
use stateright::Model;
use std::collections::{HashMap, HashSet};

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
    sent: HashSet<(usize, crate::node::Bytes)>,
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
        let mut check = Lockstep {
            packets: PacketMap::new(stepper.message_ids()),
            abstracts: HashMap::new(),
            concrete: Projection::of_run(stepper, &history),
            history,
            registered: 0,
            state: model.initial_state(),
            model,
            steps: 0,
            sent: HashSet::new(),
        };
        check.register_transmits(stepper);
        let expected = Projection::of_model(check.model.config(), &check.state);
        if expected != check.concrete {
            let reason = Reason::StatesDiffer;
            return Err(check.divergence(stepper, "the setup", Mapped::Stutter, reason, &expected));
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

    /// True if `action` is enabled in the model state the check has reached.
    pub fn enables(&self, action: Action) -> bool {
        self.enabled_in(&self.state, action)
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
        Some(map_message_step(&self.abstracts, &applied))
    }

    /// Checks one step `stepper` just did (`choice`, which did `applied`); returns the model
    /// actions it took.
    pub fn step(
        &mut self,
        stepper: &Stepper,
        choice: Choice,
        applied: &Applied,
    ) -> Result<Vec<Action>, Box<Divergence>> {
        self.steps += 1;
        self.history.update(stepper.cast(), stepper.entries());
        let fresh = self.register_transmits(stepper);
        let before = std::mem::replace(
            &mut self.concrete,
            Projection::of_run(stepper, &self.history),
        );
        let mapped = match applied {
            Applied::Timer { lane } => timer_actions(stepper, *lane, &before, &self.concrete),
            _ => map_message_step(&self.abstracts, applied),
        };
        let what = describe(stepper, choice, applied);
        let next = self.successor(&mapped);
        let next = match next {
            Ok(next) => next,
            Err((reason, expected)) => {
                return Err(self.divergence(stepper, &what, mapped, reason, &expected))
            }
        };
        let mut network = next.0.network.clone();
        for p in fresh {
            match network.iter().position(|q| *q == p) {
                Some(i) => {
                    network.swap_remove(i);
                }
                None => {
                    let current = Projection::of_model(self.model.config(), &next.0);
                    let reason = Reason::SentWhatTheModelDoesNot(self.model.describe_packet(p));
                    return Err(self.divergence(stepper, &what, mapped, reason, &current));
                }
            }
        }
        self.state = next.0;
        Ok(next.1)
    }

    /// The model state after the mapped actions, and the actions taken; or why not, with the
    /// model's side of the comparison.
    fn successor(&self, mapped: &Mapped) -> Result<(State, Vec<Action>), (Reason, Projection)> {
        let current = Projection::of_model(self.model.config(), &self.state);
        match mapped {
            Mapped::Stutter if current == self.concrete => Ok((self.state.clone(), Vec::new())),
            Mapped::Stutter => Err((Reason::StutterChangedState, current)),
            Mapped::Unplaceable(_) => Err((Reason::Unplaceable, current)),
            Mapped::Actions(actions) => {
                let mut state = self.state.clone();
                for action in actions {
                    let next = self
                        .model
                        .next_state(&state, *action)
                        .filter(|_| self.enabled_in(&state, *action));
                    match next {
                        Some(next) => state = next,
                        None => return Err((Reason::NotEnabled(*action), current)),
                    }
                }
                let expected = Projection::of_model(self.model.config(), &state);
                if expected != self.concrete {
                    return Err((Reason::StatesDiffer, expected));
                }
                Ok((state, actions.clone()))
            }
        }
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
        let mapped = Mapped::Actions(vec![action]);
        let mut d = self.divergence(stepper, &what, mapped, Reason::NoMatchingStep, &current);
        d.step = self.steps + 1;
        d
    }

    fn enabled_in(&self, state: &State, action: Action) -> bool {
        let mut actions = Vec::new();
        enabled_actions(self.model.config(), state, &mut actions);
        actions.contains(&action)
    }

    /// Abstracts the transmits not seen yet; returns the packets of those that are new
    /// messages (not a network copy, not a byte-identical retransmission).
    fn register_transmits(&mut self, stepper: &Stepper) -> Vec<Packet> {
        let mut fresh = Vec::new();
        let entries = stepper.entries();
        for (i, entry) in entries.iter().enumerate().skip(self.registered) {
            let Happening::Transmit {
                to,
                bytes,
                duplicate,
                ..
            } = &entry.what
            else {
                continue;
            };
            if *duplicate {
                // A network copy carries the abstraction of the transmit it copies.
                let original = entries[..i]
                    .iter()
                    .rposition(|e| e.lane == entry.lane && e.bytes() == Some(&bytes[..]));
                if let Some(a) = original.and_then(|o| self.abstracts.get(&o).copied()) {
                    self.abstracts.insert(i, a);
                }
                continue;
            }
            let a = self
                .packets
                .abstract_message(stepper.cast(), entry.lane, *to, bytes);
            self.abstracts.insert(i, a);
            let new = self.sent.insert((entry.lane, bytes.clone()));
            if let (true, Abstract::Packet(p)) = (new, a) {
                fresh.push(p);
            }
        }
        self.registered = entries.len();
        fresh
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
