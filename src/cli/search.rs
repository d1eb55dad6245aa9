//! The exhaustive search of one scenario, shared by `imflow check` and `imflow prove`: the
//! search flags, loading a scenario file, running the checker with progress, and turning its
//! report into a [`CheckSummary`] with a [`Trace`] per counterexample or example.

use super::progress::{Reporter, Snapshot};
use super::summary::{CheckSummary, Kind, PropertyResult, Verdict};
use imflow::trace::Trace;
use imflow_model::checker::{self, CheckOptions, OutcomeNote, Progress};
use imflow_model::{GroupImModel, PropertyId, PropertyKind, Scenario};
use std::io::Read;
use std::path::Path;
use std::time::Duration;

/// The largest scenario file read, in bytes (a scenario is a few dozen lines).
pub const SCENARIO_FILE_BYTES_MAX: u64 = 1024 * 1024;
/// The longest `--timeout` accepted, in seconds (a week).
const TIMEOUT_SECS_MAX: f64 = 7.0 * 24.0 * 3600.0;

/// How the state space is searched (flags shared by `check` and `prove`).
#[derive(Debug, Clone, clap::Args)]
pub struct SearchFlags {
    /// Worker threads expanding each breadth-first level (results are identical for any count).
    #[arg(long, value_name = "N", default_value_t = 1,
          value_parser = clap::value_parser!(u16).range(1..=256))]
    pub threads: u16,
    /// Symmetry reduction: interchangeable recipients are explored once (same verdicts).
    #[arg(long)]
    pub symmetry: bool,
    /// Turn partial-order reduction off and explore every interleaving (the plain search whose
    /// state counts the catalogue tests pin). By default independent invisible steps are
    /// explored in one order only: same verdicts, and counterexamples are re-searched without
    /// the reduction, so they stay shortest.
    #[arg(long = "no-por", conflicts_with = "por")]
    pub no_por: bool,
    /// Partial-order reduction (the default; kept so older command lines still work).
    #[arg(long, hide = true)]
    pub por: bool,
    /// Explore behaviours of at most N steps; if that cuts the search, undecided properties are
    /// inconclusive (exit 3).
    #[arg(long, value_name = "N")]
    pub max_depth: Option<usize>,
    /// Stop after SECONDS (decimals allowed); undecided properties are then inconclusive (exit 3).
    #[arg(long, value_name = "SECONDS", value_parser = parse_seconds)]
    pub timeout: Option<Duration>,
}

impl SearchFlags {
    /// The checker options these flags ask for.
    pub fn options(&self) -> CheckOptions {
        CheckOptions {
            threads: usize::from(self.threads),
            symmetry: self.symmetry,
            por: !self.no_por,
            max_depth: self.max_depth,
            timeout: self.timeout,
        }
    }

    /// The flags that change what a check finds, as command-line words (for reproduce lines).
    pub fn reproduce_words(&self) -> Vec<String> {
        let mut words = Vec::new();
        if self.symmetry {
            words.push("--symmetry".to_string());
        }
        if self.no_por {
            words.push("--no-por".to_string());
        }
        if let Some(depth) = self.max_depth {
            words.push(format!("--max-depth {depth}"));
        }
        if let Some(timeout) = self.timeout {
            words.push(format!("--timeout {}", timeout.as_secs_f64()));
        }
        words
    }
}

/// Parses `--timeout`: a positive number of seconds, decimals allowed, at most a week.
fn parse_seconds(text: &str) -> Result<Duration, String> {
    let secs: f64 = text
        .parse()
        .map_err(|_| format!("{text:?} is not a number of seconds"))?;
    if !(secs > 0.0 && secs <= TIMEOUT_SECS_MAX) {
        return Err(format!(
            "must be more than 0 and at most {TIMEOUT_SECS_MAX} seconds"
        ));
    }
    Ok(Duration::from_secs_f64(secs))
}

/// Reads a scenario file (or, with no path, the built-in seed flow); the error names the file
/// and says what is wrong and where.
pub fn load_scenario(path: Option<&Path>) -> Result<Scenario, String> {
    let Some(path) = path else {
        return Ok(Scenario::seed());
    };
    let file = std::fs::File::open(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let mut text = String::new();
    file.take(SCENARIO_FILE_BYTES_MAX + 1)
        .read_to_string(&mut text)
        .map_err(|e| format!("{}: {e}", path.display()))?;
    if text.len() as u64 > SCENARIO_FILE_BYTES_MAX {
        return Err(format!(
            "{}: larger than the {SCENARIO_FILE_BYTES_MAX} bytes a scenario file may have",
            path.display()
        ));
    }
    Scenario::from_toml_str(&text).map_err(|e| format!("{}: {e}", path.display()))
}

/// Checks a scenario exhaustively (progress on stderr if `progress`), with a trace for every
/// counterexample and for every reachability example.
pub fn run_check(
    scenario: &Scenario,
    flags: &SearchFlags,
    progress: bool,
) -> Result<CheckSummary, String> {
    let options = flags.options();
    // Split fault budgets go with partial-order reduction (both keep every verdict; see the
    // model's `budget` and `por` docs); `--no-por` checks the plain model.
    let model = GroupImModel::new(scenario)
        .map_err(|e| format!("scenario {}: {e}", scenario.name))?
        .with_split_budgets(options.por);
    let mut reporter = Reporter::new(&scenario.name, progress);
    let report = checker::check(&model, &options, &mut |p: &Progress| {
        reporter.update(&Snapshot {
            states: p.states,
            unique_states: p.unique_states,
            depth: p.depth,
            elapsed: p.elapsed,
        })
    });
    reporter.finish();
    let mut properties = Vec::with_capacity(report.properties.len());
    for outcome in &report.properties {
        let id = PropertyId::from_label(outcome.name);
        let kind = match (id, &outcome.expectation) {
            (Some(id), _) => kind_of(id.kind()),
            (None, stateright::Expectation::Sometimes) => Kind::Reachability,
            (None, _) => Kind::Safety,
        };
        let verdict = match outcome.verdict {
            checker::Verdict::Hold => Verdict::Hold,
            checker::Verdict::Violated => Verdict::Violated,
            checker::Verdict::Inconclusive => Verdict::Inconclusive,
        };
        let wanted = verdict == Verdict::Violated
            || (verdict == Verdict::Hold && kind == Kind::Reachability);
        let trace = match (&outcome.path, wanted) {
            (Some(path), true) => Some(
                Trace::from_model_path(&model, &scenario.name, Some(outcome.name), path)
                    .map_err(|e| format!("trace of {}: {e}", outcome.name))?,
            ),
            _ => None,
        };
        properties.push(PropertyResult {
            id: id.map_or_else(|| outcome.name.to_string(), |id| id.id().to_string()),
            name: id.map_or_else(|| outcome.name.to_string(), |id| id.name().to_string()),
            kind,
            verdict,
            trace,
            note: outcome.note.map(note_text),
        });
    }
    Ok(CheckSummary {
        scenario: scenario.name.clone(),
        verdict: CheckSummary::overall(&properties),
        properties,
        unique_states: report.unique_states,
        states: report.states,
        max_depth: report.max_depth,
        seconds: report.elapsed.as_secs_f64(),
    })
}

/// The CLI's kind for a catalogue kind.
fn kind_of(kind: PropertyKind) -> Kind {
    match kind {
        PropertyKind::Safety => Kind::Safety,
        PropertyKind::Liveness => Kind::Liveness,
        PropertyKind::Reachability => Kind::Reachability,
    }
}

/// What a checker note means for the reader of a verdict.
fn note_text(note: OutcomeNote) -> String {
    match note {
        OutcomeNote::EventuallyUnsupported => "an `eventually` property cannot be checked soundly",
        OutcomeNote::DepthBoundReached => "--max-depth cut the search first",
        OutcomeNote::TimeoutReached => "--timeout cut the search first",
        OutcomeNote::LevelTooWide => "a breadth-first level outgrew the checker's limit",
        OutcomeNote::PathMayNotBeShortest => {
            "found with --por and not re-searched without it: the trace may not be shortest"
        }
        OutcomeNote::PathNotReplayable => {
            "the symmetry-reduced path could not be replayed: no trace"
        }
    }
    .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    #[derive(Debug, Parser)]
    struct Cli {
        #[command(flatten)]
        search: SearchFlags,
    }

    #[test]
    fn timeout_takes_decimal_seconds_within_bounds() {
        assert_eq!(parse_seconds("0.5"), Ok(Duration::from_millis(500)));
        assert!(parse_seconds("0").is_err());
        assert!(parse_seconds("nan").is_err());
        assert!(parse_seconds("1e12").is_err());
    }

    #[test]
    fn reproduce_words_repeat_the_flags_that_change_the_verdict_but_not_threads() {
        let cli = Cli::parse_from([
            "x",
            "--threads",
            "2",
            "--symmetry",
            "--max-depth",
            "9",
            "--timeout",
            "1.5",
        ]);
        assert_eq!(
            cli.search.reproduce_words(),
            ["--symmetry", "--max-depth 9", "--timeout 1.5"]
        );
        let options = cli.search.options();
        assert_eq!(
            (options.threads, options.symmetry, options.por),
            (2, true, true)
        );
        let plain = Cli::parse_from(["x", "--no-por"]);
        assert_eq!(plain.search.reproduce_words(), ["--no-por"]);
        assert!(!plain.search.options().por);
    }
}
