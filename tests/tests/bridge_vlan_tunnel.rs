//! Bridge VLAN-to-tunnel mappings (`bridge vlan ... tunnel_info`,
//! `bridge vlan tunnelshow`): the library and `nl bridge` against
//! iproute2's `bridge` on the same namespace, both ways. Needs bridge VLAN
//! filtering (the VM tier has it; this host's kernel may not).

use anyhow::{Context, Result, ensure};
use netlink::nl_route::kind::Bridge;
use netlink::{Handle, Link, LinkKind, VlanTunnel};
use netlink_tests::{Netns, in_netns, need_feature};
use nl_tools::Tool;

fn nl(args: &str) -> Result<String> {
    let words: Vec<String> = args.split_whitespace().map(String::from).collect();
    let mut out = Vec::new();
    Tool::Bridge
        .run(&words, &mut out)
        .with_context(|| format!("nl bridge {args}"))?;
    Ok(String::from_utf8(out)?)
}

/// A VLAN-filtering bridge with a metadata-mode VXLAN port carrying
/// VLANs 100 and 200-210, `vlan_tunnel on`.
fn setup(ns: &Netns) -> Result<Handle> {
    let h = Handle::new()?;
    let br = Bridge {
        vlan_filtering: Some(true),
        ..Bridge::default()
    };
    need_feature(
        h.link_add(&Link::new("tbr0").kind(LinkKind::Bridge(br))),
        "bridge VLAN filtering",
    )?;
    let Some(LinkKind::Bridge(got)) = h.link_by_name("tbr0")?.kind else {
        anyhow::bail!("not a bridge")
    };
    if got.vlan_filtering.is_none() {
        return Err(netlink_tests::skip("kernel lacks bridge VLAN filtering"));
    }
    ns.cmd(
        "ip",
        [
            "link", "add", "vx0", "type", "vxlan", "dstport", "4789", "external",
        ],
    )?;
    h.link_set_master("vx0", "tbr0")?;
    ns.cmd("bridge", ["link", "set", "dev", "vx0", "vlan_tunnel", "on"])?;
    ns.cmd("bridge", ["vlan", "add", "dev", "vx0", "vid", "100"])?;
    ns.cmd("bridge", ["vlan", "add", "dev", "vx0", "vid", "200-210"])?;
    ns.cmd("bridge", ["vlan", "add", "dev", "vx0", "vid", "300"])?;
    Ok(h)
}

#[test]
fn tunnel_mappings_both_ways() {
    in_netns("bridge_vlan_tunnel_both_ways", |ns| {
        let h = setup(ns)?;
        // Ours, read by bridge.
        h.bridge_vlan_tunnel_add(
            "vx0",
            &[
                VlanTunnel::new(100, 1000),
                VlanTunnel::range(200, 210, 2000),
            ],
            false,
        )?;
        let j: serde_json::Value =
            serde_json::from_str(&ns.cmd("bridge", ["-j", "vlan", "tunnelshow"])?)?;
        let t = j[0]["tunnels"].as_array().context("tunnels")?;
        ensure!(j[0]["ifname"] == "vx0" && t.len() == 2, "{j}");
        ensure!(t[0]["vlan"] == 100 && t[0]["tunid"] == 1000, "{j}");
        ensure!(t[1]["vlan"] == 200 && t[1]["vlanEnd"] == 210, "{j}");
        ensure!(t[1]["tunid"] == 2000 && t[1]["tunidEnd"] == 2010, "{j}");
        // bridge's, read by us.
        ns.cmd(
            "bridge",
            [
                "vlan",
                "add",
                "dev",
                "vx0",
                "vid",
                "300",
                "tunnel_info",
                "id",
                "3000",
            ],
        )?;
        let vx0 = h.link_by_name("vx0")?.index;
        let list = h.bridge_vlan_tunnel_list()?;
        let (_, ts) = list.iter().find(|(i, _)| *i == vx0).context("vx0")?;
        ensure!(ts.contains(&VlanTunnel::new(300, 3000)), "{ts:?}");
        ensure!(ts.contains(&VlanTunnel::range(200, 210, 2000)), "{ts:?}");
        // Removed by us, gone for bridge.
        h.bridge_vlan_tunnel_del("vx0", &[VlanTunnel::new(100, 1000)], false)?;
        let text = ns.cmd("bridge", ["vlan", "tunnelshow"])?;
        ensure!(!text.contains("1000"), "{text}");
        // A VLAN the port does not carry is refused by the kernel.
        ensure!(
            h.bridge_vlan_tunnel_add("vx0", &[VlanTunnel::new(999, 9)], false)
                .is_err()
        );
        Ok(())
    });
}

#[test]
fn nl_bridge_vlan_tunnelshow_prints_what_bridge_prints() {
    in_netns("nl_bridge_vlan_tunnelshow", |ns| {
        setup(ns)?;
        nl("vlan add dev vx0 vid 100 tunnel_info id 1000")?;
        nl("vlan add dev vx0 vid 200-210 tunnel_info id 2000-2010")?;
        for args in ["vlan tunnelshow", "vlan tunnelshow dev vx0"] {
            let theirs = ns.cmd("bridge", args.split_whitespace())?;
            let ours = nl(args)?;
            ensure!(
                theirs == ours,
                "bridge {args}\n--- bridge:\n{theirs}--- nl:\n{ours}---"
            );
            let jargs = format!("-j {args}");
            let theirs: serde_json::Value =
                serde_json::from_str(&ns.cmd("bridge", jargs.split_whitespace())?)?;
            let ours: serde_json::Value = serde_json::from_str(&nl(&jargs)?)?;
            ensure!(
                theirs == ours,
                "bridge {jargs}\n--- bridge:\n{theirs}\n--- nl:\n{ours}"
            );
        }
        nl("vlan del dev vx0 vid 100 tunnel_info id 1000")?;
        ensure!(!ns.cmd("bridge", ["vlan", "tunnelshow"])?.contains("1000"));
        let e = nl("vlan show")
            .err()
            .context("nl bridge vlan show worked")?;
        ensure!(
            format!("{e:#}").contains("\"show\" is not implemented"),
            "{e:#}"
        );
        Ok(())
    });
}
