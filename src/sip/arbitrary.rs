//! `arbitrary::Arbitrary` for [`OwnedMessage`], written by hand so that every generated message
//! is well formed and passes [`validate`](super::validate): the fuzz target `sip_structured`
//! then explores serializer and parser corners (any method token, compact and extension
//! headers, quoted display names with escapes, IPv6 hosts, parameters, binary bodies) instead of
//! spending its time on rejected input.

use super::owned::OwnedMessage;
use super::start_line::StatusCode;
use arbitrary::{Arbitrary, Result, Unstructured};

const TOKEN_CHARS: &[u8] =
    b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-.!%*_+`'~";
const METHODS: &[&str] = &[
    "MESSAGE",
    "REGISTER",
    "OPTIONS",
    "INVITE",
    "SUBSCRIBE",
    "NOTIFY",
];
const DOMAINS: &[&str] = &[
    "alpha.example",
    "beta.example",
    "cf.gamma.example",
    "example.com",
];
const HOSTS: &[&str] = &[
    "alpha.example",
    "im.epsilon.example",
    "192.0.2.10",
    "[2001:db8::44]",
    "[::ffff:192.0.2.2]",
    "[2001:db8::9:1]",
];
const TRANSPORTS: &[&str] = &["UDP", "TCP", "TLS", "SCTP", "WS"];

fn token(u: &mut Unstructured<'_>, max: usize) -> Result<String> {
    let len = u.int_in_range(1..=max)?;
    (0..len)
        .map(|_| u.choose(TOKEN_CHARS).map(|&b| char::from(b)))
        .collect()
}

/// Characters safe unescaped in every URI component (RFC 3261 `unreserved`).
const UNRESERVED_CHARS: &[u8] =
    b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.!~*'()";

fn uri_token(u: &mut Unstructured<'_>, max: usize) -> Result<String> {
    let len = u.int_in_range(1..=max)?;
    let mut s: String = (0..len)
        .map(|_| u.choose(UNRESERVED_CHARS).map(|&b| char::from(b)))
        .collect::<Result<_>>()?;
    if u.ratio(1, 5)? {
        s.push_str("%2C");
    }
    Ok(s)
}

fn user(u: &mut Unstructured<'_>) -> Result<String> {
    let mut s = uri_token(u, 10)?;
    if u.ratio(1, 4)? {
        s.push_str("%40x");
    }
    Ok(s)
}

fn host(u: &mut Unstructured<'_>) -> Result<String> {
    let mut h = (*u.choose(HOSTS)?).to_owned();
    if u.ratio(1, 3)? {
        h.push_str(&format!(":{}", u.int_in_range(1..=65535u32)?));
    }
    Ok(h)
}

fn sip_uri(u: &mut Unstructured<'_>, with_user: bool) -> Result<String> {
    let scheme = if u.ratio(1, 5)? { "sips" } else { "sip" };
    let mut s = format!("{scheme}:");
    if with_user {
        s.push_str(&user(u)?);
        s.push('@');
    }
    s.push_str(&host(u)?);
    for _ in 0..u.int_in_range(0..=2)? {
        s.push(';');
        s.push_str(&uri_token(u, 6)?);
        if u.ratio(1, 2)? {
            s.push('=');
            s.push_str(&uri_token(u, 6)?);
        }
    }
    Ok(s)
}

fn quoted(u: &mut Unstructured<'_>) -> Result<String> {
    let pieces = [
        "Alice", " ", "\\\"", "\\\\", "é", "Bob", ",", ";", "<x>", "大",
    ];
    let mut s = String::from("\"");
    for _ in 0..u.int_in_range(0..=5)? {
        s.push_str(u.choose(&pieces)?);
    }
    s.push('"');
    Ok(s)
}

fn name_addr(u: &mut Unstructured<'_>, tag: bool) -> Result<String> {
    let mut s = match u.int_in_range(0..=2)? {
        0 => format!("{} <{}>", quoted(u)?, sip_uri(u, true)?),
        1 => format!("<{}>", sip_uri(u, true)?),
        _ => format!("{} <{}>", token(u, 8)?, sip_uri(u, true)?),
    };
    if tag {
        s.push_str(&format!(";tag={}", token(u, 10)?));
    }
    Ok(s)
}

fn via(u: &mut Unstructured<'_>) -> Result<String> {
    let mut s = format!(
        "SIP/2.0/{} {};branch=z9hG4bK{}",
        u.choose(TRANSPORTS)?,
        host(u)?,
        token(u, 12)?
    );
    if u.ratio(1, 3)? {
        s.push_str(";rport");
    }
    if u.ratio(1, 3)? {
        s.push_str(";received=2001:db8::9:255");
    }
    Ok(s)
}

fn text(u: &mut Unstructured<'_>) -> Result<String> {
    let pieces = [
        "a", "b c", ",", ";", "\"q\"", "=", "é", "\u{feff}", "x y", "<", ">", "%",
    ];
    let mut s = String::new();
    for _ in 0..u.int_in_range(0..=6)? {
        s.push_str(u.choose(&pieces)?);
    }
    Ok(s.trim().to_owned())
}

fn pick_name<'n>(u: &mut Unstructured<'_>, full: &'n str, compact: &'n str) -> Result<&'n str> {
    Ok(if u.ratio(1, 2)? { compact } else { full })
}

/// One optional header row: (name, value).
fn extra_header(u: &mut Unstructured<'_>) -> Result<(String, String)> {
    Ok(match u.int_in_range(0..=6)? {
        0 => (pick_name(u, "Via", "v")?.to_owned(), via(u)?),
        1 => ("Route".to_owned(), format!("<{};lr>", sip_uri(u, false)?)),
        2 => (pick_name(u, "Subject", "s")?.to_owned(), text(u)?),
        3 => (
            "Expires".to_owned(),
            u.int_in_range(0..=u32::MAX)?.to_string(),
        ),
        4 => (
            pick_name(u, "Supported", "k")?.to_owned(),
            format!("{}, {}", token(u, 6)?, token(u, 6)?),
        ),
        5 => (
            "Date".to_owned(),
            "Sat, 15 Oct 2005 04:44:56 GMT".to_owned(),
        ),
        _ => (format!("X-{}", token(u, 10)?), text(u)?),
    })
}

impl<'a> Arbitrary<'a> for OwnedMessage {
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
        let method = if u.ratio(2, 3)? {
            (*u.choose(METHODS)?).to_owned()
        } else {
            token(u, 12)?
        };
        let request = u.ratio(2, 3)?;
        let mut m = if request {
            let with_user = u.arbitrary()?;
            OwnedMessage::request(method.clone(), sip_uri(u, with_user)?)
        } else {
            let code = StatusCode::new(u.int_in_range(100..=699)?).unwrap_or(StatusCode::OK);
            OwnedMessage::response(code, text(u)?)
        };
        m.push_header(pick_name(u, "Via", "v")?, via(u)?);
        if request {
            m.push_header("Max-Forwards", u.int_in_range(0..=255u8)?.to_string());
        }
        m.push_header(pick_name(u, "From", "f")?, name_addr(u, true)?);
        m.push_header(pick_name(u, "To", "t")?, name_addr(u, !request)?);
        m.push_header(
            pick_name(u, "Call-ID", "i")?,
            format!("{}@{}", token(u, 16)?, u.choose(DOMAINS)?),
        );
        m.push_header(
            "CSeq",
            format!("{} {method}", u.int_in_range(0..=i32::MAX as u32)?),
        );
        if method == "REGISTER" && u.ratio(1, 2)? {
            let contact = format!(
                "<{}>;expires={}",
                sip_uri(u, true)?,
                u.int_in_range(0..=3600)?
            );
            m.push_header(pick_name(u, "Contact", "m")?, contact);
        }
        for _ in 0..u.int_in_range(0..=6)? {
            let (name, value) = extra_header(u)?;
            // Expires and Date are single-value headers (RFC 4475 section 3.3.8).
            let single = name == "Expires" || name == "Date";
            if !single || m.header_value(&name).is_none() {
                m.push_header(name, value);
            }
        }
        let body: Vec<u8> = u.arbitrary()?;
        if !body.is_empty() {
            m.push_header(
                pick_name(u, "Content-Type", "c")?,
                "application/octet-stream",
            );
        }
        Ok(m.body(body))
    }
}
