//! Messages in the form nodes write them, shared by the tests of the writers that copy a
//! node's rows (the proxy's, and an answer's rows repeated from its request).

/// A node's 200 to a MESSAGE on its way back through a proxy: two Via rows (the proxy's on
/// top), one plain hop each, and the rows a node's answer repeats.
pub(crate) const NODES_OK: &str = "SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP 10.0.0.12:5060;branch=z9hG4bKpf\r\n\
    Via: SIP/2.0/UDP 10.0.0.2:5060;branch=z9hG4bKcf\r\nFrom: <sip:alice@alpha.example>;tag=1\r\n\
    To: <sip:bob@beta.example>;tag=2\r\nCall-ID: c1\r\nCSeq: 1 MESSAGE\r\nContent-Length: 0\r\n\r\n";

/// A node's MESSAGE after a proxy: two Via rows (the proxy's on top), Max-Forwards one down, a
/// two-byte body.
pub(crate) const NODES_IM: &str = "MESSAGE sip:bob@beta.example SIP/2.0\r\n\
    Via: SIP/2.0/UDP 10.0.0.12:5060;branch=z9hG4bKcf\r\n\
    Via: SIP/2.0/UDP 10.0.0.2:5060;branch=z9hG4bKua\r\nMax-Forwards: 69\r\n\
    From: <sip:alice@alpha.example>;tag=1\r\nTo: <sip:bob@beta.example>\r\nCall-ID: c1\r\n\
    CSeq: 1 MESSAGE\r\nContent-Type: message/cpim\r\nContent-Length: 2\r\n\r\nhi";
