//! Interface statistics (RTM_GETSTATS): the library and `nl ip stats`
//! against `ip stats show` on the same namespace, in text and `-j`.

use std::net::UdpSocket;

use anyhow::{Context, Result, ensure};
use netlink::nl_route::stats::StatsGroups;
use netlink::{Handle, Link, LinkKind};
use netlink_tests::{Netns, in_netns, settled};
use nl_tools::Tool;

fn nl(args: &str) -> Result<String> {
    let words: Vec<String> = args.split_whitespace().map(String::from).collect();
    let mut out = Vec::new();
    Tool::Ip
        .run(&words, &mut out)
        .with_context(|| format!("nl ip {args}"))?;
    Ok(String::from_utf8(out)?)
}

/// A quiet namespace (no IPv6 chatter) with traffic counted on lo and a
/// veth pair.
fn setup(ns: &Netns) -> Result<Handle> {
    ns.cmd("sysctl", ["-qw", "net.ipv6.conf.all.disable_ipv6=1"])?;
    ns.cmd("sysctl", ["-qw", "net.ipv6.conf.default.disable_ipv6=1"])?;
    let h = Handle::new()?;
    h.link_set_up("lo")?;
    h.link_add(&Link::new("v0").kind(LinkKind::veth("v1")))?;
    let rx = UdpSocket::bind("127.0.0.1:0")?;
    let tx = UdpSocket::bind("127.0.0.1:0")?;
    for _ in 0..5 {
        tx.send_to(&[7; 300], rx.local_addr()?)?;
    }
    Ok(h)
}

#[test]
fn counters_equal_ip_stats() {
    in_netns("link_stats_counters", |ns| {
        let h = setup(ns)?;
        let s = h.link_stats("lo", StatsGroups::LINK_64)?;
        let c = s.link64.context("no stats64")?;
        ensure!(c.rx_packets >= 5 && c.rx_bytes >= 5 * 300, "{c:?}");
        let j = ns.ip_json(["stats", "show", "dev", "lo", "group", "link"])?;
        let theirs = &j[0]["stats64"];
        ensure!(theirs["rx"]["packets"] == c.rx_packets, "{j}");
        ensure!(theirs["rx"]["bytes"] == c.rx_bytes, "{j}");
        ensure!(theirs["tx"]["packets"] == c.tx_packets, "{j}");
        // The same as the link's own IFLA_STATS64.
        let l = h.link_get("lo", false)?;
        ensure!(l.stats.map(|x| x.rx_packets) == Some(c.rx_packets));
        // Offload information of a veth: off and unused, as ip says.
        let s = h.link_stats("v0", StatsGroups::OFFLOAD | StatsGroups::AF_SPEC)?;
        let o = s.offload.context("no offload group")?;
        ensure!(o.l3_stats_info == Some((false, false)), "{o:?}");
        ensure!(s.link64.is_none(), "a group not asked for came back");
        // Every link, dumped.
        let all = h.link_stats_list(StatsGroups::LINK_64)?;
        ensure!(all.len() == 3 && all.iter().all(|s| s.link64.is_some()));
        // A link that does not exist is named.
        let e = h
            .link_stats("nope0", StatsGroups::LINK_64)
            .err()
            .context("nope0")?;
        ensure!(format!("{e:#}").contains("nope0"), "{e:#}");
        Ok(())
    });
}

#[test]
fn nl_ip_stats_prints_what_ip_prints() {
    in_netns("nl_ip_stats_prints", |ns| {
        setup(ns)?;
        // ip also prints the per-kind groups (xstats), which nl refuses.
        settled(|| {
            let theirs: String = ns
                .ip(["stats", "show", "dev", "lo"])?
                .lines()
                .filter(|l| !l.contains(": group xstats"))
                .map(|l| format!("{l}\n"))
                .collect();
            let ours = nl("stats show dev lo")?;
            ensure!(theirs == ours, "--- ip:\n{theirs}--- nl:\n{ours}---");
            Ok(())
        })?;
        for args in [
            "stats show dev v0 group link",
            "stats show dev v0 group offload",
            "stats show dev v1 group offload subgroup hw_stats_info",
            "stats show dev v1 group offload subgroup cpu_hit",
            "stats show dev lo group afstats",
            "stats show dev lo group link group offload subgroup l3_stats",
        ] {
            settled(|| {
                let theirs = ns.ip(args.split_whitespace())?;
                let ours = nl(args)?;
                ensure!(
                    theirs == ours,
                    "ip {args}\n--- ip:\n{theirs}--- nl:\n{ours}---"
                );
                Ok(())
            })?;
            let jargs = format!("-j {args}");
            settled(|| {
                let theirs: serde_json::Value =
                    serde_json::from_str(&ns.ip(jargs.split_whitespace())?)?;
                let ours: serde_json::Value = serde_json::from_str(&nl(&jargs)?)?;
                ensure!(
                    theirs == ours,
                    "ip {jargs}\n--- ip:\n{theirs}\n--- nl:\n{ours}"
                );
                Ok(())
            })?;
        }
        // Every link, as JSON.
        settled(|| {
            let theirs: serde_json::Value = serde_json::from_str(&ns.ip(["-j", "stats", "show"])?)?;
            let ours: serde_json::Value = serde_json::from_str(&nl("-j stats show")?)?;
            let theirs: Vec<_> = theirs
                .as_array()
                .context("array")?
                .iter()
                .filter(|o| !o["group"].as_str().unwrap_or("").starts_with("xstats"))
                .cloned()
                .collect();
            ensure!(
                serde_json::Value::Array(theirs.clone()) == ours,
                "ip {theirs:?}\nnl {ours}"
            );
            Ok(())
        })?;
        // Words nl does not implement are errors naming them.
        for (args, word) in [
            ("stats show group xstats", "xstats"),
            ("stats show group nope", "nope"),
            ("stats show dev lo group link subgroup x", "subgroup x"),
            ("stats show dev lo bogus", "bogus"),
        ] {
            let e = nl(args)
                .err()
                .with_context(|| format!("nl ip {args} worked"))?;
            ensure!(format!("{e:#}").contains(word), "{args}: {e:#}");
        }
        Ok(())
    });
}
