//! The runtime monitors fail when the run breaks a property: each test takes the clean seed-flow
//! run, breaks one thing in its record the way a faulty node would, and expects the property's
//! id at the step that broke it. (S12's rules have their own file,
//! `sim_monitor_s12_pending_message.rs`.)

use crate::sim_support;

use imflow::monitor::{self, Monitored, WireRule};
use imflow::node::{Event, Transport};
use imflow::sim::{Entry, Happening, SimConfig, SimRun};
use imflow_model::{PropertyId, Scenario};
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
fn a_408_on_the_wire_violates_s16() {
    let mut run = clean_run();
    let i = index_of(&run, |e| text(e).starts_with("SIP/2.0 202"));
    let changed = text(&run.entries[i]).replacen("202 Accepted", "408 Request Timeout", 1);
    set_bytes(&mut run.entries[i], changed);
    assert!(flagged(&run).contains(&(Monitored::Wire(WireRule::S16), i + 1)));
}

#[test]
fn a_large_message_over_udp_violates_s15() {
    let mut run = clean_run();
    let i = index_of(&run, |e| {
        matches!(
            e.what,
            Happening::Transmit {
                transport: Transport::Tcp,
                ..
            }
        ) && text(e).starts_with("MESSAGE")
    });
    if let Happening::Transmit { transport, .. } = &mut run.entries[i].what {
        *transport = Transport::Udp;
    }
    assert!(flagged(&run).contains(&(Monitored::Wire(WireRule::S15), i + 1)));
}

#[test]
fn a_contact_in_a_200_to_message_violates_s11() {
    let mut run = clean_run();
    let i = index_of(&run, |e| {
        let t = text(e);
        t.starts_with("SIP/2.0 200") && t.contains(" MESSAGE\r\n")
    });
    let changed = text(&run.entries[i]).replacen(
        "Content-Length:",
        "Contact: <sip:bob@10.0.0.5:5060>\r\nContent-Length:",
        1,
    );
    set_bytes(&mut run.entries[i], changed);
    assert!(flagged(&run).contains(&(Monitored::Wire(WireRule::S11), i + 1)));
}

#[test]
fn a_fan_out_copy_with_another_payload_violates_s13() {
    let mut run = clean_run();
    let cf = run.cast.cf_lane;
    let i = index_of(&run, |e| {
        e.lane == cf && text(e).starts_with("MESSAGE sip:bob")
    });
    let changed = text(&run.entries[i]).replacen("Summit at noon", "Summit at nine", 1);
    set_bytes(&mut run.entries[i], changed);
    assert!(flagged(&run).contains(&(Monitored::Wire(WireRule::S13), i + 1)));
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
fn an_imdn_about_an_imdn_violates_s6() {
    let mut run = clean_run();
    let imdn_of = |run: &SimRun, who: &str| {
        index_of(run, |e| {
            let t = text(e);
            t.starts_with("MESSAGE sip:imdn") && t.contains(&format!("<recipient-uri>sip:{who}"))
        })
    };
    let b = imdn_of(&run, "bob");
    let facts = imflow::monitor::wire::decode(run.entries[b].bytes().unwrap_or_default())
        .expect("B's IMDN decodes");
    let imdn_id = facts
        .cpim
        .and_then(|c| c.message_id)
        .expect("an IMDN has a Message-ID");
    let c = imdn_of(&run, "carol");
    let original = text(&run.entries[c]);
    let start = original.find("<message-id>").expect("message-id") + "<message-id>".len();
    let end = original[start..].find('<').expect("end") + start;
    assert_eq!(end - start, imdn_id.len(), "Message-IDs have one length");
    let changed = format!("{}{}{}", &original[..start], imdn_id, &original[end..]);
    set_bytes(&mut run.entries[c], changed);
    assert!(flagged(&run).contains(&(Monitored::Wire(WireRule::S6), c + 1)));
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
/// The first MESSAGE over UDP, padded with an extension header to exactly `len` bytes.
fn udp_message_of_length(len: usize) -> (SimRun, usize) {
    let mut run = clean_run();
    let i = index_of(&run, |e| {
        matches!(
            e.what,
            Happening::Transmit {
                transport: Transport::Udp,
                ..
            }
        ) && text(e).starts_with("MESSAGE")
    });
    let original = text(&run.entries[i]);
    let header = "X-Pad: \r\n";
    let pad = len - original.len() - header.len();
    let padded = original.replacen(
        "Content-Length:",
        &format!("X-Pad: {}\r\nContent-Length:", "a".repeat(pad)),
        1,
    );
    assert_eq!(padded.len(), len);
    set_bytes(&mut run.entries[i], padded);
    (run, i)
}

#[test]
fn a_udp_message_of_exactly_1300_bytes_keeps_s15_and_one_byte_more_violates_it() {
    let s15 = (Monitored::Wire(WireRule::S15), 0);
    let (run, i) = udp_message_of_length(1300);
    assert!(!flagged(&run).contains(&(s15.0, i + 1)));
    let (run, i) = udp_message_of_length(1301);
    assert!(flagged(&run).contains(&(s15.0, i + 1)));
}

#[test]
fn a_body_in_a_200_to_message_violates_s11() {
    let mut run = clean_run();
    let i = index_of(&run, |e| {
        let t = text(e);
        t.starts_with("SIP/2.0 200") && t.contains(" MESSAGE\r\n")
    });
    let changed = text(&run.entries[i]).replacen(
        "Content-Length: 0\r\n",
        "Content-Type: text/plain\r\nContent-Length: 2\r\n",
        1,
    ) + "ok";
    set_bytes(&mut run.entries[i], changed);
    let violations = monitor::check(&run).violations;
    let found = violations
        .iter()
        .find(|v| v.property == Monitored::Wire(WireRule::S11) && v.step == i + 1)
        .expect("S11 at the 200 with a body");
    let sender = &run.entries[i].lane;
    assert!(
        found.detail.contains("with a body"),
        "detail says what: {}",
        found.detail
    );
    let lanes = imflow::sim::Cast::new(&Scenario::seed()).lanes;
    assert!(
        found.detail.starts_with(&lanes[*sender]),
        "detail names the sender {}: {}",
        lanes[*sender],
        found.detail
    );
}

/// B's delivery IMDN in the clean run, with `edit` applied to its text.
fn imdn_of_b_edited(edit: impl Fn(String) -> String) -> (SimRun, usize) {
    let mut run = clean_run();
    let b = index_of(&run, |e| {
        let t = text(e);
        t.starts_with("MESSAGE sip:imdn") && t.contains("<recipient-uri>sip:bob")
    });
    let changed = edit(text(&run.entries[b]));
    set_bytes(&mut run.entries[b], changed);
    (run, b)
}

#[test]
fn an_imdn_carrying_imdn_record_route_or_requesting_an_imdn_violates_s6() {
    let with_route = |t: String| {
        let cpim_start = t.find("\r\n\r\n").expect("a body") + 4;
        let (head, body) = t.split_at(cpim_start);
        let body = body.replacen(
            "imdn.Message-ID:",
            "imdn.IMDN-Record-Route: <sip:cf@conf.gamma.example>\r\nimdn.Message-ID:",
            1,
        );
        fix_content_length(head, &body)
    };
    let asking = |t: String| {
        let cpim_start = t.find("\r\n\r\n").expect("a body") + 4;
        let (head, body) = t.split_at(cpim_start);
        let body = body.replacen(
            "imdn.Message-ID:",
            "imdn.Disposition-Notification: positive-delivery\r\nimdn.Message-ID:",
            1,
        );
        fix_content_length(head, &body)
    };
    for edit in [with_route as fn(String) -> String, asking] {
        let (run, b) = imdn_of_b_edited(edit);
        assert!(
            flagged(&run).contains(&(Monitored::Wire(WireRule::S6), b + 1)),
            "{}",
            text(&run.entries[b])
        );
    }
}

/// `head` (the SIP head and its blank line) with its Content-Length set to `body`'s length.
fn fix_content_length(head: &str, body: &str) -> String {
    let start = head.find("Content-Length: ").expect("a Content-Length") + 16;
    let end = head[start..].find("\r\n").expect("line end") + start;
    format!("{}{}{}{body}", &head[..start], body.len(), &head[end..])
}
