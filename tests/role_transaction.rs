//! RFC 3261 section 17 non-INVITE transactions (with RFC 4320): timers E, F, K, J.

use imflow::node::{Bytes, Instant, Transport};
use imflow::transaction::{
    ClientKey, ClientState, RequestArrival, ServerKey, ServerState, TimerConfig, TransactionLayer,
};
use std::net::SocketAddr;

fn addr(last: u8) -> SocketAddr {
    SocketAddr::from(([10, 0, 0, last], 5060))
}

fn key() -> ClientKey {
    ClientKey {
        branch: "z9hG4bK.test".into(),
        method: "MESSAGE".into(),
    }
}

fn server_key() -> ServerKey {
    ServerKey {
        branch: "z9hG4bK.test".into(),
        sent_by: "10.0.0.1:5060".into(),
        method: "MESSAGE".into(),
    }
}

/// A client-side layer at 10.0.0.1 that has just started a MESSAGE transaction (context "im")
/// to 10.0.0.2 over `transport`, at time 0.
fn layer_sending_im(transport: Transport) -> TransactionLayer<&'static str> {
    let mut layer = TransactionLayer::new(addr(1), TimerConfig::default());
    assert!(layer
        .send_request(Instant(0), key(), addr(2), transport, b"REQ".to_vec(), "im")
        .is_ok());
    layer
}

/// Runs the layer's timers to `end`, returning the instants (ms) of every retransmission and
/// the contexts that timed out with the instant.
fn run_timers(
    layer: &mut TransactionLayer<&'static str>,
    end_ms: u64,
) -> (Vec<u64>, Vec<(u64, &'static str)>) {
    let mut sends = Vec::new();
    let mut timeouts = Vec::new();
    while let Some(at) = layer.poll_timeout() {
        if at.as_millis() > end_ms {
            break;
        }
        let mut out = Vec::new();
        layer.handle_timeout(at, &mut out);
        timeouts.extend(out.into_iter().map(|c| (at.as_millis(), c)));
        while layer.poll_transmit().is_some() {
            sends.push(at.as_millis());
        }
    }
    (sends, timeouts)
}

#[test]
fn timer_e_doubles_from_t1_to_t2_and_timer_f_reports_a_local_timeout_at_64_t1() {
    let mut layer = layer_sending_im(Transport::Udp);
    assert!(
        layer.poll_transmit().is_some(),
        "the request goes out at once"
    );
    let (sends, timeouts) = run_timers(&mut layer, 60_000);
    // E: 0.5, 1.5, 3.5, 7.5, then every T2 = 4 s until F at 32 s.
    let expected: Vec<u64> = vec![
        500, 1_500, 3_500, 7_500, 11_500, 15_500, 19_500, 23_500, 27_500, 31_500,
    ];
    assert_eq!(sends, expected);
    assert_eq!(timeouts, vec![(32_000, "im")]);
    assert_eq!(layer.client_count(), 0);
}

#[test]
fn a_stream_transport_never_retransmits_and_still_times_out() {
    let mut layer = layer_sending_im(Transport::Tcp);
    layer.poll_transmit();
    let (sends, timeouts) = run_timers(&mut layer, 60_000);
    assert!(sends.is_empty());
    assert_eq!(timeouts, vec![(32_000, "im")]);
}

#[test]
fn a_provisional_response_fixes_timer_e_at_t2() {
    let mut layer = layer_sending_im(Transport::Udp);
    layer.poll_transmit();
    assert_eq!(
        layer.receive_response(Instant(0).plus_millis(100), &key(), 100),
        None
    );
    assert!(matches!(
        layer.client_state(&key()),
        Some(ClientState::AwaitingFinalResponse { .. })
    ));
    let (sends, _) = run_timers(&mut layer, 9_000);
    assert_eq!(sends, vec![4_100, 8_100]);
}

#[test]
fn timer_k_absorbs_retransmitted_final_responses_for_t4_on_udp() {
    let mut layer = layer_sending_im(Transport::Udp);
    layer.poll_transmit();
    let t = Instant(0).plus_millis(200);
    assert_eq!(layer.receive_response(t, &key(), 200), Some("im"));
    assert_eq!(
        layer.receive_response(t.plus_millis(10), &key(), 200),
        None,
        "absorbed"
    );
    assert!(matches!(
        layer.client_state(&key()),
        Some(ClientState::AbsorbingRetransmissions { until }) if until == t.plus_millis(5_000)
    ));
    let (sends, timeouts) = run_timers(&mut layer, 60_000);
    assert!(
        sends.is_empty() && timeouts.is_empty(),
        "no retransmission, no 408 after a final"
    );
    assert_eq!(layer.poll_timeout(), None, "timer K asks for no wake");
    assert_eq!(layer.next_absorbing_end(), Some(t.plus_millis(5_000)));
    layer.end_absorbing(t.plus_millis(5_000));
    assert_eq!(layer.client_count(), 0, "K terminated it");
    assert_eq!(layer.next_absorbing_end(), None);
}

#[test]
fn timer_k_is_zero_on_a_stream_transport() {
    let mut layer = layer_sending_im(Transport::Tcp);
    assert_eq!(layer.receive_response(Instant(0), &key(), 202), Some("im"));
    assert_eq!(layer.client_count(), 0);
    assert_eq!(layer.poll_timeout(), None, "its timers went with it");
}

#[test]
fn a_response_matches_only_its_branch_and_method() {
    let mut layer = layer_sending_im(Transport::Udp);
    let other_method = ClientKey {
        method: "REGISTER".into(),
        ..key()
    };
    assert_eq!(layer.receive_response(Instant(0), &other_method, 200), None);
    let other_branch = ClientKey {
        branch: "z9hG4bK.other".into(),
        ..key()
    };
    assert_eq!(layer.receive_response(Instant(0), &other_branch, 200), None);
    assert_eq!(layer.receive_response(Instant(0), &key(), 200), Some("im"));
}

#[test]
fn timer_j_replays_the_final_response_to_retransmitted_requests_for_64_t1() {
    let mut layer: TransactionLayer<()> = TransactionLayer::new(addr(2), TimerConfig::default());
    let t0 = Instant(0);
    assert_eq!(
        layer.receive_request(t0, server_key(), addr(1), Transport::Udp),
        RequestArrival::New
    );
    assert_eq!(
        layer.receive_request(t0.plus_millis(500), server_key(), addr(1), Transport::Udp),
        RequestArrival::Retransmission
    );
    assert!(
        layer.poll_transmit().is_none(),
        "nothing to replay before the user answers"
    );
    assert!(layer.send_response(t0.plus_millis(600), &server_key(), 200, b"200"));
    assert_eq!(
        layer.poll_transmit().map(|t| t.bytes),
        Some(Bytes::from_static(b"200"))
    );
    assert!(!layer.send_response(t0.plus_millis(700), &server_key(), 202, b"202"));
    assert!(
        layer.poll_transmit().is_none(),
        "a second final response is discarded"
    );
    assert_eq!(
        layer.receive_request(t0.plus_millis(1_500), server_key(), addr(1), Transport::Udp),
        RequestArrival::Retransmission
    );
    let replay = layer.poll_transmit().expect("replayed");
    assert_eq!(
        (replay.to, replay.bytes),
        (addr(1), Bytes::from_static(b"200"))
    );
    assert!(matches!(
        layer.server_state(&server_key()),
        Some(ServerState::ReplayingFinalResponse { until, .. }) if *until == t0.plus_millis(32_600)
    ));
    let mut out = Vec::new();
    layer.handle_timeout(t0.plus_millis(32_600), &mut out);
    assert_eq!(layer.server_count(), 0, "J terminated it");
    assert_eq!(
        layer.receive_request(
            t0.plus_millis(33_000),
            server_key(),
            addr(1),
            Transport::Udp
        ),
        RequestArrival::New,
        "after J the same branch is a new transaction"
    );
}

#[test]
fn an_abandoned_server_transaction_never_answers() {
    let mut layer: TransactionLayer<()> = TransactionLayer::new(addr(2), TimerConfig::default());
    layer.receive_request(Instant(0), server_key(), addr(1), Transport::Udp);
    layer.abandon(&server_key());
    assert!(!layer.send_response(Instant(0), &server_key(), 408, b"408"));
    assert!(layer.poll_transmit().is_none());
}

#[test]
fn a_flood_of_new_transactions_is_refused_beyond_the_limit() {
    use imflow::transaction::{CLIENT_TRANSACTIONS_MAX, SERVER_TRANSACTIONS_MAX};
    let mut layer: TransactionLayer<u32> = TransactionLayer::new(addr(2), TimerConfig::default());
    let server = |i: usize| ServerKey {
        branch: format!("z9hG4bK.{i}").into(),
        ..server_key()
    };
    for i in 0..SERVER_TRANSACTIONS_MAX {
        assert_eq!(
            layer.receive_request(Instant(0), server(i), addr(1), Transport::Udp),
            RequestArrival::New
        );
    }
    assert_eq!(
        layer.receive_request(Instant(0), server(usize::MAX), addr(1), Transport::Udp),
        RequestArrival::Refused
    );
    let client = |i: usize| ClientKey {
        branch: format!("z9hG4bK.{i}").into(),
        ..key()
    };
    for i in 0..CLIENT_TRANSACTIONS_MAX {
        assert!(layer
            .send_request(
                Instant(0),
                client(i),
                addr(3),
                Transport::Tcp,
                Vec::new(),
                0
            )
            .is_ok());
    }
    assert_eq!(
        layer.send_request(
            Instant(0),
            client(usize::MAX),
            addr(3),
            Transport::Tcp,
            Vec::new(),
            7
        ),
        Err(7),
        "the context comes back unsent"
    );
}

#[test]
fn the_layer_counts_live_transactions_knows_when_it_would_give_up_and_a_reset_forgets_all() {
    let timers = TimerConfig {
        t1_ms: 250,
        ..TimerConfig::default()
    };
    let mut layer = TransactionLayer::new(addr(1), timers);
    assert_eq!(layer.timers(), &timers);
    assert!(layer
        .send_request(
            Instant(0),
            key(),
            addr(2),
            Transport::Udp,
            b"REQ".to_vec(),
            "im"
        )
        .is_ok());
    assert_eq!(layer.client_count(), 1);
    assert_eq!(
        layer.next_give_up(),
        Some(Instant(0).plus_millis(64 * 250)),
        "timer F: 64*T1"
    );
    assert_eq!(
        layer.receive_request(Instant(0), server_key(), addr(2), Transport::Udp),
        RequestArrival::New
    );
    assert_eq!(layer.server_count(), 1);
    assert_eq!(layer.receive_response(Instant(10), &key(), 200), Some("im"));
    assert_eq!(layer.client_count(), 1, "absorbing retransmissions until K");
    assert_eq!(
        layer.next_give_up(),
        None,
        "answered: nothing to give up on"
    );
    layer.reset();
    assert_eq!((layer.client_count(), layer.server_count()), (0, 0));
    assert_eq!(layer.poll_timeout(), None);
    assert!(
        layer.poll_transmit().is_none(),
        "the queued request is gone too"
    );
}

#[test]
fn a_provisional_keeps_the_server_transaction_proceeding_and_a_202_ends_it() {
    let mut layer: TransactionLayer<()> = TransactionLayer::new(addr(2), TimerConfig::default());
    let t0 = Instant(0);
    layer.receive_request(t0, server_key(), addr(1), Transport::Udp);
    assert!(layer.send_response(t0, &server_key(), 100, b"100"));
    assert!(matches!(
        layer.server_state(&server_key()),
        Some(ServerState::Proceeding { .. })
    ));
    assert!(layer.send_response(t0.plus_millis(10), &server_key(), 202, b"202"));
    assert!(matches!(
        layer.server_state(&server_key()),
        Some(ServerState::ReplayingFinalResponse { .. })
    ));
    assert!(!layer.send_response(t0.plus_millis(20), &server_key(), 100, b"100"));
}

#[test]
fn the_next_timer_is_exact_when_an_ended_transaction_leaves_its_place_to_a_new_one() {
    let mut layer: TransactionLayer<()> = TransactionLayer::new(addr(2), TimerConfig::default());
    let t0 = Instant(0);
    let other = ServerKey {
        branch: "z9hG4bK.other".into(),
        ..server_key()
    };
    assert_eq!(
        layer.receive_request(t0, server_key(), addr(1), Transport::Tcp),
        RequestArrival::New
    );
    // Unanswered, a server transaction is dropped after twice timer F (2 x 64 x T1).
    assert_eq!(layer.poll_timeout(), Some(t0.plus_millis(64_000)));
    // A final response over a stream ends it at once (timer J is zero): no timer is left.
    assert!(layer.send_response(t0.plus_millis(1), &server_key(), 200, b"200"));
    assert_eq!(layer.server_count(), 0);
    assert_eq!(
        layer.poll_timeout(),
        None,
        "the ended transaction's timer is gone"
    );
    // A new transaction takes its place and has its own timer only.
    let t1 = t0.plus_millis(1_000);
    assert_eq!(
        layer.receive_request(t1, other.clone(), addr(1), Transport::Udp),
        RequestArrival::New
    );
    assert_eq!(layer.poll_timeout(), Some(t1.plus_millis(64_000)));
    assert!(layer.send_response(t1, &other, 200, b"200"));
    assert_eq!(layer.poll_timeout(), None, "timer J asks for no wake");
    assert_eq!(
        layer.next_absorbing_end(),
        Some(t1.plus_millis(32_000)),
        "timer J"
    );
    let mut out = Vec::new();
    layer.handle_timeout(t1.plus_millis(31_999), &mut out);
    assert_eq!(layer.server_count(), 1, "nothing ends before timer J");
    layer.handle_timeout(t1.plus_millis(32_000), &mut out);
    assert_eq!(
        (layer.server_count(), layer.next_absorbing_end()),
        (0, None)
    );
}

#[test]
fn a_retransmission_and_a_replay_send_the_very_buffer_first_sent() {
    let mut layer = layer_sending_im(Transport::Udp);
    let first = layer.poll_transmit().expect("the request");
    let mut out = Vec::new();
    // Timer E fires at T1: the request goes again, byte for byte, from the same buffer.
    layer.handle_timeout(Instant(0).plus_millis(500), &mut out);
    let again = layer.poll_transmit().expect("the retransmission");
    assert_eq!(again.bytes, first.bytes);
    assert_eq!(again.bytes.as_ptr(), first.bytes.as_ptr(), "no copy");

    let mut server: TransactionLayer<()> = TransactionLayer::new(addr(2), TimerConfig::default());
    let t0 = Instant(0);
    server.receive_request(t0, server_key(), addr(1), Transport::Udp);
    assert!(server.send_response(t0, &server_key(), 200, b"200"));
    let answer = server.poll_transmit().expect("the 200");
    server.receive_request(t0.plus_millis(500), server_key(), addr(1), Transport::Udp);
    let replay = server.poll_transmit().expect("the replayed 200");
    assert_eq!(replay.bytes.as_ptr(), answer.bytes.as_ptr(), "no copy");
}
