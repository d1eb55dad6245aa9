//! The outcome of a run: why it ended, and everything it recorded.

use super::cast::Cast;
use super::record::Entry;
use crate::node::Instant;

/// Why a run ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StopReason {
    /// Nothing in flight and no timer due before the horizon: every liveness check applies.
    Quiescent,
    /// Messages were still in flight at the horizon.
    Horizon,
    /// The run record reached [`super::limits::RUN_ENTRIES_MAX`] entries.
    EntryLimit,
    /// Nodes asked for more than [`super::limits::TIMER_WAKES_MAX`] timer wake-ups.
    TimerWakeLimit,
}

/// A finished run: what happened, and why it ended.
#[derive(Debug, Clone)]
pub struct SimRun {
    /// The scenario's name.
    pub scenario: String,
    /// The seed that reproduces the run.
    pub seed: u64,
    /// Whether seeded faults were on.
    pub faults: bool,
    /// The actors.
    pub cast: Cast,
    /// The run record, in order.
    pub entries: Vec<Entry>,
    /// Why the run ended.
    pub stop: StopReason,
    /// The virtual time at the end.
    pub end: Instant,
    /// How many node timer wake-ups the run handled. A seeded run wakes a node only for a
    /// timer that does work (retransmission, give-up, aggregation flush, expiry, refresh...);
    /// timers K and J end their transactions at the node's next input and wake nothing, so
    /// this counts far fewer wakes than when they did (steady run: about 1 per IM, not 9 per
    /// delivery). A controlled run counts each [`super::Choice::AdvanceTime`], K and J ends
    /// included (see [`super::Stepper`]).
    pub timer_wakes: usize,
}

impl SimRun {
    /// Whether the run ended quiescent, so the liveness monitors apply.
    pub fn is_quiescent(&self) -> bool {
        self.stop == StopReason::Quiescent
    }
}
