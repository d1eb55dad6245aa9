//! Small models with known state spaces, shared by the checker tests.
#![allow(dead_code)]

use imflow_model::checker::{check, CheckOptions, CheckReport, Reductions};
use stateright::{Checker, Model, Property};

/// Runs the checker without a progress callback.
pub fn run<M>(model: &M, options: &CheckOptions) -> CheckReport<M>
where
    M: Reductions + Sync,
    M::State: std::hash::Hash + Eq + Clone + Send + Sync,
    M::Action: Clone,
{
    check(model, options, &mut |_| {})
}

/// One thread, no reductions, no bounds.
pub fn plain() -> CheckOptions {
    CheckOptions::default()
}

/// An `always` property true everywhere: stateright's BFS stops as soon as every property is
/// decided (at once when there are none), so comparisons with it use this property alone.
pub fn never_decided<M: Model>() -> Property<M> {
    Property::always("true everywhere", |_, _| true)
}

/// Unique states stateright's own single-threaded BFS finds (the model's properties must all be
/// undecidable, see [`never_decided`]).
pub fn stateright_bfs_unique<M>(model: M) -> usize
where
    M: Model + Send + Sync + 'static,
    M::State: std::hash::Hash + Send + Sync + Clone + PartialEq + std::fmt::Debug + 'static,
    M::Action: Clone + PartialEq + std::fmt::Debug,
{
    model.checker().spawn_bfs().join().unique_state_count()
}

/// Asserts that `path` is a real path of `model`: starts at an init state, every action is
/// enabled in its state and leads to the next state, and only the last action is `None`.
pub fn assert_real_path<M>(model: &M, path: &[(M::State, Option<M::Action>)])
where
    M: Model,
    M::State: PartialEq + std::fmt::Debug + Clone,
    M::Action: PartialEq + std::fmt::Debug + Clone,
{
    let (first, _) = path.first().expect("a path has a state");
    assert!(
        model.init_states().contains(first),
        "path starts at an init state"
    );
    for pair in path.windows(2) {
        let [(state, Some(action)), (next, _)] = pair else {
            panic!("only the last step may lack an action: {pair:?}");
        };
        let mut enabled = Vec::new();
        model.actions(state, &mut enabled);
        assert!(
            enabled.contains(action),
            "{action:?} is enabled in {state:?}"
        );
        assert_eq!(model.next_state(state, action.clone()).as_ref(), Some(next));
    }
    assert!(path.last().is_some_and(|(_, action)| action.is_none()));
}

// ---------------------------------------------------------------------------------------------

/// A walker on a (width+1) x (height+1) grid that only moves right or up.
#[derive(Clone, Debug)]
pub struct Grid {
    pub width: u16,
    pub height: u16,
    /// The toy properties; when false, only [`never_decided`] (for comparing with stateright).
    pub with_properties: bool,
}

/// A move on the grid.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Step {
    Right,
    Up,
}

impl Model for Grid {
    type State = (u16, u16);
    type Action = Step;
    fn init_states(&self) -> Vec<Self::State> {
        vec![(0, 0)]
    }
    fn actions(&self, &(x, y): &Self::State, actions: &mut Vec<Self::Action>) {
        if x < self.width {
            actions.push(Step::Right);
        }
        if y < self.height {
            actions.push(Step::Up);
        }
    }
    fn next_state(&self, &(x, y): &Self::State, action: Self::Action) -> Option<Self::State> {
        Some(match action {
            Step::Right => (x + 1, y),
            Step::Up => (x, y + 1),
        })
    }
    fn properties(&self) -> Vec<Property<Self>> {
        if !self.with_properties {
            return vec![never_decided()];
        }
        vec![
            Property::always("stays on the grid", |grid: &Grid, &(x, y)| {
                x <= grid.width && y <= grid.height
            }),
            Property::sometimes("reaches the far corner", |grid: &Grid, &(x, y)| {
                x == grid.width && y == grid.height
            }),
            Property::sometimes("reaches (1, 1)", |_: &Grid, &(x, y)| x == 1 && y == 1),
        ]
    }
}
impl Reductions for Grid {}

// ---------------------------------------------------------------------------------------------

/// A counter that may be incremented or doubled up to `limit`; `bad` must never be reached.
/// The shortest way to 13 is 0 +1 ×2 +1 ×2 ×2 +1 (6 actions); counting up takes 13.
#[derive(Clone, Debug)]
pub struct Doubler {
    pub limit: u8,
    pub bad: u8,
}

/// An arithmetic step.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Arith {
    Increment,
    Double,
}

impl Model for Doubler {
    type State = u8;
    type Action = Arith;
    fn init_states(&self) -> Vec<u8> {
        vec![0]
    }
    fn actions(&self, &x: &u8, actions: &mut Vec<Arith>) {
        if x < self.limit {
            actions.push(Arith::Increment);
        }
        if x > 0 && u16::from(x) * 2 <= u16::from(self.limit) {
            actions.push(Arith::Double);
        }
    }
    fn next_state(&self, &x: &u8, action: Arith) -> Option<u8> {
        Some(match action {
            Arith::Increment => x + 1,
            Arith::Double => x * 2,
        })
    }
    fn properties(&self) -> Vec<Property<Self>> {
        vec![Property::always(
            "never reaches bad",
            |model: &Doubler, &x| x != model.bad,
        )]
    }
}
impl Reductions for Doubler {}

// ---------------------------------------------------------------------------------------------

/// One client of the lost-update protocol: reads the shared counter, then writes it back plus one.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Client {
    Idle,
    Holding(u8),
    Done,
}

/// The shared counter and the clients' local states.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Counter {
    pub value: u8,
    pub clients: Vec<Client>,
}

/// `clients` identical processes incrementing a shared counter without a lock: two reads of the
/// same value lose an update. Shortest lost update: read, read, write, write (4 actions).
#[derive(Clone, Debug)]
pub struct LostUpdate {
    pub clients: usize,
    /// The toy properties; when false, only [`never_decided`] (for comparing with stateright).
    pub with_properties: bool,
}

/// A client's step.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Access {
    Read(usize),
    Write(usize),
}

impl Model for LostUpdate {
    type State = Counter;
    type Action = Access;
    fn init_states(&self) -> Vec<Counter> {
        vec![Counter {
            value: 0,
            clients: vec![Client::Idle; self.clients],
        }]
    }
    fn actions(&self, state: &Counter, actions: &mut Vec<Access>) {
        for (i, client) in state.clients.iter().enumerate() {
            match client {
                Client::Idle => actions.push(Access::Read(i)),
                Client::Holding(_) => actions.push(Access::Write(i)),
                Client::Done => {}
            }
        }
    }
    fn next_state(&self, state: &Counter, action: Access) -> Option<Counter> {
        let mut next = state.clone();
        match action {
            Access::Read(i) => *next.clients.get_mut(i)? = Client::Holding(state.value),
            Access::Write(i) => {
                let Client::Holding(seen) = *state.clients.get(i)? else {
                    return None;
                };
                next.value = seen + 1;
                *next.clients.get_mut(i)? = Client::Done;
            }
        }
        Some(next)
    }
    fn properties(&self) -> Vec<Property<Self>> {
        if !self.with_properties {
            return vec![never_decided()];
        }
        vec![
            Property::always("no update is lost", |_: &LostUpdate, state: &Counter| {
                usize::from(state.value) == done(state)
            }),
            Property::sometimes("every client finishes", |_: &LostUpdate, state| {
                done(state) == state.clients.len()
            }),
            Property::sometimes("all but one update lost", |_: &LostUpdate, state| {
                done(state) == state.clients.len() && state.value == 1
            }),
            Property::always(
                "the counter never exceeds the clients",
                |_, state: &Counter| usize::from(state.value) <= state.clients.len(),
            ),
        ]
    }
}

impl Reductions for LostUpdate {
    fn representative(&self, state: &Counter) -> Counter {
        let mut clients = state.clients.clone();
        clients.sort_unstable();
        Counter {
            value: state.value,
            clients,
        }
    }
}

/// Number of clients that wrote.
pub fn done(state: &Counter) -> usize {
    state.clients.iter().filter(|c| **c == Client::Done).count()
}

/// The representative as a plain function, for stateright's `symmetry_fn`.
pub fn sorted_clients(state: &Counter) -> Counter {
    LostUpdate {
        clients: state.clients.len(),
        with_properties: false,
    }
    .representative(state)
}

// ---------------------------------------------------------------------------------------------

/// `processes` independent counters, each stepping from 0 to `steps`. The properties look only at
/// processes 0 and 1, so any other process's step is invisible and independent of all: POR may
/// take it alone.
#[derive(Clone, Debug)]
pub struct Independent {
    pub processes: usize,
    pub steps: u8,
}

impl Model for Independent {
    type State = Vec<u8>;
    type Action = usize;
    fn init_states(&self) -> Vec<Vec<u8>> {
        vec![vec![0; self.processes]]
    }
    fn actions(&self, state: &Vec<u8>, actions: &mut Vec<usize>) {
        actions.extend((0..state.len()).filter(|&i| state.get(i).is_some_and(|&c| c < self.steps)));
    }
    fn next_state(&self, state: &Vec<u8>, process: usize) -> Option<Vec<u8>> {
        let mut next = state.clone();
        *next.get_mut(process)? += 1;
        Some(next)
    }
    fn properties(&self) -> Vec<Property<Self>> {
        vec![
            Property::always(
                "processes 0 and 1 never both reach 2",
                |_, state: &Vec<u8>| !(state.first() == Some(&2) && state.get(1) == Some(&2)),
            ),
            Property::sometimes("process 1 steps", |_, state: &Vec<u8>| {
                state.get(1) == Some(&1)
            }),
            Property::always(
                "process 0 stays within its steps",
                |model: &Independent, state: &Vec<u8>| {
                    state.first().is_some_and(|&c| c <= model.steps)
                },
            ),
        ]
    }
}

impl Reductions for Independent {
    fn ample(&self, _: &Vec<u8>, actions: &[usize], chosen: &mut Vec<usize>) {
        chosen.extend(actions.iter().position(|&process| process >= 2));
    }
}
