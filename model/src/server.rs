//! The participating server (protocol.md section 7.2), terminating side: proxy to a registered
//! user, defer (store, 202) for an unregistered one, deliver stored copies after REGISTER, expire
//! them on `T_exp`. The originating side and IMDN relaying are plain hops (see `transition`).
//!
//! # Store order
//! A user's stored copies are handed over in the order they were stored, one at a time
//! (protocol.md section 7.2: `Stored --REGISTER(U) ok--> Delivering`, "FIFO, one in flight per
//! contact"), not in the order of the IMs' indices: two IMs can reach an offline user's server
//! in either order. Each held copy carries its place in its user's queue
//! ([`crate::state::Leg::queue_position`]): a new copy goes last, a resolved one (delivered or
//! expired) leaves and the copies behind it move up. Only the relative order of the copies still
//! held is kept, so the state stays as small as the order requires.
//!
//! An IM for a bound user whose server still holds copies for it (the user registered and their
//! delivery is under way) is stored behind them and answered 202, not proxied past them: it
//! would overtake the older copies, against FIFO, and put a second MESSAGE in flight from the
//! server to the user (S12, RFC 3428 section 8, "one in flight per contact"). It goes out when
//! its turn comes, like any stored copy.

use crate::message::{Code, ImHop, ImdnHop, Packet, ResponseHop, FAILED, STORED};
use crate::state::{Store, RELAY_ANSWERED_200, STORE_DELIVERED, STORE_EXPIRED};
use crate::transition::Step;

impl Step<'_> {
    /// Recipient `r`'s server gets the fan-out leg of `m`: proxied to a bound user with no
    /// copies waiting; stored (202) for an unbound one, or behind the copies still waiting for a
    /// bound one (see the module docs); 480 without deferral.
    pub(crate) fn server_receive_leg(&mut self, m: u8, r: u8) {
        let (mi, ri) = (usize::from(m), usize::from(r));
        let queued = self.held_copies(r);
        if self.s.users[ri].bound && queued == 0 {
            self.s.send(Packet::Im {
                m,
                hop: ImHop::ServerToUser { r, stored: false },
            });
            return;
        }
        let store = self.s.legs[mi][ri].store;
        if store == Store::Empty && !self.cfg.deferral {
            self.s.send(Packet::Response {
                m,
                code: Code::Unavailable480,
                hop: ResponseHop::ServerToCf { r },
            });
            return;
        }
        let code = if self.cfg.variants.server_answers_200_when_storing {
            self.s.legs[mi][ri].history |= RELAY_ANSWERED_200;
            Code::Ok200
        } else {
            Code::Accepted202
        };
        self.s.send(Packet::Response {
            m,
            code,
            hop: ResponseHop::ServerToCf { r },
        });
        if store == Store::Empty {
            let leg = &mut self.s.legs[mi][ri];
            leg.store = Store::Stored;
            leg.queue_position = queued;
            if self.cfg.requests(m, STORED) {
                self.s.send(Packet::Imdn {
                    m,
                    r,
                    status: STORED,
                    hop: ImdnHop::ServerToCf,
                    copy: false,
                });
            }
        }
        self.deliver_next_stored(r);
    }

    /// Recipient `r`'s server gets its agent's 200: relayed to the CF for a proxied leg; for the
    /// stored copy it resolves the deferral as delivered.
    pub(crate) fn server_receive_ok(&mut self, m: u8, r: u8, stored: bool) {
        let (mi, ri) = (usize::from(m), usize::from(r));
        if !stored {
            self.s.send(Packet::Response {
                m,
                code: Code::Ok200,
                hop: ResponseHop::ServerToCf { r },
            });
            return;
        }
        let leg = &mut self.s.legs[mi][ri];
        match leg.store {
            Store::Delivering => {
                leg.store = Store::Delivered;
                leg.history |= STORE_DELIVERED;
                self.leave_queue(m, r);
                self.deliver_next_stored(r);
            }
            Store::Expired if self.cfg.variants.deferred_delivered_and_expired => {
                leg.history |= STORE_DELIVERED;
            }
            _ => {}
        }
    }

    /// User `u`'s server gets REGISTER: binds, answers 200, starts delivering stored copies.
    pub(crate) fn server_receive_register(&mut self, u: u8) {
        let ui = usize::from(u);
        if !self.s.users[ui].bound {
            self.s.users[ui].bound = true;
            self.deliver_next_stored(u);
        }
        self.s.send(Packet::RegisterOk { u });
    }

    /// Sends the oldest stored copy for user `u` (first in store order) if it is bound and none
    /// is in flight (FIFO).
    pub(crate) fn deliver_next_stored(&mut self, u: u8) {
        let ui = usize::from(u);
        if !self.s.users[ui].bound {
            return;
        }
        let legs = &mut self.s.legs[..self.cfg.messages];
        if legs.iter().any(|l| l[ui].store == Store::Delivering) {
            return;
        }
        let oldest = (0..legs.len())
            .filter(|m| legs[*m][ui].store == Store::Stored)
            .min_by_key(|m| legs[*m][ui].queue_position);
        if let Some(m) = oldest {
            legs[m][ui].store = Store::Delivering;
            self.s.send(Packet::Im {
                m: m as u8,
                hop: ImHop::ServerToUser { r: u, stored: true },
            });
        }
    }

    /// `T_exp`: recipient `r`'s server discards its stored copy of `m`; a `failed` IMDN goes to
    /// the sender iff negative-delivery was requested.
    pub(crate) fn expire(&mut self, m: u8, r: u8) {
        let leg = &mut self.s.legs[usize::from(m)][usize::from(r)];
        let was_delivering = leg.store == Store::Delivering;
        let was_held = leg.store.holds();
        leg.store = Store::Expired;
        leg.history |= STORE_EXPIRED;
        if was_held {
            self.leave_queue(m, r);
        }
        if self.cfg.requests(m, FAILED) {
            self.s.send(Packet::Imdn {
                m,
                r,
                status: FAILED,
                hop: ImdnHop::ServerToCf,
                copy: false,
            });
        }
        if was_delivering {
            self.deliver_next_stored(r);
        }
    }

    /// How many copies user `u`'s server holds (stored or in delivery): the queue position of
    /// the next copy it stores.
    fn held_copies(&self, u: u8) -> u8 {
        let ui = usize::from(u);
        self.s.legs[..self.cfg.messages]
            .iter()
            .filter(|l| l[ui].store.holds())
            .count() as u8
    }

    /// Copy `m` of user `r` has just been resolved: it leaves its user's queue and the copies
    /// stored after it move up one place.
    fn leave_queue(&mut self, m: u8, r: u8) {
        let ri = usize::from(r);
        let mi = usize::from(m);
        let left = std::mem::take(&mut self.s.legs[mi][ri].queue_position);
        for legs in self.s.legs[..self.cfg.messages].iter_mut() {
            let leg = &mut legs[ri];
            if leg.store.holds() && leg.queue_position > left {
                leg.queue_position -= 1;
            }
        }
    }
}
