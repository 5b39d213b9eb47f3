//! Route conformance with iproute2 on the same namespace, both ways,
//! rendered with nl-tools' own `ip -j route` code.

use nl_tools::args::Args;
use nl_tools::ip::{Ip, Opts, batch, route};
use nl_tools::json;

use anyhow::{Context, Result, bail, ensure};
use netlink::nl_route::route::TABLE_ALL;
use netlink::{AF_INET, AF_INET6, Handle, RouteDump};
use netlink_tests::{Netns, in_netns};
use serde_json::Value;

fn same(key: &str, a: &Value, b: &Value) -> bool {
    match (a, b) {
        // Both dumps happen a moment apart: remaining lifetimes may differ by a tick.
        (Value::Number(x), Value::Number(y)) if key == "expires" => {
            (x.as_f64().unwrap_or(0.0) - y.as_f64().unwrap_or(0.0)).abs() <= 2.0
        }
        (Value::Number(x), Value::Number(y)) => x.as_f64() == y.as_f64(),
        _ => a == b,
    }
}

fn compare(path: &str, key: &str, theirs: &Value, ours: &Value, diffs: &mut Vec<String>) {
    match (theirs, ours) {
        (Value::Object(t), Value::Object(o)) => {
            for (k, tv) in t {
                match o.get(k) {
                    Some(ov) => compare(&format!("{path}.{k}"), k, tv, ov, diffs),
                    None => diffs.push(format!("{path}.{k}: ip has {tv}, we have nothing")),
                }
            }
            for k in o.keys() {
                if !t.contains_key(k) {
                    diffs.push(format!("{path}.{k}: we have {}, ip has nothing", o[k]));
                }
            }
        }
        (Value::Array(t), Value::Array(o)) if t.len() == o.len() => {
            for (i, (tv, ov)) in t.iter().zip(o).enumerate() {
                compare(&format!("{path}[{i}]"), key, tv, ov, diffs);
            }
        }
        _ if same(key, theirs, ours) => {}
        _ => diffs.push(format!("{path}: ip has {theirs}, we have {ours}")),
    }
}

/// Every route of every table, per family, key by key, both ways
/// (keys only we print count as differences too).
fn conform(ns: &Netns, h: &Handle) -> Result<usize> {
    netlink_tests::settled(|| conform_once(ns, h))
}

fn conform_once(ns: &Netns, h: &Handle) -> Result<usize> {
    let names: json::Names = h
        .link_list()?
        .into_iter()
        .map(|l| (l.index, (l.name, l.flags)))
        .collect();
    let mut diffs = Vec::new();
    let mut total = 0;
    for (family, flag) in [(AF_INET, "-4"), (AF_INET6, "-6")] {
        let ours = h.route_list_filtered(&RouteDump {
            family,
            table: Some(TABLE_ALL),
            ..RouteDump::default()
        })?;
        let theirs = ns.ip_json([flag, "route", "show", "table", "all"])?;
        let theirs = theirs.as_array().context("array")?;
        if theirs.len() != ours.len() {
            bail!(
                "{flag}: ip lists {} routes, we list {}:\nip: {theirs:?}\nours: {ours:?}",
                theirs.len(),
                ours.len()
            );
        }
        for (i, (t, r)) in theirs.iter().zip(&ours).enumerate() {
            compare(
                &format!("{flag} route {i} ({})", r.dst_string()),
                "",
                t,
                &route::route_json(r, &names, false),
                &mut diffs,
            );
        }
        total += ours.len();
    }
    if !diffs.is_empty() {
        bail!("{} differences:\n{}", diffs.len(), diffs.join("\n"));
    }
    Ok(total)
}

fn wire(ns: &Netns) -> Result<()> {
    for cmd in [
        "link add r0 type veth peer name r1",
        "link set r0 up",
        "link set r1 up",
        "link set lo up",
        "addr add 192.0.2.1/24 dev r0",
        "addr add 198.51.100.129/25 dev r1",
        "-6 addr add 2001:db8::1/64 dev r0 nodad",
    ] {
        ns.ip(cmd.split(' '))?;
    }
    Ok(())
}

/// The routes both tests add; the seg6 one needs seg6 lightweight tunnels
/// (the host may lack them: that part skips, strict in the VM tier).
const SEG6: &str =
    "-6 route add 2001:db8:5::/48 encap seg6 mode encap segs 2001:db8::9,2001:db8::10 dev r0";

const ROUTES: &[&str] = &[
    "route add 198.51.100.0/25 via 192.0.2.2 dev r0 metric 100 proto static mtu lock 1400 advmss 1360 initcwnd 10 rtt 8 congctl reno",
    "route add 203.0.113.128/26 via 192.0.2.2 dev r0 src 192.0.2.1 realm 7 tos 0x10",
    "route add blackhole 203.0.113.0/28 table 100",
    "route add unreachable 203.0.113.16/28 table 100 proto 99",
    "route add prohibit 203.0.113.32/28 table 70000",
    "route add throw 203.0.113.48/28 table 100",
    "route add 203.0.113.64/26 nexthop via 192.0.2.2 dev r0 weight 2 nexthop via 198.51.100.130 dev r1 weight 1",
    "route add 203.0.113.199 via inet6 2001:db8::2 dev r0",
    "route add 203.0.113.200/32 via 203.0.113.250 dev r0 onlink",
    "route add default via 192.0.2.254 dev r0 metric 500",
    SEG6,
    "-6 route add 2001:db8:6::/48 via 2001:db8::2 dev r0 pref high expires 300 metric 77",
    "-6 route add blackhole 2001:db8:dead::/48 table 100",
    "-6 route add 2001:db8:8::/48 nexthop via 2001:db8::2 dev r0 nexthop via 2001:db8::3 dev r0",
    "-6 route add default via 2001:db8::fe dev r0 hoplimit 9",
];

#[test]
fn ip_creates_library_reads_routes() {
    in_netns("ip_creates_library_reads_routes", |ns| {
        wire(ns)?;
        let mut added = 0;
        for cmd in ROUTES {
            let done = ns.ip(cmd.split(' ')).with_context(|| format!("ip {cmd}"));
            if *cmd == SEG6 {
                added += usize::from(ns.partial(done)?.is_some());
            } else {
                done?;
                added += 1;
            }
        }
        let n = conform(ns, &Handle::new()?)?;
        ensure!(n >= added, "compared {n} routes");
        Ok(())
    });
}

#[test]
fn library_creates_ip_reads_routes() {
    in_netns("library_creates_ip_reads_routes", |ns| {
        wire(ns)?;
        let h = Handle::new()?;
        let mut seg6 = false;
        // The same routes, parsed by nl-tools and added by the library.
        for cmd in ROUTES {
            let mut words: Vec<&str> = cmd.split(' ').collect();
            let mut o = Opts::default();
            if words[0] == "-6" {
                words.remove(0);
                o.family = AF_INET6;
            }
            let ip = Ip::new(&h, o);
            let mut a = Args::new(words[2..].iter().copied());
            let r = route::parse_route(&ip, &mut a).with_context(|| format!("parse {cmd}"))?;
            let added = h.route_add(&r);
            if *cmd == SEG6 {
                let added = netlink_tests::need_feature(added, "seg6 lightweight tunnels");
                seg6 = ns.partial(added)?.is_some();
            } else {
                added.with_context(|| format!("add {cmd}"))?;
            }
        }
        // What ip shows for a few, literally...
        let j = ns.ip_json(["route", "show", "198.51.100.0/25"])?;
        ensure!(
            j[0]["metrics"][0]["mtu"] == 1400 && j[0]["metrics"][0]["congestion"] == "reno",
            "{j}"
        );
        let j = ns.ip_json(["route", "show", "table", "70000"])?;
        ensure!(j[0]["type"] == "prohibit", "{j}");
        if seg6 {
            let j = ns.ip_json(["-6", "route", "show", "2001:db8:5::/48"])?;
            ensure!(j[0]["segs"][0] == "2001:db8::9", "{j}");
        }
        // ...and everything, key by key.
        conform(ns, &h)?;
        Ok(())
    });
}

/// The batch test's destinations: 300 hosts of two documentation ranges.
fn batch_dst(i: u32) -> String {
    if i < 256 {
        format!("198.51.100.{i}")
    } else {
        format!("203.0.113.{}", i - 256)
    }
}

fn is_batch_dst(dst: &str) -> bool {
    (dst.starts_with("198.51.100.") || dst.starts_with("203.0.113.")) && !dst.contains('/')
}

#[test]
fn batch_file_like_ip_batch() {
    in_netns("batch_file_like_ip_batch", |ns| {
        wire(ns)?;
        let h = Handle::new()?;
        let mut text = String::new();
        for i in 0..300u32 {
            text.push_str(&format!(
                "route add {}/32 dev r0 proto static\n",
                batch_dst(i)
            ));
        }
        text.push_str("# a comment line\n\n");
        // line 303 repeats line 1
        text.push_str(&format!(
            "route add {}/32 dev r0 proto static\n",
            batch_dst(0)
        ));
        text.push_str(&format!(
            "route del {}/32 dev r0 proto static\n",
            batch_dst(1)
        ));
        text.push_str("route replace 198.51.100.0/24 via 192.0.2.2 dev r0\n");
        let out = batch::run(
            &Ip::new(&h, Opts::default()),
            &text,
            "test",
            true,
            &mut Vec::new(),
        )?;
        ensure!(out.failed == [303], "{:?}", out.failed);
        ensure!(out.ok == 302, "{}", out.ok);
        let ours = h.route_list_filtered(&RouteDump {
            family: AF_INET,
            ..RouteDump::default()
        })?;
        // ip -batch on the same file in a fresh table of its own namespace gives the same routes
        let ip_text = text.replace("dev r0", "dev r0 table 200");
        let dir = std::env::temp_dir().join(format!("nl-batch-{}", std::process::id()));
        std::fs::create_dir_all(&dir)?;
        let file = dir.join("routes.batch");
        std::fs::write(&file, ip_text)?;
        let ip_result = ns.ip(["-force", "-batch", file.to_str().context("path")?]);
        let _ = std::fs::remove_dir_all(&dir);
        ensure!(ip_result.is_err(), "ip -batch also reports line 303");
        let theirs = h.route_list_filtered(&RouteDump {
            family: AF_INET,
            table: Some(200),
            ..RouteDump::default()
        })?;
        let mut a: Vec<String> = ours
            .iter()
            .filter(|r| is_batch_dst(&r.dst_string()))
            .map(|r| r.dst_string())
            .collect();
        let mut b: Vec<String> = theirs
            .iter()
            .filter(|r| is_batch_dst(&r.dst_string()))
            .map(|r| r.dst_string())
            .collect();
        a.sort();
        b.sort();
        let only_a: Vec<_> = a.iter().filter(|x| !b.contains(x)).collect();
        let only_b: Vec<_> = b.iter().filter(|x| !a.contains(x)).collect();
        ensure!(
            a.len() == 299 && a == b,
            "{} vs {}: only ours {only_a:?}, only ip {only_b:?}",
            a.len(),
            b.len()
        );
        Ok(())
    });
}
