//! Conformance with iproute2 on the same namespace, both ways: what `ip`
//! creates we read as `ip -j -d` reports it, and what we create `ip` reads
//! as we asked. The JSON rendering is nl-tools' own (`ip -j`).

use nl_tools::json;

use anyhow::{Context, Result, bail, ensure};
use netlink::nl_route::kind::{Bridge, Macvlan, MacvlanMode, Vxlan};
use netlink::{Addr, BridgePort, Handle, Link, LinkKind, LinkSet};
use netlink_tests::{Netns, in_netns};
use serde_json::Value;

/// Keys `ip` prints that this library does not produce, and why.
const NOT_OURS: &[&str] = &[];

fn same(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x.as_f64() == y.as_f64(),
        _ => a == b,
    }
}

/// Every key of `theirs` (recursively) must be in `ours` with the same value.
fn compare(path: &str, theirs: &Value, ours: &Value, diffs: &mut Vec<String>) {
    match (theirs, ours) {
        (Value::Object(t), Value::Object(o)) => {
            for (k, tv) in t {
                let p = format!("{path}.{k}");
                if NOT_OURS.contains(&k.as_str()) {
                    continue;
                }
                match o.get(k) {
                    Some(ov) => compare(&p, tv, ov, diffs),
                    None => diffs.push(format!("{p}: ip has {tv}, we have nothing")),
                }
            }
        }
        (Value::Array(t), Value::Array(o)) if t.len() == o.len() => {
            for (i, (tv, ov)) in t.iter().zip(o).enumerate() {
                compare(&format!("{path}[{i}]"), tv, ov, diffs);
            }
        }
        _ if same(theirs, ours) => {}
        _ => diffs.push(format!("{path}: ip has {theirs}, we have {ours}")),
    }
}

/// Compares every link and every address of the namespace with `ip -j`.
fn conform(ns: &Netns, h: &Handle) -> Result<usize> {
    netlink_tests::settled(|| conform_once(ns, h))
}

fn conform_once(ns: &Netns, h: &Handle) -> Result<usize> {
    let links = h.link_list()?;
    let names: json::Names = links
        .iter()
        .map(|l| (l.index, (l.name.clone(), l.flags)))
        .collect();
    let theirs = ns.ip_json(["-d", "link", "show"])?;
    let theirs = theirs.as_array().context("array")?;
    ensure!(
        theirs.len() == links.len(),
        "ip lists {} links, we {}",
        theirs.len(),
        links.len()
    );
    let mut diffs = Vec::new();
    for t in theirs {
        let index = t["ifindex"].as_u64().context("ifindex")?;
        let ours = links
            .iter()
            .find(|l| u64::from(l.index) == index)
            .with_context(|| format!("link {index}"))?;
        compare(
            &format!("link {}", ours.name),
            t,
            &json::link(ours, &names, true, false),
            &mut diffs,
        );
    }
    let addrs = h.addr_list(None, 0)?;
    let theirs = ns.ip_json(["addr", "show"])?;
    let mut n_addrs = 0;
    for t in theirs.as_array().context("array")? {
        let index = t["ifindex"].as_u64().context("ifindex")?;
        let l = links
            .iter()
            .find(|l| u64::from(l.index) == index)
            .context("link")?;
        let mine: Vec<&Addr> = addrs
            .iter()
            .filter(|a| u64::from(a.index) == index)
            .collect();
        n_addrs += mine.len();
        compare(
            &format!("addr {}", l.name),
            t,
            &json::addr_show(l, &mine, &names),
            &mut diffs,
        );
    }
    if !diffs.is_empty() {
        bail!("{} differences:\n{}", diffs.len(), diffs.join("\n"));
    }
    Ok(links.len() + n_addrs)
}

#[test]
fn ip_creates_library_reads() {
    in_netns("ip_creates_library_reads", |ns| {
        for cmd in [
            "link set lo up",
            "link add v0 type veth peer name v1",
            "link add br0 type bridge forward_delay 700 hello_time 150 stp_state 1 priority 8192 mcast_snooping 0 group_fwd_mask 0x4000",
            "link set v0 master br0",
            "link set v0 type bridge_slave cost 9 hairpin on guard on learning off isolated on neigh_suppress on",
            "link add vx0 type vxlan id 42 remote 198.51.100.7 local 192.0.2.1 dev v1 dstport 4789 ttl 16 nolearning srcport 40000 41000 ageing 60 maxaddress 100 df set",
            "link add vx1 type vxlan id 43 group 239.1.1.1 dev v1 dstport 8472 tos inherit l2miss",
            "link add mv0 link v1 type macvlan mode bridge",
            "link add mv1 link v1 type macvlan mode vepa",
            "link add mvt0 link v1 type macvtap mode private",
            "link add i0 type ifb",
            "link set v1 alias hello mtu 1400 txqueuelen 77 group 5 up",
            "link set i0 addrgenmode none",
            "link property add dev i0 altname ifb-with-a-long-alternative-name",
            "addr add 192.0.2.5/24 brd + dev v1 label v1:x",
            "addr add 192.0.2.6/24 dev v1",
            "addr add 198.51.100.1 peer 198.51.100.2/32 dev v1 scope link",
            "addr add 2001:db8::5/64 dev v1 nodad",
            "addr add 2001:db8:1::5/64 dev v1 nodad valid_lft 900 preferred_lft 600 noprefixroute",
            "addr add 203.0.113.9/32 dev lo metric 50",
        ] {
            ns.ip(cmd.split(' '))?;
        }
        let h = Handle::new()?;
        let checked = conform(ns, &h)?;
        // 10 links and at least 8 addresses (more once IPv6 link-locals appear).
        ensure!(checked >= 18, "compared {checked} objects");
        Ok(())
    });
}

#[test]
fn library_creates_ip_reads() {
    in_netns("library_creates_ip_reads", |ns| {
        let h = Handle::new()?;
        h.link_set_up("lo")?;
        h.link_add(&Link::new("v0").kind(LinkKind::veth("v1")))?;
        let bridge = Bridge {
            forward_delay: Some(700),
            hello_time: Some(150),
            stp_state: Some(1),
            priority: Some(8192),
            mcast_snooping: Some(false),
            ..Bridge::default()
        };
        h.link_add(&Link::new("br0").kind(LinkKind::Bridge(bridge)))?;
        h.link_set_master("v0", "br0")?;
        h.link_set_bridge_port(
            "v0",
            BridgePort {
                cost: Some(9),
                hairpin: Some(true),
                isolated: Some(true),
                ..BridgePort::default()
            },
        )?;
        let v1 = h.link_by_name("v1")?;
        let vx = Vxlan {
            id: Some(42),
            group: Some("198.51.100.7".parse()?),
            local: Some("192.0.2.1".parse()?),
            link: Some(v1.index),
            port: Some(4789),
            ttl: Some(16),
            learning: Some(false),
            ..Vxlan::default()
        };
        h.link_add(&Link::new("vx0").kind(LinkKind::Vxlan(vx)))?;
        let mv = Macvlan {
            mode: Some(MacvlanMode::Bridge),
            ..Macvlan::default()
        };
        h.link_add(&Link::new("mv0").link(v1.index).kind(LinkKind::Macvlan(mv)))?;
        h.link_add(&Link::new("i0").kind(LinkKind::Ifb))?;
        h.link_set(
            &LinkSet::new(v1.index)
                .mtu(1400)
                .txqlen(77)
                .group(5)
                .alias("hello")
                .up(),
        )?;
        let mut a: Addr = "192.0.2.5/24".parse()?;
        a.broadcast = a.computed_broadcast();
        a.label = Some("v1:x".into());
        h.addr_add("v1", &a)?;
        let mut p: Addr = "198.51.100.1/32".parse()?;
        p.peer = Some("198.51.100.2".parse()?);
        p.scope = netlink::Scope::Link;
        h.addr_add("v1", &p)?;
        h.addr_add("v1", &"2001:db8::5/64".parse()?)?;

        // What ip reads is what we asked for...
        let j = ns.ip_json(["-d", "link", "show", "br0"])?;
        let d = &j[0]["linkinfo"]["info_data"];
        ensure!(
            d["forward_delay"] == 700 && d["hello_time"] == 150 && d["stp_state"] == 1,
            "{d}"
        );
        ensure!(d["priority"] == 8192 && d["mcast_snooping"] == 0, "{d}");
        let j = ns.ip_json(["-d", "link", "show", "v0"])?;
        let s = &j[0]["linkinfo"]["info_slave_data"];
        ensure!(
            j[0]["master"] == "br0"
                && s["cost"] == 9
                && s["hairpin"] == true
                && s["isolated"] == true,
            "{s}"
        );
        let j = ns.ip_json(["-d", "link", "show", "vx0"])?;
        let d = &j[0]["linkinfo"]["info_data"];
        ensure!(
            d["id"] == 42 && d["remote"] == "198.51.100.7" && d["link"] == "v1" && d["ttl"] == 16,
            "{d}"
        );
        let j = ns.ip_json(["link", "show", "v1"])?;
        ensure!(
            j[0]["mtu"] == 1400
                && j[0]["txqlen"] == 77
                && j[0]["group"] == "5"
                && j[0]["ifalias"] == "hello"
        );
        let j = ns.ip_json(["addr", "show", "v1"])?;
        let infos = j[0]["addr_info"].as_array().context("addr_info")?;
        ensure!(infos.iter().any(|i| i["local"] == "192.0.2.5"
            && i["label"] == "v1:x"
            && i["broadcast"] == "192.0.2.255"));
        ensure!(
            infos
                .iter()
                .any(|i| i["local"] == "198.51.100.1" && i["address"] == "198.51.100.2")
        );
        // ...and everything else matches key by key.
        conform(ns, &h)?;
        Ok(())
    });
}
