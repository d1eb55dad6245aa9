//! Refinement facts about the seed flow: the implementation follows the model on fixed
//! schedules, and R1's example path.

use imflow::refine::{check_schedule, Schedule};
use imflow_model::Scenario;

#[test]
fn seed_flow_delivered_oldest_first_refines_the_model() {
    let checked = check_schedule(&Scenario::seed(), &Schedule::default());
    match checked {
        Ok(c) => assert!(
            c.model_actions > 10,
            "only {} model actions",
            c.model_actions
        ),
        Err(e) => panic!("{e}"),
    }
}

#[test]
fn seed_flow_delivered_newest_first_refines_the_model() {
    let schedule = Schedule {
        choices: vec![u16::MAX; 200],
    };
    if let Err(e) = check_schedule(&Scenario::seed(), &schedule) {
        panic!("{e}");
    }
}
