//! `GroupImModel`: the scenario's configuration as a `stateright::Model`, written directly over
//! an unordered, bounded multiset network (not stateright's actor network, which duplicates
//! messages without bound).

use stateright::{Model, Property};

use crate::action::{enabled_actions, Action};
use crate::config::Config;
use crate::limits::{MESSAGES_MAX, USERS_MAX};
use crate::message::{ImHop, Packet};
use crate::property::PropertyId;
use crate::scenario::{Scenario, ScenarioError};
use crate::state::{Leg, MessageState, Registration, State, UserState};

/// The group IM flow of one scenario: users, their participating servers and the CF.
#[derive(Clone, Debug)]
pub struct GroupImModel {
    scenario: Scenario,
    cfg: Config,
    classes: Vec<Vec<u8>>,
}

impl GroupImModel {
    /// Builds the model of a scenario (validating it first).
    pub fn new(scenario: &Scenario) -> Result<GroupImModel, ScenarioError> {
        let cfg = Config::new(scenario)?;
        Ok(GroupImModel {
            classes: crate::symmetry::classes(&cfg),
            cfg,
            scenario: scenario.clone(),
        })
    }

    /// The same model with fault budgets split between group IMs or shared (see
    /// [`crate::budget`]). The checker splits them together with partial-order reduction;
    /// every verdict is the same either way.
    pub fn with_split_budgets(mut self, on: bool) -> GroupImModel {
        self.cfg.split_budgets = on;
        self
    }

    /// The scenario this model was built from.
    pub fn scenario(&self) -> &Scenario {
        &self.scenario
    }

    /// The resolved configuration the transition rules read.
    pub fn config(&self) -> &Config {
        &self.cfg
    }

    /// The properties this model checks (the scenario's `checked_properties`).
    pub fn checked_properties(&self) -> &[PropertyId] {
        &self.cfg.checked
    }

    /// The name of user `u` (its server is "Server" and this name).
    pub fn user_name(&self, u: u8) -> &str {
        self.scenario
            .users()
            .get(usize::from(u))
            .copied()
            .unwrap_or("?")
    }

    /// The initial state: every IM sent by its sender's agent; offline users unregistered, with
    /// their REGISTER in flight unless they stay offline.
    pub fn initial_state(&self) -> State {
        let mut users = [UserState::default(); USERS_MAX];
        for (u, user) in users.iter_mut().enumerate().take(self.cfg.users) {
            if !self.cfg.starts_offline(u as u8) {
                user.registration = Registration::Registered;
                user.bound = true;
            } else if self.cfg.stays_offline & (1 << u) == 0 {
                user.registration = Registration::Registering;
            }
        }
        let mut state = State {
            network: Vec::new(),
            users,
            messages: [MessageState::default(); MESSAGES_MAX],
            legs: [[Leg::default(); USERS_MAX]; MESSAGES_MAX],
            drops_used: 0,
            duplicates_used: 0,
            crashes_used: 0,
            drop_allowance: [0; crate::budget::FAULT_GROUPS],
            duplicate_allowance: [0; crate::budget::FAULT_GROUPS],
        };
        for m in 0..self.cfg.messages as u8 {
            state.send(Packet::Im {
                m,
                hop: ImHop::SenderToServer,
            });
        }
        for u in 0..self.cfg.users as u8 {
            if state.users[usize::from(u)].registration == Registration::Registering {
                state.send(Packet::Register { u });
            }
        }
        state
    }
}

impl Model for GroupImModel {
    type State = State;
    type Action = Action;

    fn init_states(&self) -> Vec<State> {
        crate::budget::initial_states(&self.cfg, self.initial_state())
    }

    fn actions(&self, state: &State, actions: &mut Vec<Action>) {
        enabled_actions(&self.cfg, state, actions);
    }

    fn next_state(&self, last_state: &State, action: Action) -> Option<State> {
        crate::transition::apply(&self.cfg, last_state, action)
    }

    fn format_action(&self, action: &Action) -> String {
        self.describe(action)
    }

    fn properties(&self) -> Vec<Property<Self>> {
        self.cfg
            .checked
            .iter()
            .map(|id| crate::properties::property(*id))
            .collect()
    }
}

impl crate::checker::Reductions for GroupImModel {
    fn representative(&self, state: &State) -> State {
        crate::symmetry::representative(&self.cfg, &self.classes, state)
    }

    fn ample(&self, state: &State, actions: &[Action], chosen: &mut Vec<usize>) {
        crate::por::ample(&self.cfg, state, actions, chosen)
    }
}
