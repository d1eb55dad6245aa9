//! The persistent sets partial-order reduction explores are persistent, checked on sampled
//! states of two-message scenarios with every kind of fault: every action of the chosen set
//! commutes with every action outside it, along paths made only of outside actions, and
//! neither disables the other.

use crate::support;

use imflow_model::checker::Reductions;
use imflow_model::{Action, GroupImModel, Scenario, State};
use stateright::Model;
use support::scenario;

/// Random states visited per scenario.
const SAMPLED_STATES: usize = 4_000;
/// Longest path of outside actions walked from each sampled state.
const OUTSIDE_STEPS_MAX: usize = 6;

/// A small deterministic generator (SplitMix64), so failures reproduce.
struct SplitMix(u64);

impl SplitMix {
    fn below(&mut self, n: usize) -> usize {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        ((z ^ (z >> 31)) % n.max(1) as u64) as usize
    }
}

fn enabled(model: &GroupImModel, state: &State) -> Vec<Action> {
    let mut actions = Vec::new();
    model.actions(state, &mut actions);
    actions
}

fn chosen(model: &GroupImModel, state: &State, actions: &[Action]) -> Vec<Action> {
    let mut indices = Vec::new();
    model.ample(state, actions, &mut indices);
    indices.iter().map(|&i| actions[i]).collect()
}

/// Checks that `inside` and `outside`, both enabled in `state`, are independent there: each
/// stays enabled after the other and both orders reach the same state.
fn assert_independent(model: &GroupImModel, state: &State, inside: Action, outside: Action) {
    let a = model.next_state(state, inside).expect("inside enabled");
    let b = model.next_state(state, outside).expect("outside enabled");
    let ab = enabled(model, &a)
        .contains(&outside)
        .then(|| model.next_state(&a, outside))
        .flatten();
    let ba = enabled(model, &b)
        .contains(&inside)
        .then(|| model.next_state(&b, inside))
        .flatten();
    assert!(
        ab.is_some() && ab == ba,
        "{} and {} do not commute in {state:?}",
        model.describe(&inside),
        model.describe(&outside)
    );
}

fn check_scenario(scenario: &Scenario, split_budgets: bool, seed: u64) -> usize {
    let model = GroupImModel::new(scenario)
        .expect("valid scenario")
        .with_split_budgets(split_budgets);
    let mut rng = SplitMix(seed);
    let inits = model.init_states();
    let init = inits[rng.below(inits.len())].clone();
    let mut state = init.clone();
    let mut proper_sets = 0;
    for _ in 0..SAMPLED_STATES {
        let actions = enabled(&model, &state);
        if actions.is_empty() {
            state = init.clone();
            continue;
        }
        let set = chosen(&model, &state, &actions);
        if !set.is_empty() && set.len() < actions.len() {
            proper_sets += 1;
            for action in &set {
                let next = model
                    .next_state(&state, *action)
                    .expect("chosen action enabled");
                assert_ne!(next, state, "{} changes nothing", model.describe(action));
            }
            // Walk outside actions only; every inside action stays enabled and commutes.
            let mut outside_state = state.clone();
            for _ in 0..OUTSIDE_STEPS_MAX {
                let outside: Vec<Action> = enabled(&model, &outside_state)
                    .into_iter()
                    .filter(|a| !set.contains(a))
                    .collect();
                if outside.is_empty() {
                    break;
                }
                for inside in &set {
                    for other in &outside {
                        assert_independent(&model, &outside_state, *inside, *other);
                    }
                }
                let step = outside[rng.below(outside.len())];
                outside_state = model.next_state(&outside_state, step).expect("enabled");
            }
        }
        let step = actions[rng.below(actions.len())];
        state = model.next_state(&state, step).expect("enabled");
    }
    proper_sets
}

fn two_senders_with(faults: &str, cf: &str) -> Scenario {
    two_senders_to(r#"offline = ["C"]"#, faults, cf)
}

/// A and B each send an IM to A, B, C, D; `offline` says who is not registered at the start.
fn two_senders_to(offline: &str, faults: &str, cf: &str) -> Scenario {
    let text = format!(
        r#"name = "two-senders-offline"
summary = "A and B each send an IM; C starts offline."
expect = "hold"
{offline}
[group]
name = "climbers"
members = ["A", "B", "C", "D"]
[[messages]]
from = "A"
dispositions = ["positive-delivery", "negative-delivery"]
[[messages]]
from = "B"
dispositions = ["positive-delivery", "processing"]
[cf]
aggregation = "{cf}"
[faults]
{faults}
"#
    );
    Scenario::from_toml_str(&text).expect("valid scenario")
}

#[test]
fn chosen_sets_are_persistent_in_two_message_scenarios_with_every_fault() {
    let scenarios = [
        scenario("two-senders"),
        two_senders_with("", "aggregate"),
        two_senders_with("crashes_max = 1", "aggregate"),
        two_senders_with("drops_max = 1", "forward-each"),
        two_senders_with("duplicates_max = 1", "aggregate"),
        two_senders_with("drops_max = 2\nretransmission = false", "aggregate"),
        two_senders_with(
            "drops_max = 1\nduplicates_max = 1\ncrashes_max = 1",
            "aggregate",
        ),
        // Both IMs are stored for C in either order (store order is state).
        two_senders_to(r#"stays_offline = ["C"]"#, "", "aggregate"),
    ];
    for split_budgets in [false, true] {
        for (seed, scenario) in scenarios.iter().enumerate() {
            let proper = check_scenario(scenario, split_budgets, seed as u64 + 1);
            assert!(
                proper > SAMPLED_STATES / 20,
                "{}: only {proper} sampled states had a proper persistent set",
                scenario.name
            );
        }
    }
}

/// A and B each send an IM to a group of three; C is not registered at the start.
fn two_ims_for_c(offline: &str) -> Scenario {
    let text = format!(
        r#"name = "two-ims-for-c"
summary = "A and B each send an IM; C's server stores both, in either order."
expect = "hold"
{offline}
[group]
name = "climbers"
members = ["A", "B", "C"]
[[messages]]
from = "A"
dispositions = ["negative-delivery"]
[[messages]]
from = "B"
dispositions = ["processing"]
"#
    );
    Scenario::from_toml_str(&text).expect("valid scenario")
}

/// Every reachable state of `scenario` (plain search); for each chosen proper set, every action
/// in it commutes with every enabled action outside it. Returns the number of proper sets.
fn chosen_sets_commute_in_every_state(scenario: &Scenario) -> usize {
    let model = GroupImModel::new(scenario).expect("valid scenario");
    let mut seen: rustc_hash::FxHashSet<State> = rustc_hash::FxHashSet::default();
    let mut stack = model.init_states();
    let mut proper_sets = 0;
    while let Some(state) = stack.pop() {
        if !seen.insert(state.clone()) {
            continue;
        }
        let actions = enabled(&model, &state);
        let set = chosen(&model, &state, &actions);
        if !set.is_empty() && set.len() < actions.len() {
            proper_sets += 1;
            for inside in &set {
                for outside in actions.iter().filter(|a| !set.contains(a)) {
                    assert_independent(&model, &state, *inside, *outside);
                }
            }
        }
        stack.extend(actions.iter().filter_map(|a| model.next_state(&state, *a)));
    }
    proper_sets
}

#[test]
fn chosen_sets_commute_in_every_state_where_two_ims_queue_at_one_server() {
    // Store order is state: two legs stored at C's server, in either order, do not commute,
    // and whether a leg is stored or proxied at a bound server depends on the copies it holds.
    for offline in [r#"stays_offline = ["C"]"#, r#"offline = ["C"]"#] {
        let proper = chosen_sets_commute_in_every_state(&two_ims_for_c(offline));
        assert!(proper > 0, "{offline}: no proper persistent set");
    }
}
