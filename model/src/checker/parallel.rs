//! Parallel expansion of one breadth-first level, producing exactly the level the one-thread
//! expansion would: same states, same order, same links.
//!
//! Workers take chunks of the frontier from a shared counter. The visited set (all earlier
//! levels) is read-only during the level. A successor not in it is offered to the next level's
//! sharded map `fingerprint -> key`, where key = (parent position, action index): the first
//! worker to offer a fingerprint keeps the state, later offers only lower the key to the minimum.
//! The minimum key is the one-thread expansion's first discovery, so sorting the new states by
//! key reproduces its order and links. Finally each thread moves a disjoint group of shards of
//! the level into the visited set.

use std::collections::hash_map::Entry;
use std::hash::Hash;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Mutex, PoisonError};
use std::thread;
use std::time::Instant;

use super::clock::Cut;
use super::fingerprint::fingerprint;
use super::options::Reductions;
use super::search::{first_deciding, Expander, Link, Scratch, Search};
use super::visited::{shard_of, FingerprintMap, VisitedSet, SHARDS};

/// Frontier states a worker takes at a time.
const CHUNK_STATES: usize = 256;

/// One shard of the level being built: fingerprint -> least (parent position, action) key.
type LevelShard = FingerprintMap<u64>;

/// What the workers share while expanding one level.
struct LevelWork<'a, M: Reductions> {
    expander: Expander<'a, M>,
    frontier: &'a [M::State],
    visited: &'a VisitedSet,
    level: &'a [Mutex<LevelShard>],
    next_chunk: AtomicUsize,
    stop: AtomicBool,
    generated: AtomicU64,
    discovered: AtomicU64,
    deadline: Option<Instant>,
}

impl<M> LevelWork<'_, M>
where
    M: Reductions,
    M::State: Hash + Clone,
{
    /// Expands chunks until none is left (or `keep_going` says stop); returns the states this
    /// worker was first to discover, with their fingerprints.
    fn run(&self, mut keep_going: impl FnMut(&Self) -> bool) -> Vec<(u64, M::State)> {
        let mut found = Vec::new();
        let mut scratch = Scratch::default();
        while !self.stop.load(Ordering::Relaxed) {
            let chunk = self.next_chunk.fetch_add(1, Ordering::Relaxed);
            let start = chunk.saturating_mul(CHUNK_STATES);
            let Some(states) = self.frontier.get(start..) else {
                break;
            };
            let mut generated = 0u64;
            let before = found.len();
            for (offset, state) in states.iter().take(CHUNK_STATES).enumerate() {
                let parent = (start + offset) as u64;
                self.expander
                    .successors(state, &mut scratch, |action, successor| {
                        generated += 1;
                        let fingerprint = fingerprint(&successor);
                        if self.visited.contains(fingerprint) {
                            return;
                        }
                        let key = (parent << 32) | u64::from(action);
                        let Some(shard) = self.level.get(shard_of(fingerprint)) else {
                            return;
                        };
                        let mut shard = shard.lock().unwrap_or_else(PoisonError::into_inner);
                        match shard.entry(fingerprint) {
                            Entry::Vacant(entry) => {
                                entry.insert(key);
                                drop(shard);
                                found.push((fingerprint, successor));
                            }
                            Entry::Occupied(mut entry) => {
                                if key < *entry.get() {
                                    entry.insert(key);
                                }
                            }
                        }
                    });
            }
            self.generated.fetch_add(generated, Ordering::Relaxed);
            self.discovered
                .fetch_add((found.len() - before) as u64, Ordering::Relaxed);
            if !keep_going(self) {
                self.stop.store(true, Ordering::Relaxed);
            }
        }
        found
    }
}

impl<M> Search<'_, '_, M>
where
    M: Reductions + Sync,
    M::State: Hash + Eq + Clone + Send + Sync,
{
    /// Expands `frontier` with `plan.threads` threads (this one included) into the next level
    /// and its links, identical to [`Search::expand`]'s.
    pub(crate) fn expand_parallel(
        &mut self,
        frontier: &[M::State],
    ) -> Result<(Vec<M::State>, Vec<Link>), Cut> {
        let threads = self.plan.threads.max(1);
        let level: Vec<Mutex<LevelShard>> = (0..SHARDS)
            .map(|_| Mutex::new(LevelShard::default()))
            .collect();
        let work = LevelWork {
            expander: self.expander(),
            frontier,
            visited: &self.visited,
            level: &level,
            next_chunk: AtomicUsize::new(0),
            stop: AtomicBool::new(false),
            generated: AtomicU64::new(0),
            discovered: AtomicU64::new(0),
            deadline: self.clock.deadline(),
        };
        let (states, depth) = (self.states, self.depth);
        let unique_before = self.visited.len();
        let clock = &mut *self.clock;
        let mut timed_out = false;
        let found: Vec<Vec<(u64, M::State)>> = thread::scope(|scope| {
            let helpers: Vec<_> = (1..threads)
                .map(|_| {
                    scope.spawn(|| {
                        work.run(|work| {
                            work.deadline
                                .is_none_or(|deadline| Instant::now() < deadline)
                        })
                    })
                })
                .collect();
            let mut found = vec![work.run(|work| {
                let ok = clock
                    .tick(
                        states + work.generated.load(Ordering::Relaxed),
                        unique_before + work.discovered.load(Ordering::Relaxed),
                        depth,
                    )
                    .is_ok();
                timed_out |= !ok;
                ok
            })];
            for helper in helpers {
                match helper.join() {
                    Ok(part) => found.push(part),
                    Err(panic) => std::panic::resume_unwind(panic),
                }
            }
            found
        });
        self.states += work.generated.load(Ordering::Relaxed);
        if timed_out || work.stop.load(Ordering::Relaxed) {
            return Err(Cut::Timeout);
        }
        let mut level: Vec<LevelShard> = level
            .into_iter()
            .map(|shard| shard.into_inner().unwrap_or_else(PoisonError::into_inner))
            .collect();
        let (next, links) = order_level(&level, found);
        self.absorb_level(&mut level, threads);
        Ok((next, links))
    }

    /// Moves the new level's fingerprints into the visited set, one thread per shard group.
    fn absorb_level(&mut self, level: &mut [LevelShard], threads: usize) {
        let group = SHARDS.div_ceil(threads);
        thread::scope(|scope| {
            for (visited, level) in self
                .visited
                .shards_mut()
                .chunks_mut(group)
                .zip(level.chunks_mut(group))
            {
                scope.spawn(move || {
                    for (visited, level) in visited.iter_mut().zip(level.iter_mut()) {
                        visited.reserve(level.len());
                        for (fingerprint, _) in level.drain() {
                            visited.insert(fingerprint);
                        }
                    }
                });
            }
        });
    }

    /// [`first_deciding`] over `threads` contiguous slices of `frontier`, merged so the earliest
    /// position wins, as on one thread.
    pub(crate) fn first_deciding_parallel(
        &self,
        frontier: &[M::State],
        pending: &[usize],
    ) -> Vec<(usize, u32)> {
        let slice_len = frontier.len().div_ceil(self.plan.threads.max(1)).max(1);
        let (model, properties) = (self.model, self.properties);
        let parts: Vec<Vec<(usize, u32)>> = thread::scope(|scope| {
            let handles: Vec<_> = frontier
                .chunks(slice_len)
                .map(|slice| {
                    let pending = pending.to_vec();
                    scope.spawn(move || first_deciding(model, properties, slice, pending))
                })
                .collect();
            handles
                .into_iter()
                .map(|handle| match handle.join() {
                    Ok(part) => part,
                    Err(panic) => std::panic::resume_unwind(panic),
                })
                .collect()
        });
        let mut first: Vec<(usize, u32)> = Vec::new();
        for (slice, part) in parts.into_iter().enumerate() {
            let offset = (slice * slice_len) as u32;
            for (p, position) in part {
                if first.iter().all(|&(seen, _)| seen != p) {
                    first.push((p, offset + position));
                }
            }
        }
        first
    }
}

/// Orders the states the workers found by their least key and derives their links. The states
/// are permuted in place, so the level is never held twice.
fn order_level<S>(level: &[LevelShard], found: Vec<Vec<(u64, S)>>) -> (Vec<S>, Vec<Link>) {
    let total = found.iter().map(Vec::len).sum();
    let mut states = Vec::with_capacity(total);
    let mut keys: Vec<(u64, u32)> = Vec::with_capacity(total);
    for (fingerprint, state) in found.into_iter().flatten() {
        let key = level
            .get(shard_of(fingerprint))
            .and_then(|shard| shard.get(&fingerprint))
            .copied()
            .unwrap_or(u64::MAX);
        keys.push((key, states.len() as u32));
        states.push(state);
    }
    keys.sort_unstable();
    let links = keys
        .iter()
        .map(|&(key, _)| Link {
            parent: (key >> 32) as u32,
            action: key as u32,
        })
        .collect();
    let mut sources: Vec<u32> = keys.into_iter().map(|(_, source)| source).collect();
    permute(&mut states, &mut sources);
    (states, links)
}

/// Marks a position whose state is in place.
const PLACED: u32 = u32::MAX;

/// Rearranges `items` so that the new `items[i]` is the old `items[sources[i]]`, following each
/// cycle of the permutation with swaps (`sources` is consumed).
fn permute<S>(items: &mut [S], sources: &mut [u32]) {
    for start in 0..sources.len() {
        let mut position = start;
        while let Some(slot) = sources.get_mut(position) {
            let source = std::mem::replace(slot, PLACED) as usize;
            if source == start || source == PLACED as usize || source >= items.len() {
                break;
            }
            items.swap(position, source);
            position = source;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::permute;

    #[test]
    fn permute_moves_each_item_to_its_sorted_place() {
        let mut items = vec!['d', 'a', 'e', 'c', 'b', 'f'];
        // New order: a (1), b (4), c (3), d (0), e (2), f (5).
        let mut sources = vec![1, 4, 3, 0, 2, 5];
        permute(&mut items, &mut sources);
        assert_eq!(items, vec!['a', 'b', 'c', 'd', 'e', 'f']);
    }
}
