//! S12 one-pending-message-per-destination at run time: a node that builds a MESSAGE to a URI
//! while its previous MESSAGE there has no final response, no local timeout and no crash breaks
//! RFC 3428 section 8. Each test edits the clean seed-flow run's record and expects the monitor
//! to flag exactly the MESSAGE sent while another was pending.

use crate::sim_support;

use imflow::monitor::{Monitored, WireRule};
use imflow::node::Event;
use imflow::sim::{Entry, Happening, SimRun};
use sim_support::record_edits::{clean_run, flagged, index_of, set_bytes, text};

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
