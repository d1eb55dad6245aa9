//! The run's schedule, drawn from the seed: when each user registers, when each scenario IM is
//! sent, and when seeded crashes hit participating servers.

use super::cast::Role;
use super::config::{Destination, SimConfig};
use super::limits::{
    CRASH_MS_MAX, OFFLINE_REGISTER_MS_MAX, OFFLINE_REGISTER_MS_MIN, ONLINE_REGISTER_MS_MAX,
    SEND_MS_MAX, SEND_MS_MIN,
};
use super::run::Simulation;
use super::SimError;
use crate::cpim::DispositionSet;
use crate::node::Instant;
use imflow_model::scenario::Disposition;
use imflow_model::Scenario;
use rand::Rng;

/// The text of the scenario's IMs (protocol.md E1), numbered after the first.
fn im_text(i: usize) -> String {
    match i {
        0 => "Summit at noon, bring ropes.".to_string(),
        _ => format!("Message {} to the group.", i + 1),
    }
}

/// The codec's disposition set for the model's requested dispositions.
pub fn disposition_set(dispositions: &[Disposition]) -> DispositionSet {
    dispositions
        .iter()
        .fold(DispositionSet::EMPTY, |set, d| match d {
            Disposition::PositiveDelivery => set.with(crate::cpim::Disposition::PositiveDelivery),
            Disposition::NegativeDelivery => set.with(crate::cpim::Disposition::NegativeDelivery),
            Disposition::Processing => set.with(crate::cpim::Disposition::Processing),
        })
}

fn at_ms(ms: u64) -> Instant {
    Instant(0).plus_millis(ms)
}

/// Schedules registrations, IMs and crashes for `scenario`.
pub(super) fn schedule(
    sim: &mut Simulation,
    scenario: &Scenario,
    config: &SimConfig,
) -> Result<(), SimError> {
    sim.faults
        .set_budgets(scenario.faults.drops_max, scenario.faults.duplicates_max);
    let users = sim.cast.users.clone();
    for user in &users {
        let offline = scenario.offline.contains(&user.name);
        let never = scenario.stays_offline.contains(&user.name);
        let ms = if never {
            continue;
        } else if offline {
            let drawn = sim
                .rng
                .random_range(OFFLINE_REGISTER_MS_MIN..=OFFLINE_REGISTER_MS_MAX);
            config
                .register_at_ms
                .iter()
                .find(|(name, _)| *name == user.name)
                .map_or(drawn, |(_, ms)| *ms)
        } else {
            sim.rng.random_range(0..=ONLINE_REGISTER_MS_MAX)
        };
        sim.schedule_register(user.ua_lane, at_ms(ms))?;
    }
    let group = sim.cast.group_uri.clone();
    let group_ims = if config.only_extra_ims {
        &[][..]
    } else {
        &scenario.messages[..]
    };
    for (i, message) in group_ims.iter().enumerate() {
        let lane = user_lane(sim, &message.from)?;
        let ms = sim.rng.random_range(SEND_MS_MIN..=SEND_MS_MAX);
        let set = disposition_set(&message.dispositions);
        sim.schedule_im(lane, at_ms(ms), &group, set, &im_text(i))?;
    }
    for im in &config.extra_ims {
        let lane = user_lane(sim, &im.from)?;
        let to = match &im.to {
            Destination::Group => group.clone(),
            Destination::User(name) => {
                let index = sim
                    .cast
                    .user_index(name)
                    .ok_or_else(|| SimError::UnknownActor(name.clone()))?;
                sim.cast.users[index].aor.clone()
            }
        };
        let set = disposition_set(&im.dispositions);
        sim.schedule_im(lane, at_ms(im.at_ms), &to, set, &im.text)?;
    }
    for (lane, ms) in sim.faults.crashes.clone() {
        if !matches!(
            sim.cast.roles.get(lane),
            Some(Role::ParticipatingFunction { .. })
        ) {
            return Err(SimError::UnknownActor(format!(
                "{} (only participating servers crash)",
                sim.cast.lanes.get(lane).map_or("?", String::as_str)
            )));
        }
        sim.schedule_crash(lane, at_ms(ms))?;
    }
    if sim.faults.seeded && scenario.faults.crashes_max > 0 {
        let servers: Vec<usize> = users.iter().map(|u| u.server_lane).collect();
        let crashes = sim.rng.random_range(0..=scenario.faults.crashes_max);
        for _ in 0..crashes {
            let lane = servers[sim.rng.random_range(0..servers.len())];
            let ms = sim.rng.random_range(0..=CRASH_MS_MAX);
            sim.schedule_crash(lane, at_ms(ms))?;
        }
    }
    Ok(())
}

fn user_lane(sim: &Simulation, name: &str) -> Result<usize, SimError> {
    sim.cast
        .user_index(name)
        .map(|i| sim.cast.users[i].ua_lane)
        .ok_or_else(|| SimError::UnknownActor(name.to_string()))
}
