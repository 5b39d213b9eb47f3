//! Listing 50,000 TCP sockets with their tcp_info, same run, interleaved
//! rounds in a private network namespace:
//!
//! - `ss -tani > /dev/null` (iproute2, text) and `nl ss -tani > /dev/null`
//!   (this bench run as `nl`): whole processes;
//! - the Go library's `SocketDiagTCPInfo(AF_INET)` (Debian's
//!   golang-github-vishvananda-netlink-dev, timed inside its process by
//!   benches/go/sdlist) against the facade's `socket_diag_tcp_info`
//!   (owned sockets in a vector) and `inet_diag_for_each` (streamed),
//!   timed inside this process;
//! - peak heap of the streamed listing and of the vector.
//!
//! The sockets are 25,000 connected pairs over loopback, made once by 5
//! helper processes (copies of this bench, 5,000 pairs and a listener
//! each: a process may not hold 50,000 descriptors here, RLIMIT_NOFILE's
//! hard limit being 20,000). Needs root.
//! `cargo bench -p netlink-benches --bench sock_diag [-- ROUNDS]`

use std::fs::File;
use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Command, ExitCode, Stdio};
use std::time::Instant;

use netlink::nl_diag::{Extensions, InetDump, InetProto};
use netlink::{AF_INET, Handle};
use netlink_benches::{CountingAlloc, peak_heap};

#[global_allocator]
static ALLOC: CountingAlloc = CountingAlloc;

const PAIRS: usize = 25_000;
const LISTENERS: usize = 5;
/// Every socket: both ends of each pair, and the listeners.
const N: usize = 2 * PAIRS + LISTENERS;
/// Set in the environment of the copies of this bench that run as `nl`.
const AS_NL: &str = "NL_BENCH_AS_NL";
/// Set in the environment of the copies that hold sockets open.
const AS_HOLDER: &str = "NL_BENCH_HOLD_PAIRS";

/// A holder: makes `pairs` connected pairs on a listener of its own,
/// says "ready", and keeps them until its stdin closes.
fn hold(pairs: usize) -> ExitCode {
    use std::io::{Read, Write};
    let l = TcpListener::bind("127.0.0.1:0").expect("listen");
    let at = l.local_addr().expect("addr");
    let mut socks = Vec::with_capacity(2 * pairs);
    for _ in 0..pairs {
        let c = TcpStream::connect(at).expect("connect");
        let (s, _) = l.accept().expect("accept");
        socks.push(c);
        socks.push(s);
    }
    println!("ready");
    std::io::stdout().flush().expect("stdout");
    let mut rest = Vec::new();
    let _ = std::io::stdin().read_to_end(&mut rest);
    drop(socks);
    ExitCode::SUCCESS
}

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

fn ss() -> Command {
    let mut c = Command::new("ss");
    c.arg("-tani");
    c
}

fn nl() -> Command {
    let mut c = Command::new(std::env::current_exe().expect("own path"));
    c.env(AS_NL, "1").args(["ss", "-tani"]);
    c
}

/// Builds benches/go/sdlist against Debian's Go library; `None` (and a
/// word why) without Go.
fn build_go() -> Option<PathBuf> {
    let tmp = PathBuf::from(env!("CARGO_TARGET_TMPDIR"));
    let out = tmp.join("sdlist");
    let src = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("go/sdlist/main.go");
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

/// The Go library's listing, timed inside its process: (sockets, ms).
fn go_list(bin: &PathBuf) -> (usize, f64) {
    let out = Command::new(bin).output().expect("sdlist");
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
    if let Some(pairs) = std::env::var(AS_HOLDER).ok().and_then(|p| p.parse().ok()) {
        return hold(pairs);
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
    let up = Command::new("ip")
        .args(["link", "set", "lo", "up"])
        .status()
        .expect("ip");
    assert!(up.success());
    let t = Instant::now();
    let mut holders: Vec<std::process::Child> = (0..LISTENERS)
        .map(|_| {
            Command::new(std::env::current_exe().expect("own path"))
                .env(AS_HOLDER, (PAIRS / LISTENERS).to_string())
                .stdin(Stdio::piped())
                .stdout(Stdio::piped())
                .spawn()
                .expect("holder")
        })
        .collect();
    for c in &mut holders {
        use std::io::BufRead;
        let mut line = String::new();
        let out = c.stdout.take().expect("holder stdout");
        std::io::BufReader::new(out)
            .read_line(&mut line)
            .expect("holder");
        assert_eq!(line.trim(), "ready", "a holder failed");
    }
    eprintln!(
        "{N} sockets made in {:.0} ms",
        t.elapsed().as_secs_f64() * 1e3
    );
    let h = Handle::new().expect("handle");
    let go = build_go();

    // The same sockets for everyone.
    let listed = h.socket_diag_tcp_info(AF_INET).expect("list");
    assert_eq!(listed.len(), N);
    assert!(listed.iter().all(|s| s.tcp_info.is_some()));
    drop(listed);
    if let Some(bin) = &go {
        assert_eq!(go_list(bin).0, N);
    }
    let dump = InetDump::new(AF_INET, InetProto::Tcp).ext(Extensions::TCP_INFO);
    let (_, peak_stream) = peak_heap(|| {
        let mut n = 0usize;
        h.inet_diag_for_each(&dump, |_| {
            n += 1;
            Ok(())
        })
        .expect("stream");
        assert_eq!(n, N);
    });
    let (_, peak_vec) = peak_heap(|| h.socket_diag_tcp_info(AF_INET).expect("list").len());

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
    let mut sock = netlink::nl_sock::Socket::open(netlink::nl_wire::netlink::NETLINK_SOCK_DIAG)
        .expect("socket");
    let mut breakdown = Vec::new();
    for what in [
        "bare dump (no parsing)",
        "socket_diag_tcp_info",
        "inet_diag_for_each",
    ] {
        let (u0, s0) = cpu();
        let t = Instant::now();
        for _ in 0..5 {
            match what {
                "socket_diag_tcp_info" => {
                    std::hint::black_box(h.socket_diag_tcp_info(AF_INET).expect("list"));
                }
                "inet_diag_for_each" => h
                    .inet_diag_for_each(&dump, |s| {
                        std::hint::black_box(&s);
                        Ok(())
                    })
                    .expect("stream"),
                _ => {
                    let mut req = Vec::new();
                    dump.write(&mut req).expect("request");
                    let mut d = sock.dump(&mut req).expect("dump");
                    while let Some(m) = d.next() {
                        std::hint::black_box(m.expect("message"));
                    }
                }
            }
        }
        let wall = t.elapsed().as_secs_f64() * 1e3 / 5.0;
        let (u1, s1) = cpu();
        breakdown.push((what, wall, (u1 - u0) / 5.0, (s1 - s0) / 5.0));
    }
    let names = [
        "ss -tani (iproute2, text)",
        "nl ss -tani (text)",
        "Go SocketDiagTCPInfo (in process)",
        "socket_diag_tcp_info (Vec<InetSocket>)",
        "inet_diag_for_each (streamed)",
    ];
    let mut ms: [Vec<f64>; 5] = Default::default();
    for round in 0..rounds {
        ms[0].push(time_process(ss()));
        ms[1].push(time_process(nl()));
        if let Some(bin) = &go {
            ms[2].push(go_list(bin).1);
        }
        let t = Instant::now();
        let v = h.socket_diag_tcp_info(AF_INET).expect("list");
        ms[3].push(t.elapsed().as_secs_f64() * 1e3);
        assert_eq!(v.len(), N);
        drop(v);
        let t = Instant::now();
        let mut n = 0usize;
        h.inet_diag_for_each(&dump, |s| {
            n += usize::from(s.tcp_info.is_some_and(|i| i.snd_cwnd > 0));
            Ok(())
        })
        .expect("stream");
        ms[4].push(t.elapsed().as_secs_f64() * 1e3);
        assert_eq!(n, N);
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
    println!(
        "{N} TCP sockets with tcp_info ({} bytes each owned), medians of {rounds} interleaved rounds:",
        std::mem::size_of::<netlink::nl_diag::InetSocket>()
    );
    for (name, m) in names.iter().zip(&med) {
        println!(
            "  {name:40} {m:8.1} ms  {:6.2} us/socket",
            m * 1e3 / N as f64
        );
    }
    println!(
        "  socket_diag_tcp_info vs ss -tani: {:.2}x faster; streamed: {:.2}x; nl ss: {:.2}x",
        med[0] / med[3],
        med[0] / med[4],
        med[0] / med[1]
    );
    println!(
        "  socket_diag_tcp_info vs Go SocketDiagTCPInfo: {:.2}x faster; streamed: {:.2}x",
        med[2] / med[3],
        med[2] / med[4]
    );
    for (what, wall, user, sys) in &breakdown {
        println!(
            "  per listing, {what:24} {wall:6.1} ms wall {user:5.0} ms user {sys:5.0} ms system"
        );
    }
    println!(
        "  peak heap: streamed {} KiB, vector {} KiB",
        peak_stream / 1024,
        peak_vec / 1024
    );
    for mut c in holders {
        drop(c.stdin.take());
        let _ = c.wait();
    }
    ExitCode::SUCCESS
}
