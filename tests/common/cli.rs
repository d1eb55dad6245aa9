//! Running the `imflow` binary from integration tests.

use std::path::{Path, PathBuf};
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

/// A fresh, empty directory for one test's files, unique per test process and `name`.
///
/// It is removed when the test passes; a failing test keeps it (and says where) so its files
/// can be read.
pub fn scratch(name: &str) -> Scratch {
    let dir = std::env::temp_dir().join(format!("imflow-test-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("scratch dir");
    Scratch(dir)
}

/// A test's scratch directory: see [`scratch`].
pub struct Scratch(PathBuf);

impl std::ops::Deref for Scratch {
    type Target = Path;

    fn deref(&self) -> &Path {
        &self.0
    }
}

impl AsRef<Path> for Scratch {
    fn as_ref(&self) -> &Path {
        &self.0
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        if std::thread::panicking() {
            eprintln!("test failed: its files are kept in {}", self.0.display());
        } else {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }
}
