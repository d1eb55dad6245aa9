//! `imflow explore [SCENARIO] --port N`: serves stateright's web Explorer for a scenario on
//! 127.0.0.1, to step through the model's behaviours by hand in a browser.
//!
//! It runs until interrupted (Ctrl-C). The port is tried first, so a port in use is a clear
//! tool error instead of a panic inside the Explorer's server.

use super::exit;
use super::search::load_scenario;
use imflow_model::GroupImModel;
use stateright::Model;
use std::net::{Ipv4Addr, SocketAddr, TcpListener};
use std::path::PathBuf;

/// The Explorer's default port.
pub const DEFAULT_PORT: u16 = 3000;

/// Arguments of `imflow explore`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The scenario file (TOML); without one, the built-in seed flow.
    pub scenario: Option<PathBuf>,
    /// The port on 127.0.0.1 to serve the Explorer on.
    #[arg(long, default_value_t = DEFAULT_PORT)]
    pub port: u16,
}

/// Runs `imflow explore` (returns only on an error).
pub fn run(args: Args) -> u8 {
    let scenario = match load_scenario(args.scenario.as_deref()) {
        Ok(scenario) => scenario,
        Err(message) => {
            eprintln!("imflow explore: {message}");
            return exit::TOOL_ERROR;
        }
    };
    let model = match GroupImModel::new(&scenario) {
        Ok(model) => model,
        Err(e) => {
            eprintln!("imflow explore: scenario {}: {e}", scenario.name);
            return exit::TOOL_ERROR;
        }
    };
    let address = SocketAddr::from((Ipv4Addr::LOCALHOST, args.port));
    // Bind once ourselves: the Explorer's server would panic on a port in use.
    let probe = match TcpListener::bind(address) {
        Ok(listener) => listener,
        Err(e) => {
            eprintln!("imflow explore: cannot listen on {address}: {e}");
            return exit::TOOL_ERROR;
        }
    };
    let address = probe.local_addr().unwrap_or(address);
    drop(probe);
    eprintln!(
        "imflow explore: scenario {:?}: stateright Explorer on http://{address}/ (Ctrl-C to stop)",
        scenario.name
    );
    model.checker().serve(address);
    exit::OK
}
