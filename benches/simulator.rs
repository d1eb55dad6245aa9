//! Throughput of the simulator running the seed flow end to end: A's IM fanned out to B, C and
//! D, each delivered (D's after it registers) and each answered with its delivery IMDN, which
//! reaches A (B and C aggregated). One run is three recipient deliveries with their IMDNs, so
//! criterion's elements per second are deliveries per second on one core.
//!
//! A counting global allocator measures the bytes allocated per delivered message (the whole
//! run, registrations and IMDNs included, divided by the three deliveries); the figure is
//! printed before the timings.
//!
//! Run: `cargo bench --bench simulator`.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use imflow::sim::{simulate, SimConfig};
use imflow_model::Scenario;
use std::alloc::{GlobalAlloc, Layout, System};
use std::hint::black_box;
use std::sync::atomic::{AtomicU64, Ordering};

/// Recipient deliveries (each with its IMDN to the sender) in one seed-flow run.
const DELIVERIES_PER_RUN: u64 = 3;

/// The system allocator, counting every byte and every allocation it hands out.
struct Counting;

static ALLOCATED_BYTES: AtomicU64 = AtomicU64::new(0);
static ALLOCATIONS: AtomicU64 = AtomicU64::new(0);

// SAFETY: every call is forwarded unchanged to the system allocator; the counters are atomics.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCATED_BYTES.fetch_add(layout.size() as u64, Ordering::Relaxed);
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        // SAFETY: same layout contract as the caller's.
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: `ptr` came from `alloc` above with this layout.
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        ALLOCATED_BYTES.fetch_add(new_size as u64, Ordering::Relaxed);
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        // SAFETY: `ptr` came from this allocator with `layout`.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

fn seed_flow_run(seed: u64) -> usize {
    let run = simulate(&Scenario::seed(), &SimConfig::seeded(seed)).expect("the seed flow runs");
    run.entries.len()
}

fn report_allocations() {
    seed_flow_run(1); // warm up lazily initialised statics
    let (bytes, count) = (
        ALLOCATED_BYTES.load(Ordering::Relaxed),
        ALLOCATIONS.load(Ordering::Relaxed),
    );
    seed_flow_run(1);
    let bytes = ALLOCATED_BYTES.load(Ordering::Relaxed) - bytes;
    let count = ALLOCATIONS.load(Ordering::Relaxed) - count;
    eprintln!(
        "seed flow: {} bytes in {} allocations per run; {} bytes and {} allocations per \
         delivered message (of {DELIVERIES_PER_RUN})",
        bytes,
        count,
        bytes / DELIVERIES_PER_RUN,
        count / DELIVERIES_PER_RUN
    );
}

fn bench(c: &mut Criterion) {
    report_allocations();
    let mut group = c.benchmark_group("simulator");
    group.throughput(Throughput::Elements(DELIVERIES_PER_RUN));
    group.bench_function("seed_flow_end_to_end", |b| {
        b.iter(|| seed_flow_run(black_box(1)))
    });
    group.bench_function("seed_flow_end_to_end_with_monitors", |b| {
        b.iter(|| {
            let run = simulate(&Scenario::seed(), &SimConfig::seeded(black_box(1)))
                .expect("the seed flow runs");
            imflow::monitor::check(&run).violations.len()
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
