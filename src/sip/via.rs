//! The Via header (RFC 3261 sections 8.1.1.7, 18.2 and 20.42; RFC 3581 `rport`; RFC 5118
//! section 4.5 for `received` IPv6 values with or without brackets).
//!
//! `via-parm = sent-protocol LWS sent-by *( SEMI via-params )`, where the `/` and `:`
//! separators allow LWS around them (`SIP  /  2.0 / UDP host : 5060`).

use super::chars::TOKEN;
use super::error::{Rule, SipError};
use super::host::{self, Host};
use super::lex::Cursor;
use super::params::{self, Params, ValueRules};

/// The RFC 3261 magic cookie that starts every RFC 3261 branch (section 8.1.1.7).
pub const MAGIC_COOKIE: &str = "z9hG4bK";

/// One Via hop.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Via<'a> {
    /// Protocol name, `SIP`.
    pub protocol: &'a str,
    /// Protocol version, `2.0`.
    pub version: &'a str,
    /// Transport token: `UDP`, `TCP`, `TLS`, `SCTP` or an extension.
    pub transport: &'a str,
    /// The sent-by host.
    pub host: Host<'a>,
    /// The sent-by port, if written.
    pub port: Option<u16>,
    /// Via parameters (`branch`, `received`, `rport`, `maddr`, `ttl`, extensions).
    pub params: Params<'a>,
}

impl<'a> Via<'a> {
    /// Parses one Via element occupying all of `text`, which starts at absolute offset `base`.
    pub fn parse(text: &'a str, base: usize) -> Result<Via<'a>, SipError> {
        match super::quick::node_shapes::via(text).or_else(|| super::quick::via(text)) {
            Some(plain) => Ok(plain),
            None => Self::parse_general(text, base),
        }
    }

    /// [`parse`](Self::parse) for every shape, without the fast recogniser.
    pub(crate) fn parse_general(text: &'a str, base: usize) -> Result<Via<'a>, SipError> {
        let mut c = Cursor::new(text, base);
        c.skip_lws();
        let protocol = c.token(Rule::InvalidVia)?;
        if !c.eat_separator(b'/') {
            return Err(c.err(Rule::InvalidVia));
        }
        let version = c.token(Rule::InvalidVia)?;
        if !c.eat_separator(b'/') {
            return Err(c.err(Rule::InvalidVia));
        }
        let transport = c.token(Rule::InvalidVia)?;
        if !c.skip_lws() {
            return Err(c.err(Rule::InvalidVia));
        }
        let host_at = c.pos();
        let host = if c.peek() == Some(b'[') {
            let rest = c.rest();
            let close = rest
                .find(']')
                .ok_or_else(|| c.err(Rule::InvalidIpv6Reference))?;
            let inner = rest.get(1..close).unwrap_or("");
            if !host::is_ipv6(inner) {
                return Err(c.err(Rule::InvalidIpv6Reference));
            }
            c.bump(close + 1);
            Host::Ipv6(inner)
        } else {
            let name = c.take_class(TOKEN);
            host::parse_host_name(name)
                .ok_or_else(|| SipError::new(Rule::InvalidHost, c.offset_of(host_at)))?
        };
        let port = if c.eat_separator(b':') {
            let digits = c.take_class(TOKEN);
            Some(host::parse_port(digits).ok_or_else(|| c.err(Rule::InvalidPort))?)
        } else {
            None
        };
        let params = params::parse(&mut c, ValueRules::Via)?;
        c.expect_end(Rule::InvalidVia)?;
        Ok(Via {
            protocol,
            version,
            transport,
            host,
            port,
            params,
        })
    }

    /// The `branch` parameter (the transaction identifier), if present.
    pub fn branch(&self) -> Option<&'a str> {
        if let Some(noted) = self.params.noted_branch() {
            return Some(noted);
        }
        self.params.get("branch").flatten()
    }

    /// The `received` parameter (source address seen by the next hop), if present.
    pub fn received(&self) -> Option<&'a str> {
        self.params.get("received").flatten()
    }

    /// The `rport` parameter (RFC 3581): `Some(None)` when requested, `Some(Some(port))` when
    /// filled in by the server.
    pub fn rport(&self) -> Option<Option<&'a str>> {
        self.params.get("rport")
    }

    /// Whether the branch starts with the RFC 3261 magic cookie `z9hG4bK`.
    pub fn has_rfc3261_branch(&self) -> bool {
        self.branch().is_some_and(|b| b.starts_with(MAGIC_COOKIE))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folded_and_spaced_via_is_read() {
        let v = Via::parse(
            "SIP  / 2.0  / TCP     spindle.example.com   ;\r\n  branch  =   z9hG4bK9ikj8",
            0,
        )
        .unwrap();
        assert_eq!((v.protocol, v.version, v.transport), ("SIP", "2.0", "TCP"));
        assert_eq!(v.host, Host::Domain("spindle.example.com"));
        assert_eq!(v.branch(), Some("z9hG4bK9ikj8"));
        assert!(v.has_rfc3261_branch());
    }

    #[test]
    fn received_may_be_a_bare_or_bracketed_ipv6_address() {
        let v = Via::parse(
            "SIP/2.0/UDP [2001:db8::9:1];received=2001:db8::9:255;branch=z9hG4bKas3",
            0,
        )
        .unwrap();
        assert_eq!(v.received(), Some("2001:db8::9:255"));
        let v = Via::parse(
            "SIP/2.0/UDP [2001:db8::9:1]:6050;received=[2001:db8::9:255]",
            0,
        )
        .unwrap();
        assert_eq!(v.port, Some(6050));
        assert_eq!(v.received(), Some("[2001:db8::9:255]"));
    }

    #[test]
    fn rport_flag_and_value() {
        let v = Via::parse(
            "SIP/2.0/TCP ua-a.alpha.example:5060;branch=z9hG4bK.a1f93c;rport",
            0,
        )
        .unwrap();
        assert_eq!(v.rport(), Some(None));
        let v = Via::parse("SIP/2.0/TCP a.example;rport=50311;received=192.0.2.10", 0).unwrap();
        assert_eq!(v.rport(), Some(Some("50311")));
    }

    #[test]
    fn empty_via_parameters_are_refused() {
        assert_eq!(
            Via::parse("SIP/2.0/UDP 192.0.2.15;;", 0).unwrap_err().rule,
            Rule::EmptyParameter
        );
        assert_eq!(Via::parse(";", 0).unwrap_err().rule, Rule::InvalidVia);
    }
}
