//! How one concrete step maps to the model (the table in the module docs of [`super`]), and a
//! concrete step in words for reports.

use super::packet::Abstract;
use super::projection::{LegView, Projection};
use crate::sim::{Applied, Choice, Happening, Stepper};
use imflow_model::action::Action;
use imflow_model::state::{CfPhase, Store};
use std::collections::HashMap;

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

/// The mapping of a delivery, a loss, a duplication or a crash: `abstracts` holds the
/// abstraction of each transmit entry. A timer is mapped by [`timer_actions`].
pub fn map_message_step(abstracts: &HashMap<usize, Abstract>, applied: &Applied) -> Mapped {
    match *applied {
        Applied::Delivered { entry, absorbed } => match abstracts.get(&entry) {
            // The transaction layer took it as a retransmission (RFC 3261 section 17).
            Some(Abstract::Packet(_)) if absorbed => Mapped::Stutter,
            Some(Abstract::Packet(p)) => Mapped::Actions(vec![Action::Deliver(*p)]),
            Some(Abstract::Unmodelled(_)) => Mapped::Stutter,
            Some(Abstract::Unknown(why)) => Mapped::Unplaceable(why),
            None => Mapped::Unplaceable("a delivery of a message the map never saw sent"),
        },
        // A lost message is only a delay: its client retransmits the request, and the server
        // transaction answers a retransmission with its cached final response (RFC 3261
        // section 17.2.2). A network copy is absorbed by the transaction that receives it
        // second (whichever copy arrives first is the delivery). See the `refine` module docs.
        Applied::Dropped { .. } | Applied::Duplicated { .. } => Mapped::Stutter,
        Applied::Crashed { user } => Mapped::Actions(vec![Action::Crash(user as u8)]),
        Applied::Timer { .. } => Mapped::Unplaceable("a timer is mapped by what it changed"),
    }
}

/// The model actions a fired timer on `lane` stands for, read from what changed between the
/// projections `before` and `after`: a CF buffer that emptied is `T_agg` (or the flush
/// `T_state` does first), a freed record is `T_state`, a stored copy that expired is `T_exp`.
/// Anything else a timer does (retransmission, transaction clean-up) is a stutter.
pub fn timer_actions(
    stepper: &Stepper,
    lane: usize,
    before: &Projection,
    after: &Projection,
) -> Mapped {
    let cast = stepper.cast();
    let buffered = |legs: &[LegView]| legs.iter().any(|l| l.buffered.is_some_and(|b| b != 0));
    let mut actions = Vec::new();
    for (m, (b, a)) in before.messages.iter().zip(&after.messages).enumerate() {
        let m8 = m as u8;
        if lane == cast.cf_lane && b.cf == CfPhase::Active {
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
