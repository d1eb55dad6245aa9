//! Partial-order reduction: a persistent set of enabled actions to explore alone.
//!
//! # Why it is sound
//! A set T of enabled actions is *persistent* in state s when every action outside T, on any
//! path from s made only of actions outside T, is independent of every action of T: neither
//! disables the other and both orders reach the same state. The checker explores only T where
//! [`ample`] names one. Three facts about this model make that sound without the cycle proviso
//! and without a visibility condition:
//!
//! - The model is acyclic and finite (`rank` strictly increases), so every state has a height
//!   (the longest path to a terminal state) and the argument below is an induction on it.
//! - Every safety property is *stable*: it reads history fields that only grow (notification
//!   counters, acceptances, fan-out counts, history bits, the first final response, the CF's
//!   record leaving `Idle`), so once broken it stays broken in every successor.
//! - The liveness properties and R1 are judged in terminal states only.
//!
//! Take a state s reached by the reduced search and a path w of the full model from s to a state
//! t that is bad (violates a stable safety property) or terminal. If w takes an action a of T,
//! let a be the first; it is independent of every action before it in w, so a can be moved to
//! the front: the reduced search takes a and continues, from a state of smaller height, along
//! the rest of w to the same t. If w takes no action of T, pick any a in T: a stays enabled
//! along w and commutes with every step of it, so t is not terminal (a is enabled there), and
//! a followed by w reaches the successor of t by a, which is bad when t is (stability). Either
//! way the reduced search moves to a state of smaller height from which a bad (or the same
//! terminal) state is reachable; by induction it reaches one. So every violation and every
//! terminal state (hence every liveness verdict and R1's example) found by the full search is
//! found by the reduced one, and the reduced search finds nothing the full one does not (it only
//! skips actions). With symmetry the same argument runs on representatives: the height and
//! every property are invariant under the recipient permutations (see `symmetry`).
//!
//! Counterexample paths in the reduced space may be longer than necessary; the checker re-runs
//! a violated property without POR so the path it prints is shortest.
//!
//! # The persistent sets
//! [`ample`] tries, in order: one action that is persistent on its own (`single`), then the
//! enabled actions about one group IM (`message_set`), the smallest that qualifies; otherwise
//! every enabled action.

mod arrivals;
mod message_set;
mod single;

use crate::action::Action;
use crate::config::Config;
use crate::state::State;

pub use message_set::action_message;

/// Pushes onto `chosen` the indices in `actions` (the actions enabled in `s`, in the model's
/// order) of a persistent set to explore alone; leaves it empty when there is none smaller than
/// all of them.
pub fn ample(cfg: &Config, s: &State, actions: &[Action], chosen: &mut Vec<usize>) {
    if let Some(index) = single::single_ample(cfg, s, actions) {
        chosen.push(index);
        return;
    }
    message_set::smallest_message_set(cfg, s, actions, chosen);
}
