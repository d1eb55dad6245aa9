//! Named bounds on untrusted input (DESIGN.md section 10). Exceeding one is a typed error.
//!
//! Units are in the names. Codec modules may define further limits next to the code that
//! enforces them, but the ones a user is likely to tune live here.
