//! Measures one exhaustive check of a scenario: `cargo run --release -p imflow-model --example
//! measure -- [FILE|seed] [--symmetry] [--por] [--threads N]`. Prints one line: scenario,
//! options, unique and total states, max depth, seconds, unique states per second, verdicts.

use imflow_model::checker::{check, CheckOptions};
use imflow_model::{GroupImModel, Scenario};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let scenario = match args.first().map(String::as_str) {
        None | Some("seed") => Scenario::seed(),
        Some(path) => Scenario::from_toml_str(&std::fs::read_to_string(path)?)?,
    };
    let threads = args
        .iter()
        .position(|a| a == "--threads")
        .and_then(|i| args.get(i + 1)?.parse().ok())
        .unwrap_or(1);
    let options = CheckOptions {
        threads,
        symmetry: args.iter().any(|a| a == "--symmetry"),
        por: args.iter().any(|a| a == "--por"),
        max_depth: None,
        timeout: None,
    };
    let model = GroupImModel::new(&scenario)?.with_split_budgets(options.por);
    let report = check(&model, &options, &mut |p| {
        eprintln!(
            "  .. depth {} unique {} states {} {:.1}s",
            p.depth,
            p.unique_states,
            p.states,
            p.elapsed.as_secs_f64()
        )
    });
    let seconds = report.elapsed.as_secs_f64();
    let verdicts: Vec<String> = report
        .properties
        .iter()
        .map(|o| format!("{}={:?}", o.name.split(' ').next().unwrap_or(""), o.verdict))
        .collect();
    println!(
        "{} threads={} symmetry={} por={} unique={} states={} depth={} seconds={:.3} unique/s={:.0} complete={} {}",
        scenario.name,
        options.threads,
        options.symmetry,
        options.por,
        report.unique_states,
        report.states,
        report.max_depth,
        seconds,
        report.unique_states as f64 / seconds.max(1e-9),
        report.complete,
        verdicts.join(" ")
    );
    Ok(())
}
