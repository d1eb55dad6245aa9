//! Model paths from files: an ITF trace (`<id>.itf.json`, as `imflow check --out` writes it) or
//! an imflow trace (`<id>.trace.json`), turned back into the model's actions.
//!
//! Each step names its action as the model prints it (`mbt::actionTaken` in ITF, `action` in
//! the trace file) and carries the state after it. The path is resolved against the scenario's
//! model: from the initial state, the step's action must be an enabled action with that name,
//! and the state it leads to, encoded as the file encodes states, must equal the file's state.
//! So a path from another scenario, or an edited one, is refused at the step where it stops
//! being a path of this model.

use crate::trace::itf::{itf_value, ACTION_TAKEN_VAR};
use crate::trace::value::to_value;
use crate::trace::{Trace, TRACE_FORMAT};
use imflow_model::action::enabled_actions;
use imflow_model::{Action, GroupImModel};
use serde_json::Value;
use stateright::Model;

/// Most steps a model path file may have.
pub const PATH_STEPS_MAX: usize = 10_000;

/// How the file encodes states.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    /// ITF: integers as `{"#bigint": ..}`, the state's fields as variables.
    Itf,
    /// An imflow trace: the state as [`to_value`] writes it.
    Trace,
}

/// A model path as read from a file, not yet resolved.
#[derive(Debug, Clone, PartialEq)]
pub struct PathFile {
    /// The scenario name the file names (ITF `#meta.source`, trace `scenario`).
    pub scenario: String,
    /// How states are encoded.
    pub encoding: Encoding,
    /// The initial state.
    pub initial: Value,
    /// Each step: the action's printed name and the state after it.
    pub steps: Vec<(String, Value)>,
}

/// Why a model path file was refused; says where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PathError(pub String);

impl std::fmt::Display for PathError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for PathError {}

fn bad(message: impl Into<String>) -> PathError {
    PathError(message.into())
}

/// Reads an ITF document or an imflow trace file's text.
pub fn read(text: &str) -> Result<PathFile, PathError> {
    let json: Value = serde_json::from_str(text).map_err(|e| bad(format!("not JSON: {e}")))?;
    if json.get("format").and_then(Value::as_str) == Some(TRACE_FORMAT) {
        let trace = Trace::from_json(text).map_err(|e| bad(e.to_string()))?;
        return Ok(PathFile {
            scenario: trace.scenario,
            encoding: Encoding::Trace,
            initial: trace.initial_state,
            steps: trace
                .steps
                .into_iter()
                .map(|s| (s.action, s.state))
                .collect(),
        });
    }
    let states = json
        .get("states")
        .and_then(Value::as_array)
        .ok_or_else(|| {
            bad("neither an imflow trace (no \"format\") nor ITF (no \"states\" array)")
        })?;
    if states.len() > PATH_STEPS_MAX + 1 {
        return Err(bad(format!(
            "{} states, more than {PATH_STEPS_MAX} steps",
            states.len()
        )));
    }
    let scenario = json
        .pointer("/#meta/source")
        .and_then(Value::as_str)
        .ok_or_else(|| bad("ITF without \"#meta\".\"source\" (the scenario name)"))?
        .to_string();
    let mut parsed = Vec::with_capacity(states.len());
    for (i, state) in states.iter().enumerate() {
        let Value::Object(fields) = state else {
            return Err(bad(format!("states[{i}] is not an object")));
        };
        let action = fields
            .get(ACTION_TAKEN_VAR)
            .and_then(Value::as_str)
            .ok_or_else(|| bad(format!("states[{i}] has no \"{ACTION_TAKEN_VAR}\" string")))?;
        let vars: serde_json::Map<String, Value> = fields
            .iter()
            .filter(|(k, _)| !k.starts_with('#') && *k != ACTION_TAKEN_VAR)
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        parsed.push((action.to_string(), Value::Object(vars)));
    }
    let mut parsed = parsed.into_iter();
    let (_, initial) = parsed.next().ok_or_else(|| bad("ITF with no states"))?;
    Ok(PathFile {
        scenario,
        encoding: Encoding::Itf,
        initial,
        steps: parsed.collect(),
    })
}

fn encode(encoding: Encoding, state: &imflow_model::State) -> Result<Value, PathError> {
    let value = to_value(state).map_err(|e| bad(format!("cannot encode a model state: {e}")))?;
    Ok(match encoding {
        Encoding::Itf => itf_value(&value),
        Encoding::Trace => value,
    })
}

/// The model's actions along `file`, checked state by state against `model`.
pub fn resolve(model: &GroupImModel, file: &PathFile) -> Result<Vec<Action>, PathError> {
    let mut state = model.initial_state();
    if encode(file.encoding, &state)? != file.initial {
        return Err(bad(format!(
            "the initial state is not the initial state of scenario {:?} (is the trace from \
             another scenario?)",
            model.scenario().name
        )));
    }
    let mut actions = Vec::with_capacity(file.steps.len());
    let mut enabled = Vec::new();
    for (i, (name, after)) in file.steps.iter().enumerate() {
        enabled.clear();
        enabled_actions(model.config(), &state, &mut enabled);
        let next = enabled.iter().find_map(|a| {
            if format!("{a:?}") != *name {
                return None;
            }
            let next = model.next_state(&state, *a)?;
            (encode(file.encoding, &next).ok()? == *after).then_some((*a, next))
        });
        let Some((action, next)) = next else {
            return Err(bad(format!(
                "step {}: no enabled model action named {name:?} leads to the state the file \
                 gives",
                i + 1
            )));
        };
        actions.push(action);
        state = next;
    }
    Ok(actions)
}
