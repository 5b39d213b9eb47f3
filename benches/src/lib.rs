//! Shared helpers for the benches: deterministic inputs and an allocation
//! counter.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicU64, Ordering};

use nl_wire::MsgBuilder;
use nl_wire::netlink::NLM_F_MULTI;

/// A global allocator that counts allocations (install it with
/// `#[global_allocator]` in a bench binary).
pub struct CountingAlloc;

static ALLOCS: AtomicU64 = AtomicU64::new(0);
static LIVE: AtomicU64 = AtomicU64::new(0);
static PEAK: AtomicU64 = AtomicU64::new(0);

fn grow(by: u64) {
    let now = LIVE.fetch_add(by, Ordering::Relaxed) + by;
    PEAK.fetch_max(now, Ordering::Relaxed);
}

// SAFETY: forwards every call to the system allocator unchanged; the only
// addition is a relaxed counter increment.
unsafe impl GlobalAlloc for CountingAlloc {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCS.fetch_add(1, Ordering::Relaxed);
        grow(layout.size() as u64);
        // SAFETY: same contract as our caller's.
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE.fetch_sub(layout.size() as u64, Ordering::Relaxed);
        // SAFETY: same contract as our caller's.
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        ALLOCS.fetch_add(1, Ordering::Relaxed);
        LIVE.fetch_sub(layout.size() as u64, Ordering::Relaxed);
        grow(new_size as u64);
        // SAFETY: same contract as our caller's.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

/// Allocations made so far by a [`CountingAlloc`].
pub fn allocations() -> u64 {
    ALLOCS.load(Ordering::Relaxed)
}

/// Allocations made while running `f`.
pub fn count_allocations<T>(f: impl FnOnce() -> T) -> (T, u64) {
    let before = allocations();
    let out = f();
    (out, allocations() - before)
}

/// Peak heap bytes (above what was live when it started) while running `f`.
pub fn peak_heap<T>(f: impl FnOnce() -> T) -> (T, u64) {
    let base = LIVE.load(Ordering::Relaxed);
    PEAK.store(base, Ordering::Relaxed);
    let out = f();
    (out, PEAK.load(Ordering::Relaxed).saturating_sub(base))
}

/// `n` RTM_NEWROUTE messages as the kernel sends them in an IPv4 dump
/// (`fib_dump_info` order: RTA_TABLE, RTA_DST, RTA_PRIORITY, RTA_GATEWAY,
/// RTA_OIF), each a /32 with a gateway; deterministic.
pub fn route_dump(n: u32) -> Vec<u8> {
    let mut buf = Vec::with_capacity(n as usize * 68);
    for i in 0..n {
        let mut m = MsgBuilder::new(&mut buf, 24, NLM_F_MULTI);
        // struct rtmsg: AF_INET, /32, table main, proto static, scope
        // universe, RTN_UNICAST.
        let rtm = [2u8, 32, 0, 0, 254, 4, 0, 1, 0, 0, 0, 0];
        m.seq(1).pid(4242).header(&rtm);
        m.put_u32(15, 254) // RTA_TABLE
            .put_ipv4(1, [203, 0, 113, (i % 256) as u8].into()) // RTA_DST
            .put_u32(6, 100 + i % 7) // RTA_PRIORITY
            .put_ipv4(5, [192, 0, 2, (i % 254 + 1) as u8].into()) // RTA_GATEWAY
            .put_u32(4, 2 + i % 3); // RTA_OIF
        m.finish().expect("bench message fits");
    }
    buf
}
