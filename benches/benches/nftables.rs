//! nftables' performance targets (issue 19), same run, interleaved rounds
//! in a private network namespace, on a ruleset of 10,000 rules (`tcp
//! dport N counter accept` in an inet base chain) and an interval set of
//! 100,000 IPv6 /64 ranges:
//!
//! - load: the facade's `nft_transaction` of the whole ruleset (objects
//!   built, one transaction) against `nft -f` of the same ruleset as text,
//!   a whole process (target: at most 0.5x);
//! - list: the facade's `nft_ruleset` (every object owned, elements
//!   included) and the streamed one (`nft_ruleset_for_each`) against `nft
//!   -j list ruleset`, a whole process with its output read (target: at
//!   least 3x faster). All three read the ruleset `nft -f` loaded in the
//!   same round, in an order that turns from round to round.
//!
//! Each load starts from an empty ruleset (flushed, untimed). Medians,
//! ratios and each contender's CPU (user and system; `nft`'s as a child)
//! are printed: the kernel's walk of the interval set, quadratic in its
//! size (each 32 KiB dump chunk walks the tree from its first node), is
//! in every listing's system time. Needs root and the `nft` tool.
//! `cargo bench -p netlink-benches --bench nftables [-- ROUNDS]`
//!
//! `-- layout [ROUNDS]` instead lists the set alone after loading it four
//! ways (elements in key order, in a scrambled order, by `nft -f`, by the
//! whole transaction): the same tree, its nodes in different memory order.

use std::fs::File;
use std::net::Ipv6Addr;
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::Instant;

use netlink::Handle;
use netlink::nl_netfilter::nft::{
    Chain, Expr, Family, Rule, RulesetItem, Set, SetElem, SetElems, Table, Transaction, Verdict,
};
use netlink::nl_netfilter::uapi::netfilter::NF_INET_LOCAL_IN;
use netlink::nl_netfilter::uapi::nf_tables::*;
use netlink_benches::{CountingAlloc, peak_heap};

#[global_allocator]
static ALLOC: CountingAlloc = CountingAlloc;

const RULES: u16 = 10_000;
const RANGES: u32 = 100_000;

fn median(v: &mut [f64]) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

/// The i-th /64 of 2001:db8::/32.
fn net(i: u32) -> [u8; 16] {
    let mut a = [0u8; 16];
    a[..4].copy_from_slice(&[0x20, 0x01, 0x0d, 0xb8]);
    a[4..8].copy_from_slice(&(i * 2).to_be_bytes());
    a
}

/// The ruleset as the library's transaction.
fn transaction() -> Transaction {
    let f = Family::Inet;
    let mut set = Set::new(f, "big", "nets", 8, 16);
    set.flags = Some(NFT_SET_INTERVAL);
    let mut elems = Vec::with_capacity(2 * RANGES as usize);
    for i in 0..RANGES {
        let mut last = net(i);
        last[8..].fill(0xff);
        elems.extend(SetElem::range(&net(i), &last));
    }
    let mut tx = Transaction::new();
    tx.add_table(Table::new(f, "big"))
        .add_chain(Chain::base(
            f,
            "big",
            "in",
            "filter",
            NF_INET_LOCAL_IN,
            0,
            Verdict::Accept,
        ))
        .add_set(set)
        .add_elements(SetElems::new(f, "big", "nets", elems));
    for port in 1..=RULES {
        tx.add_rule(Rule::new(f, "big", "in").with([
            Expr::meta(NFT_META_L4PROTO, NFT_REG_1),
            Expr::cmp(NFT_CMP_EQ, NFT_REG_1, &[6]),
            Expr::payload(NFT_PAYLOAD_TRANSPORT_HEADER, 2, 2, NFT_REG_1),
            Expr::cmp(NFT_CMP_EQ, NFT_REG_1, &port.to_be_bytes()),
            Expr::counter(),
            Expr::verdict(Verdict::Accept),
        ]));
    }
    tx
}

/// The same ruleset as nft's text.
fn text() -> String {
    let mut text = String::from(
        "table inet big {\n set nets {\n  type ipv6_addr\n  flags interval\n  elements = { ",
    );
    for i in 0..RANGES {
        text.push_str(&format!("{}/64, ", Ipv6Addr::from(net(i))));
    }
    text.push_str("}\n }\n chain in {\n  type filter hook input priority 0; policy accept;\n");
    for port in 1..=RULES {
        text.push_str(&format!("  tcp dport {port} counter accept\n"));
    }
    text.push_str(" }\n}\n");
    text
}

fn devnull() -> Stdio {
    Stdio::from(File::create("/dev/null").expect("/dev/null"))
}

/// Wall time of `nft args`, in ms; its JSON output read whole by this
/// process when `read` (as a consumer would), else thrown away.
fn time_nft(args: &[&str], read: bool) -> f64 {
    let mut cmd = Command::new("nft");
    cmd.args(args).stderr(devnull());
    let t = Instant::now();
    let ok = if read {
        let out = cmd.output().expect("nft (Debian package nftables)");
        assert!(out.stdout.len() > 1 << 20, "nft printed too little");
        out.status.success()
    } else {
        cmd.stdout(devnull());
        cmd.status().expect("nft").success()
    };
    let ms = t.elapsed().as_secs_f64() * 1e3;
    assert!(ok, "nft {args:?} failed");
    ms
}

/// CPU time so far, in ms: this process's user and system time, then
/// its waited-for children's (the `nft` processes).
fn cpu() -> [f64; 4] {
    let st = std::fs::read_to_string("/proc/self/stat").expect("stat");
    let f: Vec<f64> = st
        .rsplit(')')
        .next()
        .expect("stat fields")
        .split_whitespace()
        .map(|w| w.parse().unwrap_or(0.0))
        .collect();
    // utime, stime, cutime and cstime, in clock ticks of 10 ms.
    [f[11] * 10.0, f[12] * 10.0, f[13] * 10.0, f[14] * 10.0]
}

/// CPU spent from `a` to `b`, per field.
fn spent(a: [f64; 4], b: [f64; 4]) -> [f64; 4] {
    [b[0] - a[0], b[1] - a[1], b[2] - a[2], b[3] - a[3]]
}

/// The streamed listing: rules and set elements counted, none kept.
fn stream(h: &Handle) -> (usize, usize) {
    let (mut rules, mut elems) = (0usize, 0usize);
    h.nft_ruleset_for_each(Family::Unspec, |item| {
        match item {
            RulesetItem::Rule(_) => rules += 1,
            RulesetItem::Elems(e) => elems += e.elements.len(),
            _ => {}
        }
        Ok(())
    })
    .expect("ruleset");
    (rules, elems)
}

/// Checks the ruleset is there whole.
fn check(h: &Handle) {
    let rules = h
        .nft_rule_list(Family::Inet, Some("big"), None)
        .expect("rules");
    assert_eq!(rules.len(), usize::from(RULES));
    let elems = h
        .nft_set_elements(Family::Inet, "big", "nets")
        .expect("elements");
    let starts = elems.iter().filter(|e| !e.is_interval_end()).count();
    assert_eq!(starts, RANGES as usize);
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
    let file = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("nftables.bench.nft");
    std::fs::write(&file, text()).expect("ruleset file");
    let file = file.to_str().expect("utf-8 path").to_string();
    if args.iter().any(|a| a == "layout") {
        layout(&h, rounds, &file);
        return;
    }
    let flush = || {
        let _ = h.nft_table_del(&Table::new(Family::Inet, "big"));
    };

    let names = [
        "netlink nft_transaction",
        "nft -f",
        "netlink nft_ruleset",
        "netlink nft_ruleset_for_each",
        "nft -j list ruleset",
    ];
    let mut ms: [Vec<f64>; 5] = Default::default();
    // CPU per contender, summed over the rounds: user, system (of this
    // process for ours, of the child for nft's).
    let mut used = [[0f64; 2]; 5];
    let mut account = |i: usize, d: [f64; 4]| {
        let (u, s) = if i == 1 || i == 4 {
            (d[2], d[3])
        } else {
            (d[0], d[1])
        };
        used[i][0] += u;
        used[i][1] += s;
    };
    for round in 0..rounds {
        flush();
        let c = cpu();
        let t = Instant::now();
        let report = h.nft_transaction(&transaction()).expect("transaction");
        ms[0].push(t.elapsed().as_secs_f64() * 1e3);
        account(0, spent(c, cpu()));
        assert!(report.is_ok(), "{:?}", report.first_failure());
        check(&h);

        flush();
        let c = cpu();
        ms[1].push(time_nft(&["-f", &file], false));
        account(1, spent(c, cpu()));
        check(&h);

        // The three listings read the same ruleset (the one `nft -f` just
        // loaded), in an order that turns each round so none is always
        // the first to walk a cold set.
        for k in 0..3 {
            let i = 2 + (round + k) % 3;
            let c = cpu();
            let t = Instant::now();
            match i {
                2 => {
                    let rs = h.nft_ruleset(Family::Unspec).expect("ruleset");
                    ms[2].push(t.elapsed().as_secs_f64() * 1e3);
                    assert_eq!(rs.rules.len(), usize::from(RULES));
                }
                3 => {
                    let (rules, elems) = stream(&h);
                    ms[3].push(t.elapsed().as_secs_f64() * 1e3);
                    assert_eq!(rules, usize::from(RULES));
                    assert!(elems >= RANGES as usize);
                }
                _ => ms[4].push(time_nft(&["-j", "list", "ruleset"], true)),
            }
            account(i, spent(c, cpu()));
        }
        eprintln!(
            "round {round}: load {:.0} / {:.0} ms, list {:.0} / {:.0} / {:.0} ms",
            ms[0][round], ms[1][round], ms[2][round], ms[3][round], ms[4][round]
        );
    }
    // What each listing holds at most.
    let (rs, peak_vec) = peak_heap(|| h.nft_ruleset(Family::Unspec).expect("ruleset"));
    drop(rs);
    let (_, peak_stream) = peak_heap(|| stream(&h));
    flush();
    let med: Vec<f64> = ms.iter_mut().map(|v| median(v)).collect();
    println!("{RULES} rules + {RANGES}-range interval set, median of {rounds} interleaved rounds:");
    let n = rounds as f64;
    for (i, (name, m)) in names.iter().zip(&med).enumerate() {
        let (base, what) = if i < 2 {
            (med[1], "nft -f")
        } else {
            (med[4], "nft -j list")
        };
        println!(
            "  {name:28} {m:8.1} ms  {:5.2}x {what}  (mean CPU {:.0} ms user + {:.0} ms system)",
            m / base,
            used[i][0] / n,
            used[i][1] / n
        );
    }
    // The kernel's walk of the set is in every listing's system time,
    // the same for all; user CPU is each side's own work.
    let user = |i: usize| (used[i][0] / n).max(1.0);
    println!(
        "  listing user CPU: nft -j {:.0} ms, nft_ruleset {:.0} ms ({:.0}x less), \
         nft_ruleset_for_each {:.0} ms ({:.0}x less)",
        user(4),
        user(2),
        user(4) / user(2),
        user(3),
        user(4) / user(3)
    );
    println!(
        "  peak heap: nft_ruleset {:.1} MiB, nft_ruleset_for_each {:.2} MiB",
        peak_vec as f64 / f64::from(1 << 20),
        peak_stream as f64 / f64::from(1 << 20)
    );
}

/// The set alone, its elements sent in `order`.
fn set_only(order: &[u32]) -> Transaction {
    let f = Family::Inet;
    let mut set = Set::new(f, "big", "nets", 8, 16);
    set.flags = Some(NFT_SET_INTERVAL);
    let mut elems = Vec::with_capacity(2 * order.len());
    for &i in order {
        let mut last = net(i);
        last[8..].fill(0xff);
        elems.extend(SetElem::range(&net(i), &last));
    }
    let mut tx = Transaction::new();
    tx.add_table(Table::new(f, "big"))
        .add_set(set)
        .add_elements(SetElems::new(f, "big", "nets", elems));
    tx
}

/// Kernel time of listing the set when its elements were inserted in key
/// order and in a scrambled order (the tree is the same, the memory
/// order of its nodes is not).
fn layout(h: &Handle, rounds: usize, file: &str) {
    let sorted: Vec<u32> = (0..RANGES).collect();
    // A fixed permutation (multiplication by an odd number mod 2^k is one
    // on 0..2^k; keep those below RANGES).
    let scrambled: Vec<u32> = (0..131_072u32)
        .map(|i| i.wrapping_mul(40_503) % 131_072)
        .filter(|&i| i < RANGES)
        .collect();
    for round in 0..rounds {
        for (name, order) in [
            ("sorted", Some(&sorted)),
            ("scrambled", Some(&scrambled)),
            ("nft -f", None),
            ("whole tx", None),
        ] {
            let _ = h.nft_table_del(&Table::new(Family::Inet, "big"));
            if let Some(order) = order {
                let r = h.nft_transaction(&set_only(order)).expect("transaction");
                assert!(r.is_ok());
            } else if name == "nft -f" {
                time_nft(&["-f", file], false);
            } else {
                assert!(h.nft_transaction(&transaction()).expect("tx").is_ok());
            }
            let c = cpu();
            let t = Instant::now();
            let (_, elems) = stream(h);
            let ms = t.elapsed().as_secs_f64() * 1e3;
            let d = spent(c, cpu());
            println!(
                "round {round} {name:9}: {elems} elements listed in {ms:.0} ms ({:.0} user + {:.0} system)",
                d[0], d[1]
            );
        }
    }
}
