//! `imflow replay TRACE`: drives the implementation along a model path and reports the first
//! place it does something else (DESIGN.md section 7, model-path replay).
//!
//! TRACE is an ITF file (`<id>.itf.json`) or an imflow trace (`<id>.trace.json`), as
//! `imflow check --out DIR` writes them. The path is first checked against the scenario's model
//! (each step's action enabled, each state equal), then replayed on the implementation in the
//! controlled simulator with the refinement check on (see `imflow::refine`). A counterexample
//! of a known-bad variant is a path the correct implementation must refuse: the report says at
//! which model step, which action, what the implementation did instead, and both abstract
//! states.
//!
//! Exit codes: 0 the implementation followed the whole path; 15 it departed from the path
//! (reported on stderr); 1 tool error (unreadable or foreign file, a path that is not a path of
//! the scenario's model, a scenario that cannot run); 2 usage.

use super::exit;
use super::search::load_scenario;
use super::trace_files::read_trace_text;
use imflow::refine::path::{read, resolve};
use imflow::refine::replay::ReplayError;
use imflow::refine::replay_path;
use std::path::PathBuf;

/// Arguments of `imflow replay`.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Exit codes: 0 followed, 15 the implementation departed from the path, \
                        1 tool error (bad or foreign trace file), 2 usage."
)]
pub struct Args {
    /// The model path: an ITF file (<id>.itf.json) or an imflow trace (<id>.trace.json).
    pub trace: PathBuf,
    /// The scenario the path belongs to (TOML); without one the trace must be of the built-in
    /// seed flow.
    #[arg(long, value_name = "FILE")]
    pub scenario: Option<PathBuf>,
}

/// Runs `imflow replay`.
pub fn run(args: Args) -> u8 {
    match replay(&args) {
        Ok(code) => code,
        Err(message) => {
            eprintln!("imflow replay: {message}");
            exit::TOOL_ERROR
        }
    }
}

fn replay(args: &Args) -> Result<u8, String> {
    let shown = args.trace.display();
    let text = read_trace_text(&args.trace)?;
    let file = read(&text).map_err(|e| format!("{shown}: {e}"))?;
    if args.scenario.is_none() && file.scenario != "seed" {
        return Err(format!(
            "{shown}: the path is from scenario {:?}; pass its file with --scenario FILE",
            file.scenario
        ));
    }
    let scenario = load_scenario(args.scenario.as_deref())?;
    if scenario.name != file.scenario {
        return Err(format!(
            "{shown}: the path is from scenario {:?}, the scenario given is {:?}",
            file.scenario, scenario.name
        ));
    }
    let model = imflow_model::GroupImModel::new(&scenario).map_err(|e| e.to_string())?;
    let actions = resolve(&model, &file).map_err(|e| format!("{shown}: {e}"))?;
    match replay_path(&scenario, &actions) {
        Ok(followed) => {
            eprintln!(
                "imflow replay: the implementation followed all {} model steps of {shown} \
                 ({} concrete steps; {} model steps taken ahead of an earlier independent one)",
                followed.model_steps, followed.concrete_steps, followed.reordered
            );
            Ok(exit::OK)
        }
        Err(ReplayError::Departed(departure)) => {
            eprintln!("imflow replay: {shown}: {departure}");
            Ok(exit::REPLAY_DEPARTED)
        }
        Err(ReplayError::Run(e)) => Err(format!("{shown}: {e}")),
    }
}
