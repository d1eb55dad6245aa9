//! imflow: the concrete side of OMA SIMPLE IM group delivery with IMDN.
//!
//! This crate holds the wire codec (SIP, CPIM, IMDN XML, multipart/mixed), the sans-IO protocol
//! roles (user agent, participating function, Controlling Function) on an RFC 3261 non-INVITE
//! transaction layer, the deferred store, a deterministic simulator, runtime monitors for the
//! property catalogue, and the trace type every rendering is made from.
//!
//! The specification it is checked against lives in the crate `imflow-model`.
#![forbid(unsafe_code)]

mod ascii_run;
pub mod cpim;
pub mod deferred;
pub mod diagnostic;
pub mod document;
mod hex;
pub mod imdn;
pub mod limits;
pub mod monitor;
pub mod multipart;
pub mod node;
pub mod refine;
pub mod sim;
pub mod sip;
pub mod trace;
pub mod transaction;
