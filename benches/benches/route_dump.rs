//! Dumping 100,000 IPv4 routes (issue 4), every contender in the same
//! process and namespace, interleaved round by round (load on this shared
//! machine drifts; interleaving keeps the ratios honest):
//!
//! * the kernel's limit: a raw C recv loop that only walks message headers
//!   (`c/dump_routes.c`);
//! * nl-sock alone: one dump, counting messages;
//! * facade views: `Handle::route_dump_views`, reading the header only, and
//!   reading five attributes through an `AttrTable`;
//! * facade owned: `Handle::route_list_filtered` (a `Vec<Route>`) and
//!   `Handle::route_for_each` (one owned `Route` at a time);
//! * rtnetlink 0.24 `route().get()` collected into `Vec<RouteMessage>`.
//!
//! Each round times `DUMPS` dumps per contender; the medians over rounds
//! and the ratios to the C loop are printed.
//!
//! * user space only: the same dump captured once and walked without
//!   syscalls (engine, owned parse), to read the per-route cost alone.
//!
//! Needs root and `cc`. `cargo bench -p netlink-benches --bench route_dump [-- ROUNDS]`

use std::hint::black_box;
use std::net::{IpAddr, Ipv4Addr};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use futures::TryStreamExt;
use netlink::nl_route::route::TABLE_MAIN;
use netlink::nl_route::uapi::rtnetlink::{RTA_DST, RTA_GATEWAY, RTA_OIF, RTA_PRIORITY, RTA_TABLE};
use netlink::nl_route::uapi::types::RtMsg;
use netlink::{AF_INET, Handle, Link, LinkKind, Route, RouteDump, RouteProtocol};
use netlink_benches::CountingAlloc;
use rtnetlink::RouteMessageBuilder;

#[global_allocator]
static ALLOC: CountingAlloc = CountingAlloc;

const N: u32 = 100_000;
const DUMPS: u32 = 10;
/// 198.18.0.0/15: the range set aside for benchmarking (RFC 2544).
const FIRST: u32 = 0xc612_0000;

fn compile(name: &str) -> PathBuf {
    let out = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(name);
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

fn median(v: &mut [f64]) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

/// Milliseconds per dump over `DUMPS` runs of `f`.
fn per_dump(mut f: impl FnMut()) -> f64 {
    let t = Instant::now();
    for _ in 0..DUMPS {
        f();
    }
    t.elapsed().as_secs_f64() * 1e3 / f64::from(DUMPS)
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args
        .iter()
        .any(|a| a == "--list" || a.starts_with("--format"))
    {
        return;
    }
    let rounds: usize = args
        .iter()
        .skip(1)
        .find_map(|a| a.parse().ok())
        .unwrap_or(9);
    nix::sched::unshare(nix::sched::CloneFlags::CLONE_NEWNET)
        .expect("unshare(CLONE_NEWNET): run as root");
    let dump_c = compile("dump_routes");
    let h = Handle::new().expect("handle");
    h.link_add(&Link::new("bulk0").kind(LinkKind::Ifb))
        .expect("ifb");
    h.link_set_up("bulk0").expect("up");
    let dev = h.link_by_name("bulk0").expect("dev").index;
    let routes: Vec<Route> = (0..N)
        .map(|i| {
            let dst = IpAddr::V4(Ipv4Addr::from(FIRST + i));
            let mut r = Route::new(ipnet::IpNet::from(dst))
                .dev(dev)
                .protocol(RouteProtocol::STATIC);
            r.scope = netlink::Scope::Link;
            r
        })
        .collect();
    assert!(h.routes_add(&routes).expect("batch").is_ok());
    drop(routes);
    let filter = RouteDump {
        family: AF_INET,
        table: Some(TABLE_MAIN),
        ..RouteDump::default()
    };
    assert_eq!(
        h.route_list_filtered(&filter).expect("list").len(),
        N as usize
    );

    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let _entered = rt.enter();
    let (conn, rh, _) = rtnetlink::new_connection().expect("rtnetlink");
    rt.spawn(conn);
    let mut sock = nl_sock::Socket::open(0).expect("socket");
    sock.set_strict(true).expect("strict");

    let names = [
        "C raw recv loop (headers only)",
        "nl-sock dump, count messages",
        "netlink views, header only",
        "netlink views + 5 attributes",
        "netlink owned Route (Vec)",
        "netlink owned Route (streaming)",
        "rtnetlink route().get()",
    ];
    let mut ms: Vec<Vec<f64>> = vec![Vec::new(); names.len()];
    for round in 0..rounds {
        let out = Command::new(&dump_c)
            .arg(DUMPS.to_string())
            .output()
            .expect("C");
        let text = String::from_utf8_lossy(&out.stdout);
        let mut w = text.split_whitespace();
        let ns: f64 = w.next().and_then(|x| x.parse().ok()).expect("C time");
        let msgs: u32 = w.next().and_then(|x| x.parse().ok()).expect("C count");
        assert_eq!(msgs, N, "the C loop saw every route");
        ms[0].push(ns / 1e6 / f64::from(DUMPS));

        ms[1].push(per_dump(|| {
            let mut req = Vec::new();
            filter.write(&mut req).expect("req");
            let mut n = 0u32;
            sock.dump(&mut req)
                .expect("dump")
                .for_each(|_| {
                    n += 1;
                    Ok(())
                })
                .expect("dump");
            assert_eq!(n, N);
        }));
        ms[2].push(per_dump(|| {
            let mut sum = 0u64;
            h.route_dump_views(&filter, |m| {
                let hdr: RtMsg = m.family_header();
                sum += u64::from(hdr.rtm_dst_len);
                Ok(())
            })
            .expect("views");
            black_box(sum);
        }));
        ms[3].push(per_dump(|| {
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
            black_box(sum);
        }));
        ms[4].push(per_dump(|| {
            let v = h.route_list_filtered(&filter).expect("list");
            assert_eq!(v.len(), N as usize);
            black_box(v);
        }));
        ms[5].push(per_dump(|| {
            let mut n = 0u32;
            h.route_for_each(&filter, |r| {
                n += u32::from(r.oif == Some(dev));
                Ok(())
            })
            .expect("stream");
            assert_eq!(n, N);
        }));
        ms[6].push(per_dump(|| {
            let msg = RouteMessageBuilder::<Ipv4Addr>::new().build();
            let v = rt
                .block_on(async { rh.route().get(msg).execute().try_collect::<Vec<_>>().await })
                .expect("x");
            assert!(v.len() >= N as usize);
            black_box(v);
        }));
        eprintln!(
            "round {round}: {:?}",
            ms.iter()
                .map(|v| v.last().copied().unwrap_or(0.0))
                .collect::<Vec<_>>()
        );
    }
    let med: Vec<f64> = ms.iter_mut().map(|v| median(v)).collect();
    let rtnl = med[6];
    println!(
        "dump {N} routes, median ms per dump over {rounds} interleaved rounds of {DUMPS} dumps:"
    );
    for (name, m) in names.iter().zip(&med) {
        println!(
            "  {name:34} {m:8.2} ms  {:6.1} ns/route  {:5.2}x the C loop  rtnetlink is {:5.2}x this",
            m * 1e6 / f64::from(N),
            m / med[0],
            rtnl / m
        );
    }

    user_space_only(&filter);
}

/// The user-space share alone: one dump's datagrams captured once, then
/// walked by the receive engine (no syscalls) and parsed into owned
/// routes (into a `Vec` sized beforehand, as the facade's capacity hint
/// does, and one at a time), so the per-message cost can be read without
/// the kernel's noise.
fn user_space_only(filter: &RouteDump) {
    use nl_sock::Transport;
    use nl_sock::engine::{Expect, Receiver, Step};

    let mut io = nl_sock::SysSocket::open(0).expect("socket");
    let mut req = Vec::new();
    filter.write(&mut req).expect("req");
    req[8..12].copy_from_slice(&7u32.to_ne_bytes());
    io.send(&req).expect("send");
    let mut datagrams: Vec<Vec<u8>> = Vec::new();
    loop {
        let mut buf = Vec::new();
        let n = io.recv(&mut buf).expect("recv");
        buf.truncate(n);
        let last = nl_wire::Msgs::new(&buf).any(|m| m.is_ok_and(|m| m.ty() == 3));
        datagrams.push(buf);
        if last {
            break;
        }
    }
    let port = io.port_id();
    let engine = || {
        let mut rx = Receiver::new(Expect::Dump { seq: 7 }, port);
        let mut n = 0u32;
        for d in &datagrams {
            rx.feed(d.len());
            loop {
                match rx.next(d) {
                    Step::Message(span) => {
                        let m = span.msg(d).expect("msg");
                        n += u32::from(m.ty() == 24);
                    }
                    Step::NeedData | Step::Done { .. } => break,
                    other => panic!("{other:?}"),
                }
            }
        }
        assert_eq!(n, N);
    };
    let walk = || {
        let mut n = 0u32;
        for d in &datagrams {
            for m in nl_wire::Msgs::new(d) {
                n += u32::from(m.expect("msg").ty() == 24);
            }
        }
        assert_eq!(n, N);
    };
    let parse = || {
        let mut v: Vec<Route> = Vec::with_capacity(N as usize);
        for d in &datagrams {
            for m in nl_wire::Msgs::new(d) {
                let m = m.expect("msg");
                if m.ty() == 24 {
                    v.push(Route::default());
                    if let Some(slot) = v.last_mut() {
                        slot.parse_from(&m).expect("route");
                    }
                }
            }
        }
        assert_eq!(v.len(), N as usize);
        black_box(v);
    };
    let one = || {
        let mut n = 0u32;
        for d in &datagrams {
            for m in nl_wire::Msgs::new(d) {
                let m = m.expect("msg");
                if m.ty() == 24 {
                    let mut r = Route::default();
                    r.parse_from(&m).expect("route");
                    n += u32::from(r.oif.is_some());
                    black_box(&r);
                }
            }
        }
        assert_eq!(n, N);
    };
    let mut t = [Vec::new(), Vec::new(), Vec::new(), Vec::new()];
    for _ in 0..9 {
        t[0].push(per_dump(walk));
        t[1].push(per_dump(engine));
        t[2].push(per_dump(parse));
        t[3].push(per_dump(one));
    }
    println!(
        "user space only ({} captured datagrams, a Route is {} bytes), median ns per route:",
        datagrams.len(),
        size_of::<Route>()
    );
    for (name, v) in [
        "nl-wire Msgs walk",
        "receive engine (Receiver + Span::msg)",
        "Vec<Route> parse (Msgs walk + parse_from)",
        "one Route at a time (Msgs walk + parse_from)",
    ]
    .iter()
    .zip(t.iter_mut())
    {
        println!(
            "  {name:44} {:6.1} ns/route",
            median(v) * 1e6 / f64::from(N)
        );
    }
}
