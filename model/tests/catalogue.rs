//! The proof catalogue: every scenario parses, gives its expected verdict, and has exactly the
//! pinned number of unique states (so any change to the model is seen), with and without
//! reductions.

use crate::support;

use imflow_model::checker::Verdict;
use imflow_model::{Expected, GroupImModel, PropertyId, Scenario};
use support::{run, scenario, stems, verdicts};

/// (file stem, unique states unreduced, with symmetry, with partial-order reduction, with both).
const PINNED: &[(&str, u64, u64, u64, u64)] = &[
    ("aggregation-off", 75442, 39946, 1105, 629),
    ("bad-cf-counts-202", 9732, 9732, 605, 605),
    ("bad-cf-forwards-duplicate-imdn", 26581, 13572, 7316, 3782),
    ("bad-cf-frees-state-early", 7086, 7086, 355, 355),
    (
        "bad-deferred-delivered-and-expired",
        26777,
        26777,
        1367,
        1367,
    ),
    ("bad-fanout-includes-sender", 28972, 15384, 659, 387),
    ("bad-server-200-when-storing", 6329, 6329, 319, 319),
    ("bad-ua-redelivers-retransmission", 7198, 3714, 3045, 1607),
    ("crash-after-202", 103695, 103695, 5108, 5108),
    ("duplication", 223063, 112865, 122046, 61911),
    ("five-members", 235844, 50879, 1708, 564),
    ("lossy", 89021, 89021, 51416, 51416),
    ("negative-expiry", 18802, 9978, 1067, 615),
    ("no-deferral", 370, 370, 62, 62),
    ("no-retransmission-timeout", 6393, 3261, 3587, 1858),
    ("non-member", 5, 5, 5, 5),
    ("one-to-one", 60, 60, 18, 18),
    ("processing-stored", 35797, 20122, 792, 540),
    ("seed", 144927, 77012, 2629, 1537),
    ("two-senders", 138384, 138384, 61, 61),
];

#[test]
fn seed_file_equals_built_in_seed() {
    assert_eq!(scenario("seed"), Scenario::seed());
}

#[test]
fn catalogue_has_every_required_obligation() {
    let stems = stems();
    assert!(stems.len() >= 14, "{stems:?}");
    let violated: Vec<PropertyId> = stems
        .iter()
        .filter_map(|s| match scenario(s).expect {
            Expected::Violated(p) => Some(p),
            Expected::Hold => None,
        })
        .collect();
    for p in [
        PropertyId::S2,
        PropertyId::S3,
        PropertyId::S4,
        PropertyId::S7,
        PropertyId::S9,
        PropertyId::S10,
        PropertyId::L4,
    ] {
        assert!(
            violated.contains(&p),
            "no known-bad variant expects {p} violated"
        );
    }
}

#[test]
fn every_catalogue_scenario_meets_its_expected_verdict_with_pinned_state_counts() {
    let mut seen = Vec::new();
    for stem in stems() {
        let scenario = scenario(&stem);
        let model = GroupImModel::new(&scenario).expect("catalogue scenarios are valid");
        let mut counts = [0u64; 4];
        let mut reference = None;
        for (i, (symmetry, por)) in [(false, false), (true, false), (false, true), (true, true)]
            .into_iter()
            .enumerate()
        {
            let report = run(&model, symmetry, por);
            assert!(report.complete, "{stem}: search cut");
            let verdicts = verdicts(&report);
            assert!(
                scenario.expect.is_met_by(&verdicts),
                "{stem} (symmetry {symmetry}, por {por}): expected {:?}, got {verdicts:?}",
                scenario.expect
            );
            for outcome in &report.properties {
                let decided_by_path = matches!(
                    (outcome.expectation.clone(), outcome.verdict),
                    (stateright::Expectation::Always, Verdict::Violated)
                        | (stateright::Expectation::Sometimes, Verdict::Hold)
                );
                assert_eq!(
                    outcome.path.is_some(),
                    decided_by_path,
                    "{stem}: {} path presence",
                    outcome.name
                );
            }
            match &reference {
                None => reference = Some(verdicts),
                Some(reference) => assert_eq!(
                    reference, &verdicts,
                    "{stem}: reductions (symmetry {symmetry}, por {por}) changed a verdict"
                ),
            }
            counts[i] = report.unique_states;
        }
        seen.push((stem, counts));
    }
    let actual: Vec<String> = seen
        .iter()
        .map(|(s, c)| format!("(\"{s}\", {}, {}, {}, {}),", c[0], c[1], c[2], c[3]))
        .collect();
    let pinned: Vec<String> = PINNED
        .iter()
        .map(|(s, a, b, c, d)| format!("(\"{s}\", {a}, {b}, {c}, {d}),"))
        .collect();
    assert_eq!(
        pinned,
        actual,
        "pinned counts differ:\n{}",
        actual.join("\n")
    );
}
