//! The participating server (protocol.md section 7.2), terminating side: proxy to a registered
//! user, defer (store, 202) for an unregistered one, deliver stored copies after REGISTER, expire
//! them on `T_exp`. The originating side and IMDN relaying are plain hops (see `transition`).

use crate::message::{Code, ImHop, ImdnHop, Packet, ResponseHop, FAILED, STORED};
use crate::state::{Store, RELAY_ANSWERED_200, STORE_DELIVERED, STORE_EXPIRED};
use crate::transition::Step;

impl Step<'_> {
    /// Recipient `r`'s server gets the fan-out leg of `m`.
    pub(crate) fn server_receive_leg(&mut self, m: u8, r: u8) {
        let (mi, ri) = (usize::from(m), usize::from(r));
        if self.s.users[ri].bound {
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
            self.s.legs[mi][ri].store = Store::Stored;
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

    /// Sends the oldest stored copy for user `u` if it is bound and none is in flight (FIFO).
    pub(crate) fn deliver_next_stored(&mut self, u: u8) {
        let ui = usize::from(u);
        if !self.s.users[ui].bound {
            return;
        }
        let legs = &mut self.s.legs[..self.cfg.messages];
        if legs.iter().any(|l| l[ui].store == Store::Delivering) {
            return;
        }
        if let Some(m) = legs.iter().position(|l| l[ui].store == Store::Stored) {
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
        leg.store = Store::Expired;
        leg.history |= STORE_EXPIRED;
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
}
