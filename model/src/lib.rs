//! The imflow specification (to be written).
