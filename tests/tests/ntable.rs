//! Neighbour tables (`ip ntable`): the library and `nl ip ntable` against
//! iproute2 on the same namespace, both ways. Only per-device parameters
//! change: the tables themselves belong to the initial namespace (and the
//! host), which the kernel refuses to touch from here.

use anyhow::{Context, Result, ensure};
use netlink::nl_route::neightbl::{NeighTableChange, NeighTableParms};
use netlink::{AF_INET, AF_INET6, ErrorKind, Handle, Link, LinkKind};
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

fn setup(ns: &Netns) -> Result<Handle> {
    let h = Handle::new()?;
    h.link_set_up("lo")?;
    h.link_add(&Link::new("v0").kind(LinkKind::veth("v1")))?;
    let _ = ns;
    Ok(h)
}

#[test]
fn device_parameters_both_ways() {
    in_netns("ntable_device_parameters", |ns| {
        let h = setup(ns)?;
        let v0 = h.link_by_name("v0")?.index;
        // Ours, read by ip (times are kept in jiffies: multiples of 10 ms
        // read back exactly at any HZ).
        h.neigh_table_change(&NeighTableChange::new(AF_INET, "arp_cache").parms(
            v0,
            NeighTableParms {
                queue_len: Some(17),
                base_reachable_time: Some(21_000),
                ucast_probes: Some(5),
                locktime: Some(1200),
                ..NeighTableParms::default()
            },
        ))?;
        let j = ns.ip_json(["ntable", "show", "dev", "v0", "name", "arp_cache"])?;
        let e = &j[0];
        ensure!(
            e["queue"] == 17 && e["base_reachable"] == 21_000 && e["ucast_probes"] == 5,
            "{j}"
        );
        ensure!(e["locktime"] == 1200 && e["dev"] == "v0", "{j}");
        // ip's, read by us.
        ns.cmd(
            "ip",
            [
                "ntable",
                "change",
                "name",
                "ndisc_cache",
                "dev",
                "v0",
                "mcast_probes",
                "7",
                "retrans",
                "1500",
            ],
        )?;
        let tables = h.neigh_table_list(AF_INET6)?;
        let t = tables
            .iter()
            .find(|t| {
                t.name == "ndisc_cache" && t.parms.as_ref().and_then(|p| p.ifindex) == Some(v0)
            })
            .context("no ndisc_cache entry for v0")?;
        let p = t.parms.as_ref().context("parms")?;
        ensure!(
            p.mcast_probes == Some(7) && p.retrans_time == Some(1500),
            "{p:?}"
        );
        // The table-level entries are there with their thresholds.
        let all = h.neigh_table_list(0)?;
        let arp = all
            .iter()
            .find(|t| t.name == "arp_cache" && t.thresh1.is_some())
            .context("no arp_cache table entry")?;
        ensure!(arp.config.is_some() && arp.stats.is_some() && arp.gc_interval.is_some());
        // The tables are the initial namespace's: refused here, for us as for ip.
        let mut c = NeighTableChange::new(AF_INET, "arp_cache");
        c.thresh1 = Some(1);
        let e = h
            .neigh_table_change(&c)
            .err()
            .context("a shared table changed")?;
        ensure!(format!("{e:#}").contains("arp_cache"), "{e:#}");
        ensure!(
            ns.cmd(
                "ip",
                ["ntable", "change", "name", "arp_cache", "thresh1", "1"]
            )
            .is_err()
        );
        // A table that does not exist.
        let e = h
            .neigh_table_change(&NeighTableChange::new(AF_INET, "nope_cache").parms(
                v0,
                NeighTableParms {
                    queue_len: Some(1),
                    ..NeighTableParms::default()
                },
            ))
            .err()
            .context("nope_cache")?;
        ensure!(e.kind() == ErrorKind::NotFound, "{e:#}");
        Ok(())
    });
}

#[test]
fn nl_ip_ntable_prints_what_ip_prints() {
    in_netns("nl_ip_ntable_prints", |ns| {
        setup(ns)?;
        // nl changes, ip reads (and the reverse above).
        nl("ntable change name arp_cache dev v1 queue 9 app_probes 2")?;
        let j = ns.ip_json(["ntable", "show", "dev", "v1", "name", "arp_cache"])?;
        ensure!(j[0]["queue"] == 9 && j[0]["app_probes"] == 2, "{j}");
        // `reachable` is re-randomised by the kernel now and then: retried.
        for args in [
            "ntable show",
            "ntable show dev v0",
            "ntable show name ndisc_cache",
            "-4 ntable show dev lo",
            "-6 ntable show",
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
        for (args, word) in [
            ("-s ntable show", "-s"),
            ("ntable show bogus", "bogus"),
            ("ntable change dev v0 queue 1", "name"),
        ] {
            let e = nl(args)
                .err()
                .with_context(|| format!("nl ip {args} worked"))?;
            ensure!(format!("{e:#}").contains(word), "{args}: {e:#}");
        }
        Ok(())
    });
}
