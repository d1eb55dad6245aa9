//! One IMDN document that breaks near its end, shared by the role tests that check where a
//! user agent or the Controlling Function says an IMDN body broke.

/// An IMDN (RFC 5438 section 7.2) whose last end tag does not match its root element: the
/// fault lies near the end, so its offset in a datagram counts the SIP header section, the
/// CPIM headers and the XML before it.
pub const IMDN_WITH_MISMATCHED_END_TAG: &str =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<imdn xmlns=\"urn:ietf:params:xml:ns:imdn\">\n\
     <message-id>m1</message-id>\n<datetime>2024-03-18T09:30:05+01:00</datetime>\n\
     <delivery-notification><status><delivered/></status></delivery-notification>\n</imdx>";
