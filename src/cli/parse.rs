//! `imflow parse FILE...`: decode and validate SIP, CPIM, IMDN or multipart files.
//!
//! One line per file on stdout: `FILE: valid (sip)` or `FILE: invalid (sip): RULE at byte N: ...`;
//! with `--format json`, one JSON object per line. Exit 0 when every file is valid, 10 when any is
//! invalid, 1 when a file cannot be read, 2 on usage errors.

use super::exit;
use imflow::document::{self, DocumentKind};
use std::path::PathBuf;

/// The wire format of the files, or `auto` to detect it from each file's first bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Kind {
    /// Detect per file: XML is IMDN, a leading `--` is multipart, a SIP start line is SIP, else CPIM.
    Auto,
    /// A SIP request or response (its message/cpim body is checked too).
    Sip,
    /// A Message/CPIM body (its IMDN or multipart content is checked too).
    Cpim,
    /// An IMDN XML document.
    Imdn,
    /// A multipart/mixed body; the boundary is taken from the first delimiter line.
    Multipart,
}

/// How results are printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum OutputFormat {
    /// `FILE: valid (kind)` / `FILE: invalid (kind): rule at byte N: message`.
    Human,
    /// One JSON object per line: {"file", "kind", "verdict", "error": {"rule", "offset", "message"}}.
    Json,
}

/// Arguments of `imflow parse`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The files to decode and validate.
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
    /// The wire format of the files.
    #[arg(long, value_enum, default_value = "auto")]
    pub kind: Kind,
    /// Output format.
    #[arg(long, value_enum, default_value = "human")]
    pub format: OutputFormat,
}

/// Files larger than this are refused before reading (the codecs' own limits are far smaller).
const PARSE_FILE_BYTES_MAX: u64 = 16 * 1024 * 1024;

/// Runs `imflow parse`.
pub fn run(args: Args) -> u8 {
    let mut code = exit::OK;
    for path in &args.files {
        let bytes = match read_bounded(path) {
            Ok(b) => b,
            Err(e) => {
                eprintln!("imflow parse: cannot read {}: {e}", path.display());
                code = exit::TOOL_ERROR;
                continue;
            }
        };
        let kind = match args.kind {
            Kind::Auto => DocumentKind::detect(&bytes),
            Kind::Sip => DocumentKind::Sip,
            Kind::Cpim => DocumentKind::Cpim,
            Kind::Imdn => DocumentKind::Imdn,
            Kind::Multipart => DocumentKind::Multipart,
        };
        let result = document::check(kind, &bytes);
        if result.is_err() && code == exit::OK {
            code = exit::INVALID_INPUT;
        }
        print_result(args.format, path, kind, &result);
    }
    code
}

fn read_bounded(path: &PathBuf) -> std::io::Result<Vec<u8>> {
    let len = std::fs::metadata(path)?.len();
    if len > PARSE_FILE_BYTES_MAX {
        return Err(std::io::Error::other(format!(
            "{len} bytes is over the {PARSE_FILE_BYTES_MAX}-byte limit for one file"
        )));
    }
    std::fs::read(path)
}

fn print_result(
    format: OutputFormat,
    path: &std::path::Path,
    kind: DocumentKind,
    result: &Result<(), document::Finding>,
) {
    match format {
        OutputFormat::Human => match result {
            Ok(()) => println!("{}: valid ({})", path.display(), kind.as_str()),
            Err(f) => println!("{}: invalid ({}): {f}", path.display(), kind.as_str()),
        },
        OutputFormat::Json => {
            let mut line = serde_json::json!({
                "file": path.display().to_string(),
                "kind": kind.as_str(),
                "verdict": if result.is_ok() { "valid" } else { "invalid" },
            });
            if let Err(f) = result {
                line["error"] = serde_json::json!({
                    "rule": f.rule, "offset": f.offset, "message": f.message,
                });
            }
            println!("{line}");
        }
    }
}
