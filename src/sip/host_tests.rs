//! Hosts, ports and addresses checked against readings written as plain splits: the one-pass
//! host reading, the dotted-quad rule, ports, and the IPv6 forms RFC 5954 and RFC 5118 name.

use super::*;

/// The label rules written as a split, to check the one-pass reading against.
fn host_name_by_labels(name: &str) -> Option<Host<'_>> {
    if is_ipv4(name) {
        return Some(Host::Ipv4(name));
    }
    if !chars::all(name.as_bytes(), chars::HOSTNAME) || name.len() > 255 {
        return None;
    }
    let bytes = name.as_bytes();
    let trimmed = bytes.strip_suffix(b".").unwrap_or(bytes);
    let mut labels = trimmed.split(|&b| b == b'.');
    let top = labels.next_back()?;
    let ok = |l: &[u8]| !l.is_empty() && l.first() != Some(&b'-') && l.last() != Some(&b'-');
    let top_ok = ok(top) && top.first().is_some_and(u8::is_ascii_alphabetic);
    (top_ok && labels.all(ok)).then_some(Host::Domain(name))
}

#[test]
fn host_names_follow_the_label_rules_for_every_short_name() {
    let alphabet = ['a', 'Z', '1', '-', '.', '_'];
    let mut names = vec![String::new()];
    for _ in 0..6 {
        let longer: Vec<String> = names
            .iter()
            .flat_map(|n| alphabet.iter().map(move |c| format!("{n}{c}")))
            .collect();
        for name in &longer {
            assert_eq!(parse_host_name(name), host_name_by_labels(name), "{name:?}");
        }
        names = longer;
    }
    for name in [
        "192.0.2.1",
        "1a.example",
        "cf.gamma.example.",
        &"a".repeat(256),
    ] {
        assert_eq!(parse_host_name(name), host_name_by_labels(name), "{name:?}");
    }
}

#[test]
fn a_host_prefix_is_the_host_name_of_the_longest_hostname_run() {
    for s in strings(&['a', '1', '-', '.', '_', ':'], 7) {
        let run = chars::run(s.as_bytes(), 0, chars::HOSTNAME);
        let whole = parse_host_name(&s[..run]);
        assert_eq!(host_prefix(&s, 0), whole.map(|h| (h, run)), "{s:?}");
    }
    let long = format!("{}.example:5060", "a".repeat(250));
    assert_eq!(host_prefix(&long, 0), None);
    assert_eq!(
        host_prefix("x@10.0.0.3:5060", 2),
        Some((Host::Ipv4("10.0.0.3"), 10))
    );
}

#[test]
fn a_host_prefix_reads_dotted_quads_like_the_general_rule() {
    for s in strings(&['2', '5', '6', '0', '.', 'a', ':'], 7) {
        let run = chars::run(s.as_bytes(), 0, chars::HOSTNAME);
        let whole = parse_host_name(&s[..run]);
        assert_eq!(host_prefix(&s, 0), whole.map(|h| (h, run)), "{s:?}");
    }
    for s in [
        "255.255.255.255",
        "256.0.0.1",
        "1.2.3.4.5",
        "10.0.0.50;x",
        "1.2.3.1234",
        "1.2.3.4-5",
        "10.0.0.5-",
        "10.0.0.5.",
        "1.2.3.4_",
    ] {
        let run = chars::run(s.as_bytes(), 0, chars::HOSTNAME);
        let whole = parse_host_name(&s[..run]);
        assert_eq!(host_prefix(s, 0), whole.map(|h| (h, run)), "{s:?}");
    }
}

/// The dotted-quad rule written as a split, to check the one-pass reading against.
fn ipv4_by_parts(s: &str) -> bool {
    let parts: Vec<&str> = s.split('.').collect();
    parts.len() == 4
        && parts.iter().all(|p| {
            !p.is_empty()
                && p.len() <= 3
                && p.bytes().all(|b| b.is_ascii_digit())
                && p.parse::<u16>().is_ok_and(|v| v <= 255)
        })
}

/// Every string over `alphabet` up to `len` bytes long.
fn strings(alphabet: &[char], len: usize) -> Vec<String> {
    let mut all = vec![String::new()];
    let mut last = vec![String::new()];
    for _ in 0..len {
        last = last
            .iter()
            .flat_map(|n| alphabet.iter().map(move |c| format!("{n}{c}")))
            .collect();
        all.extend(last.iter().cloned());
    }
    all
}

#[test]
fn ipv4_addresses_follow_the_dotted_quad_rule_for_every_short_string() {
    for s in strings(&['0', '2', '5', '9', '.', 'x'], 7) {
        assert_eq!(is_ipv4(&s), ipv4_by_parts(&s), "{s:?}");
    }
    for s in [
        "192.0.2.1",
        "255.255.255.255",
        "256.1.1.1",
        "1.1.1.1000",
        "01.002.3.4",
        "1.2.3.4.",
        ".1.2.3.4",
        "1..2.3",
    ] {
        assert_eq!(is_ipv4(s), ipv4_by_parts(s), "{s:?}");
    }
}

#[test]
fn ports_are_one_to_five_digits_up_to_65535() {
    for s in strings(&['0', '6', '5', '9', '+', ' '], 6) {
        let by_parse = !s.is_empty()
            && s.len() <= 5
            && s.bytes().all(|b| b.is_ascii_digit())
            && s.parse::<u16>().is_ok();
        assert_eq!(parse_port(&s).is_some(), by_parse, "{s:?}");
        if by_parse {
            assert_eq!(parse_port(&s), s.parse::<u16>().ok(), "{s:?}");
        }
    }
}

#[test]
fn rfc5954_ipv6_forms_are_accepted() {
    for ok in [
        "2001:db8::10",
        "::",
        "::1",
        "2001:db8::9:1",
        "::ffff:192.0.2.2",
        "2001:db8::192.0.2.1",
        "1:2:3:4:5:6:7:8",
        "1:2:3:4:5:6:192.0.2.1",
        "defa:daf::00:12",
    ] {
        assert!(is_ipv6(ok), "{ok}");
    }
}

#[test]
fn the_rfc3261_three_colon_form_is_tolerated() {
    assert!(is_ipv6("2001:db8:::192.0.2.1"));
    assert!(!is_ipv6("2001:db8:::1"));
}

#[test]
fn malformed_ipv6_is_refused() {
    for bad in [
        "2001:db8::10::1",
        "1:2:3:4:5:6:7:8:9",
        "12345::",
        "g::1",
        "",
        ":1",
    ] {
        assert!(!is_ipv6(bad), "{bad}");
    }
}

#[test]
fn an_unbracketed_ipv6_address_is_not_a_hostport() {
    assert!(parse_hostport("2001:db8::10").is_err());
    assert_eq!(
        parse_hostport("[2001:db8::10]:5070"),
        Ok((Host::Ipv6("2001:db8::10"), Some(5070)))
    );
    assert_eq!(
        parse_hostport("[2001:db8::10:5070]"),
        Ok((Host::Ipv6("2001:db8::10:5070"), None))
    );
}

#[test]
fn hostnames_and_ipv4_are_told_apart() {
    assert_eq!(
        parse_hostport("a.example:5060"),
        Ok((Host::Domain("a.example"), Some(5060)))
    );
    assert_eq!(
        parse_hostport("255.255.255.255"),
        Ok((Host::Ipv4("255.255.255.255"), None))
    );
    assert!(parse_hostport("192.0.2.256").is_err());
    assert!(parse_hostport("host:99999").is_err());
}
