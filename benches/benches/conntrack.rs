//! Listing 100,000 conntrack entries, same run, interleaved rounds in a
//! private network namespace:
//!
//! - `conntrack -L > /dev/null` (conntrack-tools, text) against `nl
//!   conntrack -L > /dev/null` (this bench run as `nl`): whole processes;
//! - the Go library's `ConntrackTableList(ConntrackTable, AF_INET)`
//!   (Debian's golang-github-vishvananda-netlink-dev, timed inside its
//!   process by benches/go/ctlist) against the facade's `conntrack_list`
//!   (owned entries in a vector) and `conntrack_for_each` (streamed),
//!   timed inside this process;
//! - peak heap of the streamed listing (O(receive buffer)) and of the
//!   vector.
//!
//! The entries are created once, 10,000 per batch. Needs root.
//! `cargo bench -p netlink-benches --bench conntrack [-- ROUNDS]`

use std::fs::File;
use std::net::{Ipv4Addr, SocketAddr};
use std::path::PathBuf;
use std::process::{Command, ExitCode, Stdio};
use std::time::Instant;

use netlink::nl_netfilter::conntrack::{Entry, Filter, Status, TcpState, Tuple};
use netlink::{AF_INET, Handle};
use netlink_benches::{CountingAlloc, peak_heap};

#[global_allocator]
static ALLOC: CountingAlloc = CountingAlloc;

const N: u32 = 100_000;
/// 198.18.0.0/15: the range set aside for benchmarking (RFC 2544).
const FIRST: u32 = 0xc612_0000;
/// Set in the environment of the copies of this bench that run as `nl`.
const AS_NL: &str = "NL_BENCH_AS_NL";

fn median(v: &mut [f64]) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn devnull() -> Stdio {
    Stdio::from(File::create("/dev/null").expect("/dev/null"))
}

/// Wall time of `cmd` with its output thrown away, in ms.
fn time_process(mut cmd: Command) -> f64 {
    cmd.stdout(devnull()).stderr(devnull());
    let t = Instant::now();
    let status = cmd.status().expect("run");
    let ms = t.elapsed().as_secs_f64() * 1e3;
    assert!(status.success(), "{cmd:?} failed");
    ms
}

fn conntrack() -> Command {
    let mut c = Command::new("conntrack");
    c.arg("-L");
    c
}

fn nl() -> Command {
    let mut c = Command::new(std::env::current_exe().expect("own path"));
    c.env(AS_NL, "1").args(["conntrack", "-L"]);
    c
}

/// Builds benches/go/ctlist against Debian's Go library; `None` (and a
/// word why) without Go.
fn build_go() -> Option<PathBuf> {
    let tmp = PathBuf::from(env!("CARGO_TARGET_TMPDIR"));
    let out = tmp.join("ctlist");
    let src = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("go/ctlist/main.go");
    let built = Command::new("go")
        .args(["build", "-o"])
        .arg(&out)
        .arg(&src)
        .env("GO111MODULE", "off")
        .env("GOPATH", "/usr/share/gocode")
        .env("GOCACHE", tmp.join("gocache"))
        .env("GOFLAGS", "")
        .status();
    match built {
        Ok(s) if s.success() => Some(out),
        other => {
            eprintln!(
                "no Go peer ({other:?}): install golang-go and golang-github-vishvananda-netlink-dev (scripts/install-deps)"
            );
            None
        }
    }
}

/// The Go library's listing, timed inside its process: (entries, ms).
fn go_list(bin: &PathBuf) -> (usize, f64) {
    let out = Command::new(bin).output().expect("ctlist");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout);
    let mut w = text.split_whitespace();
    let n = w.next().and_then(|s| s.parse().ok()).expect("count");
    let ms = w.next().and_then(|s| s.parse().ok()).expect("ms");
    (n, ms)
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
    let t = Instant::now();
    let mut batch = Vec::with_capacity(10_000);
    for i in 0..N {
        let src = SocketAddr::from((
            Ipv4Addr::from(FIRST + i / 50_000),
            1024 + (i % 50_000) as u16,
        ));
        let dst = SocketAddr::from((Ipv4Addr::from(FIRST + 0x1_0000 + i % 251), 443));
        batch.push(
            Entry::new(Tuple::tcp(src, dst))
                .with_timeout(3600)
                .with_status(Status::SEEN_REPLY | Status::ASSURED)
                .with_tcp_state(TcpState::ESTABLISHED)
                .with_mark(i % 7),
        );
        if batch.len() == 10_000 {
            let r = h.conntracks_create(&batch).expect("create");
            assert!(r.is_ok(), "{:?}", r.failures().first());
            batch.clear();
        }
    }
    eprintln!(
        "{N} entries created in {:.0} ms",
        t.elapsed().as_secs_f64() * 1e3
    );
    let go = build_go();

    // The same entries for everyone.
    let listed = h.conntrack_list(AF_INET).expect("list");
    assert_eq!(listed.len(), N as usize);
    drop(listed);
    if let Some(bin) = &go {
        assert_eq!(go_list(bin).0, N as usize);
    }
    let (_, peak_stream) = peak_heap(|| {
        let mut n = 0usize;
        h.conntrack_for_each(AF_INET, &Filter::default(), |_| {
            n += 1;
            Ok(())
        })
        .expect("stream");
        assert_eq!(n, N as usize);
    });
    let (_, peak_vec) = peak_heap(|| h.conntrack_list(AF_INET).expect("list").len());

    // Where the time goes: the kernel's share (system time of a bare
    // dump, no parsing) against ours (user time), per listing.
    let cpu = || -> (f64, f64) {
        let st = std::fs::read_to_string("/proc/self/stat").expect("stat");
        let f: Vec<f64> = st
            .rsplit(')')
            .next()
            .expect("stat fields")
            .split_whitespace()
            .map(|w| w.parse().unwrap_or(0.0))
            .collect();
        // utime and stime, in clock ticks of 10 ms.
        (f[11] * 10.0, f[12] * 10.0)
    };
    let mut sock = netlink::nl_sock::Socket::open(netlink::nl_wire::netlink::NETLINK_NETFILTER)
        .expect("socket");
    let mut breakdown = Vec::new();
    for what in [
        "bare dump (no parsing)",
        "conntrack_list",
        "conntrack_for_each",
    ] {
        let (u0, s0) = cpu();
        for _ in 0..5 {
            match what {
                "conntrack_list" => {
                    std::hint::black_box(h.conntrack_list(AF_INET).expect("list"));
                }
                "conntrack_for_each" => h
                    .conntrack_for_each(AF_INET, &Filter::default(), |e| {
                        std::hint::black_box(&e);
                        Ok(())
                    })
                    .expect("stream"),
                _ => {
                    let mut req = Vec::new();
                    Filter::default()
                        .write_dump(AF_INET, &mut req)
                        .expect("request");
                    let mut d = sock.dump(&mut req).expect("dump");
                    while let Some(m) = d.next() {
                        std::hint::black_box(m.expect("message"));
                    }
                }
            }
        }
        let (u1, s1) = cpu();
        breakdown.push((what, (u1 - u0) / 5.0, (s1 - s0) / 5.0));
    }
    let names = [
        "conntrack -L (conntrack-tools, text)",
        "nl conntrack -L (text)",
        "Go ConntrackTableList (in process)",
        "conntrack_list (Vec<Entry>)",
        "conntrack_for_each (streamed)",
    ];
    let mut ms: [Vec<f64>; 5] = Default::default();
    for round in 0..rounds {
        ms[0].push(time_process(conntrack()));
        ms[1].push(time_process(nl()));
        if let Some(bin) = &go {
            ms[2].push(go_list(bin).1);
        }
        let t = Instant::now();
        let v = h.conntrack_list(AF_INET).expect("list");
        ms[3].push(t.elapsed().as_secs_f64() * 1e3);
        assert_eq!(v.len(), N as usize);
        drop(v);
        let t = Instant::now();
        let mut n = 0usize;
        h.conntrack_for_each(AF_INET, &Filter::default(), |e| {
            n += usize::from(e.orig.dst_port == Some(443));
            Ok(())
        })
        .expect("stream");
        ms[4].push(t.elapsed().as_secs_f64() * 1e3);
        assert_eq!(n, N as usize);
        eprintln!(
            "round {round}: {:?}",
            ms.iter()
                .map(|v| v.last().copied().unwrap_or(0.0))
                .collect::<Vec<_>>()
        );
    }
    let med: Vec<f64> = ms
        .iter_mut()
        .map(|v| if v.is_empty() { f64::NAN } else { median(v) })
        .collect();
    println!("{N} entries, medians of {rounds} interleaved rounds:");
    for (name, m) in names.iter().zip(&med) {
        println!(
            "  {name:38} {m:8.1} ms  {:6.2} us/entry",
            m * 1e3 / f64::from(N)
        );
    }
    println!(
        "  nl conntrack -L vs conntrack -L: {:.2}x faster",
        med[0] / med[1]
    );
    println!(
        "  conntrack_list vs Go ConntrackTableList: {:.2}x faster",
        med[2] / med[3]
    );
    println!(
        "  conntrack_for_each vs Go ConntrackTableList: {:.2}x faster",
        med[2] / med[4]
    );
    for (what, user, sys) in &breakdown {
        println!("  cpu per listing, {what:24} {user:5.0} ms user {sys:5.0} ms system");
    }
    println!(
        "  peak heap: streamed {} KiB, vector {} KiB",
        peak_stream / 1024,
        peak_vec / 1024
    );
    ExitCode::SUCCESS
}
