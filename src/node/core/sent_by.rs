//! The sent-by of the peers a node hears from (RFC 3261 section 17.2.3: with the branch and
//! the method, the top Via's sent-by names a server transaction), found by host and port.
//!
//! Every request a node receives is keyed by its top Via's sent-by, `host[:port]` as written.
//! A node hears from a handful of peers, again and again; writing the sent-by out and looking
//! the text up among the shared names cost more than the rest of keying the request. Here
//! each peer's shared sent-by is remembered under the parts the Via parser already read (the
//! host's text, its port, whether the host is an IPv6 reference), so a peer heard before
//! costs one hash of those parts and one comparison. At most [`SENT_BY_PEERS_MAX`] peers are
//! remembered; any other sent-by is still given, written and shared as before.

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

impl PeerSentBy {
    /// The shared sent-by of `via` (the one [`SharedNames::sent_by`] gives): remembered, or
    /// written and shared through `names` and remembered while there is room.
    pub(crate) fn of(&mut self, via: &Via<'_>, names: &mut SharedNames) -> Arc<str> {
        let host = via.host.as_str();
        let port = via.port;
        let ipv6 = matches!(via.host, Host::Ipv6(_));
        let hash = hash_of(host, port, ipv6);
        let is_peer = |peer: &Peer| peer.port == port && peer.ipv6 == ipv6 && *peer.host == *host;
        if let Some(peer) = self.peers.find(hash, is_peer) {
            return Arc::clone(&peer.sent_by);
        }
        let sent_by = names.sent_by(via);
        if self.peers.len() < SENT_BY_PEERS_MAX {
            let peer = Peer {
                host: host.into(),
                port,
                ipv6,
                sent_by: Arc::clone(&sent_by),
            };
            self.peers
                .insert_unique(hash, peer, |peer| hash_of(&peer.host, peer.port, peer.ipv6));
        }
        sent_by
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
        let mut peers = PeerSentBy::default();
        let mut names = SharedNames::default();
        for round in 0..3 {
            for text in vias {
                let via = Via::parse(text, 0).expect("a valid Via");
                let written = SharedNames::default().sent_by(&via);
                assert_eq!(
                    peers.of(&via, &mut names),
                    written,
                    "{text} in round {round}"
                );
            }
        }
        assert_eq!(peers.peers.len(), vias.len(), "each peer remembered once");
    }

    #[test]
    fn peers_past_the_limit_are_given_their_sent_by_without_being_remembered() {
        let mut peers = PeerSentBy::default();
        let mut names = SharedNames::default();
        for round in 0..2 {
            for n in 0..SENT_BY_PEERS_MAX + 8 {
                let text = format!("SIP/2.0/UDP host{n}.example:5060;branch=z9hG4bK1");
                let via = Via::parse(&text, 0).expect("a valid Via");
                let expected = format!("host{n}.example:5060");
                assert_eq!(&*peers.of(&via, &mut names), expected, "round {round}");
            }
        }
        assert_eq!(peers.peers.len(), SENT_BY_PEERS_MAX);
    }
}
