//! The refinement check catches a model that differs from the implementation: the seed flow's
//! model built with a known-bad variant flag (the implementation always runs as built) must
//! part from the implementation at the variant's step, with the step, the reason and both
//! abstract states. D stays offline here, so its server stores the IM and answers 202 whatever
//! the delivery order.

use imflow::refine::{check_schedule, Reason, RefineError, Schedule};
use imflow_model::Scenario;

fn seed_with(variant: impl FnOnce(&mut imflow_model::scenario::Variants)) -> Scenario {
    let mut scenario = Scenario::seed();
    scenario.stays_offline = std::mem::take(&mut scenario.offline);
    variant(&mut scenario.variants);
    scenario
}

fn divergence(scenario: &Scenario) -> imflow::refine::Divergence {
    match check_schedule(scenario, &Schedule::default()) {
        Err(RefineError::Divergence(d)) => *d,
        other => panic!("expected a divergence, got {other:?}"),
    }
}

#[test]
fn the_correct_seed_model_and_the_implementation_agree() {
    let checked = check_schedule(&seed_with(|_| {}), &Schedule::default());
    assert!(checked.is_ok(), "{:?}", checked.err());
}

#[test]
fn a_model_whose_cf_counts_202_as_delivered_parts_at_server_ds_202() {
    let d = divergence(&seed_with(|v| v.cf_counts_202_as_delivered = true));
    assert_eq!(d.reason, Reason::StatesDiffer, "{d}");
    assert!(
        d.concrete_step
            .contains("Server D -> CF: SIP/2.0 202 Accepted"),
        "{d}"
    );
    assert!(
        d.differences.iter().any(|x| x.starts_with("legs[0][3]")
            && x.contains("ReachedUa")
            && x.contains("Relayed")),
        "{d}"
    );
}

#[test]
fn a_model_whose_fan_out_includes_the_sender_parts_when_the_cf_takes_the_im() {
    let d = divergence(&seed_with(|v| v.fanout_includes_sender = true));
    assert_eq!(d.reason, Reason::StatesDiffer, "{d}");
    assert!(d.concrete_step.contains("Server A -> CF: MESSAGE"), "{d}");
    assert!(
        d.differences.iter().any(|x| x.starts_with("legs[0][0]")),
        "{d}"
    );
}

#[test]
fn a_model_whose_server_answers_200_when_storing_parts_at_the_202_sent() {
    let d = divergence(&seed_with(|v| v.server_answers_200_when_storing = true));
    assert_eq!(
        d.reason,
        Reason::SentWhatTheModelDoesNot("202 Accepted (m1)".to_string()),
        "{d}"
    );
    assert!(d.concrete_step.contains("CF -> Server D: MESSAGE"), "{d}");
}
