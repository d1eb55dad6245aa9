//! The participating function as a proxy (RFC 3261 section 16): a forwarded request carries
//! Max-Forwards one less right below the Via it received, and a relayed response keeps every
//! other row in place with the proxy's Via removed.

use crate::role_support;
use imflow::node::{Instant, Node, Transport};
use role_support::*;

#[test]
fn a_proxied_message_carries_max_forwards_one_less_right_below_the_via_it_received() {
    let mut net = Net::new(Setup::default());
    net.send_im(ALICE, GROUP, positive(), "Summit at noon.");
    let sent = net.wire_between(1, 11)[0].text();
    let proxied = net.wire_between(11, CF_ADDR)[0].text();
    let rows = |text: &str| -> Vec<String> {
        text.split("\r\n")
            .skip(1)
            .take_while(|l| !l.is_empty())
            .map(str::to_owned)
            .collect()
    };
    let received = rows(&sent);
    let forwarded = rows(&proxied);
    assert!(received.contains(&"Max-Forwards: 70".to_owned()));
    assert!(forwarded[0].starts_with("Via: SIP/2.0/UDP 10.0.0.11:5060;branch="));
    assert_eq!(forwarded[1], received[0], "the Via Alice's agent put there");
    assert_eq!(forwarded[2], "Max-Forwards: 69");
    assert_eq!(
        forwarded
            .iter()
            .filter(|r| r.starts_with("Max-Forwards"))
            .count(),
        1
    );
}

#[test]
fn a_relayed_response_keeps_the_rows_in_place_with_the_proxy_via_removed() {
    // Another stack may write Via below From: the relayed response keeps every other row
    // where it was and the upstream Via where the proxy's was.
    let mut config = imflow::node::ParticipatingFunctionConfig::new(
        "im.alpha.example",
        "alpha.example",
        addr(11),
        5,
    )
    .route("conf.gamma.example", addr(CF_ADDR));
    config.deferral = true;
    let mut server = imflow::node::ParticipatingFunction::new(config);
    let alice_via = "SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bK.a-1";
    let im = format!(
        "MESSAGE sip:climbers@conf.gamma.example SIP/2.0\r\nVia: {alice_via}\r\nMax-Forwards: 70\r\n\
         From: <sip:alice@alpha.example>;tag=a1\r\nTo: <sip:climbers@conf.gamma.example>\r\n\
         Call-ID: a-1\r\nCSeq: 1 MESSAGE\r\nContent-Type: text/plain\r\nContent-Length: 3\r\n\r\nHi."
    );
    server.handle_datagram(Instant(0), addr(1), Transport::Udp, im.as_bytes());
    let forwarded = server.poll_transmit().expect("proxied to the CF");
    assert_eq!(forwarded.to, addr(CF_ADDR));
    let forwarded = String::from_utf8_lossy(&forwarded.bytes).into_owned();
    let proxy_via = forwarded
        .lines()
        .find_map(|l| l.strip_prefix("Via: "))
        .expect("the proxy's Via")
        .to_owned();
    let ok = format!(
        "SIP/2.0 202 Accepted\r\nFrom: <sip:alice@alpha.example>;tag=a1\r\nVia: {proxy_via}\r\n\
         Via: {alice_via}\r\nTo: <sip:climbers@conf.gamma.example>;tag=cf\r\nCall-ID: a-1\r\n\
         CSeq: 1 MESSAGE\r\nContent-Length: 0\r\n\r\n"
    );
    server.handle_datagram(Instant(1_000), addr(CF_ADDR), Transport::Udp, ok.as_bytes());
    let relayed = server.poll_transmit().expect("relayed to Alice");
    assert_eq!(relayed.to, addr(1));
    let relayed = String::from_utf8_lossy(&relayed.bytes).into_owned();
    let rows: Vec<&str> = relayed
        .split("\r\n")
        .take_while(|l| !l.is_empty())
        .collect();
    assert_eq!(
        rows[..4],
        [
            "SIP/2.0 202 Accepted",
            "From: <sip:alice@alpha.example>;tag=a1",
            &format!("Via: {alice_via}"),
            "To: <sip:climbers@conf.gamma.example>;tag=cf",
        ],
        "{relayed}"
    );
    assert_eq!(rows.iter().filter(|r| r.starts_with("Via")).count(), 1);
}
