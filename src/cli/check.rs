//! `imflow check [SCENARIO.toml]`: checks one scenario exhaustively for the property catalogue.
//!
//! Humans read stderr: one line per property (id, name, kind, verdict), the search figures, a
//! ladder diagram of each counterexample ending with the command that reproduces it, and R1's
//! example. Machines read stdout with `--format json`: one [`CheckSummary`] object. `--out DIR`
//! writes each counterexample and example as trace files (see [`super::trace_files`]). The exit
//! code is [`CheckSummary::exit_code`]: 0 hold, 12 safety, 13 liveness, 3 inconclusive, 1 tool
//! error (e.g. a bad scenario file), 2 usage.

use super::search::{load_scenario, run_check, SearchFlags};
use super::summary::{CheckSummary, Kind, Verdict};
use super::{exit, trace_files};
use imflow::trace::ladder;
use std::path::{Path, PathBuf};

/// Where the results go.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum OutputFormat {
    /// A report for people on stderr.
    Human,
    /// One JSON object on stdout (progress and reproduce lines still go to stderr).
    Json,
}

/// Arguments of `imflow check`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The scenario file (TOML, see proofs/README.md); without one, the built-in seed flow.
    pub scenario: Option<PathBuf>,
    #[command(flatten)]
    pub search: SearchFlags,
    /// Report format.
    #[arg(long, value_enum, default_value = "human")]
    pub format: OutputFormat,
    /// Write each counterexample (and R1's example) into DIR as <id>.trace.json, <id>.itf.json,
    /// <id>.mmd, <id>.txt (ladder) and <id>.svg.
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
}

/// The directory the reproduce line names when the user gave no `--out`.
const DEFAULT_TRACE_DIR: &str = "traces";

/// Runs `imflow check`.
pub fn run(args: Args) -> u8 {
    let scenario = match load_scenario(args.scenario.as_deref()) {
        Ok(scenario) => scenario,
        Err(message) => {
            eprintln!("imflow check: {message}");
            return exit::TOOL_ERROR;
        }
    };
    let summary = match run_check(&scenario, &args.search, true) {
        Ok(summary) => summary,
        Err(message) => {
            eprintln!("imflow check: {message}");
            return exit::TOOL_ERROR;
        }
    };
    if let Some(dir) = &args.out {
        for property in &summary.properties {
            let Some(trace) = &property.trace else {
                continue;
            };
            match trace_files::write_trace_files(dir, &property.id, trace) {
                Ok(paths) => {
                    let names: Vec<String> =
                        paths.iter().map(|p| p.display().to_string()).collect();
                    eprintln!("imflow check: wrote {}", names.join(", "));
                }
                Err(message) => {
                    eprintln!("imflow check: cannot write trace files: {message}");
                    return exit::TOOL_ERROR;
                }
            }
        }
    }
    let reproduce = reproduce_command(&args);
    match args.format {
        OutputFormat::Human => print_human(&summary, args.scenario.as_deref(), &reproduce),
        OutputFormat::Json => {
            let written = serde_json::to_string(&summary)
                .map_err(|e| format!("cannot write JSON: {e}"))
                .and_then(|text| super::stdout::write(&(text + "\n")));
            if let Err(message) = written {
                eprintln!("imflow check: {message}");
                return exit::TOOL_ERROR;
            }
            for property in summary.violated() {
                eprintln!(
                    "imflow check: {} {} violated; reproduce: {reproduce}",
                    property.id, property.name
                );
            }
        }
    }
    summary.exit_code()
}

/// The human report on stderr.
fn print_human(summary: &CheckSummary, file: Option<&Path>, reproduce: &str) {
    let source = file.map_or("the built-in seed flow".to_string(), |p| {
        p.display().to_string()
    });
    eprintln!("imflow check: scenario {:?} ({source})\n", summary.scenario);
    eprintln!("  {:<4} {:<34} {:<13} verdict", "id", "name", "kind");
    for p in &summary.properties {
        let mut verdict = p.verdict.word().to_string();
        if p.kind == Kind::Reachability && p.verdict == Verdict::Hold {
            verdict.push_str(" (example found)");
        }
        if let Some(note) = &p.note {
            verdict.push_str(&format!(" ({note})"));
        }
        eprintln!(
            "  {:<4} {:<34} {:<13} {verdict}",
            p.id,
            p.name,
            p.kind.word()
        );
    }
    eprintln!(
        "\nunique states {}, states {}, max depth {}, {:.3} s, {:.0} unique states/s",
        summary.unique_states,
        summary.states,
        summary.max_depth,
        summary.seconds,
        summary.unique_per_second()
    );
    // Examples first, counterexamples last: each violation ends with its reproduce line, next
    // to the final verdict.
    for p in summary
        .properties
        .iter()
        .filter(|p| p.verdict != Verdict::Violated)
    {
        let Some(trace) = &p.trace else { continue };
        eprintln!("\nexample for {} {}:\n", p.id, p.name);
        eprint!("{}", ladder::render(trace));
    }
    for p in summary.violated() {
        eprintln!("\ncounterexample for {} {} (shortest):\n", p.id, p.name);
        match &p.trace {
            Some(trace) => {
                eprint!("{}", ladder::render(trace));
                eprintln!(
                    "\n{} is violated in the state after step {}.",
                    p.id,
                    trace.steps.len()
                );
            }
            None => eprintln!("(no trace: {})", p.note.as_deref().unwrap_or("none given")),
        }
        eprintln!("reproduce: {reproduce}");
    }
    let violated: Vec<&str> = summary.violated().map(|p| p.id.as_str()).collect();
    if violated.is_empty() {
        eprintln!("\nverdict: {}", summary.verdict.word());
    } else {
        eprintln!("\nverdict: violated ({})", violated.join(", "));
    }
}

/// The command line that reproduces this check and writes its traces.
fn reproduce_command(args: &Args) -> String {
    let mut words = vec!["imflow".to_string(), "check".to_string()];
    if let Some(path) = &args.scenario {
        words.push(shell_word(&path.display().to_string()));
    }
    words.extend(args.search.reproduce_words());
    let dir = args
        .out
        .as_ref()
        .map_or(DEFAULT_TRACE_DIR.to_string(), |d| d.display().to_string());
    words.push("--out".to_string());
    words.push(shell_word(&dir));
    words.join(" ")
}

/// A word a POSIX shell reads back unchanged (single-quoted if it has unusual characters).
fn shell_word(word: &str) -> String {
    let plain = !word.is_empty()
        && word
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "_-./:=+,@".contains(c));
    if plain {
        word.to_string()
    } else {
        format!("'{}'", word.replace('\'', "'\\''"))
    }
}

#[cfg(test)]
mod tests {
    use super::shell_word;

    #[test]
    fn plain_paths_stay_bare_and_others_are_quoted_for_the_shell() {
        assert_eq!(
            shell_word("proofs/bad-cf-202-delivered.toml"),
            "proofs/bad-cf-202-delivered.toml"
        );
        assert_eq!(
            shell_word("my proofs/it's.toml"),
            "'my proofs/it'\\''s.toml'"
        );
        assert_eq!(shell_word(""), "''");
    }
}
