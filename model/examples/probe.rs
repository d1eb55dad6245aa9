use imflow_model::checker::{check, CheckOptions};
use imflow_model::{GroupImModel, Scenario};
fn main() {
    let args: Vec<String> = std::env::args().collect();
    let scenario = match args.get(1).map(String::as_str) {
        Some("seed") | None => Scenario::seed(),
        Some(p) => Scenario::from_toml_str(&std::fs::read_to_string(p).unwrap()).unwrap(),
    };
    let flags = args.get(2).cloned().unwrap_or_default();
    let model = GroupImModel::new(&scenario).unwrap();
    let opts = CheckOptions {
        threads: if flags.contains('2') { 2 } else { 1 },
        symmetry: flags.contains('s'),
        por: flags.contains('p'),
        max_depth: None,
        timeout: None,
    };
    let lanes = model.lanes();
    let r = check(&model, &opts, &mut |p| {
        eprintln!(
            "  .. {} unique {} depth {:.1}s",
            p.states,
            p.unique_states,
            p.elapsed.as_secs_f64()
        )
    });
    println!(
        "{} [{flags}] unique {} total {} depth {} {:.3}s complete {}",
        scenario.name,
        r.unique_states,
        r.states,
        r.max_depth,
        r.elapsed.as_secs_f64(),
        r.complete
    );
    for o in &r.properties {
        println!("  {:40} {:?} {:?}", o.name, o.verdict, o.note);
        if flags.contains('v') {
            if let Some(path) = &o.path {
                for (s, a) in path {
                    if let Some(a) = a {
                        let v = model.step_view(s, a);
                        println!("     {:>9} -> {:9} {}", lanes[v.from], lanes[v.to], v.label);
                    }
                }
            }
        }
    }
}
