//! Exit codes (TLC / Apalache convention for the checking commands).
#![allow(dead_code)] // some codes are used only by subcommands still being built

/// Everything checked holds / every file is valid.
pub const OK: u8 = 0;
/// The tool itself failed (I/O, bad scenario file, not implemented).
pub const TOOL_ERROR: u8 = 1;
/// The command line was wrong.
pub const USAGE: u8 = 2;
/// A bound or timeout was hit before the check was exhaustive.
pub const INCONCLUSIVE: u8 = 3;
/// `imflow parse`: at least one file is invalid.
pub const INVALID_INPUT: u8 = 10;
/// A safety property (or R1, the reachability of the seed flow) is violated.
pub const SAFETY_VIOLATION: u8 = 12;
/// A liveness property is violated.
pub const LIVENESS_VIOLATION: u8 = 13;
/// `imflow prove`: at least one scenario's verdict differs from the one its file expects.
pub const PROOF_MISMATCH: u8 = 14;
/// `imflow replay`: the implementation did not follow the model path.
pub const REPLAY_DEPARTED: u8 = 15;
