//! pcap: the real SIP bytes of a trace as a classic libpcap capture that Wireshark, tshark and
//! sngrep open.
//!
//! Every node has one IPv4 address (`10.0.0.<lane + 1>`, see [`lane_address`]) and talks on port
//! 5060. A datagram becomes one Ethernet/IPv4/UDP frame. A stream message (RFC 3428 section 8:
//! a MESSAGE over 1300 bytes) becomes one Ethernet/IPv4/TCP segment on the connection between
//! the two nodes' port 5060: no handshake is drawn, but each direction keeps its own sequence
//! number (advanced by the payload length), each segment acknowledges what the other direction
//! has sent so far (the ACK flag is set once the peer has sent anything), and every IPv4, UDP
//! and TCP checksum is computed, so the dissectors see a well-formed capture.
//!
//! [`from_trace`] reads a [`Trace`]: each step that carries SIP text is one packet, stamped with
//! the step's `state.time_us` and sent over `state.transport` when the simulator wrote them
//! (see `crate::sim`), otherwise one millisecond apart and over the transport the top Via names.
//! Steps whose `state.fate` is `"lost"` were dropped by the network and are left out: the capture
//! shows what arrived.

use super::Trace;
use std::collections::HashMap;
use std::net::Ipv4Addr;

/// The UDP and TCP port of every node (RFC 3261 section 19.1.2).
pub const SIP_PORT: u16 = 5060;
/// The capture's snapshot length, in bytes: every frame is kept whole.
pub const PCAP_SNAPLEN_BYTES: u32 = 65_535;
/// The largest SIP message one frame can carry, in bytes (IPv4 total length minus IP and TCP
/// headers).
pub const PCAP_PAYLOAD_BYTES_MAX: usize = 65_535 - IPV4_HEADER_BYTES - TCP_HEADER_BYTES;
/// The largest number of nodes a capture can address (`10.0.0.1` to `10.0.0.254`).
pub const PCAP_NODES_MAX: usize = 254;
/// Time between two packets of a trace that carries no times, in microseconds.
const UNTIMED_STEP_MICROS: u64 = 1_000;

const ETHERNET_HEADER_BYTES: usize = 14;
const IPV4_HEADER_BYTES: usize = 20;
const UDP_HEADER_BYTES: usize = 8;
const TCP_HEADER_BYTES: usize = 20;
/// LINKTYPE_ETHERNET in the pcap global header.
const LINKTYPE_ETHERNET: u32 = 1;
const ETHERTYPE_IPV4: u16 = 0x0800;
const IP_PROTOCOL_TCP: u8 = 6;
const IP_PROTOCOL_UDP: u8 = 17;
const TCP_FLAG_PSH: u8 = 0x08;
const TCP_FLAG_ACK: u8 = 0x10;
/// The receive window every segment advertises, in bytes.
const TCP_WINDOW_BYTES: u16 = 65_535;

/// Which transport carries a packet.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PcapTransport {
    /// One UDP datagram.
    Udp,
    /// One TCP segment on the connection between the two nodes.
    Tcp,
}

/// One SIP message to write: when, between which nodes, over what, and its bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Packet<'a> {
    /// Capture time, in microseconds since the run's epoch.
    pub time_us: u64,
    /// The sending node's address.
    pub src: Ipv4Addr,
    /// The receiving node's address.
    pub dst: Ipv4Addr,
    /// Datagram or stream.
    pub transport: PcapTransport,
    /// The whole SIP message.
    pub payload: &'a [u8],
}

/// Why a capture could not be written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PcapError {
    /// A SIP message is larger than [`PCAP_PAYLOAD_BYTES_MAX`].
    PayloadTooLarge { step: usize, bytes: usize },
    /// The trace has more lanes than [`PCAP_NODES_MAX`] addresses.
    TooManyNodes { lanes: usize },
}

impl std::fmt::Display for PcapError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PcapError::PayloadTooLarge { step, bytes } => write!(
                f,
                "step {step}: a {bytes}-byte SIP message does not fit one frame \
                 (at most {PCAP_PAYLOAD_BYTES_MAX} bytes)"
            ),
            PcapError::TooManyNodes { lanes } => write!(
                f,
                "the trace has {lanes} lanes; a capture addresses at most {PCAP_NODES_MAX}"
            ),
        }
    }
}

impl std::error::Error for PcapError {}

/// The IPv4 address of the node on lane `lane` (0-based): `10.0.0.<lane + 1>`.
pub fn lane_address(lane: usize) -> Ipv4Addr {
    let host = u8::try_from(lane.saturating_add(1)).unwrap_or(u8::MAX);
    Ipv4Addr::new(10, 0, 0, host)
}

/// Builds a capture in memory, one packet at a time, keeping each TCP direction's sequence.
#[derive(Debug, Clone)]
pub struct PcapWriter {
    out: Vec<u8>,
    /// Next sequence number of each TCP direction, by (source, destination).
    next_seq: HashMap<(Ipv4Addr, Ipv4Addr), u32>,
    ip_identification: u16,
}

impl Default for PcapWriter {
    fn default() -> Self {
        PcapWriter::new()
    }
}

impl PcapWriter {
    /// A capture with its global header (microsecond timestamps, Ethernet frames).
    pub fn new() -> PcapWriter {
        let mut out = Vec::with_capacity(4096);
        out.extend_from_slice(&0xa1b2_c3d4_u32.to_le_bytes());
        out.extend_from_slice(&2u16.to_le_bytes());
        out.extend_from_slice(&4u16.to_le_bytes());
        out.extend_from_slice(&0i32.to_le_bytes());
        out.extend_from_slice(&0u32.to_le_bytes());
        out.extend_from_slice(&PCAP_SNAPLEN_BYTES.to_le_bytes());
        out.extend_from_slice(&LINKTYPE_ETHERNET.to_le_bytes());
        PcapWriter {
            out,
            next_seq: HashMap::new(),
            ip_identification: 1,
        }
    }

    /// Appends one packet; `step` (1-based) only names the packet in an error.
    pub fn push(&mut self, step: usize, packet: &Packet<'_>) -> Result<(), PcapError> {
        let bytes = packet.payload.len();
        if bytes > PCAP_PAYLOAD_BYTES_MAX {
            return Err(PcapError::PayloadTooLarge { step, bytes });
        }
        let transport = match packet.transport {
            PcapTransport::Udp => udp_segment(packet),
            PcapTransport::Tcp => self.tcp_segment(packet),
        };
        let protocol = match packet.transport {
            PcapTransport::Udp => IP_PROTOCOL_UDP,
            PcapTransport::Tcp => IP_PROTOCOL_TCP,
        };
        let ip = ipv4_header(packet, protocol, transport.len(), self.ip_identification);
        self.ip_identification = self.ip_identification.wrapping_add(1);
        let frame_len = ETHERNET_HEADER_BYTES + ip.len() + transport.len();
        let frame_len_u32 = u32::try_from(frame_len).unwrap_or(u32::MAX);
        let seconds = u32::try_from(packet.time_us / 1_000_000).unwrap_or(u32::MAX);
        let micros = u32::try_from(packet.time_us % 1_000_000).unwrap_or(0);
        self.out.extend_from_slice(&seconds.to_le_bytes());
        self.out.extend_from_slice(&micros.to_le_bytes());
        self.out.extend_from_slice(&frame_len_u32.to_le_bytes());
        self.out.extend_from_slice(&frame_len_u32.to_le_bytes());
        self.out.extend_from_slice(&mac(packet.dst));
        self.out.extend_from_slice(&mac(packet.src));
        self.out.extend_from_slice(&ETHERTYPE_IPV4.to_be_bytes());
        self.out.extend_from_slice(&ip);
        self.out.extend_from_slice(&transport);
        Ok(())
    }

    /// The capture file's bytes.
    pub fn finish(self) -> Vec<u8> {
        self.out
    }

    fn tcp_segment(&mut self, packet: &Packet<'_>) -> Vec<u8> {
        let seq = *self
            .next_seq
            .entry((packet.src, packet.dst))
            .or_insert_with(|| initial_sequence(packet.src, packet.dst));
        let peer_seq = self.next_seq.get(&(packet.dst, packet.src)).copied();
        let len = u32::try_from(packet.payload.len()).unwrap_or(u32::MAX);
        self.next_seq
            .insert((packet.src, packet.dst), seq.wrapping_add(len));
        let (ack, flags) = match peer_seq {
            Some(peer) => (peer, TCP_FLAG_PSH | TCP_FLAG_ACK),
            None => (0, TCP_FLAG_PSH),
        };
        let mut segment = Vec::with_capacity(TCP_HEADER_BYTES + packet.payload.len());
        segment.extend_from_slice(&SIP_PORT.to_be_bytes());
        segment.extend_from_slice(&SIP_PORT.to_be_bytes());
        segment.extend_from_slice(&seq.to_be_bytes());
        segment.extend_from_slice(&ack.to_be_bytes());
        segment.push(((TCP_HEADER_BYTES / 4) as u8) << 4);
        segment.push(flags);
        segment.extend_from_slice(&TCP_WINDOW_BYTES.to_be_bytes());
        segment.extend_from_slice(&[0, 0, 0, 0]); // checksum, urgent pointer
        segment.extend_from_slice(packet.payload);
        let sum = transport_checksum(packet, IP_PROTOCOL_TCP, &segment);
        segment[16..18].copy_from_slice(&sum.to_be_bytes());
        segment
    }
}

/// Writes the packets of a trace's steps that carry SIP text (see the module docs).
pub fn from_trace(trace: &Trace) -> Result<Vec<u8>, PcapError> {
    if trace.lanes.len() > PCAP_NODES_MAX {
        return Err(PcapError::TooManyNodes {
            lanes: trace.lanes.len(),
        });
    }
    let mut writer = PcapWriter::new();
    for (i, step) in trace.steps.iter().enumerate() {
        let Some(sip) = &step.sip else { continue };
        if step.is_local() || step.state.get("fate").and_then(|f| f.as_str()) == Some("lost") {
            continue;
        }
        let index = u64::try_from(i).unwrap_or(u64::MAX);
        let time_us = step
            .state
            .get("time_us")
            .and_then(|t| t.as_u64())
            .unwrap_or_else(|| index.saturating_mul(UNTIMED_STEP_MICROS));
        let transport = match step.state.get("transport").and_then(|t| t.as_str()) {
            Some(t) if t.eq_ignore_ascii_case("tcp") => PcapTransport::Tcp,
            Some(_) => PcapTransport::Udp,
            None => via_transport(sip.as_bytes()),
        };
        let packet = Packet {
            time_us,
            src: lane_address(step.from),
            dst: lane_address(step.to),
            transport,
            payload: sip.as_bytes(),
        };
        writer.push(i + 1, &packet)?;
    }
    Ok(writer.finish())
}

/// The transport the top Via names (TCP, else UDP), for traces written without one.
fn via_transport(bytes: &[u8]) -> PcapTransport {
    match crate::sip::parse_datagram(bytes).and_then(|m| m.top_via()) {
        Ok(via) if via.transport.eq_ignore_ascii_case("tcp") => PcapTransport::Tcp,
        _ => PcapTransport::Udp,
    }
}

/// A locally administered MAC address holding the node's IPv4 address.
fn mac(ip: Ipv4Addr) -> [u8; 6] {
    let [a, b, c, d] = ip.octets();
    [0x02, 0x00, a, b, c, d]
}

/// A deterministic initial sequence number per direction, so captures are reproducible.
fn initial_sequence(src: Ipv4Addr, dst: Ipv4Addr) -> u32 {
    (u32::from(src).rotate_left(16) ^ u32::from(dst)).wrapping_mul(2_654_435_761)
}

fn udp_segment(packet: &Packet<'_>) -> Vec<u8> {
    let len = UDP_HEADER_BYTES + packet.payload.len();
    let mut segment = Vec::with_capacity(len);
    segment.extend_from_slice(&SIP_PORT.to_be_bytes());
    segment.extend_from_slice(&SIP_PORT.to_be_bytes());
    segment.extend_from_slice(&u16::try_from(len).unwrap_or(u16::MAX).to_be_bytes());
    segment.extend_from_slice(&[0, 0]);
    segment.extend_from_slice(packet.payload);
    let mut sum = transport_checksum(packet, IP_PROTOCOL_UDP, &segment);
    if sum == 0 {
        sum = 0xffff; // RFC 768: a computed zero is sent as all ones
    }
    segment[6..8].copy_from_slice(&sum.to_be_bytes());
    segment
}

fn ipv4_header(
    packet: &Packet<'_>,
    protocol: u8,
    payload_len: usize,
    identification: u16,
) -> [u8; IPV4_HEADER_BYTES] {
    let total = u16::try_from(IPV4_HEADER_BYTES + payload_len).unwrap_or(u16::MAX);
    let mut h = [0u8; IPV4_HEADER_BYTES];
    h[0] = 0x45; // version 4, 5 words
    h[2..4].copy_from_slice(&total.to_be_bytes());
    h[4..6].copy_from_slice(&identification.to_be_bytes());
    h[6] = 0x40; // don't fragment
    h[8] = 64; // TTL
    h[9] = protocol;
    h[12..16].copy_from_slice(&packet.src.octets());
    h[16..20].copy_from_slice(&packet.dst.octets());
    let sum = !fold(sum_words(0, &h));
    h[10..12].copy_from_slice(&sum.to_be_bytes());
    h
}

/// The UDP/TCP checksum over the IPv4 pseudo-header and the segment (RFC 768, RFC 793).
fn transport_checksum(packet: &Packet<'_>, protocol: u8, segment: &[u8]) -> u16 {
    let mut sum = sum_words(0, &packet.src.octets());
    sum = sum_words(sum, &packet.dst.octets());
    sum += u64::from(protocol);
    sum += u64::try_from(segment.len()).unwrap_or(0);
    !fold(sum_words(sum, segment))
}

fn sum_words(mut sum: u64, bytes: &[u8]) -> u64 {
    let mut chunks = bytes.chunks_exact(2);
    for pair in &mut chunks {
        sum += u64::from(u16::from_be_bytes([pair[0], pair[1]]));
    }
    if let [last] = chunks.remainder() {
        sum += u64::from(u16::from_be_bytes([*last, 0]));
    }
    sum
}

fn fold(mut sum: u64) -> u16 {
    while sum > 0xffff {
        sum = (sum & 0xffff) + (sum >> 16);
    }
    sum as u16
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ipv4_header_checksum_verifies_to_zero() {
        let packet = Packet {
            time_us: 0,
            src: lane_address(0),
            dst: lane_address(1),
            transport: PcapTransport::Udp,
            payload: b"x",
        };
        let h = ipv4_header(&packet, IP_PROTOCOL_UDP, 9, 7);
        assert_eq!(fold(sum_words(0, &h)), 0xffff);
    }

    #[test]
    fn tcp_directions_acknowledge_each_other() {
        let mut w = PcapWriter::new();
        let (a, b) = (lane_address(0), lane_address(1));
        let first = Packet {
            time_us: 1,
            src: a,
            dst: b,
            transport: PcapTransport::Tcp,
            payload: b"hello",
        };
        w.push(1, &first).unwrap();
        let reply = Packet {
            src: b,
            dst: a,
            payload: b"ok",
            ..first
        };
        w.push(2, &reply).unwrap();
        assert_eq!(w.next_seq[&(a, b)], initial_sequence(a, b).wrapping_add(5));
        assert_eq!(w.next_seq[&(b, a)], initial_sequence(b, a).wrapping_add(2));
    }
}
