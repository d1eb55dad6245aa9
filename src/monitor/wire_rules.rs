//! The wire-level rules: S6, S11, S12, S13, S15 and S16, read from every message on the wire.

use super::context::Context;
use super::wire::StartLine;
use super::{Monitored, WireRule};
use crate::node::{Event, Instant, Transport};
use crate::sim::{aor_key, Fate, Happening};
use std::collections::{HashMap, HashSet};

/// The largest message RFC 3428 section 8 allows over a datagram transport, in bytes.
pub const UDP_MESSAGE_BYTES_MAX: usize = 1300;

/// Checks S6, S11, S13, S15, S16 on each message and S12 across each sender's transactions.
pub(super) fn check(ctx: &mut Context<'_>) {
    let mut found = Vec::new();
    let mut imdn_ids: HashSet<&str> = HashSet::new();
    for (i, entry, f) in ctx.transmits() {
        let Happening::Transmit {
            transport, bytes, ..
        } = &entry.what
        else {
            continue;
        };
        if *transport == Transport::Udp && bytes.len() > UDP_MESSAGE_BYTES_MAX {
            found.push((
                WireRule::S15,
                i,
                format!(
                    "{} bytes over UDP from {} (at most {UDP_MESSAGE_BYTES_MAX})",
                    bytes.len(),
                    lane(ctx, entry.lane)
                ),
            ));
        }
        if f.status() == Some(408) {
            found.push((
                WireRule::S16,
                i,
                format!("{} sent 408 on the wire", lane(ctx, entry.lane)),
            ));
        }
        let is_message = f.method() == Some("MESSAGE");
        if is_message && f.has_contact {
            found.push((
                WireRule::S11,
                i,
                format!("{} sent a MESSAGE with a Contact", lane(ctx, entry.lane)),
            ));
        }
        if let Some(status) = f.status() {
            if (200..300).contains(&status)
                && f.cseq_method == "MESSAGE"
                && (f.has_contact || f.body_len > 0)
            {
                found.push((
                    WireRule::S11,
                    i,
                    format!(
                        "{} answered a MESSAGE {status} with {}",
                        lane(ctx, entry.lane),
                        if f.has_contact { "a Contact" } else { "a body" }
                    ),
                ));
            }
        }
        if let Some(imdn) = f.imdn() {
            if !imdn.dispositions.is_empty() || imdn.record_routes > 0 {
                found.push((
                    WireRule::S6,
                    i,
                    format!(
                        "an IMDN from {} requests an IMDN or carries IMDN-Record-Route",
                        lane(ctx, entry.lane)
                    ),
                ));
            }
            for e in &imdn.entries {
                if imdn_ids.contains(e.message_id.as_str()) {
                    found.push((
                        WireRule::S6,
                        i,
                        format!("an IMDN reports on the IMDN {}", e.message_id),
                    ));
                }
            }
            if let Some(id) = imdn.message_id {
                imdn_ids.insert(id);
            }
        }
        if let Some(cpim) = &f.cpim {
            s13(ctx, i, cpim, &mut found);
        }
    }
    s12(ctx, &mut found);
    for (rule, i, detail) in found {
        ctx.violate(Monitored::Wire(rule), i, detail);
    }
}

fn lane(ctx: &Context<'_>, lane: usize) -> String {
    ctx.cast().lanes.get(lane).cloned().unwrap_or_default()
}

/// S13: every copy of an IM keeps its first copy's fields; IMDNs repeat the IM's DateTime.
fn s13(
    ctx: &Context<'_>,
    i: usize,
    cpim: &super::wire::CpimFacts<'_>,
    found: &mut Vec<(WireRule, usize, String)>,
) {
    if cpim.is_imdn {
        for e in &cpim.entries {
            if let Some(im) = ctx.ims.get(e.message_id.as_str()) {
                if im.datetime != Some(e.datetime.as_str()) {
                    found.push((
                        WireRule::S13,
                        i,
                        format!("the IMDN for {} changes its DateTime", e.message_id),
                    ));
                }
            }
        }
        return;
    }
    let Some(id) = &cpim.message_id else { return };
    let Some(first) = ctx.ims.get(id) else { return };
    let changed = [
        ("DateTime", first.datetime != cpim.datetime),
        ("dispositions", first.dispositions != cpim.dispositions),
        ("From", first.from != cpim.from),
        ("Content-Type", first.content_type != cpim.content_type),
        ("payload", first.content != cpim.content),
    ];
    for (what, differs) in changed {
        if differs {
            found.push((
                WireRule::S13,
                i,
                format!("a copy of IM {id} changes its {what}"),
            ));
        }
    }
}

/// S12: a node that builds a MESSAGE (one Via) to a URI while its previous MESSAGE to that URI
/// has no final response yet (nor a local timeout, nor a crash) breaks RFC 3428 section 8.
///
/// Each transaction has a closing instant: the first of its final response's arrival and the
/// first timeout or crash at its sender since it was sent. It is pending exactly before that
/// instant. A transaction that has closed for every entry still to come is dropped, so the
/// check costs about one step per MESSAGE however long the run.
fn s12(ctx: &Context<'_>, found: &mut Vec<(WireRule, usize, String)>) {
    // When each transaction (lane, Call-ID, CSeq) ended at its client.
    let mut ended: HashMap<(usize, &str, u32), Instant> = HashMap::new();
    // Timeouts and crashes, per lane, in time order.
    let mut interrupts: HashMap<usize, Vec<Instant>> = HashMap::new();
    for (entry, facts) in ctx.run.entries.iter().zip(&ctx.facts) {
        match (&entry.what, facts) {
            (
                Happening::Transmit {
                    to,
                    fate: Fate::Delivered { at },
                    ..
                },
                Some(f),
            ) if f.status().is_some_and(|s| s >= 200) && f.cseq_method == "MESSAGE" => {
                let key = (*to, f.call_id, f.cseq);
                let end = ended.entry(key).or_insert(*at);
                *end = (*end).min(*at);
            }
            (Happening::Event(Event::TransactionTimedOut { method, .. }), _)
                if method == "MESSAGE" =>
            {
                interrupts.entry(entry.lane).or_default().push(entry.at);
            }
            (Happening::Crash, _) => interrupts.entry(entry.lane).or_default().push(entry.at),
            _ => {}
        }
    }
    for times in interrupts.values_mut() {
        times.sort_unstable();
    }
    let closing = |lane: usize, call_id: &str, cseq: u32, sent: Instant| -> Option<Instant> {
        let answered = ended.get(&(lane, call_id, cseq)).copied();
        let interrupted = interrupts.get(&lane).and_then(|times| {
            let first = times.partition_point(|t| *t < sent);
            times.get(first).copied()
        });
        answered.into_iter().chain(interrupted).min()
    };
    // The earliest instant of every entry from each index on: a transaction closed by then is
    // closed for the rest of the run.
    let mut earliest_from: Vec<Instant> = ctx.run.entries.iter().map(|e| e.at).collect();
    for i in (1..earliest_from.len()).rev() {
        earliest_from[i - 1] = earliest_from[i - 1].min(earliest_from[i]);
    }
    // Per (lane, destination): the transactions seen, and the closing instants of those that
    // may still be pending (None: never closes).
    let mut seen: HashSet<(usize, &str, &str, u32)> = HashSet::new();
    let mut pending: HashMap<(usize, &str), Vec<Option<Instant>>> = HashMap::new();
    for (i, entry, f) in ctx.transmits() {
        let (Some("MESSAGE"), StartLine::Request { uri, .. }) = (f.method(), &f.start) else {
            continue;
        };
        if f.vias != 1 || super::context::Context::is_duplicate(entry) {
            continue;
        }
        let destination = aor_key(uri);
        if !seen.insert((entry.lane, destination, f.call_id, f.cseq)) {
            continue; // a retransmission of a transaction already open
        }
        let now = entry.at;
        let list = pending.entry((entry.lane, destination)).or_default();
        let from_here = earliest_from.get(i).copied().unwrap_or(now);
        list.retain(|close| close.is_none_or(|c| c > from_here));
        if list.iter().any(|close| close.is_none_or(|c| c > now)) {
            found.push((
                WireRule::S12,
                i,
                format!(
                    "{} sent a second MESSAGE to {uri} while one was pending",
                    lane(ctx, entry.lane)
                ),
            ));
        }
        list.push(closing(entry.lane, f.call_id, f.cseq, now));
    }
}
