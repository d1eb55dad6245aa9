//! What one check of one scenario found, in the shape the CLI prints and CI reads.
//!
//! `imflow check --format json` prints a [`CheckSummary`] as one JSON object; the human output,
//! the exit code and `imflow prove`'s comparison with the expected verdict are all computed
//! from it, so they cannot disagree.

use super::exit;
use imflow::trace::Trace;
use serde::Serialize;

/// The verdict on one property, or on a whole scenario.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Verdict {
    /// Safety/liveness: true in every reachable state. Reachability: an example exists.
    Hold,
    /// Safety/liveness: a reachable state breaks it. Reachability: no behaviour reaches it.
    Violated,
    /// A bound or the timeout cut the search before the property was decided.
    Inconclusive,
}

impl Verdict {
    /// The word used in every output: "hold", "violated", "inconclusive".
    pub fn word(self) -> &'static str {
        match self {
            Verdict::Hold => "hold",
            Verdict::Violated => "violated",
            Verdict::Inconclusive => "inconclusive",
        }
    }
}

/// The class of a catalogue property (DESIGN.md section 3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// Nothing bad ever happens (checked in every reachable state).
    Safety,
    /// Something good eventually happens (checked as a stable fact in every terminal state).
    Liveness,
    /// Some behaviour reaches a situation (R1: the seed flow is possible).
    Reachability,
}

impl Kind {
    /// The word used in every output: "safety", "liveness", "reachability".
    pub fn word(self) -> &'static str {
        match self {
            Kind::Safety => "safety",
            Kind::Liveness => "liveness",
            Kind::Reachability => "reachability",
        }
    }
}

/// The verdict on one property, with the trace that decides it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PropertyResult {
    /// The catalogue id, e.g. "S2".
    pub id: String,
    /// The catalogue name, e.g. "one-notification-per-recipient".
    pub name: String,
    /// Safety, liveness or reachability.
    pub kind: Kind,
    /// The verdict.
    pub verdict: Verdict,
    /// The shortest counterexample (violated) or example (reachability holds), else null.
    pub trace: Option<Trace>,
    /// Why the verdict is inconclusive or the trace is missing, for humans (not in JSON).
    #[serde(skip)]
    pub note: Option<String>,
}

/// Everything a check of one scenario found (`imflow check --format json` prints exactly this).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CheckSummary {
    /// The scenario's name.
    pub scenario: String,
    /// "violated" if any property is, else "inconclusive" if any is, else "hold".
    pub verdict: Verdict,
    /// One result per checked property, in catalogue order.
    pub properties: Vec<PropertyResult>,
    /// Distinct states stored (symmetry representatives when `--symmetry` is on).
    pub unique_states: u64,
    /// States generated, duplicates included.
    pub states: u64,
    /// The deepest breadth-first level reached.
    pub max_depth: usize,
    /// Wall-clock seconds of the check.
    pub seconds: f64,
}

impl CheckSummary {
    /// The scenario verdict that follows from the property verdicts.
    pub fn overall(properties: &[PropertyResult]) -> Verdict {
        if properties.iter().any(|p| p.verdict == Verdict::Violated) {
            Verdict::Violated
        } else if properties
            .iter()
            .any(|p| p.verdict == Verdict::Inconclusive)
        {
            Verdict::Inconclusive
        } else {
            Verdict::Hold
        }
    }

    /// The violated properties, in catalogue order.
    pub fn violated(&self) -> impl Iterator<Item = &PropertyResult> {
        self.properties
            .iter()
            .filter(|p| p.verdict == Verdict::Violated)
    }

    /// The exit code: 12 if a safety (or reachability) property is violated, else 13 if a
    /// liveness property is, else 3 if anything is inconclusive, else 0.
    pub fn exit_code(&self) -> u8 {
        if self.violated().any(|p| p.kind != Kind::Liveness) {
            exit::SAFETY_VIOLATION
        } else if self.violated().next().is_some() {
            exit::LIVENESS_VIOLATION
        } else if self.verdict == Verdict::Inconclusive {
            exit::INCONCLUSIVE
        } else {
            exit::OK
        }
    }

    /// Unique states per second over the whole check.
    pub fn unique_per_second(&self) -> f64 {
        if self.seconds > 0.0 {
            self.unique_states as f64 / self.seconds
        } else {
            0.0
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn result(id: &str, kind: Kind, verdict: Verdict) -> PropertyResult {
        PropertyResult {
            id: id.to_string(),
            name: format!("{id}-name"),
            kind,
            verdict,
            trace: None,
            note: None,
        }
    }

    fn summary(properties: Vec<PropertyResult>) -> CheckSummary {
        CheckSummary {
            scenario: "seed".to_string(),
            verdict: CheckSummary::overall(&properties),
            properties,
            unique_states: 10,
            states: 20,
            max_depth: 3,
            seconds: 0.5,
        }
    }

    #[test]
    fn safety_violation_wins_over_liveness_violation() {
        let s = summary(vec![
            result("L4", Kind::Liveness, Verdict::Violated),
            result("S2", Kind::Safety, Verdict::Violated),
        ]);
        assert_eq!(s.verdict, Verdict::Violated);
        assert_eq!(s.exit_code(), exit::SAFETY_VIOLATION);
    }

    #[test]
    fn liveness_violation_alone_exits_13() {
        let s = summary(vec![
            result("S2", Kind::Safety, Verdict::Hold),
            result("L5", Kind::Liveness, Verdict::Violated),
            result("S3", Kind::Safety, Verdict::Inconclusive),
        ]);
        assert_eq!(s.exit_code(), exit::LIVENESS_VIOLATION);
    }

    #[test]
    fn unreachable_seed_flow_counts_as_a_safety_class_violation() {
        let s = summary(vec![result("R1", Kind::Reachability, Verdict::Violated)]);
        assert_eq!(s.exit_code(), exit::SAFETY_VIOLATION);
    }

    #[test]
    fn undecided_property_without_violation_is_inconclusive() {
        let s = summary(vec![
            result("S2", Kind::Safety, Verdict::Hold),
            result("S3", Kind::Safety, Verdict::Inconclusive),
        ]);
        assert_eq!(s.verdict, Verdict::Inconclusive);
        assert_eq!(s.exit_code(), exit::INCONCLUSIVE);
    }

    #[test]
    fn all_hold_exits_0_and_json_has_the_documented_keys() {
        let s = summary(vec![result("S1", Kind::Safety, Verdict::Hold)]);
        assert_eq!(s.exit_code(), exit::OK);
        let json = serde_json::to_value(&s).expect("json");
        let keys: Vec<&str> = json
            .as_object()
            .expect("object")
            .keys()
            .map(String::as_str)
            .collect();
        assert_eq!(
            keys,
            [
                "max_depth",
                "properties",
                "scenario",
                "seconds",
                "states",
                "unique_states",
                "verdict"
            ]
        );
        assert_eq!(json["verdict"], "hold");
        assert_eq!(json["properties"][0]["kind"], "safety");
        assert!(json["properties"][0]["trace"].is_null());
    }
}
