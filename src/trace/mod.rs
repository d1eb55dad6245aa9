//! The trace: one serde type that every picture of a behaviour is rendered from.
//!
//! A [`Trace`] is a behaviour of the group flow written as a ladder: the actors are lanes
//! (User A, Server A, CF, Server B, User B, ...), each step is either a message from one lane to
//! another or a local event on one lane (a timer, a REGISTER decision, a crash), and after each
//! step the trace keeps the abstract model state as JSON. Later, the implementation fills in the
//! concrete SIP bytes of a step, so the same file can be turned into a pcap.
//!
//! The trace file (`<id>.trace.json`) is the single source of truth (STYLE.md habit 5): the
//! terminal [`ladder`], [`mermaid`] `sequenceDiagram`, [`svg`] picture and [`itf`] JSON are pure
//! functions of it, so `imflow render` draws exactly what `imflow check --out` saw.
//!
//! A model path becomes a trace through [`Trace::from_model_path`], which asks the model (through
//! [`LadderView`]) which lanes exist and where each action goes, and encodes each state with
//! [`value::to_value`] (maps whose keys are not strings stay maps, as ITF needs).

pub mod itf;
pub mod ladder;
pub mod mermaid;
pub mod model_view;
pub mod pcap;
pub mod svg;
pub mod value;

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// The format tag every trace file carries, so a reader can refuse a file it does not know.
pub const TRACE_FORMAT: &str = "imflow-trace/1";
/// The largest trace file `Trace::from_json` accepts, in bytes.
pub const TRACE_FILE_BYTES_MAX: usize = 64 * 1024 * 1024;
/// The most lanes (actors) a trace may have.
pub const TRACE_LANES_MAX: usize = 256;
/// The most steps a trace may have.
pub const TRACE_STEPS_MAX: usize = 100_000;

/// One behaviour of the group flow, as a ladder of steps between actor lanes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Trace {
    /// Always [`TRACE_FORMAT`].
    pub format: String,
    /// The scenario the behaviour belongs to (the scenario's `name`).
    pub scenario: String,
    /// The property this behaviour witnesses, as its label ("S2 one-notification-per-recipient"),
    /// if any: a counterexample for a safety or liveness property, an example for R1.
    #[serde(default)]
    pub property: Option<String>,
    /// The actor lanes in ladder order: "User A", "Server A", "CF", "Server B", "User B", ...
    pub lanes: Vec<String>,
    /// The abstract model state before the first step.
    pub initial_state: Value,
    /// The steps, in the order they happened.
    pub steps: Vec<Step>,
}

/// One step of a behaviour: a message between two lanes, or a local event on one lane.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Step {
    /// The lane the message leaves (index into [`Trace::lanes`]).
    pub from: usize,
    /// The lane the message reaches; equal to `from` for a local event (timer, register, crash).
    pub to: usize,
    /// What a protocol engineer reads on the arrow, e.g. "MESSAGE m1 (positive-delivery)".
    pub label: String,
    /// The model action taken, as the model prints it.
    pub action: String,
    /// The abstract model state after this step.
    pub state: Value,
    /// The concrete SIP bytes of this step as text, where the implementation knows them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sip: Option<String>,
}

impl Step {
    /// True if this step is a local event on one lane rather than a message between two.
    pub fn is_local(&self) -> bool {
        self.from == self.to
    }
}

/// Why a trace could not be built, read or checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TraceError {
    /// The trace file is larger than [`TRACE_FILE_BYTES_MAX`].
    FileTooLarge {
        /// The file's size, in bytes.
        bytes: usize,
    },
    /// The text is not a trace in JSON; says what serde_json found and where.
    Json(String),
    /// The file's `format` is not [`TRACE_FORMAT`].
    UnknownFormat(String),
    /// The trace has no lanes, or more than [`TRACE_LANES_MAX`].
    LaneCount(usize),
    /// The trace has more than [`TRACE_STEPS_MAX`] steps.
    TooManySteps(usize),
    /// A step names a lane the trace does not have.
    LaneOutOfRange {
        /// The step, counted from 1.
        step: usize,
        /// The lane index it names.
        lane: usize,
        /// How many lanes the trace has.
        lanes: usize,
    },
    /// A model path had no state at all.
    EmptyPath,
    /// A model path step has no action although a later state follows it.
    MissingAction {
        /// The path entry, counted from 1.
        step: usize,
    },
    /// A model state or action could not be encoded as a trace value.
    Encode(String),
}

impl std::fmt::Display for TraceError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            TraceError::FileTooLarge { bytes } => write!(
                f,
                "trace file is {bytes} bytes, more than the {TRACE_FILE_BYTES_MAX} bytes allowed"
            ),
            TraceError::Json(e) => write!(f, "not a trace file: {e}"),
            TraceError::UnknownFormat(s) => {
                write!(
                    f,
                    "trace format {s:?} is unknown (expected {TRACE_FORMAT:?})"
                )
            }
            TraceError::LaneCount(n) => {
                write!(f, "trace has {n} lanes (must be 1 to {TRACE_LANES_MAX})")
            }
            TraceError::TooManySteps(n) => {
                write!(f, "trace has {n} steps, more than {TRACE_STEPS_MAX}")
            }
            TraceError::LaneOutOfRange { step, lane, lanes } => write!(
                f,
                "step {step} names lane {lane}, but the trace has only {lanes} lanes"
            ),
            TraceError::EmptyPath => write!(f, "the model path has no state"),
            TraceError::MissingAction { step } => {
                write!(
                    f,
                    "model path step {step} has no action but is not the last"
                )
            }
            TraceError::Encode(e) => write!(f, "cannot encode a model value: {e}"),
        }
    }
}

impl std::error::Error for TraceError {}

impl Trace {
    /// Reads a trace file's text and checks it is well formed (lanes and step bounds).
    pub fn from_json(text: &str) -> Result<Trace, TraceError> {
        if text.len() > TRACE_FILE_BYTES_MAX {
            return Err(TraceError::FileTooLarge { bytes: text.len() });
        }
        let trace: Trace =
            serde_json::from_str(text).map_err(|e| TraceError::Json(e.to_string()))?;
        trace.validate()?;
        Ok(trace)
    }

    /// The trace file's text: pretty JSON that [`Trace::from_json`] reads back.
    pub fn to_json(&self) -> String {
        // A Trace holds only strings, integers and JSON values: serialising it cannot fail.
        serde_json::to_string_pretty(self).unwrap_or_default()
    }

    /// Checks the invariants every renderer relies on: a known format, 1..=TRACE_LANES_MAX lanes,
    /// at most TRACE_STEPS_MAX steps, and every step's lanes in range.
    pub fn validate(&self) -> Result<(), TraceError> {
        if self.format != TRACE_FORMAT {
            return Err(TraceError::UnknownFormat(self.format.clone()));
        }
        if self.lanes.is_empty() || self.lanes.len() > TRACE_LANES_MAX {
            return Err(TraceError::LaneCount(self.lanes.len()));
        }
        if self.steps.len() > TRACE_STEPS_MAX {
            return Err(TraceError::TooManySteps(self.steps.len()));
        }
        let lanes = self.lanes.len();
        for (i, step) in self.steps.iter().enumerate() {
            for lane in [step.from, step.to] {
                if lane >= lanes {
                    return Err(TraceError::LaneOutOfRange {
                        step: i + 1,
                        lane,
                        lanes,
                    });
                }
            }
        }
        Ok(())
    }

    /// Builds the trace of a model path: `path[i].1` is the action taken from `path[i].0` to
    /// `path[i + 1].0`; the last entry's action is `None` (the checker's path shape).
    pub fn from_model_path<M>(
        model: &M,
        scenario: &str,
        property: Option<&str>,
        path: &[(M::State, Option<M::Action>)],
    ) -> Result<Trace, TraceError>
    where
        M: LadderView,
        M::State: Serialize,
        M::Action: std::fmt::Debug,
    {
        let (first, _) = path.first().ok_or(TraceError::EmptyPath)?;
        let mut steps = Vec::with_capacity(path.len().saturating_sub(1));
        for (i, pair) in path.windows(2).enumerate() {
            let [(before, action), (after, _)] = pair else {
                continue;
            };
            let action = action
                .as_ref()
                .ok_or(TraceError::MissingAction { step: i + 1 })?;
            let (from, to, label) = model.step_view(before, action);
            steps.push(Step {
                from,
                to,
                label,
                action: format!("{action:?}"),
                state: value::to_value(after).map_err(|e| TraceError::Encode(e.to_string()))?,
                sip: None,
            });
        }
        let trace = Trace {
            format: TRACE_FORMAT.to_string(),
            scenario: scenario.to_string(),
            property: property.map(str::to_string),
            lanes: model.lanes(),
            initial_state: value::to_value(first).map_err(|e| TraceError::Encode(e.to_string()))?,
            steps,
        };
        trace.validate()?;
        Ok(trace)
    }

    /// A one-line title for pictures: "seed: R1 seed-flow-reachable" or just the scenario.
    pub fn title(&self) -> String {
        match &self.property {
            Some(p) => format!("{}: {}", self.scenario, p),
            None => self.scenario.clone(),
        }
    }
}

/// What a model tells the trace layer about its ladder: the lanes, and where each action goes.
pub trait LadderView: stateright::Model {
    /// The actor lanes in ladder order ("User A", "Server A", "CF", "Server B", "User B", ...).
    fn lanes(&self) -> Vec<String>;
    /// For `action` taken in `before`: (from lane, to lane, arrow label); from == to for a local
    /// event.
    fn step_view(&self, before: &Self::State, action: &Self::Action) -> (usize, usize, String);
}

/// Makes a label safe for a one-line picture: control characters become spaces, and a label
/// longer than `chars_max` characters is cut with "...".
pub(crate) fn one_line(label: &str, chars_max: usize) -> String {
    let mut out: String = label
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .take(chars_max.saturating_add(1))
        .collect();
    if out.chars().count() > chars_max {
        out = out.chars().take(chars_max.saturating_sub(3)).collect();
        out.push_str("...");
    }
    out
}
