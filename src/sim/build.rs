//! Builds the implementation's roles for a cast: a user agent and a participating server per
//! user, one Controlling Function for the group.

use super::cast::Cast;
use super::{SimError, SimNode};
use imflow_model::Scenario;

/// One node per lane of `cast`, each seeded from `seed` and its lane.
pub fn nodes(
    _cast: &Cast,
    _scenario: &Scenario,
    _seed: u64,
) -> Result<Vec<Box<dyn SimNode>>, SimError> {
    Err(SimError::Scenario(
        "the protocol roles are not in this build yet".to_string(),
    ))
}
