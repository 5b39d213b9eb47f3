//! The `nl` tool against iproute2's `ip` on the same work, same run:
//! `ip -batch FILE` adding 100,000 routes, and `ip route show` listing
//! them. Both are whole processes (this bench runs itself as `nl`, the
//! multi-call binary's library, for its side), their output goes to
//! /dev/null, and each round runs every contender once, interleaved, in
//! a private network namespace. Medians and ratios are printed.
//!
//! Needs root. `cargo bench -p netlink-benches --bench tools [-- ROUNDS]`

use std::fs::File;
use std::net::Ipv4Addr;
use std::path::PathBuf;
use std::process::{Command, ExitCode, Stdio};
use std::time::{Duration, Instant};

use netlink::{AF_INET, Handle, Link, LinkKind, RouteDump, RouteProtocol};

const N: u32 = 100_000;
/// 198.18.0.0/15: the range set aside for benchmarking (RFC 2544).
const FIRST: u32 = 0xc612_0000;
/// Set in the environment of the copies of this bench that run as `nl`.
const AS_NL: &str = "NL_BENCH_AS_NL";

fn median(v: &mut [f64]) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

/// `ip ARGS` or `nl ip ARGS` (this bench's own binary as `nl`), output
/// to /dev/null; the wall time of the whole process, in ms.
fn time(nl: bool, args: &[&str]) -> f64 {
    let mut cmd = if nl {
        let mut c = Command::new(std::env::current_exe().expect("own path"));
        c.env(AS_NL, "1").arg("ip");
        c
    } else {
        Command::new("ip")
    };
    cmd.args(args)
        .stdout(Stdio::from(File::create("/dev/null").expect("/dev/null")));
    let t = Instant::now();
    let status = cmd.status().expect("run");
    let ms = t.elapsed().as_secs_f64() * 1e3;
    assert!(
        status.success(),
        "{} ip {args:?} failed",
        if nl { "nl" } else { "" }
    );
    ms
}

fn output(nl: bool, args: &[&str]) -> Vec<u8> {
    let mut cmd = if nl {
        let mut c = Command::new(std::env::current_exe().expect("own path"));
        c.env(AS_NL, "1").arg("ip");
        c
    } else {
        Command::new("ip")
    };
    let out = cmd.args(args).output().expect("run");
    assert!(out.status.success());
    out.stdout
}

fn main() -> ExitCode {
    if std::env::var_os(AS_NL).is_some() {
        return nl_tools::main(std::env::args_os().collect());
    }
    let args: Vec<String> = std::env::args().collect();
    if args
        .iter()
        .any(|a| a == "--list" || a.starts_with("--format"))
    {
        return ExitCode::SUCCESS;
    }
    let rounds: usize = args
        .iter()
        .skip(1)
        .find_map(|a| a.parse().ok())
        .unwrap_or(7);
    nix::sched::unshare(nix::sched::CloneFlags::CLONE_NEWNET)
        .expect("unshare(CLONE_NEWNET): run as root");
    let h = Handle::new().expect("handle");
    h.link_add(&Link::new("bulk0").kind(LinkKind::Ifb))
        .expect("ifb");
    h.link_set_up("bulk0").expect("up");
    let file = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("tools-routes.batch");
    let text: String = (0..N)
        .map(|i| {
            format!(
                "route add {}/32 dev bulk0 proto static scope link\n",
                Ipv4Addr::from(FIRST + i)
            )
        })
        .collect();
    std::fs::write(&file, text).expect("batch file");
    let file = file.to_str().expect("path");
    let ours = RouteDump {
        family: AF_INET,
        protocol: Some(RouteProtocol::STATIC),
        ..RouteDump::default()
    };
    let flush = || {
        h.route_flush(&ours).expect("flush");
        std::thread::sleep(Duration::from_millis(200));
    };
    let check = || {
        assert_eq!(
            h.route_list_filtered(&ours).expect("list").len(),
            N as usize
        );
    };
    let names = [
        "ip -batch (iproute2)",
        "nl ip -batch",
        "ip route show (iproute2)",
        "nl ip route show",
    ];
    let mut ms: [Vec<f64>; 4] = Default::default();
    for round in 0..rounds {
        flush();
        ms[0].push(time(false, &["-batch", file]));
        check();
        flush();
        ms[1].push(time(true, &["-batch", file]));
        check();
        if round == 0 {
            // The same work: the same bytes.
            assert!(output(false, &["route", "show"]) == output(true, &["route", "show"]));
        }
        for _ in 0..3 {
            ms[2].push(time(false, &["route", "show"]));
            ms[3].push(time(true, &["route", "show"]));
        }
        eprintln!(
            "round {round}: {:?}",
            ms.iter()
                .map(|v| v.last().copied().unwrap_or(0.0))
                .collect::<Vec<_>>()
        );
    }
    let med: Vec<f64> = ms.iter_mut().map(|v| median(v)).collect();
    println!("{N} routes, medians of {rounds} interleaved rounds:");
    for (i, (name, m)) in names.iter().zip(&med).enumerate() {
        let peer = med[i - i % 2];
        println!(
            "  {name:28} {m:9.1} ms  {:6.2} us/route  {:5.2}x iproute2",
            m * 1e3 / f64::from(N),
            m / peer
        );
    }
    ExitCode::SUCCESS
}
