//! The integration tests of the `imflow-model` crate, built as one test binary: each file beside
//! this one is a module here. One binary instead of one per file keeps a fresh `cargo test` to
//! one link. `every_test_file_is_a_module` fails when a file in `tests/` is not listed below.

mod checker_toys;
mod support;

mod catalogue;
mod checker_reductions;
mod checker_search;
mod checker_shortest;
mod checker_threads;
mod persistent_sets;
mod rank;
mod reductions;
mod scenario_format;
mod seed_flow;
mod shortest_counterexamples;
mod split_budgets;
mod store_order_and_flush;

// The guard is shared with the imflow crate's integration tests.
#[path = "../../tests/every_test_file_is_a_module.rs"]
mod every_test_file_is_a_module;
