//! The remaining link kinds through the facade against the real kernel:
//! each created in a private namespace, read back field by field, compared
//! with `ip -j -d link show`, changed where the kernel allows, deleted.
//!
//! Kinds this machine's kernel lacks (vlan, bond, vrf, the GRE family,
//! ipip, sit, ip6tnl, geneve, ipvlan, wireguard, xfrm, dummy) skip here
//! through `need_feature` and run in the VM tier, whose Debian kernel has
//! them all (`NETLINK_TESTS_STRICT=1` turns a skip into a failure there).
//! tun/tap runs everywhere.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use anyhow::{Context, Result, bail, ensure};
use netlink::nl_route::kind::{
    AdSelect, Bond, BondMode, BondSlave, EncapType, FailOverMac, Geneve, GeneveDf, Gre, GreFlags,
    Ip6Tunnel, Ip6TunnelFlags, IpTunnel, Ipvlan, IpvlanFlags, IpvlanMode, LacpRate,
    PrimaryReselect, QosMapping, Tun, TunType, Vlan, VlanFlags, VlanProtocol, Vrf, VrfSlave, Xfrm,
    XmitHashPolicy,
};
use netlink::{ErrorKind, Handle, HwAddr, Link, LinkFlags, LinkKind, LinkSet, SlaveInfo};
use netlink_tests::{Netns, in_netns, need_feature, skip};
use serde_json::Value;

/// Creates `link`, turning "this kernel lacks the kind" into a skip, and
/// reads it back; what `link_add` returned must be that same link.
fn create(h: &Handle, link: &Link, feature: &str) -> Result<Link> {
    let made = need_feature(h.link_add(link), feature)?;
    let read = h.link_by_name(&link.name)?;
    ensure!(
        made.index == read.index && made.name == read.name && made.kind_name() == read.kind_name(),
        "link_add returned {made} for {read}"
    );
    Ok(read)
}

fn veth(h: &Handle, name: &str, peer: &str) -> Result<Link> {
    create(h, &Link::new(name).kind(LinkKind::veth(peer)), "veth")
}

fn dummy(h: &Handle, name: &str, mac: &str) -> Result<Link> {
    let link = Link::new(name).address(mac.parse()?).kind(LinkKind::Dummy);
    create(h, &link, "dummy")
}

/// `ip -j -d link show NAME`, the link's object.
fn ip_link(ns: &Netns, name: &str) -> Result<Value> {
    let j = ns.ip_json(["-d", "link", "show", "dev", name])?;
    j.get(0).cloned().context("ip printed no link")
}

/// `linkinfo.info_data` of `ip -j -d link show NAME`.
fn ip_data(ns: &Netns, name: &str) -> Result<Value> {
    let link = ip_link(ns, name)?;
    ensure!(link["linkinfo"]["info_data"].is_object(), "{link}");
    Ok(link["linkinfo"]["info_data"].clone())
}

/// The link's kind settings, or a failure naming what it was instead.
macro_rules! kind_of {
    ($link:expr, $variant:path) => {
        match &$link.kind {
            Some($variant(k)) => k.clone(),
            other => bail!(
                "{}: expected {}, got {other:?}",
                $link.name,
                stringify!($variant)
            ),
        }
    };
}

/// The kernel adds its own capability bits (`IP6_TNL_F_CAP_*`, from bit
/// 16) to ip6 tunnels' flags; compare the UAPI ones.
fn uapi_ip6_flags(f: Option<Ip6TunnelFlags>) -> Option<u32> {
    f.map(|f| f.bits() & 0xffff)
}

#[test]
fn dummy_created_read_and_deleted() {
    in_netns("dummy_created_read_and_deleted", |ns| {
        let h = Handle::new()?;
        let link = Link::new("d0")
            .mtu(1400)
            .address("02:00:00:00:0d:01".parse()?)
            .kind(LinkKind::Dummy);
        let got = create(&h, &link, "dummy")?;
        ensure!(got.kind == Some(LinkKind::Dummy), "{:?}", got.kind);
        ensure!(got.mtu == Some(1400) && got.address == link.address);
        ensure!(ip_link(ns, "d0")?["linkinfo"]["info_kind"] == "dummy");
        h.link_del("d0")?;
        ensure!(h.link_by_name("d0").unwrap_err().is_not_found());
        Ok(())
    });
}

#[test]
fn vlan_8021ad_and_8021q_with_flags_and_qos_maps() {
    in_netns("vlan_8021ad_and_8021q_with_flags_and_qos_maps", |ns| {
        let h = Handle::new()?;
        let lower = veth(&h, "vl0", "vl1")?;
        let ingress = vec![QosMapping { from: 1, to: 2 }, QosMapping { from: 4, to: 5 }];
        let mut egress = vec![QosMapping { from: 3, to: 5 }, QosMapping { from: 6, to: 1 }];
        let ad = Vlan {
            id: Some(100),
            protocol: Some(VlanProtocol::Dot1Ad),
            flags: Some(VlanFlags::REORDER_HDR | VlanFlags::LOOSE_BINDING),
            ingress_qos: ingress.clone(),
            egress_qos: egress.clone(),
            ..Vlan::default()
        };
        let link = Link::new("v100").link(lower.index).kind(LinkKind::Vlan(ad));
        let got = create(&h, &link, "vlan (8021q)")?;
        let v = kind_of!(got, LinkKind::Vlan);
        ensure!(got.parent == Some(lower.index), "{:?}", got.parent);
        ensure!(
            v.id == Some(100) && v.protocol == Some(VlanProtocol::Dot1Ad),
            "{v:?}"
        );
        ensure!(
            v.flags == Some(VlanFlags::REORDER_HDR | VlanFlags::LOOSE_BINDING),
            "{:?}",
            v.flags
        );
        // The kernel lists ingress by tag priority, egress by hash bucket.
        let mut got_egress = v.egress_qos.clone();
        got_egress.sort();
        egress.sort();
        ensure!(v.ingress_qos == ingress, "{:?}", v.ingress_qos);
        ensure!(got_egress == egress, "{:?}", v.egress_qos);
        let d = ip_data(ns, "v100")?;
        ensure!(d["protocol"] == "802.1ad" && d["id"] == 100, "{d}");
        let flags = d["flags"].to_string();
        ensure!(
            flags.contains("REORDER_HDR") && flags.contains("LOOSE_BINDING"),
            "{d}"
        );
        ensure!(
            d["ingress_qos"][0]["from"] == 1 && d["ingress_qos"][0]["to"] == 2,
            "{d}"
        );

        // 802.1Q (the default protocol) without header reordering
        let q = Vlan {
            flags: Some(VlanFlags::GVRP | VlanFlags::MVRP | VlanFlags::BRIDGE_BINDING),
            ..kind_vlan(200)
        };
        let got = create(
            &h,
            &Link::new("v200").link(lower.index).kind(LinkKind::Vlan(q)),
            "vlan (8021q)",
        )?;
        let v = kind_of!(got, LinkKind::Vlan);
        ensure!(v.protocol == Some(VlanProtocol::Dot1Q), "{v:?}");
        ensure!(
            v.flags == Some(VlanFlags::GVRP | VlanFlags::MVRP | VlanFlags::BRIDGE_BINDING),
            "{:?}",
            v.flags
        );
        let d = ip_data(ns, "v200")?;
        ensure!(d["protocol"] == "802.1Q" && d["id"] == 200, "{d}");
        // Change one flag only, through its mask.
        h.link_set(&LinkSet::new("v200").kind(LinkKind::Vlan(Vlan {
            flags: Some(VlanFlags::REORDER_HDR),
            flags_mask: Some(VlanFlags::REORDER_HDR),
            ..Vlan::default()
        })))?;
        let v = kind_of!(h.link_by_name("v200")?, LinkKind::Vlan);
        ensure!(
            v.flags
                == Some(
                    VlanFlags::GVRP
                        | VlanFlags::MVRP
                        | VlanFlags::BRIDGE_BINDING
                        | VlanFlags::REORDER_HDR
                ),
            "{:?}",
            v.flags
        );
        h.link_del("v100")?;
        h.link_del("v200")?;
        Ok(())
    });
}

fn kind_vlan(id: u16) -> Vlan {
    match LinkKind::vlan(id) {
        LinkKind::Vlan(v) => v,
        _ => Vlan::default(),
    }
}

#[test]
fn bond_active_backup_with_two_dummy_slaves() {
    in_netns("bond_active_backup_with_two_dummy_slaves", |ns| {
        let h = Handle::new()?;
        let d0 = dummy(&h, "bd0", "02:00:00:00:0b:01")?;
        let d1 = dummy(&h, "bd1", "02:00:00:00:0b:02")?;
        let arp: Vec<Ipv4Addr> = vec!["192.0.2.1".parse()?, "198.51.100.1".parse()?];
        let ns6: Vec<Ipv6Addr> = vec!["2001:db8::1".parse()?];
        let settings = Bond {
            mode: Some(BondMode::ActiveBackup),
            miimon: Some(100),
            updelay: Some(200),
            downdelay: Some(300),
            peer_notif_delay: Some(400),
            min_links: Some(1),
            xmit_hash_policy: Some(XmitHashPolicy::Layer34),
            resend_igmp: Some(3),
            num_peer_notif: Some(2),
            all_slaves_active: Some(true),
            lp_interval: Some(5),
            missed_max: Some(3),
            primary: Some(d1.index),
            primary_reselect: Some(PrimaryReselect::Better),
            fail_over_mac: Some(FailOverMac::Active),
            arp_ip_target: Some(arp.clone()),
            ns_ip6_target: Some(ns6.clone()),
            ..Bond::default()
        };
        let bond = create(
            &h,
            &Link::new("bond0").kind(LinkKind::Bond(settings)),
            "bonding",
        )?;
        let b = kind_of!(bond, LinkKind::Bond);
        ensure!(b.mode == Some(BondMode::ActiveBackup), "{b:?}");
        ensure!(b.miimon == Some(100) && b.updelay == Some(200), "{b:?}");
        ensure!(
            b.downdelay == Some(300) && b.peer_notif_delay == Some(400),
            "{b:?}"
        );
        ensure!(b.min_links == Some(1) && b.xmit_hash_policy == Some(XmitHashPolicy::Layer34));
        ensure!(
            b.resend_igmp == Some(3) && b.num_peer_notif == Some(2),
            "{b:?}"
        );
        ensure!(
            b.all_slaves_active == Some(true) && b.lp_interval == Some(5),
            "{b:?}"
        );
        ensure!(b.missed_max == Some(3), "{b:?}");
        ensure!(b.primary_reselect == Some(PrimaryReselect::Better), "{b:?}");
        ensure!(b.fail_over_mac == Some(FailOverMac::Active), "{b:?}");
        ensure!(
            b.arp_ip_target.as_ref() == Some(&arp),
            "{:?}",
            b.arp_ip_target
        );
        ensure!(
            b.ns_ip6_target.as_ref() == Some(&ns6),
            "{:?}",
            b.ns_ip6_target
        );
        ensure!(
            b.use_carrier.is_some() && b.arp_interval == Some(0),
            "{b:?}"
        );
        // 802.3ad settings are reported in 802.3ad mode only.
        ensure!(
            b.ad_actor_sys_prio.is_none() && b.ad_info.is_none(),
            "{b:?}"
        );

        // two slaves
        h.link_set_master("bd0", "bond0")?;
        h.link_set_master("bd1", "bond0")?;
        let b = kind_of!(h.link_by_name("bond0")?, LinkKind::Bond);
        ensure!(
            b.primary == Some(d1.index),
            "primary once enslaved: {:?}",
            b.primary
        );
        for (dev, mac) in [(&d0, "02:00:00:00:0b:01"), (&d1, "02:00:00:00:0b:02")] {
            let got = h.link_by_index(dev.index)?;
            ensure!(got.master == Some(bond.index), "{:?}", got.master);
            let Some(SlaveInfo::Bond(s)) = &got.slave else {
                bail!("{}: no bond slave info: {:?}", got.name, got.slave)
            };
            ensure!(s.state.is_some() && s.mii_status.is_some(), "{s:?}");
            ensure!(
                s.link_failure_count.is_some() && s.queue_id == Some(0),
                "{s:?}"
            );
            ensure!(s.perm_hwaddr == Some(mac.parse()?), "{s:?}");
            let j = ip_link(ns, &got.name)?;
            let sd = &j["linkinfo"]["info_slave_data"];
            ensure!(j["linkinfo"]["info_slave_kind"] == "bond", "{j}");
            ensure!(
                s.state.map(|x| x.to_string()).as_deref() == sd["state"].as_str()
                    && s.mii_status.map(|x| x.to_string()).as_deref() == sd["mii_status"].as_str(),
                "{s:?} vs {sd}"
            );
        }
        // slave settings: queue id and priority
        h.link_set(&LinkSet::new("bd1").slave(SlaveInfo::Bond(BondSlave {
            queue_id: Some(2),
            prio: Some(5),
            ..BondSlave::default()
        })))?;
        let Some(SlaveInfo::Bond(s)) = h.link_by_name("bd1")?.slave else {
            bail!("bd1 lost its slave info")
        };
        ensure!(s.queue_id == Some(2) && s.prio == Some(5), "{s:?}");
        ensure!(ip_link(ns, "bd1")?["linkinfo"]["info_slave_data"]["queue_id"] == 2);

        let d = ip_data(ns, "bond0")?;
        ensure!(d["mode"] == "active-backup" && d["miimon"] == 100, "{d}");
        ensure!(d["updelay"] == 200 && d["downdelay"] == 300, "{d}");
        ensure!(
            d["xmit_hash_policy"] == "layer3+4" && d["min_links"] == 1,
            "{d}"
        );
        ensure!(
            d["fail_over_mac"] == "active" && d["primary"] == "bd1",
            "{d}"
        );
        ensure!(
            d["arp_ip_target"] == serde_json::json!(["192.0.2.1", "198.51.100.1"]),
            "{d}"
        );

        // a change through LinkSet
        h.link_set(&LinkSet::new("bond0").kind(LinkKind::Bond(Bond {
            min_links: Some(2),
            ..Bond::default()
        })))?;
        let b = kind_of!(h.link_by_name("bond0")?, LinkKind::Bond);
        ensure!(b.min_links == Some(2), "{b:?}");
        h.link_del("bond0")?;
        ensure!(
            h.link_by_name("bd0")?.master.is_none(),
            "slaves are released"
        );
        Ok(())
    });
}

#[test]
fn bond_8023ad_settings() {
    in_netns("bond_8023ad_settings", |ns| {
        let h = Handle::new()?;
        let system: HwAddr = "02:00:00:00:00:99".parse()?;
        let settings = Bond {
            mode: Some(BondMode::Lacp),
            miimon: Some(100),
            ad_lacp_rate: Some(LacpRate::Fast),
            ad_select: Some(AdSelect::Bandwidth),
            ad_actor_sys_prio: Some(100),
            ad_user_port_key: Some(5),
            ad_actor_system: Some(system),
            ad_lacp_active: Some(true),
            xmit_hash_policy: Some(XmitHashPolicy::Layer23),
            ..Bond::default()
        };
        let bond = create(
            &h,
            &Link::new("bond1").kind(LinkKind::Bond(settings)),
            "bonding",
        )?;
        let b = kind_of!(bond, LinkKind::Bond);
        ensure!(b.mode == Some(BondMode::Lacp), "{b:?}");
        ensure!(b.ad_lacp_rate == Some(LacpRate::Fast), "{b:?}");
        ensure!(b.ad_select == Some(AdSelect::Bandwidth), "{b:?}");
        ensure!(b.ad_actor_sys_prio == Some(100) && b.ad_user_port_key == Some(5));
        ensure!(b.ad_actor_system == Some(system), "{b:?}");
        ensure!(b.ad_lacp_active == Some(true), "{b:?}");
        ensure!(b.xmit_hash_policy == Some(XmitHashPolicy::Layer23), "{b:?}");
        let d = ip_data(ns, "bond1")?;
        ensure!(d["mode"] == "802.3ad" && d["ad_lacp_rate"] == "fast", "{d}");
        ensure!(d["ad_select"] == "bandwidth", "{d}");
        // an enslaved dummy in 802.3ad mode
        dummy(&h, "bd2", "02:00:00:00:0b:03")?;
        h.link_set_master("bd2", "bond1")?;
        let Some(SlaveInfo::Bond(s)) = h.link_by_name("bd2")?.slave else {
            bail!("no bond slave info")
        };
        ensure!(s.state.is_some() && s.mii_status.is_some(), "{s:?}");
        h.link_del("bond1")?;
        Ok(())
    });
}

#[test]
fn vrf_with_a_table_and_a_port() {
    in_netns("vrf_with_a_table_and_a_port", |ns| {
        let h = Handle::new()?;
        let port = veth(&h, "vr0", "vr1")?;
        let vrf = create(&h, &Link::new("blue").kind(LinkKind::vrf(1001)), "vrf")?;
        ensure!(
            kind_of!(vrf, LinkKind::Vrf) == Vrf { table: Some(1001) },
            "{:?}",
            vrf.kind
        );
        ensure!(ip_data(ns, "blue")?["table"] == 1001);
        h.link_set_master(port.index, "blue")?;
        let got = h.link_by_index(port.index)?;
        ensure!(got.master == Some(vrf.index), "{:?}", got.master);
        ensure!(
            got.slave == Some(SlaveInfo::Vrf(VrfSlave { table: Some(1001) })),
            "{:?}",
            got.slave
        );
        let j = ip_link(ns, "vr0")?;
        ensure!(
            j["linkinfo"]["info_slave_kind"] == "vrf"
                && j["linkinfo"]["info_slave_data"]["table"] == 1001,
            "{j}"
        );
        // The VRF's routes live in its table: the port's connected route
        // lands there, and so does a route added to table 1001.
        h.link_set_up("blue")?;
        h.link_set_up("vr0")?;
        h.link_set_up("vr1")?;
        h.addr_add("vr0", &"192.0.2.1/24".parse()?)?;
        let r = netlink::Route::new("198.51.100.0/24".parse()?)
            .via("192.0.2.2".parse()?)
            .dev(port.index)
            .table(1001);
        h.route_add(&r)?;
        let table = |t: u32| -> Result<Vec<String>> {
            let routes = netlink_tests::settled(|| {
                let routes = h.route_list_filtered(&netlink::RouteDump {
                    family: netlink::AF_INET,
                    table: Some(t),
                    ..netlink::RouteDump::default()
                })?;
                ensure!(t != 1001 || routes.len() >= 2, "{routes:?}");
                Ok(routes)
            })?;
            Ok(routes.iter().map(|r| r.dst_string()).collect())
        };
        let vrf_routes = table(1001)?;
        ensure!(
            vrf_routes.contains(&"192.0.2.0/24".to_string())
                && vrf_routes.contains(&"198.51.100.0/24".to_string()),
            "table 1001: {vrf_routes:?}"
        );
        ensure!(
            !table(254)?.contains(&"192.0.2.0/24".to_string()),
            "the port's connected route must not be in main"
        );
        let ip_routes = ns.ip_json(["route", "show", "vrf", "blue"])?;
        ensure!(
            ip_routes
                .as_array()
                .is_some_and(|a| a.iter().any(|r| r["dst"] == "198.51.100.0/24")),
            "ip route show vrf blue: {ip_routes}"
        );
        h.link_del("blue")?;
        Ok(())
    });
}

#[test]
fn gre_and_gretap() {
    in_netns("gre_and_gretap", |ns| {
        let h = Handle::new()?;
        let gre = Gre {
            local: Some("192.0.2.1".parse()?),
            remote: Some("198.51.100.2".parse()?),
            ttl: Some(64),
            tos: Some(0x10),
            pmtudisc: Some(true),
            iflags: Some(GreFlags::KEY | GreFlags::CSUM),
            oflags: Some(GreFlags::KEY | GreFlags::SEQ),
            ikey: Some(42),
            okey: Some(43),
            fwmark: Some(7),
            ignore_df: Some(false),
            ..Gre::default()
        };
        let got = create(
            &h,
            &Link::new("gre1").kind(LinkKind::Gre(gre.clone())),
            "ip_gre",
        )?;
        let g = kind_of!(got, LinkKind::Gre);
        ensure!(g.local == gre.local && g.remote == gre.remote, "{g:?}");
        ensure!(g.ttl == Some(64) && g.tos == Some(0x10) && g.pmtudisc == Some(true));
        ensure!(g.iflags == gre.iflags && g.oflags == gre.oflags, "{g:?}");
        ensure!(g.ikey == Some(42) && g.okey == Some(43), "{g:?}");
        ensure!(g.fwmark == Some(7) && g.ignore_df == Some(false), "{g:?}");
        ensure!(g.encap_type == Some(EncapType::None) && g.collect_metadata.is_none());
        let d = ip_data(ns, "gre1")?;
        ensure!(
            d["local"] == "192.0.2.1" && d["remote"] == "198.51.100.2" && d["ttl"] == 64,
            "{d}"
        );

        let tap = Gre {
            ttl: Some(32),
            ..Gre::between("192.0.2.1".parse()?, "198.51.100.3".parse()?).key(9)
        };
        let mac: HwAddr = "02:00:00:00:0e:01".parse()?;
        let got = create(
            &h,
            &Link::new("gretap1")
                .address(mac)
                .kind(LinkKind::GreTap(tap.clone())),
            "ip_gre",
        )?;
        let g = kind_of!(got, LinkKind::GreTap);
        ensure!(got.link_type == 1 && got.address == Some(mac), "Ethernet");
        ensure!(g.remote == tap.remote && g.ttl == Some(32), "{g:?}");
        ensure!(g.ikey == Some(9) && g.okey == Some(9), "{g:?}");
        ensure!(g.iflags.is_some_and(|f| f.contains(GreFlags::KEY)), "{g:?}");
        ensure!(ip_data(ns, "gretap1")?["remote"] == "198.51.100.3");

        // external (collect metadata) gretap
        let got = create(
            &h,
            &Link::new("gretapx").kind(LinkKind::GreTap(Gre {
                collect_metadata: Some(true),
                ..Gre::default()
            })),
            "ip_gre",
        )?;
        ensure!(kind_of!(got, LinkKind::GreTap).collect_metadata == Some(true));
        for name in ["gre1", "gretap1", "gretapx"] {
            h.link_del(name)?;
        }
        Ok(())
    });
}

#[test]
fn ip6gre_and_ip6gretap() {
    in_netns("ip6gre_and_ip6gretap", |ns| {
        let h = Handle::new()?;
        let gre = Gre {
            ttl: Some(64),
            encap_limit: Some(4),
            flowinfo: Some(0x0001_2345),
            flags: Some(Ip6TunnelFlags::USE_ORIG_TCLASS),
            fwmark: Some(9),
            ..Gre::between("2001:db8::1".parse()?, "2001:db8::2".parse()?).key(7)
        };
        let got = create(
            &h,
            &Link::new("ip6gre1").kind(LinkKind::Ip6Gre(gre.clone())),
            "ip6_gre",
        )?;
        let g = kind_of!(got, LinkKind::Ip6Gre);
        ensure!(g.local == gre.local && g.remote == gre.remote, "{g:?}");
        ensure!(g.ttl == Some(64) && g.encap_limit == Some(4), "{g:?}");
        ensure!(g.flowinfo == Some(0x0001_2345), "{g:?}");
        ensure!(
            uapi_ip6_flags(g.flags) == uapi_ip6_flags(gre.flags),
            "{g:?}"
        );
        ensure!(
            g.ikey == Some(7) && g.okey == Some(7) && g.fwmark == Some(9),
            "{g:?}"
        );
        let d = ip_data(ns, "ip6gre1")?;
        ensure!(
            d["local"] == "2001:db8::1" && d["remote"] == "2001:db8::2",
            "{d}"
        );

        let tap = LinkKind::gretap("2001:db8::1".parse()?, "2001:db8::3".parse()?);
        let got = create(&h, &Link::new("ip6gretap1").kind(tap), "ip6_gre")?;
        let g = kind_of!(got, LinkKind::Ip6GreTap);
        ensure!(g.remote == Some("2001:db8::3".parse()?), "{g:?}");
        ensure!(got.link_type == 1, "Ethernet");
        ensure!(ip_link(ns, "ip6gretap1")?["linkinfo"]["info_kind"] == "ip6gretap");
        h.link_del("ip6gre1")?;
        h.link_del("ip6gretap1")?;
        Ok(())
    });
}

#[test]
fn ipip_and_sit() {
    in_netns("ipip_and_sit", |ns| {
        let h = Handle::new()?;
        let ipip = IpTunnel {
            ttl: Some(32),
            tos: Some(0x20),
            pmtudisc: Some(true),
            proto: Some(4),
            fwmark: Some(3),
            ..IpTunnel::between("192.0.2.1".parse()?, "198.51.100.4".parse()?)
        };
        let got = create(
            &h,
            &Link::new("ipip1").kind(LinkKind::Ipip(ipip.clone())),
            "ipip",
        )?;
        let t = kind_of!(got, LinkKind::Ipip);
        ensure!(t.local == ipip.local && t.remote == ipip.remote, "{t:?}");
        ensure!(t.ttl == Some(32) && t.tos == Some(0x20) && t.pmtudisc == Some(true));
        ensure!(t.proto == Some(4) && t.fwmark == Some(3), "{t:?}");
        let d = ip_data(ns, "ipip1")?;
        ensure!(
            d["remote"] == "198.51.100.4" && d["local"] == "192.0.2.1",
            "{d}"
        );

        let sit = IpTunnel {
            ttl: Some(64),
            proto: Some(41),
            ip6rd_prefix: Some("2001:db8::".parse()?),
            ip6rd_prefixlen: Some(32),
            ip6rd_relay_prefix: Some(Ipv4Addr::UNSPECIFIED),
            ip6rd_relay_prefixlen: Some(0),
            ..IpTunnel::between("192.0.2.1".parse()?, "198.51.100.5".parse()?)
        };
        let got = create(
            &h,
            &Link::new("sit1").kind(LinkKind::Sit(sit.clone())),
            "sit",
        )?;
        let t = kind_of!(got, LinkKind::Sit);
        ensure!(t.local == sit.local && t.remote == sit.remote, "{t:?}");
        ensure!(
            t.ttl == Some(64) && t.proto == Some(41) && t.flags == Some(0),
            "{t:?}"
        );
        ensure!(
            t.ip6rd_prefix == sit.ip6rd_prefix && t.ip6rd_prefixlen == Some(32),
            "{t:?}"
        );
        ensure!(
            t.ip6rd_relay_prefix == Some(Ipv4Addr::UNSPECIFIED)
                && t.ip6rd_relay_prefixlen == Some(0),
            "{t:?}"
        );
        let d = ip_data(ns, "sit1")?;
        ensure!(d["remote"] == "198.51.100.5", "{d}");
        h.link_del("ipip1")?;
        h.link_del("sit1")?;
        Ok(())
    });
}

#[test]
fn ip6tnl() {
    in_netns("ip6tnl", |ns| {
        let h = Handle::new()?;
        let tnl = Ip6Tunnel {
            ttl: Some(40),
            encap_limit: Some(5),
            flowinfo: Some(0x0005_4321),
            flags: Some(Ip6TunnelFlags::USE_ORIG_TCLASS),
            proto: Some(41),
            fwmark: Some(11),
            ..match LinkKind::ip6tnl("2001:db8::1".parse()?, "2001:db8::5".parse()?) {
                LinkKind::Ip6Tnl(t) => t,
                _ => Ip6Tunnel::default(),
            }
        };
        let got = create(
            &h,
            &Link::new("ip6tnl1").kind(LinkKind::Ip6Tnl(tnl.clone())),
            "ip6_tunnel",
        )?;
        let t = kind_of!(got, LinkKind::Ip6Tnl);
        ensure!(t.local == tnl.local && t.remote == tnl.remote, "{t:?}");
        ensure!(t.ttl == Some(40) && t.encap_limit == Some(5), "{t:?}");
        ensure!(
            t.flowinfo == Some(0x0005_4321) && t.proto == Some(41),
            "{t:?}"
        );
        ensure!(
            uapi_ip6_flags(t.flags) == uapi_ip6_flags(tnl.flags),
            "{t:?}"
        );
        ensure!(t.fwmark == Some(11), "{t:?}");
        let d = ip_data(ns, "ip6tnl1")?;
        ensure!(
            d["remote"] == "2001:db8::5" && d["local"] == "2001:db8::1",
            "{d}"
        );
        h.link_del("ip6tnl1")?;
        Ok(())
    });
}

#[test]
fn geneve_ipv4_and_ipv6() {
    in_netns("geneve_ipv4_and_ipv6", |ns| {
        let h = Handle::new()?;
        let v4 = Geneve {
            ttl: Some(32),
            tos: Some(0x10),
            port: Some(6081),
            udp_csum: Some(true),
            df: Some(GeneveDf::Set),
            ..match LinkKind::geneve(4242, "198.51.100.9".parse()?) {
                LinkKind::Geneve(g) => g,
                _ => Geneve::default(),
            }
        };
        let got = create(
            &h,
            &Link::new("gnv0").kind(LinkKind::Geneve(v4.clone())),
            "geneve",
        )?;
        let g = kind_of!(got, LinkKind::Geneve);
        ensure!(g.id == Some(4242) && g.remote == v4.remote, "{g:?}");
        ensure!(g.ttl == Some(32) && g.tos == Some(0x10) && g.port == Some(6081));
        ensure!(
            g.udp_csum == Some(true) && g.df == Some(GeneveDf::Set),
            "{g:?}"
        );
        ensure!(g.collect_metadata.is_none() && g.ttl_inherit == Some(false));
        let d = ip_data(ns, "gnv0")?;
        ensure!(d["id"] == 4242 && d["remote"] == "198.51.100.9", "{d}");

        let v6 = Geneve {
            id: Some(7),
            remote: Some(IpAddr::V6("2001:db8::9".parse()?)),
            label: Some(0x12345),
            udp_zero_csum6_tx: Some(true),
            udp_zero_csum6_rx: Some(true),
            ..Geneve::default()
        };
        let got = create(
            &h,
            &Link::new("gnv6").kind(LinkKind::Geneve(v6.clone())),
            "geneve",
        )?;
        let g = kind_of!(got, LinkKind::Geneve);
        ensure!(g.id == Some(7) && g.remote == v6.remote, "{g:?}");
        ensure!(g.label == Some(0x12345), "{g:?}");
        ensure!(
            g.udp_zero_csum6_tx == Some(true) && g.udp_zero_csum6_rx == Some(true),
            "{g:?}"
        );
        ensure!(ip_data(ns, "gnv6")?["id"] == 7);
        h.link_del("gnv0")?;
        h.link_del("gnv6")?;
        Ok(())
    });
}

#[test]
fn ipvlan_modes_and_flags() {
    in_netns("ipvlan_modes_and_flags", |ns| {
        let h = Handle::new()?;
        // Mode and flags belong to the lower device: one lower device each.
        for (i, (mode, flags)) in [
            (IpvlanMode::L2, IpvlanFlags::Bridge),
            (IpvlanMode::L3, IpvlanFlags::Private),
            (IpvlanMode::L3s, IpvlanFlags::Vepa),
        ]
        .into_iter()
        .enumerate()
        {
            let lower = veth(&h, &format!("ipl{i}"), &format!("ipp{i}"))?;
            let name = format!("ipv{i}");
            let link = Link::new(name.as_str())
                .link(lower.index)
                .kind(LinkKind::Ipvlan(Ipvlan {
                    mode: Some(mode),
                    flags: Some(flags),
                }));
            let got = create(&h, &link, "ipvlan")?;
            let v = kind_of!(got, LinkKind::Ipvlan);
            ensure!(
                v.mode == Some(mode) && v.flags == Some(flags),
                "{name}: {v:?}"
            );
            ensure!(got.parent == Some(lower.index), "{:?}", got.parent);
            ensure!(ip_data(ns, &name)?["mode"] == mode.to_string());
        }
        Ok(())
    });
}

#[test]
fn ipvtap() {
    in_netns("ipvtap", |ns| {
        let h = Handle::new()?;
        let lower = veth(&h, "ivl0", "ivl1")?;
        let link = Link::new("ivt0")
            .link(lower.index)
            .kind(LinkKind::Ipvtap(Ipvlan {
                mode: Some(IpvlanMode::L2),
                flags: None,
            }));
        let got = create(&h, &link, "ipvtap")?;
        let v = kind_of!(got, LinkKind::Ipvtap);
        ensure!(v.mode == Some(IpvlanMode::L2), "{v:?}");
        ensure!(ip_link(ns, "ivt0")?["linkinfo"]["info_kind"] == "ipvtap");
        Ok(())
    });
}

#[test]
fn wireguard_link() {
    in_netns("wireguard_link", |ns| {
        let h = Handle::new()?;
        let got = create(&h, &Link::new("wg0").kind(LinkKind::Wireguard), "wireguard")?;
        ensure!(got.kind == Some(LinkKind::Wireguard), "{:?}", got.kind);
        ensure!(got.link_type == 65534, "ARPHRD_NONE: {}", got.link_type);
        ensure!(ip_link(ns, "wg0")?["linkinfo"]["info_kind"] == "wireguard");
        h.link_del("wg0")?;
        Ok(())
    });
}

/// A JSON value `ip` printed in hex ("0x7" or "7") or as a number.
fn json_hex(v: &Value) -> Option<u64> {
    match v {
        Value::Number(n) => n.as_u64(),
        Value::String(s) => u64::from_str_radix(s.trim_start_matches("0x"), 16).ok(),
        _ => None,
    }
}

#[test]
fn xfrm_interface() {
    in_netns("xfrm_interface", |ns| {
        let h = Handle::new()?;
        let lower = veth(&h, "xl0", "xl1")?;
        let x = Xfrm {
            link: Some(lower.index),
            ..match LinkKind::xfrm(7) {
                LinkKind::Xfrm(x) => x,
                _ => Xfrm::default(),
            }
        };
        let got = create(
            &h,
            &Link::new("ipsec7").kind(LinkKind::Xfrm(x)),
            "xfrm_interface",
        )?;
        let x = kind_of!(got, LinkKind::Xfrm);
        ensure!(x.if_id == Some(7) && x.link == Some(lower.index), "{x:?}");
        ensure!(x.collect_metadata.is_none(), "{x:?}");
        let d = ip_data(ns, "ipsec7")?;
        ensure!(json_hex(&d["if_id"]) == Some(7), "{d}");
        h.link_del("ipsec7")?;
        Ok(())
    });
}

fn need_tun() -> Result<()> {
    if !std::path::Path::new("/dev/net/tun").exists() {
        return Err(skip("no /dev/net/tun"));
    }
    Ok(())
}

#[test]
fn tun_created_persistent_with_owner_group_and_queues() {
    in_netns("tun_created_persistent_with_owner_group_and_queues", |ns| {
        need_tun()?;
        let h = Handle::new()?;
        let tun = Tun {
            tun_type: Some(TunType::Tun),
            pi: Some(false),
            vnet_hdr: Some(true),
            multi_queue: Some(true),
            owner: Some(1000),
            group: Some(1001),
            ..Tun::default()
        };
        let link = Link::new("tun0").mtu(1400).up().kind(LinkKind::Tun(tun));
        let got = create(&h, &link, "tun")?;
        let t = kind_of!(got, LinkKind::Tun);
        ensure!(
            t.tun_type == Some(TunType::Tun) && t.pi == Some(false),
            "{t:?}"
        );
        ensure!(
            t.vnet_hdr == Some(true) && t.multi_queue == Some(true),
            "{t:?}"
        );
        ensure!(
            t.persist == Some(true),
            "link_add makes it persistent: {t:?}"
        );
        ensure!(t.owner == Some(1000) && t.group == Some(1001), "{t:?}");
        ensure!(
            t.num_queues == Some(0) && t.num_disabled_queues == Some(0),
            "{t:?}"
        );
        ensure!(
            got.mtu == Some(1400) && got.flags.contains(LinkFlags::UP),
            "{got}"
        );
        let d = ip_data(ns, "tun0")?;
        ensure!(
            d["type"] == "tun" && d["pi"] == false && d["vnet_hdr"] == true,
            "{d}"
        );
        ensure!(d["multi_queue"] == true && d["persist"] == true, "{d}");
        // link_add means create: an existing name is an error
        let again = h.link_add(&link).unwrap_err();
        ensure!(again.kind() == ErrorKind::Exists, "{again:?}");
        // a non-persistent one needs tun_open
        let e = h
            .link_add(&Link::new("tun1").kind(LinkKind::Tun(Tun {
                persist: Some(false),
                ..Tun::default()
            })))
            .unwrap_err();
        ensure!(e.kind() == ErrorKind::Invalid, "{e:?}");
        h.link_del("tun0")?;
        ensure!(h.link_by_name("tun0").unwrap_err().is_not_found());
        Ok(())
    });
}

#[test]
fn tap_with_address_master_and_defaults() {
    in_netns("tap_with_address_master_and_defaults", |ns| {
        need_tun()?;
        let h = Handle::new()?;
        let br = create(&h, &Link::new("tbr0").kind(LinkKind::bridge()), "bridge")?;
        let mac: HwAddr = "02:00:00:00:0f:01".parse()?;
        let link = Link::new("tap0")
            .address(mac)
            .master(br.index)
            .mtu(1450)
            .kind(LinkKind::tap());
        let got = create(&h, &link, "tun")?;
        let t = kind_of!(got, LinkKind::Tun);
        ensure!(
            t.tun_type == Some(TunType::Tap) && t.pi == Some(false),
            "{t:?}"
        );
        ensure!(
            t.multi_queue == Some(false) && t.vnet_hdr == Some(false),
            "{t:?}"
        );
        ensure!(t.owner.is_none() && t.group.is_none(), "no owner: {t:?}");
        ensure!(got.link_type == 1 && got.address == Some(mac), "{got:?}");
        ensure!(
            got.master == Some(br.index) && got.mtu == Some(1450),
            "{got:?}"
        );
        ensure!(ip_data(ns, "tap0")?["type"] == "tap");
        // a kernel-picked name
        let dev = h.tun_open(&Link::new("").kind(LinkKind::tap()), 1)?;
        ensure!(dev.name().starts_with("tap"), "{}", dev.name());
        ensure!(h.link_by_name(dev.name())?.kind_name() == Some("tun"));
        Ok(())
    });
}

#[test]
fn tun_open_keeps_queues_and_goes_with_them() {
    in_netns("tun_open_keeps_queues_and_goes_with_them", |_| {
        need_tun()?;
        let h = Handle::new()?;
        let link = Link::new("mq0").kind(LinkKind::Tun(Tun {
            multi_queue: Some(true),
            ..Tun::default()
        }));
        let dev = h.tun_open(&link, 3)?;
        ensure!(dev.name() == "mq0" && dev.queues().len() == 3);
        let t = kind_of!(h.link_by_name("mq0")?, LinkKind::Tun);
        ensure!(t.num_queues == Some(3) && t.persist == Some(false), "{t:?}");
        ensure!(
            t.pi == Some(true),
            "the kernel's default keeps packet info: {t:?}"
        );
        drop(dev);
        let mut gone = false;
        for _ in 0..50 {
            if h.link_by_name("mq0").is_err_and(|e| e.is_not_found()) {
                gone = true;
                break;
            }
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
        ensure!(gone, "a non-persistent tun goes with its last queue");
        // several queues need multi_queue
        let e = h.tun_open(&Link::new("sq0").kind(LinkKind::tun()), 2);
        ensure!(e.is_err_and(|e| e.kind() == ErrorKind::Invalid));
        Ok(())
    });
}

#[test]
fn tun_created_in_another_namespace() {
    in_netns("tun_created_in_another_namespace", |_| {
        need_tun()?;
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
            let there = Handle::in_netns(&path)?;
            there.link_add(&Link::new("far0").kind(LinkKind::tun()).up())?;
            let got = there.link_by_name("far0")?;
            ensure!(got.kind_name() == Some("tun") && got.is_up(), "{got}");
            let here = Handle::new()?;
            ensure!(here.link_by_name("far0").unwrap_err().is_not_found());
            Ok(())
        })();
        done_tx.send(())?;
        parked
            .join()
            .map_err(|_| anyhow::anyhow!("parked thread panicked"))??;
        result
    });
}
