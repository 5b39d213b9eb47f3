//! Peak memory while streaming 1,000,000 routes (issue 4): a fresh child
//! process records its resident size, streams every route of eight tables
//! of 125,000 routes each through `Handle::route_for_each` (an owned
//! `Route` at a time), and reports how far its peak RSS (`VmHWM`) rose
//! above that baseline. The target is below 16 MiB.
//!
//! Needs root. `cargo bench -p netlink-benches --bench rss`

use std::net::{IpAddr, Ipv4Addr};
use std::process::Command;

use netlink::nl_route::route::TABLE_ALL;
use netlink::{AF_INET, Handle, Link, LinkKind, Route, RouteDump, RouteProtocol};

const TABLES: u32 = 8;
const PER_TABLE: u32 = 125_000;
/// 198.18.0.0/15, the benchmarking range (RFC 2544): 131,072 addresses.
const FIRST: u32 = 0xc612_0000;

fn status_kib(field: &str) -> u64 {
    let s = std::fs::read_to_string("/proc/self/status").expect("status");
    s.lines()
        .find(|l| l.starts_with(field))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|v| v.parse().ok())
        .expect("field")
}

fn child() {
    let baseline = status_kib("VmRSS:");
    let h = Handle::new().expect("handle");
    let mut n = 0u64;
    let mut checksum = 0u64;
    h.route_for_each(
        &RouteDump {
            family: AF_INET,
            table: Some(TABLE_ALL),
            ..RouteDump::default()
        },
        |r| {
            n += 1;
            checksum = checksum.wrapping_add(u64::from(r.table) + u64::from(r.oif.unwrap_or(0)));
            Ok(())
        },
    )
    .expect("stream");
    let peak = status_kib("VmHWM:");
    println!("{n} {baseline} {peak} {checksum}");
}

fn main() {
    if std::env::args().any(|a| a == "--child") {
        return child();
    }
    if std::env::args().any(|a| a == "--list" || a.starts_with("--format")) {
        return; // cargo bench asks benches to list themselves
    }
    nix::sched::unshare(nix::sched::CloneFlags::CLONE_NEWNET)
        .expect("unshare(CLONE_NEWNET): run as root");
    let h = Handle::new().expect("handle");
    h.link_add(&Link::new("rss0").kind(LinkKind::Ifb))
        .expect("ifb");
    h.link_set_up("rss0").expect("up");
    let dev = h.link_by_name("rss0").expect("dev").index;
    let started = std::time::Instant::now();
    for t in 0..TABLES {
        let routes: Vec<Route> = (0..PER_TABLE)
            .map(|i| {
                let dst = IpAddr::V4(Ipv4Addr::from(FIRST + i));
                let mut r = Route::new(ipnet::IpNet::from(dst))
                    .dev(dev)
                    .table(100 + t)
                    .protocol(RouteProtocol::STATIC);
                r.scope = netlink::Scope::Link;
                r
            })
            .collect();
        let report = h.routes_add(&routes).expect("batch");
        assert!(report.is_ok(), "{:?}", report.failures().first());
    }
    let total = TABLES * PER_TABLE;
    eprintln!(
        "added {total} routes in {:.1}s",
        started.elapsed().as_secs_f64()
    );
    let out = Command::new(std::env::current_exe().expect("exe"))
        .arg("--child")
        .output()
        .expect("child");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout);
    let v: Vec<u64> = text
        .split_whitespace()
        .filter_map(|w| w.parse().ok())
        .collect();
    let (n, baseline, peak) = (v[0], v[1], v[2]);
    assert!(n >= u64::from(total), "streamed {n} routes");
    let over = peak.saturating_sub(baseline);
    println!(
        "streamed {n} routes: baseline RSS {baseline} KiB, peak {peak} KiB, {over} KiB ({:.2} MiB) above baseline",
        over as f64 / 1024.0
    );
    assert!(
        over < 16 * 1024,
        "peak RSS rose {over} KiB: above the 16 MiB target"
    );
}
