//! The parallel level expansion gives exactly the one-thread result: same counts, same verdicts,
//! same paths, with and without reductions.

use crate::checker_toys;

use checker_toys::*;
use imflow_model::checker::{CheckOptions, CheckReport};
use stateright::Model;

/// Everything but the elapsed time.
fn summary<M>(report: &CheckReport<M>) -> String
where
    M: Model,
    M::State: std::fmt::Debug,
    M::Action: std::fmt::Debug,
{
    format!(
        "{} {} {} {} {:?}",
        report.unique_states, report.states, report.max_depth, report.complete, report.properties
    )
}

fn threads(count: usize, symmetry: bool) -> CheckOptions {
    CheckOptions {
        threads: count,
        symmetry,
        ..plain()
    }
}

#[test]
fn lost_update_results_do_not_depend_on_the_thread_count() {
    let model = LostUpdate {
        clients: 7,
        with_properties: true,
    };
    for symmetry in [false, true] {
        let one = run(&model, &threads(1, symmetry));
        // About 6,000 states per level on average: wide enough for the parallel expansion (2,048).
        assert!(one.unique_states > 90_000 || symmetry);
        for count in [2, 3, 4] {
            let many = run(&model, &threads(count, symmetry));
            assert_eq!(
                summary(&one),
                summary(&many),
                "{count} threads, symmetry {symmetry}"
            );
        }
    }
}

#[test]
fn wide_grid_results_do_not_depend_on_the_thread_count() {
    let grid = Grid {
        width: 3000,
        height: 40,
        with_properties: true,
    };
    let one = run(&grid, &threads(1, false));
    let two = run(&grid, &threads(2, false));
    assert_eq!(one.unique_states, 3001 * 41);
    assert_eq!(summary(&one), summary(&two));
}

#[test]
fn parallel_counts_match_stateright_bfs() {
    let model = LostUpdate {
        clients: 6,
        with_properties: false,
    };
    let ours = run(&model, &threads(2, false));
    let theirs = stateright_bfs_unique(model);
    assert_eq!(ours.unique_states as usize, theirs);
}

#[test]
fn timeout_stops_a_parallel_check() {
    let model = Independent {
        processes: 12,
        steps: 3,
    };
    let options = CheckOptions {
        timeout: Some(std::time::Duration::from_millis(200)),
        ..threads(2, false)
    };
    let report = run(&model, &options);
    assert!(!report.complete);
    assert!(report.unique_states < 4u64.pow(12));
    assert!(report.elapsed < std::time::Duration::from_secs(5));
    assert_eq!(
        report
            .outcome("process 0 stays within its steps")
            .map(|o| o.verdict),
        Some(imflow_model::checker::Verdict::Inconclusive)
    );
}
