//! The integration tests of the `imflow` crate, built as one test binary: each file beside this
//! one is a module here, one behaviour per file, named as a fact. One binary instead of one per
//! file keeps a fresh `cargo test` to one link of the crate and its dependencies (one binary per
//! file made the build several gigabytes). `every_test_file_is_a_module` fails when a file in
//! `tests/` is not listed below, so no test file is left out of the run.

mod common;
mod role_support;
mod sim_support;
mod ua_alone;

mod cli_check;
mod cli_explore;
mod cli_parse;
mod cli_prove;
mod cli_render;
mod cli_replay;
mod corpus_bodies;
mod corpus_sip;
mod cpim_fixtures;
mod cpim_hostile;
mod cpim_roundtrip;
mod every_test_file_is_a_module;
mod fuzz_regressions;
mod imdn_fixtures;
mod imdn_hostile;
mod imdn_roundtrip;
mod model_paths;
mod multipart_fixtures;
mod multipart_hostile;
mod multipart_roundtrip;
mod refinement_arbitrary;
mod refinement_catches;
mod refinement_schedules;
mod refinement_seed;
mod refinement_store_order_and_flush;
mod role_cf;
mod role_cf_state_order;
mod role_faults;
mod role_pf;
mod role_pf_as_proxy;
mod role_pf_imdn;
mod role_pf_refuses_what_it_cannot_defer;
mod role_pf_registrar;
mod role_seed_flow;
mod role_timeout;
mod role_transaction;
mod role_transaction_absorbing;
mod role_ua;
mod role_ua_refuses_malformed_input;
mod role_ua_registration;
mod role_ua_sending;
mod sim_aggregation_timer;
mod sim_cli_simulate;
mod sim_crash_after_202;
mod sim_deferred_expiry;
mod sim_duplicated_imdn;
mod sim_many_seeds_with_faults;
mod sim_monitor_s12_pending_message;
mod sim_monitors_catch_violations;
mod sim_network_bounds;
mod sim_non_member;
mod sim_one_to_one;
mod sim_pcap_dissects_as_sip;
mod sim_record_sizing;
mod sim_retransmitted_im;
mod sim_seed_flow;
mod sim_stored_notification;
mod sim_timer_wakes;
mod sim_two_senders;
mod sim_wire_golden;
mod sip_hostile;
mod sip_parse;
mod sip_roundtrip;
mod sip_validate;
mod trace_file;
mod trace_model_path;
mod trace_render;
