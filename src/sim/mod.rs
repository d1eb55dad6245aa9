//! The deterministic simulator: seeded network with virtual time and faults. (to be written)
