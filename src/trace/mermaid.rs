//! The Mermaid `sequenceDiagram` of a trace, for Markdown bug reports and docs.
//!
//! Participants are declared in lane order (ids `L0`, `L1`, ... with the lane name as alias, so
//! names with spaces are safe); a message is a `->>` arrow; a local event is a `Note over` its
//! lane. Characters Mermaid would read as syntax (`;`, `#`, `<`, `>`) are written as Mermaid
//! entity codes, and control characters become spaces, so any label yields one valid line.

use super::{one_line, Trace};

/// The longest label written, in characters; longer ones are cut with "...".
const LABEL_CHARS_MAX: usize = 200;

/// Writes the trace as a Mermaid `sequenceDiagram` (ends with a newline).
pub fn render(trace: &Trace) -> String {
    let mut out = String::from("sequenceDiagram\n");
    out.push_str(&format!("    title {}\n", text(&trace.title())));
    for (i, lane) in trace.lanes.iter().enumerate() {
        out.push_str(&format!("    participant L{i} as {}\n", text(lane)));
    }
    for step in &trace.steps {
        if step.is_local() {
            out.push_str(&format!(
                "    Note over L{}: {}\n",
                step.from,
                text(&step.label)
            ));
        } else {
            out.push_str(&format!(
                "    L{}->>L{}: {}\n",
                step.from,
                step.to,
                text(&step.label)
            ));
        }
    }
    out
}

/// One line of Mermaid text with its syntax characters escaped as entity codes.
fn text(label: &str) -> String {
    let mut out = String::new();
    for c in one_line(label, LABEL_CHARS_MAX).chars() {
        match c {
            '#' => out.push_str("#35;"),
            ';' => out.push_str("#59;"),
            '<' => out.push_str("#60;"),
            '>' => out.push_str("#62;"),
            c => out.push(c),
        }
    }
    let trimmed = out.trim();
    if trimmed.is_empty() {
        "-".to_string()
    } else {
        trimmed.to_string()
    }
}
