//! The runtime monitors fail when the run breaks a property: each test takes the clean seed-flow
//! run, breaks one thing in its record the way a faulty node would, and expects the property's
//! id at the step that broke it. (The wire rules S6, S11, S13, S15 and S16 are in
//! `sim_wire_monitors_catch_violations.rs`, S12's rules in `sim_monitor_s12_pending_message.rs`.)

use crate::sim_support;

use imflow::monitor::{self, Monitored};
use imflow::node::Event;
use imflow::sim::{Entry, Happening, SimConfig, SimRun};
use imflow_model::PropertyId;
use sim_support::record_edits::{clean_run, flagged, index_of, set_bytes, text};

#[test]
fn an_im_rendered_twice_violates_s9() {
    let mut run = clean_run();
    let i = index_of(&run, |e| {
        matches!(e.what, Happening::Event(Event::ImRendered { .. }))
    });
    run.entries.push(run.entries[i].clone());
    let step = run.entries.len();
    assert!(flagged(&run).contains(&(Monitored::Model(PropertyId::S9), step)));
}

#[test]
fn an_imdn_rendered_twice_violates_s2_and_an_unrequested_one_s1() {
    let mut run = clean_run();
    let i = index_of(&run, |e| {
        matches!(e.what, Happening::Event(Event::ImdnRendered { .. }))
    });
    let mut stored = run.entries[i].clone();
    run.entries.push(run.entries[i].clone());
    let twice = run.entries.len();
    if let Happening::Event(Event::ImdnRendered { status, .. }) = &mut stored.what {
        *status = "stored".to_string();
    }
    run.entries.push(stored);
    let unrequested = run.entries.len();
    let found = flagged(&run);
    assert!(
        found.contains(&(Monitored::Model(PropertyId::S2), twice)),
        "{found:?}"
    );
    assert!(
        found.contains(&(Monitored::Model(PropertyId::S1), unrequested)),
        "{found:?}"
    );
}

#[test]
fn a_stored_copy_never_resolved_violates_l3_and_a_missing_imdn_l4() {
    let mut run = clean_run();
    run.entries.retain(|e| {
        !matches!(
            &e.what,
            Happening::Event(Event::StoredDelivered { .. })
                | Happening::Event(Event::ImdnRendered { .. })
        )
    });
    let found: Vec<Monitored> = flagged(&run).into_iter().map(|(p, _)| p).collect();
    assert!(
        found.contains(&Monitored::Model(PropertyId::L3)),
        "{found:?}"
    );
    assert!(
        found.contains(&Monitored::Model(PropertyId::L4)),
        "{found:?}"
    );
}

#[test]
fn a_run_that_is_not_quiescent_skips_the_liveness_monitors() {
    let mut run = clean_run();
    run.entries
        .retain(|e| !matches!(&e.what, Happening::Event(Event::StoredDelivered { .. })));
    run.stop = imflow::sim::StopReason::EntryLimit;
    let report = monitor::check(&run);
    assert!(!report.liveness_checked);
    assert!(report.first_liveness().is_none());
}

#[test]
fn a_store_answering_200_violates_s10() {
    let mut run = clean_run();
    let server_d = run
        .cast
        .lanes
        .iter()
        .position(|l| l == "Server D")
        .expect("lane");
    let i = index_of(&run, |e| {
        e.lane == server_d && text(e).starts_with("SIP/2.0 202")
    });
    let changed = text(&run.entries[i]).replacen("SIP/2.0 202 Accepted", "SIP/2.0 200 OK", 1);
    set_bytes(&mut run.entries[i], changed);
    assert!(flagged(&run).contains(&(Monitored::Model(PropertyId::S10), i + 1)));
}

#[test]
fn a_fan_out_leg_to_the_sender_violates_s7() {
    let mut run = clean_run();
    let cf = run.cast.cf_lane;
    let i = index_of(&run, |e| {
        e.lane == cf && text(e).starts_with("MESSAGE sip:bob")
    });
    let changed = text(&run.entries[i]).replacen(
        "MESSAGE sip:bob@beta.example",
        "MESSAGE sip:alice@alpha.example",
        1,
    );
    set_bytes(&mut run.entries[i], changed);
    assert!(flagged(&run).contains(&(Monitored::Model(PropertyId::S7), i + 1)));
}

fn retarget_event(run: &mut SimRun, pick: impl Fn(&Event) -> bool, change: impl Fn(&mut Event)) {
    let i = index_of(run, |e| matches!(&e.what, Happening::Event(ev) if pick(ev)));
    if let Happening::Event(ev) = &mut run.entries[i].what {
        change(ev);
    }
}

#[test]
fn an_imdn_at_someone_but_the_sender_violates_s5_and_failed_after_delivered_s4() {
    let mut run = clean_run();
    let i = index_of(&run, |e| {
        matches!(&e.what, Happening::Event(Event::ImdnRendered { .. }))
    });
    let mut failed = run.entries[i].clone();
    if let Happening::Event(Event::ImdnRendered { status, .. }) = &mut failed.what {
        *status = "failed".to_string();
    }
    run.entries.push(failed);
    let s4_step = run.entries.len();
    retarget_event(
        &mut run,
        |e| matches!(e, Event::ImdnRendered { .. }),
        |e| {
            if let Event::ImdnRendered { user, .. } = e {
                *user = "sip:bob@beta.example".to_string();
            }
        },
    );
    let found = flagged(&run);
    assert!(
        found.contains(&(Monitored::Model(PropertyId::S5), i + 1)),
        "{found:?}"
    );
    assert!(
        found.contains(&(Monitored::Model(PropertyId::S4), s4_step)),
        "{found:?}"
    );
}

#[test]
fn delivered_before_the_agent_accepted_violates_s3() {
    let mut run = clean_run();
    run.entries.retain(|e| {
        !matches!(&e.what, Happening::Event(Event::ImRendered { user, .. }) if user.contains("dave"))
    });
    let found: Vec<Monitored> = flagged(&run).into_iter().map(|(p, _)| p).collect();
    assert!(
        found.contains(&Monitored::Model(PropertyId::S3)),
        "{found:?}"
    );
}

#[test]
fn state_never_freed_violates_l5_and_a_missing_leg_l2() {
    let mut run = clean_run();
    let cf = run.cast.cf_lane;
    let freed = |e: &Entry| matches!(&e.what, Happening::Event(Event::MessageStateFreed { .. }));
    let leg_to_carol = |e: &Entry| e.lane == cf && text(e).starts_with("MESSAGE sip:carol");
    run.entries.retain(|e| !freed(e) && !leg_to_carol(e));
    let found: Vec<Monitored> = flagged(&run).into_iter().map(|(p, _)| p).collect();
    assert!(
        found.contains(&Monitored::Model(PropertyId::L5)),
        "{found:?}"
    );
    assert!(
        found.contains(&Monitored::Model(PropertyId::L2)),
        "{found:?}"
    );
}

#[test]
fn a_non_member_im_accepted_violates_s8() {
    let s = sim_support::scenario(
        r#"
name = "non-member"
expect = "hold"
non_members = ["E"]
[group]
name = "climbers"
members = ["A", "B"]
[[messages]]
from = "E"
dispositions = ["positive-delivery"]
"#,
    );
    let (mut run, report) = sim_support::run(&s, &SimConfig::seeded(2));
    sim_support::assert_clean(&run, &report);
    retarget_event(
        &mut run,
        |e| matches!(e, Event::ImAnswered { .. }),
        |e| {
            if let Event::ImAnswered { status, .. } = e {
                *status = 202;
            }
        },
    );
    let found: Vec<Monitored> = flagged(&run).into_iter().map(|(p, _)| p).collect();
    assert_eq!(found, [Monitored::Model(PropertyId::S8)]);
}
