//! The JUnit XML report of `imflow prove --junit FILE`: one test suite for the catalogue
//! directory, one test case per scenario file (a mismatch is a failure, a file that could not be
//! checked is an error), so CI systems show each proof obligation by name.

use super::prove::ProofRow;
use quick_junit::{NonSuccessKind, Report, TestCase, TestCaseStatus, TestSuite};
use std::path::Path;
use std::time::Duration;

/// Writes the JUnit report of a catalogue run to `path`; the error names the file.
pub fn write(path: &Path, dir: &Path, rows: &[ProofRow], seconds: f64) -> Result<(), String> {
    let text = render(dir, rows, seconds).map_err(|e| format!("JUnit report: {e}"))?;
    std::fs::write(path, text).map_err(|e| format!("{}: {e}", path.display()))
}

/// The JUnit XML text of a catalogue run.
pub fn render(dir: &Path, rows: &[ProofRow], seconds: f64) -> Result<String, String> {
    let mut suite = TestSuite::new(format!("imflow prove {}", dir.display()));
    for row in rows {
        let status = if row.ok {
            TestCaseStatus::success()
        } else {
            let kind = if row.error.is_some() {
                NonSuccessKind::Error
            } else {
                NonSuccessKind::Failure
            };
            let mut status = TestCaseStatus::non_success(kind);
            let message = match &row.error {
                Some(error) => error.clone(),
                None => format!("expected {}, got {}", row.expected, row.got),
            };
            status.set_message(message);
            status.set_description(format!("reproduce: {}", row.reproduce));
            status
        };
        let mut case = TestCase::new(row.file.clone(), status);
        case.set_classname("imflow.proofs");
        case.set_time(duration(row.seconds));
        case.set_system_out(format!(
            "scenario {}: expected {}, got {}, {} unique states, {} states\n",
            row.scenario, row.expected, row.got, row.unique_states, row.states
        ));
        suite.add_test_case(case);
    }
    suite.set_time(duration(seconds));
    let mut report = Report::new("imflow");
    report.set_time(duration(seconds));
    report.add_test_suite(suite);
    report.to_string().map_err(|e| e.to_string())
}

/// Seconds as a Duration (negative or non-finite seconds count as zero).
fn duration(seconds: f64) -> Duration {
    Duration::try_from_secs_f64(seconds).unwrap_or_default()
}
