#![no_main]
//! Fuzz target `protocol`: a one-line shim over `imflow::refine::fuzzing::fuzz_protocol`.
libfuzzer_sys::fuzz_target!(|data: &[u8]| imflow::refine::fuzzing::fuzz_protocol(data));
