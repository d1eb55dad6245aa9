//! How a step looks on a ladder diagram: lanes (User A, Server A, CF, Server B, User B, ...)
//! and, per action, the arrow's lanes and a label in protocol words.

use serde::Serialize;

use crate::action::Action;
use crate::message::{entries, status_word, ImHop, ImdnHop, Packet, ResponseHop};
use crate::model::GroupImModel;
use crate::state::State;

/// One step as a ladder arrow: lane indexes (equal for a local event) and a label.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct StepView {
    /// Lane the arrow starts at.
    pub from: usize,
    /// Lane the arrow ends at (equal to `from` for a timer, REGISTER decision or crash).
    pub to: usize,
    /// What happens, in protocol words.
    pub label: String,
}

/// A lane of the ladder.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Lane {
    User(u8),
    Server(u8),
    Cf,
}

impl GroupImModel {
    /// Ladder lanes in order: the first user and its server, the CF, then each other user's
    /// server and user.
    pub fn lanes(&self) -> Vec<String> {
        let users = self.config().users as u8;
        let mut lanes = vec![
            format!("User {}", self.user_name(0)),
            format!("Server {}", self.user_name(0)),
            "CF".to_string(),
        ];
        for u in 1..users {
            lanes.push(format!("Server {}", self.user_name(u)));
            lanes.push(format!("User {}", self.user_name(u)));
        }
        lanes
    }

    fn lane(&self, lane: Lane) -> usize {
        match lane {
            Lane::User(0) => 0,
            Lane::Server(0) => 1,
            Lane::Cf => 2,
            Lane::Server(u) => 1 + 2 * usize::from(u),
            Lane::User(u) => 2 + 2 * usize::from(u),
        }
    }

    fn sender_of(&self, m: u8) -> u8 {
        self.config().sender[usize::from(m)]
    }

    fn packet_lanes(&self, p: Packet) -> (Lane, Lane) {
        match p {
            Packet::Im { m, hop } => match hop {
                ImHop::SenderToServer => (
                    Lane::User(self.sender_of(m)),
                    Lane::Server(self.sender_of(m)),
                ),
                ImHop::ServerToCf => (Lane::Server(self.sender_of(m)), Lane::Cf),
                ImHop::CfToServer { r } => (Lane::Cf, Lane::Server(r)),
                ImHop::ServerToUser { r, .. } => (Lane::Server(r), Lane::User(r)),
            },
            Packet::Response { m, hop, .. } => match hop {
                ResponseHop::CfToServer => (Lane::Cf, Lane::Server(self.sender_of(m))),
                ResponseHop::ServerToSender => (
                    Lane::Server(self.sender_of(m)),
                    Lane::User(self.sender_of(m)),
                ),
                ResponseHop::UserToServer { r, .. } => (Lane::User(r), Lane::Server(r)),
                ResponseHop::ServerToCf { r } => (Lane::Server(r), Lane::Cf),
            },
            Packet::Imdn { m, r, hop, .. } => self.imdn_lanes(m, r, hop),
            Packet::Aggregate { m, hop, .. } => self.imdn_lanes(m, 0, hop),
            Packet::Register { u } => (Lane::User(u), Lane::Server(u)),
            Packet::RegisterOk { u } => (Lane::Server(u), Lane::User(u)),
        }
    }

    fn imdn_lanes(&self, m: u8, r: u8, hop: ImdnHop) -> (Lane, Lane) {
        let s = self.sender_of(m);
        match hop {
            ImdnHop::UserToServer => (Lane::User(r), Lane::Server(r)),
            ImdnHop::ServerToCf => (Lane::Server(r), Lane::Cf),
            ImdnHop::CfToServer => (Lane::Cf, Lane::Server(s)),
            ImdnHop::ServerToSender => (Lane::Server(s), Lane::User(s)),
        }
    }

    fn message_name(&self, m: u8) -> String {
        format!("m{}", u32::from(m) + 1)
    }

    /// The packet in protocol words, e.g. "MESSAGE IMDN m1 delivered(B)".
    pub fn describe_packet(&self, p: Packet) -> String {
        match p {
            Packet::Im { m, hop } => {
                let deferred = matches!(hop, ImHop::ServerToUser { stored: true, .. });
                format!(
                    "MESSAGE {}{}",
                    self.message_name(m),
                    if deferred { " (deferred copy)" } else { "" }
                )
            }
            Packet::Response { m, code, .. } => {
                format!("{} ({})", code.text(), self.message_name(m))
            }
            Packet::Imdn {
                m, r, status, copy, ..
            } => format!(
                "MESSAGE IMDN {} {}({}){}",
                self.message_name(m),
                status_word(status),
                self.user_name(r),
                if copy { " [copy]" } else { "" }
            ),
            Packet::Aggregate {
                m,
                entries: set,
                copy,
                ..
            } => {
                let parts: Vec<String> = entries(set)
                    .map(|(r, st)| format!("{}({})", status_word(st), self.user_name(r)))
                    .collect();
                format!(
                    "MESSAGE aggregated IMDN {} [{}]{}",
                    self.message_name(m),
                    parts.join(", "),
                    if copy { " [copy]" } else { "" }
                )
            }
            Packet::Register { .. } => "REGISTER".to_string(),
            Packet::RegisterOk { .. } => "200 OK (REGISTER)".to_string(),
        }
    }

    /// The action in protocol words (used by stateright's Explorer and traces).
    pub fn describe(&self, action: &Action) -> String {
        match *action {
            Action::Deliver(p) => self.describe_packet(p),
            Action::Drop(p) => format!("lost: {} (request retransmitted)", self.describe_packet(p)),
            Action::Duplicate(p) => format!("duplicated: {}", self.describe_packet(p)),
            Action::AggregationFlush(m) => {
                format!("T_agg fires: CF flushes IMDNs of {}", self.message_name(m))
            }
            Action::DeferredExpiry { m, r } => format!(
                "T_exp fires: Server {} discards stored {}",
                self.user_name(r),
                self.message_name(m)
            ),
            Action::CfStateExpiry(m) => {
                format!("T_state fires: CF frees state of {}", self.message_name(m))
            }
            Action::Crash(u) => format!("Server {} crashes and restarts", self.user_name(u)),
        }
    }

    /// The ladder arrow for taking `action` in `before`.
    pub fn step_view(&self, _before: &State, action: &Action) -> StepView {
        let local = |lane: Lane| (self.lane(lane), self.lane(lane));
        let (from, to) = match *action {
            Action::Deliver(p) | Action::Duplicate(p) => {
                let (a, b) = self.packet_lanes(p);
                (self.lane(a), self.lane(b))
            }
            Action::Drop(p) => {
                let (a, b) = self.packet_lanes(p);
                (self.lane(a), self.lane(b))
            }
            Action::AggregationFlush(_) | Action::CfStateExpiry(_) => local(Lane::Cf),
            Action::DeferredExpiry { r, .. } => local(Lane::Server(r)),
            Action::Crash(u) => local(Lane::Server(u)),
        };
        StepView {
            from,
            to,
            label: self.describe(action),
        }
    }
}
