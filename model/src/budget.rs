//! Fault budgets, and splitting them between group IMs: a sound reduction for the checker.
//!
//! A scenario's `drops_max` and `duplicates_max` are shared by the whole behaviour, so a fault
//! on one IM's packet and a fault on another's compete for the last unit of budget: neither
//! order commutes with the other, and partial-order reduction cannot separate the two IMs while
//! any budget is left. With split budgets on (the checker turns them on with partial-order
//! reduction, for scenarios with two IMs), each budget is divided up front between the *fault
//! groups* (each group IM, and the REGISTER traffic) in every possible way, one initial state
//! per division, and a fault spends its own group's allowance.
//!
//! # Why it keeps every verdict
//! Every behaviour of the shared model spends, per group, some number of faults whose total is
//! within the budget, so it is a behaviour of the split model from the initial state whose
//! division gives each group at least that many (divisions use the whole budget, so one exists);
//! conversely every behaviour of the split model spends at most the budget in total, so it is a
//! behaviour of the shared model. Both reach the same states apart from the allowances, which
//! no property reads, with paths of the same length (the division takes no step); terminal
//! states coincide (nothing is in flight, so no fault is enabled in either).

use crate::config::Config;
use crate::limits::MESSAGES_MAX;
use crate::message::Packet;
use crate::state::State;

/// Fault groups: one per group IM, then the REGISTER traffic.
pub const FAULT_GROUPS: usize = MESSAGES_MAX + 1;

/// The fault group of a packet: its group IM, or the last group for REGISTER and its 200.
pub fn fault_group(p: &Packet) -> usize {
    p.message().map_or(MESSAGES_MAX, usize::from)
}

/// True if the budgets are split for this configuration: asked for, and two IMs to separate.
pub fn split(cfg: &Config) -> bool {
    cfg.split_budgets && cfg.messages >= 2
}

/// True if a loss of `p` is within budget in `s`.
pub fn drop_left(cfg: &Config, s: &State, p: &Packet) -> bool {
    if split(cfg) {
        s.drop_allowance[fault_group(p)] > 0
    } else {
        s.drops_used < cfg.drops_max
    }
}

/// True if a duplicate of `p` is within budget in `s`.
pub fn duplicate_left(cfg: &Config, s: &State, p: &Packet) -> bool {
    if split(cfg) {
        s.duplicate_allowance[fault_group(p)] > 0
    } else {
        s.duplicates_used < cfg.duplicates_max
    }
}

/// Spends one loss on `p`.
pub(crate) fn spend_drop(cfg: &Config, s: &mut State, p: &Packet) {
    s.drops_used += 1;
    if split(cfg) {
        let allowance = &mut s.drop_allowance[fault_group(p)];
        *allowance = allowance.saturating_sub(1);
    }
}

/// Spends one duplicate on `p`.
pub(crate) fn spend_duplicate(cfg: &Config, s: &mut State, p: &Packet) {
    s.duplicates_used += 1;
    if split(cfg) {
        let allowance = &mut s.duplicate_allowance[fault_group(p)];
        *allowance = allowance.saturating_sub(1);
    }
}

/// Every division of `total` between `groups` groups (the rest get zero), in a fixed order.
fn divisions(total: u8, groups: usize) -> Vec<[u8; FAULT_GROUPS]> {
    let mut out = Vec::new();
    let mut current = [0u8; FAULT_GROUPS];
    fn fill(
        at: usize,
        left: u8,
        groups: usize,
        current: &mut [u8; FAULT_GROUPS],
        out: &mut Vec<[u8; FAULT_GROUPS]>,
    ) {
        if at + 1 == groups {
            current[at] = left;
            out.push(*current);
            return;
        }
        for here in (0..=left).rev() {
            current[at] = here;
            fill(at + 1, left - here, groups, current, out);
        }
        current[at] = 0;
    }
    fill(0, total, groups, &mut current, &mut out);
    out
}

/// The initial states for `init`: itself when budgets are shared, else one copy per division of
/// the loss and duplicate budgets between the groups that can have packets.
pub fn initial_states(cfg: &Config, init: State) -> Vec<State> {
    if !split(cfg) {
        return vec![init];
    }
    // Group indices in use: the IMs, then REGISTER traffic (index MESSAGES_MAX) if any user can
    // register during the behaviour; the division runs over a compact list of them.
    let mut used: Vec<usize> = (0..cfg.messages).collect();
    if cfg.offline & !cfg.stays_offline != 0 || cfg.crashes_max > 0 {
        used.push(MESSAGES_MAX);
    }
    let expand = |compact: [u8; FAULT_GROUPS]| {
        let mut full = [0u8; FAULT_GROUPS];
        for (slot, group) in used.iter().enumerate() {
            full[*group] = compact[slot];
        }
        full
    };
    let mut states = Vec::new();
    for drops in divisions(cfg.drops_max, used.len()) {
        for duplicates in divisions(cfg.duplicates_max, used.len()) {
            let mut s = init.clone();
            s.drop_allowance = expand(drops);
            s.duplicate_allowance = expand(duplicates);
            states.push(s);
        }
    }
    states
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn divisions_cover_every_way_to_share_the_budget() {
        assert_eq!(divisions(0, 3), vec![[0, 0, 0]]);
        assert_eq!(divisions(1, 3).len(), 3);
        assert_eq!(divisions(2, 3).len(), 6);
        assert!(divisions(2, 2)
            .iter()
            .all(|d| d[0] + d[1] == 2 && d[2] == 0));
    }
}
