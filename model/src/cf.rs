//! The Controlling Function (protocol.md section 7.3): membership check and 403, 202 and
//! fan-out to every member except the sender, leg bookkeeping, IMDN dedupe, aggregation
//! (flush when every reached leg reported and no leg is pending, or on `T_agg`) or forwarding.
//!
//! # What "every ReachedUA leg has reported" means
//! protocol.md section 7.3 step 5 flushes when `buffer ≠ ∅ ∧ (T_agg fired ∨ (every ReachedUA
//! leg has reported ∧ no leg Pending))`. A recipient sends `delivered` only when the sender asked
//! for positive-delivery (section 7.1, recipient step 3; RFC 5438 section 7.2.1), and that is the
//! only report a leg that reached its agent owes: so a reached leg has reported when its
//! `delivered` was accepted, or when positive-delivery was not requested and nothing is owed.
//! Waiting for a report nobody will send would leave the buffer to `T_agg` alone (and with
//! `T_agg` off, unflushed for ever, against L5).

use crate::message::{entry_bit, Code, ImHop, ImdnHop, Packet, ResponseHop, DELIVERED, FAILED};
use crate::scenario::Aggregation;
use crate::state::{CfLeg, CfPhase, DELIVERY_INFERRED_FROM_202};
use crate::transition::Step;

impl Step<'_> {
    /// The CF gets group IM `m`: 403 for a non-member; 202 and fan-out the first time; 202
    /// again and nothing else for a copy (dedupe on the sender's Message-ID).
    pub(crate) fn cf_receive_im(&mut self, m: u8) {
        let mi = usize::from(m);
        let sender = self.cfg.sender[mi];
        if !self.cfg.is_member(sender) {
            self.answer_sender(m, Code::Forbidden403);
            return;
        }
        self.answer_sender(m, Code::Accepted202);
        if self.s.messages[mi].cf != CfPhase::Idle {
            return;
        }
        self.s.messages[mi].cf = CfPhase::Active;
        for r in 0..self.cfg.members as u8 {
            if r == sender && !self.cfg.variants.fanout_includes_sender {
                continue;
            }
            let leg = &mut self.s.legs[mi][usize::from(r)];
            leg.fanout = (leg.fanout + 1).min(2);
            leg.cf = CfLeg::Pending;
            self.s.send(Packet::Im {
                m,
                hop: ImHop::CfToServer { r },
            });
        }
    }

    fn answer_sender(&mut self, m: u8, code: Code) {
        self.s.send(Packet::Response {
            m,
            code,
            hop: ResponseHop::CfToServer,
        });
    }

    /// The CF gets leg `r`'s final response: 200 = reached the agent, 202 = relayed (says
    /// nothing about delivery), 480 or its own timeout = failed (a `failed` for r if
    /// negative-delivery requested).
    pub(crate) fn cf_receive_leg_response(&mut self, m: u8, r: u8, code: Code) {
        let (mi, ri) = (usize::from(m), usize::from(r));
        if self.s.messages[mi].cf != CfPhase::Active || self.s.legs[mi][ri].cf != CfLeg::Pending {
            return;
        }
        match code {
            Code::Ok200 => self.s.legs[mi][ri].cf = CfLeg::ReachedUa,
            Code::Accepted202 if self.cfg.variants.cf_counts_202_as_delivered => {
                self.s.legs[mi][ri].cf = CfLeg::ReachedUa;
                self.s.legs[mi][ri].history |= DELIVERY_INFERRED_FROM_202;
                self.accept_notification(m, r, DELIVERED);
            }
            Code::Accepted202 => self.s.legs[mi][ri].cf = CfLeg::Relayed,
            Code::Forbidden403 | Code::Unavailable480 | Code::Timeout408 => {
                self.s.legs[mi][ri].cf = CfLeg::Failed;
                self.accept_notification(m, r, FAILED);
            }
        }
        self.flush_if_complete(m);
    }

    /// The CF gets an IMDN for (m, r) from r's server.
    pub(crate) fn cf_receive_imdn(&mut self, m: u8, r: u8, status: u8) {
        self.accept_notification(m, r, status);
        self.flush_if_complete(m);
    }

    /// Takes one notification into the CF's bookkeeping: consumed if the record is gone, the
    /// status was not requested, or (m, r, status) was already reported; else forwarded at once
    /// or buffered, per policy.
    fn accept_notification(&mut self, m: u8, r: u8, status: u8) {
        let (mi, ri) = (usize::from(m), usize::from(r));
        if self.s.messages[mi].cf != CfPhase::Active || !self.cfg.requests(m, status) {
            return;
        }
        let leg = &mut self.s.legs[mi][ri];
        if leg.reported & status != 0 && !self.cfg.variants.cf_forwards_duplicate_imdn {
            return;
        }
        leg.reported |= status;
        match self.cfg.aggregation {
            Aggregation::ForwardEach => self.s.send(Packet::Imdn {
                m,
                r,
                status,
                hop: ImdnHop::CfToServer,
                copy: false,
            }),
            Aggregation::Aggregate => leg.buffered |= status,
        }
    }

    /// Flushes the buffer of `m` once it is non-empty, no leg is pending and every leg that
    /// reached its agent has reported what it owes: its `delivered`, if positive-delivery was
    /// requested (see the module docs).
    fn flush_if_complete(&mut self, m: u8) {
        let mi = usize::from(m);
        if self.cfg.aggregation != Aggregation::Aggregate
            || self.s.messages[mi].cf != CfPhase::Active
        {
            return;
        }
        let owed = self.cfg.requests(m, DELIVERED);
        let legs = &self.s.legs[mi][..self.cfg.users];
        let any_buffered = legs.iter().any(|leg| leg.buffered != 0);
        let complete = legs.iter().all(|leg| match leg.cf {
            CfLeg::Pending => false,
            CfLeg::ReachedUa => !owed || leg.reported & DELIVERED != 0,
            _ => true,
        });
        if any_buffered && complete {
            self.flush(m);
        }
    }

    /// Sends the buffer of `m` to the sender: one entry as a single IMDN, more as one
    /// aggregated IMDN (multipart/mixed).
    pub(crate) fn flush(&mut self, m: u8) {
        let mi = usize::from(m);
        let mut set = 0u32;
        let mut single = None;
        for (r, leg) in self.s.legs[mi][..self.cfg.users].iter_mut().enumerate() {
            for status in crate::message::STATUSES {
                if leg.buffered & status != 0 {
                    set |= entry_bit(r as u8, status);
                    single = Some((r as u8, status));
                }
            }
            leg.buffered = 0;
        }
        match (set.count_ones(), single) {
            (0, _) | (_, None) => {}
            (1, Some((r, status))) => self.s.send(Packet::Imdn {
                m,
                r,
                status,
                hop: ImdnHop::CfToServer,
                copy: false,
            }),
            _ => self.s.send(Packet::Aggregate {
                m,
                entries: set,
                hop: ImdnHop::CfToServer,
                copy: false,
            }),
        }
    }
}
