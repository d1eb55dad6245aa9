//! Editing a clean run's record the way a faulty node would, for the monitor tests: the
//! clean seed-flow run, finding an entry, reading and replacing a transmit's bytes, and the
//! properties the monitors flag.

use super::{assert_clean, run};
use imflow::monitor::{self, Monitored};
use imflow::sim::{Entry, Happening, SimConfig, SimRun};
use imflow_model::Scenario;

/// The seed flow's run with seed 1, checked clean.
pub fn clean_run() -> SimRun {
    let (run, report) = run(&Scenario::seed(), &SimConfig::seeded(1));
    assert_clean(&run, &report);
    run
}

/// The property ids the monitors report for `run`, with their steps.
pub fn flagged(run: &SimRun) -> Vec<(Monitored, usize)> {
    monitor::check(run)
        .violations
        .iter()
        .map(|v| (v.property, v.step))
        .collect()
}

/// The index of the first entry of `run` that `pred` picks (the seed flow has it).
pub fn index_of(run: &SimRun, pred: impl Fn(&Entry) -> bool) -> usize {
    run.entries
        .iter()
        .position(pred)
        .expect("the seed flow has this entry")
}

/// A transmit's bytes as text (empty for any other entry).
pub fn text(entry: &Entry) -> String {
    String::from_utf8_lossy(entry.bytes().unwrap_or_default()).into_owned()
}

/// Replaces a transmit's bytes with `new`.
pub fn set_bytes(entry: &mut Entry, new: String) {
    if let Happening::Transmit { bytes, .. } = &mut entry.what {
        *bytes = new.into_bytes().into();
    }
}
