//! Losses without retransmission (`faults.retransmission = false`): the client transaction
//! that sent the lost request, or waits for the lost response, reaches Timer F. The client then
//! knows only that it does not know: a sender records a timeout, the CF counts the leg failed
//! (RFC 3261: 408 is synthesised locally, never sent), a deferring server keeps its copy and
//! tries again, a user agent sends REGISTER again after its back-off. A lost IMDN is gone.

use crate::message::{Code, ImHop, Packet, ResponseHop};
use crate::state::Store;
use crate::transition::Step;

impl Step<'_> {
    /// The network lost `p` and nobody retransmits it.
    pub(crate) fn lost(&mut self, p: Packet) {
        match p {
            Packet::Im { m, hop } => match hop {
                ImHop::SenderToServer | ImHop::ServerToCf => self.sender_times_out(m),
                ImHop::CfToServer { r } | ImHop::ServerToUser { r, stored: false } => {
                    self.cf_receive_leg_response(m, r, Code::Timeout408)
                }
                ImHop::ServerToUser { r, stored: true } => self.deferred_delivery_times_out(m, r),
            },
            Packet::Response { m, hop, .. } => match hop {
                ResponseHop::CfToServer | ResponseHop::ServerToSender => self.sender_times_out(m),
                ResponseHop::UserToServer { r, stored: false } | ResponseHop::ServerToCf { r } => {
                    self.cf_receive_leg_response(m, r, Code::Timeout408)
                }
                ResponseHop::UserToServer { r, stored: true } => {
                    self.deferred_delivery_times_out(m, r)
                }
            },
            Packet::Imdn { .. } | Packet::Aggregate { .. } => {}
            Packet::Register { u } | Packet::RegisterOk { u } => {
                self.s.send(Packet::Register { u })
            }
        }
    }

    /// The sender's transaction for IM `m` timed out (its first answer, if none came yet).
    fn sender_times_out(&mut self, m: u8) {
        let message = &mut self.s.messages[usize::from(m)];
        if message.response.is_none() {
            message.response = Some(Code::Timeout408);
        }
    }

    /// Recipient `r`'s server got no answer to its stored copy of `m`: it keeps the copy and
    /// sends it again (a new transaction).
    fn deferred_delivery_times_out(&mut self, m: u8, r: u8) {
        let leg = &mut self.s.legs[usize::from(m)][usize::from(r)];
        if leg.store == Store::Delivering {
            leg.store = Store::Stored;
            self.deliver_next_stored(r);
        }
    }
}
