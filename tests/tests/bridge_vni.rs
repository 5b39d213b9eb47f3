//! VXLAN VNI filtering (`bridge vni`): the library and `nl bridge vni`
//! against iproute2's `bridge` on the same namespace, both ways.

use anyhow::{Context, Result, ensure};
use netlink::nl_route::vni::VniEntry;
use netlink::{Handle, LinkId};
use netlink_tests::{Netns, in_netns};
use nl_tools::Tool;

fn nl(args: &str) -> Result<String> {
    let words: Vec<String> = args.split_whitespace().map(String::from).collect();
    let mut out = Vec::new();
    Tool::Bridge
        .run(&words, &mut out)
        .with_context(|| format!("nl bridge {args}"))?;
    Ok(String::from_utf8(out)?)
}

/// Two VNI-filtering VXLAN devices (one with an underlay device, which
/// multicast groups need).
fn setup(ns: &Netns) -> Result<Handle> {
    ns.cmd(
        "ip",
        ["link", "add", "d0", "type", "veth", "peer", "name", "d1"],
    )?;
    ns.cmd(
        "ip",
        [
            "link",
            "add",
            "vx0",
            "type",
            "vxlan",
            "dstport",
            "4789",
            "external",
            "vnifilter",
            "dev",
            "d0",
        ],
    )?;
    ns.cmd(
        "ip",
        [
            "link",
            "add",
            "vx1",
            "type",
            "vxlan",
            "dstport",
            "4790",
            "external",
            "vnifilter",
        ],
    )?;
    Ok(Handle::new()?)
}

#[test]
fn vnis_both_ways() {
    in_netns("bridge_vni_both_ways", |ns| {
        let h = setup(ns)?;
        // Ours, read by bridge.
        h.bridge_vni_add("vx0", &VniEntry::new(100))?;
        h.bridge_vni_add(
            "vx0",
            &VniEntry::range(200, 210).group("239.1.1.1".parse()?),
        )?;
        h.bridge_vni_add("vx0", &VniEntry::new(300).group("192.0.2.5".parse()?))?;
        h.bridge_vni_add("vx1", &VniEntry::new(5))?;
        let j: serde_json::Value = serde_json::from_str(&ns.cmd("bridge", ["-j", "vni", "show"])?)?;
        let vx0 = j
            .as_array()
            .and_then(|a| a.iter().find(|d| d["ifname"] == "vx0"))
            .context("vx0")?;
        let vnis = vx0["vnis"].as_array().context("vnis")?;
        ensure!(vnis.len() == 3, "{j}");
        ensure!(
            vnis[1]["vni"] == 200 && vnis[1]["vniEnd"] == 210 && vnis[1]["group"] == "239.1.1.1",
            "{j}"
        );
        ensure!(vnis[2]["remote"] == "192.0.2.5", "{j}");
        // bridge's, read by us.
        ns.cmd("bridge", ["vni", "add", "dev", "vx1", "vni", "7000-7010"])?;
        let list = h.bridge_vni_list(None, false)?;
        let vx1 = h.link_by_name("vx1")?.index;
        let f = list
            .iter()
            .find(|f| f.ifindex == vx1)
            .context("vx1's filter")?;
        ensure!(
            f.entries
                .iter()
                .any(|e| e.vni == 7000 && e.vni_end == Some(7010)),
            "{f:?}"
        );
        // One device, with counters.
        let only = h.bridge_vni_list(Some(LinkId::Name("vx1".into())), true)?;
        ensure!(only.iter().all(|f| f.ifindex == vx1), "{only:?}");
        ensure!(
            only.iter()
                .flat_map(|f| &f.entries)
                .all(|e| e.stats.is_some())
        );
        // Deleted by us, gone for bridge.
        h.bridge_vni_del("vx0", &VniEntry::range(200, 210))?;
        let text = ns.cmd("bridge", ["vni", "show", "dev", "vx0"])?;
        ensure!(!text.contains("200-210"), "{text}");
        // Bad input is refused before sending, a plain VXLAN by the kernel.
        ensure!(h.bridge_vni_add("vx0", &VniEntry::new(1 << 24)).is_err());
        ensure!(h.bridge_vni_add("d0", &VniEntry::new(5)).is_err());
        Ok(())
    });
}

#[test]
fn nl_bridge_vni_prints_what_bridge_prints() {
    in_netns("nl_bridge_vni_prints", |ns| {
        setup(ns)?;
        nl("vni add dev vx0 vni 100")?;
        nl("vni add dev vx0 vni 200-210 group 239.1.1.1")?;
        nl("vni add dev vx0 vni 300 remote 192.0.2.5")?;
        ns.cmd("bridge", ["vni", "add", "dev", "vx1", "vni", "5"])?;
        for args in ["vni show", "vni show dev vx1", "-s vni show dev vx1", "vni"] {
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
        nl("vni del dev vx0 vni 100")?;
        ensure!(
            !ns.cmd("bridge", ["vni", "show", "dev", "vx0"])?
                .contains(" 100 ")
        );
        for (args, word) in [
            ("vni add dev vx0", "required"),
            ("vni add dev vx0 vni 9 group 192.0.2.1", "multicast"),
            ("vni show bogus extra", "extra"),
        ] {
            let e = nl(args)
                .err()
                .with_context(|| format!("nl bridge {args} worked"))?;
            ensure!(format!("{e:#}").contains(word), "{args}: {e:#}");
        }
        Ok(())
    });
}
