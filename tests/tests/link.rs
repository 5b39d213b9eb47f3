//! Links through the facade against the real kernel: every kind this
//! kernel has, created, read back field by field, changed and deleted,
//! each test in a private namespace.

use anyhow::{Context, Result, ensure};
use netlink::nl_route::kind::{Bridge, Macvlan, MacvlanMode, PortRange, Veth, Vxlan};
use netlink::{
    BridgePort, ErrorKind, Handle, HwAddr, Link, LinkDump, LinkFlags, LinkKind, OperState,
    SlaveInfo,
};
use netlink_tests::{in_netns, need_feature, packet_promisc, settled};

fn veth(h: &Handle, name: &str, peer: &str) -> Result<Link> {
    need_feature(
        h.link_add(&Link::new(name).with_kind(LinkKind::veth(peer)))
            .map_err(into_sock),
        "veth",
    )?;
    Ok(h.link_by_name(name)?)
}

/// The facade error as the nl-sock error the harness classifies.
fn into_sock(e: netlink::Error) -> nl_sock::Error {
    match e {
        netlink::Error::Netlink(e) => e,
        other => panic!("unexpected {other:?}"),
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
            .with_mtu(1450)
            .with_address(mac)
            .with_kind(LinkKind::Veth(Veth::with_peer(peer)));
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
        // The peer namespace: a second thread parked in its own netns.
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
        let result = (|| -> Result<()> {
            let h = Handle::new()?;
            let ns_file = std::fs::File::open(&path)?;
            use std::os::fd::AsRawFd;
            let peer = Link::new("far").with_netns(netlink::Netns::Fd(ns_file.as_raw_fd()));
            let link = Link::new("near").with_kind(LinkKind::Veth(Veth::with_peer(peer)));
            need_feature(h.link_add(&link).map_err(into_sock), "veth")?;
            let near = h.link_by_name("near")?;
            ensure!(
                near.link_netnsid.is_some(),
                "peer lives in another namespace"
            );
            ensure!(h.link_by_name("far").unwrap_err().is_not_found());
            let other = Handle::in_netns(&path)?;
            let far = other.link_by_name("far")?;
            ensure!(far.parent == Some(near.index) || far.parent.is_some());
            let _ = ns;
            Ok(())
        })();
        done_tx.send(())?;
        parked
            .join()
            .map_err(|_| anyhow::anyhow!("parked thread panicked"))??;
        result
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
                    .with_address(mac)
                    .with_kind(LinkKind::Bridge(settings.clone())),
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
            h.link_add(&Link::new("vx0").with_kind(LinkKind::Vxlan(vx.clone())))
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
        h.link_add(&Link::new("vx6").with_kind(LinkKind::Vxlan(vx6.clone())))?;
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
                .with_parent(lower.index)
                .with_kind(LinkKind::Macvlan(mv));
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
                .with_parent(lower2.index)
                .with_kind(LinkKind::Macvlan(pt)),
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
                    .with_parent(lower3.index)
                    .with_kind(LinkKind::Macvtap(tap)),
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
            h.link_add(&Link::new("ifb9").with_kind(LinkKind::Ifb))
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
            .link_add(&Link::new("dup0").with_kind(LinkKind::veth("dup2")))
            .unwrap_err();
        ensure!(e.kind() == ErrorKind::Exists && e.is_exists(), "{e:?}");
        // too long: refused before any syscall
        let e = h
            .link_add(&Link::new("sixteen-chars-xx").with_kind(LinkKind::Ifb))
            .unwrap_err();
        ensure!(
            e.kind() == ErrorKind::Invalid && matches!(e, netlink::Error::Route(_)),
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
        need_feature(
            h.link_add(&Link::new("vbr0").with_kind(LinkKind::Bridge(settings)))
                .map_err(into_sock),
            "bridge",
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
