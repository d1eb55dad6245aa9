//! The wire monitors fail when the bytes on the wire break a rule: each test takes the clean
//! seed-flow run, changes one datagram in its record the way a faulty node would, and expects the
//! rule's id (S6, S11, S13, S15, S16) at the step that carried it. The monitors of the model's
//! properties are in `sim_monitors_catch_violations.rs`.

use crate::sim_support;

use imflow::monitor::{self, Monitored, WireRule};
use imflow::node::Transport;
use imflow::sim::{Happening, SimRun};
use imflow_model::Scenario;
use sim_support::record_edits::{clean_run, flagged, index_of, set_bytes, text};

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
