//! Rebuilding a concrete path from the links the search stored.
//!
//! The links give, per level, the parent's position and the action index, so walking them back
//! from a hit yields the init state's index and the action indexes of the path. Replaying those
//! from the init state gives the stored states again. Under symmetry the stored states are
//! representatives and an action index refers to the representative's action list, so the
//! concrete path is rebuilt alongside: from each concrete state the first enabled action whose
//! successor has the next stored representative is taken. Symmetry being a bisimulation, such an
//! action exists and the concrete path has the same length.

use super::options::Reductions;
use super::report::ConcretePath;
use super::search::{Hit, Link};

/// A path as the search stores it: the init state's index and the action indexes taken.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct IndexPath {
    pub(crate) init: usize,
    pub(crate) actions: Vec<usize>,
}

/// Walks the links back from `hit` to an init state.
pub(crate) fn index_path(links: &[Vec<Link>], hit: Hit) -> Option<IndexPath> {
    let mut position = hit.index;
    let mut actions = Vec::with_capacity(hit.depth);
    for level in (1..=hit.depth).rev() {
        let link = links.get(level)?.get(position as usize)?;
        actions.push(link.action as usize);
        position = link.parent;
    }
    let init = links.first()?.get(position as usize)?.action as usize;
    actions.reverse();
    Some(IndexPath { init, actions })
}

/// The concrete path of (state, action taken) that `path` stands for; the last action is
/// `None`. `None` if the model does not replay the stored path (a broken representative).
pub(crate) fn replay<M>(model: &M, symmetry: bool, path: &IndexPath) -> Option<ConcretePath<M>>
where
    M: Reductions,
    M::State: Eq + Clone,
    M::Action: Clone,
{
    let mut concrete = model.init_states().into_iter().nth(path.init)?;
    let mut stored = if symmetry {
        model.representative(&concrete)
    } else {
        concrete.clone()
    };
    let mut steps = Vec::with_capacity(path.actions.len() + 1);
    let mut actions = Vec::new();
    for &index in &path.actions {
        model.actions(&stored, &mut actions);
        let action = actions.drain(..).nth(index)?;
        if !symmetry {
            let next = model.next_state(&concrete, action.clone())?;
            steps.push((concrete, Some(action)));
            concrete = next.clone();
            stored = next;
            continue;
        }
        let next_stored = model.representative(&model.next_state(&stored, action)?);
        model.actions(&concrete, &mut actions);
        let (action, next) = actions.drain(..).find_map(|candidate| {
            let next = model.next_state(&concrete, candidate.clone())?;
            (model.representative(&next) == next_stored).then_some((candidate, next))
        })?;
        steps.push((concrete, Some(action)));
        concrete = next;
        stored = next_stored;
    }
    steps.push((concrete, None));
    Some(steps)
}
