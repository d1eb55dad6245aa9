//! Level-synchronous breadth-first search: every state of level `d` (reached in `d` actions and
//! no fewer) is checked and expanded before any state of level `d + 1`.
//!
//! Only the current and the next level are kept as full states. Every stored state leaves a
//! [`Link`] (its parent's position in the previous level, the action index) in a per-level array,
//! and its fingerprint in the [`VisitedSet`]; a path is rebuilt from the links alone.
//!
//! Order is deterministic: a level's states are ordered by the (parent position, action index) of
//! their first discovery, and the first state of a level satisfying a discovery condition is the
//! one reported. The parallel expansion (`parallel.rs`) reproduces exactly this order, so
//! verdicts and paths do not depend on the number of threads.

use std::hash::Hash;

use stateright::{Expectation, Property};

use super::clock::{Clock, Cut};
use super::fingerprint::fingerprint;
use super::options::Reductions;
use super::visited::VisitedSet;
use super::LEVEL_STATES_MAX;

/// Frontier states expanded between two looks at the clock.
pub(crate) const STATES_BETWEEN_TICKS: usize = 64;
/// Levels smaller than this are expanded on one thread even when more are allowed.
pub(crate) const PARALLEL_LEVEL_STATES_MIN: usize = 2048;

/// Buffers one expanding worker reuses for every state: the enabled actions and the chosen
/// persistent set.
pub(crate) struct Scratch<A> {
    /// The enabled actions of the state being expanded.
    pub(crate) actions: Vec<A>,
    /// The indices of the persistent set [`Reductions::ample`] chose (empty: all).
    pub(crate) chosen: Vec<usize>,
}

impl<A> Default for Scratch<A> {
    fn default() -> Self {
        Scratch {
            actions: Vec::new(),
            chosen: Vec::new(),
        }
    }
}

/// How a stored state was first reached.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Link {
    /// Position of the parent in the previous level (for level 0: unused, zero).
    pub(crate) parent: u32,
    /// Index of the action in the parent's action list (for level 0: index in `init_states`).
    pub(crate) action: u32,
}

/// The first state of the search deciding a property.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Hit {
    /// Its level: the length of the shortest path to it.
    pub(crate) depth: usize,
    /// Its position in that level.
    pub(crate) index: u32,
}

/// How one search is run.
#[derive(Clone, Debug)]
pub(crate) struct SearchPlan {
    /// Store representatives.
    pub(crate) symmetry: bool,
    /// Follow ample sets.
    pub(crate) por: bool,
    /// Threads for large levels.
    pub(crate) threads: usize,
    /// Deepest level explored.
    pub(crate) max_depth: Option<usize>,
    /// Stop as soon as every property marked `true` has a hit.
    pub(crate) targets: Option<Vec<bool>>,
}

/// What one search found.
#[derive(Debug)]
pub(crate) struct SearchResult {
    /// Per property (in `properties()` order): the first state deciding it.
    pub(crate) hits: Vec<Option<Hit>>,
    /// Per level, per state: how it was reached.
    pub(crate) links: Vec<Vec<Link>>,
    /// Distinct states stored.
    pub(crate) unique_states: u64,
    /// States generated, duplicates included.
    pub(crate) states: u64,
    /// Deepest level holding a state.
    pub(crate) max_depth: usize,
    /// Why the search stopped early, if it did.
    pub(crate) cut: Option<Cut>,
}

/// Whether `state` decides `property`: breaks an `always`, satisfies a `sometimes`.
#[inline]
pub(crate) fn decides<M: Reductions>(model: &M, property: &Property<M>, state: &M::State) -> bool {
    match property.expectation {
        Expectation::Always => !(property.condition)(model, state),
        Expectation::Sometimes => (property.condition)(model, state),
        // Rejected before the search; never decided by a state.
        Expectation::Eventually => false,
    }
}

/// The search's working set, shared by the one-thread and parallel level expansions.
pub(crate) struct Search<'a, 'p, M: Reductions> {
    pub(crate) model: &'a M,
    pub(crate) properties: &'a [Property<M>],
    pub(crate) plan: &'a SearchPlan,
    pub(crate) clock: &'a mut Clock<'p>,
    pub(crate) visited: VisitedSet,
    pub(crate) states: u64,
    pub(crate) depth: usize,
}

/// Runs one breadth-first search of `model` and returns its hits and links.
pub(crate) fn search<M>(
    model: &M,
    properties: &[Property<M>],
    plan: &SearchPlan,
    clock: &mut Clock<'_>,
) -> SearchResult
where
    M: Reductions + Sync,
    M::State: Hash + Eq + Clone + Send + Sync,
{
    let mut search = Search {
        model,
        properties,
        plan,
        clock,
        visited: VisitedSet::new(),
        states: 0,
        depth: 0,
    };
    let mut hits: Vec<Option<Hit>> = vec![None; properties.len()];
    let (mut frontier, init_links) = search.init_level();
    let mut links = vec![init_links];
    let cut = loop {
        search.record_hits(&frontier, &mut hits);
        let targets_found = plan.targets.as_ref().is_some_and(|targets| {
            targets
                .iter()
                .zip(&hits)
                .all(|(&target, hit)| !target || hit.is_some())
        });
        if targets_found || frontier.is_empty() {
            break None;
        }
        if plan.max_depth == Some(search.depth) {
            break match search.has_unexplored_successor(&frontier) {
                Ok(false) => None,
                Ok(true) => Some(Cut::DepthBound),
                Err(cut) => Some(cut),
            };
        }
        if frontier.len() > LEVEL_STATES_MAX {
            break Some(Cut::LevelTooWide);
        }
        let expanded = if plan.threads > 1 && frontier.len() >= PARALLEL_LEVEL_STATES_MIN {
            search.expand_parallel(&frontier)
        } else {
            search.expand(std::mem::take(&mut frontier))
        };
        match expanded {
            Err(cut) => break Some(cut),
            Ok((next, _)) if next.is_empty() => break None,
            Ok((next, next_links)) => {
                frontier = next;
                links.push(next_links);
                search.depth += 1;
            }
        }
    };
    SearchResult {
        hits,
        links,
        unique_states: search.visited.len(),
        states: search.states,
        max_depth: search.depth,
        cut,
    }
}

/// The per-state part of the search: generating a state's explored successors.
pub(crate) struct Expander<'a, M: Reductions> {
    pub(crate) model: &'a M,
    pub(crate) symmetry: bool,
    pub(crate) por: bool,
}

impl<M: Reductions> Clone for Expander<'_, M> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<M: Reductions> Copy for Expander<'_, M> {}

impl<M> Expander<'_, M>
where
    M: Reductions,
    M::State: Clone,
{
    /// The stored form of a generated state: its representative under symmetry.
    #[inline]
    pub(crate) fn stored_form(&self, state: M::State) -> M::State {
        if self.symmetry {
            self.model.representative(&state)
        } else {
            state
        }
    }

    /// Calls `emit(action index, stored successor)` for every successor of `state` to explore:
    /// under POR the actions of the persistent set the model names (all when it names none),
    /// else every enabled action's; actions that change nothing and successors outside the
    /// boundary are skipped.
    #[inline]
    pub(crate) fn successors(
        &self,
        state: &M::State,
        scratch: &mut Scratch<M::Action>,
        mut emit: impl FnMut(u32, M::State),
    ) {
        let Scratch { actions, chosen } = scratch;
        actions.clear();
        chosen.clear();
        self.model.actions(state, actions);
        if self.por {
            self.model.ample(state, actions, chosen);
            chosen.retain(|&index| index < actions.len());
            chosen.sort_unstable();
            chosen.dedup();
        }
        let mut next_chosen = chosen.iter().copied().peekable();
        for (index, action) in actions.drain(..).enumerate() {
            if !chosen.is_empty() {
                if next_chosen.peek() != Some(&index) {
                    continue;
                }
                next_chosen.next();
            }
            let Some(successor) = self.model.next_state(state, action) else {
                continue;
            };
            if self.model.within_boundary(&successor) {
                emit(
                    u32::try_from(index).unwrap_or(u32::MAX),
                    self.stored_form(successor),
                );
            }
        }
    }
}

impl<'a, M> Search<'a, '_, M>
where
    M: Reductions + Sync,
    M::State: Hash + Eq + Clone + Send + Sync,
{
    /// The per-state expansion this search uses.
    pub(crate) fn expander(&self) -> Expander<'a, M> {
        Expander {
            model: self.model,
            symmetry: self.plan.symmetry,
            por: self.plan.por,
        }
    }

    /// Level 0: the distinct stored forms of the init states within the boundary.
    fn init_level(&mut self) -> (Vec<M::State>, Vec<Link>) {
        let mut frontier = Vec::new();
        let mut links = Vec::new();
        let expander = self.expander();
        for (index, state) in self.model.init_states().into_iter().enumerate() {
            if !self.model.within_boundary(&state) {
                continue;
            }
            self.states += 1;
            let state = expander.stored_form(state);
            if self.visited.insert(fingerprint(&state)) {
                frontier.push(state);
                links.push(Link {
                    parent: 0,
                    action: u32::try_from(index).unwrap_or(u32::MAX),
                });
            }
        }
        (frontier, links)
    }

    /// Records, for every property not yet decided, the first state of `frontier` deciding it.
    fn record_hits(&mut self, frontier: &[M::State], hits: &mut [Option<Hit>]) {
        let pending: Vec<usize> = (0..hits.len())
            .filter(|&p| {
                hits.get(p).is_some_and(Option::is_none)
                    && self
                        .properties
                        .get(p)
                        .is_some_and(|property| property.expectation != Expectation::Eventually)
            })
            .collect();
        if pending.is_empty() {
            return;
        }
        let first = if self.plan.threads > 1 && frontier.len() >= PARALLEL_LEVEL_STATES_MIN {
            self.first_deciding_parallel(frontier, &pending)
        } else {
            first_deciding(self.model, self.properties, frontier, pending)
        };
        for (p, index) in first {
            if let Some(slot) = hits.get_mut(p) {
                *slot = Some(Hit {
                    depth: self.depth,
                    index,
                });
            }
        }
    }

    /// Expands `frontier` on this thread into the next level and its links. Each state is
    /// dropped once expanded, so its heap parts are freed while the next level grows.
    pub(crate) fn expand(
        &mut self,
        frontier: Vec<M::State>,
    ) -> Result<(Vec<M::State>, Vec<Link>), Cut> {
        let mut next = Vec::new();
        let mut links = Vec::new();
        let mut scratch = Scratch::default();
        let expander = self.expander();
        for (parent, state) in frontier.into_iter().enumerate() {
            if parent % STATES_BETWEEN_TICKS == 0 {
                self.clock
                    .tick(self.states, self.visited.len(), self.depth)?;
            }
            let parent = parent as u32;
            expander.successors(&state, &mut scratch, |action, successor| {
                self.states += 1;
                if self.visited.insert(fingerprint(&successor)) {
                    next.push(successor);
                    links.push(Link { parent, action });
                }
            });
        }
        Ok((next, links))
    }

    /// Whether some state of `frontier` (the depth bound's level) has a successor never stored,
    /// i.e. whether the bound hid part of the state space.
    fn has_unexplored_successor(&mut self, frontier: &[M::State]) -> Result<bool, Cut> {
        let mut scratch = Scratch::default();
        let expander = self.expander();
        for (position, state) in frontier.iter().enumerate() {
            if position % STATES_BETWEEN_TICKS == 0 {
                self.clock
                    .tick(self.states, self.visited.len(), self.depth)?;
            }
            let mut unexplored = false;
            expander.successors(state, &mut scratch, |_, successor| {
                unexplored |= !self.visited.contains(fingerprint(&successor));
            });
            if unexplored {
                return Ok(true);
            }
        }
        Ok(false)
    }
}

/// For each property in `pending`, the position of the first state of `states` deciding it.
/// Decided properties are removed from `pending`.
pub(crate) fn first_deciding<M: Reductions>(
    model: &M,
    properties: &[Property<M>],
    states: &[M::State],
    mut pending: Vec<usize>,
) -> Vec<(usize, u32)> {
    let mut first = Vec::new();
    for (position, state) in states.iter().enumerate() {
        if pending.is_empty() {
            break;
        }
        pending.retain(|&p| {
            let decided = properties
                .get(p)
                .is_some_and(|property| decides(model, property, state));
            if decided {
                first.push((p, position as u32));
            }
            !decided
        });
    }
    first
}
