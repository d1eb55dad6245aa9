//! A fan-out leg's CPIM body (RFC 5365 section 7, RFC 5438 sections 6.4 and 8): the IM's
//! header lines as received, `To` rewritten to the member, `imdn.Original-To` (the group) and
//! the CF on top of `imdn.IMDN-Record-Route` added, every other octet kept (S13).

use crate::cpim::{format_address, Cpim, DispositionSet, Header, IMDN_NS};

/// What changes in the CPIM body of one fan-out leg.
pub(crate) struct LegRewrite<'a> {
    /// The member the leg goes to: the new `To`.
    pub(crate) member: &'a str,
    /// The CF's IMDN URI, put on top of `imdn.IMDN-Record-Route`.
    pub(crate) imdn_uri: &'a str,
}

/// What every leg of one IM shares, read from the IM once.
pub(crate) struct LegPlan<'c> {
    /// The prefix the IM binds exactly to the IMDN URN, if any (else `imdn` is declared).
    declared: Option<&'c str>,
    /// Whether the sender asked for IMDNs: the CF then puts itself on the route.
    route: bool,
    /// The `imdn.Original-To` value (the group) every leg adds, when the IM has none yet:
    /// written once for all legs.
    original_to: Option<String>,
}

impl<'c> LegPlan<'c> {
    /// The plan for `cpim`, whose requested dispositions are `dispositions`, sent to the
    /// group `group` with the display name `group_name`.
    pub(crate) fn of(
        cpim: &Cpim<'c>,
        dispositions: DispositionSet,
        group_name: Option<&str>,
        group: &str,
    ) -> Self {
        LegPlan {
            declared: cpim
                .namespaces()
                .find(|(_, uri)| *uri == IMDN_NS)
                .and_then(|(p, _)| p),
            route: !dispositions.is_empty(),
            original_to: cpim
                .original_to()
                .is_none()
                .then(|| format_address(group_name, group)),
        }
    }
}

/// The member's copy of the CPIM body, written from the parsed IM: every header line as
/// received except the unprefixed `To` lines, whose first place takes `To: <member>`; the
/// CF's `IMDN-Record-Route` before the first such header when the sender asked for IMDNs;
/// then, at the end, the `NS` of the IMDN prefix if none binds exactly the IMDN URN, `To` if
/// there was none, `Original-To` (the group) if absent and the route if there was none; then
/// the MIME headers as `Name: value` and the content.
///
/// `body` is the IM's CPIM body `cpim` was parsed from: a header line kept as received is
/// copied from it in one piece.
pub(crate) fn leg_body(
    body: &[u8],
    cpim: &Cpim<'_>,
    plan: &LegPlan<'_>,
    leg: &LegRewrite<'_>,
) -> Vec<u8> {
    let (declared, route) = (plan.declared, plan.route);
    let prefix = declared.unwrap_or("imdn");
    let mut out = Vec::with_capacity(leg_body_len_hint(cpim, plan, leg));
    let line = |out: &mut Vec<u8>, prefix: Option<&str>, name: &str, value: [&str; 4]| {
        if let Some(p) = prefix {
            out.extend_from_slice(p.as_bytes());
            out.push(b'.');
        }
        out.extend_from_slice(name.as_bytes());
        out.extend_from_slice(b": ");
        for piece in value {
            out.extend_from_slice(piece.as_bytes());
        }
        out.extend_from_slice(b"\r\n");
    };
    let to_line = |out: &mut Vec<u8>| line(out, None, "To", ["<", leg.member, ">", ""]);
    let route_line = |out: &mut Vec<u8>| {
        line(
            out,
            Some(prefix),
            "IMDN-Record-Route",
            ["<", leg.imdn_uri, ">", ""],
        )
    };
    let (mut to_written, mut route_written) = (false, false);
    let line_ends = line_ends(cpim);
    for (h, end) in cpim.headers.iter().zip(line_ends) {
        if h.prefix.is_none() && h.name == "To" {
            if !to_written {
                to_written = true;
                to_line(&mut out);
            }
            continue;
        }
        if route && !route_written && h.name == "IMDN-Record-Route" {
            route_written = true;
            route_line(&mut out);
        }
        match body.get(h.offset..end) {
            Some(raw) if raw.len() == line_len(h) => out.extend_from_slice(raw),
            _ => h.write_line(&mut out),
        }
    }
    if declared.is_none() {
        line(&mut out, None, "NS", ["imdn <", IMDN_NS, ">", ""]);
    }
    if !to_written {
        to_line(&mut out);
    }
    if let Some(value) = &plan.original_to {
        line(&mut out, Some(prefix), "Original-To", [value, "", "", ""]);
    }
    if route && !route_written {
        route_line(&mut out);
    }
    out.extend_from_slice(b"\r\n");
    for h in &cpim.mime_headers {
        line(&mut out, None, h.name, [h.value, "", "", ""]);
    }
    out.extend_from_slice(b"\r\n");
    out.extend_from_slice(cpim.content);
    out
}

/// Where each header line of `cpim` ends in its body, CRLF included: where the next line
/// starts, and for the last one the blank line before the MIME headers.
fn line_ends<'h>(cpim: &'h Cpim<'_>) -> impl Iterator<Item = usize> + 'h {
    let block_end = cpim
        .mime_headers
        .first()
        .map_or(0, |m| m.offset.saturating_sub(2));
    let next = cpim.headers.iter().skip(1).map(|h| h.offset);
    next.chain(std::iter::once(block_end))
}

/// The length of `h`'s line as received, CRLF included (what `write_line` appends).
fn line_len(h: &Header<'_>) -> usize {
    let prefix = h.prefix.map_or(0, |p| p.len() + 1);
    prefix + h.name.len() + 1 + h.params_raw.len() + 1 + h.value_raw.len() + 2
}

/// Room for a leg's body: the IM's lines and content plus the added lines.
fn leg_body_len_hint(cpim: &Cpim<'_>, plan: &LegPlan<'_>, leg: &LegRewrite<'_>) -> usize {
    /// Bytes of the added lines besides the URIs and names they carry.
    const ADDED_MARKUP_BYTES: usize = 160;
    let headers: usize = cpim
        .headers
        .iter()
        .map(|h| h.name.len() + h.params_raw.len() + h.value_raw.len() + 16)
        .sum();
    let mime: usize = cpim
        .mime_headers
        .iter()
        .map(|h| h.name.len() + h.value.len() + 4)
        .sum();
    let names = leg.member.len() + leg.imdn_uri.len();
    let original_to = plan.original_to.as_ref().map_or(0, String::len);
    headers + mime + cpim.content.len() + names + original_to + ADDED_MARKUP_BYTES
}
