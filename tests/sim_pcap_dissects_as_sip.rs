//! The run's pcap opens in Wireshark's tshark: every packet dissects as SIP (UDP, and TCP for
//! the aggregated IMDN over 1300 bytes), with no malformed packet and no expert warning.
//! Needs `tshark` (`.ci/run` installs it and sets `IMFLOW_REQUIRE_TSHARK`, so CI cannot skip it);
//! elsewhere, without it, the test says so and checks nothing.

use crate::common;
use crate::sim_support;

use imflow::sim::SimConfig;
use imflow::trace::pcap;
use imflow_model::Scenario;
use std::path::{Path, PathBuf};
use std::process::Command;

fn tshark_available() -> bool {
    Command::new("tshark").arg("--version").output().is_ok()
}

/// How many packets of `file` match the display filter (`None`: all packets).
fn count(file: &Path, filter: Option<&str>) -> usize {
    let mut cmd = Command::new("tshark");
    cmd.arg("-r")
        .arg(file)
        .args(["-T", "fields", "-e", "frame.number"]);
    if let Some(f) = filter {
        cmd.args(["-Y", f]);
    }
    let out = cmd.output().expect("tshark runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).lines().count()
}

/// Writes the pcap of the seed flow run under `config` to `dir`; returns its path and how many
/// packets it has.
fn write_pcap(dir: &Path, name: &str, config: &SimConfig) -> (PathBuf, usize) {
    let (run, report) = sim_support::run(&Scenario::seed(), config);
    sim_support::assert_clean(&run, &report);
    let trace = run.trace();
    let bytes = pcap::from_trace(&trace).expect("the trace fits a capture");
    let path = dir.join(format!("{name}.pcap"));
    std::fs::write(&path, bytes).expect("write pcap");
    let delivered = trace
        .steps
        .iter()
        .filter(|s| s.sip.is_some() && s.state["fate"] == "delivered")
        .count();
    (path, delivered)
}

#[test]
fn pcap_of_the_seed_flow_dissects_as_sip_without_warnings() {
    if !tshark_available() {
        assert!(
            std::env::var_os("IMFLOW_REQUIRE_TSHARK").is_none(),
            "IMFLOW_REQUIRE_TSHARK is set but tshark is not installed"
        );
        eprintln!("SKIPPED: tshark is not installed (apt-get install -y tshark); pcap not checked");
        return;
    }
    let dir = common::cli::scratch("pcap-seed");
    let (file, packets) = write_pcap(&dir, "seed", &SimConfig::seeded(1));
    assert_eq!(count(&file, None), packets);
    assert_eq!(count(&file, Some("sip")), packets, "every packet is SIP");
    assert!(
        count(&file, Some("tcp && sip")) >= 2,
        "the aggregate and its 200 go over TCP"
    );
    assert!(count(&file, Some("udp && sip")) > packets / 2);
    assert_eq!(count(&file, Some("_ws.malformed")), 0);
    assert_eq!(count(&file, Some("_ws.expert.severity >= \"warning\"")), 0);
}

#[test]
fn pcap_of_a_faulty_run_dissects_as_sip() {
    if !tshark_available() {
        assert!(
            std::env::var_os("IMFLOW_REQUIRE_TSHARK").is_none(),
            "IMFLOW_REQUIRE_TSHARK is set but tshark is not installed"
        );
        eprintln!("SKIPPED: tshark is not installed (apt-get install -y tshark); pcap not checked");
        return;
    }
    let dir = common::cli::scratch("pcap-faulty");
    let (file, packets) = write_pcap(&dir, "faulty", &SimConfig::with_faults(5));
    assert_eq!(count(&file, Some("sip")), packets);
    assert_eq!(count(&file, Some("_ws.malformed")), 0);
}
