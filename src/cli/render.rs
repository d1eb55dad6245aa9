//! `imflow render TRACE.json --format ladder|mermaid|svg|itf|pcap`: draws a trace file.
//!
//! Every picture comes from the trace file alone (`imflow check --out DIR` writes
//! `<id>.trace.json`), so a trace attached to a bug report can be redrawn in any format later.
//! pcap needs the concrete SIP bytes of each step, which only the implementation produces; until
//! it exists, asking for pcap is a tool error that says so.

use super::exit;
use imflow::trace::{itf, ladder, mermaid, svg};
use std::path::PathBuf;

/// The pictures a trace can be drawn as.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Terminal ladder diagram, one lane per actor (like the OMA Appendix D figures).
    Ladder,
    /// Mermaid `sequenceDiagram`.
    Mermaid,
    /// SVG sequence diagram.
    Svg,
    /// ITF JSON (Apalache/Quint Informal Trace Format, with `mbt::actionTaken`).
    Itf,
    /// pcap with the real SIP bytes (needs the implementation; not available yet).
    Pcap,
}

/// Arguments of `imflow render`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The trace file (`<id>.trace.json` written by `imflow check --out DIR`).
    pub trace: PathBuf,
    /// The picture to draw on stdout.
    #[arg(long, value_enum, default_value = "ladder")]
    pub format: Format,
}

/// Runs `imflow render`.
pub fn run(args: Args) -> u8 {
    if args.format == Format::Pcap {
        eprintln!(
            "imflow render: pcap needs the concrete SIP bytes of each step, which come with the \
             implementation (`imflow simulate` / `imflow replay`); model traces have none yet. \
             Use --format ladder, mermaid, svg or itf."
        );
        return exit::TOOL_ERROR;
    }
    let trace = match super::trace_files::read_trace(&args.trace) {
        Ok(trace) => trace,
        Err(message) => {
            eprintln!("imflow render: {message}");
            return exit::TOOL_ERROR;
        }
    };
    let text = match args.format {
        Format::Ladder => ladder::render(&trace),
        Format::Mermaid => mermaid::render(&trace),
        Format::Svg => svg::render(&trace),
        Format::Itf => itf::render(&trace),
        Format::Pcap => return exit::TOOL_ERROR,
    };
    match super::stdout::write(&text) {
        Ok(()) => exit::OK,
        Err(message) => {
            eprintln!("imflow render: {message}");
            exit::TOOL_ERROR
        }
    }
}
