//! A refinement case as plain data: scenario parameters from the catalogue's space and a
//! schedule of choices. Every field takes any value (out-of-range values wrap), so proptest,
//! `arbitrary` and a fuzzer can all produce cases without rejection. (`Arbitrary` is written
//! by hand: the locked `derive_arbitrary` does not match the locked `arbitrary`.)

use arbitrary::{Arbitrary, Unstructured};
use imflow_model::scenario::{
    Aggregation, CfPolicy, Disposition, Faults, Group, MessageSpec, ServerPolicy, Timers, Variants,
};
use imflow_model::{Expected, Scenario};

/// Most group members a case has (the issue asks for small scenarios: 2-4 members).
pub const CASE_MEMBERS_MAX: u8 = 4;
/// Most group IMs a case sends.
pub const CASE_MESSAGES_MAX: usize = 2;
/// Most losses, duplicates or crashes a case's budgets allow, each.
pub const CASE_FAULTS_MAX: u8 = 2;
/// Most choices a schedule holds.
pub const SCHEDULE_CHOICES_MAX: usize = 4_096;

const NAMES: [&str; 5] = ["A", "B", "C", "D", "E"];

/// One IM of a case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MessageParams {
    /// The sender: a user index, wrapped to the users of the case.
    pub from: u8,
    /// Requested dispositions: bit 0 positive-delivery, bit 1 negative-delivery, bit 2 processing.
    pub dispositions: u8,
}

/// A scenario from the catalogue's parameter space.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScenarioParams {
    /// Members: 2 + this modulo 3.
    pub members: u8,
    /// Add a non-member user "E" (it may send, and must get 403).
    pub non_member: bool,
    /// Users that start offline and register later (bit per user; senders never are).
    pub offline: u8,
    /// Users that start offline and never register (bit per user; senders never are).
    pub stays_offline: u8,
    /// The IMs (1 or 2; an empty list is one IM from the first member).
    pub messages: Vec<MessageParams>,
    /// The CF forwards each IMDN instead of aggregating.
    pub forward_each: bool,
    /// Servers answer 480 instead of deferring.
    pub no_deferral: bool,
    /// Timers off: bit 0 `T_agg`, bit 1 `T_exp`, bit 2 `T_state`.
    pub timers_off: u8,
    /// Loss budget (modulo CASE_FAULTS_MAX + 1).
    pub drops: u8,
    /// Duplicate budget (modulo CASE_FAULTS_MAX + 1).
    pub duplicates: u8,
    /// Crash budget (modulo CASE_FAULTS_MAX + 1).
    pub crashes: u8,
}

impl ScenarioParams {
    /// The scenario these parameters stand for (always valid).
    pub fn scenario(&self) -> Scenario {
        let members = 2 + usize::from(self.members % (CASE_MEMBERS_MAX - 1));
        let users = members + usize::from(self.non_member);
        let name = |u: usize| NAMES.get(u).copied().unwrap_or("A").to_string();
        let mut messages: Vec<MessageSpec> = self
            .messages
            .iter()
            .take(CASE_MESSAGES_MAX)
            .map(|m| MessageSpec {
                from: name(usize::from(m.from) % users),
                dispositions: [
                    (1, Disposition::PositiveDelivery),
                    (2, Disposition::NegativeDelivery),
                    (4, Disposition::Processing),
                ]
                .into_iter()
                .filter(|(bit, _)| m.dispositions & bit != 0)
                .map(|(_, d)| d)
                .collect(),
            })
            .collect();
        if messages.is_empty() {
            messages.push(MessageSpec {
                from: name(0),
                dispositions: vec![Disposition::PositiveDelivery],
            });
        }
        let sends = |u: usize| messages.iter().any(|m| m.from == name(u));
        let pick = |mask: u8, skip: u8| -> Vec<String> {
            (0..users)
                .filter(|u| mask & !skip & (1 << u) != 0 && !sends(*u))
                .map(name)
                .collect()
        };
        let budget = |b: u8| b % (CASE_FAULTS_MAX + 1);
        Scenario {
            name: "refinement-case".to_string(),
            summary: String::new(),
            group: Group {
                name: "climbers".to_string(),
                members: (0..members).map(name).collect(),
            },
            non_members: if self.non_member {
                vec![name(members)]
            } else {
                Vec::new()
            },
            offline: pick(self.offline, 0),
            stays_offline: pick(self.stays_offline, self.offline),
            messages,
            cf: CfPolicy {
                aggregation: if self.forward_each {
                    Aggregation::ForwardEach
                } else {
                    Aggregation::Aggregate
                },
            },
            servers: ServerPolicy {
                deferral: !self.no_deferral,
            },
            timers: Timers {
                aggregation_flush: self.timers_off & 1 == 0,
                deferred_expiry: self.timers_off & 2 == 0,
                cf_state_expiry: self.timers_off & 4 == 0,
            },
            faults: Faults {
                drops_max: budget(self.drops),
                retransmission: true,
                duplicates_max: budget(self.duplicates),
                crashes_max: budget(self.crashes),
            },
            variants: Variants::default(),
            properties: None,
            expect: Expected::Hold,
        }
    }
}

/// A schedule: at each step the choice at index `choice % count` of the steps offered
/// ([`crate::sim::Stepper::choices`]); when the choices run out, the oldest message in flight is
/// delivered (or time advances) until the run is quiescent.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Schedule {
    /// The choices, in order.
    pub choices: Vec<u16>,
}

/// A whole refinement case: a scenario and a schedule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Case {
    /// The scenario's parameters.
    pub scenario: ScenarioParams,
    /// The schedule.
    pub schedule: Schedule,
}

impl<'a> Arbitrary<'a> for MessageParams {
    fn arbitrary(u: &mut Unstructured<'a>) -> arbitrary::Result<Self> {
        Ok(MessageParams {
            from: u.arbitrary()?,
            dispositions: u.arbitrary()?,
        })
    }
}

impl<'a> Arbitrary<'a> for ScenarioParams {
    fn arbitrary(u: &mut Unstructured<'a>) -> arbitrary::Result<Self> {
        let count = u.int_in_range(1..=CASE_MESSAGES_MAX)?;
        let mut messages = Vec::with_capacity(count);
        for _ in 0..count {
            messages.push(u.arbitrary()?);
        }
        Ok(ScenarioParams {
            members: u.arbitrary()?,
            non_member: u.arbitrary()?,
            offline: u.arbitrary()?,
            stays_offline: u.arbitrary()?,
            messages,
            forward_each: u.arbitrary()?,
            no_deferral: u.arbitrary()?,
            timers_off: u.arbitrary()?,
            drops: u.arbitrary()?,
            duplicates: u.arbitrary()?,
            crashes: u.arbitrary()?,
        })
    }
}

impl<'a> Arbitrary<'a> for Schedule {
    fn arbitrary(u: &mut Unstructured<'a>) -> arbitrary::Result<Self> {
        let mut choices = Vec::new();
        while choices.len() < SCHEDULE_CHOICES_MAX && !u.is_empty() {
            choices.push(u.arbitrary()?);
        }
        Ok(Schedule { choices })
    }
}

impl<'a> Arbitrary<'a> for Case {
    fn arbitrary(u: &mut Unstructured<'a>) -> arbitrary::Result<Self> {
        Ok(Case {
            scenario: u.arbitrary()?,
            schedule: u.arbitrary()?,
        })
    }
}
