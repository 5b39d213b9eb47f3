//! The tokio driver against the blocking one (issue 14), in one process
//! and namespace, interleaved round by round like `route_dump` and
//! `route_add` (load on this shared machine drifts; interleaving keeps
//! the ratios honest).
//!
//! Dumping 100,000 IPv4 routes, `DUMPS` dumps per contender per round:
//!
//! * the kernel's limit: the raw C recv loop of `c/dump_routes.c`;
//! * blocking `Handle::route_for_each` (one owned `Route` at a time);
//! * async `AsyncHandle::route_stream`, a `Stream` of owned `Route`s;
//! * async `AsyncHandle::route_for_each` (the same call, awaited);
//! * rtnetlink 0.24 `route().get()`, streamed (counted) and collected.
//!
//! Adding 100,000 routes to an empty table, once per contender per round
//! (the table is flushed, untimed, before each): the raw batched C
//! program of `c/add_routes.c`, blocking `Handle::routes_add`, async
//! `AsyncHandle::routes_add`.
//!
//! Every async row, ours and rtnetlink's, runs on one current-thread
//! tokio runtime (`block_on` per dump or batch): the runtime a
//! single-threaded program would use, and on a shared 2-core machine the
//! one that measures the driver rather than thread hand-offs.
//!
//! Needs root and `cc`.
//! `cargo bench -p netlink-benches --bench async_routes [-- ROUNDS]`
//!
//! For a profiler, `NL_BENCH_ONLY=blocking|stream|each|none` runs only
//! the setup and `DUMPS` dumps of that contender, untimed (`none`: the
//! setup alone, to subtract), e.g. under `valgrind --tool=callgrind`.

use std::net::{IpAddr, Ipv4Addr};
use std::path::{Path, PathBuf};
use std::pin::pin;
use std::process::Command;
use std::time::{Duration, Instant};

use futures::TryStreamExt;
use netlink::nl_route::route::TABLE_MAIN;
use netlink::{
    AF_INET, AsyncHandle, Handle, Link, LinkKind, Route, RouteDump, RouteProtocol, Stream,
};
use rtnetlink::RouteMessageBuilder;

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

/// Milliseconds taken by `f`.
fn timed(f: impl FnOnce()) -> f64 {
    let t = Instant::now();
    f();
    t.elapsed().as_secs_f64() * 1e3
}

/// Runs a C program and returns the nanoseconds it printed first and the
/// number it printed second.
fn run_c(program: &Path, args: &[String]) -> (f64, u32) {
    let out = Command::new(program).args(args).output().expect("C");
    let text = String::from_utf8_lossy(&out.stdout);
    let mut w = text.split_whitespace();
    let ns: f64 = w.next().and_then(|x| x.parse().ok()).expect("C time");
    let second: u32 = w.next().and_then(|x| x.parse().ok()).expect("C count");
    (ns, second)
}

fn report(title: &str, names: &[&str], ms: &mut [Vec<f64>], per: f64, baseline: usize) {
    let med: Vec<f64> = ms.iter_mut().map(|v| median(v)).collect();
    println!("{title}");
    for (name, m) in names.iter().zip(&med) {
        println!(
            "  {name:40} {m:8.2} ms  {:7.1} ns/route  {:5.2}x the C limit  {:5.2}x {}",
            m * 1e6 / per,
            m / med[0],
            m / med[baseline],
            names[baseline],
        );
    }
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
        .unwrap_or(7);
    nix::sched::unshare(nix::sched::CloneFlags::CLONE_NEWNET)
        .expect("unshare(CLONE_NEWNET): run as root");
    let dump_c = compile("dump_routes");
    let add_c = compile("add_routes");
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
    let filter = RouteDump {
        family: AF_INET,
        table: Some(TABLE_MAIN),
        ..RouteDump::default()
    };
    let statics = RouteDump {
        family: AF_INET,
        protocol: Some(RouteProtocol::STATIC),
        ..RouteDump::default()
    };

    // Current-thread: see the module docs.
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let _entered = rt.enter();
    let ah = AsyncHandle::new().expect("async handle");
    let (conn, rh, _) = rtnetlink::new_connection().expect("rtnetlink");
    rt.spawn(conn);
    // Opens every contender's socket before anything is timed.
    let count = rt.block_on(ah.route_list_filtered(&filter)).expect("list");
    assert_eq!(count.len(), N as usize);
    drop(count);

    let blocking_each = || {
        let mut n = 0u32;
        h.route_for_each(&filter, |r| {
            n += u32::from(r.oif == Some(dev));
            Ok(())
        })
        .expect("stream");
        assert_eq!(n, N);
    };
    let async_each = || {
        let mut n = 0u32;
        rt.block_on(ah.route_for_each(&filter, |r| {
            n += u32::from(r.oif == Some(dev));
            Ok(())
        }))
        .expect("async for_each");
        assert_eq!(n, N);
    };
    let async_stream = || {
        rt.block_on(async {
            let mut stream = pin!(ah.route_stream(&filter).expect("stream"));
            let mut n = 0u32;
            while let Some(r) = std::future::poll_fn(|cx| stream.as_mut().poll_next(cx)).await {
                n += u32::from(r.expect("route").oif == Some(dev));
            }
            assert_eq!(n, N);
        });
    };

    if let Ok(only) = std::env::var("NL_BENCH_ONLY") {
        for _ in 0..DUMPS {
            match only.as_str() {
                "blocking" => blocking_each(),
                "stream" => async_stream(),
                "each" => async_each(),
                _ => {}
            }
        }
        return;
    }

    let names = [
        "C raw recv loop (headers only)",
        "blocking route_for_each",
        "async route_stream (Stream)",
        "async route_for_each",
        "rtnetlink route().get(), streamed",
        "rtnetlink route().get(), collected",
    ];
    let mut ms: Vec<Vec<f64>> = vec![Vec::new(); names.len()];
    for round in 0..rounds {
        let (ns, msgs) = run_c(&dump_c, &[DUMPS.to_string()]);
        assert_eq!(msgs, N, "the C loop saw every route");
        ms[0].push(ns / 1e6 / f64::from(DUMPS));
        ms[1].push(per_dump(blocking_each));
        ms[2].push(per_dump(async_stream));
        ms[3].push(per_dump(async_each));
        ms[4].push(per_dump(|| {
            let msg = RouteMessageBuilder::<Ipv4Addr>::new().build();
            let mut n = 0u32;
            rt.block_on(rh.route().get(msg).execute().try_for_each(|_| {
                n += 1;
                futures::future::ready(Ok(()))
            }))
            .expect("rtnetlink");
            assert!(n >= N);
        }));
        ms[5].push(per_dump(|| {
            let msg = RouteMessageBuilder::<Ipv4Addr>::new().build();
            let v = rt
                .block_on(rh.route().get(msg).execute().try_collect::<Vec<_>>())
                .expect("rtnetlink");
            assert!(v.len() >= N as usize);
            std::hint::black_box(v);
        }));
        eprintln!("dump round {round}: {:?}", last(&ms));
    }
    report(
        &format!(
            "dump {N} routes, median ms per dump over {rounds} interleaved rounds of {DUMPS} dumps:"
        ),
        &names,
        &mut ms,
        f64::from(N),
        1,
    );

    let flush = || {
        h.route_flush(&statics).expect("flush");
        std::thread::sleep(Duration::from_millis(200));
    };
    let check = || {
        assert_eq!(
            h.route_list_filtered(&statics).expect("list").len(),
            N as usize
        );
    };
    let names = [
        "C raw batched sendmsg",
        "blocking routes_add",
        "async routes_add",
    ];
    let mut ms: Vec<Vec<f64>> = vec![Vec::new(); names.len()];
    for round in 0..rounds {
        flush();
        let (ns, failures) = run_c(
            &add_c,
            &[N.to_string(), dev.to_string(), format!("{FIRST:x}")],
        );
        assert_eq!(failures, 0, "the C program had failures");
        ms[0].push(ns / 1e6);
        check();

        flush();
        ms[1].push(timed(|| {
            assert!(h.routes_add(&routes).expect("batch").is_ok());
        }));
        check();

        flush();
        ms[2].push(timed(|| {
            assert!(rt.block_on(ah.routes_add(&routes)).expect("batch").is_ok());
        }));
        check();
        eprintln!("add round {round}: {:?}", last(&ms));
    }
    report(
        &format!("add {N} routes, median ms of {rounds} interleaved rounds:"),
        &names,
        &mut ms,
        f64::from(N),
        1,
    );
}

fn last(ms: &[Vec<f64>]) -> Vec<f64> {
    ms.iter()
        .map(|v| v.last().copied().unwrap_or(0.0))
        .collect()
}
