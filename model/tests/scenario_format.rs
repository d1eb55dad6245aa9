//! The scenario TOML format: what it accepts, what it refuses, and how it says why.

use imflow_model::scenario::{Aggregation, Disposition};
use imflow_model::{Expected, PropertyId, Scenario, ScenarioError};

const MINIMAL: &str = r#"
name = "pair"
expect = "hold"

[group]
name = "pair"
members = ["A", "B"]

[[messages]]
from = "A"
dispositions = ["positive-delivery", "negative-delivery", "processing"]
"#;

#[test]
fn minimal_scenario_takes_documented_defaults() {
    let scenario = Scenario::from_toml_str(MINIMAL).expect("valid");
    assert_eq!(scenario.cf.aggregation, Aggregation::Aggregate);
    assert!(scenario.servers.deferral);
    assert!(scenario.timers.aggregation_flush && scenario.timers.deferred_expiry);
    assert!(scenario.timers.cf_state_expiry);
    assert_eq!(scenario.faults.drops_max, 0);
    assert_eq!(scenario.expect, Expected::Hold);
    assert_eq!(
        scenario.messages[0].dispositions,
        vec![
            Disposition::PositiveDelivery,
            Disposition::NegativeDelivery,
            Disposition::Processing
        ]
    );
}

#[test]
fn unknown_key_is_rejected_naming_the_key() {
    let text = MINIMAL.replace("[group]", "drop_max = 1\n\n[group]");
    let error = Scenario::from_toml_str(&text).unwrap_err();
    assert!(matches!(error, ScenarioError::Toml(_)));
    let message = error.to_string();
    assert!(message.contains("drop_max"), "{message}");
    assert!(message.contains("line"), "{message}");
}

#[test]
fn unknown_key_in_a_table_is_rejected() {
    let text = format!("{MINIMAL}\n[faults]\ndrops = 1\n");
    let message = Scenario::from_toml_str(&text).unwrap_err().to_string();
    assert!(message.contains("drops"), "{message}");
}

#[test]
fn expected_violation_is_read_by_id_or_label() {
    for value in [
        "\"S2\"",
        "\"S2 one-notification-per-recipient\"",
        "\"one-notification-per-recipient\"",
    ] {
        let text = MINIMAL.replace(
            "expect = \"hold\"",
            &format!("expect = {{ violated = {value} }}"),
        );
        let scenario = Scenario::from_toml_str(&text).expect("valid");
        assert_eq!(scenario.expect, Expected::Violated(PropertyId::S2));
    }
}

#[test]
fn expectation_other_than_hold_or_violated_is_rejected() {
    let text = MINIMAL.replace("expect = \"hold\"", "expect = \"holds\"");
    let message = Scenario::from_toml_str(&text).unwrap_err().to_string();
    assert!(message.contains("expect must be"), "{message}");
}

#[test]
fn sender_that_is_not_declared_is_rejected_with_its_field() {
    let text = MINIMAL.replace("from = \"A\"", "from = \"Z\"");
    match Scenario::from_toml_str(&text).unwrap_err() {
        ScenarioError::Invalid { field, reason } => {
            assert_eq!(field, "messages[0].from");
            assert!(reason.contains('Z'));
        }
        other => panic!("unexpected {other:?}"),
    }
}

#[test]
fn fault_budget_over_its_limit_is_rejected() {
    let text = format!("{MINIMAL}\n[faults]\ndrops_max = 11\n");
    let message = Scenario::from_toml_str(&text).unwrap_err().to_string();
    assert!(message.contains("faults.drops_max"), "{message}");
}

#[test]
fn too_many_users_are_rejected() {
    let text = MINIMAL.replace(
        "members = [\"A\", \"B\"]",
        "members = [\"A\", \"B\", \"C\", \"D\", \"E\", \"F\", \"G\"]",
    );
    assert!(matches!(
        Scenario::from_toml_str(&text),
        Err(ScenarioError::Invalid { .. })
    ));
}

#[test]
fn expecting_a_property_that_is_not_checked_is_rejected() {
    let text = MINIMAL.replace(
        "expect = \"hold\"",
        "expect = { violated = \"S2\" }\nproperties = [\"S1\"]",
    );
    let message = Scenario::from_toml_str(&text).unwrap_err().to_string();
    assert!(message.contains("does not check"), "{message}");
}

#[test]
fn oversized_text_is_refused_before_parsing() {
    let text = " ".repeat(imflow_model::limits::SCENARIO_TOML_BYTES_MAX + 1);
    assert!(matches!(
        Scenario::from_toml_str(&text),
        Err(ScenarioError::TooLong { .. })
    ));
}

#[test]
fn seed_round_trips_through_toml() {
    let seed = Scenario::seed();
    let text = seed.to_toml_string().expect("serialisable");
    assert_eq!(Scenario::from_toml_str(&text).expect("valid"), seed);
}

#[test]
fn seed_checks_every_property_including_r1() {
    assert_eq!(
        Scenario::seed().checked_properties(),
        PropertyId::ALL.to_vec()
    );
}

#[test]
fn r1_is_not_checked_where_the_seed_flow_cannot_happen() {
    let scenario = Scenario::from_toml_str(MINIMAL).expect("valid");
    assert!(!scenario.checked_properties().contains(&PropertyId::R1));
}

#[test]
fn property_ids_names_and_labels_agree() {
    for p in PropertyId::ALL {
        assert_eq!(p.label(), format!("{} {}", p.id(), p.name()));
        assert_eq!(PropertyId::from_label(p.id()), Some(p));
        assert_eq!(PropertyId::from_label(p.name()), Some(p));
        assert_eq!(PropertyId::from_label(p.label()), Some(p));
    }
    assert_eq!(PropertyId::from_label("S6"), None);
}
