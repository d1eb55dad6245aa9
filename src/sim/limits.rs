//! Named bounds and default timings of the simulator. Every queue and every run is bounded, so a
//! run always ends; exceeding a bound is a typed error ([`super::SimError`]) or a stop reason
//! ([`super::StopReason`]), never a hang.

/// Most datagrams and stream segments in flight at once (sent, not yet delivered).
pub const IN_FLIGHT_DATAGRAMS_MAX: usize = 10_000;
/// Most entries (transmits, node events, crashes) one run records; the run stops there.
pub const RUN_ENTRIES_MAX: usize = 50_000;
/// Record entries one scheduled IM is expected to add per user of the cast: a group IM's leg
/// is about ten (MESSAGE and IMDN over two hops each, their responses), plus a share of the
/// sender's IM, its aggregate IMDN and the events. The record is sized once from it when a run
/// starts, rather than copied at every doubling; a wrong guess costs only that.
pub const ENTRIES_PER_IM_PER_USER_EXPECTED: usize = 11;
/// Most scheduled user actions and crashes one run may hold.
pub const SCHEDULED_ACTIONS_MAX: usize = 256;
/// Most node timer wake-ups handled in one run; the run stops there.
pub const TIMER_WAKES_MAX: usize = 200_000;

/// Shortest one-way network delay, in microseconds.
pub const DELAY_US_MIN: u64 = 1_000;
/// Longest one-way network delay without a hold fault, in microseconds.
pub const DELAY_US_MAX: u64 = 20_000;
/// Longest extra delay of a held (reordered) datagram, in microseconds.
pub const HOLD_US_MAX: u64 = 3_000_000;
/// Longest extra delay of a seeded network duplicate, in microseconds: T4 (5 s), the longest
/// time RFC 3261 lets the network hold a message. (A scripted duplicate may arrive later, past
/// Timer J, to reach a node as a new request.)
pub const DUPLICATE_DELAY_US_MAX: u64 = 5_000_000;
/// Chance that a datagram is held back (reordered) when faults are on, in percent.
pub const HOLD_PERCENT: u32 = 5;
/// Chance that a datagram is lost while the drop budget lasts, in percent.
pub const DROP_PERCENT: u32 = 10;
/// Chance that a datagram is duplicated while the duplicate budget lasts, in percent.
pub const DUPLICATE_PERCENT: u32 = 8;

/// Earliest time an online user registers, in milliseconds from the start.
pub const ONLINE_REGISTER_MS_MAX: u64 = 20;
/// Earliest time a scenario IM is sent, in milliseconds (after the online users registered).
pub const SEND_MS_MIN: u64 = 200;
/// Latest time a scenario IM is sent, in milliseconds.
pub const SEND_MS_MAX: u64 = 400;
/// Earliest time an offline user registers, in milliseconds.
pub const OFFLINE_REGISTER_MS_MIN: u64 = 2_000;
/// Latest time an offline user registers, in milliseconds (before the deferred expiry).
pub const OFFLINE_REGISTER_MS_MAX: u64 = 60_000;
/// Earliest re-REGISTER of a user whose participating server crashed (its binding was lost), in
/// milliseconds after the crash.
pub const REREGISTER_MS_MIN: u64 = 200;
/// Latest re-REGISTER of a user whose participating server crashed, in ms after the crash.
pub const REREGISTER_MS_MAX: u64 = 5_000;
/// Latest time a seeded crash of a participating server happens, in milliseconds.
pub const CRASH_MS_MAX: u64 = 70_000;

/// The CF's aggregation flush timer `T_agg`, in milliseconds.
pub const AGGREGATION_FLUSH_MS: u64 = 2_000;
/// How long a participating server keeps a deferred copy (`T_exp`), in milliseconds.
pub const DEFERRED_EXPIRY_MS: u64 = 120_000;
/// How long the CF keeps per-message state (`T_state` > `T_exp` + delivery slack), in ms.
pub const CF_STATE_MS: u64 = 240_000;
/// Registration lifetime the user agents ask for, in seconds (longer than a run).
pub const REGISTRATION_EXPIRES_S: u32 = 3_600;
/// The run's horizon: once nothing is in flight and no timer is due before it, the run is
/// quiescent and ends, in milliseconds.
pub const HORIZON_MS: u64 = 400_000;
