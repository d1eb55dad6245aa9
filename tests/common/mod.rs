//! Helpers shared by the integration tests.
#![allow(dead_code)] // each test binary uses a different subset

pub mod broken_imdn;
pub mod cli;
pub mod corpus_defects;
pub mod golden;
