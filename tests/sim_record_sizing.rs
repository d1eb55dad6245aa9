//! The run record is sized once from what is scheduled: a group run of IMs records every
//! transmit and event without copying the record to a larger one.

use imflow::node::Instant;
use imflow::sim::limits::ENTRIES_PER_IM_PER_USER_EXPECTED;
use imflow::sim::{build, Cast, SimConfig, Simulation};
use imflow_model::Scenario;

#[test]
fn a_group_run_records_into_the_record_sized_when_it_started() {
    // The seed flow's group with every member online.
    let scenario = Scenario {
        offline: Vec::new(),
        ..Scenario::seed()
    };
    let cast = Cast::new(&scenario);
    let users = cast.users.len();
    let nodes = build::nodes(&cast, &scenario, 7).expect("nodes build");
    let config = SimConfig::seeded(7);
    let mut sim = Simulation::with_nodes(&scenario.name, cast, nodes, &config).expect("sim");
    let lanes: Vec<usize> = sim.cast().users.iter().map(|u| u.ua_lane).collect();
    let group = sim.cast().group_uri.clone();
    for (i, lane) in lanes.iter().enumerate() {
        sim.schedule_register(*lane, Instant(0).plus_millis(i as u64))
            .expect("register scheduled");
    }
    let ims = 12;
    for i in 0..ims {
        let at = Instant(0).plus_millis(500 + 50 * i as u64);
        let text = format!("Message {i}");
        let positive =
            imflow::cpim::DispositionSet::EMPTY.with(imflow::cpim::Disposition::PositiveDelivery);
        sim.schedule_im(lanes[i % lanes.len()], at, &group, positive, &text)
            .expect("IM scheduled");
    }
    sim.run().expect("the run completes");
    let run = sim.finish();
    let sized = ims * users * ENTRIES_PER_IM_PER_USER_EXPECTED;
    assert!(run.entries.len() > sized / 2, "the estimate is not far off");
    assert!(run.entries.len() <= sized, "every entry fit");
    assert_eq!(run.entries.capacity(), sized, "the record never grew");
}
