//! The exhaustive checker: a breadth-first search over any [`stateright::Model`] that decides
//! every `always` and `sometimes` property with a shortest counterexample or example.
//!
//! # Why not stateright's own checkers
//! stateright 0.31's BFS checker keeps whichever discovery a thread makes first, so its paths
//! are not guaranteed shortest with several threads; its `eventually` is unsound on cycles and
//! joins; and it stores about a kilobyte per state. This checker keeps, per stored state, a 64-bit
//! fingerprint in a flat open-addressing table (`visited.rs`; 11 to 21 bytes at its 37-75% load)
//! and an 8-byte link (parent position, action index); full states are kept only for the level
//! being expanded and the level being built. `fingerprint.rs` gives the collision odds (about
//! n²/2⁶⁵ for n states: 2.7e-4 for 100 million).
//!
//! # The search
//! Level-synchronous breadth-first search (`search.rs`): level `d` holds the states whose
//! shortest path has `d` actions. Every property is evaluated on every stored state, level by
//! level, so the first state found deciding a property is at minimal depth. Within a level the
//! first state in a deterministic order wins, and the parallel expansion (`parallel.rs`)
//! reproduces that order exactly: the result does not depend on `threads`. The search never
//! stops early because some properties are decided: it runs until the state space is exhausted
//! (or a bound cuts it), so unique-state counts are those of the whole space and every property
//! gets its verdict.
//!
//! # Verdicts
//! - `always`: `Violated` with the path to the first breaking state; otherwise `Hold` if the
//!   search was complete, `Inconclusive` if a bound cut it.
//! - `sometimes`: `Hold` with the path to the first example state (even in a cut search);
//!   otherwise `Violated` if the search was complete, `Inconclusive` if not.
//! - `eventually`: rejected as `Inconclusive` with [`OutcomeNote::EventuallyUnsupported`]:
//!   imflow states liveness as `always("terminal state => stable fact")` and proves termination
//!   separately.
//!
//! # Reductions ([`Reductions`])
//! - Symmetry: states are stored and deduplicated by their representative. Because states with
//!   one representative are bisimilar, the depth of each class is preserved, so paths stay
//!   shortest; the stored path (over representatives) is replayed into a concrete one
//!   (`path.rs`).
//! - Partial-order reduction: where the model names a persistent set, only its actions are
//!   explored. The reduced space keeps every verdict, but may reach a state along a longer path
//!   (independent invisible actions taken early). So when POR is on and some `always` property
//!   was violated, the search is run again without POR (symmetry kept: it preserves depths),
//!   bounded by the deepest violation and stopping as soon as every violation (and every
//!   `sometimes` example found within that depth) is found again: those paths are then shortest.
//!   A `sometimes` example found deeper than every violation keeps its POR path, marked
//!   [`OutcomeNote::PathMayNotBeShortest`]: re-running for it would mean searching the unreduced
//!   space to its depth, which for a reachability property of the whole flow is nearly the
//!   entire space POR exists to avoid. The unique-state and state counts are those of the
//!   reduced search.
//!
//! # Bounds
//! `max_depth` (in actions) and `timeout` cut the search; the report is then not `complete`. A
//! depth bound that hides nothing (no state at the bound has an unstored successor) leaves the
//! search complete.

mod clock;
mod fingerprint;
mod options;
mod parallel;
mod path;
mod report;
mod search;
mod visited;

use std::hash::Hash;

use stateright::Expectation;

pub use options::{CheckOptions, Progress, Reductions};
pub use report::{CheckReport, ConcretePath, OutcomeNote, PropertyOutcome, Verdict};

use clock::{Clock, Cut};
use search::{search, SearchPlan, SearchResult};

/// Most states one breadth-first level may hold (positions are stored in 32 bits); a wider level
/// stops the search with [`OutcomeNote::LevelTooWide`].
pub const LEVEL_STATES_MAX: usize = u32::MAX as usize;

/// Checks every property of `model.properties()` over all states reachable from its init states,
/// calling `progress` about once a second and once at the end.
pub fn check<M>(
    model: &M,
    options: &CheckOptions,
    progress: &mut dyn FnMut(&Progress),
) -> CheckReport<M>
where
    M: Reductions + Sync,
    M::State: Hash + Eq + Clone + Send + Sync,
    M::Action: Clone,
{
    let mut clock = Clock::start(options.timeout, progress);
    let properties = model.properties();
    let plan = SearchPlan {
        symmetry: options.symmetry,
        por: options.por,
        threads: options.threads.max(1),
        max_depth: options.max_depth,
        targets: None,
    };
    let main = search(model, &properties, &plan, &mut clock);
    let rerun = shortest_rerun(model, &properties, &plan, &main, &mut clock);

    let outcomes = properties
        .iter()
        .enumerate()
        .map(|(p, property)| {
            let mut outcome = PropertyOutcome {
                name: property.name,
                expectation: property.expectation.clone(),
                verdict: Verdict::Inconclusive,
                path: None,
                note: None,
            };
            if property.expectation == Expectation::Eventually {
                outcome.note = Some(OutcomeNote::EventuallyUnsupported);
                return outcome;
            }
            let rerun_hit = rerun
                .as_ref()
                .and_then(|rerun| Some((rerun, (*rerun.hits.get(p)?)?)));
            let main_hit = main.hits.get(p).copied().flatten().map(|hit| (&main, hit));
            let Some((found_in, hit)) = rerun_hit.or(main_hit) else {
                match main.cut {
                    None if property.expectation == Expectation::Always => {
                        outcome.verdict = Verdict::Hold
                    }
                    None => outcome.verdict = Verdict::Violated,
                    Some(cut) => outcome.note = Some(note_for(cut)),
                }
                return outcome;
            };
            outcome.verdict = if property.expectation == Expectation::Always {
                Verdict::Violated
            } else {
                Verdict::Hold
            };
            if rerun_hit.is_none() && plan.por {
                outcome.note = Some(OutcomeNote::PathMayNotBeShortest);
            }
            outcome.path = path::index_path(&found_in.links, hit)
                .and_then(|indexes| path::replay(model, plan.symmetry, &indexes));
            if outcome.path.is_none() {
                outcome.note = Some(OutcomeNote::PathNotReplayable);
            }
            outcome
        })
        .collect();

    clock.report(main.states, main.unique_states, main.max_depth);
    CheckReport {
        properties: outcomes,
        unique_states: main.unique_states,
        states: main.states,
        max_depth: main.max_depth,
        elapsed: clock.elapsed(),
        complete: main.cut.is_none(),
    }
}

/// With POR on and some `always` property violated, the unreduced search for the violations
/// (and the `sometimes` examples no deeper than them), bounded by the deepest violation, which
/// makes their paths shortest.
fn shortest_rerun<M>(
    model: &M,
    properties: &[stateright::Property<M>],
    plan: &SearchPlan,
    main: &SearchResult,
    clock: &mut Clock<'_>,
) -> Option<SearchResult>
where
    M: Reductions + Sync,
    M::State: Hash + Eq + Clone + Send + Sync,
{
    if !plan.por {
        return None;
    }
    let deepest_violation = properties
        .iter()
        .zip(&main.hits)
        .filter(|(property, _)| property.expectation == Expectation::Always)
        .filter_map(|(_, hit)| hit.map(|hit| hit.depth))
        .max()?;
    let targets = main
        .hits
        .iter()
        .map(|hit| hit.is_some_and(|hit| hit.depth <= deepest_violation))
        .collect();
    let rerun_plan = SearchPlan {
        por: false,
        max_depth: Some(deepest_violation),
        targets: Some(targets),
        ..plan.clone()
    };
    Some(search(model, properties, &rerun_plan, clock))
}

/// The note explaining an undecided property of a search stopped by `cut`.
fn note_for(cut: Cut) -> OutcomeNote {
    match cut {
        Cut::DepthBound => OutcomeNote::DepthBoundReached,
        Cut::Timeout => OutcomeNote::TimeoutReached,
        Cut::LevelTooWide => OutcomeNote::LevelTooWide,
    }
}
