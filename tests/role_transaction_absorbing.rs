//! Transactions absorbing retransmissions (RFC 3261 section 17.1.2.2 timer K, section 17.2.2
//! timer J) ask for no wake: each input ends those whose K or J has come before handling it,
//! so what an input sees is what it saw when K and J woke the node.

use imflow::node::{Bytes, Instant, Transport};
use imflow::transaction::{
    ClientKey, ClientState, RequestArrival, ServerKey, TimerConfig, TransactionLayer,
};
use std::net::SocketAddr;

fn addr(last: u8) -> SocketAddr {
    SocketAddr::from(([10, 0, 0, last], 5060))
}

fn client_key(i: u64) -> ClientKey {
    ClientKey {
        branch: format!("z9hG4bK.c{i}").into(),
        method: "MESSAGE".into(),
    }
}

fn server_key(i: u64) -> ServerKey {
    ServerKey {
        branch: format!("z9hG4bK.s{i}").into(),
        sent_by: "10.0.0.1:5060".into(),
        method: "MESSAGE".into(),
    }
}

/// A server-side layer that received request 0 at time 0 over UDP and answered it 200 at once.
fn layer_that_answered() -> TransactionLayer<()> {
    let mut layer = TransactionLayer::new(addr(2), TimerConfig::default());
    let arrival = layer.receive_request(Instant(0), server_key(0), addr(1), Transport::Udp);
    assert_eq!(arrival, RequestArrival::New);
    assert!(layer.send_response(Instant(0), &server_key(0), 200, b"200"));
    assert!(layer.poll_transmit().is_some(), "the 200 goes out");
    layer
}

/// A client-side layer that sent request 0 at time 0 over UDP and got its 200 at once.
fn layer_that_was_answered() -> TransactionLayer<&'static str> {
    let mut layer = TransactionLayer::new(addr(1), TimerConfig::default());
    let sent = layer.send_request(
        Instant(0),
        client_key(0),
        addr(2),
        Transport::Udp,
        b"REQ".to_vec(),
        "im",
    );
    assert!(sent.is_ok());
    assert!(layer.poll_transmit().is_some(), "the request goes out");
    assert_eq!(
        layer.receive_response(Instant(0), &client_key(0), 200),
        Some("im")
    );
    layer
}

#[test]
fn a_request_retransmitted_1_ms_before_timer_j_is_answered_again_and_one_at_j_is_new() {
    let timer_j = Instant(0).plus_millis(TimerConfig::default().timer_f_ms());
    let mut layer = layer_that_answered();
    let just_before = Instant(timer_j.0 - 1_000);
    assert_eq!(just_before.plus_millis(1), timer_j, "1 ms before J");
    assert_eq!(
        layer.receive_request(just_before, server_key(0), addr(1), Transport::Udp),
        RequestArrival::Retransmission
    );
    let replay = layer.poll_transmit().expect("the 200 is sent again");
    assert_eq!(replay.bytes, Bytes::from_static(b"200"));
    assert_eq!(
        layer.receive_request(timer_j, server_key(0), addr(1), Transport::Udp),
        RequestArrival::New,
        "at J the transaction is over, though no timer woke the layer"
    );
    assert!(layer.poll_transmit().is_none(), "nothing replayed");
}

#[test]
fn a_response_retransmitted_1_ms_before_timer_k_is_absorbed_and_one_at_k_finds_no_transaction() {
    let timer_k = Instant(0).plus_millis(TimerConfig::default().t4_ms);
    let mut layer = layer_that_was_answered();
    let just_before = Instant(timer_k.0 - 1_000);
    assert_eq!(
        layer.receive_response(just_before, &client_key(0), 200),
        None
    );
    assert_eq!(
        layer.client_state(&client_key(0)),
        Some(ClientState::AbsorbingRetransmissions { until: timer_k }),
        "absorbed: the transaction still holds its final response"
    );
    assert_eq!(layer.receive_response(timer_k, &client_key(0), 200), None);
    assert_eq!(
        (layer.client_state(&client_key(0)), layer.client_count()),
        (None, 0),
        "at K the transaction is over, though no timer woke the layer"
    );
}

#[test]
fn a_layer_with_only_absorbing_transactions_asks_for_no_wake() {
    let mut layer: TransactionLayer<u64> = TransactionLayer::new(addr(1), TimerConfig::default());
    assert!(layer
        .send_request(
            Instant(0),
            client_key(0),
            addr(2),
            Transport::Udp,
            b"REQ".to_vec(),
            0
        )
        .is_ok());
    layer.receive_request(Instant(0), server_key(0), addr(2), Transport::Udp);
    assert_eq!(
        layer.poll_timeout(),
        Some(Instant(0).plus_millis(500)),
        "timer E"
    );
    assert_eq!(
        layer.receive_response(Instant(10), &client_key(0), 200),
        Some(0)
    );
    assert!(layer.send_response(Instant(10), &server_key(0), 200, b"200"));
    assert_eq!((layer.client_count(), layer.server_count()), (1, 1));
    assert_eq!(layer.poll_timeout(), None, "K and J ask for no wake");
    assert_eq!(
        layer.next_absorbing_end(),
        Some(Instant(10).plus_millis(5_000)),
        "timer K ends first"
    );
    // A timeout handled at K ends the client transaction, at J the server one.
    let mut timed_out = Vec::new();
    layer.handle_timeout(Instant(10).plus_millis(5_000), &mut timed_out);
    assert_eq!((layer.client_count(), layer.server_count()), (0, 1));
    layer.end_absorbing(Instant(10).plus_millis(32_000));
    assert_eq!((layer.client_count(), layer.server_count()), (0, 0));
    assert_eq!((layer.next_absorbing_end(), timed_out.len()), (None, 0));
}

#[test]
fn absorbing_transactions_of_a_long_run_do_not_pile_up() {
    // One exchange each way every 100 ms for 20 minutes; the layer never wakes.
    const INTERVAL_MS: u64 = 100;
    const EXCHANGES: u64 = 12_000;
    let timers = TimerConfig::default();
    let mut layer: TransactionLayer<u64> = TransactionLayer::new(addr(1), timers);
    let most_servers = timers.timer_f_ms() / INTERVAL_MS;
    let most_clients = timers.t4_ms / INTERVAL_MS;
    let (mut servers_seen, mut clients_seen) = (0, 0);
    for i in 0..EXCHANGES {
        let now = Instant(0).plus_millis(i * INTERVAL_MS);
        layer.receive_request(now, server_key(i), addr(2), Transport::Udp);
        assert!(layer.send_response(now, &server_key(i), 200, b"200"));
        let sent = layer.send_request(
            now,
            client_key(i),
            addr(2),
            Transport::Udp,
            b"REQ".to_vec(),
            i,
        );
        assert!(sent.is_ok());
        assert_eq!(layer.receive_response(now, &client_key(i), 200), Some(i));
        while layer.poll_transmit().is_some() {}
        assert_eq!(layer.poll_timeout(), None, "nothing to wake for");
        servers_seen = servers_seen.max(layer.server_count() as u64);
        clients_seen = clients_seen.max(layer.client_count() as u64);
    }
    assert_eq!(
        (servers_seen, clients_seen),
        (most_servers, most_clients),
        "what lives is what J and K keep, no more"
    );
}

#[test]
fn a_layer_ending_absorbing_transactions_only_when_woken_still_replays_at_j_before_its_wake() {
    // The controlled run's choice: K and J stay timers interleaved with inputs at one instant.
    let timer_j = Instant(0).plus_millis(TimerConfig::default().timer_f_ms());
    let mut layer = layer_that_answered();
    layer.end_absorbing_when_woken();
    assert_eq!(layer.next_absorbing_end(), Some(timer_j), "wake here");
    assert_eq!(
        layer.receive_request(timer_j, server_key(0), addr(1), Transport::Udp),
        RequestArrival::Retransmission,
        "J has not been handled yet"
    );
    assert!(layer.poll_transmit().is_some(), "the 200 is sent again");
    layer.handle_timeout(timer_j, &mut Vec::new());
    assert_eq!(
        (layer.server_count(), layer.next_absorbing_end()),
        (0, None)
    );
    assert_eq!(
        layer.receive_request(timer_j, server_key(0), addr(1), Transport::Udp),
        RequestArrival::New
    );
}
