//! A simple SVG sequence diagram of a trace, for web pages and bug trackers that show images.
//!
//! Lane names on top, one vertical line per lane, each message an arrow with its label above
//! it, each local event a dot on its lane with the label beside it, one row per step. All text
//! is XML-escaped, so any label gives a well-formed document.

use super::{one_line, Trace};

/// The horizontal distance between two lanes, in pixels.
const LANE_SPACING_PX: usize = 150;
/// The vertical distance between two steps, in pixels.
const ROW_HEIGHT_PX: usize = 34;
/// The height above the first step (title and lane names), in pixels.
const HEADER_HEIGHT_PX: usize = 70;
/// The space left and right of the outer lanes, in pixels.
const SIDE_MARGIN_PX: usize = 90;
/// The width of one character of the 12 px monospace font, in pixels (rounded up).
const CHAR_WIDTH_PX: usize = 8;
/// The longest label drawn, in characters; longer ones are cut with "...".
const LABEL_CHARS_MAX: usize = 60;

/// Draws the trace as a standalone SVG document (ends with a newline).
pub fn render(trace: &Trace) -> String {
    let lanes = trace.lanes.len();
    let x = |lane: usize| SIDE_MARGIN_PX + lane * LANE_SPACING_PX;
    // Wide enough for the lanes and for every label, which starts near its leftmost lane.
    let label_end = trace.steps.iter().enumerate().map(|(i, step)| {
        let chars = one_line(&format!("{}. {}", i + 1, step.label), LABEL_CHARS_MAX)
            .chars()
            .count();
        x(step.from.min(step.to)) + 8 + chars * CHAR_WIDTH_PX
    });
    let title_end = 10 + one_line(&trace.title(), LABEL_CHARS_MAX).chars().count() * CHAR_WIDTH_PX;
    let width = label_end
        .chain([
            title_end,
            2 * SIDE_MARGIN_PX + lanes.saturating_sub(1) * LANE_SPACING_PX,
        ])
        .max()
        .unwrap_or(0);
    let bottom = HEADER_HEIGHT_PX + (trace.steps.len() + 1) * ROW_HEIGHT_PX;
    let height = bottom + 20;
    let mut out = String::new();
    out.push_str(&format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" \
         viewBox=\"0 0 {width} {height}\" font-family=\"monospace\" font-size=\"12\">\n"
    ));
    out.push_str(
        "  <defs><marker id=\"arrow\" markerWidth=\"10\" markerHeight=\"8\" refX=\"10\" refY=\"4\" \
         orient=\"auto\"><path d=\"M0,0 L10,4 L0,8 z\" fill=\"black\"/></marker></defs>\n",
    );
    out.push_str(&format!(
        "  <title>{}</title>\n  <text x=\"10\" y=\"20\" font-weight=\"bold\">{}</text>\n",
        escape(&trace.title()),
        escape(&trace.title())
    ));
    for (i, lane) in trace.lanes.iter().enumerate() {
        out.push_str(&format!(
            "  <text x=\"{}\" y=\"{}\" text-anchor=\"middle\" font-weight=\"bold\">{}</text>\n",
            x(i),
            HEADER_HEIGHT_PX - 20,
            escape(lane)
        ));
        out.push_str(&format!(
            "  <line x1=\"{0}\" y1=\"{1}\" x2=\"{0}\" y2=\"{2}\" stroke=\"gray\"/>\n",
            x(i),
            HEADER_HEIGHT_PX - 10,
            bottom
        ));
    }
    for (i, step) in trace.steps.iter().enumerate() {
        let y = HEADER_HEIGHT_PX + (i + 1) * ROW_HEIGHT_PX;
        let label = escape(&format!("{}. {}", i + 1, step.label));
        if step.is_local() {
            out.push_str(&format!(
                "  <circle cx=\"{}\" cy=\"{y}\" r=\"4\"/>\n  <text x=\"{}\" y=\"{}\">{label}</text>\n",
                x(step.from),
                x(step.from) + 8,
                y + 4
            ));
        } else {
            let (x1, x2) = (x(step.from), x(step.to));
            out.push_str(&format!(
                "  <line x1=\"{x1}\" y1=\"{y}\" x2=\"{x2}\" y2=\"{y}\" stroke=\"black\" \
                 marker-end=\"url(#arrow)\"/>\n  <text x=\"{}\" y=\"{}\">{label}</text>\n",
                x1.min(x2) + 6,
                y - 5
            ));
        }
    }
    out.push_str("</svg>\n");
    out
}

/// Label text made one line and safe inside an XML element.
fn escape(text: &str) -> String {
    let mut out = String::new();
    for c in one_line(text, LABEL_CHARS_MAX).chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            // Not XML characters at all: a well-formed document cannot carry them.
            '\u{FFFE}' | '\u{FFFF}' => out.push('?'),
            c => out.push(c),
        }
    }
    out
}
