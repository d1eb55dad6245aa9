//! The sent-by of the peers a node hears from (RFC 3261 section 17.2.3: with the branch and
//! the method, the top Via's sent-by names a server transaction), found by host and port.
//!
//! Every request a node receives is keyed by its top Via's sent-by, `host[:port]` as written.
//! A node hears from a handful of peers, again and again; writing the sent-by out and looking
//! the text up among the shared names cost more than the rest of keying the request. Here
//! each peer's shared sent-by is remembered under the parts the Via parser already read (the
//! host's text, its port, whether the host is an IPv6 reference), so a peer heard before
//! costs one hash of those parts and one comparison. At most [`SENT_BY_PEERS_MAX`] peers are
//! remembered; any other sent-by is still given, written and shared as before. The table is
//! [`SharedNames`]' own: its [`sent_by`](SharedNames::sent_by) asks here first.

#[cfg(test)]
use crate::node::shared_names::SharedNames;
use crate::sip::{Host, Via};
use hashbrown::HashTable;
use rustc_hash::FxBuildHasher;
use std::hash::BuildHasher;
use std::sync::Arc;

/// Most peers whose sent-by one node remembers by host and port.
pub(crate) const SENT_BY_PEERS_MAX: usize = 256;

/// One peer's sent-by, under the parts of the Via it is written from.
#[derive(Debug)]
struct Peer {
    host: Box<str>,
    port: Option<u16>,
    ipv6: bool,
    sent_by: Arc<str>,
}

/// The peers' sent-by a node has met, by host and port.
#[derive(Debug, Default)]
pub(crate) struct PeerSentBy {
    peers: HashTable<Peer>,
}

/// The hash a peer is filed under: of its host's text, its port and its IPv6 flag.
fn hash_of(host: &str, port: Option<u16>, ipv6: bool) -> u64 {
    FxBuildHasher.hash_one((host, port, ipv6))
}

/// The parts of `via` a peer is filed under, and their hash.
fn parts<'v>(via: &'v Via<'_>) -> (&'v str, Option<u16>, bool, u64) {
    let host = via.host.as_str();
    let ipv6 = matches!(via.host, Host::Ipv6(_));
    (host, via.port, ipv6, hash_of(host, via.port, ipv6))
}

impl PeerSentBy {
    /// The remembered sent-by of the peer `via` comes from, if it was met before.
    #[inline]
    pub(crate) fn find(&self, via: &Via<'_>) -> Option<Arc<str>> {
        let (host, port, ipv6, hash) = parts(via);
        let is_peer = |peer: &Peer| peer.port == port && peer.ipv6 == ipv6 && *peer.host == *host;
        self.peers
            .find(hash, is_peer)
            .map(|peer| Arc::clone(&peer.sent_by))
    }

    /// Remembers `sent_by` as the sent-by of the peer `via` comes from (not met before), while
    /// there is room.
    pub(crate) fn remember(&mut self, via: &Via<'_>, sent_by: &Arc<str>) {
        if self.peers.len() < SENT_BY_PEERS_MAX {
            let (host, port, ipv6, hash) = parts(via);
            let peer = Peer {
                host: host.into(),
                port,
                ipv6,
                sent_by: Arc::clone(sent_by),
            };
            self.peers
                .insert_unique(hash, peer, |peer| hash_of(&peer.host, peer.port, peer.ipv6));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_peers_sent_by_is_the_one_written_from_its_via_whether_met_before_or_not() {
        let vias = [
            "SIP/2.0/UDP 10.0.0.4:5060;branch=z9hG4bK1",
            "SIP/2.0/UDP 10.0.0.4:5061;branch=z9hG4bK1",
            "SIP/2.0/UDP 10.0.0.4;branch=z9hG4bK1",
            "SIP/2.0/TCP pf.beta.example:5060;branch=z9hG4bK1",
            "SIP/2.0/UDP [2001:db8::1]:5060;branch=z9hG4bK1",
            "SIP/2.0/UDP [2001:db8::1];branch=z9hG4bK1",
            "SIP/2.0/UDP 2001.db8.example:5060;branch=z9hG4bK1",
        ];
        let mut names = SharedNames::default();
        for round in 0..3 {
            for text in vias {
                let via = Via::parse(text, 0).expect("a valid Via");
                let written = SharedNames::default().sent_by(&via);
                assert_eq!(names.sent_by(&via), written, "{text} in round {round}");
            }
        }
        assert_eq!(
            names.peers().peers.len(),
            vias.len(),
            "each peer remembered once"
        );
    }

    #[test]
    fn peers_past_the_limit_are_given_their_sent_by_without_being_remembered() {
        let mut names = SharedNames::default();
        for round in 0..2 {
            for n in 0..SENT_BY_PEERS_MAX + 8 {
                let text = format!("SIP/2.0/UDP host{n}.example:5060;branch=z9hG4bK1");
                let via = Via::parse(&text, 0).expect("a valid Via");
                let expected = format!("host{n}.example:5060");
                assert_eq!(&*names.sent_by(&via), expected, "round {round}");
            }
        }
        assert_eq!(names.peers().peers.len(), SENT_BY_PEERS_MAX);
    }
}
