//! Adding 100,000 routes (issue 4): the batched facade, a raw batched C
//! program (`c/add_routes.c`, the kernel's limit), `ip -batch`, and
//! rtnetlink with one await per route.
//!
//! Each round runs every contender once, in turn, on an empty table (the
//! table is flushed, untimed, before each): runs this long drift with the
//! machine's load, so interleaving keeps the ratios honest. Medians over
//! the rounds and their ratios are printed.
//!
//! Needs root and `cc`. `cargo bench -p netlink-benches --bench route_add [-- ROUNDS]`

use std::net::{IpAddr, Ipv4Addr};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use netlink::{AF_INET, Handle, Link, LinkKind, Route, RouteDump, RouteProtocol};
use rtnetlink::RouteMessageBuilder;

const N: u32 = 100_000;
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
    let batch_file = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("routes.batch");
    let text: String = (0..N)
        .map(|i| {
            format!(
                "route add {}/32 dev bulk0 proto static scope link\n",
                Ipv4Addr::from(FIRST + i)
            )
        })
        .collect();
    std::fs::write(&batch_file, text).expect("batch file");
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let _entered = rt.enter();
    let (conn, rh, _) = rtnetlink::new_connection().expect("rtnetlink");
    rt.spawn(conn);

    let flush = || {
        let f = RouteDump {
            family: AF_INET,
            protocol: Some(RouteProtocol::STATIC),
            ..RouteDump::default()
        };
        h.route_flush(&f).expect("flush");
        std::thread::sleep(Duration::from_millis(200));
    };
    let check = || {
        let f = RouteDump {
            family: AF_INET,
            protocol: Some(RouteProtocol::STATIC),
            ..RouteDump::default()
        };
        assert_eq!(h.route_list_filtered(&f).expect("list").len(), N as usize);
    };
    let names = [
        "C raw batched sendmsg",
        "netlink routes_add",
        "ip -batch",
        "rtnetlink, one await per route",
    ];
    let mut ms: [Vec<f64>; 4] = Default::default();
    for round in 0..rounds {
        flush();
        let out = Command::new(&add_c)
            .args([N.to_string(), dev.to_string(), format!("{FIRST:x}")])
            .output()
            .expect("C");
        let text = String::from_utf8_lossy(&out.stdout);
        let mut w = text.split_whitespace();
        let ns: f64 = w.next().and_then(|x| x.parse().ok()).expect("C time");
        assert_eq!(w.next(), Some("0"), "the C program had failures");
        ms[0].push(ns / 1e6);
        check();

        flush();
        let t = Instant::now();
        let report = h.routes_add(&routes).expect("batch");
        ms[1].push(t.elapsed().as_secs_f64() * 1e3);
        assert!(report.is_ok());
        check();

        flush();
        let t = Instant::now();
        assert!(
            Command::new("ip")
                .arg("-batch")
                .arg(&batch_file)
                .status()
                .expect("ip")
                .success()
        );
        ms[2].push(t.elapsed().as_secs_f64() * 1e3);
        check();

        flush();
        let t = Instant::now();
        rt.block_on(async {
            for i in 0..N {
                let msg = RouteMessageBuilder::<Ipv4Addr>::new()
                    .destination_prefix(Ipv4Addr::from(FIRST + i), 32)
                    .output_interface(dev)
                    .scope(rtnetlink::packet_route::route::RouteScope::Link)
                    .build();
                rh.route().add(msg).execute().await.expect("rtnetlink add");
            }
        });
        ms[3].push(t.elapsed().as_secs_f64() * 1e3);
        check();
        eprintln!(
            "round {round}: {:?}",
            ms.iter()
                .map(|v| v.last().copied().unwrap_or(0.0))
                .collect::<Vec<_>>()
        );
    }
    let med: Vec<f64> = ms.iter_mut().map(|v| median(v)).collect();
    println!("add {N} routes, median of {rounds} interleaved rounds:");
    for (name, m) in names.iter().zip(&med) {
        println!(
            "  {name:34} {m:9.1} ms  {:6.2} us/route  {:5.2}x the C limit  {:5.2}x ours",
            m * 1e3 / f64::from(N),
            m / med[0],
            m / med[1]
        );
    }
}
