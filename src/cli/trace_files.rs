//! Trace files on disk: reading a `<id>.trace.json` with a size bound, and writing the files
//! `imflow check --out DIR` leaves for each counterexample or example.

use imflow::trace::{itf, ladder, mermaid, svg, Trace, TRACE_FILE_BYTES_MAX};
use std::io::Read;
use std::path::{Path, PathBuf};

/// Reads and checks a trace file; the error says which file and what is wrong with it.
pub fn read_trace(path: &Path) -> Result<Trace, String> {
    let text = read_trace_text(path)?;
    Trace::from_json(&text).map_err(|e| format!("{}: {e}", path.display()))
}

/// Reads a trace file's text, refusing one larger than [`TRACE_FILE_BYTES_MAX`] without
/// reading all of it; the error names the file.
pub fn read_trace_text(path: &Path) -> Result<String, String> {
    let file = std::fs::File::open(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let mut text = String::new();
    // One byte more than the limit, so an oversized file is seen without reading all of it.
    let limit = u64::try_from(TRACE_FILE_BYTES_MAX)
        .unwrap_or(u64::MAX)
        .saturating_add(1);
    file.take(limit)
        .read_to_string(&mut text)
        .map_err(|e| format!("{}: {e}", path.display()))?;
    if text.len() > TRACE_FILE_BYTES_MAX {
        return Err(format!(
            "{}: larger than the {TRACE_FILE_BYTES_MAX} bytes a trace file may have",
            path.display()
        ));
    }
    Ok(text)
}

/// Writes `<id>.trace.json`, `<id>.itf.json`, `<id>.mmd`, `<id>.txt` (the ladder) and
/// `<id>.svg` into `dir`, creating it if needed; returns the paths written.
pub fn write_trace_files(dir: &Path, id: &str, trace: &Trace) -> Result<Vec<PathBuf>, String> {
    std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let files = [
        (format!("{id}.trace.json"), trace.to_json() + "\n"),
        (format!("{id}.itf.json"), itf::render(trace)),
        (format!("{id}.mmd"), mermaid::render(trace)),
        (format!("{id}.txt"), ladder::render(trace)),
        (format!("{id}.svg"), svg::render(trace)),
    ];
    let mut written = Vec::with_capacity(files.len());
    for (name, text) in files {
        let path = dir.join(name);
        std::fs::write(&path, text).map_err(|e| format!("{}: {e}", path.display()))?;
        written.push(path);
    }
    Ok(written)
}
