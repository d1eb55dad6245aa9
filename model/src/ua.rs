//! The user agent (protocol.md section 7.1): recipient side (accept once, answer 200, send the
//! delivery IMDN) and sender side (record the final response and the notifications).

use crate::message::{entries, status_index, Code, ImdnHop, Packet, ResponseHop, DELIVERED};
use crate::state::DELIVERED_BEFORE_ACCEPT;
use crate::transition::Step;

impl Step<'_> {
    /// Recipient `r`'s agent gets IM `m`: the first copy is handed to the user, answered 200 and,
    /// if requested, acknowledged with one `delivered` IMDN; a later copy (same Message-ID) is
    /// only answered 200 again.
    pub(crate) fn ua_receive_im(&mut self, m: u8, r: u8, stored: bool) {
        let leg = &mut self.s.legs[usize::from(m)][usize::from(r)];
        let first = leg.accepted == 0;
        if first || self.cfg.variants.ua_redelivers_retransmitted_im {
            leg.accepted = (leg.accepted + 1).min(2);
        }
        self.s.send(Packet::Response {
            m,
            code: Code::Ok200,
            hop: ResponseHop::UserToServer { r, stored },
        });
        if first && self.cfg.requests(m, DELIVERED) {
            self.s.send(Packet::Imdn {
                m,
                r,
                status: DELIVERED,
                hop: ImdnHop::UserToServer,
                copy: false,
            });
        }
    }

    /// The sender's agent gets the final response to its IM (the first one counts).
    pub(crate) fn ua_receive_response(&mut self, m: u8, code: Code) {
        let message = &mut self.s.messages[usize::from(m)];
        if message.response.is_none() {
            message.response = Some(code);
        }
    }

    /// The sender's agent gets a notification (single or aggregated) about `m`. A network copy
    /// of a MESSAGE it already has is recognised and ignored; everything else is recorded.
    pub(crate) fn ua_receive_notification(&mut self, m: u8, set: u32, aggregate: bool, copy: bool) {
        let mi = usize::from(m);
        let sender = self.cfg.sender[mi];
        self.s.messages[mi].notified_users |= 1 << sender;
        if copy {
            return;
        }
        if aggregate {
            let message = &mut self.s.messages[mi];
            message.aggregates_received = (message.aggregates_received + 1).min(2);
        }
        for (r, status) in entries(set) {
            let offline = self.cfg.starts_offline(r);
            let before_aggregate = self.s.messages[mi].aggregates_received == 0;
            let leg = &mut self.s.legs[mi][usize::from(r)];
            let count = &mut leg.notified[status_index(status)];
            *count = (*count + 1).min(2);
            if status == DELIVERED {
                if aggregate {
                    leg.via_aggregate = true;
                }
                if leg.accepted == 0 {
                    leg.history |= DELIVERED_BEFORE_ACCEPT;
                }
            }
            if !aggregate && offline && before_aggregate {
                self.s.messages[mi].deferred_before_aggregate = true;
            }
        }
    }
}
