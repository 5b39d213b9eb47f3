//! Routing tables at kernel speed (issue 4), every side in the same run:
//!
//! dump 100,000 IPv4 routes: nl-wire views, owned `Route`s, rtnetlink,
//! and a raw C recv loop that only walks headers (`c/dump_routes.c`).
//! Adding routes is measured by `route_add.rs`, interleaved.
//!
//! Needs root (the process moves into a private network namespace) and a
//! C compiler (`cc`). `cargo bench -p netlink-benches --bench routes`

use std::hint::black_box;
use std::net::{IpAddr, Ipv4Addr};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use futures::TryStreamExt;
use netlink::nl_route::route::TABLE_MAIN;
use netlink::nl_route::uapi::rtnetlink::{RTA_DST, RTA_GATEWAY, RTA_OIF, RTA_PRIORITY, RTA_TABLE};
use netlink::{AF_INET, Handle, Link, LinkKind, Route, RouteDump, RouteProtocol};
use netlink_benches::CountingAlloc;
use rtnetlink::RouteMessageBuilder;

#[global_allocator]
static ALLOC: CountingAlloc = CountingAlloc;

const N: u32 = 100_000;
/// 198.18.0.0/15: the range set aside for benchmarking (RFC 2544).
const FIRST: u32 = 0xc612_0000;

fn compile(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR"));
    let out = dir.join(name);
    let src = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("c")
        .join(format!("{name}.c"));
    let ok = Command::new("cc")
        .args(["-O2", "-o"])
        .arg(&out)
        .arg(&src)
        .status()
        .expect("cc");
    assert!(ok.success(), "compiling {}", src.display());
    out
}

fn routes(dev: u32) -> Vec<Route> {
    (0..N)
        .map(|i| {
            let dst = IpAddr::V4(Ipv4Addr::from(FIRST + i));
            let mut r = Route::new(ipnet::IpNet::from(dst))
                .dev(dev)
                .protocol(RouteProtocol::STATIC);
            r.scope = netlink::Scope::Link;
            r
        })
        .collect()
}

fn flush(h: &Handle) {
    let n = h
        .route_flush(&RouteDump {
            family: AF_INET,
            protocol: Some(RouteProtocol::STATIC),
            ..RouteDump::default()
        })
        .expect("flush");
    black_box(n);
}

/// Runs a C program and returns the nanoseconds it reports (first number).
fn run_c(bin: &Path, args: &[String]) -> Duration {
    let out = Command::new(bin)
        .args(args)
        .output()
        .expect("run C program");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout);
    let mut words = text.split_whitespace();
    let ns: u64 = words.next().and_then(|w| w.parse().ok()).expect("ns");
    let second: u64 = words.next().and_then(|w| w.parse().ok()).unwrap_or(0);
    if bin.ends_with("add_routes") {
        assert_eq!(second, 0, "the C program had failures");
    }
    Duration::from_nanos(ns)
}

fn bench(c: &mut Criterion) {
    nix::sched::unshare(nix::sched::CloneFlags::CLONE_NEWNET)
        .expect("unshare(CLONE_NEWNET): run as root");
    let dump_c = compile("dump_routes");
    let h = Handle::new().expect("handle");
    h.link_add(&Link::new("bulk0").with_kind(LinkKind::Ifb))
        .expect("ifb");
    h.link_set_up("bulk0").expect("up");
    let dev = h.link_by_name("bulk0").expect("dev").index;
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let _entered = rt.enter();
    let (conn, rh, _) = rtnetlink::new_connection().expect("rtnetlink");
    rt.spawn(conn);
    let table = routes(dev);

    // ---- dump ----
    assert!(h.routes_add(&table).expect("batch").is_ok());
    let filter = RouteDump {
        family: AF_INET,
        table: Some(TABLE_MAIN),
        ..RouteDump::default()
    };
    assert_eq!(
        h.route_list_filtered(&filter).expect("list").len(),
        N as usize
    );
    let mut g = c.benchmark_group("dump_100k_routes");
    g.throughput(Throughput::Elements(u64::from(N)));
    g.sample_size(20);
    g.bench_function("C raw recv loop (headers only)", |b| {
        b.iter_custom(|iters| run_c(&dump_c, &[iters.to_string()]))
    });
    for peek in [true, false] {
        let mut sock = nl_sock::Socket::open(0).expect("socket");
        sock.set_strict(true).expect("strict");
        sock.set_peek(peek);
        let name = if peek {
            "nl-sock dump, count (peek sizing)"
        } else {
            "nl-sock dump, count (fixed 32 KiB buffer)"
        };
        g.bench_function(name, |b| {
            b.iter(|| {
                let mut req = Vec::new();
                filter.write(&mut req).expect("req");
                let mut n = 0u64;
                sock.dump(&mut req)
                    .expect("dump")
                    .for_each(|_| {
                        n += 1;
                        Ok(())
                    })
                    .expect("dump");
                black_box(n)
            })
        });
    }
    g.bench_function("netlink views, headers only", |b| {
        b.iter(|| {
            let mut n = 0u64;
            h.route_dump_views(&filter, |m| {
                let hdr: netlink::nl_route::uapi::types::RtMsg = m.family_header();
                n += u64::from(hdr.rtm_dst_len);
                Ok(())
            })
            .expect("views");
            black_box(n)
        })
    });
    g.bench_function("netlink views + 5 attributes", |b| {
        b.iter(|| {
            let mut sum = 0u64;
            h.route_dump_views(&filter, |m| {
                let tb: nl_wire::AttrTable<'_, 32> = m
                    .attrs_after(12)
                    .table()
                    .map_err(|e| netlink::Error::Route(netlink::nl_route::Error::Build(e)))?;
                sum += u64::from(tb.u32(RTA_OIF).ok().flatten().unwrap_or(0));
                sum += u64::from(tb.u32(RTA_TABLE).ok().flatten().unwrap_or(0));
                sum += u64::from(tb.u32(RTA_PRIORITY).ok().flatten().unwrap_or(0));
                if let Ok(Some(IpAddr::V4(a))) = tb.ip(RTA_DST) {
                    sum += u64::from(u32::from(a));
                }
                if let Ok(Some(IpAddr::V4(a))) = tb.ip(RTA_GATEWAY) {
                    sum += u64::from(u32::from(a));
                }
                Ok(())
            })
            .expect("views");
            black_box(sum)
        })
    });
    g.bench_function("netlink owned Route", |b| {
        b.iter(|| black_box(h.route_list_filtered(&filter).expect("list")))
    });
    g.bench_function("rtnetlink route().get()", |b| {
        b.iter(|| {
            let msg = RouteMessageBuilder::<Ipv4Addr>::new().build();
            black_box(
                rt.block_on(async { rh.route().get(msg).execute().try_collect::<Vec<_>>().await })
                    .expect("x"),
            )
        })
    });
    g.finish();
    flush(&h);
}

criterion_group!(benches, bench);
criterion_main!(benches);
