//! Adding 100,000 members to a `hash:ip` set (ipset's performance target:
//! at most 0.5x the time of `ipset restore`): the facade's
//! `ipset_add_many` (members built from addresses, as many per message as
//! fit, the messages in one batch) against `ipset restore` of the same
//! members as text, run as a user would (process start included).
//!
//! Each round runs both on an empty set (destroyed and created again,
//! untimed, before each), in turn, so load drift hits both alike; medians
//! and their ratio are printed. In a private network namespace.
//!
//! Needs root and the `ipset` tool.
//! `cargo bench -p netlink-benches --bench ipset_add [-- ROUNDS]`

use std::net::{IpAddr, Ipv4Addr};
use std::path::PathBuf;
use std::process::Command;
use std::time::Instant;

use netlink::nl_netfilter::ipset::Family;
use netlink::{Handle, IpsetCreateOptions, IpsetEntry};

const N: u32 = 100_000;
/// 198.18.0.0/15: the range set aside for benchmarking (RFC 2544).
const FIRST: u32 = 0xc612_0000;

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
    let h = Handle::new().expect("handle");
    let options = IpsetCreateOptions {
        maxelem: Some(1 << 18),
        ..Default::default()
    };
    let addrs: Vec<IpAddr> = (0..N)
        .map(|i| IpAddr::V4(Ipv4Addr::from(FIRST + i)))
        .collect();
    let file = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("ipset.restore");
    let text: String = addrs.iter().map(|a| format!("add bench {a}\n")).collect();
    std::fs::write(&file, text).expect("restore file");

    let fresh = || {
        let _ = h.ipset_destroy("bench");
        h.ipset_create("bench", "hash:ip", Family::Inet, &options)
            .expect("create");
    };
    let check = || {
        let set = h.ipset_list("bench").expect("list");
        assert_eq!(set.elements, Some(N));
    };
    let names = ["netlink ipset_add_many", "ipset restore"];
    let mut ms: [Vec<f64>; 2] = Default::default();
    for round in 0..rounds {
        fresh();
        let t = Instant::now();
        let entries: Vec<IpsetEntry> = addrs.iter().map(|a| IpsetEntry::ip(*a)).collect();
        h.ipset_add_many("bench", &entries).expect("add_many");
        ms[0].push(t.elapsed().as_secs_f64() * 1e3);
        check();

        fresh();
        let t = Instant::now();
        let ok = Command::new("ipset")
            .args(["restore", "-file"])
            .arg(&file)
            .status()
            .expect("ipset (Debian package ipset)");
        ms[1].push(t.elapsed().as_secs_f64() * 1e3);
        assert!(ok.success());
        check();
        eprintln!(
            "round {round}: {:.1} ms / {:.1} ms",
            ms[0][round], ms[1][round]
        );
    }
    let _ = h.ipset_destroy("bench");
    let med: Vec<f64> = ms.iter_mut().map(|v| median(v)).collect();
    println!("add {N} members to hash:ip, median of {rounds} interleaved rounds:");
    for (name, m) in names.iter().zip(&med) {
        println!(
            "  {name:24} {m:8.1} ms  {:6.3} us/member  {:5.2}x ipset restore",
            m * 1e3 / f64::from(N),
            m / med[1]
        );
    }
}
