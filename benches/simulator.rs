//! Throughput of the simulator running the seed flow end to end, two ways.
//!
//! * `seed_flow_end_to_end`: one whole seed run, setup included (building the cast and the
//!   nodes, the REGISTERs, D's deferral until it registers): A's IM fanned out to B, C and D,
//!   each delivered and answered with its delivery IMDN, which reaches A (B and C aggregated).
//!   One run is three recipient deliveries with their IMDNs.
//! * `steady_group_ims/<members>`: the seed's group (4 members, all online) and a 20-member
//!   variant exchange many group IMs, senders taking turns; each IM is fanned out to every other
//!   member, delivered, and notified (positive-delivery IMDN back through the CF, aggregated as
//!   the seed does). Only recipient deliveries whose `delivered` IMDN reached the sender are
//!   counted, and the bench panics unless every one did, so the figure cannot count work that
//!   was not done. Registration is part of the run but amortised over the IMs.
//!
//! * `setup/registrations_only/4`: the per-run setup alone (cast, nodes, every member's
//!   REGISTER and its 200), the part of a seed run that is not delivery work.
//!
//! Criterion's elements per second are recipient deliveries (each with its IMDN at the sender)
//! per second on one core. Every variant also runs with the runtime monitors.
//!
//! A counting global allocator around mimalloc (the `imflow` binary's allocator) measures the
//! bytes and allocations per delivered message; the figures are printed before the timings. It
//! counts only while those figures are taken: during the timings it is mimalloc alone, as in the
//! binary (two atomic additions per allocation would otherwise be timed as the simulator's work).
//!
//! Run: `cargo bench --bench simulator`.

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use imflow::node::{Event, Instant};
use imflow::sim::{build, simulate, Cast, Happening, SimConfig, SimRun, Simulation};
use imflow_model::scenario::Group;
use imflow_model::Scenario;
use std::alloc::{GlobalAlloc, Layout};
use std::hint::black_box;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

/// Recipient deliveries (each with its IMDN to the sender) in one seed-flow run.
const SEED_DELIVERIES_PER_RUN: u64 = 3;
/// Group IMs one steady-state run sends.
const STEADY_IMS_PER_RUN: usize = 200;
/// Time between two IMs of a steady-state run, in milliseconds (IMs overlap on the network).
const STEADY_SEND_INTERVAL_MS: u64 = 5;
/// When the first IM of a steady-state run is sent, in milliseconds (members registered).
const STEADY_FIRST_SEND_MS: u64 = 200;
/// Group sizes of the steady-state runs: the seed's 4 members and a 20-member group.
const STEADY_GROUP_MEMBERS: [usize; 2] = [4, 20];

/// The `imflow` binary's allocator (mimalloc), counting every byte and every allocation it hands
/// out.
struct Counting;

static ALLOCATED_BYTES: AtomicU64 = AtomicU64::new(0);
static ALLOCATIONS: AtomicU64 = AtomicU64::new(0);
/// Whether allocations are being counted (only inside [`allocations_of`]).
static COUNTING: AtomicBool = AtomicBool::new(false);

/// Counts one allocation of `bytes` bytes, while counting is on.
#[inline(always)]
fn count(bytes: usize) {
    if COUNTING.load(Ordering::Relaxed) {
        ALLOCATED_BYTES.fetch_add(bytes as u64, Ordering::Relaxed);
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
    }
}

// SAFETY: every call is forwarded unchanged to mimalloc; the counters are atomics.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        count(layout.size());
        // SAFETY: same layout contract as the caller's.
        unsafe { mimalloc::MiMalloc.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: `ptr` came from `alloc` above with this layout.
        unsafe { mimalloc::MiMalloc.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        count(new_size);
        // SAFETY: `ptr` came from this allocator with `layout`.
        unsafe { mimalloc::MiMalloc.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

/// `delivered` IMDNs that reached a sender's user agent in `run`.
fn delivered_imdns(run: &SimRun) -> u64 {
    run.entries
        .iter()
        .filter(|e| {
            matches!(&e.what, Happening::Event(Event::ImdnRendered { status, .. })
                if status == "delivered")
        })
        .count() as u64
}

fn seed_flow_run(seed: u64) -> SimRun {
    let run = simulate(&Scenario::seed(), &SimConfig::seeded(seed)).expect("the seed flow runs");
    assert_eq!(delivered_imdns(&run), SEED_DELIVERIES_PER_RUN);
    run
}

/// The seed scenario with `members` members (A..D and then `M5`, `M6`, ...), all online. A group
/// larger than the model's bound is built without `Scenario::validate`, as the model never
/// checks it.
fn steady_scenario(members: usize) -> Scenario {
    let seed = Scenario::seed();
    let mut names: Vec<String> = seed.group.members.iter().take(members).cloned().collect();
    names.extend((names.len() + 1..=members).map(|i| format!("M{i}")));
    Scenario {
        name: format!("steady-{members}"),
        group: Group {
            name: seed.group.name.clone(),
            members: names,
        },
        offline: Vec::new(),
        ..seed
    }
}

/// Recipient deliveries (with their IMDN at the sender) one steady-state run must complete.
fn steady_deliveries(members: usize) -> u64 {
    (STEADY_IMS_PER_RUN * (members - 1)) as u64
}

/// One steady-state run: every member registers, then `STEADY_IMS_PER_RUN` group IMs, senders
/// taking turns, each requesting positive-delivery.
fn steady_run(scenario: &Scenario, seed: u64) -> SimRun {
    steady_run_of(scenario, seed, STEADY_IMS_PER_RUN)
}

/// A steady-state run with `ims` group IMs (none: the setup alone).
fn steady_run_of(scenario: &Scenario, seed: u64, ims: usize) -> SimRun {
    let cast = Cast::new(scenario);
    let nodes = build::nodes(&cast, scenario, seed).expect("nodes build");
    let config = SimConfig::seeded(seed);
    let mut sim = Simulation::with_nodes(&scenario.name, cast, nodes, &config).expect("sim");
    let lanes: Vec<usize> = sim.cast().users.iter().map(|u| u.ua_lane).collect();
    let group = sim.cast().group_uri.clone();
    for (i, lane) in lanes.iter().enumerate() {
        sim.schedule_register(*lane, Instant(0).plus_millis(i as u64))
            .expect("register scheduled");
    }
    let positive =
        imflow::cpim::DispositionSet::EMPTY.with(imflow::cpim::Disposition::PositiveDelivery);
    for i in 0..ims {
        let at = Instant(0).plus_millis(STEADY_FIRST_SEND_MS + i as u64 * STEADY_SEND_INTERVAL_MS);
        let text = format!("Message {} to the group.", i + 1);
        sim.schedule_im(lanes[i % lanes.len()], at, &group, positive, &text)
            .expect("IM scheduled");
    }
    sim.run().expect("the steady run completes");
    let run = sim.finish();
    let members = scenario.group.members.len();
    assert_eq!(delivered_imdns(&run), (ims * (members - 1)) as u64);
    run
}

/// Bytes and allocations of one call of `f`, after one warm-up call.
fn allocations_of(mut f: impl FnMut()) -> (u64, u64) {
    f();
    let (bytes, count) = (
        ALLOCATED_BYTES.load(Ordering::Relaxed),
        ALLOCATIONS.load(Ordering::Relaxed),
    );
    COUNTING.store(true, Ordering::Relaxed);
    f();
    COUNTING.store(false, Ordering::Relaxed);
    (
        ALLOCATED_BYTES.load(Ordering::Relaxed) - bytes,
        ALLOCATIONS.load(Ordering::Relaxed) - count,
    )
}

fn report(what: &str, (bytes, count): (u64, u64), deliveries: u64) {
    eprintln!(
        "{what}: {bytes} bytes in {count} allocations per run; {} bytes and {} allocations per \
         delivered message (of {deliveries})",
        bytes / deliveries,
        count / deliveries
    );
}

fn bench(c: &mut Criterion) {
    report(
        "seed flow",
        allocations_of(|| drop(seed_flow_run(1))),
        SEED_DELIVERIES_PER_RUN,
    );
    let mut group = c.benchmark_group("simulator");
    group.throughput(Throughput::Elements(SEED_DELIVERIES_PER_RUN));
    group.bench_function("seed_flow_end_to_end", |b| {
        b.iter(|| seed_flow_run(black_box(1)).entries.len())
    });
    group.bench_function("seed_flow_end_to_end_with_monitors", |b| {
        b.iter(|| {
            imflow::monitor::check(&seed_flow_run(black_box(1)))
                .violations
                .len()
        })
    });
    group.finish();

    let mut group = c.benchmark_group("steady_group_ims");
    group.sample_size(20);
    for members in STEADY_GROUP_MEMBERS {
        let scenario = steady_scenario(members);
        let deliveries = steady_deliveries(members);
        report(
            &format!("steady group of {members}"),
            allocations_of(|| drop(steady_run(&scenario, 1))),
            deliveries,
        );
        group.throughput(Throughput::Elements(deliveries));
        group.bench_with_input(BenchmarkId::new("members", members), &scenario, |b, s| {
            b.iter(|| steady_run(s, black_box(1)).entries.len())
        });
        group.bench_with_input(
            BenchmarkId::new("members_with_monitors", members),
            &scenario,
            |b, s| {
                b.iter(|| {
                    imflow::monitor::check(&steady_run(s, black_box(1)))
                        .violations
                        .len()
                })
            },
        );
    }
    group.finish();

    let mut group = c.benchmark_group("setup");
    let seed_group = steady_scenario(4);
    group.bench_function("registrations_only/4", |b| {
        b.iter(|| steady_run_of(&seed_group, black_box(1), 0).entries.len())
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
