//! Nexthop objects through the facade against the real kernel, each test
//! in a private namespace: single paths, blackholes, weighted and
//! resilient groups, FDB nexthops, a route using a group, and bad input.

use anyhow::{Context, Result, ensure};
use netlink::nl_route::RouteFlags;
use netlink::nl_route::nexthop::{GroupMember, GroupType, ResilientGroup};
use netlink::{
    AF_INET, AF_INET6, ErrorKind, Handle, Nexthop, NexthopDump, Route, RouteDump, RouteProtocol,
    Scope,
};
use netlink_tests::{Netns, in_netns};

fn wired(h: &Handle, ns: &Netns) -> Result<u32> {
    ns.ip(["link", "add", "h0", "type", "veth", "peer", "name", "h1"])?;
    for l in ["lo", "h0", "h1"] {
        h.link_set_up(l)?;
    }
    h.addr_add("h0", &"192.0.2.1/24".parse()?)?;
    let mut v6: netlink::Addr = "2001:db8::1/64".parse()?;
    v6.flags = netlink::AddrFlags::NODAD;
    h.addr_add("h0", &v6)?;
    Ok(h.link_by_name("h0")?.index)
}

#[test]
fn single_blackhole_and_groups() {
    in_netns("single_blackhole_and_groups", |ns| {
        let h = Handle::new()?;
        let dev = wired(&h, ns)?;
        let mut one = Nexthop::via(1, "192.0.2.2".parse()?).oif(dev);
        one.protocol = RouteProtocol::STATIC;
        h.nexthop_add(&one)?;
        let mut onlink = Nexthop::via(3, "203.0.113.1".parse()?).oif(dev);
        onlink.flags = RouteFlags::ONLINK;
        h.nexthop_add(&onlink)?;
        h.nexthop_add(&Nexthop::via(4, "2001:db8::2".parse()?).oif(dev))?;
        h.nexthop_add(&Nexthop::dev(5, dev))?;
        h.nexthop_add(&Nexthop::blackhole(2))?;
        let g = Nexthop::group(
            10,
            vec![GroupMember::new(1), GroupMember { id: 3, weight: 5 }],
        );
        h.nexthop_add(&g)?;
        let got = h.nexthop_get(1)?;
        ensure!(
            got.gateway == one.gateway
                && got.oif == Some(dev)
                && got.family == AF_INET
                && got.protocol == RouteProtocol::STATIC
                && got.scope == Scope::Link,
            "{got:?}"
        );
        ensure!(h.nexthop_get(3)?.flags.contains(RouteFlags::ONLINK));
        ensure!(h.nexthop_get(4)?.family == AF_INET6);
        let d = h.nexthop_get(5)?;
        ensure!(d.gateway.is_none() && d.oif == Some(dev) && d.scope == Scope::Host);
        ensure!(h.nexthop_get(2)?.blackhole);
        let got = h.nexthop_get(10)?;
        ensure!(got.group == g.group, "{got:?}");
        ensure!(got.group_type.unwrap_or_default() == GroupType::Mpath);
        // Listing filters: groups only, by device.
        let all = h.nexthop_list()?;
        ensure!(all.len() == 6, "{all:?}");
        let groups = h.nexthop_list_filtered(&NexthopDump {
            groups: true,
            ..NexthopDump::default()
        })?;
        ensure!(groups.len() == 1 && groups[0].id == 10, "{groups:?}");
        let on_dev = h.nexthop_list_filtered(&NexthopDump {
            oif: Some(dev),
            ..NexthopDump::default()
        })?;
        ensure!(on_dev.iter().map(|n| n.id).collect::<Vec<_>>() == [1, 3, 4, 5]);
        // Replace changes the weights in place.
        let g2 = Nexthop::group(
            10,
            vec![GroupMember { id: 1, weight: 2 }, GroupMember::new(3)],
        );
        h.nexthop_replace(&g2)?;
        ensure!(h.nexthop_get(10)?.group == g2.group);
        // A member cannot go while a group uses it... the kernel removes it
        // from the group instead.
        h.nexthop_del(3)?;
        ensure!(h.nexthop_get(10)?.group == [GroupMember { id: 1, weight: 2 }]);
        h.nexthop_del(10)?;
        let e = h.nexthop_get(10).unwrap_err();
        ensure!(e.kind() == ErrorKind::NotFound, "{e:?}");
        let e = h.nexthop_del(10).unwrap_err();
        ensure!(e.kind() == ErrorKind::NotFound, "{e:?}");
        Ok(())
    });
}

#[test]
fn resilient_group_and_fdb_nexthops() {
    in_netns("resilient_group_and_fdb_nexthops", |ns| {
        let h = Handle::new()?;
        let dev = wired(&h, ns)?;
        h.nexthop_add(&Nexthop::via(1, "192.0.2.2".parse()?).oif(dev))?;
        h.nexthop_add(&Nexthop::via(2, "192.0.2.3".parse()?).oif(dev))?;
        let mut r = Nexthop::group(20, vec![GroupMember::new(1), GroupMember::new(2)]);
        r.group_type = Some(GroupType::Resilient);
        r.resilient = Some(ResilientGroup {
            buckets: Some(8),
            idle_timer: Some(1000),
            unbalanced_timer: Some(2000),
            unbalanced_time: None,
        });
        h.nexthop_add(&r)?;
        let got = h.nexthop_get(20)?;
        ensure!(got.group_type == Some(GroupType::Resilient), "{got:?}");
        let res = got.resilient.context("resilient args")?;
        ensure!(
            res.buckets == Some(8)
                && res.idle_timer == Some(1000)
                && res.unbalanced_timer == Some(2000),
            "{res:?}"
        );
        // FDB nexthops: gateways for VXLAN, no device.
        let mut f1 = Nexthop::via(30, "198.51.100.1".parse()?);
        f1.fdb = true;
        let mut f2 = Nexthop::via(31, "198.51.100.2".parse()?);
        f2.fdb = true;
        h.nexthop_add(&f1)?;
        h.nexthop_add(&f2)?;
        let mut fg = Nexthop::group(32, vec![GroupMember::new(30), GroupMember::new(31)]);
        fg.fdb = true;
        h.nexthop_add(&fg)?;
        let fdb = h.nexthop_list_filtered(&NexthopDump {
            fdb: true,
            ..NexthopDump::default()
        })?;
        ensure!(
            fdb.iter().map(|n| n.id).collect::<Vec<_>>() == [30, 31, 32],
            "{fdb:?}"
        );
        ensure!(fdb.iter().all(|n| n.fdb && n.oif.is_none()));
        // An FDB nexthop with a device is refused, with the kernel's words.
        let mut bad = Nexthop::via(33, "198.51.100.3".parse()?).oif(dev);
        bad.fdb = true;
        let e = h.nexthop_add(&bad).unwrap_err();
        ensure!(e.message().is_some(), "ext-ack expected: {e:?}");
        Ok(())
    });
}

#[test]
fn route_uses_a_nexthop_group() {
    in_netns("route_uses_a_nexthop_group", |ns| {
        let h = Handle::new()?;
        let dev = wired(&h, ns)?;
        h.nexthop_add(&Nexthop::via(1, "192.0.2.2".parse()?).oif(dev))?;
        h.nexthop_add(&Nexthop::via(2, "192.0.2.3".parse()?).oif(dev))?;
        h.nexthop_add(&Nexthop::group(
            10,
            vec![GroupMember::new(1), GroupMember { id: 2, weight: 3 }],
        ))?;
        let mut r = Route::new("203.0.113.0/24".parse()?);
        r.nh_id = Some(10);
        h.route_add(&r)?;
        let routes = h.route_list_filtered(&RouteDump {
            family: AF_INET,
            dst: Some("203.0.113.0/24".parse()?),
            ..RouteDump::default()
        })?;
        let got = routes.first().context("route")?;
        ensure!(got.nh_id == Some(10), "{got:?}");
        // The kernel expands the group into RTA_MULTIPATH for old readers.
        ensure!(got.multipath.len() == 2, "{got:?}");
        ensure!(got.multipath.iter().any(|p| p.weight == 3));
        // A route to a missing nexthop: the kernel's words.
        let mut bad = Route::new("198.51.100.0/24".parse()?);
        bad.nh_id = Some(99);
        let e = h.route_add(&bad).unwrap_err();
        ensure!(e.message().is_some(), "{e:?}");
        Ok(())
    });
}
