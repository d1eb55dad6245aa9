//! Strings a node meets again and again — method names, its peers' Via sent-by — held once and
//! shared by every transaction key that names them, so keying a transaction copies nothing.
//! At most [`SHARED_NAMES_MAX`] are kept; past that a name is still given, just not kept.
//!
//! The two names met most are found without a lookup of their text: `MESSAGE`, the method of
//! almost every request a node sends and receives, is shared from the start, and a peer's
//! sent-by is found by the host and port its Via was read into ([`super::sent_by`]).

use super::sent_by::PeerSentBy;
use crate::sip::{Host, Via};
use rustc_hash::FxHashSet;
use std::sync::Arc;

/// The method shared from the start (see the module's comment).
const MESSAGE: &str = "MESSAGE";

/// Most distinct names one node keeps shared.
pub const SHARED_NAMES_MAX: usize = 256;

/// The names a node shares.
#[derive(Debug)]
pub(crate) struct SharedNames {
    names: FxHashSet<Arc<str>>,
    /// `MESSAGE`, also held in `names`.
    message: Arc<str>,
    /// The sent-by of the peers met, by host and port.
    peers: PeerSentBy,
    /// Where a sent-by is written before it is looked up.
    scratch: String,
}

impl Default for SharedNames {
    fn default() -> Self {
        let message: Arc<str> = Arc::from(MESSAGE);
        let mut names = FxHashSet::default();
        names.insert(Arc::clone(&message));
        SharedNames {
            names,
            message,
            peers: PeerSentBy::default(),
            scratch: String::new(),
        }
    }
}

impl SharedNames {
    /// `text` as a shared string: the one already held, or a new one (kept while there is room).
    /// Inlined for its first step, `MESSAGE`; any other text is looked up.
    #[inline]
    pub(crate) fn share(&mut self, text: &str) -> Arc<str> {
        if text == MESSAGE {
            return Arc::clone(&self.message);
        }
        self.share_looked_up(text)
    }

    /// [`share`](Self::share) for a text looked up among the names held.
    fn share_looked_up(&mut self, text: &str) -> Arc<str> {
        if let Some(shared) = self.names.get(text) {
            return Arc::clone(shared);
        }
        let shared: Arc<str> = Arc::from(text);
        if self.names.len() < SHARED_NAMES_MAX {
            self.names.insert(Arc::clone(&shared));
        }
        shared
    }

    /// The sent-by of `via` as a shared string: the peer's, when it was met before; else
    /// written out and shared (and its peer remembered while there is room).
    #[inline]
    pub(crate) fn sent_by(&mut self, via: &Via<'_>) -> Arc<str> {
        match self.peers.find(via) {
            Some(shared) => shared,
            None => self.sent_by_written(via),
        }
    }

    /// [`sent_by`](Self::sent_by) for a peer not met before: written out and shared.
    fn sent_by_written(&mut self, via: &Via<'_>) -> Arc<str> {
        let mut scratch = std::mem::take(&mut self.scratch);
        scratch.clear();
        write_sent_by(via, &mut scratch);
        let shared = self.share(&scratch);
        self.scratch = scratch;
        self.peers.remember(via, &shared);
        shared
    }

    /// The peers remembered (for the tests of [`super::sent_by`]).
    #[cfg(test)]
    pub(crate) fn peers(&self) -> &PeerSentBy {
        &self.peers
    }
}

/// Writes the `sent-by` of a Via, `host[:port]` as written (IPv6 in brackets), without fmt.
pub(crate) fn write_sent_by(via: &Via<'_>, out: &mut String) {
    let ipv6 = matches!(via.host, Host::Ipv6(_));
    if ipv6 {
        out.push('[');
    }
    out.push_str(via.host.as_str());
    if ipv6 {
        out.push(']');
    }
    if let Some(port) = via.port {
        let mut digits = [0u8; super::wire::DECIMAL_DIGITS_MAX];
        out.push(':');
        out.push_str(super::wire::decimal(port.into(), &mut digits));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sent_by_is_host_and_port_as_display_writes_them() {
        let mut names = SharedNames::default();
        for text in [
            "SIP/2.0/UDP pf.beta.example;branch=z9hG4bK1",
            "SIP/2.0/UDP 192.0.2.7:5060;branch=z9hG4bK1",
            "SIP/2.0/TCP [2001:db8::1]:65535;branch=z9hG4bK1",
            "SIP/2.0/UDP [2001:db8::1];branch=z9hG4bK1",
        ] {
            let via = Via::parse(text, 0).expect("a valid Via");
            let expected = match via.port {
                Some(port) => format!("{}:{port}", via.host),
                None => via.host.to_string(),
            };
            assert_eq!(&*names.sent_by(&via), expected, "{text}");
        }
    }

    #[test]
    fn a_name_met_again_is_the_same_shared_string_until_the_limit() {
        let mut names = SharedNames::default();
        let first = names.share("MESSAGE");
        assert!(Arc::ptr_eq(&first, &names.share("MESSAGE")));
        for i in 1..SHARED_NAMES_MAX {
            names.share(&format!("peer-{i}"));
        }
        let over = names.share("one-too-many");
        assert_eq!(&*over, "one-too-many");
        assert!(!Arc::ptr_eq(&over, &names.share("one-too-many")));
        assert!(Arc::ptr_eq(&first, &names.share("MESSAGE")));
    }
}
