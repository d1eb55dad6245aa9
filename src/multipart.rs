//! multipart/mixed (RFC 2046) for aggregated IMDNs. (to be written)
