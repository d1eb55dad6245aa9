#![no_main]
//! Fuzz target `sip_message`: a one-line shim over `imflow::sip::fuzzing::fuzz_sip_message`.
libfuzzer_sys::fuzz_target!(|data: &[u8]| imflow::sip::fuzzing::fuzz_sip_message(data));
