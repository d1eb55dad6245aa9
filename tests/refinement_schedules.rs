//! Proptest: scenarios from the catalogue's parameter space (members, a non-member, offline
//! users, users who stay offline, IMs, dispositions, CF policy, deferral, timers, fault budgets)
//! under generated schedules: delivery order, timer firings (time passing), registration times
//! (an offline user's REGISTER is in flight from the start, as in the model, and when it is
//! delivered is the schedule's choice), losses, duplicates and crashes. The implementation must
//! follow the model step by step, and the monitors must see no violation.
//!
//! `PROPTEST_CASES` sets the number of cases (default [`DEFAULT_CASES`]). A failure shrinks to
//! a minimal scenario and schedule, saves it, and prints the command that replays it.

use imflow::refine::{check_schedule, MessageParams, ScenarioParams, Schedule};
use proptest::prelude::*;

/// Cases per run unless `PROPTEST_CASES` says otherwise.
const DEFAULT_CASES: u32 = 10_000;
/// Longest generated schedule, in choices.
const SCHEDULE_LEN_MAX: usize = 120;
/// Where a failing case is saved for the reproduce command.
const SAVED_CASE: &str = "target/refinement-failure.json";

fn message() -> impl Strategy<Value = MessageParams> {
    (any::<u8>(), 0u8..8).prop_map(|(from, dispositions)| MessageParams { from, dispositions })
}

fn scenario() -> impl Strategy<Value = ScenarioParams> {
    (
        (0u8..3, any::<bool>(), any::<u8>(), any::<u8>()),
        prop::collection::vec(message(), 1..=2),
        (any::<bool>(), prop::bool::weighted(0.2), 0u8..8),
        (0u8..3, 0u8..3, 0u8..3),
    )
        .prop_map(
            |(
                (members, non_member, offline, stays),
                messages,
                (forward, no_defer, timers),
                (d, u, c),
            )| {
                ScenarioParams {
                    members,
                    non_member,
                    offline,
                    // Users who never register, rarer than late ones (every other bit).
                    stays_offline: stays & 0b0101_0101,
                    messages,
                    forward_each: forward,
                    no_deferral: no_defer,
                    timers_off: timers,
                    drops: d,
                    duplicates: u,
                    crashes: c,
                }
            },
        )
}

fn schedule() -> impl Strategy<Value = Schedule> {
    prop::collection::vec(any::<u16>(), 0..SCHEDULE_LEN_MAX)
        .prop_map(|choices| Schedule { choices })
}

fn config() -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(DEFAULT_CASES);
    ProptestConfig {
        cases,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

fn save(params: &ScenarioParams, schedule: &Schedule) -> String {
    let scenario = params.scenario().to_toml_string().unwrap_or_default();
    let text = serde_json::json!({ "scenario": scenario, "choices": schedule.choices }).to_string();
    let _ = std::fs::write(SAVED_CASE, text);
    format!(
        "IMFLOW_REFINEMENT_CASE={SAVED_CASE} cargo test -p imflow --test integration \
         refinement_schedules::saved_case_refines_the_model -- --nocapture"
    )
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn every_schedule_of_every_small_scenario_refines_the_model(params in scenario(), schedule in schedule()) {
        let result = check_schedule(&params.scenario(), &schedule);
        if let Err(e) = result {
            let reproduce = save(&params, &schedule);
            prop_assert!(false, "{e}\nscenario: {:?}\nschedule: {:?}\nreproduce: {reproduce}", params.scenario(), schedule.choices);
        }
    }
}

/// Replays the case a failing run saved (`IMFLOW_REFINEMENT_CASE`); passes when none is saved.
#[test]
fn saved_case_refines_the_model() {
    let Ok(path) = std::env::var("IMFLOW_REFINEMENT_CASE") else {
        return;
    };
    let text = std::fs::read_to_string(&path).expect("the saved case is readable");
    let json: serde_json::Value = serde_json::from_str(&text).expect("the saved case is JSON");
    let scenario = imflow_model::Scenario::from_toml_str(json["scenario"].as_str().unwrap_or(""))
        .expect("the saved scenario is valid");
    let choices = json["choices"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|c| c.as_u64())
                .map(|c| c as u16)
                .collect()
        })
        .unwrap_or_default();
    if let Err(e) = check_schedule(&scenario, &Schedule { choices }) {
        panic!("{e}");
    }
}
