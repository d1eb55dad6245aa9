//! The terminal ladder diagram, drawn like the OMA SIMPLE IM Appendix D figures.
//!
//! One column per actor lane with its name on top and a vertical line below; a message is an
//! arrow from lane to lane with its label on the line above, numbered in the left margin; a
//! local event (a timer, a REGISTER decision, a crash) is a `*` on its lane with the label
//! beside it. Plain ASCII, so it reads the same in a terminal, a CI log and a bug report.

use super::{one_line, Trace};

/// The narrowest lane column, in characters.
const LANE_WIDTH_CHARS_MIN: usize = 12;
/// The widest lane column, in characters; longer labels run on to the right.
const LANE_WIDTH_CHARS_MAX: usize = 16;
/// The longest label drawn, in characters; longer ones are cut with "...".
const LABEL_CHARS_MAX: usize = 72;
/// The width of the left margin that holds step numbers, in characters.
const MARGIN_CHARS: usize = 5;

/// Draws the trace as a ladder diagram (ends with a newline).
pub fn render(trace: &Trace) -> String {
    let lanes: Vec<String> = trace
        .lanes
        .iter()
        .map(|l| one_line(l, LABEL_CHARS_MAX))
        .collect();
    let width = lane_width(trace, &lanes);
    let canvas = Canvas {
        lanes: lanes.len(),
        width,
    };
    let mut out = String::new();
    out.push_str(&format!(
        "{} ({} steps)\n\n",
        one_line(&trace.title(), LABEL_CHARS_MAX),
        trace.steps.len()
    ));
    out.push_str(&canvas.header(&lanes));
    out.push_str(&canvas.lane_line().finish());
    for (i, step) in trace.steps.iter().enumerate() {
        let number = format!("{:>4} ", i + 1);
        let label = one_line(&step.label, LABEL_CHARS_MAX);
        if step.is_local() {
            let mut line = canvas.lane_line();
            line.put(0, &number);
            let x = canvas.center(step.from);
            line.put(x, "*");
            line.put(x + 2, &label);
            out.push_str(&line.finish());
        } else {
            let (left, right) = (step.from.min(step.to), step.from.max(step.to));
            let mut text = canvas.lane_line();
            text.put(0, &number);
            text.put(canvas.center(left) + 2, &label);
            out.push_str(&text.finish());
            let mut arrow = canvas.lane_line();
            let (start, end) = (canvas.center(left) + 1, canvas.center(right) - 1);
            let shaft: String = "-".repeat(end.saturating_sub(start) + 1);
            arrow.put(start, &shaft);
            if step.to > step.from {
                arrow.put(end, ">");
            } else {
                arrow.put(start, "<");
            }
            out.push_str(&arrow.finish());
        }
    }
    out.push_str(&canvas.lane_line().finish());
    out
}

/// The lane column width: room for every lane name and for the label of every arrow between
/// neighbouring lanes, within the fixed bounds.
fn lane_width(trace: &Trace, lanes: &[String]) -> usize {
    let widest_name = lanes.iter().map(|l| l.chars().count() + 3);
    let widest_label = trace
        .steps
        .iter()
        .filter(|s| s.from.abs_diff(s.to) == 1)
        .map(|s| one_line(&s.label, LABEL_CHARS_MAX).chars().count() + 4);
    widest_name
        .chain(widest_label)
        .max()
        .unwrap_or(0)
        .clamp(LANE_WIDTH_CHARS_MIN, LANE_WIDTH_CHARS_MAX)
}

/// The geometry of the diagram: how many lanes and how wide each column is.
struct Canvas {
    lanes: usize,
    width: usize,
}

impl Canvas {
    /// The character column of a lane's vertical line.
    fn center(&self, lane: usize) -> usize {
        MARGIN_CHARS + lane * self.width + self.width / 2
    }

    /// The line of lane names, each centred over its lane.
    fn header(&self, names: &[String]) -> String {
        let mut line = Line::default();
        for (i, name) in names.iter().enumerate() {
            let name: String = name.chars().take(self.width - 1).collect();
            let half = name.chars().count() / 2;
            line.put(self.center(i).saturating_sub(half), &name);
        }
        line.finish()
    }

    /// An empty line with every lane's vertical line drawn.
    fn lane_line(&self) -> Line {
        let mut line = Line::default();
        for i in 0..self.lanes {
            line.put(self.center(i), "|");
        }
        line
    }
}

/// One line of characters being drawn; later text overwrites earlier text.
#[derive(Default)]
struct Line {
    chars: Vec<char>,
}

impl Line {
    /// Writes `text` starting at character column `x`.
    fn put(&mut self, x: usize, text: &str) {
        for (i, c) in text.chars().enumerate() {
            let at = x + i;
            if at >= self.chars.len() {
                self.chars.resize(at + 1, ' ');
            }
            if let Some(slot) = self.chars.get_mut(at) {
                *slot = c;
            }
        }
    }

    /// The line's text without trailing spaces, with a newline.
    fn finish(self) -> String {
        let mut s: String = self.chars.into_iter().collect();
        s.truncate(s.trim_end().len());
        s.push('\n');
        s
    }
}
