//! The deferred store of a participating function. (to be written)
