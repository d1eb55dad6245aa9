//! `imflow render TRACE.json --format ladder|mermaid|svg|itf|pcap`: draws a trace file.
//!
//! Every picture comes from the trace file alone (`imflow check --out DIR` writes
//! `<id>.trace.json`), so a trace attached to a bug report can be redrawn in any format later.
//! pcap needs the concrete SIP bytes of each step, which only the implementation produces
//! (`imflow simulate --out DIR` writes such traces); a model trace has none, and asking for its
//! pcap is a tool error that says so. The capture is binary, so it goes to stdout only when
//! stdout is not a terminal (`imflow render t.trace.json --format pcap > t.pcap`).

use super::exit;
use imflow::trace::{itf, ladder, mermaid, pcap, svg, Trace};
use std::io::{IsTerminal, Write};
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
    /// pcap with the real SIP bytes (traces written by `imflow simulate`), binary on stdout.
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
        Format::Pcap => return write_pcap(&trace),
    };
    match super::stdout::write(&text) {
        Ok(()) => exit::OK,
        Err(message) => {
            eprintln!("imflow render: {message}");
            exit::TOOL_ERROR
        }
    }
}

/// Writes the trace's capture to stdout; refuses a trace without SIP bytes or a terminal stdout.
fn write_pcap(trace: &Trace) -> u8 {
    if trace.steps.iter().all(|s| s.sip.is_none()) {
        eprintln!(
            "imflow render: this trace carries no SIP bytes (model traces have none); pcap \
             needs a trace written by `imflow simulate --out DIR`. Use --format ladder, \
             mermaid, svg or itf."
        );
        return exit::TOOL_ERROR;
    }
    let bytes = match pcap::from_trace(trace) {
        Ok(bytes) => bytes,
        Err(e) => {
            eprintln!("imflow render: {e}");
            return exit::TOOL_ERROR;
        }
    };
    let mut stdout = std::io::stdout().lock();
    if stdout.is_terminal() {
        eprintln!("imflow render: a pcap is binary; redirect stdout to a file (> trace.pcap)");
        return exit::USAGE;
    }
    match stdout.write_all(&bytes).and_then(|()| stdout.flush()) {
        Ok(()) => exit::OK,
        Err(e) => {
            eprintln!("imflow render: writing the pcap: {e}");
            exit::TOOL_ERROR
        }
    }
}
