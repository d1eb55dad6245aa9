//! Running the `imflow` binary from integration tests.

use std::path::PathBuf;
use std::process::{Command, Output};

/// Runs the `imflow` binary built for this test run with `args`.
pub fn imflow(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_imflow"))
        .args(args)
        .output()
        .expect("run imflow")
}

/// What a run wrote on stderr, as text.
pub fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// A fresh, empty directory for one test's files (unique per test process and `name`).
pub fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("imflow-test-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("scratch dir");
    dir
}
