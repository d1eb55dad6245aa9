#![no_main]
//! Fuzz target `sip_structured`: a one-line shim over `imflow::sip::fuzzing::fuzz_sip_structured`.
libfuzzer_sys::fuzz_target!(|data: &[u8]| imflow::sip::fuzzing::fuzz_sip_structured(data));
