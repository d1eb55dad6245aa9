//! The imflow specification: a stateright model of OMA SIMPLE IM delivery of a MESSAGE to a
//! group, with IMDN delivery notifications aggregated by the Controlling Function and deferred
//! delivery to offline members (DESIGN.md section 2).
//!
//! # The model
//! Actors are the users (one per member, optionally non-members), one participating server per
//! user and one Controlling Function. Messages are small `Copy` values ([`message::Packet`]) on
//! an unordered network kept as a sorted multiset, so the checker explores every delivery order.
//! IMDNs travel recipient -> its server -> CF -> sender's server -> sender; B's and C's IMDN
//! MESSAGEs are explicit (a 200 is not a notification).
//!
//! Nondeterminism: delivery order, when an offline user registers, when timers fire
//! (`T_agg`, `T_exp`, `T_state`), and bounded faults: lost responses (the client retransmits its
//! request; a lost request is only a delay, which the unordered network already covers),
//! duplicated messages (a copy reaches the receiving TU: every node must be idempotent), and
//! participating-server crashes (deferred store durable; bindings and in-flight deferred
//! deliveries lost). Responses to IMDN MESSAGEs are not modelled: their loss only makes the IMDN
//! arrive again, which the duplicate budget covers.
//!
//! # Checking
//! Safety properties are state predicates over history fields kept in the state; liveness is
//! checked as terminal-state safety of stable facts, sound because every behaviour terminates
//! ([`rank::rank`] strictly increases on every transition and is bounded). See [`properties`].
//!
//! # Reductions
//! [`symmetry`] canonicalises interchangeable recipients; [`por`] picks an ample action. Each
//! module says why it is sound.

pub mod action;
mod cf;
pub mod checker;
pub mod config;
pub mod limits;
pub mod message;
pub mod model;
pub mod packing;
pub mod por;
pub mod properties;
pub mod property;
pub mod rank;
pub mod scenario;
mod server;
pub mod state;
pub mod symmetry;
mod transition;
mod ua;
pub mod view;

pub use action::Action;
pub use model::GroupImModel;
pub use property::{PropertyId, PropertyKind};
pub use scenario::{Expected, Scenario, ScenarioError};
pub use state::State;
pub use view::StepView;
