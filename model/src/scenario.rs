//! The scenario format (DESIGN.md section 5): one TOML file per proof obligation, read with serde.
//!
//! Unknown keys are rejected (`deny_unknown_fields`) so a typo never silently weakens a proof.
//! The format is described in `proofs/README.md`; [`Scenario::seed`] is the seed flow built in.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::limits::{
    CRASHES_MAX_LIMIT, DROPS_MAX_LIMIT, DUPLICATES_MAX_LIMIT, MESSAGES_MAX,
    SCENARIO_NAME_BYTES_MAX, SCENARIO_TOML_BYTES_MAX, USERS_MAX, USER_NAME_BYTES_MAX,
};
pub use crate::policy::{Aggregation, CfPolicy, Faults, ServerPolicy, Timers, Variants};
use crate::property::PropertyId;

/// A disposition a sender may request in `imdn.Disposition-Notification` (RFC 5438 section 6.2).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Disposition {
    /// `positive-delivery`: a `delivered` IMDN once the recipient's agent has the IM.
    PositiveDelivery,
    /// `negative-delivery`: a `failed` IMDN if delivery fails (e.g. the deferred copy expires).
    NegativeDelivery,
    /// `processing`: a `stored` IMDN from a server that defers the IM.
    Processing,
}

/// One group IM of the scenario.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MessageSpec {
    /// The sending user (a member, or a non-member to exercise rejection).
    pub from: String,
    /// The requested dispositions (any subset; empty = no IMDN wanted).
    #[serde(default)]
    pub dispositions: Vec<Disposition>,
}

/// The group hosted by the Controlling Function.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Group {
    /// The group's name (its URI's user part), for display.
    pub name: String,
    /// The members, in lane order; each has its own participating server.
    pub members: Vec<String>,
}

/// The verdict a scenario expects.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Expected {
    /// Every checked property holds (R1: an example exists).
    Hold,
    /// This property is violated (others may be too).
    Violated(PropertyId),
}

impl Serialize for Expected {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        match self {
            Expected::Hold => serializer.serialize_str("hold"),
            Expected::Violated(p) => {
                let mut map = serializer.serialize_map(Some(1))?;
                map.serialize_entry("violated", p)?;
                map.end()
            }
        }
    }
}

impl<'de> Deserialize<'de> for Expected {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Raw {
            Word(String),
            Violated(ViolatedRaw),
        }
        #[derive(Deserialize)]
        #[serde(deny_unknown_fields)]
        struct ViolatedRaw {
            violated: PropertyId,
        }
        match Raw::deserialize(deserializer) {
            Ok(Raw::Word(word)) if word == "hold" => Ok(Expected::Hold),
            Ok(Raw::Violated(v)) => Ok(Expected::Violated(v.violated)),
            _ => Err(serde::de::Error::custom(
                "expect must be \"hold\" or { violated = \"<property id>\" }",
            )),
        }
    }
}

/// One model configuration with its expected verdict.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    /// Short name, used in reports and file names.
    pub name: String,
    /// One sentence on what this scenario proves.
    #[serde(default)]
    pub summary: String,
    /// The group and its members.
    pub group: Group,
    /// Users outside the group (they may send, and must get 403).
    #[serde(default)]
    pub non_members: Vec<String>,
    /// Users that start unregistered and register at some point.
    #[serde(default)]
    pub offline: Vec<String>,
    /// Users that start unregistered and never register.
    #[serde(default)]
    pub stays_offline: Vec<String>,
    /// The group IMs sent (all sent at the start; the network delays them arbitrarily).
    pub messages: Vec<MessageSpec>,
    /// Controlling Function policy.
    #[serde(default)]
    pub cf: CfPolicy,
    /// Participating server policy.
    #[serde(default)]
    pub servers: ServerPolicy,
    /// Which timers may fire.
    #[serde(default)]
    pub timers: Timers,
    /// Fault budgets.
    #[serde(default)]
    pub faults: Faults,
    /// Known-bad variant flags.
    #[serde(default)]
    pub variants: Variants,
    /// Properties to check; absent = every property that applies (see `checked_properties`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub properties: Option<Vec<PropertyId>>,
    /// The expected verdict.
    pub expect: Expected,
}

/// Why a scenario was refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ScenarioError {
    /// The text is not valid scenario TOML (syntax, unknown key, wrong type); says where.
    Toml(String),
    /// The text is longer than `SCENARIO_TOML_BYTES_MAX`.
    TooLong {
        /// Length of the text, in bytes.
        bytes: usize,
    },
    /// A field has a value the model cannot take.
    Invalid {
        /// The offending field, e.g. `messages[1].from`.
        field: String,
        /// What is wrong with it.
        reason: String,
    },
}

impl std::fmt::Display for ScenarioError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ScenarioError::Toml(message) => write!(f, "scenario TOML: {message}"),
            ScenarioError::TooLong { bytes } => write!(
                f,
                "scenario TOML is {bytes} bytes, more than the limit of {SCENARIO_TOML_BYTES_MAX}"
            ),
            ScenarioError::Invalid { field, reason } => {
                write!(f, "scenario field `{field}`: {reason}")
            }
        }
    }
}

impl std::error::Error for ScenarioError {}

fn invalid(field: impl Into<String>, reason: impl Into<String>) -> ScenarioError {
    ScenarioError::Invalid {
        field: field.into(),
        reason: reason.into(),
    }
}

impl Scenario {
    /// The seed flow: members A, B, C, D; A sends one IM asking for positive delivery; D starts
    /// offline; the CF aggregates.
    pub fn seed() -> Scenario {
        Scenario {
            name: "seed".to_string(),
            summary: "The seed flow: A's IM to the group, B and C online (one aggregated IMDN), \
                      D offline (deferred, its IMDN after it registers)."
                .to_string(),
            group: Group {
                name: "climbers".to_string(),
                members: ["A", "B", "C", "D"].map(String::from).to_vec(),
            },
            non_members: Vec::new(),
            offline: vec!["D".to_string()],
            stays_offline: Vec::new(),
            messages: vec![MessageSpec {
                from: "A".to_string(),
                dispositions: vec![Disposition::PositiveDelivery],
            }],
            cf: CfPolicy::default(),
            servers: ServerPolicy::default(),
            timers: Timers::default(),
            faults: Faults::default(),
            variants: Variants::default(),
            properties: None,
            expect: Expected::Hold,
        }
    }

    /// Reads and validates a scenario from TOML text.
    pub fn from_toml_str(text: &str) -> Result<Scenario, ScenarioError> {
        if text.len() > SCENARIO_TOML_BYTES_MAX {
            return Err(ScenarioError::TooLong { bytes: text.len() });
        }
        let scenario: Scenario =
            toml::from_str(text).map_err(|e| ScenarioError::Toml(e.to_string()))?;
        scenario.validate()?;
        Ok(scenario)
    }

    /// Writes the scenario as TOML (the inverse of `from_toml_str`).
    pub fn to_toml_string(&self) -> Result<String, ScenarioError> {
        toml::to_string(self).map_err(|e| ScenarioError::Toml(e.to_string()))
    }

    /// All users in lane order: the members, then the non-members.
    pub fn users(&self) -> Vec<&str> {
        self.group
            .members
            .iter()
            .chain(self.non_members.iter())
            .map(String::as_str)
            .collect()
    }

    /// Checks every bound and every name reference.
    pub fn validate(&self) -> Result<(), ScenarioError> {
        if self.name.is_empty() || self.name.len() > SCENARIO_NAME_BYTES_MAX {
            return Err(invalid(
                "name",
                format!("must be 1..={SCENARIO_NAME_BYTES_MAX} bytes"),
            ));
        }
        let users = self.users();
        if users.len() > USERS_MAX {
            return Err(invalid(
                "group.members",
                format!(
                    "{} users (members + non-members); at most {USERS_MAX}",
                    users.len()
                ),
            ));
        }
        if self.group.members.len() < 2 {
            return Err(invalid("group.members", "a group needs at least 2 members"));
        }
        for (i, user) in users.iter().enumerate() {
            if user.is_empty() || user.len() > USER_NAME_BYTES_MAX {
                return Err(invalid(
                    "group.members",
                    format!("user name `{user}` must be 1..={USER_NAME_BYTES_MAX} bytes"),
                ));
            }
            if users[..i].contains(user) {
                return Err(invalid(
                    "group.members",
                    format!("user `{user}` is declared twice"),
                ));
            }
        }
        for (field, list) in [
            ("offline", &self.offline),
            ("stays_offline", &self.stays_offline),
        ] {
            for user in list {
                if !users.contains(&user.as_str()) {
                    return Err(invalid(field, format!("`{user}` is not a declared user")));
                }
            }
        }
        if let Some(user) = self.offline.iter().find(|u| self.stays_offline.contains(u)) {
            return Err(invalid(
                "stays_offline",
                format!("`{user}` is also listed in `offline`"),
            ));
        }
        if self.messages.is_empty() || self.messages.len() > MESSAGES_MAX {
            return Err(invalid(
                "messages",
                format!("{} messages; need 1..={MESSAGES_MAX}", self.messages.len()),
            ));
        }
        for (i, message) in self.messages.iter().enumerate() {
            if !users.contains(&message.from.as_str()) {
                return Err(invalid(
                    format!("messages[{i}].from"),
                    format!("`{}` is not a declared user", message.from),
                ));
            }
            if self.offline.contains(&message.from) || self.stays_offline.contains(&message.from) {
                return Err(invalid(
                    format!("messages[{i}].from"),
                    format!("sender `{}` must be registered when it sends", message.from),
                ));
            }
        }
        let budgets = [
            ("faults.drops_max", self.faults.drops_max, DROPS_MAX_LIMIT),
            (
                "faults.duplicates_max",
                self.faults.duplicates_max,
                DUPLICATES_MAX_LIMIT,
            ),
            (
                "faults.crashes_max",
                self.faults.crashes_max,
                CRASHES_MAX_LIMIT,
            ),
        ];
        for (field, value, limit) in budgets {
            if value > limit {
                return Err(invalid(
                    field,
                    format!("{value} is more than the limit {limit}"),
                ));
            }
        }
        if let Some(properties) = &self.properties {
            if properties.is_empty() {
                return Err(invalid(
                    "properties",
                    "list at least one property, or omit the key",
                ));
            }
        }
        if let Expected::Violated(p) = self.expect {
            if !self.checked_properties().contains(&p) {
                return Err(invalid(
                    "expect",
                    format!("expects {} violated but does not check it", p.id()),
                ));
            }
        }
        Ok(())
    }

    /// Whether R1 (the seed flow's shape) can apply: a member asks for positive delivery, the CF
    /// aggregates, servers defer, at least two recipients start registered and no recipient
    /// stays offline.
    pub fn seed_flow_applies(&self) -> bool {
        self.cf.aggregation == Aggregation::Aggregate
            && self.servers.deferral
            && self.messages.iter().any(|m| {
                let recipients = || self.group.members.iter().filter(|r| **r != m.from);
                self.group.members.contains(&m.from)
                    && m.dispositions.contains(&Disposition::PositiveDelivery)
                    && recipients().filter(|r| !self.offline.contains(r)).count() >= 2
                    && !recipients().any(|r| self.stays_offline.contains(r))
            })
    }

    /// The properties to check: the `properties` key if present, else all that apply (R1 only
    /// where the seed flow's shape exists, see `seed_flow_applies`).
    pub fn checked_properties(&self) -> Vec<PropertyId> {
        match &self.properties {
            Some(list) => PropertyId::ALL
                .into_iter()
                .filter(|p| list.contains(p))
                .collect(),
            None => PropertyId::ALL
                .into_iter()
                .filter(|p| *p != PropertyId::R1 || self.seed_flow_applies())
                .collect(),
        }
    }
}

impl Expected {
    /// True if per-property verdicts meet this expectation: `Hold` needs every checked property
    /// to hold (R1: an example found); `Violated(p)` needs `p` violated (others may be too).
    pub fn is_met_by(self, verdicts: &[(PropertyId, crate::checker::Verdict)]) -> bool {
        use crate::checker::Verdict;
        match self {
            Expected::Hold => verdicts.iter().all(|(_, v)| *v == Verdict::Hold),
            Expected::Violated(p) => verdicts
                .iter()
                .any(|(id, v)| *id == p && *v == Verdict::Violated),
        }
    }
}
