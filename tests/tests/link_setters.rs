//! Go's one-setting link calls that have no `ip link set` word of their
//! own in the other tests: GSO/GRO sizes (BIG TCP) and a source-mode
//! macvlan's MAC list, each read back by `ip -d -j link`.

use anyhow::{Context, Result, ensure};
use netlink::{Handle, HwAddr};
use netlink_tests::{Netns, in_netns};

fn details(ns: &Netns, dev: &str) -> Result<serde_json::Value> {
    let j = ns.ip_json(["-d", "link", "show", "dev", dev])?;
    j.get(0).cloned().context("no link")
}

#[test]
fn gso_and_gro_sizes_read_back_by_ip() {
    in_netns("link_gso_gro_sizes", |ns| {
        ns.cmd(
            "ip",
            ["link", "add", "v0", "type", "veth", "peer", "name", "v1"],
        )?;
        let h = Handle::new()?;
        h.link_set_gso_max_size("v0", 32_768)?;
        h.link_set_gro_max_size("v0", 49_152)?;
        h.link_set_gso_ipv4_max_size("v0", 40_000)?;
        h.link_set_gro_ipv4_max_size("v0", 50_000)?;
        let d = details(ns, "v0")?;
        ensure!(
            d["gso_max_size"] == 32_768 && d["gro_max_size"] == 49_152,
            "{d}"
        );
        // iproute2 6.1 does not print the IPv4 sizes: the kernel's own
        // link reply says them.
        let l = h.link_by_name("v0")?;
        let release = std::fs::read_to_string("/proc/sys/kernel/osrelease")?;
        let mut v = release
            .trim()
            .split(['.', '-'])
            .map(|p| p.parse::<u32>().unwrap_or(0));
        if (v.next().unwrap_or(0), v.next().unwrap_or(0)) >= (6, 3) {
            ensure!(l.gso_ipv4_max_size == Some(40_000) && l.gro_ipv4_max_size == Some(50_000));
        } else {
            // Before 6.3 the kernel has no such attribute and ignores it.
            ensure!(l.gso_ipv4_max_size.is_none() && l.gro_ipv4_max_size.is_none());
        }
        // Above the device's limit: the kernel refuses, naming it.
        ensure!(h.link_set_gso_max_size("v0", u32::MAX).is_err());
        Ok(())
    });
}

#[test]
fn macvlan_source_macs_added_and_removed_one_by_one() {
    in_netns("macvlan_source_macs", |ns| {
        ns.cmd(
            "ip",
            ["link", "add", "d0", "type", "veth", "peer", "name", "d1"],
        )?;
        ns.cmd(
            "ip",
            [
                "link", "add", "mv0", "link", "d0", "type", "macvlan", "mode", "source",
            ],
        )?;
        let h = Handle::new()?;
        let a = HwAddr::from([2, 0, 0, 0, 0, 5]);
        let b = HwAddr::from([2, 0, 0, 0, 0, 6]);
        h.macvlan_mac_addr_add("mv0", a)?;
        h.macvlan_mac_addr_add("mv0", b)?;
        let d = details(ns, "mv0")?;
        let data = &d["linkinfo"]["info_data"];
        ensure!(data["macaddr_count"] == 2, "{d}");
        let mut macs: Vec<&str> = data["macaddr_data"]
            .as_array()
            .context("macaddr_data")?
            .iter()
            .filter_map(|m| m.as_str())
            .collect();
        macs.sort_unstable();
        ensure!(macs == ["02:00:00:00:00:05", "02:00:00:00:00:06"], "{d}");
        h.macvlan_mac_addr_del("mv0", a)?;
        let d = details(ns, "mv0")?;
        ensure!(d["linkinfo"]["info_data"]["macaddr_count"] == 1, "{d}");
        // ip's add, our read.
        ns.cmd(
            "ip",
            [
                "link",
                "set",
                "mv0",
                "type",
                "macvlan",
                "macaddr",
                "add",
                "02:00:00:00:00:07",
            ],
        )?;
        let Some(netlink::LinkKind::Macvlan(mv)) = h.link_by_name("mv0")?.kind else {
            anyhow::bail!("not a macvlan");
        };
        ensure!(mv.macaddr_count == Some(2), "{mv:?}");
        // Not a macvlan: refused before sending.
        let e = h
            .macvlan_mac_addr_add("d0", a)
            .err()
            .context("d0 took a source MAC")?;
        ensure!(format!("{e:#}").contains("macvlan"), "{e:#}");
        Ok(())
    });
}
