//! The simulation itself: nodes, the work queue ordered by (instant, sequence), and the loop.

use super::cast::{Cast, Role};
use super::config::SimConfig;
use super::lane_timers::LaneTimers;
use super::limits::{
    ENTRIES_PER_IM_PER_USER_EXPECTED, HORIZON_MS, IN_FLIGHT_DATAGRAMS_MAX, REREGISTER_MS_MAX,
    REREGISTER_MS_MIN, RUN_ENTRIES_MAX, SCHEDULED_ACTIONS_MAX, TIMER_WAKES_MAX,
};
use super::network::FaultState;
use super::outcome::{SimRun, StopReason};
use super::record::{Entry, Happening};
use super::work_queue::WorkQueue;
use super::{SimError, SimNode};
use crate::cpim::DispositionSet;
use crate::node::{Event, Instant};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::collections::HashMap;

/// Something the queue holds until its instant.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Item {
    /// Deliver the transmit recorded at this entry index.
    Deliver { entry: usize },
    /// The user on this lane registers.
    Register { lane: usize },
    /// The user on this lane sends an IM (boxed: the queue moves its items on every push and
    /// pop, and deliveries, far more numerous, are small).
    SendIm(Box<ImToSend>),
    /// The server on this lane crashes and restarts.
    Crash { lane: usize },
}

/// An IM a user will send.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(super) struct ImToSend {
    lane: usize,
    to: String,
    dispositions: u8,
    text: String,
}

/// A scenario running on the simulated network.
pub struct Simulation {
    pub(super) scenario: String,
    pub(super) seed: u64,
    pub(super) cast: Cast,
    pub(super) nodes: Vec<Box<dyn SimNode>>,
    /// Deliveries and scheduled actions, by (instant, sequence number).
    queue: WorkQueue,
    pub(super) rng: ChaCha8Rng,
    pub(super) faults: FaultState,
    pub(super) entries: Vec<Entry>,
    pub(super) in_flight: usize,
    pub(super) now: Instant,
    /// Last arrival instant on each stream connection (from lane, to lane): streams keep order.
    pub(super) stream_tail: HashMap<(usize, usize), Instant>,
    pub(super) actions: usize,
    /// Whether the user agent on each lane has registered (its `Registered` event was seen).
    registered: Vec<bool>,
    /// Each node's `poll_timeout`, read after each drain (only an input changes it).
    timeouts: LaneTimers,
    /// IMs waiting for their sender's first registration, per lane (a scenario's senders are
    /// registered when they send).
    parked: Vec<Vec<Item>>,
    /// Record entries the scheduled IMs are expected to add (see
    /// [`super::limits::ENTRIES_PER_IM_PER_USER_EXPECTED`]).
    entries_expected: usize,
    wakes: usize,
    stop: Option<StopReason>,
}

impl Simulation {
    /// A simulation of `scenario` on the implementation's roles, with its schedule drawn from
    /// the seed.
    pub fn new(
        scenario: &imflow_model::Scenario,
        config: &SimConfig,
    ) -> Result<Simulation, SimError> {
        scenario
            .validate()
            .map_err(|e| SimError::Scenario(e.to_string()))?;
        let cast = Cast::new(scenario);
        let nodes = super::build::nodes(&cast, scenario, config.seed)?;
        let mut simulation = Simulation::with_nodes(&scenario.name, cast, nodes, config)?;
        super::schedule::schedule(&mut simulation, scenario, config)?;
        Ok(simulation)
    }

    /// A simulation of the given nodes (one per lane of `cast`), with nothing scheduled yet
    /// but the scripted crashes of `config`.
    pub fn with_nodes(
        scenario: &str,
        cast: Cast,
        nodes: Vec<Box<dyn SimNode>>,
        config: &SimConfig,
    ) -> Result<Simulation, SimError> {
        let faults = FaultState::new(&cast, config)?;
        let lanes = cast.lanes.len();
        let timeouts = LaneTimers::new(nodes.iter().map(|n| n.poll_timeout()).collect());
        Ok(Simulation {
            scenario: scenario.to_string(),
            seed: config.seed,
            cast,
            nodes,
            queue: WorkQueue::default(),
            rng: ChaCha8Rng::seed_from_u64(config.seed),
            faults,
            entries: Vec::new(),
            in_flight: 0,
            now: Instant(0),
            stream_tail: HashMap::new(),
            actions: 0,
            registered: vec![false; lanes],
            timeouts,
            parked: vec![Vec::new(); lanes],
            entries_expected: 0,
            wakes: 0,
            stop: None,
        })
    }

    /// The actors of this run.
    pub fn cast(&self) -> &Cast {
        &self.cast
    }

    /// Schedules: the user on `lane` registers at `at`.
    pub fn schedule_register(&mut self, lane: usize, at: Instant) -> Result<(), SimError> {
        self.schedule(at, Item::Register { lane })
    }

    /// Schedules: the user on `lane` sends `text` to `to` at `at`.
    pub fn schedule_im(
        &mut self,
        lane: usize,
        at: Instant,
        to: &str,
        dispositions: DispositionSet,
        text: &str,
    ) -> Result<(), SimError> {
        let bits = crate::cpim::Disposition::ALL
            .iter()
            .enumerate()
            .filter(|(_, d)| dispositions.contains(**d))
            .fold(0u8, |acc, (i, _)| acc | 1 << i);
        self.entries_expected = self
            .entries_expected
            .saturating_add(ENTRIES_PER_IM_PER_USER_EXPECTED * self.cast.users.len());
        self.schedule(
            at,
            Item::SendIm(Box::new(ImToSend {
                lane,
                to: to.to_string(),
                dispositions: bits,
                text: text.to_string(),
            })),
        )
    }

    /// Schedules: the participating server on `lane` crashes and restarts at `at`.
    pub fn schedule_crash(&mut self, lane: usize, at: Instant) -> Result<(), SimError> {
        self.schedule(at, Item::Crash { lane })
    }

    fn schedule(&mut self, at: Instant, item: Item) -> Result<(), SimError> {
        if self.actions >= SCHEDULED_ACTIONS_MAX {
            return Err(SimError::TooManyActions {
                limit: SCHEDULED_ACTIONS_MAX,
            });
        }
        self.actions += 1;
        self.push(at, item);
        Ok(())
    }

    pub(super) fn push(&mut self, at: Instant, item: Item) {
        self.queue.push(at, item);
    }

    /// Runs until quiescent or a bound is hit (see [`StopReason`]).
    pub fn run(&mut self) -> Result<StopReason, SimError> {
        let horizon = Instant(0).plus_millis(HORIZON_MS);
        // The record sized once for what is scheduled (never past its bound).
        let expected = self.entries_expected.min(RUN_ENTRIES_MAX);
        self.entries
            .reserve_exact(expected.saturating_sub(self.entries.len()));
        loop {
            if let Some(stop) = self.stop {
                return Ok(stop);
            }
            if self.entries.len() >= RUN_ENTRIES_MAX {
                self.stop = Some(StopReason::EntryLimit);
                continue;
            }
            let timer = self.timeouts.earliest();
            let queued = self.queue.earliest();
            let next_is_timer = match (timer, queued) {
                (Some((t, _)), Some(q)) => t <= q,
                (Some(_), None) => true,
                (None, _) => false,
            };
            let at = if next_is_timer {
                timer.map(|(t, _)| t)
            } else {
                queued
            };
            match at {
                None => self.stop = Some(StopReason::Quiescent),
                Some(at) if at > horizon => {
                    self.stop = Some(if self.in_flight == 0 {
                        StopReason::Quiescent
                    } else {
                        StopReason::Horizon
                    })
                }
                Some(at) => {
                    self.now = self.now.max(at);
                    if let (true, Some((_, lane))) = (next_is_timer, timer) {
                        self.wake(lane)?;
                    } else if let Some(item) = self.queue.pop() {
                        self.handle(item)?;
                    }
                }
            }
        }
    }

    fn wake(&mut self, lane: usize) -> Result<(), SimError> {
        self.wakes += 1;
        if self.wakes > TIMER_WAKES_MAX {
            self.stop = Some(StopReason::TimerWakeLimit);
            return Ok(());
        }
        let now = self.now;
        if let Some(node) = self.nodes.get_mut(lane) {
            node.handle_timeout(now);
        }
        self.drain(lane)
    }

    fn handle(&mut self, item: Item) -> Result<(), SimError> {
        let now = self.now;
        let lane = match item {
            Item::Deliver { entry } => {
                self.in_flight = self.in_flight.saturating_sub(1);
                let Some(Entry {
                    lane: from,
                    what:
                        Happening::Transmit {
                            to,
                            transport,
                            bytes,
                            ..
                        },
                    ..
                }) = self.entries.get(entry)
                else {
                    return Ok(());
                };
                let source = self.cast.address(*from);
                if let Some(node) = self.nodes.get_mut(*to) {
                    node.handle_datagram(now, source, *transport, bytes);
                }
                *to
            }
            Item::Register { lane } => {
                if let Some(node) = self.nodes.get_mut(lane) {
                    node.register(now);
                }
                lane
            }
            Item::SendIm(ref im) if !self.registered.get(im.lane).copied().unwrap_or(true) => {
                let lane = im.lane;
                if let Some(parked) = self.parked.get_mut(lane) {
                    parked.push(item);
                }
                return Ok(());
            }
            Item::SendIm(im) => {
                let ImToSend {
                    lane,
                    to,
                    dispositions,
                    text,
                } = *im;
                let set = crate::cpim::Disposition::ALL
                    .iter()
                    .enumerate()
                    .filter(|(i, _)| dispositions & (1 << i) != 0)
                    .fold(DispositionSet::EMPTY, |set, (_, d)| set.with(*d));
                if let Some(node) = self.nodes.get_mut(lane) {
                    node.send_im(now, &to, set, &text);
                }
                lane
            }
            Item::Crash { lane } => {
                if let Some(node) = self.nodes.get_mut(lane) {
                    node.crash_and_restart(now);
                }
                self.reregister_after_crash(lane);
                self.entries.push(Entry {
                    at: now,
                    lane,
                    what: Happening::Crash,
                });
                lane
            }
        };
        self.drain(lane)
    }

    /// The drain contract: every transmit onto the network, every event into the record.
    fn drain(&mut self, lane: usize) -> Result<(), SimError> {
        while let Some(transmit) = self.nodes.get_mut(lane).and_then(|n| n.poll_transmit()) {
            if self.in_flight >= IN_FLIGHT_DATAGRAMS_MAX {
                return Err(SimError::InFlightOverflow {
                    limit: IN_FLIGHT_DATAGRAMS_MAX,
                });
            }
            self.send(lane, transmit);
        }
        while let Some(event) = self.nodes.get_mut(lane).and_then(|n| n.poll_event()) {
            if matches!(event, Event::Registered { .. }) {
                self.on_registered(lane);
            }
            self.entries.push(Entry {
                at: self.now,
                lane,
                what: Happening::Event(event),
            });
        }
        if let Some(node) = self.nodes.get(lane) {
            self.timeouts.set(lane, node.poll_timeout());
        }
        Ok(())
    }

    /// The server on `lane` lost its bindings: its user, if registered, registers again soon (as
    /// a refresh after the registrar's restart would), so deliveries to it can resume.
    fn reregister_after_crash(&mut self, lane: usize) {
        let Some(Role::ParticipatingFunction { user }) = self.cast.roles.get(lane) else {
            return;
        };
        let Some(ua_lane) = self.cast.users.get(*user).map(|u| u.ua_lane) else {
            return;
        };
        if self.registered.get(ua_lane).copied().unwrap_or(false) {
            let ms = self.rng.random_range(REREGISTER_MS_MIN..=REREGISTER_MS_MAX);
            self.push(self.now.plus_millis(ms), Item::Register { lane: ua_lane });
        }
    }

    /// The user on `lane` registered: its parked IMs go out now.
    fn on_registered(&mut self, lane: usize) {
        if let Some(flag) = self.registered.get_mut(lane) {
            *flag = true;
        }
        let parked = self
            .parked
            .get_mut(lane)
            .map(std::mem::take)
            .unwrap_or_default();
        for item in parked {
            self.push(self.now, item);
        }
    }

    /// The finished run.
    pub fn finish(self) -> SimRun {
        SimRun {
            scenario: self.scenario,
            seed: self.seed,
            faults: self.faults.seeded,
            cast: self.cast,
            entries: self.entries,
            stop: self.stop.unwrap_or(StopReason::Horizon),
            end: self.now,
            timer_wakes: self.wakes,
        }
    }
}
