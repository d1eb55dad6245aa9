//! The design knobs of a scenario: the CF's aggregation policy, the servers' deferral policy,
//! which timers may fire, fault budgets, and the known-bad variant flags.

use serde::{Deserialize, Serialize};

fn yes() -> bool {
    true
}

/// How the CF handles the IMDNs of one group IM (RFC 5438 section 8.3).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Aggregation {
    /// Buffer IMDNs until every reached leg reported (or the flush timer fires), then send one.
    #[default]
    Aggregate,
    /// Forward each accepted IMDN at once.
    ForwardEach,
}

/// The Controlling Function's policy.
#[derive(Clone, Debug, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CfPolicy {
    /// Aggregation policy; default `aggregate`.
    #[serde(default)]
    pub aggregation: Aggregation,
}

/// The participating servers' policy.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ServerPolicy {
    /// Store an IM for an unregistered user and answer 202 (true), or answer 480 (false).
    #[serde(default = "yes")]
    pub deferral: bool,
}

impl Default for ServerPolicy {
    fn default() -> Self {
        ServerPolicy { deferral: true }
    }
}

/// Which timers may fire (each fires nondeterministically once its condition holds).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Timers {
    /// `T_agg`: the CF flushes a non-empty aggregation buffer.
    #[serde(default = "yes")]
    pub aggregation_flush: bool,
    /// `T_exp`: a server discards a stored (deferred) copy.
    #[serde(default = "yes")]
    pub deferred_expiry: bool,
    /// `T_state`: the CF frees per-message state.
    #[serde(default = "yes")]
    pub cf_state_expiry: bool,
}

impl Default for Timers {
    fn default() -> Self {
        Timers {
            aggregation_flush: true,
            deferred_expiry: true,
            cf_state_expiry: true,
        }
    }
}

/// Fault budgets for one behaviour.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Faults {
    /// Lost messages. With retransmission a lost response makes the client retransmit its
    /// request (a lost request is only a delay); without, a loss times the transaction out.
    #[serde(default)]
    pub drops_max: u8,
    /// Whether clients retransmit (RFC 3261 Timer E over UDP); false models a transport where a
    /// loss ends the transaction at Timer F.
    #[serde(default = "yes")]
    pub retransmission: bool,
    /// Network duplicates of any message in flight.
    #[serde(default)]
    pub duplicates_max: u8,
    /// Participating-server crashes (deferred store durable, bindings and deliveries lost).
    #[serde(default)]
    pub crashes_max: u8,
}

/// Known-bad design variants; each flag breaks one property on purpose.
#[derive(Clone, Debug, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Variants {
    /// The CF counts a 202 on a leg as delivered and reports it (breaks S10/S3).
    #[serde(default)]
    pub cf_counts_202_as_delivered: bool,
    /// The CF forwards an IMDN it already reported (breaks S2).
    #[serde(default)]
    pub cf_forwards_duplicate_imdn: bool,
    /// A server answers 200 instead of 202 when it stores a deferred copy (breaks S10).
    #[serde(default)]
    pub server_answers_200_when_storing: bool,
    /// The CF frees per-message state before deferrals can end (breaks L4).
    #[serde(default)]
    pub cf_frees_state_early: bool,
    /// The fan-out includes the sender (breaks S7).
    #[serde(default)]
    pub fanout_includes_sender: bool,
    /// A user agent hands a retransmitted or duplicated IM to its user again (breaks S9).
    #[serde(default)]
    pub ua_redelivers_retransmitted_im: bool,
    /// A deferred copy may expire while its delivery is in flight, and both count (breaks S4).
    #[serde(default)]
    pub deferred_delivered_and_expired: bool,
}

impl Default for Faults {
    fn default() -> Self {
        Faults {
            drops_max: 0,
            retransmission: true,
            duplicates_max: 0,
            crashes_max: 0,
        }
    }
}
