//! Model-based test generation: every path of the seed flow's model up to
//! [`SEED_PATH_DEPTH`] actions (every maximal path shorter than that included) is replayed on
//! the implementation, which must follow each one (up to the order of independent steps).
//!
//! A timer fires on a generated path only when nothing is in flight. The implementation's
//! timers are long against the network (T_agg 2 s, T_exp 120 s, T_state 240 s; a message is
//! delivered within T4 = 5 s in a controlled run), so a model path where `T_exp` overtakes a
//! message in flight has no counterpart in real time; the model fires timers whenever they are
//! enabled, which is more than the implementation can do.
//!
//! Two catalogue scenarios are enumerated the same way to [`CATALOGUE_PATH_DEPTH`]: the
//! non-member's refused IM and the `stored` processing notification.
//!
//! The counts are pinned, so a model change that changes these behaviours is seen here too.

use imflow::refine::replay_path;
use imflow_model::action::enabled_actions;
use imflow_model::{Action, GroupImModel, Scenario, State};
use stateright::Model;

/// How deep the seed's paths are enumerated: the deepest that replays in well under a minute.
const SEED_PATH_DEPTH: usize = 7;
/// How many paths that is (pinned).
const SEED_PATHS: usize = 4_596;
/// How deep the other catalogue scenarios' paths are enumerated.
const CATALOGUE_PATH_DEPTH: usize = 6;

fn paths(
    model: &GroupImModel,
    depth: usize,
    state: &State,
    prefix: &mut Vec<Action>,
    out: &mut Vec<Vec<Action>>,
) {
    let mut actions = Vec::new();
    enabled_actions(model.config(), state, &mut actions);
    if prefix.len() == depth || actions.is_empty() {
        out.push(prefix.clone());
        return;
    }
    let timer = |a: &Action| {
        matches!(
            a,
            Action::AggregationFlush(_) | Action::DeferredExpiry { .. } | Action::CfStateExpiry(_)
        )
    };
    actions.retain(|a| state.network.is_empty() || !timer(a));
    for action in actions {
        let Some(next) = model.next_state(state, action) else {
            continue;
        };
        prefix.push(action);
        paths(model, depth, &next, prefix, out);
        prefix.pop();
    }
}

#[test]
fn the_implementation_follows_every_short_path_of_the_seed_flow() {
    let scenario = Scenario::seed();
    let model = GroupImModel::new(&scenario).expect("the seed is valid");
    let mut all = Vec::new();
    paths(
        &model,
        SEED_PATH_DEPTH,
        &model.initial_state(),
        &mut Vec::new(),
        &mut all,
    );
    let started = std::time::Instant::now();
    for path in &all {
        if let Err(e) = replay_path(&scenario, path) {
            panic!("path {path:?}:\n{e}");
        }
    }
    eprintln!(
        "replayed {} paths of depth {SEED_PATH_DEPTH} in {:?}",
        all.len(),
        started.elapsed()
    );
    assert_eq!(all.len(), SEED_PATHS);
}

fn follows_every_path(file: &str, depth: usize) -> usize {
    let path = format!("{}/proofs/{file}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).expect("the catalogue file is readable");
    let scenario = Scenario::from_toml_str(&text).expect("the catalogue scenario is valid");
    let model = GroupImModel::new(&scenario).expect("the catalogue scenario is valid");
    let mut all = Vec::new();
    paths(
        &model,
        depth,
        &model.initial_state(),
        &mut Vec::new(),
        &mut all,
    );
    for path in &all {
        if let Err(e) = replay_path(&scenario, path) {
            panic!("{file}: path {path:?}:\n{e}");
        }
    }
    all.len()
}

#[test]
fn a_non_members_im_is_refused_on_its_one_complete_path() {
    // One action is enabled at every step (403, no fan-out): its only behaviour.
    assert_eq!(
        follows_every_path("non-member.toml", CATALOGUE_PATH_DEPTH),
        1
    );
}

#[test]
fn a_stored_notification_is_sent_on_every_short_path() {
    assert_eq!(
        follows_every_path("processing-stored.toml", CATALOGUE_PATH_DEPTH),
        1_023
    );
}
