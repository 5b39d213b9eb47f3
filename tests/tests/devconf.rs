//! Per-interface IPv4/IPv6 configuration read over netlink against the
//! sysctl files of the same namespace, both ways.

use std::fs;

use anyhow::{Context, Result, ensure};
use netlink::nl_route::devconf::ipv4_id;
use netlink::{Handle, Link, LinkKind};
use netlink_tests::in_netns;

/// The IPv6 intervals the files give in seconds and netlink in ms.
const V6_SECONDS: [&str; 4] = [
    "router_solicitation_interval",
    "router_solicitation_delay",
    "router_probe_interval",
    "router_solicitation_max_interval",
];

fn sysctl(family: &str, dev: &str, name: &str) -> Result<Option<String>> {
    let path = format!("/proc/sys/net/{family}/conf/{dev}/{name}");
    match fs::read_to_string(&path) {
        Ok(s) => Ok(Some(s.trim().to_string())),
        // Not a file on this kernel, or unreadable (stable_secret unset).
        Err(_) => Ok(None),
    }
}

#[test]
fn every_value_equals_its_sysctl() {
    in_netns("devconf_equals_sysctl", |ns| {
        let h = Handle::new()?;
        h.link_add(&Link::new("v0").kind(LinkKind::veth("v1")))?;
        // This thread's /proc/sys/net is the test namespace's.
        ensure!(fs::metadata("/proc/sys/net/ipv4/conf/v0").is_ok());
        ns.cmd(
            "sysctl",
            [
                "-qw",
                "net.ipv4.conf.v0.rp_filter=2",
                "net.ipv6.conf.v0.hop_limit=33",
            ],
        )?;
        for dev in ["lo", "v0"] {
            let d = h.link_devconf(dev)?;
            ensure!(d.ipv4.len() >= 30 && d.ipv6.len() >= 50, "{dev}: {d:?}");
            let mut compared = 0;
            for (name, v) in d.ipv4_named() {
                let Some(file) = sysctl("ipv4", dev, name)? else {
                    continue;
                };
                ensure!(
                    file == v.to_string(),
                    "{dev} ipv4 {name}: file {file}, netlink {v}"
                );
                compared += 1;
            }
            for (name, v) in d.ipv6_named() {
                if name == "stable_secret" {
                    continue;
                }
                let Some(file) = sysctl("ipv6", dev, name)? else {
                    continue;
                };
                let want = if V6_SECONDS.contains(&name) {
                    file.parse::<i64>()
                        .map(|s| (s * 1000).to_string())
                        .unwrap_or(file)
                } else {
                    file
                };
                // The kernel's array is __s32; a few files are unsigned
                // (ioam6_id_wide): the same 32 bits.
                let same = want == v.to_string() || want == (v as u32).to_string();
                ensure!(same, "{dev} ipv6 {name}: file {want}, netlink {v}");
                compared += 1;
            }
            ensure!(compared >= 80, "{dev}: only {compared} values compared");
        }
        let d = h.link_devconf("v0")?;
        ensure!(d.ipv4_by_name("rp_filter") == Some(2) && d.ipv6_by_name("hop_limit") == Some(33));
        Ok(())
    });
}

#[test]
fn ipv4_values_set_over_netlink_show_in_sysctl() {
    in_netns("devconf_set", |ns| {
        let h = Handle::new()?;
        h.link_add(&Link::new("v0").kind(LinkKind::veth("v1")))?;
        let rp = ipv4_id("rp_filter").context("rp_filter")?;
        let arp = ipv4_id("arp_ignore").context("arp_ignore")?;
        h.link_set_inet_conf("v0", &[(rp, 1), (arp, 2)])?;
        ensure!(
            ns.cmd("sysctl", ["-n", "net.ipv4.conf.v0.rp_filter"])?
                .trim()
                == "1"
        );
        ensure!(
            ns.cmd("sysctl", ["-n", "net.ipv4.conf.v0.arp_ignore"])?
                .trim()
                == "2"
        );
        let d = h.link_devconf("v0")?;
        ensure!(d.ipv4_by_name("arp_ignore") == Some(2));
        // Nothing to set, a bad index and a missing link are refused clearly.
        ensure!(h.link_set_inet_conf("v0", &[]).is_err());
        ensure!(h.link_set_inet_conf("v0", &[(999, 1)]).is_err());
        let e = h
            .link_set_inet_conf("nope0", &[(rp, 1)])
            .err()
            .context("nope0")?;
        ensure!(format!("{e:#}").contains("nope0"), "{e:#}");
        Ok(())
    });
}
