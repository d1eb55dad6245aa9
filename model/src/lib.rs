//! The imflow specification: a stateright model of OMA SIMPLE IM delivery of a MESSAGE to a
//! group, with IMDN delivery notifications aggregated by the Controlling Function and deferred
//! delivery to offline members (DESIGN.md section 2).
//!
//! # Using it
//! Read a [`Scenario`] (`Scenario::from_toml_str`, or the built-in [`Scenario::seed`]), build
//! a [`GroupImModel`] from it, and check it with [`checker::check`]; `GroupImModel` implements
//! `stateright::Model` (one `Property` per checked [`PropertyId`], named by its label) and
//! [`checker::Reductions`]. [`GroupImModel::lanes`] and [`GroupImModel::step_view`] turn a path
//! into ladder arrows.
//!
//! # The model
//! Actors are the users (one per member, optionally non-members), one participating server per
//! user and one Controlling Function. Messages are small `Copy` values ([`message::Packet`]) on
//! an unordered network kept as a sorted multiset (not stateright's actor network, which
//! duplicates without bound), so the checker explores every delivery order. IMDNs travel
//! recipient -> its server -> CF -> sender's server -> sender; B's and C's IMDN MESSAGEs are
//! explicit (a 200 is not a notification). The roles' rules are in `ua`, `server` and `cf`
//! (protocol.md section 7); the state in [`state`]; what is enabled in [`action`].
//!
//! Nondeterminism: delivery order (an offline user's REGISTER is in flight from the start, so
//! when it registers is a delivery order too), when timers fire (`T_agg`, `T_exp`, `T_state`),
//! and bounded faults: lost responses (the client retransmits its request; a lost request is
//! only a delay, which the unordered network already covers; with at most
//! [`limits::DROPS_MAX_LIMIT`] losses no transaction reaches Timer F), duplicated messages (a
//! copy reaches the receiving node: every node must be idempotent; the sender's agent
//! recognises a copy of a notification MESSAGE it already has), and participating-server
//! crashes (deferred store durable; bindings and in-flight deferred deliveries lost; the user's
//! refresh REGISTER follows). Responses to IMDN MESSAGEs are not modelled: their loss only makes
//! the IMDN arrive again, which the duplicate budget covers.
//!
//! # Checking soundly
//! Safety properties are state predicates over small history fields kept in the state
//! (saturating counters, bits). Liveness is checked as terminal-state safety of stable facts
//! (`always(terminal => fact)`), sound because every behaviour terminates: [`rank::rank`]
//! strictly increases on every transition and is bounded (tested on every catalogue scenario).
//! R1 is `sometimes` over terminal states. See [`properties`].
//!
//! # Reductions
//! [`symmetry`] canonicalises interchangeable recipients; [`por`] picks a persistent set (one
//! action, or every action about one group IM); [`budget`] divides the fault budgets between the
//! group IMs so that their faults are independent. Each module says why it is sound; the tests
//! check that every catalogue verdict is the same with and without each of them, that sampled
//! persistent sets are persistent, and that split budgets reach the same states.

pub mod action;
pub mod budget;
mod cf;
pub mod checker;
pub mod config;
pub mod limits;
pub mod message;
pub mod model;
pub mod packing;
pub mod policy;
pub mod por;
pub mod properties;
pub mod property;
pub mod rank;
pub mod scenario;
mod server;
pub mod state;
pub mod symmetry;
mod timeout;
mod transition;
mod ua;
pub mod view;

pub use action::Action;
pub use model::GroupImModel;
pub use property::{PropertyId, PropertyKind};
pub use scenario::{Expected, Scenario, ScenarioError};
pub use state::State;
pub use view::StepView;
