//! Every lane's next timer, and the earliest of them (ties: the lowest lane), kept at hand.
//!
//! A lane's timer moves after each input it handles, but rarely is it the earliest one that
//! moves later: a timer set earlier than the earliest takes its place at once, one set later
//! on another lane changes nothing, and only the earliest lane's own timer moving later (or
//! going) asks for a scan of the lanes. A heap of (instant, lane) entries with stale ones
//! dropped at the top paid a push for every move and a pop for every stale entry instead.

use crate::node::Instant;

/// The lanes' next timers.
#[derive(Debug)]
pub(super) struct LaneTimers {
    at: Vec<Option<Instant>>,
    /// The earliest timer and its lane (the lowest lane among equal instants).
    first: Option<(Instant, usize)>,
}

impl LaneTimers {
    /// The timers of lanes `0..at.len()`.
    pub(super) fn new(at: Vec<Option<Instant>>) -> Self {
        let first = scan(&at);
        LaneTimers { at, first }
    }

    /// Lane `lane`'s next timer is now `next`.
    pub(super) fn set(&mut self, lane: usize, next: Option<Instant>) {
        let Some(slot) = self.at.get_mut(lane) else {
            return;
        };
        if *slot == next {
            return;
        }
        *slot = next;
        let entry = next.map(|at| (at, lane));
        match (self.first, entry) {
            // Now the earliest: (instant, lane) orders exactly as the scan does.
            (None, Some(entry)) => self.first = Some(entry),
            (Some(first), Some(entry)) if entry < first => self.first = Some(entry),
            // The earliest lane's timer moved later or went: another lane may lead now.
            (Some((_, first_lane)), _) if first_lane == lane => self.first = scan(&self.at),
            _ => {}
        }
    }

    /// The earliest timer and its lane (the lowest lane among equal instants).
    pub(super) fn earliest(&self) -> Option<(Instant, usize)> {
        self.first
    }
}

/// The earliest of `at` and its lane, by a scan of every lane.
fn scan(at: &[Option<Instant>]) -> Option<(Instant, usize)> {
    at.iter()
        .enumerate()
        .filter_map(|(lane, t)| t.map(|at| (at, lane)))
        .min()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_earliest_timer_is_the_one_a_scan_of_every_lane_finds() {
        for lanes in [1, 2, 7, 41] {
            let mut plain = vec![None; lanes];
            let mut timers = LaneTimers::new(plain.clone());
            // A fixed pseudo-random walk over lanes and instants, ties included.
            let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
            for _ in 0..20_000 {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                let lane = (x % lanes as u64) as usize;
                let next = (x >> 8) % 5 != 0;
                let at = next.then_some(Instant((x >> 16) % 64));
                plain[lane] = at;
                timers.set(lane, at);
                assert_eq!(timers.earliest(), scan(&plain));
                let brute = (0..lanes).filter_map(|l| plain[l].map(|t| (t, l))).fold(
                    None,
                    |best: Option<(Instant, usize)>, e| {
                        Some(best.map_or(e, |b| if e.0 < b.0 { e } else { b }))
                    },
                );
                assert_eq!(timers.earliest(), brute, "ties go to the lowest lane");
            }
        }
    }

    #[test]
    fn timers_given_at_the_start_are_found_and_an_unknown_lane_is_ignored() {
        let mut timers = LaneTimers::new(vec![Some(Instant(9)), None, Some(Instant(4))]);
        assert_eq!(timers.earliest(), Some((Instant(4), 2)));
        timers.set(5, Some(Instant(1)));
        assert_eq!(timers.earliest(), Some((Instant(4), 2)));
        timers.set(2, None);
        assert_eq!(timers.earliest(), Some((Instant(9), 0)));
        timers.set(0, None);
        assert_eq!(timers.earliest(), None);
    }
}
