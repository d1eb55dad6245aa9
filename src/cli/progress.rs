//! Progress of a long check on stderr: states, unique states, depth and rate.
//!
//! Nothing is shown for a check that ends within [`QUIET_FIRST_SECS`]. After that, on a
//! terminal an indicatif spinner line is redrawn in place; elsewhere (CI logs, pipes) a plain
//! line is printed every [`PLAIN_LINE_INTERVAL_SECS`], so a log shows the check is alive without
//! filling up.

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::IsTerminal;
use std::time::Duration;

/// A check shorter than this shows no progress at all, in seconds.
pub const QUIET_FIRST_SECS: u64 = 1;
/// The interval between two plain progress lines when stderr is not a terminal, in seconds.
pub const PLAIN_LINE_INTERVAL_SECS: u64 = 5;
/// How often the terminal spinner redraws on its own, in milliseconds.
const SPINNER_TICK_MILLIS: u64 = 120;

/// One snapshot of a running check, as the progress line shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Snapshot {
    /// States generated so far, duplicates included.
    pub states: u64,
    /// Distinct states stored so far.
    pub unique_states: u64,
    /// The breadth-first level being explored.
    pub depth: usize,
    /// Time since the check started.
    pub elapsed: Duration,
}

impl Snapshot {
    /// The progress text: "states 1234567, unique 345678, depth 21, 150000 unique/s".
    pub fn line(&self) -> String {
        format!(
            "states {}, unique {}, depth {}, {:.0} unique/s",
            self.states,
            self.unique_states,
            self.depth,
            per_second(self.unique_states, self.elapsed)
        )
    }
}

/// Unique states per second over `elapsed` (0 for no time at all).
pub fn per_second(count: u64, elapsed: Duration) -> f64 {
    let secs = elapsed.as_secs_f64();
    if secs > 0.0 {
        count as f64 / secs
    } else {
        0.0
    }
}

/// Where progress goes: a spinner on a terminal, plain lines otherwise, or nowhere.
pub struct Reporter {
    /// What is being checked, shown at the start of each line ("seed").
    label: String,
    style: Style,
    spinner: Option<ProgressBar>,
    last_plain_line: Option<Duration>,
}

/// How progress is drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Style {
    Spinner,
    Plain,
    Silent,
}

impl Reporter {
    /// A reporter for the check of `label`, drawing on stderr (spinner if it is a terminal).
    pub fn new(label: &str, enabled: bool) -> Reporter {
        let style = match (enabled, std::io::stderr().is_terminal()) {
            (false, _) => Style::Silent,
            (true, true) => Style::Spinner,
            (true, false) => Style::Plain,
        };
        Reporter {
            label: label.to_string(),
            style,
            spinner: None,
            last_plain_line: None,
        }
    }

    /// Shows a snapshot, if the check has run long enough and the last line is old enough.
    pub fn update(&mut self, snapshot: &Snapshot) {
        if snapshot.elapsed < Duration::from_secs(QUIET_FIRST_SECS) {
            return;
        }
        match self.style {
            Style::Silent => {}
            Style::Spinner => {
                let message = format!(
                    "{} ({:.0} s)",
                    snapshot.line(),
                    snapshot.elapsed.as_secs_f64()
                );
                match &self.spinner {
                    Some(spinner) => spinner.set_message(message),
                    None => self.spinner = Some(new_spinner(&self.label, message)),
                }
            }
            Style::Plain => {
                if let Some(line) = self.plain_line(snapshot) {
                    eprintln!("{line}");
                }
            }
        }
    }

    /// The plain progress line due for this snapshot, if one is due: the first after
    /// [`QUIET_FIRST_SECS`], then one every [`PLAIN_LINE_INTERVAL_SECS`].
    fn plain_line(&mut self, snapshot: &Snapshot) -> Option<String> {
        if snapshot.elapsed < Duration::from_secs(QUIET_FIRST_SECS) {
            return None;
        }
        let due = self.last_plain_line.is_none_or(|last| {
            snapshot.elapsed >= last + Duration::from_secs(PLAIN_LINE_INTERVAL_SECS)
        });
        if !due {
            return None;
        }
        self.last_plain_line = Some(snapshot.elapsed);
        Some(format!(
            "imflow: {}: {} ({:.0} s)",
            self.label,
            snapshot.line(),
            snapshot.elapsed.as_secs_f64()
        ))
    }

    /// Removes the spinner line, so the results print on a clean terminal.
    pub fn finish(&mut self) {
        if let Some(spinner) = self.spinner.take() {
            spinner.finish_and_clear();
        }
    }
}

impl Drop for Reporter {
    fn drop(&mut self) {
        self.finish();
    }
}

/// An indicatif spinner on stderr showing `message`: "⠋ seed: states ..., depth ... (3 s)".
fn new_spinner(label: &str, message: String) -> ProgressBar {
    // Configured while hidden, so the first frame drawn already has the message.
    let spinner = ProgressBar::hidden();
    let style = ProgressStyle::with_template("{spinner} {prefix}: {msg}")
        .unwrap_or_else(|_| ProgressStyle::default_spinner());
    spinner.set_style(style);
    spinner.set_prefix(label.to_string());
    spinner.set_message(message);
    spinner.set_draw_target(ProgressDrawTarget::stderr());
    spinner.enable_steady_tick(Duration::from_millis(SPINNER_TICK_MILLIS));
    spinner
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(millis: u64) -> Snapshot {
        Snapshot {
            states: 4_000,
            unique_states: 1_500,
            depth: 12,
            elapsed: Duration::from_millis(millis),
        }
    }

    #[test]
    fn plain_lines_start_after_a_second_then_come_every_five_seconds() {
        let mut reporter = Reporter {
            label: "seed".to_string(),
            style: Style::Plain,
            spinner: None,
            last_plain_line: None,
        };
        assert_eq!(reporter.plain_line(&at(900)), None);
        assert_eq!(
            reporter.plain_line(&at(1_500)).as_deref(),
            Some("imflow: seed: states 4000, unique 1500, depth 12, 1000 unique/s (2 s)")
        );
        assert_eq!(reporter.plain_line(&at(6_000)), None);
        assert!(reporter.plain_line(&at(6_500)).is_some());
    }
}
