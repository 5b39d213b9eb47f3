//! Links through the facade against the real kernel: every kind this
//! kernel has, created, read back field by field, changed and deleted,
//! each test in a private namespace.

use anyhow::{Context, Result, ensure};
use netlink::nl_route::kind::{Bridge, Macvlan, MacvlanMode, PeerDefaults, PortRange, Veth, Vxlan};
use netlink::nl_route::link::NameAssignType;
use netlink::{
    BridgePort, ErrorKind, Handle, HwAddr, Link, LinkDump, LinkFlags, LinkKind, LinkSet, OperState,
    SlaveInfo,
};
use netlink_tests::{Netns, in_netns, need_feature, packet_promisc, settled};

fn veth(h: &Handle, name: &str, peer: &str) -> Result<Link> {
    need_feature(
        h.link_add(&Link::new(name).kind(LinkKind::veth(peer)))
            .map_err(into_sock),
        "veth",
    )?;
    Ok(h.link_by_name(name)?)
}

/// The facade error as the nl-sock error the harness classifies.
fn into_sock(e: netlink::Error) -> nl_sock::Error {
    match e.netlink() {
        Some(inner) => inner.clone(),
        None => panic!("unexpected {e:?}"),
    }
}

#[test]
fn veth_pair_created_read_and_deleted() {
    in_netns("veth_pair_created_read_and_deleted", |_| {
        let h = Handle::new()?;
        let mac: HwAddr = "02:00:00:00:00:0a".parse()?;
        let peer = Link {
            mtu: Some(1400),
            address: Some("02:00:00:00:00:0b".parse()?),
            ..Link::new("vb")
        };
        let link = Link::new("va")
            .mtu(1450)
            .address(mac)
            .kind(LinkKind::Veth(Veth::with_peer(peer)));
        need_feature(h.link_add(&link).map_err(into_sock), "veth")?;
        let a = h.link_by_name("va")?;
        let b = h.link_by_name("vb")?;
        ensure!(a.kind_name() == Some("veth") && b.kind_name() == Some("veth"));
        ensure!(
            a.mtu == Some(1450) && b.mtu == Some(1400),
            "{:?} {:?}",
            a.mtu,
            b.mtu
        );
        ensure!(a.address == Some(mac));
        ensure!(b.address.map(|x| x.to_string()).as_deref() == Some("02:00:00:00:00:0b"));
        ensure!(
            a.parent == Some(b.index) && b.parent == Some(a.index),
            "peers point at each other"
        );
        ensure!(a.link_type == 1, "ARPHRD_ETHER");
        ensure!(a.operstate == Some(OperState::Down));
        ensure!(a.min_mtu == Some(68) && a.max_mtu.is_some());
        ensure!(a.num_tx_queues.is_some() && a.num_rx_queues.is_some() && a.txqlen == Some(1000));
        ensure!(a.stats.is_some() && a.promiscuity == Some(0) && a.allmulti == Some(0));
        ensure!(a.carrier == Some(false) && a.carrier_changes.is_some());
        ensure!(a.gso_max_size.is_some() && a.tso_max_size.is_some() && a.gro_max_size.is_some());
        ensure!(a.qdisc.as_deref() == Some("noop"));
        h.link_del("va")?;
        let gone = h.link_by_name("vb").unwrap_err();
        ensure!(
            gone.is_not_found(),
            "deleting one end deletes both: {gone:?}"
        );
        Ok(())
    });
}

#[test]
fn veth_peer_in_another_namespace() {
    in_netns("veth_peer_in_another_namespace", |ns| {
        with_second_netns(|path| {
            let h = Handle::new()?;
            let ns_file = std::fs::File::open(path)?;
            use std::os::fd::AsRawFd;
            let mac: HwAddr = "02:00:00:00:0f:01".parse()?;
            let peer = Link::new("far")
                .address(mac)
                .netns(netlink::Netns::Fd(ns_file.as_raw_fd()));
            let link = Link {
                txqlen: Some(500),
                ..Link::new("near")
                    .mtu(1400)
                    .kind(LinkKind::Veth(Veth::with_peer(peer)))
            };
            let made = need_feature(h.link_add(&link).map_err(into_sock), "veth")?;
            let near = h.link_by_name("near")?;
            ensure!(made.index == near.index && made.name == "near");
            ensure!(
                near.link_netnsid.is_some(),
                "peer lives in another namespace"
            );
            ensure!(h.link_by_name("far").unwrap_err().is_not_found());
            let other = Handle::in_netns(path)?;
            let far = other.link_by_name("far")?;
            ensure!(far.parent == Some(near.index), "{far:?}");
            ensure!(near.parent == Some(far.index), "{near:?}");
            // The peer took its address, and the primary's MTU and queue length.
            ensure!(far.address == Some(mac) && far.mtu == Some(1400) && far.txqlen == Some(500));
            let net = format!("--net={path}");
            let j: serde_json::Value = serde_json::from_str(&ns.cmd(
                "nsenter",
                [net.as_str(), "ip", "-j", "-d", "link", "show", "dev", "far"],
            )?)?;
            ensure!(
                j[0]["mtu"] == 1400 && j[0]["txqlen"] == 500 && j[0]["address"] == mac.to_string(),
                "{j}"
            );
            Ok(())
        })
    });
}

#[test]
fn bridge_settings_and_ports() {
    in_netns("bridge_settings_and_ports", |ns| {
        let h = Handle::new()?;
        let settings = Bridge {
            forward_delay: Some(800),
            hello_time: Some(300),
            max_age: Some(1500),
            ageing_time: Some(12000),
            stp_state: Some(1),
            priority: Some(0x1000),
            group_fwd_mask: Some(0x8),
            mcast_snooping: Some(false),
            mcast_querier: Some(true),
            mcast_hash_max: Some(1024),
            mcast_igmp_version: Some(3),
            mcast_mld_version: Some(2),
            nf_call_iptables: Some(false),
            group_addr: Some("01:80:c2:00:00:08".parse()?),
            ..Bridge::default()
        };
        let mac: HwAddr = "02:00:00:00:01:00".parse()?;
        need_feature(
            h.link_add(
                &Link::new("br0")
                    .address(mac)
                    .kind(LinkKind::Bridge(settings.clone())),
            )
            .map_err(into_sock),
            "bridge",
        )?;
        let br = h.link_by_name("br0")?;
        let Some(LinkKind::Bridge(got)) = &br.kind else {
            anyhow::bail!("not a bridge: {:?}", br.kind)
        };
        ensure!(
            got.forward_delay == Some(800)
                && got.hello_time == Some(300)
                && got.max_age == Some(1500)
        );
        ensure!(
            got.ageing_time == Some(12000)
                && got.stp_state == Some(1)
                && got.priority == Some(0x1000)
        );
        ensure!(got.group_fwd_mask == Some(0x8));
        ensure!(got.mcast_snooping == Some(false) && got.mcast_querier == Some(true));
        ensure!(got.mcast_hash_max == Some(1024) && got.mcast_igmp_version == Some(3));
        ensure!(got.mcast_mld_version == Some(2));
        ensure!(got.group_addr == settings.group_addr);
        ensure!(got.info.bridge_id.map(|id| id.priority) == Some(0x1000));
        ensure!(got.info.bridge_id.map(|id| id.addr) == Some([2, 0, 0, 0, 1, 0]));
        // ip sees the same
        let j = ns.ip_json(["-d", "link", "show", "br0"])?;
        let data = &j[0]["linkinfo"]["info_data"];
        ensure!(
            data["forward_delay"] == 800 && data["stp_state"] == 1 && data["priority"] == 4096,
            "{data}"
        );
        ensure!(
            data["bridge_id"] == "1000.2:0:0:0:1:0" && data["group_fwd_mask"] == "0x8",
            "{data}"
        );

        // A port: enslave, set port options through IFLA_PROTINFO, read both ways.
        veth(&h, "p0", "p0peer")?;
        h.link_set_master("p0", "br0")?;
        let port = BridgePort {
            cost: Some(42),
            priority: Some(7),
            hairpin: Some(true),
            guard: Some(true),
            root_block: Some(true),
            fast_leave: Some(true),
            learning: Some(false),
            unicast_flood: Some(false),
            proxyarp: Some(true),
            mcast_flood: Some(false),
            bcast_flood: Some(false),
            neigh_suppress: Some(true),
            isolated: Some(true),
            mcast_to_ucast: Some(true),
            ..BridgePort::default()
        };
        h.link_set_bridge_port("p0", port.clone())?;
        let p0 = h.link_by_name("p0")?;
        ensure!(p0.master == Some(br.index));
        let Some(SlaveInfo::Bridge(got)) = &p0.slave else {
            anyhow::bail!("no bridge slave data: {:?}", p0.slave)
        };
        for (name, want, have) in [
            ("hairpin", port.hairpin, got.hairpin),
            ("guard", port.guard, got.guard),
            ("root_block", port.root_block, got.root_block),
            ("fast_leave", port.fast_leave, got.fast_leave),
            ("learning", port.learning, got.learning),
            ("unicast_flood", port.unicast_flood, got.unicast_flood),
            ("proxyarp", port.proxyarp, got.proxyarp),
            ("mcast_flood", port.mcast_flood, got.mcast_flood),
            ("bcast_flood", port.bcast_flood, got.bcast_flood),
            ("neigh_suppress", port.neigh_suppress, got.neigh_suppress),
            ("isolated", port.isolated, got.isolated),
            ("mcast_to_ucast", port.mcast_to_ucast, got.mcast_to_ucast),
        ] {
            ensure!(want == have, "{name}: set {want:?}, read {have:?}");
        }
        ensure!(got.cost == Some(42) && got.priority == Some(7));
        // the AF_BRIDGE view (bridge link show)
        let ports = h.bridge_port_list(false)?;
        let bp = ports
            .iter()
            .find(|l| l.name == "p0")
            .context("p0 in AF_BRIDGE dump")?;
        let info = bp.bridge_port.as_ref().context("protinfo")?;
        ensure!(info.hairpin == Some(true) && info.cost == Some(42) && info.isolated == Some(true));
        let bj = ns.cmd("bridge", ["-j", "-d", "link", "show", "dev", "p0"])?;
        let bj: serde_json::Value = serde_json::from_str(&bj)?;
        ensure!(
            bj[0]["hairpin"] == true && bj[0]["cost"] == 42 && bj[0]["isolated"] == true,
            "{bj}"
        );
        // filtered dump by master, kernel side
        let members = h.link_list_filtered(&LinkDump {
            master: Some(br.index),
            ..LinkDump::default()
        })?;
        ensure!(members.len() == 1 && members[0].name == "p0", "{members:?}");
        h.link_set_nomaster("p0")?;
        ensure!(h.link_by_name("p0")?.master.is_none());
        Ok(())
    });
}

#[test]
fn vxlan_settings() {
    in_netns("vxlan_settings", |ns| {
        let h = Handle::new()?;
        let under = veth(&h, "u0", "u1")?;
        let vx = Vxlan {
            id: Some(4242),
            group: Some("198.51.100.7".parse()?),
            local: Some("192.0.2.1".parse()?),
            link: Some(under.index),
            ttl: Some(16),
            tos: Some(0x10),
            learning: Some(false),
            ageing: Some(120),
            limit: Some(500),
            port: Some(4789),
            port_range: Some(PortRange {
                low: 40000,
                high: 41000,
            }),
            udp_csum: Some(true),
            gbp: Some(true),
            df: Some(1),
            l2miss: Some(true),
            proxy: Some(true),
            ..Vxlan::default()
        };
        need_feature(
            h.link_add(&Link::new("vx0").kind(LinkKind::Vxlan(vx.clone())))
                .map_err(into_sock),
            "vxlan",
        )?;
        let got = h.link_by_name("vx0")?;
        let Some(LinkKind::Vxlan(v)) = &got.kind else {
            anyhow::bail!("{:?}", got.kind)
        };
        ensure!(v.id == vx.id && v.group == vx.group && v.local == vx.local && v.link == vx.link);
        ensure!(v.ttl == Some(16) && v.tos == Some(0x10) && v.learning == Some(false));
        ensure!(v.ageing == Some(120) && v.limit == Some(500) && v.port == Some(4789));
        ensure!(v.port_range == vx.port_range && v.udp_csum == Some(true) && v.gbp == Some(true));
        ensure!(v.df == Some(1) && v.l2miss == Some(true) && v.proxy == Some(true));
        let j = ns.ip_json(["-d", "link", "show", "vx0"])?;
        let d = &j[0]["linkinfo"]["info_data"];
        ensure!(
            d["id"] == 4242 && d["remote"] == "198.51.100.7" && d["port"] == 4789,
            "{d}"
        );
        // IPv6 multicast group on a device
        let vx6 = Vxlan {
            id: Some(7),
            group: Some("ff05::100".parse()?),
            link: Some(under.index),
            port: Some(8472),
            ..Vxlan::default()
        };
        h.link_add(&Link::new("vx6").kind(LinkKind::Vxlan(vx6.clone())))?;
        let Some(LinkKind::Vxlan(v)) = h.link_by_name("vx6")?.kind else {
            anyhow::bail!("not vxlan")
        };
        ensure!(v.group == vx6.group && v.port == Some(8472));
        Ok(())
    });
}

#[test]
fn macvlan_and_macvtap_modes() {
    in_netns("macvlan_and_macvtap_modes", |ns| {
        let h = Handle::new()?;
        let lower = veth(&h, "low0", "low1")?;
        for (i, mode) in [
            MacvlanMode::Private,
            MacvlanMode::Vepa,
            MacvlanMode::Bridge,
            MacvlanMode::Source,
        ]
        .into_iter()
        .enumerate()
        {
            let name = format!("mv{i}");
            let mut mv = Macvlan {
                mode: Some(mode),
                ..Macvlan::default()
            };
            if mode == MacvlanMode::Source {
                mv.macaddr_mode = Some(3); // MACVLAN_MACADDR_SET
                mv.source_macs = vec!["02:00:00:00:00:aa".parse()?, "02:00:00:00:00:bb".parse()?];
            }
            let link = Link::new(name.as_str())
                .link(lower.index)
                .kind(LinkKind::Macvlan(mv));
            need_feature(h.link_add(&link).map_err(into_sock), "macvlan")?;
            let got = h.link_by_name(&name)?;
            let Some(LinkKind::Macvlan(g)) = &got.kind else {
                anyhow::bail!("{:?}", got.kind)
            };
            ensure!(g.mode == Some(mode), "{name}: {:?}", g.mode);
            ensure!(got.parent == Some(lower.index));
            if mode == MacvlanMode::Source {
                ensure!(g.macaddr_count == Some(2), "{g:?}");
            }
            let j = ns.ip_json(["-d", "link", "show", &name])?;
            ensure!(
                j[0]["linkinfo"]["info_data"]["mode"] == mode.to_string(),
                "{}",
                j[0]["linkinfo"]
            );
        }
        // passthru with nopromisc on its own lower device
        let lower2 = veth(&h, "low2", "low3")?;
        let pt = Macvlan {
            mode: Some(MacvlanMode::Passthru),
            flags: Some(1),
            ..Macvlan::default()
        };
        h.link_add(
            &Link::new("mvpt")
                .link(lower2.index)
                .kind(LinkKind::Macvlan(pt)),
        )?;
        let Some(LinkKind::Macvlan(g)) = h.link_by_name("mvpt")?.kind else {
            anyhow::bail!("not macvlan")
        };
        ensure!(g.mode == Some(MacvlanMode::Passthru) && g.flags == Some(1));
        // macvtap
        let tap = Macvlan {
            mode: Some(MacvlanMode::Bridge),
            ..Macvlan::default()
        };
        let lower3 = veth(&h, "low4", "low5")?;
        need_feature(
            h.link_add(
                &Link::new("mvt0")
                    .link(lower3.index)
                    .kind(LinkKind::Macvtap(tap)),
            )
            .map_err(into_sock),
            "macvtap",
        )?;
        let got = h.link_by_name("mvt0")?;
        ensure!(got.kind_name() == Some("macvtap"), "{:?}", got.kind);
        Ok(())
    });
}

#[test]
fn ifb_and_unknown_kinds_are_kept() {
    in_netns("ifb_and_unknown_kinds_are_kept", |ns| {
        let h = Handle::new()?;
        need_feature(
            h.link_add(&Link::new("ifb9").kind(LinkKind::Ifb))
                .map_err(into_sock),
            "ifb",
        )?;
        let got = h.link_by_name("ifb9")?;
        ensure!(got.kind == Some(LinkKind::Ifb), "{:?}", got.kind);
        // A kind the library does not model (created with ip) is listed, raw.
        if ns.ip(["link", "add", "nlmon9", "type", "nlmon"]).is_ok() {
            let got = h.link_by_name("nlmon9")?;
            ensure!(got.kind_name() == Some("nlmon"), "{:?}", got.kind);
        }
        h.link_del("ifb9")?;
        Ok(())
    });
}

#[test]
fn common_attributes_set_and_read() {
    in_netns("common_attributes_set_and_read", |ns| {
        let h = Handle::new()?;
        let l = veth(&h, "c0", "c1")?;
        h.link_set_up("c1")?;
        h.link_set_up("c0")?;
        let up = h.link_by_name("c0")?;
        ensure!(up.flags.contains(LinkFlags::UP) && up.is_up());
        h.link_set_mtu("c0", 1280)?;
        h.link_set_txqlen("c0", 77)?;
        h.link_set_alias("c0", "uplink to nowhere")?;
        h.link_set_group("c0", 9)?;
        h.link_set_hwaddr("c0", "02:00:00:00:0c:01".parse()?)?;
        h.link_set_promisc("c0", true)?;
        h.link_set_allmulticast("c0", true)?;
        h.link_set_arp("c0", false)?;
        h.link_set_multicast("c0", false)?;
        let c = h.link_by_index(l.index)?;
        ensure!(c.mtu == Some(1280) && c.txqlen == Some(77) && c.group == Some(9));
        ensure!(c.alias.as_deref() == Some("uplink to nowhere"));
        ensure!(c.address.map(|a| a.to_string()).as_deref() == Some("02:00:00:00:0c:01"));
        ensure!(
            c.flags
                .contains(LinkFlags::PROMISC | LinkFlags::ALLMULTI | LinkFlags::NOARP)
        );
        ensure!(!c.flags.contains(LinkFlags::MULTICAST));
        ensure!(c.is_promiscuous() && c.promiscuity == Some(1));
        let j = ns.ip_json(["-d", "link", "show", "c0"])?;
        ensure!(
            j[0]["ifalias"] == "uplink to nowhere" && j[0]["group"] == "9" && j[0]["txqlen"] == 77,
            "{}",
            j[0]
        );
        // by alias (dump + filter, the kernel cannot look aliases up)
        ensure!(h.link_by_alias("uplink to nowhere")?.index == l.index);
        h.link_set_promisc("c0", false)?;
        h.link_set_allmulticast("c0", false)?;
        h.link_set_arp("c0", true)?;
        h.link_set_multicast("c0", true)?;
        h.link_set_down("c0")?;
        let c = h.link_by_index(l.index)?;
        ensure!(!c.flags.intersects(
            LinkFlags::PROMISC | LinkFlags::ALLMULTI | LinkFlags::NOARP | LinkFlags::UP
        ));
        ensure!(c.flags.contains(LinkFlags::MULTICAST));
        // rename
        h.link_set_name("c0", "renamed0")?;
        ensure!(h.link_by_index(l.index)?.name == "renamed0");
        ensure!(h.link_by_name("c0").unwrap_err().is_not_found());
        // alternative names: lookup by altname, including one longer than IFNAMSIZ
        h.link_add_altname("renamed0", "a-very-long-alternative-name")?;
        let by_alt = h.link_by_name("a-very-long-alternative-name")?;
        ensure!(by_alt.index == l.index && by_alt.alt_names == ["a-very-long-alternative-name"]);
        h.link_del_altname(l.index, "a-very-long-alternative-name")?;
        ensure!(h.link_by_index(l.index)?.alt_names.is_empty());
        Ok(())
    });
}

#[test]
fn promiscuity_counts_packet_sockets() {
    in_netns("promiscuity_counts_packet_sockets", |ns| {
        let h = Handle::new()?;
        let l = veth(&h, "pr0", "pr1")?;
        ensure!(!l.is_promiscuous() && l.promiscuity == Some(0));
        let first = packet_promisc(l.index)?;
        let second = packet_promisc(l.index)?;
        let got = h.link_by_index(l.index)?;
        ensure!(
            !got.flags.contains(LinkFlags::PROMISC),
            "a packet socket does not set IFF_PROMISC"
        );
        ensure!(
            got.promiscuity == Some(2) && got.is_promiscuous(),
            "{:?}",
            got.promiscuity
        );
        let j = ns.ip_json(["-d", "link", "show", "pr0"])?;
        ensure!(j[0]["promiscuity"] == 2, "{}", j[0]);
        drop(first);
        drop(second);
        // Another test thread may fork while the sockets are open; its child
        // holds them until it execs, so the count can drop a moment later.
        settled(|| {
            let got = h.link_by_index(l.index)?;
            ensure!(
                got.promiscuity == Some(0) && !got.is_promiscuous(),
                "{:?}",
                got.promiscuity
            );
            Ok(())
        })
    });
}

#[test]
fn bad_input_gives_clear_errors() {
    in_netns("bad_input_gives_clear_errors", |_| {
        let h = Handle::new()?;
        let e = h.link_by_name("nope0").unwrap_err();
        ensure!(
            e.is_not_found() && e.to_string() == "link \"nope0\" not found",
            "{e}"
        );
        veth(&h, "dup0", "dup1")?;
        let e = h
            .link_add(&Link::new("dup0").kind(LinkKind::veth("dup2")))
            .unwrap_err();
        ensure!(e.kind() == ErrorKind::Exists && e.is_exists(), "{e:?}");
        // too long: refused before any syscall
        let e = h
            .link_add(&Link::new("sixteen-chars-xx").kind(LinkKind::Ifb))
            .unwrap_err();
        ensure!(
            e.kind() == ErrorKind::Invalid && matches!(e.inner(), netlink::Error::Route(_)),
            "{e:?}"
        );
        ensure!(e.to_string().contains("longer than 15 bytes"), "{e}");
        // the kernel's own words on a refused request
        let e = h.link_set_mtu("dup0", 10).unwrap_err();
        ensure!(
            e.kind() == ErrorKind::Invalid && e.message().is_some(),
            "{e:?}"
        );
        Ok(())
    });
}

#[test]
fn bridge_vlan_filtering_and_port_vlans() {
    in_netns("bridge_vlan_filtering_and_port_vlans", |ns| {
        let h = Handle::new()?;
        let settings = Bridge {
            vlan_filtering: Some(true),
            vlan_protocol: Some(0x88a8),
            vlan_default_pvid: Some(7),
            vlan_stats_enabled: Some(true),
            ..Bridge::default()
        };
        // Without CONFIG_BRIDGE_VLAN_FILTERING the kernel refuses the
        // VLAN settings (EOPNOTSUPP) or ignores and omits them.
        need_feature(
            h.link_add(&Link::new("vbr0").kind(LinkKind::Bridge(settings))),
            "bridge VLAN filtering",
        )?;
        let Some(LinkKind::Bridge(got)) = h.link_by_name("vbr0")?.kind else {
            anyhow::bail!("not a bridge")
        };
        if got.vlan_filtering.is_none() {
            // CONFIG_BRIDGE_VLAN_FILTERING=n: the kernel ignores and omits these.
            return Err(netlink_tests::skip("kernel lacks bridge VLAN filtering"));
        }
        ensure!(got.vlan_filtering == Some(true) && got.vlan_protocol == Some(0x88a8));
        ensure!(got.vlan_default_pvid == Some(7) && got.vlan_stats_enabled == Some(true));
        veth(&h, "vp0", "vp1")?;
        h.link_set_master("vp0", "vbr0")?;
        use netlink::BridgeVlan;
        h.bridge_vlan_add(
            "vp0",
            &[BridgeVlan {
                pvid: true,
                untagged: true,
                ..BridgeVlan::new(10)
            }],
            false,
        )?;
        h.bridge_vlan_add(
            "vp0",
            &[BridgeVlan {
                vid: 100,
                vid_end: 110,
                pvid: false,
                untagged: false,
            }],
            false,
        )?;
        let ports = h.bridge_port_list(true)?;
        let p = ports.iter().find(|l| l.name == "vp0").context("vp0")?;
        ensure!(
            p.bridge_vlans
                .iter()
                .any(|v| v.vid == 10 && v.pvid && v.untagged),
            "{:?}",
            p.bridge_vlans
        );
        ensure!(
            p.bridge_vlans
                .iter()
                .any(|v| v.vid == 100 && v.vid_end == 110),
            "{:?}",
            p.bridge_vlans
        );
        // The default VLAN stays a member; only the PVID flag moved to vid 10.
        ensure!(
            p.bridge_vlans.iter().any(|v| v.vid == 7 && !v.pvid),
            "default vid 7 kept without pvid: {:?}",
            p.bridge_vlans
        );
        let bj: serde_json::Value =
            serde_json::from_str(&ns.cmd("bridge", ["-j", "vlan", "show", "dev", "vp0"])?)?;
        ensure!(
            bj.to_string().contains("\"vlan\":10,") && bj.to_string().contains("\"vlan\":110"),
            "{bj}"
        );
        h.bridge_vlan_del(
            "vp0",
            &[BridgeVlan {
                vid: 100,
                vid_end: 110,
                pvid: false,
                untagged: false,
            }],
            false,
        )?;
        let ports = h.bridge_port_list(true)?;
        let p = ports.iter().find(|l| l.name == "vp0").context("vp0")?;
        ensure!(
            !p.bridge_vlans.iter().any(|v| v.vid == 100),
            "{:?}",
            p.bridge_vlans
        );
        Ok(())
    });
}

/// Runs `body` with the path of a second private namespace, held by a
/// parked thread for as long as `body` runs.
fn with_second_netns(body: impl FnOnce(&str) -> Result<()>) -> Result<()> {
    let (tx, rx) = std::sync::mpsc::channel();
    let (done_tx, done_rx) = std::sync::mpsc::channel::<()>();
    let parked = std::thread::spawn(move || -> Result<()> {
        nix::sched::unshare(nix::sched::CloneFlags::CLONE_NEWNET)?;
        tx.send(format!(
            "/proc/{}/task/{}/ns/net",
            std::process::id(),
            nix::unistd::gettid()
        ))?;
        let _ = done_rx.recv();
        Ok(())
    });
    let path = rx.recv()?;
    let result = body(&path);
    done_tx.send(())?;
    parked
        .join()
        .map_err(|_| anyhow::anyhow!("parked thread panicked"))??;
    result
}

/// The kernel's `name_assign_type` of a link, from a sysfs mounted for
/// this namespace in a private mount namespace (the host's /sys shows
/// another network namespace; netlink does not carry this). `None` for
/// `NET_NAME_UNKNOWN`, which the kernel refuses to show (EINVAL).
fn sysfs_name_assign_type(ns: &Netns, name: &str) -> Result<Option<u8>> {
    let file = format!("/sys/class/net/{name}/name_assign_type");
    let script = format!(
        "mount -t sysfs sysfs /sys && test -e {file} && {{ cat {file} 2>/dev/null || echo unknown; }}"
    );
    let out = ns.cmd("unshare", ["-m", "sh", "-c", &script])?;
    match out.trim() {
        "unknown" => Ok(None),
        n => Ok(Some(n.parse()?)),
    }
}

/// `ip -j -d link show NAME`, its one object.
fn ip_link(ns: &Netns, name: &str) -> Result<serde_json::Value> {
    let j = ns.ip_json(["-d", "link", "show", "dev", name])?;
    j.get(0).cloned().context("ip printed no link")
}

/// Whether `name` is the kernel's `kind%d` numbering.
fn enumerated(kind: &str, name: &str) -> bool {
    name.strip_prefix(kind)
        .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
}

#[test]
fn link_add_returns_the_link_the_kernel_made() {
    in_netns("link_add_returns_the_link_the_kernel_made", |ns| {
        let h = Handle::new()?;
        // Named: the kernel's view, the same ip sees.
        let link = Link::new("ra0").mtu(1400).kind(LinkKind::veth("ra1"));
        let made = need_feature(h.link_add(&link).map_err(into_sock), "veth")?;
        let read = h.link_by_name("ra0")?;
        ensure!(
            made.index == read.index && made.index > 0,
            "{made} / {read}"
        );
        ensure!(made.name == "ra0" && made.mtu == Some(1400) && made.kind_name() == Some("veth"));
        ensure!(made.parent == read.parent && made.address == read.address);
        ensure!(made.name_assign_type == Some(NameAssignType::User));
        let j = ip_link(ns, "ra0")?;
        ensure!(j["ifindex"] == made.index && j["mtu"] == 1400, "{j}");
        ensure!(
            sysfs_name_assign_type(ns, "ra0")? == Some(3),
            "NET_NAME_USER"
        );

        // Unnamed: the kernel numbers the kind's template.
        let made = h.link_add(&Link::default().kind(LinkKind::Ifb))?;
        ensure!(enumerated("ifb", &made.name), "{made}");
        ensure!(made.name_assign_type == Some(NameAssignType::Enum));
        let j = ip_link(ns, &made.name)?;
        ensure!(
            j["ifindex"] == made.index && j["linkinfo"]["info_kind"] == "ifb",
            "{j}"
        );
        ensure!(
            sysfs_name_assign_type(ns, &made.name)? == Some(1),
            "NET_NAME_ENUM"
        );
        let second = h.link_add(&Link::default().kind(LinkKind::Ifb))?;
        ensure!(second.index != made.index && second.name != made.name);

        // A template of the caller's is a user name to the kernel.
        let made = h.link_add(&Link::new("tpl%d").kind(LinkKind::Ifb))?;
        ensure!(made.name == "tpl0", "{made}");
        ensure!(made.name_assign_type == Some(NameAssignType::User));
        ensure!(
            sysfs_name_assign_type(ns, "tpl0")? == Some(3),
            "NET_NAME_USER"
        );

        // A tun/tap is numbered by its driver (TUNSETIFF), which records
        // every name as unknown.
        let made = h.link_add(&Link::default().kind(LinkKind::tap()))?;
        ensure!(enumerated("tap", &made.name), "{made}");
        ensure!(made.name_assign_type == Some(NameAssignType::Unknown));
        ensure!(sysfs_name_assign_type(ns, &made.name)?.is_none());
        ensure!(ip_link(ns, &made.name)?["ifindex"] == made.index);

        // Both ends of a pair unnamed: the primary comes back (its MTU
        // tells it from the peer).
        let veth = Veth::with_peer(Link::default().mtu(1300));
        let made = h.link_add(&Link::default().mtu(1450).kind(LinkKind::Veth(veth)))?;
        ensure!(
            enumerated("veth", &made.name) && made.mtu == Some(1450),
            "{made}"
        );
        let peer = h.link_by_index(made.parent.context("peer index")?)?;
        ensure!(
            enumerated("veth", &peer.name) && peer.mtu == Some(1300),
            "{peer}"
        );
        ensure!(peer.parent == Some(made.index));
        Ok(())
    });
}

#[test]
fn link_add_applies_what_creation_leaves_out() {
    in_netns("link_add_applies_what_creation_leaves_out", |ns| {
        let h = Handle::new()?;
        let br = h.link_add(&Link::new("cbr0").kind(LinkKind::bridge()))?;
        // The kernel sets the master after it echoes the new link.
        let link = Link {
            alias: Some("made with an alias".into()),
            alt_names: vec!["created-with-an-altname".into()],
            ..Link::new("cr0")
                .master(br.index)
                .kind(LinkKind::veth("cr1"))
        };
        let made = need_feature(h.link_add(&link).map_err(into_sock), "veth")?;
        ensure!(made.master == Some(br.index), "{made:?}");
        ensure!(made.alias.as_deref() == Some("made with an alias"));
        ensure!(made.alt_names == ["created-with-an-altname"]);
        let j = ip_link(ns, "cr0")?;
        ensure!(
            j["master"] == "cbr0" && j["ifalias"] == "made with an alias",
            "{j}"
        );
        ensure!(j["altnames"][0] == "created-with-an-altname", "{j}");
        // A setting the device refuses: no success, and nothing left behind.
        let link = Link {
            protodown: Some(true),
            ..Link::new("pd0").kind(LinkKind::veth("pd1"))
        };
        let e = h.link_add(&link).unwrap_err();
        ensure!(e.kind() == ErrorKind::NotSupported, "{e:?}");
        ensure!(h.link_by_name("pd0").unwrap_err().is_not_found());
        ensure!(ns.ip(["link", "show", "dev", "pd1"]).is_err());
        Ok(())
    });
}

#[test]
fn link_add_into_another_namespace_returns_it_from_there() {
    in_netns(
        "link_add_into_another_namespace_returns_it_from_there",
        |_| {
            with_second_netns(|path| {
                use std::os::fd::AsRawFd;
                let h = Handle::new()?;
                let there = Handle::in_netns(path)?;
                let file = std::fs::File::open(path)?;
                let netns = netlink::Netns::Fd(file.as_raw_fd());
                // The kernel echoes into the namespace of the new link, so
                // these are read back from there.
                let made = h.link_add(&Link::new("far0").kind(LinkKind::Ifb).netns(netns))?;
                let far = there.link_by_name("far0")?;
                ensure!(made.index == far.index && made.name == "far0", "{made}");
                ensure!(h.link_by_name("far0").unwrap_err().is_not_found());
                let made = h.link_add(&Link::default().kind(LinkKind::Ifb).netns(netns))?;
                ensure!(enumerated("ifb", &made.name), "{made}");
                ensure!(made.name_assign_type == Some(NameAssignType::Enum));
                let far = there.link_by_index(made.index)?;
                ensure!(far.name == made.name, "{far} / {made}");
                Ok(())
            })
        },
    );
}

#[test]
fn setters_refuse_what_the_kernel_would_silently_ignore() {
    in_netns(
        "setters_refuse_what_the_kernel_would_silently_ignore",
        |ns| {
            let h = Handle::new()?;
            let l = veth(&h, "s0", "s1")?;
            // Why: the kernel answers an empty IFLA_IFNAME with success and
            // keeps the name (do_setlink renames only on a non-empty one).
            let mut raw = Vec::new();
            {
                use netlink::nl_route::uapi::if_link::IFLA_IFNAME;
                use netlink::nl_route::uapi::rtnetlink::RTM_NEWLINK;
                use netlink::nl_route::uapi::types::IfInfoMsg;
                use netlink::nl_wire::netlink::{NLM_F_ACK, NLM_F_REQUEST};
                let mut m = netlink::nl_wire::MsgBuilder::new(
                    &mut raw,
                    RTM_NEWLINK,
                    NLM_F_REQUEST | NLM_F_ACK,
                );
                m.header(&IfInfoMsg {
                    ifi_index: i32::try_from(l.index)?.into(),
                    ..IfInfoMsg::default()
                });
                m.put_str(IFLA_IFNAME, "");
                m.finish()?;
            }
            h.route_request(&mut raw)?;
            ensure!(
                h.link_by_index(l.index)?.name == "s0",
                "the kernel kept the name"
            );

            let invalid = |r: netlink::Result<()>, field: &str| -> Result<()> {
                match r {
                    Err(e)
                        if matches!(e.inner(), netlink::Error::Route(netlink::nl_route::Error::Invalid {
                            field: f,
                            ..
                        }) if *f == field) => {}
                    other => anyhow::bail!("{field}: not refused: {other:?}"),
                }
                Ok(())
            };
            invalid(h.link_set_name(l.index, ""), "name")?;
            invalid(h.link_set_name("s0", ""), "name")?;
            ensure!(ip_link(ns, "s0")?["ifindex"] == l.index);
            invalid(h.link_add_altname("s0", ""), "altname")?;
            ensure!(h.link_by_name("s0")?.alt_names.is_empty());
            ensure!(ip_link(ns, "s0")?.get("altnames").is_none());
            invalid(h.link_set_master("s0", 0u32), "master")?;
            // Index 0 with a group would change every link of the group.
            invalid(h.link_set(&LinkSet::new(0u32).group(0).mtu(1300)), "link")?;
            invalid(h.link_set_group(0u32, 0), "link")?;
            for link in h.link_list()? {
                ensure!(link.mtu != Some(1300), "{link} changed");
            }
            Ok(())
        },
    );
}

#[test]
fn setters_the_kernel_answers_for() {
    in_netns("setters_the_kernel_answers_for", |ns| {
        let h = Handle::new()?;
        let l = veth(&h, "k0", "k1")?;
        // MTU 0: the kernel's own refusal, nothing changed.
        let e = h.link_set_mtu("k0", 0).unwrap_err();
        ensure!(
            e.kind() == ErrorKind::Invalid && e.message().is_some(),
            "{e:?}"
        );
        ensure!(h.link_by_index(l.index)?.mtu == Some(1500));
        // txqueuelen 0 is a length: no queue.
        h.link_set_txqlen("k0", 0)?;
        ensure!(h.link_by_index(l.index)?.txqlen == Some(0));
        let j = ip_link(ns, "k0")?;
        ensure!(j.get("txqlen").is_none_or(|q| q == 0), "{j}");
        // An empty alias clears it, whoever set it, as with ip.
        h.link_set_alias("k0", "first")?;
        ensure!(ip_link(ns, "k0")?["ifalias"] == "first");
        h.link_set_alias("k0", "")?;
        ensure!(h.link_by_index(l.index)?.alias.is_none());
        ensure!(ip_link(ns, "k0")?.get("ifalias").is_none());
        ns.ip(["link", "set", "dev", "k0", "alias", "second"])?;
        ensure!(h.link_by_index(l.index)?.alias.as_deref() == Some("second"));
        h.link_set_alias("k0", "")?;
        ensure!(ip_link(ns, "k0")?.get("ifalias").is_none());
        h.link_set_alias("k0", "third")?;
        ns.ip(["link", "set", "dev", "k0", "alias", ""])?;
        ensure!(h.link_by_index(l.index)?.alias.is_none());
        // An empty hardware address: the kernel's EINVAL, address kept.
        let e = h
            .link_set_hwaddr("k0", HwAddr::new(&[]).context("empty")?)
            .unwrap_err();
        ensure!(e.errno() == Some(nl_sock::Errno::EINVAL), "{e:?}");
        ensure!(h.link_by_index(l.index)?.address == l.address);
        // Group 0 is the default group, set like any other.
        h.link_set_group("k0", 5)?;
        h.link_set_group("k0", 0)?;
        ensure!(h.link_by_index(l.index)?.group == Some(0));
        ensure!(ip_link(ns, "k0")?["group"] == "default");
        // A pid with no process: the kernel's ESRCH, not "link not found".
        let e = h.link_set_netns_pid("k0", 0).unwrap_err();
        ensure!(
            e.errno() == Some(nl_sock::Errno::ESRCH)
                && matches!(e.inner(), netlink::Error::Netlink(_)),
            "{e:?}"
        );
        ensure!(h.link_by_index(l.index)?.name == "k0");
        Ok(())
    });
}

/// MTU, txqueuelen and queue counts of a link, as ip prints them.
fn ip_queues(ns: &Netns, name: &str) -> Result<(u64, u64, u64, u64)> {
    let j = ip_link(ns, name)?;
    let n = |k: &str| j[k].as_u64().with_context(|| format!("{k} in {j}"));
    Ok((
        n("mtu")?,
        n("txqlen")?,
        n("num_tx_queues")?,
        n("num_rx_queues")?,
    ))
}

#[test]
fn veth_peer_gets_the_primarys_mtu_txqlen_and_queues() {
    in_netns("veth_peer_gets_the_primarys_mtu_txqlen_and_queues", |ns| {
        let h = Handle::new()?;
        let primary = |name: &str, peer: Veth| Link {
            txqlen: Some(500),
            num_tx_queues: Some(3),
            num_rx_queues: Some(5),
            ..Link::new(name).mtu(1400).kind(LinkKind::Veth(peer))
        };
        // By default, as the Go library: the peer matches the primary.
        let made = need_feature(
            h.link_add(&primary("qa0", Veth::with_peer(Link::new("qa1"))))
                .map_err(into_sock),
            "veth",
        )?;
        let peer = h.link_by_name("qa1")?;
        for l in [&made, &peer] {
            ensure!(l.mtu == Some(1400) && l.txqlen == Some(500), "{l}");
            ensure!(
                l.num_tx_queues == Some(3) && l.num_rx_queues == Some(5),
                "{l:?}"
            );
        }
        ensure!(ip_queues(ns, "qa0")? == (1400, 500, 3, 5));
        ensure!(ip_queues(ns, "qa1")? == (1400, 500, 3, 5));
        // The peer's own settings win.
        let own = Link {
            txqlen: Some(10),
            ..Link::new("qb1").mtu(9000)
        };
        h.link_add(&primary("qb0", Veth::with_peer(own)))?;
        ensure!(ip_queues(ns, "qb1")? == (9000, 10, 3, 5));
        ensure!(ip_queues(ns, "qb0")? == (1400, 500, 3, 5));
        // PeerDefaults::Kernel is what ip does: compare with ip's own pair.
        let kernel = Veth::with_peer(Link::new("qc1")).peer_defaults(PeerDefaults::Kernel);
        h.link_add(&primary("qc0", kernel))?;
        ns.ip([
            "link",
            "add",
            "name",
            "ipc0",
            "mtu",
            "1400",
            "txqueuelen",
            "500",
            "numtxqueues",
            "3",
            "numrxqueues",
            "5",
            "type",
            "veth",
            "peer",
            "name",
            "ipc1",
        ])?;
        let ours = ip_queues(ns, "qc1")?;
        ensure!(ours == ip_queues(ns, "ipc1")?, "{ours:?}");
        ensure!(
            ours.0 == 1500 && ours.1 == 1000,
            "kernel defaults: {ours:?}"
        );
        ensure!(ip_queues(ns, "qc0")? == ip_queues(ns, "ipc0")?);
        // And ip's own pair reads the same through the library.
        let ipc1 = h.link_by_name("ipc1")?;
        let qc1 = h.link_by_name("qc1")?;
        ensure!((ipc1.mtu, ipc1.txqlen) == (qc1.mtu, qc1.txqlen));
        ensure!((ipc1.num_tx_queues, ipc1.num_rx_queues) == (qc1.num_tx_queues, qc1.num_rx_queues));
        // No peer at all: the kernel copies the primary itself.
        let made = h.link_add(&primary("qd0", Veth::default()))?;
        let peer = h.link_by_index(made.parent.context("peer")?)?;
        ensure!(enumerated("veth", &peer.name), "{peer}");
        ensure!(ip_queues(ns, &peer.name)? == (1400, 500, 3, 5));
        Ok(())
    });
}
