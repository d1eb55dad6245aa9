//! The trace: one serde type that every rendering is made from. (to be written)
