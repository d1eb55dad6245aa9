//! How often a run wakes its nodes: a transaction absorbing retransmissions (timer K on the
//! client side, timer J on the server side) asks for no wake of its own, so a steady stream of
//! group IMs wakes nodes only for timers that do work.

use imflow::cpim::{Disposition, DispositionSet};
use imflow::node::Instant;
use imflow::sim::{build, simulate, Cast, Choice, SimConfig, SimRun, Simulation, Stepper};
use imflow::transaction::TimerConfig;
use imflow_model::scenario::Group;
use imflow_model::Scenario;

/// Group IMs the steady run sends, one every [`SEND_INTERVAL_MS`].
const STEADY_IMS: usize = 200;
/// Milliseconds between two IMs of the steady run.
const SEND_INTERVAL_MS: u64 = 5;

/// The seed group, all four members online, sending `STEADY_IMS` IMs with positive-delivery.
fn steady_run() -> SimRun {
    let seed = Scenario::seed();
    let scenario = Scenario {
        name: "steady-4".to_string(),
        group: Group {
            name: seed.group.name.clone(),
            members: seed.group.members.clone(),
        },
        offline: Vec::new(),
        ..seed
    };
    let cast = Cast::new(&scenario);
    let nodes = build::nodes(&cast, &scenario, 1).expect("nodes build");
    let mut sim =
        Simulation::with_nodes(&scenario.name, cast, nodes, &SimConfig::seeded(1)).expect("sim");
    let lanes: Vec<usize> = sim.cast().users.iter().map(|u| u.ua_lane).collect();
    let group = sim.cast().group_uri.clone();
    for (i, lane) in lanes.iter().enumerate() {
        sim.schedule_register(*lane, Instant(0).plus_millis(i as u64))
            .expect("register scheduled");
    }
    let positive = DispositionSet::EMPTY.with(Disposition::PositiveDelivery);
    for i in 0..STEADY_IMS {
        let at = Instant(0).plus_millis(200 + i as u64 * SEND_INTERVAL_MS);
        let lane = lanes[i % lanes.len()];
        sim.schedule_im(lane, at, &group, positive, &format!("Message {i}."))
            .expect("IM scheduled");
    }
    sim.run().expect("the steady run completes");
    sim.finish()
}

#[test]
fn a_steady_stream_of_group_ims_wakes_nodes_at_most_once_per_im() {
    let run = steady_run();
    assert!(run.is_quiescent());
    // Each IM's timers that do work: the CF frees its state (T_state); every transaction's
    // K and J end at the node's next input instead (they woke nodes 9.7 times per delivery).
    assert!(
        run.timer_wakes <= STEADY_IMS,
        "{} wakes for {STEADY_IMS} IMs",
        run.timer_wakes
    );
}

#[test]
fn the_seed_flow_wakes_a_node_only_for_work() {
    let scenario = Scenario::seed();
    let run = simulate(&scenario, &SimConfig::seeded(1)).expect("the seed flow runs");
    assert!(run.is_quiescent());
    assert!(
        run.timer_wakes <= scenario.messages.len(),
        "{} wakes for {} IMs",
        run.timer_wakes,
        scenario.messages.len()
    );
}

#[test]
fn a_node_asks_for_no_wake_at_the_end_of_its_transactions_absorbing_retransmissions() {
    // The seed flow's setup and opening exchanges, every message delivered at once (time 0):
    // every transaction answered at 0 absorbs retransmissions until K (5 s) or J (32 s).
    let mut stepper = Stepper::new(&Scenario::seed(), 1).expect("the seed flow sets up");
    while !stepper.in_flight().is_empty() {
        stepper
            .apply(Choice::Deliver(0))
            .expect("a delivery is offered");
    }
    assert_eq!(stepper.now(), Instant(0));
    let timers = TimerConfig::default();
    let ends = [timers.t4_ms, timers.timer_f_ms()].map(|ms| Instant(0).plus_millis(ms));
    let actors = stepper.actors();
    assert!(
        actors.iter().any(|a| a.next_wake() == Some(ends[0])),
        "the controlled run still stops at K"
    );
    for actor in actors {
        let asked = actor.node().poll_timeout();
        assert!(
            asked.is_none_or(|at| !ends.contains(&at)),
            "no node asks to be woken at K or J: {asked:?}"
        );
    }
}
