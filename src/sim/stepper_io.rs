//! The controlled run's plumbing: delivering a message, crashing a server, draining a node
//! (the drain contract of [`crate::node`]) and recording every transmit and event, in the same
//! run-record shape as the seeded run so the monitors and traces read it unchanged.

use super::actor::Actor;
use super::outcome::{SimRun, StopReason};
use super::record::{Entry, Fate, Happening};
use super::stepper::{Applied, InFlight, Stepper, STEPPER_IN_FLIGHT_MAX};
use super::SimError;
use crate::node::{Bytes, Registration, Transport};

impl Stepper {
    pub(super) fn datagram(&self, i: usize) -> Option<InFlight> {
        self.in_flight
            .get(i)
            .copied()
            .filter(|f| f.transport == Transport::Udp)
    }

    pub(super) fn deliver(&mut self, flight: InFlight) -> Result<Applied, SimError> {
        let now = self.now;
        let source = self.cast.address(flight.from);
        let Some(Happening::Transmit { bytes, fate, .. }) =
            self.entries.get_mut(flight.entry).map(|e| &mut e.what)
        else {
            return Err(SimError::NotOffered(format!("entry {}", flight.entry)));
        };
        *fate = Fate::Delivered { at: now };
        let bytes = bytes.clone();
        let absorbed = self
            .actors
            .get(flight.to)
            .is_some_and(|a| super::absorb::is_retransmission(a, &bytes));
        if let Some(actor) = self.actors.get_mut(flight.to) {
            actor.handle_datagram(now, source, flight.transport, &bytes);
        }
        self.drain(flight.to)?;
        Ok(Applied::Delivered {
            entry: flight.entry,
            absorbed,
        })
    }

    pub(super) fn crash(&mut self, user: usize) -> Result<(), SimError> {
        let Some(u) = self.cast.users.get(user).cloned() else {
            return Err(SimError::UnknownActor(format!("user {user}")));
        };
        let now = self.now;
        if let Some(actor) = self.actors.get_mut(u.server_lane) {
            actor.node_mut().crash_and_restart(now);
        }
        // The crash loses what the server had queued; its datagrams already sent stay in flight.
        self.entries.push(Entry {
            at: now,
            lane: u.server_lane,
            what: Happening::Crash,
        });
        self.drain(u.server_lane)?;
        let online = matches!(
            self.actors.get(u.ua_lane),
            Some(Actor::UserAgent(ua)) if !matches!(ua.registration(), Registration::Unregistered { .. })
        );
        if online {
            self.register(u.ua_lane)?;
        }
        Ok(())
    }

    /// The drain contract: every transmit onto the network, every event into the record.
    pub(super) fn drain(&mut self, lane: usize) -> Result<(), SimError> {
        while let Some(t) = self.actors.get_mut(lane).and_then(Actor::poll_transmit) {
            match self.cast.lane_of(t.to) {
                Some(to) => {
                    self.record(lane, to, t.transport, t.bytes, false)?;
                }
                None => self.entries.push(Entry {
                    at: self.now,
                    lane,
                    what: Happening::Transmit {
                        to: lane,
                        transport: t.transport,
                        bytes: t.bytes,
                        fate: Fate::Unroutable,
                        duplicate: false,
                    },
                }),
            }
        }
        while let Some(event) = self.actors.get_mut(lane).and_then(Actor::poll_event) {
            self.entries.push(Entry {
                at: self.now,
                lane,
                what: Happening::Event(event),
            });
        }
        Ok(())
    }

    pub(super) fn record(
        &mut self,
        from: usize,
        to: usize,
        transport: Transport,
        bytes: Bytes,
        duplicate: bool,
    ) -> Result<usize, SimError> {
        if self.in_flight.len() >= STEPPER_IN_FLIGHT_MAX {
            return Err(SimError::InFlightOverflow {
                limit: STEPPER_IN_FLIGHT_MAX,
            });
        }
        let entry = self.entries.len();
        self.entries.push(Entry {
            at: self.now,
            lane: from,
            what: Happening::Transmit {
                to,
                transport,
                bytes,
                fate: Fate::Delivered { at: self.now },
                duplicate,
            },
        });
        self.in_flight.push(InFlight {
            entry,
            from,
            to,
            transport,
        });
        Ok(entry)
    }

    /// The run as the monitors and traces read it.
    pub fn finish(self) -> SimRun {
        let stop = if self.is_quiescent() {
            StopReason::Quiescent
        } else {
            StopReason::Horizon
        };
        SimRun {
            scenario: self.scenario,
            seed: 0,
            faults: true,
            cast: self.cast,
            entries: self.entries,
            stop,
            end: self.now,
            timer_wakes: self.timer_wakes,
        }
    }
}
