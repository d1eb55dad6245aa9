//! `imflow prove` (to be written).

/// Arguments of `imflow prove`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Remaining arguments (accepted until this command is built).
    #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
    pub rest: Vec<String>,
}

/// Runs `imflow prove`.
pub fn run(_args: Args) -> u8 {
    super::not_yet("imflow prove")
}
