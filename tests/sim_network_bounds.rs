//! The simulated network's own rules, on tiny nodes: a stream keeps its order, every queue is
//! bounded (a flood is a typed error), and a node whose timer never advances cannot hang a run.

use imflow::node::{Event, Instant, Node, Transmit, Transport};
use imflow::sim::{Cast, Happening, SimConfig, SimError, SimNode, Simulation, StopReason};
use imflow_model::Scenario;
use std::net::SocketAddr;

/// Sends `count` numbered messages to `to` when its timer fires at 1 ms; records what it gets.
struct Tiny {
    me: SocketAddr,
    to: SocketAddr,
    count: usize,
    transport: Transport,
    sent: bool,
    stuck_timer: bool,
    out: Vec<Transmit>,
    got: Vec<Vec<u8>>,
}

impl Node for Tiny {
    fn handle_datagram(&mut self, _: Instant, _: SocketAddr, _: Transport, bytes: &[u8]) {
        self.got.push(bytes.to_vec());
    }
    fn handle_timeout(&mut self, _: Instant) {
        if !self.sent {
            self.sent = true;
            for i in 0..self.count {
                self.out.push(Transmit {
                    from: self.me,
                    to: self.to,
                    transport: self.transport,
                    bytes: format!("{i:06}").into_bytes().into(),
                });
            }
        }
    }
    fn poll_transmit(&mut self) -> Option<Transmit> {
        (!self.out.is_empty()).then(|| self.out.remove(0))
    }
    fn poll_event(&mut self) -> Option<Event> {
        None
    }
    fn poll_timeout(&self) -> Option<Instant> {
        (!self.sent || self.stuck_timer).then_some(Instant(1_000))
    }
    fn crash_and_restart(&mut self, _: Instant) {}
}

impl SimNode for Tiny {}

fn simulation(count: usize, transport: Transport, stuck_timer: bool) -> Simulation {
    let cast = Cast::new(&Scenario::seed());
    let nodes: Vec<Box<dyn SimNode>> = (0..cast.lanes.len())
        .map(|lane| {
            Box::new(Tiny {
                me: cast.address(lane),
                to: cast.address(1),
                count: if lane == 0 { count } else { 0 },
                transport,
                sent: lane != 0,
                stuck_timer: stuck_timer && lane == 0,
                out: Vec::new(),
                got: Vec::new(),
            }) as Box<dyn SimNode>
        })
        .collect();
    Simulation::with_nodes("tiny", cast, nodes, &SimConfig::with_faults(3)).expect("simulation")
}

#[test]
fn a_stream_delivers_in_the_order_it_was_sent() {
    let mut sim = simulation(200, Transport::Tcp, false);
    assert_eq!(sim.run(), Ok(StopReason::Quiescent));
    let run = sim.finish();
    let mut arrivals: Vec<(u64, usize)> = run
        .entries
        .iter()
        .enumerate()
        .filter_map(|(i, e)| match &e.what {
            Happening::Transmit {
                fate: imflow::sim::Fate::Delivered { at },
                ..
            } => Some((at.0, i)),
            _ => None,
        })
        .collect();
    assert_eq!(arrivals.len(), 200);
    let sent_order: Vec<usize> = arrivals.iter().map(|(_, i)| *i).collect();
    arrivals.sort();
    let arrival_order: Vec<usize> = arrivals.iter().map(|(_, i)| *i).collect();
    assert_eq!(arrival_order, sent_order);
}

#[test]
fn a_flood_beyond_the_in_flight_bound_is_a_typed_error() {
    let limit = imflow::sim::limits::IN_FLIGHT_DATAGRAMS_MAX;
    let mut sim = simulation(limit + 1, Transport::Udp, false);
    assert_eq!(sim.run(), Err(SimError::InFlightOverflow { limit }));
}

#[test]
fn a_timer_that_never_advances_stops_the_run_at_its_bound() {
    let mut sim = simulation(1, Transport::Udp, true);
    assert_eq!(sim.run(), Ok(StopReason::TimerWakeLimit));
    assert!(!sim.finish().is_quiescent());
}
