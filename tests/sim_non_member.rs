//! A non-member's IM to the group is refused with 403: no fan-out, nobody receives anything,
//! no IMDN (S8).

use crate::sim_support;

use imflow::node::Event;
use imflow::sim::SimConfig;
use sim_support::{all_steps, assert_clean, events, expect_step, find_step, run, scenario};

#[test]
fn non_member_gets_403_and_nobody_receives_anything() {
    let s = scenario(
        r#"
name = "non-member"
expect = "hold"
non_members = ["E"]
[group]
name = "climbers"
members = ["A", "B", "C"]
[[messages]]
from = "E"
dispositions = ["positive-delivery", "negative-delivery"]
"#,
    );
    let (run, report) = run(&s, &SimConfig::seeded(3));
    assert_clean(&run, &report);
    let t = run.trace();
    let to_cf = expect_step(
        &t,
        find_step(&t, 0, "Server E", "CF", &["MESSAGE climbers"]),
        "IM",
    );
    let refused = find_step(&t, to_cf, "CF", "Server E", &["403 Forbidden"]);
    let refused = expect_step(&t, refused, "403 from the CF");
    expect_step(
        &t,
        find_step(&t, refused, "Server E", "User E", &["403 Forbidden"]),
        "403 relayed to E",
    );
    let answered: Vec<u16> = events(&run)
        .iter()
        .filter_map(|e| match e {
            Event::ImAnswered { status, .. } => Some(*status),
            _ => None,
        })
        .collect();
    assert_eq!(answered, [403]);
    assert!(!events(&run).iter().any(|e| matches!(
        e,
        Event::ImRendered { .. } | Event::ImdnRendered { .. } | Event::Stored { .. }
    )));
    for member in ["Server A", "Server B", "Server C"] {
        assert!(
            all_steps(&t, "CF", member, &["MESSAGE"]).is_empty(),
            "{member}"
        );
    }
}
