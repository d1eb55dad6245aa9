//! Messages in the form nodes write them, shared by the tests of the proxy's writers.

/// A node's 200 to a MESSAGE on its way back through a proxy: two Via rows (the proxy's on
/// top), one plain hop each, and the rows a node's answer repeats.
pub(super) const NODES_OK: &str = "SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP 10.0.0.12:5060;branch=z9hG4bKpf\r\n\
    Via: SIP/2.0/UDP 10.0.0.2:5060;branch=z9hG4bKcf\r\nFrom: <sip:alice@alpha.example>;tag=1\r\n\
    To: <sip:bob@beta.example>;tag=2\r\nCall-ID: c1\r\nCSeq: 1 MESSAGE\r\nContent-Length: 0\r\n\r\n";
