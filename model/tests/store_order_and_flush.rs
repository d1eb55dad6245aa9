//! Two rules of the model, read off its own paths: a participating server hands a user its
//! stored copies in the order it stored them and queues a new IM for a bound user behind copies
//! still waiting (protocol.md section 7.2, FIFO, one in flight per contact); the CF flushes its
//! aggregation buffer once no leg is pending and no leg that reached its agent owes a report,
//! so without positive-delivery it needs no `T_agg` (protocol.md section 7.3 step 5).

use crate::support;

use imflow_model::message::{Code, ImHop, Packet, ResponseHop};
use imflow_model::scenario::{Disposition, MessageSpec};
use imflow_model::state::Store;
use imflow_model::{Action, Expected, GroupImModel, Scenario, State};
use stateright::Model;
use support::{run, verdicts};

/// Most steps a driven path takes before it is called stuck.
const DRIVEN_STEPS_MAX: usize = 200;
/// User C's index: the recipient who registers late.
const C: u8 = 2;

/// A, B and C; A sends IM 0 and B sends IM 1, no dispositions; C is offline at the start.
fn two_ims_for_late_c() -> GroupImModel {
    let mut scenario = Scenario::seed();
    scenario.group.members = ["A", "B", "C"].map(String::from).to_vec();
    scenario.offline = vec!["C".to_string()];
    scenario.messages = ["A", "B"]
        .map(|from| MessageSpec {
            from: from.to_string(),
            dispositions: vec![],
        })
        .to_vec();
    GroupImModel::new(&scenario).expect("valid scenario")
}

fn leg_to_c(m: u8) -> Packet {
    Packet::Im {
        m,
        hop: ImHop::CfToServer { r: C },
    }
}

fn stored_copy_to_c(m: u8) -> Packet {
    Packet::Im {
        m,
        hop: ImHop::ServerToUser { r: C, stored: true },
    }
}

/// Delivers packets in the model's order, never one `held` names, until `done`.
fn drive(
    model: &GroupImModel,
    mut s: State,
    held: &dyn Fn(&Packet) -> bool,
    done: &dyn Fn(&State) -> bool,
) -> State {
    for _ in 0..DRIVEN_STEPS_MAX {
        if done(&s) {
            return s;
        }
        let mut actions = Vec::new();
        model.actions(&s, &mut actions);
        let next = actions.into_iter().find_map(|a| match a {
            Action::Deliver(p) if !held(&p) => model.next_state(&s, a),
            _ => None,
        });
        s = next.unwrap_or_else(|| panic!("stuck before done in {s:?}"));
    }
    panic!("not done after {DRIVEN_STEPS_MAX} steps");
}

/// The state where C's server stored `first`'s copy, then `second`'s, and C's REGISTER is
/// still in flight.
fn both_stored(model: &GroupImModel, first: u8, second: u8) -> State {
    let register = Packet::Register { u: C };
    let init = model.init_states().remove(0);
    let s = drive(
        model,
        init,
        &|p| *p == register || *p == leg_to_c(second),
        &|s| s.legs[usize::from(first)][usize::from(C)].store == Store::Stored,
    );
    drive(model, s, &|p| *p == register, &|s| {
        s.legs[usize::from(second)][usize::from(C)].store == Store::Stored
    })
}

#[test]
fn a_late_registering_user_gets_its_stored_copies_in_the_order_they_were_stored() {
    let model = two_ims_for_late_c();
    for (first, second) in [(0u8, 1u8), (1, 0)] {
        let s = both_stored(&model, first, second);
        let s = model
            .next_state(&s, Action::Deliver(Packet::Register { u: C }))
            .expect("C's REGISTER is in flight");
        assert!(
            s.in_flight(stored_copy_to_c(first)),
            "IM {first} goes first"
        );
        assert!(
            !s.in_flight(stored_copy_to_c(second)),
            "one in flight per contact"
        );
        let s = drive(&model, s, &|_| false, &|s| {
            s.in_flight(stored_copy_to_c(second))
        });
        let c = usize::from(C);
        assert_eq!(s.legs[usize::from(first)][c].store, Store::Delivered);
        assert_eq!(s.legs[usize::from(second)][c].store, Store::Delivering);
    }
}

#[test]
fn an_im_for_a_bound_user_with_copies_waiting_is_stored_behind_them_and_answered_202() {
    let model = two_ims_for_late_c();
    let register = Packet::Register { u: C };
    let init = model.init_states().remove(0);
    let s = drive(
        &model,
        init,
        &|p| *p == register || *p == leg_to_c(1),
        &|s| s.legs[0][usize::from(C)].store == Store::Stored,
    );
    let s = model
        .next_state(&s, Action::Deliver(register))
        .expect("C's REGISTER is in flight");
    assert!(s.in_flight(stored_copy_to_c(0)));
    let s = model
        .next_state(&s, Action::Deliver(leg_to_c(1)))
        .expect("IM 1's leg to C is in flight");
    let leg = s.legs[1][usize::from(C)];
    assert_eq!((leg.store, leg.queue_position), (Store::Stored, 1));
    assert!(s.in_flight(Packet::Response {
        m: 1,
        code: Code::Accepted202,
        hop: ResponseHop::ServerToCf { r: C },
    }));
    let proxied = Packet::Im {
        m: 1,
        hop: ImHop::ServerToUser {
            r: C,
            stored: false,
        },
    };
    assert!(!s.in_flight(proxied), "IM 1 does not overtake IM 0");
}

/// The seed group with `T_agg` off: B sends one IM asking only for `dispositions`.
fn without_flush_timer(dispositions: Vec<Disposition>, offline: &str, stays: bool) -> Scenario {
    let mut scenario = Scenario::seed();
    scenario.offline.clear();
    if stays {
        scenario.stays_offline = vec![offline.to_string()];
    } else {
        scenario.offline = vec![offline.to_string()];
    }
    scenario.messages = vec![MessageSpec {
        from: "B".to_string(),
        dispositions,
    }];
    scenario.timers.aggregation_flush = false;
    scenario.expect = Expected::Hold;
    scenario
}

#[test]
fn without_positive_delivery_the_cf_flushes_with_no_flush_timer_and_every_property_holds() {
    let scenarios = [
        // A never registers: its copy expires and the `failed` waits in the buffer.
        without_flush_timer(vec![Disposition::NegativeDelivery], "A", true),
        // D registers late: its server's `stored` waits in the buffer.
        without_flush_timer(vec![Disposition::Processing], "D", false),
    ];
    for scenario in scenarios {
        let model = GroupImModel::new(&scenario).expect("valid scenario");
        for (symmetry, por) in [(false, false), (true, true)] {
            let verdicts = verdicts(&run(&model, symmetry, por));
            assert!(
                scenario.expect.is_met_by(&verdicts),
                "{:?}: {verdicts:?}",
                scenario.messages[0].dispositions
            );
        }
    }
}
