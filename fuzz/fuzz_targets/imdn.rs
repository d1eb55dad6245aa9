#![no_main]
//! Fuzz target `imdn`: a one-line shim over `imflow::imdn::fuzzing::fuzz_imdn`.
libfuzzer_sys::fuzz_target!(|data: &[u8]| imflow::imdn::fuzzing::fuzz_imdn(data));
