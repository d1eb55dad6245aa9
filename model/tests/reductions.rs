//! Facts the reductions rely on, checked state by state: the symmetry representative is a
//! canonical member of the state's class (idempotent, every property agrees on it), and a
//! persistent set is made of enabled actions that change the state.

use crate::support;

use imflow_model::checker::Reductions;
use imflow_model::{GroupImModel, State};
use stateright::Model;
use support::scenario;

fn every_state(model: &GroupImModel) -> Vec<State> {
    support::reachable_states(model).into_iter().collect()
}

#[test]
fn representative_is_idempotent_and_every_property_agrees_on_it() {
    for stem in ["seed", "negative-expiry", "bad-cf-forwards-duplicate-imdn"] {
        let model = GroupImModel::new(&scenario(stem)).expect("valid");
        let properties = model.properties();
        for state in every_state(&model) {
            let rep = model.representative(&state);
            assert_eq!(model.representative(&rep), rep, "{stem}: not idempotent");
            assert_eq!(rep.network.len(), state.network.len());
            for p in &properties {
                assert_eq!(
                    (p.condition)(&model, &state),
                    (p.condition)(&model, &rep),
                    "{stem}: {} differs on the representative",
                    p.name
                );
            }
        }
    }
}

#[test]
fn seed_recipients_b_and_c_are_interchangeable_and_d_is_not() {
    let model = GroupImModel::new(&scenario("seed")).expect("valid");
    assert_eq!(
        imflow_model::symmetry::classes(model.config()),
        vec![vec![1, 2]]
    );
}

#[test]
fn persistent_set_is_enabled_actions_that_change_the_state() {
    for stem in ["seed", "crash-after-202", "lossy", "two-senders"] {
        let model = GroupImModel::new(&scenario(stem)).expect("valid");
        for state in every_state(&model) {
            let mut actions = Vec::new();
            model.actions(&state, &mut actions);
            let mut chosen = Vec::new();
            model.ample(&state, &actions, &mut chosen);
            assert!(
                chosen.len() < actions.len() || chosen.len() <= 1,
                "{stem}: not smaller"
            );
            for i in chosen {
                let action = actions.get(i).expect("index of an enabled action");
                let next = model.next_state(&state, *action).expect("enabled");
                assert_ne!(next, state, "{stem}: ample action changes nothing");
            }
        }
    }
}
