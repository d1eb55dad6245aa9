//! The ITF JSON of a trace (the Informal Trace Format of Apalache and Quint), for tools that
//! replay or inspect model traces.
//!
//! The document has `#meta` (format, source scenario, description), `vars` and `states`; each
//! state carries `#meta.index`, the model variables and `mbt::actionTaken` (the action that led
//! to it; `"init"` for the initial state, as Quint writes it). When the model state is a record
//! its fields are the ITF variables; otherwise the whole state is the one variable `state`.
//! Values keep the trace encoding ([`super::value`]: lists, `#map`, `{"tag", "value"}` sums) and
//! every integer becomes `{"#bigint": "N"}`.

use super::Trace;
use serde_json::{json, Map, Value};

/// The ITF variable holding the action taken into each state (Quint's model-based-testing name).
pub const ACTION_TAKEN_VAR: &str = "mbt::actionTaken";
/// The ITF variable used when the model state is not a record.
const WHOLE_STATE_VAR: &str = "state";
/// The action name ITF readers expect on the initial state.
const INIT_ACTION: &str = "init";

/// Writes the trace as an ITF JSON document (pretty-printed, ends with a newline).
pub fn render(trace: &Trace) -> String {
    let mut text = serde_json::to_string_pretty(&document(trace)).unwrap_or_default();
    text.push('\n');
    text
}

/// The ITF document of the trace as a JSON value.
pub fn document(trace: &Trace) -> Value {
    let vars = variables(&trace.initial_state);
    let mut states = Vec::with_capacity(trace.steps.len() + 1);
    states.push(state(0, &vars, &trace.initial_state, INIT_ACTION));
    for (i, step) in trace.steps.iter().enumerate() {
        states.push(state(i + 1, &vars, &step.state, &step.action));
    }
    let mut all_vars: Vec<Value> = vars.iter().map(|v| Value::String(v.clone())).collect();
    all_vars.push(Value::String(ACTION_TAKEN_VAR.to_string()));
    json!({
        "#meta": {
            "format": "ITF",
            "format-description": "https://apalache-mc.org/docs/adr/015adr-trace.html",
            "source": trace.scenario,
            "description": format!("imflow trace: {}", trace.title()),
        },
        "vars": all_vars,
        "states": states,
    })
}

/// The model variables: the record fields of the initial state, or the whole state as one.
fn variables(initial: &Value) -> Vec<String> {
    match initial {
        Value::Object(fields) if !fields.is_empty() && !is_itf_special(fields) => {
            fields.keys().cloned().collect()
        }
        _ => vec![WHOLE_STATE_VAR.to_string()],
    }
}

/// True if an object is an ITF special form (`#map`, `#tup`, `#bigint`, ...) or a sum value,
/// which must stay one value rather than be split into variables.
fn is_itf_special(fields: &Map<String, Value>) -> bool {
    fields.keys().any(|k| k.starts_with('#')) || (fields.contains_key("tag") && fields.len() == 2)
}

/// One ITF state: its index, the model variables and the action taken into it.
fn state(index: usize, vars: &[String], model_state: &Value, action: &str) -> Value {
    let mut out = Map::new();
    out.insert("#meta".to_string(), json!({ "index": index }));
    match model_state {
        Value::Object(fields) if vars.first().map(String::as_str) != Some(WHOLE_STATE_VAR) => {
            for var in vars {
                let value = fields.get(var).map(itf_value).unwrap_or(Value::Null);
                out.insert(var.clone(), value);
            }
        }
        other => {
            out.insert(WHOLE_STATE_VAR.to_string(), itf_value(other));
        }
    }
    out.insert(
        ACTION_TAKEN_VAR.to_string(),
        Value::String(action.to_string()),
    );
    Value::Object(out)
}

/// A trace value in ITF: integers become `{"#bigint": "N"}`, everything else keeps its shape.
pub fn itf_value(value: &Value) -> Value {
    match value {
        Value::Number(n) if n.is_i64() || n.is_u64() => json!({ "#bigint": n.to_string() }),
        Value::Array(items) => Value::Array(items.iter().map(itf_value).collect()),
        Value::Object(fields) => Value::Object(
            fields
                .iter()
                .map(|(k, v)| (k.clone(), itf_value(v)))
                .collect(),
        ),
        other => other.clone(),
    }
}
