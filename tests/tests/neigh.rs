//! Neighbours and bridge FDB entries through the facade against the real
//! kernel, each test in a private namespace: every state, proxies, IPv6,
//! bridge and VXLAN FDB entries, batches and bad input.

use anyhow::{Context, Result, ensure};
use netlink::nl_route::NeighDump;
use netlink::{
    AF_BRIDGE, AF_INET, AF_INET6, ErrorKind, Handle, HwAddr, Neigh, NeighFlags, NeighState,
    RouteProtocol,
};
use netlink_tests::{Netns, in_netns, skip};

/// Two up veth ends, `n0` with 192.0.2.1/24.
fn wired(h: &Handle, ns: &Netns) -> Result<u32> {
    ns.ip(["link", "add", "n0", "type", "veth", "peer", "name", "n1"])?;
    for l in ["lo", "n0", "n1"] {
        h.link_set_up(l)?;
    }
    h.addr_add("n0", &"192.0.2.1/24".parse()?)?;
    Ok(h.link_by_name("n0")?.index)
}

fn mac(last: u8) -> HwAddr {
    HwAddr::mac([2, 0, 0, 0, 0, last])
}

fn find(list: &[Neigh], dst: &str) -> Result<Neigh> {
    list.iter()
        .find(|n| n.dst.is_some_and(|d| d.to_string() == dst))
        .cloned()
        .with_context(|| format!("neighbour {dst}: {list:?}"))
}

#[test]
fn every_state_and_flag() {
    in_netns("every_state_and_flag", |ns| {
        let h = Handle::new()?;
        let dev = wired(&h, ns)?;
        let cases = [
            ("192.0.2.2", NeighState::PERMANENT, NeighFlags::empty()),
            ("192.0.2.3", NeighState::REACHABLE, NeighFlags::empty()),
            ("192.0.2.4", NeighState::STALE, NeighFlags::EXT_LEARNED),
            ("192.0.2.5", NeighState::NOARP, NeighFlags::empty()),
            ("192.0.2.6", NeighState::DELAY, NeighFlags::empty()),
            ("192.0.2.7", NeighState::PROBE, NeighFlags::empty()),
            ("192.0.2.8", NeighState::FAILED, NeighFlags::empty()),
        ];
        for (i, (ip, state, flags)) in cases.iter().enumerate() {
            let n = Neigh::new(dev, ip.parse()?)
                .lladdr(mac(i as u8 + 2))
                .state(*state)
                .flags(*flags);
            h.neigh_add(&n).with_context(|| format!("{ip} {state:?}"))?;
        }
        // INCOMPLETE needs no link-layer address.
        h.neigh_add(&Neigh::new(dev, "192.0.2.9".parse()?).state(NeighState::INCOMPLETE))?;
        let list = h.neigh_list(Some("n0".into()), AF_INET)?;
        for (i, (ip, state, flags)) in cases.iter().enumerate() {
            let got = find(&list, ip)?;
            ensure!(got.ifindex == dev && got.family == AF_INET, "{got:?}");
            // A FAILED entry no longer reports the address it was given.
            if *state != NeighState::FAILED {
                ensure!(got.lladdr == Some(mac(i as u8 + 2)), "{got:?}");
            }
            // Timers may move an unconfirmed entry on (DELAY -> PROBE ...)
            // between the add and the dump; the static ones stay put.
            if matches!(
                *state,
                NeighState::PERMANENT | NeighState::NOARP | NeighState::STALE
            ) {
                ensure!(got.state == *state, "{ip}: {:?}", got.state);
            } else {
                ensure!(!got.state.is_empty(), "{ip}: {:?}", got.state);
            }
            ensure!(got.flags.contains(*flags), "{got:?}");
            ensure!(got.cache_info.is_some() && got.probes.is_some());
        }
        let inc = find(&list, "192.0.2.9")?;
        ensure!(
            inc.state
                .intersects(NeighState::INCOMPLETE | NeighState::FAILED),
            "{inc:?}"
        );
        // Change a state, then replace an entry wholesale.
        h.neigh_change(
            &Neigh::new(dev, "192.0.2.3".parse()?)
                .lladdr(mac(0x33))
                .state(NeighState::PERMANENT),
        )?;
        let got = find(&h.neigh_list(None, AF_INET)?, "192.0.2.3")?;
        ensure!(got.state == NeighState::PERMANENT && got.lladdr == Some(mac(0x33)));
        let mut rep = Neigh::new(dev, "192.0.2.20".parse()?)
            .lladdr(mac(0x20))
            .state(NeighState::PERMANENT);
        rep.protocol = Some(RouteProtocol::STATIC);
        h.neigh_set(&rep)?;
        h.neigh_set(&rep.clone().lladdr(mac(0x21)))?;
        let got = find(&h.neigh_list(None, 0)?, "192.0.2.20")?;
        ensure!(got.lladdr == Some(mac(0x21)) && got.protocol == Some(RouteProtocol::STATIC));
        // Delete, and deleting again is "not found".
        h.neigh_del(&rep)?;
        ensure!(find(&h.neigh_list(None, AF_INET)?, "192.0.2.20").is_err());
        ensure!(h.neigh_del(&rep).unwrap_err().kind() == ErrorKind::NotFound);
        // The state filter is the library's.
        let stale = h.neigh_list_filtered(&NeighDump {
            family: AF_INET,
            state: Some(NeighState::STALE),
            ..NeighDump::default()
        })?;
        ensure!(stale.len() == 1, "{stale:?}");
        Ok(())
    });
}

#[test]
fn ipv6_router_and_proxy_entries() {
    in_netns("ipv6_router_and_proxy_entries", |ns| {
        let h = Handle::new()?;
        let dev = wired(&h, ns)?;
        let n6 = Neigh::new(dev, "2001:db8::2".parse()?)
            .lladdr(mac(5))
            .state(NeighState::REACHABLE)
            .flags(NeighFlags::ROUTER);
        h.neigh_add(&n6)?;
        let got = find(&h.neigh_list(Some(dev.into()), AF_INET6)?, "2001:db8::2")?;
        ensure!(got.family == AF_INET6 && got.flags.contains(NeighFlags::ROUTER));
        ensure!(
            h.neigh_list(None, AF_INET)?
                .iter()
                .all(|n| n.family == AF_INET)
        );
        // Proxy entries live in their own table.
        for ip in ["192.0.2.50", "2001:db8::50"] {
            h.neigh_add(&Neigh::proxy(dev, ip.parse()?))?;
        }
        let proxies = h.neigh_proxy_list(None, 0)?;
        ensure!(proxies.len() == 2, "{proxies:?}");
        ensure!(proxies.iter().all(|n| n.is_proxy() && n.ifindex == dev));
        ensure!(h.neigh_list(None, 0)?.iter().all(|n| !n.is_proxy()));
        ensure!(h.neigh_proxy_list(Some("n1".into()), 0)?.is_empty());
        h.neigh_del(&Neigh::proxy(dev, "192.0.2.50".parse()?))?;
        ensure!(h.neigh_proxy_list(None, AF_INET)?.is_empty());
        Ok(())
    });
}

#[test]
fn missing_device_and_missing_lladdr() {
    in_netns("missing_device_and_missing_lladdr", |ns| {
        let h = Handle::new()?;
        let dev = wired(&h, ns)?;
        let e = h
            .neigh_add(&Neigh::new(9999, "192.0.2.2".parse()?).lladdr(mac(2)))
            .unwrap_err();
        ensure!(e.errno() == Some(nl_sock::Errno::ENODEV), "{e:?}");
        // A permanent entry on an ARP device needs an address: the
        // kernel says so in its ext-ack.
        let e = h
            .neigh_add(&Neigh::new(dev, "192.0.2.2".parse()?).state(NeighState::PERMANENT))
            .unwrap_err();
        ensure!(e.message() == Some("No link layer address given"), "{e:?}");
        // Mixed families never reach the kernel.
        let mut bad = Neigh::new(dev, "192.0.2.2".parse()?);
        bad.family = AF_INET6;
        ensure!(h.neigh_add(&bad).unwrap_err().kind() == ErrorKind::Invalid);
        Ok(())
    });
}

#[test]
fn batch_with_a_failure_in_the_middle() {
    in_netns("batch_with_a_failure_in_the_middle", |ns| {
        let h = Handle::new()?;
        let dev = wired(&h, ns)?;
        let mut list: Vec<Neigh> = (0..1000u32)
            .map(|i| {
                let ip = std::net::Ipv6Addr::new(0x2001, 0xdb8, 1, 0, 0, 0, 0, i as u16 + 1);
                Neigh::new(dev, ip.into())
                    .lladdr(HwAddr::mac([2, 1, 0, 0, (i >> 8) as u8, i as u8]))
                    .state(NeighState::PERMANENT)
            })
            .collect();
        list[500].ifindex = 9999;
        let report = h.neighs_add(&list)?;
        ensure!(
            report.len() == 1000 && report.succeeded() == 999,
            "{:?}",
            report.failures().first()
        );
        let (i, e) = report.failures().first().context("one failure")?;
        ensure!(
            *i == 500 && e.errno() == Some(nl_sock::Errno::ENODEV),
            "{i}: {e:?}"
        );
        ensure!(report.result(499).is_ok() && report.result(501).is_ok());
        let listed = h.neigh_list(Some(dev.into()), netlink::AF_INET6)?;
        ensure!(
            listed
                .iter()
                .filter(|n| n.state == NeighState::PERMANENT)
                .count()
                == 999
        );
        let report = h.neighs_del(&list)?;
        ensure!(report.succeeded() == 999 && report.failures().len() == 1);
        Ok(())
    });
}

/// A bridge `br0` with veth `p1` as its port; the bridge has VLAN
/// filtering when `vlans`.
fn bridged(h: &Handle, ns: &Netns, vlans: bool) -> Result<(u32, u32)> {
    ns.ip(["link", "add", "p0", "type", "veth", "peer", "name", "p1"])?;
    let mut br = vec!["link", "add", "br0", "type", "bridge"];
    if vlans {
        br.extend(["vlan_filtering", "1"]);
    }
    // Without VLAN filtering in the kernel this skips, naming it.
    ns.ip(&br)?;
    ns.ip(["link", "set", "p1", "master", "br0"])?;
    for l in ["p0", "p1", "br0"] {
        h.link_set_up(l)?;
    }
    Ok((h.link_by_name("p1")?.index, h.link_by_name("br0")?.index))
}

#[test]
fn bridge_fdb_master_and_self() {
    in_netns("bridge_fdb_master_and_self", |ns| {
        let h = Handle::new()?;
        let (port, br) = bridged(&h, ns, false)?;
        // master, static
        h.fdb_add(&Neigh::fdb(port, mac(0x11)))?;
        // master, dynamic, sticky
        let mut d = Neigh::fdb(port, mac(0x12));
        d.state = NeighState::REACHABLE;
        d.flags |= NeighFlags::STICKY;
        h.fdb_add(&d)?;
        // self, permanent: the port device's own unicast list
        let mut s = Neigh::fdb(port, mac(0x13));
        s.flags = NeighFlags::SELF;
        s.state = NeighState::PERMANENT;
        h.fdb_add(&s)?;
        let list = h.fdb_list(Some(br.into()), None)?;
        let by_mac = |list: &[Neigh], m: HwAddr| {
            list.iter()
                .find(|n| n.lladdr == Some(m))
                .cloned()
                .with_context(|| format!("{m}: {list:?}"))
        };
        let got = by_mac(&list, mac(0x11))?;
        ensure!(got.family == AF_BRIDGE && got.ifindex == port && got.master == Some(br));
        ensure!(got.state == NeighState::NOARP, "{got:?}");
        let got = by_mac(&list, mac(0x12))?;
        ensure!(
            got.state == NeighState::REACHABLE && got.flags.contains(NeighFlags::STICKY),
            "{got:?}"
        );
        let all = h.fdb_list(None, Some(port.into()))?;
        let got = by_mac(&all, mac(0x13))?;
        ensure!(got.flags.contains(NeighFlags::SELF) && got.state == NeighState::PERMANENT);
        ensure!(all.iter().all(|n| n.ifindex == port), "brport filter");
        // replace turns the static entry dynamic
        let mut r = Neigh::fdb(port, mac(0x11));
        r.state = NeighState::REACHABLE;
        h.fdb_replace(&r)?;
        let got = by_mac(&h.fdb_list(Some(br.into()), None)?, mac(0x11))?;
        ensure!(got.state == NeighState::REACHABLE, "{got:?}");
        h.fdb_del(&r)?;
        h.fdb_del(&d)?;
        h.fdb_del(&s)?;
        let left = h.fdb_list(None, Some(port.into()))?;
        ensure!(
            left.iter()
                .all(|n| ![Some(mac(0x11)), Some(mac(0x12)), Some(mac(0x13))].contains(&n.lladdr)),
            "{left:?}"
        );
        // Without VLAN filtering the kernel refuses a VLAN.
        let mut v = Neigh::fdb(port, mac(0x14));
        v.vlan = Some(5);
        ensure!(h.fdb_add(&v).unwrap_err().kind() == ErrorKind::Invalid);
        Ok(())
    });
}

#[test]
fn bridge_fdb_vlan() {
    in_netns("bridge_fdb_vlan", |ns| {
        let h = Handle::new()?;
        let (port, br) = bridged(&h, ns, true)?;
        // vlan 1 is the port's default pvid
        let mut v = Neigh::fdb(port, mac(0x12));
        v.vlan = Some(1);
        h.fdb_add(&v)?;
        let got = h
            .fdb_list(Some(br.into()), None)?
            .into_iter()
            .find(|n| n.lladdr == Some(mac(0x12)))
            .context("vlan entry")?;
        ensure!(
            got.vlan == Some(1) && got.state == NeighState::NOARP,
            "{got:?}"
        );
        h.fdb_del(&v)?;
        Ok(())
    });
}

#[test]
fn vxlan_fdb_dst_vni_port() {
    in_netns("vxlan_fdb_dst_vni_port", |ns| {
        let h = Handle::new()?;
        wired(&h, ns)?;
        if let Err(e) = ns.ip([
            "link",
            "add",
            "vx0",
            "type",
            "vxlan",
            "id",
            "42",
            "dstport",
            "4789",
            "local",
            "192.0.2.1",
        ]) {
            return Err(skip(format!("kernel lacks vxlan: {e}")));
        }
        let vx = h.link_by_name("vx0")?.index;
        let zero = HwAddr::mac([0; 6]);
        let mut a = Neigh::fdb(vx, zero);
        a.flags = NeighFlags::SELF;
        a.state = NeighState::PERMANENT;
        a.dst = Some("198.51.100.1".parse()?);
        a.vni = Some(100);
        a.port = Some(4790);
        h.fdb_append(&a)?;
        let mut b = a.clone();
        b.dst = Some("198.51.100.2".parse()?);
        b.vni = None;
        b.port = None;
        h.fdb_append(&b)?;
        let mut c = Neigh::fdb(vx, mac(0x44));
        c.flags = NeighFlags::SELF;
        c.state = NeighState::PERMANENT;
        c.dst = Some("203.0.113.1".parse()?);
        c.via_ifindex = Some(h.link_by_name("n0")?.index);
        h.fdb_add(&c)?;
        let list = h.fdb_list(None, Some(vx.into()))?;
        let find = |dst: &str| {
            list.iter()
                .find(|n| n.dst.is_some_and(|d| d.to_string() == dst))
                .cloned()
                .with_context(|| format!("{dst}: {list:?}"))
        };
        let got = find("198.51.100.1")?;
        ensure!(got.vni == Some(100) && got.port == Some(4790) && got.lladdr == Some(zero));
        let got = find("198.51.100.2")?;
        ensure!(got.vni.is_none() && got.port.is_none(), "{got:?}");
        let got = find("203.0.113.1")?;
        ensure!(got.via_ifindex == c.via_ifindex && got.lladdr == Some(mac(0x44)));
        h.fdb_del(&a)?;
        ensure!(h.fdb_list(None, Some(vx.into()))?.len() == list.len() - 1);
        Ok(())
    });
}
