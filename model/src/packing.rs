//! A lossless packing of the state into 64-bit words, used for its `Hash`: a few multiply-folds
//! per state instead of one per byte-sized field. Lossless matters: the checker keeps only
//! fingerprints, so two different states must never hash the same input words.

use std::hash::{Hash, Hasher};

use crate::limits::MESSAGES_MAX;
use crate::message::{status_index, Code, ImHop, ImdnHop, Packet, ResponseHop};
use crate::state::{Leg, MessageState, State, UserState};

fn code_bits(code: Code) -> u32 {
    match code {
        Code::Ok200 => 0,
        Code::Accepted202 => 1,
        Code::Forbidden403 => 2,
        Code::Unavailable480 => 3,
        Code::Timeout408 => 4,
    }
}

fn imdn_hop_bits(hop: ImdnHop) -> u32 {
    match hop {
        ImdnHop::UserToServer => 0,
        ImdnHop::ServerToCf => 1,
        ImdnHop::CfToServer => 2,
        ImdnHop::ServerToSender => 3,
    }
}

/// Packs a packet into 32 bits: 3-bit kind, 2-bit message, then the kind's fields.
pub fn pack_packet(p: &Packet) -> u32 {
    let (kind, m, rest): (u32, u8, u32) = match *p {
        Packet::Im { m, hop } => (
            0,
            m,
            match hop {
                ImHop::SenderToServer => 0,
                ImHop::ServerToCf => 1,
                ImHop::CfToServer { r } => 2 | u32::from(r) << 3,
                ImHop::ServerToUser { r, stored } => 3 | u32::from(r) << 3 | u32::from(stored) << 6,
            },
        ),
        Packet::Response { m, code, hop } => (
            1,
            m,
            code_bits(code)
                | match hop {
                    ResponseHop::CfToServer => 0,
                    ResponseHop::ServerToSender => 1 << 3,
                    ResponseHop::UserToServer { r, stored } => {
                        2 << 3 | u32::from(r) << 5 | u32::from(stored) << 8
                    }
                    ResponseHop::ServerToCf { r } => 3 << 3 | u32::from(r) << 5,
                },
        ),
        Packet::Imdn {
            m,
            r,
            status,
            hop,
            copy,
        } => (
            2,
            m,
            u32::from(r)
                | (status_index(status) as u32) << 3
                | imdn_hop_bits(hop) << 5
                | u32::from(copy) << 7,
        ),
        Packet::Aggregate {
            m,
            entries,
            hop,
            copy,
        } => (
            3,
            m,
            (entries & 0x3_FFFF) | imdn_hop_bits(hop) << 18 | u32::from(copy) << 20,
        ),
        Packet::Register { u } => (4, 0, u32::from(u)),
        Packet::RegisterOk { u } => (5, 0, u32::from(u)),
    };
    kind | u32::from(m) << 3 | rest << 5
}

/// Bits of a leg's queue position: positions run below `MESSAGES_MAX`.
const QUEUE_POSITION_BITS: u32 = 4;
const _: () = assert!(MESSAGES_MAX <= 1 << QUEUE_POSITION_BITS);

/// Packs one (message, recipient) record into 32 bits (the queue position in the top 4).
pub fn pack_leg(l: &Leg) -> u32 {
    u32::from(l.accepted)
        | (l.store as u32) << 2
        | (l.cf as u32) << 5
        | u32::from(l.fanout) << 8
        | u32::from(l.reported) << 10
        | u32::from(l.buffered) << 13
        | u32::from(l.notified[0]) << 16
        | u32::from(l.notified[1]) << 18
        | u32::from(l.notified[2]) << 20
        | u32::from(l.via_aggregate) << 22
        | u32::from(l.history) << 23
        | u32::from(l.queue_position) << (32 - QUEUE_POSITION_BITS)
}

/// Packs one message record into 16 bits (the answer takes 3: none or one of five codes).
pub fn pack_message(s: &MessageState) -> u64 {
    let response = s.response.map_or(0, |c| 1 + code_bits(c));
    u64::from(response)
        | (s.cf as u64) << 3
        | u64::from(s.aggregates_received) << 5
        | u64::from(s.notified_users) << 7
        | u64::from(s.deferred_before_aggregate) << 15
}

/// Packs one user record into 4 bits.
pub fn pack_user(u: &UserState) -> u64 {
    u.registration as u64 | u64::from(u.bound) << 2
}

impl Hash for State {
    fn hash<H: Hasher>(&self, state: &mut H) {
        let mut head = u64::from(self.drops_used)
            | u64::from(self.duplicates_used) << 4
            | u64::from(self.crashes_used) << 8;
        for (i, u) in self.users.iter().enumerate() {
            head |= pack_user(u) << (12 + 4 * i);
        }
        state.write_u64(head);
        let mut allowances = 0u64;
        for (g, (d, u)) in self
            .drop_allowance
            .iter()
            .zip(&self.duplicate_allowance)
            .enumerate()
        {
            allowances |= (u64::from(*d) | u64::from(*u) << 8) << (16 * g);
        }
        state.write_u64(allowances);
        let messages = self
            .messages
            .iter()
            .enumerate()
            .fold(0u64, |acc, (i, m)| acc | pack_message(m) << (16 * i));
        state.write_u64(messages);
        let mut legs = self.legs.iter().flatten();
        while let Some(a) = legs.next() {
            let b = legs.next().map_or(0, pack_leg);
            state.write_u64(u64::from(pack_leg(a)) | u64::from(b) << 32);
        }
        let mut packets = self.network.iter();
        while let Some(a) = packets.next() {
            let b = packets.next().map_or(0, |p| u64::from(pack_packet(p)) + 1);
            state.write_u64((u64::from(pack_packet(a)) + 1) | (b << 32));
        }
        state.write_usize(self.network.len());
    }
}
