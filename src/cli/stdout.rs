//! Writing machine output to stdout without panicking when the reader goes away.
//!
//! `print!` panics on a closed pipe (`imflow render t.json | head`); a reader that stopped
//! reading is not an error of imflow, so a broken pipe ends the output quietly.

use std::io::Write;

/// Writes `text` to stdout; `Err` carries a message for any failure other than a closed pipe.
pub fn write(text: &str) -> Result<(), String> {
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(format!("cannot write to stdout: {e}")),
    }
}
