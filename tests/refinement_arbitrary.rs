//! The fuzz target's entry point: any byte string is a refinement case (scenario parameters
//! and a schedule through `arbitrary`), and the implementation refines the model on it.

use arbitrary::{Arbitrary, Unstructured};
use imflow::refine::{check_case, Case};

/// Byte strings tried.
const CASES: u64 = 300;
/// Longest byte string tried.
const BYTES_MAX: usize = 400;

fn bytes(seed: u64) -> Vec<u8> {
    let mut x = seed.wrapping_mul(0x2545_f491_4f6c_dd1d) | 1;
    let len = (seed as usize * 37) % BYTES_MAX;
    (0..len)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x as u8
        })
        .collect()
}

#[test]
fn every_byte_string_is_a_case_the_implementation_refines() {
    for seed in 0..CASES {
        let data = bytes(seed);
        let case = Case::arbitrary(&mut Unstructured::new(&data)).expect("any bytes make a case");
        if let Err(e) = check_case(&case) {
            panic!("bytes of seed {seed}: {case:?}\n{e}");
        }
    }
}

#[test]
fn the_empty_byte_string_is_the_seed_like_default_case() {
    let case = Case::arbitrary(&mut Unstructured::new(&[])).expect("empty bytes make a case");
    assert!(case.schedule.choices.is_empty());
    assert_eq!(case.scenario.scenario().messages.len(), 1);
    assert!(check_case(&case).is_ok());
}
