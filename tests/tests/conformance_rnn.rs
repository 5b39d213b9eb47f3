//! Rule, neighbour, FDB and nexthop conformance with iproute2 on the same
//! namespace, both ways (ip creates / library reads, library creates / ip
//! reads), rendered with nl-tools' own `ip -j` / `bridge -j` code.

use nl_tools::args::Args;
use nl_tools::bridge;
use nl_tools::ip::{Ip, Opts, batch, neigh, nexthop, rule};
use nl_tools::json;

use anyhow::{Context, Result, bail, ensure};
use netlink::{AF_INET, AF_INET6, Handle, NeighState};
use netlink_tests::{Netns, in_netns};
use serde_json::Value;

fn compare(path: &str, theirs: &Value, ours: &Value, diffs: &mut Vec<String>) {
    match (theirs, ours) {
        (Value::Object(t), Value::Object(o)) => {
            for (k, tv) in t {
                match o.get(k) {
                    Some(ov) => compare(&format!("{path}.{k}"), tv, ov, diffs),
                    None => diffs.push(format!("{path}.{k}: ip has {tv}, we have nothing")),
                }
            }
            for (k, ov) in o {
                if !t.contains_key(k) {
                    diffs.push(format!("{path}.{k}: we have {ov}, ip has nothing"));
                }
            }
        }
        (Value::Array(t), Value::Array(o)) if t.len() == o.len() => {
            for (i, (tv, ov)) in t.iter().zip(o).enumerate() {
                compare(&format!("{path}[{i}]"), tv, ov, diffs);
            }
        }
        (Value::Number(x), Value::Number(y)) if x.as_f64() == y.as_f64() => {}
        _ if theirs == ours => {}
        _ => diffs.push(format!("{path}: ip has {theirs}, we have {ours}")),
    }
}

fn names(h: &Handle) -> Result<json::Names> {
    Ok(h.link_list()?
        .into_iter()
        .map(|l| (l.index, (l.name, l.flags)))
        .collect())
}

/// Our listing against the tool's, object by object; dumps a moment
/// apart can differ when the kernel adds an entry of its own in between
/// (IPv6 multicast neighbours), so a difference is retried a few times.
fn same_list(
    what: &str,
    theirs: impl Fn() -> Result<Value>,
    ours: impl Fn() -> Result<Vec<Value>>,
) -> Result<usize> {
    let mut last = String::new();
    for _ in 0..5 {
        let t = theirs()?;
        let t = t.as_array().context("array")?.clone();
        let o = ours()?;
        let mut diffs = Vec::new();
        if t.len() != o.len() {
            diffs.push(format!(
                "ip lists {}, we list {}:\nip:   {t:?}\nours: {o:?}",
                t.len(),
                o.len()
            ));
        } else {
            for (i, (tv, ov)) in t.iter().zip(&o).enumerate() {
                compare(&format!("{what}[{i}]"), tv, ov, &mut diffs);
            }
        }
        if diffs.is_empty() {
            return Ok(o.len());
        }
        last = diffs.join("\n");
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    bail!("{what}: {last}")
}

/// Rules (both families), neighbours (`nud all`), proxies, nexthops and
/// the FDB, key by key.
fn conform(ns: &Netns, h: &Handle) -> Result<usize> {
    let mut total = 0;
    for (family, flag) in [(AF_INET, "-4"), (AF_INET6, "-6")] {
        total += same_list(
            &format!("{flag} rule"),
            || ns.ip_json([flag, "rule", "show"]),
            || {
                Ok(h.rule_list(family)?
                    .iter()
                    .map(|r| rule::rule_json(r, false))
                    .collect())
            },
        )?;
    }
    total += same_list(
        "neigh",
        || ns.ip_json(["neigh", "show", "nud", "all"]),
        || {
            let n = names(h)?;
            Ok(h.neigh_list(None, 0)?
                .iter()
                .map(|x| neigh::neigh_json(x, &n, true, false))
                .collect())
        },
    )?;
    total += same_list(
        "neigh proxy",
        || ns.ip_json(["neigh", "show", "proxy"]),
        || {
            let n = names(h)?;
            Ok(h.neigh_proxy_list(None, 0)?
                .iter()
                .map(|x| neigh::neigh_json(x, &n, true, false))
                .collect())
        },
    )?;
    total += same_list(
        "nexthop",
        || ns.ip_json(["nexthop", "show"]),
        || {
            let n = names(h)?;
            Ok(h.nexthop_list()?
                .iter()
                .map(|x| nexthop::nexthop_json(x, &n, false))
                .collect())
        },
    )?;
    total += same_list(
        "fdb",
        || {
            let out = ns.cmd("bridge", ["-j", "fdb", "show"])?;
            Ok(serde_json::from_str(&out)?)
        },
        || {
            let n = names(h)?;
            Ok(h.fdb_list(None, None)?
                .iter()
                .map(|x| bridge::fdb_json(x, &n, true, false))
                .collect())
        },
    )?;
    Ok(total)
}

fn wire(ns: &Netns) -> Result<()> {
    for cmd in [
        "link add n0 type veth peer name n1",
        "link add p0 type veth peer name p1",
        "link add br0 type bridge",
        "link set p1 master br0",
        "link add vx0 type vxlan id 42 dstport 4789 local 192.0.2.1",
        "link set lo up",
        "link set n0 up",
        "link set n1 up",
        "link set p0 up",
        "link set p1 up",
        "link set br0 up",
        "addr add 192.0.2.1/24 dev n0",
        "-6 addr add 2001:db8::1/64 dev n0 nodad",
    ] {
        ns.ip(cmd.split(' ')).with_context(|| format!("ip {cmd}"))?;
    }
    Ok(())
}

const RULES: &[&str] = &[
    "rule add from 192.0.2.0/24 to 198.51.100.0/24 iif lo oif n0 fwmark 0x10/0xff tos 0x04 pref 100 table 100 uidrange 10-20 sport 1000-2000 dport 80 ipproto tcp realms 3/4 protocol static",
    "rule add not from 192.0.2.5 pref 101 goto 200",
    "rule add pref 200 nop",
    "rule add pref 102 blackhole",
    "rule add pref 103 lookup main suppress_prefixlength 0 suppress_ifgroup 5",
    "rule add pref 104 l3mdev protocol kernel",
    "rule add pref 105 fwmark 7 unreachable tun_id 5",
    "rule add pref 106 to 203.0.113.0/24 prohibit",
    "rule add pref 107 iif nosuchdev table 70000",
    "rule add pref 108 dsfield 0x10 ipproto udp sport 53 lookup local",
    "-6 rule add from 2001:db8::/32 to 2001:db8:1::/48 table 5 pref 10 ipproto ipv6-icmp",
    "-6 rule add pref 11 fwmark 0x20 oif n0 prohibit",
    "-6 rule add pref 12 not to 2001:db8:2::/64 goto 13",
];

const NEIGHS: &[&str] = &[
    "neigh add 192.0.2.2 lladdr 02:00:00:00:00:02 dev n0 nud permanent",
    "neigh add 192.0.2.3 lladdr 02:00:00:00:00:03 dev n0 nud noarp",
    "neigh add 192.0.2.4 lladdr 02:00:00:00:00:04 dev n0 nud stale extern_learn",
    "neigh add 192.0.2.5 lladdr 02:00:00:00:00:05 dev n0 nud permanent router protocol static",
    "neigh add proxy 192.0.2.7 dev n0",
    "neigh add 2001:db8::2 lladdr 02:00:00:00:00:06 dev n0 router",
    "neigh add proxy 2001:db8::7 dev n0",
];

const NEXTHOPS: &[&str] = &[
    "nexthop add id 1 via 192.0.2.2 dev n0",
    "nexthop add id 2 blackhole",
    "nexthop add id 3 via 203.0.113.1 dev n0 onlink proto static",
    "nexthop add id 4 dev n0",
    "nexthop add id 5 via 2001:db8::2 dev n0",
    "nexthop add id 6 via 198.51.100.1 fdb",
    "nexthop add id 10 group 1/3,5",
    "nexthop add id 11 group 1/3 type resilient buckets 8 idle_timer 10 unbalanced_timer 20",
];

const FDBS: &[&str] = &[
    "fdb add 02:00:00:00:01:01 dev p1 master static",
    "fdb add 02:00:00:00:01:02 dev p1 master dynamic sticky",
    "fdb add 02:00:00:00:01:03 dev p1 self permanent",
    "fdb append 00:00:00:00:00:00 dev vx0 dst 198.51.100.1 vni 100 port 4790",
    "fdb append 00:00:00:00:00:00 dev vx0 dst 198.51.100.2",
    "fdb add 02:00:00:00:01:04 dev vx0 dst 203.0.113.9 via n0",
];

#[test]
fn ip_creates_library_reads_rnn() {
    in_netns("ip_creates_library_reads_rnn", |ns| {
        wire(ns)?;
        for cmd in RULES.iter().chain(NEIGHS).chain(NEXTHOPS) {
            ns.ip(cmd.split(' ')).with_context(|| format!("ip {cmd}"))?;
        }
        for cmd in FDBS {
            let words: Vec<&str> = cmd.split(' ').collect();
            ns.cmd("bridge", &words)
                .with_context(|| format!("bridge {cmd}"))?;
        }
        let n = conform(ns, &Handle::new()?)?;
        ensure!(
            n >= RULES.len() + NEIGHS.len() + NEXTHOPS.len() + FDBS.len(),
            "compared {n}"
        );
        Ok(())
    });
}

fn opts(family: u8) -> Opts {
    Opts {
        family,
        ..Opts::default()
    }
}

#[test]
fn library_creates_ip_reads_rnn() {
    in_netns("library_creates_ip_reads_rnn", |ns| {
        wire(ns)?;
        let h = Handle::new()?;
        // The same objects, parsed by nl-tools and added by the library.
        for cmd in RULES.iter().chain(NEIGHS).chain(NEXTHOPS).chain(FDBS) {
            let mut words: Vec<String> = cmd.split(' ').map(str::to_string).collect();
            let mut family = 0;
            if words[0] == "-6" {
                words.remove(0);
                family = AF_INET6;
            }
            let ip = Ip::new(&h, opts(family));
            let mut a = Args::new(words[2..].iter().map(String::as_str));
            let done = match (words[0].as_str(), words[1].as_str()) {
                ("rule", _) => {
                    rule::parse_rule(&ip, &mut a, true).and_then(|r| Ok(h.rule_add(&r)?))
                }
                ("neigh", _) => neigh::parse_neigh(&ip, &mut a).and_then(|n| Ok(h.neigh_add(&n)?)),
                ("nexthop", _) => {
                    nexthop::parse_nexthop(&ip, &mut a).and_then(|n| Ok(h.nexthop_add(&n)?))
                }
                ("fdb", "append") => {
                    bridge::parse_fdb(&ip, &mut a).and_then(|n| Ok(h.fdb_append(&n)?))
                }
                ("fdb", _) => bridge::parse_fdb(&ip, &mut a).and_then(|n| Ok(h.fdb_add(&n)?)),
                _ => bail!("{cmd}"),
            };
            done.with_context(|| format!("library {cmd}"))?;
        }
        // What ip shows for a few, literally...
        let j = ns.ip_json(["rule", "show", "pref", "100"])?;
        ensure!(
            j[0]["fwmask"] == "0xff" && j[0]["sport_end"] == 2000 && j[0]["table"] == "100",
            "{j}"
        );
        let j = ns.ip_json(["neigh", "show", "proxy"])?;
        ensure!(j.as_array().map(Vec::len) == Some(2), "{j}");
        let j = ns.ip_json(["nexthop", "show", "id", "10"])?;
        ensure!(j[0]["group"][1]["weight"] == 5, "{j}");
        // ...and everything, key by key.
        conform(ns, &h)?;
        Ok(())
    });
}

#[test]
fn cli_bad_input() {
    in_netns("cli_bad_input", |ns| {
        wire(ns)?;
        let h = Handle::new()?;
        let ip = Ip::new(&h, opts(0));
        let words = |s: &'static str| Args::split(s);
        let e =
            rule::parse_rule(&ip, &mut words("from 192.0.2.0/24 table nosuch"), true).unwrap_err();
        ensure!(e.to_string().contains("invalid table ID"), "{e:#}");
        let e = rule::parse_rule(&ip, &mut words("from 192.0.2.0/24 to 2001:db8::/32"), true)
            .unwrap_err();
        ensure!(e.to_string().contains("family"), "{e:#}");
        let e = neigh::parse_neigh(
            &ip,
            &mut words("192.0.2.9 lladdr 02:00:00:00:00:09 dev nosuch"),
        )
        .unwrap_err();
        ensure!(e.to_string().contains("nosuch"), "{e:#}");
        // The kernel's words reach the caller intact.
        let n = neigh::parse_neigh(&ip, &mut words("192.0.2.9 dev n0 nud permanent"))?;
        let e = h.neigh_add(&n).unwrap_err();
        ensure!(e.message() == Some("No link layer address given"), "{e:?}");
        let e = nexthop::parse_nexthop(&ip, &mut words("id 1 group 1,x")).unwrap_err();
        ensure!(e.to_string().contains("weight"), "{e:#}");
        Ok(())
    });
}

#[test]
fn batch_file_with_neighbours() {
    in_netns("batch_file_with_neighbours", |ns| {
        wire(ns)?;
        let h = Handle::new()?;
        let mut text = String::new();
        for i in 0..200u32 {
            text.push_str(&format!(
                "neigh add 203.0.113.{} lladdr 02:00:00:00:{:02x}:{:02x} dev n0\n",
                i + 10,
                i / 256,
                i % 256
            ));
        }
        text.push_str("neigh add 203.0.113.15 lladdr 02:00:00:00:00:05 dev n0\n"); // line 201 exists
        text.push_str("neigh replace 203.0.113.16 lladdr 02:00:00:00:99:99 dev n0\n");
        text.push_str("route add 198.51.100.0/24 via 192.0.2.2 dev n0\n");
        text.push_str("neigh del 203.0.113.17 dev n0\n");
        let out = batch::run(&Ip::new(&h, opts(0)), &text, "test", true, &mut Vec::new())?;
        ensure!(out.failed == [201], "{:?}", out.failed);
        ensure!(out.ok == 203, "{}", out.ok);
        let list = h.neigh_list(Some("n0".into()), AF_INET)?;
        let ours: Vec<_> = list
            .iter()
            .filter(|n| {
                n.dst
                    .is_some_and(|d| d.to_string().starts_with("203.0.113."))
            })
            .collect();
        ensure!(ours.len() == 199, "{}", ours.len());
        ensure!(ours.iter().all(|n| n.state == NeighState::PERMANENT));
        let six = ours
            .iter()
            .find(|n| n.dst.is_some_and(|d| d.to_string() == "203.0.113.16"))
            .context("203.0.113.16")?;
        ensure!(six.lladdr.map(|l| l.to_string()) == Some("02:00:00:00:99:99".into()));
        Ok(())
    });
}
