//! Test support: every file of the third-party corpus (`IMFLOW_CORPUS`), for the differential
//! tests that compare a fast path with its plain reference on real-world messages.

use std::path::PathBuf;

/// Every file below `IMFLOW_CORPUS` with its bytes; `None` (after saying so) when it is not set.
pub(crate) fn corpus_files() -> Option<Vec<(PathBuf, Vec<u8>)>> {
    let Some(root) = std::env::var_os("IMFLOW_CORPUS") else {
        println!("skipped: IMFLOW_CORPUS is not set");
        return None;
    };
    let mut pending = vec![PathBuf::from(root)];
    let mut files = Vec::new();
    while let Some(path) = pending.pop() {
        if path.is_dir() {
            let entries = std::fs::read_dir(&path).expect("corpus folder reads");
            pending.extend(entries.map(|e| e.expect("corpus entry").path()));
            continue;
        }
        let bytes = std::fs::read(&path).expect("corpus file reads");
        files.push((path, bytes));
    }
    Some(files)
}

/// The rest of `bytes` from each line start on (the first byte, and each byte after a LF): the
/// inputs of a reader that starts at the beginning of a line.
pub(crate) fn from_each_line_start(bytes: &[u8]) -> impl Iterator<Item = &[u8]> {
    std::iter::once(0)
        .chain(
            bytes
                .iter()
                .enumerate()
                .filter(|(_, &b)| b == b'\n')
                .map(|(i, _)| i + 1),
        )
        .map(|start| bytes.get(start..).unwrap_or_default())
}

/// Calls `each` with the Request-URI, every header value and every element of a list value of
/// each message of `files` that parses; returns how many list elements it met.
pub(crate) fn each_header_value(files: &[(PathBuf, Vec<u8>)], mut each: impl FnMut(&str)) -> usize {
    let mut elements = 0;
    for (_, bytes) in files {
        let Ok(m) = super::parse_datagram(bytes) else {
            continue;
        };
        if let super::StartLine::Request { uri, .. } = m.start_line() {
            each(uri);
        }
        for row in m.rows() {
            each(row.value);
            for (element, _) in super::lex::ListElements::new(row.value, row.offset).flatten() {
                each(element);
                elements += 1;
            }
        }
    }
    elements
}
