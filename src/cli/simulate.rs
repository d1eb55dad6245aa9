//! `imflow simulate [SCENARIO] --seed N`: runs the implementation on the deterministic
//! simulator and checks every runtime monitor.
//!
//! One run (the default) prints the real exchange as a terminal ladder on stdout and, with
//! `--out DIR`, writes `<name>-seed<N>.trace.json` (the source of truth), `.mmd`, `.txt`, `.svg`,
//! `.itf.json` and `.pcap`. `--runs N` runs seeds N, N+1, ... with seeded faults and reports every
//! monitor violation with the command line that reproduces it. Exit codes: 0 nothing violated,
//! 12 a safety property or wire rule violated, 13 a liveness property violated, 3 a run hit a
//! bound before it was quiescent, 2 usage, 1 tool error (unreadable scenario, I/O, a message the
//! monitors could not decode).

use super::exit;
use imflow::monitor::{self, Report};
use imflow::sim::{simulate, SimConfig, SimRun, StopReason};
use imflow::trace::{ladder, pcap};
use imflow_model::limits::SCENARIO_TOML_BYTES_MAX;
use imflow_model::Scenario;
use std::io::Read;
use std::path::{Path, PathBuf};

/// Most seeds one `--runs` invocation may run.
pub const RUNS_MAX: u64 = 1_000_000;

/// What goes to stdout.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// The ladder of one run, or a summary of many (humans).
    Text,
    /// One JSON object: the runs, their stop reasons and violations (machines).
    Json,
}

/// Arguments of `imflow simulate`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The scenario TOML file (no file: the seed flow).
    pub scenario: Option<PathBuf>,
    /// The seed of the (first) run.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Inject seeded faults within the scenario's budgets (always on with --runs).
    #[arg(long)]
    pub faults: bool,
    /// Run this many seeds (seed, seed+1, ...) with faults and report every violation.
    #[arg(long)]
    pub runs: Option<u64>,
    /// Write the trace JSON, Mermaid, ladder, SVG, ITF and pcap of the (first) run here.
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Output on stdout.
    #[arg(long, value_enum, default_value = "text")]
    pub format: Format,
}

/// Runs `imflow simulate`.
pub fn run(args: Args) -> u8 {
    let scenario = match load(args.scenario.as_deref()) {
        Ok(s) => s,
        Err(message) => {
            eprintln!("imflow simulate: {message}");
            return exit::TOOL_ERROR;
        }
    };
    let runs = args.runs.unwrap_or(1);
    if runs == 0 || runs > RUNS_MAX {
        eprintln!("imflow simulate: --runs must be 1..={RUNS_MAX}");
        return exit::USAGE;
    }
    let faults = args.faults || args.runs.is_some();
    let mut worst = exit::OK;
    let mut json_runs = Vec::new();
    for i in 0..runs {
        let seed = args.seed.wrapping_add(i);
        let config = SimConfig {
            seed,
            faults,
            ..SimConfig::default()
        };
        let run = match simulate(&scenario, &config) {
            Ok(run) => run,
            Err(e) => {
                eprintln!("imflow simulate: seed {seed}: {e}");
                return exit::TOOL_ERROR;
            }
        };
        let report = monitor::check(&run);
        let command = reproduce(args.scenario.as_deref(), seed, faults);
        if i == 0 {
            if let Some(dir) = &args.out {
                if let Err(message) = write_files(dir, &run) {
                    eprintln!("imflow simulate: {message}");
                    return exit::TOOL_ERROR;
                }
            }
            if args.runs.is_none() && args.format == Format::Text {
                print!("{}", ladder::render(&run.trace()));
            }
        }
        print_report(&run, &report, &command);
        let code = verdict(&run, &report);
        if rank(code) > rank(worst) {
            worst = code;
        }
        if args.format == Format::Json {
            json_runs.push(run_json(&run, &report, &command));
        }
    }
    if args.format == Format::Json {
        let out = serde_json::json!({
            "scenario": scenario.name,
            "runs": json_runs,
            "exit": worst,
        });
        println!("{out}");
    } else if runs > 1 {
        eprintln!(
            "imflow simulate: {runs} seeds from {} with faults: {}",
            args.seed,
            match worst {
                exit::OK => "no monitor violation",
                exit::SAFETY_VIOLATION => "safety violated (see above)",
                exit::LIVENESS_VIOLATION => "liveness violated (see above)",
                exit::INCONCLUSIVE => "some runs hit a bound before they were quiescent",
                _ => "some messages could not be decoded",
            }
        );
    }
    worst
}

/// How bad an exit code is when many runs are summed up: a safety violation outranks a
/// liveness one, which outranks an undecodable message, which outranks a run hitting a bound.
fn rank(code: u8) -> u8 {
    match code {
        exit::SAFETY_VIOLATION => 4,
        exit::LIVENESS_VIOLATION => 3,
        exit::TOOL_ERROR => 2,
        exit::INCONCLUSIVE => 1,
        _ => 0,
    }
}

/// The exit code of one run.
fn verdict(run: &SimRun, report: &Report) -> u8 {
    if !report.undecodable.is_empty() {
        exit::TOOL_ERROR
    } else if report.first_safety().is_some() {
        exit::SAFETY_VIOLATION
    } else if report.first_liveness().is_some() {
        exit::LIVENESS_VIOLATION
    } else if !run.is_quiescent() {
        exit::INCONCLUSIVE
    } else {
        exit::OK
    }
}

fn print_report(run: &SimRun, report: &Report, command: &str) {
    for v in &report.violations {
        eprintln!("imflow simulate: {v}\n  reproduce: {command}");
    }
    for (step, why) in &report.undecodable {
        eprintln!(
            "imflow simulate: seed {}: step {step} is a message the monitors cannot decode: \
             {why}\n  reproduce: {command}",
            run.seed
        );
    }
    if run.stop != StopReason::Quiescent {
        eprintln!(
            "imflow simulate: seed {} stopped before it was quiescent ({:?}); L2-L5 not \
             checked\n  reproduce: {command}",
            run.seed, run.stop
        );
    }
}

fn run_json(run: &SimRun, report: &Report, command: &str) -> serde_json::Value {
    let violations: Vec<serde_json::Value> = report
        .violations
        .iter()
        .map(|v| {
            serde_json::json!({
                "property": v.property.id(),
                "name": v.property.label(),
                "step": v.step,
                "seed": v.seed,
                "detail": v.detail,
            })
        })
        .collect();
    serde_json::json!({
        "seed": run.seed,
        "steps": run.entries.len(),
        "stop": format!("{:?}", run.stop),
        "end_us": run.end.0,
        "violations": violations,
        "undecodable": report.undecodable.len(),
        "reproduce": command,
    })
}

/// The command line that reproduces one run.
fn reproduce(scenario: Option<&Path>, seed: u64, faults: bool) -> String {
    let file = scenario.map_or(String::new(), |p| format!(" {}", p.display()));
    let faults = if faults { " --faults" } else { "" };
    format!("imflow simulate{file} --seed {seed}{faults}")
}

/// Reads a scenario file (bounded), or the built-in seed flow.
fn load(path: Option<&Path>) -> Result<Scenario, String> {
    let Some(path) = path else {
        return Ok(Scenario::seed());
    };
    let file = std::fs::File::open(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let mut text = String::new();
    let limit = u64::try_from(SCENARIO_TOML_BYTES_MAX)
        .unwrap_or(u64::MAX)
        .saturating_add(1);
    file.take(limit)
        .read_to_string(&mut text)
        .map_err(|e| format!("{}: {e}", path.display()))?;
    Scenario::from_toml_str(&text).map_err(|e| format!("{}: {e}", path.display()))
}

/// Writes the run's trace files and its pcap into `dir`.
fn write_files(dir: &Path, run: &SimRun) -> Result<(), String> {
    let trace = run.trace();
    let id = format!("{}-seed{}", file_safe(&run.scenario), run.seed);
    let written = super::trace_files::write_trace_files(dir, &id, &trace)?;
    let bytes = pcap::from_trace(&trace).map_err(|e| e.to_string())?;
    let path = dir.join(format!("{id}.pcap"));
    std::fs::write(&path, bytes).map_err(|e| format!("{}: {e}", path.display()))?;
    for p in written.iter().chain(std::iter::once(&path)) {
        eprintln!("imflow simulate: wrote {}", p.display());
    }
    Ok(())
}

/// A scenario name as a file name part: letters, digits, `-` and `_` kept, others `_`.
fn file_safe(name: &str) -> String {
    name.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect()
}
