//! A scenario resolved to small integer ids and bitsets: what the transition rules read.

use crate::limits::MESSAGES_MAX;
use crate::message::{DELIVERED, FAILED, STORED};
use crate::property::PropertyId;
use crate::scenario::{Aggregation, Disposition, Scenario, ScenarioError, Variants};

/// The resolved model configuration.
#[derive(Clone, Debug)]
pub struct Config {
    /// Users (members first, then non-members).
    pub users: usize,
    /// Members are users `0..members`.
    pub members: usize,
    /// Group IMs.
    pub messages: usize,
    /// Sender of each IM.
    pub sender: [u8; MESSAGES_MAX],
    /// Requested status bits of each IM (DELIVERED / FAILED / STORED).
    pub requested: [u8; MESSAGES_MAX],
    /// Users that start unregistered (bitset).
    pub offline: u8,
    /// Users that never register (bitset).
    pub stays_offline: u8,
    /// CF aggregation policy.
    pub aggregation: Aggregation,
    /// Servers defer (202) instead of refusing (480).
    pub deferral: bool,
    /// `T_agg` may fire.
    pub aggregation_flush: bool,
    /// `T_exp` may fire.
    pub deferred_expiry: bool,
    /// `T_state` may fire.
    pub cf_state_expiry: bool,
    /// Loss budget.
    pub drops_max: u8,
    /// Clients retransmit (a loss is recovered) or not (a loss times the transaction out).
    pub retransmission: bool,
    /// Duplicate budget.
    pub duplicates_max: u8,
    /// Crash budget.
    pub crashes_max: u8,
    /// Known-bad variant flags.
    pub variants: Variants,
    /// Divide the fault budgets between group IMs up front (`budget`); off unless the checker
    /// asks for it.
    pub split_budgets: bool,
    /// Properties to check.
    pub checked: Vec<PropertyId>,
}

impl Config {
    /// Resolves a validated scenario.
    pub fn new(scenario: &Scenario) -> Result<Config, ScenarioError> {
        scenario.validate()?;
        let users = scenario.users();
        let index = |name: &str| users.iter().position(|u| *u == name).unwrap_or(0) as u8;
        let mask = |list: &[String]| list.iter().fold(0u8, |acc, u| acc | 1 << index(u));
        let mut sender = [0u8; MESSAGES_MAX];
        let mut requested = [0u8; MESSAGES_MAX];
        for (i, message) in scenario.messages.iter().enumerate() {
            sender[i] = index(&message.from);
            requested[i] = message.dispositions.iter().fold(0, |acc, d| {
                acc | match d {
                    Disposition::PositiveDelivery => DELIVERED,
                    Disposition::NegativeDelivery => FAILED,
                    Disposition::Processing => STORED,
                }
            });
        }
        Ok(Config {
            users: users.len(),
            members: scenario.group.members.len(),
            messages: scenario.messages.len(),
            sender,
            requested,
            offline: mask(&scenario.offline) | mask(&scenario.stays_offline),
            stays_offline: mask(&scenario.stays_offline),
            aggregation: scenario.cf.aggregation,
            deferral: scenario.servers.deferral,
            aggregation_flush: scenario.timers.aggregation_flush,
            deferred_expiry: scenario.timers.deferred_expiry,
            cf_state_expiry: scenario.timers.cf_state_expiry,
            drops_max: scenario.faults.drops_max,
            retransmission: scenario.faults.retransmission,
            duplicates_max: scenario.faults.duplicates_max,
            crashes_max: scenario.faults.crashes_max,
            variants: scenario.variants.clone(),
            split_budgets: false,
            checked: scenario.checked_properties(),
        })
    }

    /// True if user `u` is a member of the group.
    pub fn is_member(&self, u: u8) -> bool {
        usize::from(u) < self.members
    }

    /// True if user `u` starts unregistered.
    pub fn starts_offline(&self, u: u8) -> bool {
        self.offline & (1 << u) != 0
    }

    /// True if `status` was requested for message `m`.
    pub fn requests(&self, m: u8, status: u8) -> bool {
        self.requested[usize::from(m)] & status != 0
    }

    /// The recipients of message `m` in a correct design: every member except the sender.
    pub fn recipients(&self, m: u8) -> impl Iterator<Item = u8> + '_ {
        let sender = self.sender[usize::from(m)];
        (0..self.members as u8).filter(move |r| *r != sender)
    }
}
