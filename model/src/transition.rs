//! The transition function: one action applied to a state. Network plumbing and faults live
//! here; what each role does with a message lives in `ua`, `server` and `cf`.

use crate::action::Action;
use crate::config::Config;
use crate::message::{entry_bit, ImHop, ImdnHop, Packet, ResponseHop};
use crate::state::{Registration, State, Store};

/// A state being changed by one action, with the configuration it runs under.
pub(crate) struct Step<'a> {
    /// The scenario's resolved configuration.
    pub cfg: &'a Config,
    /// The state under construction.
    pub s: State,
}

/// Applies `action` to `before`; `None` if the action is not enabled (its packet is not in flight).
pub fn apply(cfg: &Config, before: &State, action: Action) -> Option<State> {
    let mut step = Step {
        cfg,
        s: before.clone(),
    };
    match action {
        Action::Deliver(p) => {
            if !step.s.take(p) {
                return None;
            }
            step.deliver(p);
        }
        Action::Drop(p) => {
            if !step.s.take(p) {
                return None;
            }
            crate::budget::spend_drop(cfg, &mut step.s, &p);
            if cfg.retransmission {
                step.s.send(p.retransmitted_request()?);
            } else {
                step.lost(p);
            }
        }
        Action::Duplicate(p) => {
            if !step.s.in_flight(p) {
                return None;
            }
            crate::budget::spend_duplicate(cfg, &mut step.s, &p);
            step.s.send(p.duplicated());
        }
        Action::AggregationFlush(m) => step.flush(m),
        Action::DeferredExpiry { m, r } => step.expire(m, r),
        Action::CfStateExpiry(m) => {
            step.s.messages[usize::from(m)].cf = crate::state::CfPhase::Freed
        }
        Action::Crash(u) => step.crash(u),
    }
    Some(step.s)
}

impl Step<'_> {
    /// Hands a packet to its next hop.
    fn deliver(&mut self, p: Packet) {
        match p {
            Packet::Im { m, hop } => match hop {
                ImHop::SenderToServer => self.s.send(Packet::Im {
                    m,
                    hop: ImHop::ServerToCf,
                }),
                ImHop::ServerToCf => self.cf_receive_im(m),
                ImHop::CfToServer { r } => self.server_receive_leg(m, r),
                ImHop::ServerToUser { r, stored } => self.ua_receive_im(m, r, stored),
            },
            Packet::Response { m, code, hop } => match hop {
                ResponseHop::CfToServer => self.s.send(Packet::Response {
                    m,
                    code,
                    hop: ResponseHop::ServerToSender,
                }),
                ResponseHop::ServerToSender => self.ua_receive_response(m, code),
                ResponseHop::UserToServer { r, stored } => self.server_receive_ok(m, r, stored),
                ResponseHop::ServerToCf { r } => self.cf_receive_leg_response(m, r, code),
            },
            Packet::Imdn {
                m,
                r,
                status,
                hop,
                copy,
            } => match hop {
                ImdnHop::UserToServer => self.s.send(Packet::Imdn {
                    m,
                    r,
                    status,
                    hop: ImdnHop::ServerToCf,
                    copy,
                }),
                ImdnHop::ServerToCf => self.cf_receive_imdn(m, r, status),
                ImdnHop::CfToServer => self.s.send(Packet::Imdn {
                    m,
                    r,
                    status,
                    hop: ImdnHop::ServerToSender,
                    copy,
                }),
                ImdnHop::ServerToSender => {
                    self.ua_receive_notification(m, entry_bit(r, status), false, copy)
                }
            },
            Packet::Aggregate {
                m,
                entries,
                hop,
                copy,
            } => match hop {
                ImdnHop::ServerToSender => self.ua_receive_notification(m, entries, true, copy),
                _ => self.s.send(Packet::Aggregate {
                    m,
                    entries,
                    hop: ImdnHop::ServerToSender,
                    copy,
                }),
            },
            Packet::Register { u } => self.server_receive_register(u),
            Packet::RegisterOk { u } => {
                let user = &mut self.s.users[usize::from(u)];
                if user.registration == Registration::Registering {
                    user.registration = Registration::Registered;
                }
            }
        }
    }

    /// A participating server crashes and restarts: bindings and in-flight deferred deliveries
    /// are volatile (lost), the deferred store is durable; its user's next registration refresh
    /// (a REGISTER, in flight at once) binds it again.
    fn crash(&mut self, u: u8) {
        let ui = usize::from(u);
        self.s.crashes_used += 1;
        self.s.users[ui].bound = false;
        if self.s.users[ui].registration != Registration::Offline {
            self.s.users[ui].registration = Registration::Registering;
            self.s.send(Packet::Register { u });
        }
        for legs in self.s.legs[..self.cfg.messages].iter_mut() {
            if legs[ui].store == Store::Delivering {
                legs[ui].store = Store::Stored;
            }
        }
    }
}
