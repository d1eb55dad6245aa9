#![no_main]
//! Fuzz target `cpim`: a one-line shim over `imflow::cpim::fuzzing::fuzz_cpim`.
libfuzzer_sys::fuzz_target!(|data: &[u8]| imflow::cpim::fuzzing::fuzz_cpim(data));
