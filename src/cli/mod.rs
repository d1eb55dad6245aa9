//! Subcommands of `imflow`. Each lives in its own file with its own `Args` and `run`.
//!
//! Only this module (and later a network runtime) touches clocks, files and threads.

pub mod check;
pub mod exit;
pub mod explore;
pub mod junit;
pub mod parse;
pub mod progress;
pub mod prove;
pub mod render;
pub mod replay;
pub mod search;
pub mod simulate;
pub mod stdout;
pub mod summary;
pub mod trace_files;

use clap::{Parser, Subcommand};

/// imflow: model checking, fuzzing and counterexample traces for OMA SIMPLE IM group delivery
/// with IMDN delivery notifications and deferred delivery.
#[derive(Debug, Parser)]
#[command(name = "imflow", version, about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

/// One job of imflow.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check a scenario exhaustively for the property catalogue (no file: the seed flow).
    Check(check::Args),
    /// Check every scenario of a proof catalogue against its expected verdict.
    Prove(prove::Args),
    /// Serve stateright's web explorer for a scenario on 127.0.0.1.
    Explore(explore::Args),
    /// Run the concrete implementation on the deterministic simulator.
    Simulate(simulate::Args),
    /// Replay a model trace on the implementation.
    Replay(replay::Args),
    /// Render a trace file as a ladder, Mermaid, SVG, ITF or pcap.
    Render(render::Args),
    /// Decode and validate SIP, CPIM, IMDN or multipart files.
    Parse(parse::Args),
}

/// Runs one subcommand and returns its exit code.
pub fn run(cli: Cli) -> u8 {
    match cli.command {
        Command::Check(a) => check::run(a),
        Command::Prove(a) => prove::run(a),
        Command::Explore(a) => explore::run(a),
        Command::Simulate(a) => simulate::run(a),
        Command::Replay(a) => replay::run(a),
        Command::Render(a) => render::run(a),
        Command::Parse(a) => parse::run(a),
    }
}
