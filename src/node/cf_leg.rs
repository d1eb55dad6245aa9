//! A fan-out leg's CPIM body (RFC 5365 section 7, RFC 5438 sections 6.4 and 8): the IM's
//! header lines as received, `To` rewritten to the member, `imdn.Original-To` (the group) and
//! the CF on top of `imdn.IMDN-Record-Route` added, every other octet kept (S13).

use crate::cpim::{format_address, Cpim, DispositionSet, Header, IMDN_NS};
use bytes::BufMut;

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
#[cfg(test)]
pub(crate) fn leg_body(
    body: &[u8],
    cpim: &Cpim<'_>,
    plan: &LegPlan<'_>,
    leg: &LegRewrite<'_>,
) -> Vec<u8> {
    let mut out = Vec::with_capacity(leg_body_len_hint(cpim, plan, leg));
    write_leg_body(&mut out, body, cpim, plan, leg);
    out
}

/// Appends the body [`leg_body`] describes to `out`.
#[cfg(test)]
pub(crate) fn write_leg_body<O: BufMut>(
    out: &mut O,
    body: &[u8],
    cpim: &Cpim<'_>,
    plan: &LegPlan<'_>,
    leg: &LegRewrite<'_>,
) {
    let to_line = |out: &mut O| put(out, &["To: <", leg.member, ">\r\n"]);
    write_leg_body_with(out, body, cpim, plan, leg.imdn_uri, to_line);
}

/// The body of every leg of one IM, written once: the body [`leg_body`] describes with the
/// member left out of its `To` line, and where the member goes. Only that line differs
/// between two legs, so each leg's body is the two pieces around the member.
pub(crate) struct LegTemplate {
    /// The body with an empty `To: <>`.
    bytes: Vec<u8>,
    /// Where the member goes: just after `To: <`.
    member_at: usize,
}

impl LegTemplate {
    /// The template of the legs of the IM `cpim`, parsed from `body`, under `plan`; the CF
    /// puts `imdn_uri` on the route.
    pub(crate) fn of(body: &[u8], cpim: &Cpim<'_>, plan: &LegPlan<'_>, imdn_uri: &str) -> Self {
        let rewrite = LegRewrite {
            member: "",
            imdn_uri,
        };
        let mut bytes = Vec::with_capacity(leg_body_len_hint(cpim, plan, &rewrite));
        let mut member_at = 0;
        let to_line = |out: &mut Vec<u8>| {
            out.put_slice(b"To: <");
            member_at = out.len();
            out.put_slice(b">\r\n");
        };
        write_leg_body_with(&mut bytes, body, cpim, plan, imdn_uri, to_line);
        LegTemplate { bytes, member_at }
    }

    /// The length of the body of the leg to `member`.
    pub(crate) fn len_for(&self, member: &str) -> usize {
        self.bytes.len() + member.len()
    }

    /// Appends the body of the leg to `member` to `out` (the leg request's own buffer).
    pub(crate) fn write(&self, out: &mut impl BufMut, member: &str) {
        let (head, tail) = self.bytes.split_at(self.member_at.min(self.bytes.len()));
        out.put_slice(head);
        out.put_slice(member.as_bytes());
        out.put_slice(tail);
    }
}

/// Appends the body [`leg_body`] describes to `out`, the `To` line written by `to_line`.
fn write_leg_body_with<O: BufMut>(
    out: &mut O,
    body: &[u8],
    cpim: &Cpim<'_>,
    plan: &LegPlan<'_>,
    imdn_uri: &str,
    mut to_line: impl FnMut(&mut O),
) {
    let (declared, route) = (plan.declared, plan.route);
    let prefix = declared.unwrap_or("imdn");
    // Each added line is written from a few pieces: the name's markup is one piece.
    let route_line = |out: &mut O| put(out, &[prefix, ".IMDN-Record-Route: <", imdn_uri, ">\r\n"]);
    let (mut to_written, mut route_written) = (false, false);
    // Lines kept as received that follow each other in the body are copied as one run.
    let mut run = RawRun::default();
    for (h, end) in cpim.headers.iter().zip(line_ends(cpim)) {
        if h.prefix.is_none() && h.name == "To" {
            run.copy(body, out);
            if !to_written {
                to_written = true;
                to_line(out);
            }
            continue;
        }
        if route && !route_written && h.name == "IMDN-Record-Route" {
            run.copy(body, out);
            route_written = true;
            route_line(out);
        }
        match body.get(h.offset..end) {
            Some(raw) if raw.len() == line_len(h) => run.extend(body, out, h.offset..end),
            _ => {
                run.copy(body, out);
                // A line in another form is rare: written apart, then copied.
                let mut line = Vec::with_capacity(line_len(h));
                h.write_line(&mut line);
                out.put_slice(&line);
            }
        }
    }
    run.copy(body, out);
    if declared.is_none() {
        put(out, &["NS: imdn <", IMDN_NS, ">\r\n"]);
    }
    if !to_written {
        to_line(out);
    }
    if let Some(value) = &plan.original_to {
        put(out, &[prefix, ".Original-To: ", value, "\r\n"]);
    }
    if route && !route_written {
        route_line(out);
    }
    match entity_as_written(body, cpim) {
        // The blank line, the MIME headers, the blank line and the content, as received.
        Some(entity) => out.put_slice(entity),
        None => {
            out.put_slice(b"\r\n");
            for h in &cpim.mime_headers {
                put(out, &[h.name, ": ", h.value, "\r\n"]);
            }
            out.put_slice(b"\r\n");
            out.put_slice(cpim.content);
        }
    }
}

/// Appends the pieces of a line to `out`.
fn put(out: &mut impl BufMut, pieces: &[&str]) {
    for piece in pieces {
        out.put_slice(piece.as_bytes());
    }
}

/// Header lines of the body kept as received and not yet copied: one range of the body.
#[derive(Default)]
struct RawRun {
    lines: Option<std::ops::Range<usize>>,
}

impl RawRun {
    /// Adds the line at `line` (a range of `body`), copying the run so far first when the
    /// line does not follow it.
    fn extend(&mut self, body: &[u8], out: &mut impl BufMut, line: std::ops::Range<usize>) {
        match &mut self.lines {
            Some(lines) if lines.end == line.start => lines.end = line.end,
            _ => {
                self.copy(body, out);
                self.lines = Some(line);
            }
        }
    }

    /// Copies the run to `out` and starts a new one.
    fn copy(&mut self, body: &[u8], out: &mut impl BufMut) {
        if let Some(raw) = self.lines.take().and_then(|lines| body.get(lines)) {
            out.put_slice(raw);
        }
    }
}

/// The bytes of `body` from the blank line ending the CPIM headers to the end, when they are
/// exactly what the leg writes there: the blank line, each MIME header as `Name: value` CRLF
/// in order, the blank line and the content. `None` when any MIME line was received in
/// another form (other spacing), so the leg writes the lines from their pieces.
fn entity_as_written<'b>(body: &'b [u8], cpim: &Cpim<'_>) -> Option<&'b [u8]> {
    let first = cpim.mime_headers.first()?;
    let blank = first.offset.checked_sub(2)?;
    let blank_after = cpim.content_offset.checked_sub(2)?;
    let ends = cpim
        .mime_headers
        .iter()
        .skip(1)
        .map(|h| h.offset)
        .chain(std::iter::once(blank_after));
    let mut at = first.offset;
    for (h, end) in cpim.mime_headers.iter().zip(ends) {
        let raw = body.get(h.offset..end)?;
        // The name is the line's start and the value is cut from the line past the colon and
        // its leading blanks; a line of exactly `name ": " value CRLF` length that has `": "`
        // after the name and ends in CRLF is therefore that line.
        let as_written = h.offset == at
            && raw.len() == h.name.len() + 2 + h.value.len() + 2
            && raw.get(h.name.len()..h.name.len() + 2) == Some(b": ")
            && raw.ends_with(b"\r\n")
            && raw.get(..h.name.len()) == Some(h.name.as_bytes())
            && raw.get(h.name.len() + 2..raw.len() - 2) == Some(h.value.as_bytes());
        if !as_written {
            return None;
        }
        at = end;
    }
    let entity = body.get(blank..)?;
    let framed = body.get(blank..blank + 2) == Some(b"\r\n")
        && body.get(blank_after..cpim.content_offset) == Some(b"\r\n")
        && body.get(cpim.content_offset..) == Some(cpim.content);
    (at == blank_after && framed).then_some(entity)
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
pub(crate) fn leg_body_len_hint(
    cpim: &Cpim<'_>,
    plan: &LegPlan<'_>,
    leg: &LegRewrite<'_>,
) -> usize {
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
