//! The termination proof: a ranking function that strictly increases along every transition and
//! is bounded, so every behaviour is finite (DESIGN.md section 2). This is what makes checking
//! liveness as terminal-state safety sound.
//!
//! `rank = PROGRESS_WEIGHT * progress + FAULT_WEIGHT * faults - potential + RANK_OFFSET`, where
//! - `progress` counts monotone steps of the nodes' records (registration, bindings, store and
//!   CF leg phases, CF record phase, reported and flushed notifications, acceptances and the
//!   sender's counters); every handler that changes a record moves at least one forward, and
//!   emits packets of total potential below `PROGRESS_WEIGHT`;
//! - `faults` counts spent budgets: a drop or duplicate adds at most one packet's potential, and
//!   a crash moves at most a few records back, both paid by `FAULT_WEIGHT`;
//! - `potential` sums, over packets in flight, the most deliveries each can still cause when its
//!   receiver changes no record (a relay hop, or the idempotent answer to a copy): such a
//!   delivery emits strictly less potential than it consumes; entries waiting in a CF
//!   aggregation buffer carry potential too, so a flush (which moves no record) still counts.
//!
//! All terms are bounded by the finite state space, so `rank` is bounded too.

use crate::message::{ImHop, ImdnHop, Packet, ResponseHop};
use crate::state::{CfLeg, CfPhase, Registration, State, Store};

/// Weight of one unit of node progress; above any one step's emitted potential.
pub const PROGRESS_WEIGHT: u64 = 1 << 10;
/// Weight of one spent fault; above what a crash moves back plus one packet's potential.
pub const FAULT_WEIGHT: u64 = 1 << 16;
/// Potential of one entry in a CF aggregation buffer: a flush of k entries emits one packet of
/// potential 2, which is less than 3k.
pub const BUFFERED_ENTRY_POTENTIAL: u64 = 3;
/// Added so the rank stays positive whatever is in flight.
pub const RANK_OFFSET: u64 = 1 << 32;

/// The most deliveries a packet can still cause without any record moving forward.
pub fn potential(p: &Packet) -> u64 {
    match *p {
        Packet::Im { hop, .. } => match hop {
            // Relay to the CF (3), which answers a copy with 202 (2).
            ImHop::SenderToServer => 4,
            ImHop::ServerToCf => 3,
            // Forward to the agent (7), or answer 202 again (1).
            ImHop::CfToServer { .. } => 8,
            // A copy is answered 200 (2); the first copy also sends an IMDN (progress pays).
            ImHop::ServerToUser { .. } => 3,
        },
        Packet::Response { hop, .. } => match hop {
            ResponseHop::CfToServer => 2,
            ResponseHop::ServerToSender => 1,
            ResponseHop::UserToServer { .. } => 2,
            ResponseHop::ServerToCf { .. } => 1,
        },
        // At the CF a copy is consumed, or (known-bad) forwarded or buffered again.
        Packet::Imdn { hop, .. } => match hop {
            ImdnHop::UserToServer => 5,
            ImdnHop::ServerToCf => 4,
            ImdnHop::CfToServer => 2,
            ImdnHop::ServerToSender => 1,
        },
        Packet::Aggregate { hop, .. } => match hop {
            ImdnHop::ServerToSender => 1,
            _ => 2,
        },
        Packet::Register { .. } => 2,
        Packet::RegisterOk { .. } => 1,
    }
}

fn registration_progress(r: Registration) -> u64 {
    match r {
        Registration::Offline => 0,
        Registration::Registering => 1,
        Registration::Registered => 2,
    }
}

fn store_progress(s: Store) -> u64 {
    match s {
        Store::Empty => 0,
        Store::Stored => 1,
        Store::Delivering => 2,
        Store::Delivered | Store::Expired => 3,
    }
}

fn cf_leg_progress(c: CfLeg) -> u64 {
    match c {
        CfLeg::Unsent => 0,
        CfLeg::Pending => 1,
        CfLeg::ReachedUa | CfLeg::Relayed | CfLeg::Failed => 2,
    }
}

fn cf_phase_progress(c: CfPhase) -> u64 {
    match c {
        CfPhase::Idle => 0,
        CfPhase::Active => 1,
        CfPhase::Freed => 2,
    }
}

/// Sum of the monotone progress of every record in the state.
pub fn progress(s: &State) -> u64 {
    let users: u64 = s
        .users
        .iter()
        .map(|u| registration_progress(u.registration) + u64::from(u.bound))
        .sum();
    let messages: u64 = s
        .messages
        .iter()
        .map(|m| {
            cf_phase_progress(m.cf)
                + u64::from(m.response.is_some())
                + u64::from(m.aggregates_received)
                + u64::from(m.notified_users.count_ones())
                + u64::from(m.deferred_before_aggregate)
        })
        .sum();
    let legs: u64 = s
        .legs
        .iter()
        .flatten()
        .map(|l| {
            u64::from(l.accepted)
                + store_progress(l.store)
                + cf_leg_progress(l.cf)
                + u64::from(l.fanout)
                + u64::from(l.reported.count_ones())
                + l.notified.iter().map(|n| u64::from(*n)).sum::<u64>()
                + u64::from(l.via_aggregate)
                + u64::from(l.history.count_ones())
        })
        .sum();
    users + messages + legs
}

/// The ranking function: strictly increases along every transition of every scenario.
pub fn rank(s: &State) -> u64 {
    let faults = u64::from(s.drops_used) + u64::from(s.duplicates_used) + u64::from(s.crashes_used);
    let buffered: u64 = s
        .legs
        .iter()
        .flatten()
        .map(|l| u64::from(l.buffered.count_ones()))
        .sum();
    let potential: u64 =
        s.network.iter().map(potential).sum::<u64>() + BUFFERED_ENTRY_POTENTIAL * buffered;
    RANK_OFFSET + PROGRESS_WEIGHT * progress(s) + FAULT_WEIGHT * faults - potential
}
