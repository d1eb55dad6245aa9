//! The seed flow on the implementation: the ladder shows the draft's steps in order, with B's
//! and C's IMDN MESSAGEs, one aggregated IMDN to A, and D's own IMDN after D registers.

use crate::sim_support;

use imflow::sim::SimConfig;
use imflow_model::Scenario;
use sim_support::{assert_clean, expect_step, find_step, imdns_at, run};

#[test]
fn seed_flow_ladder_shows_the_draft_steps_in_order() {
    let (run, report) = run(&Scenario::seed(), &SimConfig::seeded(1));
    assert_clean(&run, &report);
    let t = run.trace();
    let step = |from: usize, a: &str, b: &str, words: &[&str], what: &str| {
        expect_step(&t, find_step(&t, from, a, b, words), what)
    };
    let s1 = step(
        0,
        "User A",
        "Server A",
        &["MESSAGE climbers"],
        "1: A sends to the group",
    );
    let s2 = step(
        s1,
        "Server A",
        "CF",
        &["MESSAGE climbers"],
        "2: forwarded to the CF",
    );
    let s3 = step(s2, "CF", "Server A", &["202 Accepted"], "3: CF answers 202");
    step(
        s3,
        "Server A",
        "User A",
        &["202 Accepted"],
        "3: 202 relayed to A",
    );
    let s4 = step(s2, "CF", "Server B", &["MESSAGE bob"], "4: fan-out to B");
    let s5 = step(
        s4,
        "Server B",
        "User B",
        &["MESSAGE bob"],
        "5: B receives it",
    );
    let ok_b = step(
        s5,
        "User B",
        "Server B",
        &["200 OK (MESSAGE)"],
        "5: B's 200",
    );
    step(
        ok_b,
        "Server B",
        "CF",
        &["200 OK (MESSAGE)"],
        "5: B's 200 relayed",
    );
    let s6 = step(s2, "CF", "Server C", &["MESSAGE carol"], "6: fan-out to C");
    let s7 = step(
        s6,
        "Server C",
        "User C",
        &["MESSAGE carol"],
        "7: C receives it",
    );
    let s8 = step(s2, "CF", "Server D", &["MESSAGE dave"], "8: fan-out to D");
    step(
        s8,
        "Server D",
        "CF",
        &["202 Accepted"],
        "9: D's server stores, 202",
    );
    let imdn_b = step(
        s5,
        "User B",
        "Server B",
        &["IMDN bob delivered"],
        "B's IMDN",
    );
    let imdn_c = step(
        s7,
        "User C",
        "Server C",
        &["IMDN carol delivered"],
        "C's IMDN",
    );
    let cf_b = step(
        imdn_b,
        "Server B",
        "CF",
        &["IMDN bob delivered"],
        "B's IMDN at the CF",
    );
    let cf_c = step(
        imdn_c,
        "Server C",
        "CF",
        &["IMDN carol delivered"],
        "C's IMDN at CF",
    );
    let words = ["IMDN x2:", "bob delivered", "carol delivered"];
    let s10 = step(
        cf_b.max(cf_c),
        "CF",
        "Server A",
        &words,
        "10: one aggregated IMDN",
    );
    let s11 = step(
        s10,
        "Server A",
        "User A",
        &words,
        "11: A gets the aggregate",
    );
    let s12 = step(s11, "User D", "Server D", &["REGISTER"], "12: D registers");
    let s13 = step(
        s12,
        "Server D",
        "User D",
        &["200 OK (REGISTER)"],
        "13: 200 to REGISTER",
    );
    let s14 = step(
        s12,
        "Server D",
        "User D",
        &["MESSAGE dave"],
        "14: stored IM delivered",
    );
    let s15 = step(
        s14,
        "User D",
        "Server D",
        &["200 OK (MESSAGE)"],
        "15: D's 200",
    );
    let s16 = step(
        s14,
        "User D",
        "Server D",
        &["IMDN dave delivered"],
        "16: D's IMDN",
    );
    let s17 = step(
        s16,
        "Server D",
        "CF",
        &["IMDN dave delivered"],
        "17: to the CF",
    );
    let s18 = step(
        s17,
        "CF",
        "Server A",
        &["IMDN dave delivered"],
        "18: CF forwards it",
    );
    step(
        s18,
        "Server A",
        "User A",
        &["IMDN dave delivered"],
        "19: A gets D's IMDN",
    );
    assert!(s13 > s12 && s15 > s14);
    let aggregate = t.steps[s10].sip.as_deref().unwrap_or_default();
    assert!(aggregate.contains("multipart/mixed"), "{aggregate}");
    assert_eq!(
        aggregate.matches("Content-Type: message/imdn+xml").count(),
        2
    );
    assert!(!t.steps[s18].label.contains("x2"), "D's IMDN travels alone");
    assert_eq!(
        imdns_at(&run, "alice"),
        [
            ("sip:bob@beta.example", "delivered"),
            ("sip:carol@delta.example", "delivered"),
            ("sip:dave@epsilon.example", "delivered"),
        ]
        .map(|(r, s)| (r.to_string(), s.to_string()))
    );
}

#[test]
fn the_same_seed_gives_the_same_bytes() {
    for config in [SimConfig::seeded(7), SimConfig::with_faults(7)] {
        let (first, _) = run(&Scenario::seed(), &config);
        let (second, _) = run(&Scenario::seed(), &config);
        assert_eq!(first.trace().to_json(), second.trace().to_json());
        assert_eq!(first.entries, second.entries);
    }
}

#[test]
fn another_seed_gives_other_message_ids() {
    let (a, _) = run(&Scenario::seed(), &SimConfig::seeded(1));
    let (b, _) = run(&Scenario::seed(), &SimConfig::seeded(2));
    assert_ne!(a.trace().to_json(), b.trace().to_json());
}
