//! The `imflow` command line: model checking, proofs, simulation, traces and parsing.
//!
//! Humans read stderr, machines read stdout (`--format json`). Exit codes follow the TLC /
//! Apalache convention, see [`cli::exit`].

mod cli;

use clap::Parser;

/// The binary's allocator: mimalloc, which serves the many small, short-lived buffers of a
/// simulation (datagrams, parsed rows, transaction state) with fewer instructions than the
/// system allocator. The library leaves the choice to whoever links it.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    let args = cli::Cli::parse();
    std::process::ExitCode::from(cli::run(args))
}
