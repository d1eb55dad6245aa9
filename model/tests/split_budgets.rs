//! Splitting the fault budgets between group IMs keeps the reachable states: with and without
//! the split, the same states are reachable once the per-group allowances are forgotten, and
//! the checker gives the same verdicts.

use crate::support;

use imflow_model::{GroupImModel, Scenario, State};
use rustc_hash::FxHashSet;
use stateright::Model;
use support::{reachable_states, run, verdicts};

fn forget_allowances(states: FxHashSet<State>) -> FxHashSet<State> {
    states
        .into_iter()
        .map(|mut s| {
            s.drop_allowance = Default::default();
            s.duplicate_allowance = Default::default();
            s
        })
        .collect()
}

/// A and B are the members; IM 1 is sent by A and IM 2 by `second`; `offline` start offline.
fn two_ims(second: &str, offline: &str, faults: &str) -> Scenario {
    let text = format!(
        r#"name = "two-ims-faults"
summary = "Two IMs to a group of two, with faults."
expect = "hold"
offline = [{offline}]
[group]
name = "pair"
members = ["A", "B"]
[[messages]]
from = "A"
dispositions = ["positive-delivery"]
[[messages]]
from = "{second}"
dispositions = ["positive-delivery"]
[timers]
aggregation_flush = false
cf_state_expiry = false
[faults]
{faults}
"#
    );
    Scenario::from_toml_str(&text).expect("valid scenario")
}

#[test]
fn split_budgets_reach_the_same_states_and_verdicts() {
    let scenarios = [
        two_ims("A", r#""B""#, "drops_max = 1"),
        two_ims("A", r#""B""#, "drops_max = 1\nretransmission = false"),
        two_ims("B", "", "drops_max = 1\nduplicates_max = 1"),
    ];
    for scenario in &scenarios {
        let shared = GroupImModel::new(scenario).expect("valid");
        let split = shared.clone().with_split_budgets(true);
        assert!(split.init_states().len() > 1, "the budget is divided");
        let shared_states = reachable_states(&shared);
        let split_states = forget_allowances(reachable_states(&split));
        assert_eq!(shared_states.len(), split_states.len());
        assert!(shared_states == split_states, "reachable states differ");
        assert_eq!(
            verdicts(&run(&shared, false, false)),
            verdicts(&run(&split, false, false))
        );
    }
}
