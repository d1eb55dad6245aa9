//! The runtime monitors fail when the run breaks a property: each test takes the clean seed-flow
//! run, breaks one thing in its record the way a faulty node would, and expects the property's
//! id at the step that broke it.

mod sim_support;

use imflow::monitor::{self, Monitored, WireRule};
use imflow::node::{Event, Transport};
use imflow::sim::{Entry, Happening, SimConfig, SimRun};
use imflow_model::{PropertyId, Scenario};

fn clean_run() -> SimRun {
    let (run, report) = sim_support::run(&Scenario::seed(), &SimConfig::seeded(1));
    sim_support::assert_clean(&run, &report);
    run
}

/// The property ids the monitors report for `run`, with their steps.
fn flagged(run: &SimRun) -> Vec<(Monitored, usize)> {
    monitor::check(run)
        .violations
        .iter()
        .map(|v| (v.property, v.step))
        .collect()
}

fn index_of(run: &SimRun, pred: impl Fn(&Entry) -> bool) -> usize {
    run.entries
        .iter()
        .position(pred)
        .expect("the seed flow has this entry")
}

fn text(entry: &Entry) -> String {
    String::from_utf8_lossy(entry.bytes().unwrap_or_default()).into_owned()
}

fn set_bytes(entry: &mut Entry, new: String) {
    if let Happening::Transmit { bytes, .. } = &mut entry.what {
        *bytes = new.into_bytes().into();
    }
}

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

#[test]
fn a_second_message_while_one_is_pending_violates_s12() {
    let mut run = clean_run();
    let i = index_of(&run, |e| {
        e.lane == 0 && text(e).starts_with("MESSAGE sip:climbers")
    });
    let mut second = run.entries[i].clone();
    let changed = text(&second).replacen("Call-ID: ", "Call-ID: x", 1);
    set_bytes(&mut second, changed);
    run.entries.insert(i + 1, second);
    assert!(flagged(&run).contains(&(Monitored::Wire(WireRule::S12), i + 2)));
}

#[test]
fn a_message_sent_after_the_previous_one_was_answered_does_not_violate_s12() {
    let mut run = clean_run();
    let i = index_of(&run, |e| {
        e.lane == 0 && text(e).starts_with("MESSAGE sip:climbers")
    });
    let end = run
        .entries
        .last()
        .map(|e| e.at)
        .expect("the run has entries");
    let mut later = run.entries[i].clone();
    let changed = text(&later).replacen("Call-ID: ", "Call-ID: later", 1);
    set_bytes(&mut later, changed);
    later.at = end;
    run.entries.push(later);
    assert!(!flagged(&run).contains(&(Monitored::Wire(WireRule::S12), run.entries.len())));
    // The same copy sent before the first one's 200 arrived is a second pending MESSAGE.
    let last = run.entries.len() - 1;
    run.entries[last].at = run.entries[i].at;
    assert!(flagged(&run).contains(&(Monitored::Wire(WireRule::S12), run.entries.len())));
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

/// A's group IM (its index in the clean run) and a copy of it under another Call-ID, sent at
/// `at`: a second transaction from A to the same destination.
fn second_im_of_a(run: &SimRun, call_id: &str, at: imflow::node::Instant) -> (usize, Entry) {
    let i = index_of(run, |e| {
        e.lane == 0 && text(e).starts_with("MESSAGE sip:climbers")
    });
    let mut second = run.entries[i].clone();
    let changed = text(&second).replacen("Call-ID: ", &format!("Call-ID: {call_id}"), 1);
    set_bytes(&mut second, changed);
    second.at = at;
    (i, second)
}

/// The final answer A receives to its group IM.
fn answer_to_a(run: &SimRun) -> usize {
    index_of(run, |e| {
        let t = text(e);
        e.delivered_to() == Some(0) && t.starts_with("SIP/2.0 202") && t.contains(" MESSAGE\r\n")
    })
}

fn s12_at(run: &SimRun, step: usize) -> bool {
    flagged(run).contains(&(Monitored::Wire(WireRule::S12), step))
}

#[test]
fn a_provisional_answer_does_not_end_a_pending_message_for_s12() {
    let mut run = clean_run();
    let sent = run.entries[index_of(&run, |e| {
        e.lane == 0 && text(e).starts_with("MESSAGE sip:climbers")
    })]
    .at;
    let (i, second) = second_im_of_a(&run, "x", sent);
    let mut trying = run.entries[answer_to_a(&run)].clone();
    let changed = text(&trying).replacen("SIP/2.0 202 Accepted", "SIP/2.0 100 Trying", 1);
    set_bytes(&mut trying, changed);
    if let Happening::Transmit { fate, .. } = &mut trying.what {
        *fate = imflow::sim::Fate::Delivered { at: sent };
    }
    run.entries.insert(i + 1, trying);
    run.entries.insert(i + 2, second);
    assert!(s12_at(&run, i + 3), "a 100 is not a final response");
}

/// A's group IM, then `interruption` at A's lane at the same instant, then a second IM from A
/// to the group at that instant: whether S12 flags the second IM.
fn second_im_after(interruption: Happening, earlier_by_us: Option<u64>) -> bool {
    let mut run = clean_run();
    let i = index_of(&run, |e| {
        e.lane == 0 && text(e).starts_with("MESSAGE sip:climbers")
    });
    let sent = run.entries[i].at;
    let (_, second) = second_im_of_a(&run, "x", sent);
    // None: the interruption comes just after the send; Some(us): that many microseconds before.
    let (at, index) = match earlier_by_us {
        None => (sent, i + 1),
        Some(us) => (imflow::node::Instant(sent.0 - us), i),
    };
    run.entries.insert(
        index,
        Entry {
            at,
            lane: 0,
            what: interruption,
        },
    );
    run.entries.insert(i + 2, second);
    s12_at(&run, i + 3)
}

fn timed_out(method: &str) -> Happening {
    Happening::Event(Event::TransactionTimedOut {
        node: "A".into(),
        method: method.into(),
    })
}

#[test]
fn a_message_timed_out_at_its_sender_is_no_longer_pending_for_s12() {
    assert!(!second_im_after(timed_out("MESSAGE"), None));
    assert!(
        second_im_after(timed_out("REGISTER"), None),
        "a REGISTER timing out does not end the MESSAGE"
    );
}

#[test]
fn a_crash_of_the_sender_ends_its_pending_message_for_s12_but_not_one_before_the_send() {
    assert!(!second_im_after(Happening::Crash, None));
    assert!(
        second_im_after(Happening::Crash, Some(1)),
        "a crash before the MESSAGE was sent does not end it"
    );
}

#[test]
fn s12_stays_exact_when_a_run_is_edited_out_of_time_order() {
    let mut run = clean_run();
    let end = run.entries.last().map(|e| e.at).expect("entries");
    // A second IM sent at the end of the run, answered (oddly) at the first IM's send time, and
    // then a third one back at that send time: the first IM is still pending then.
    let (i, second) = second_im_of_a(&run, "x", end);
    let sent = run.entries[i].at;
    let mut answer = run.entries[answer_to_a(&run)].clone();
    let changed = text(&answer).replacen("Call-ID: ", "Call-ID: x", 1);
    set_bytes(&mut answer, changed);
    if let Happening::Transmit { fate, .. } = &mut answer.what {
        *fate = imflow::sim::Fate::Delivered { at: sent };
    }
    let (_, third) = second_im_of_a(&run, "y", sent);
    run.entries.push(second);
    run.entries.push(answer);
    run.entries.push(third);
    assert!(!s12_at(&run, run.entries.len() - 2));
    assert!(
        s12_at(&run, run.entries.len()),
        "the first IM was pending at the third's send"
    );
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

#[test]
fn a_proxy_forwarding_a_second_message_is_not_the_sender_s12_restricts() {
    let mut run = clean_run();
    let i = index_of(&run, |e| {
        let t = text(e);
        e.lane != 0 && t.starts_with("MESSAGE sip:climbers") && t.matches("\r\nVia: ").count() == 2
    });
    let mut second = run.entries[i].clone();
    let changed = text(&second).replacen("Call-ID: ", "Call-ID: x", 1);
    set_bytes(&mut second, changed);
    run.entries.insert(i + 1, second);
    assert!(
        !s12_at(&run, i + 2),
        "S12 binds the node that builds the MESSAGE, not a proxy relaying it"
    );
}

#[test]
fn a_message_that_closed_at_the_very_instant_of_the_next_send_is_not_pending_for_s12() {
    let mut run = clean_run();
    let i = index_of(&run, |e| {
        e.lane == 0 && text(e).starts_with("MESSAGE sip:climbers")
    });
    let sent = run.entries[i].at;
    let (_, second) = second_im_of_a(&run, "x", sent);
    let timeout = Entry {
        at: sent,
        lane: 0,
        what: timed_out("MESSAGE"),
    };
    run.entries.insert(i + 1, timeout);
    run.entries.insert(i + 2, second);
    // An entry edited to an earlier time after them keeps the first transaction in view.
    let early = Entry {
        at: imflow::node::Instant(0),
        lane: 1,
        what: Happening::Crash,
    };
    run.entries.push(early);
    assert!(!s12_at(&run, i + 3));
}
