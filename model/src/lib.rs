//! The imflow specification (to be written).

pub mod checker;
