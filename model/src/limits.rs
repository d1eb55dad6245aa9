//! Named bounds of the model. A scenario that exceeds one is rejected with a typed error.

/// Most users (members plus non-members) a scenario may declare; each has one participating server.
pub const USERS_MAX: usize = 6;

/// Most group IMs a scenario may send; the per-message state is a fixed array of this size.
pub const MESSAGES_MAX: usize = 2;

/// Most lost responses a scenario may allow (`drops_max`).
///
/// RFC 3261 Timer E retransmits a non-INVITE request about ten times before Timer F (64*T1)
/// fires; with at most this many losses in a whole behaviour a transaction never times out.
pub const DROPS_MAX_LIMIT: u8 = 10;

/// Most network duplicates a scenario may allow (`duplicates_max`).
pub const DUPLICATES_MAX_LIMIT: u8 = 4;

/// Most participating-server crashes a scenario may allow (`crashes_max`).
pub const CRASHES_MAX_LIMIT: u8 = 4;

/// Longest scenario name, in bytes.
pub const SCENARIO_NAME_BYTES_MAX: usize = 128;

/// Longest scenario TOML text accepted, in bytes.
pub const SCENARIO_TOML_BYTES_MAX: usize = 64 * 1024;

/// Longest user name, in bytes.
pub const USER_NAME_BYTES_MAX: usize = 32;
