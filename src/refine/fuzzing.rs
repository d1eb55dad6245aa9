//! Fuzz entry point for the whole protocol (the `protocol` cargo-fuzz target is a one-line
//! shim): the bytes become a refinement [`Case`] through `arbitrary` (scenario parameters from
//! the catalogue's space and a schedule of choices, so every input is a valid case), which runs
//! on the implementation in the controlled simulator with the lockstep refinement check and the
//! runtime monitors on.

use arbitrary::{Arbitrary, Unstructured};

use super::{check_case, Case};

/// Runs the case `data` stands for; panics, with the case and the reason, when the
/// implementation leaves the model, a monitor sees a property violated, or the run cannot
/// finish.
pub fn fuzz_protocol(data: &[u8]) {
    let Ok(case) = Case::arbitrary(&mut Unstructured::new(data)) else {
        return;
    };
    if let Err(e) = check_case(&case) {
        panic!("protocol case failed: {e}\ncase: {case:?}");
    }
}
