//! The protocol roles: user agent, participating function, Controlling Function. (to be written)
