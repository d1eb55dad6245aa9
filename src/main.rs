//! The `imflow` command line: model checking, proofs, simulation, traces and parsing.
//!
//! Humans read stderr, machines read stdout (`--format json`). Exit codes follow the TLC /
//! Apalache convention, see [`cli::exit`].

mod cli;

use clap::Parser;

fn main() -> std::process::ExitCode {
    let args = cli::Cli::parse();
    std::process::ExitCode::from(cli::run(args))
}
