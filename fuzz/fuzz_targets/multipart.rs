#![no_main]
//! Fuzz target `multipart`: a one-line shim over `imflow::multipart::fuzzing::fuzz_multipart`.
libfuzzer_sys::fuzz_target!(|data: &[u8]| imflow::multipart::fuzzing::fuzz_multipart(data));
