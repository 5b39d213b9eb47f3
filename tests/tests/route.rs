//! Routes through the facade against the real kernel, each test in a
//! private namespace: every field set and read back, lookups, flushes,
//! batches and bad input.

use anyhow::{Context, Result, ensure};
use netlink::nl_route::route::{MplsLabel, Seg6Local, Seg6Mode, Srh, TABLE_ALL, TABLE_MAIN};
use netlink::{
    AF_INET, AF_INET6, Encap, ErrorKind, Handle, Link, LinkKind, Metrics, NextHop, Route,
    RouteDump, RouteGet, RouteProtocol, RouteType, Scope,
};
use netlink_tests::{Netns, in_netns, need_feature};

/// Two up veth ends with 192.0.2.1/24 and 2001:db8::1/64 on `r0`.
fn wired(h: &Handle, ns: &Netns) -> Result<(u32, u32)> {
    ns.ip(["link", "add", "r0", "type", "veth", "peer", "name", "r1"])?;
    for l in ["lo", "r0", "r1"] {
        h.link_set_up(l)?;
    }
    h.addr_add("r0", &"192.0.2.1/24".parse()?)?;
    let mut v6: netlink::Addr = "2001:db8::1/64".parse()?;
    v6.flags = netlink::AddrFlags::NODAD;
    h.addr_add("r0", &v6)?;
    Ok((h.link_by_name("r0")?.index, h.link_by_name("r1")?.index))
}

fn find(routes: &[Route], dst: &str) -> Result<Route> {
    routes
        .iter()
        .find(|r| r.dst_string() == dst)
        .cloned()
        .with_context(|| format!("route {dst}: {routes:?}"))
}

fn into_sock(e: netlink::Error) -> nl_sock::Error {
    match e {
        netlink::Error::Netlink(e) => e,
        other => panic!("unexpected {other:?}"),
    }
}

#[test]
fn ipv4_route_every_field() {
    in_netns("ipv4_route_every_field", |ns| {
        let h = Handle::new()?;
        let (r0, _) = wired(&h, ns)?;
        let mut r = Route::new("198.51.100.0/24".parse()?)
            .via("192.0.2.2".parse()?)
            .dev(r0)
            .metric(100)
            .protocol(RouteProtocol::STATIC);
        r.prefsrc = Some("192.0.2.1".parse()?);
        r.realm = Some(0x0001_0002);
        r.tos = 0x10;
        r.metrics = Some(Box::new(Metrics {
            mtu: Some(1400),
            advmss: Some(1360),
            window: Some(30000),
            rtt: Some(800),
            hoplimit: Some(33),
            initcwnd: Some(10),
            initrwnd: Some(20),
            quickack: Some(1),
            cc_algo: Some("reno".into()),
            lock: 1 << 2, // lock mtu
            ..Metrics::default()
        }));
        h.route_add(&r).context("add")?;
        let got = find(&h.route_list(AF_INET)?, "198.51.100.0/24")?;
        ensure!(got.gateway == r.gateway && got.oif == Some(r0) && got.priority == Some(100));
        ensure!(
            got.protocol == RouteProtocol::STATIC && got.prefsrc == r.prefsrc && got.tos == 0x10
        );
        ensure!(got.realm == r.realm && got.table == TABLE_MAIN && got.kind == RouteType::Unicast);
        ensure!(got.scope == Scope::Universe);
        ensure!(
            got.metrics == r.metrics,
            "{:?} vs {:?}",
            got.metrics,
            r.metrics
        );
        // ip sees the same
        let j = ns.ip_json(["route", "show", "198.51.100.0/24"])?;
        ensure!(
            j[0]["gateway"] == "192.0.2.2" && j[0]["metric"] == 100 && j[0]["protocol"] == "static",
            "{j}"
        );
        ensure!(
            j[0]["metrics"][0]["mtu"]["lock"] == true || j[0]["metrics"][0]["mtu"] == 1400,
            "{j}"
        );
        // onlink gateway outside any subnet
        let mut onlink = Route::new("203.0.113.0/24".parse()?)
            .via("198.18.0.1".parse()?)
            .dev(r0);
        onlink.flags = netlink::nl_route::RouteFlags::ONLINK;
        h.route_add(&onlink).context("onlink")?;
        let got = find(&h.route_list(AF_INET)?, "203.0.113.0/24")?;
        ensure!(got.flags.contains(netlink::nl_route::RouteFlags::ONLINK));
        // replace changes the metric set; change on a missing route fails
        let mut r2 = r.clone();
        r2.metrics_mut().mtu = Some(1300);
        h.route_replace(&r2).context("replace")?;
        ensure!(
            find(&h.route_list(AF_INET)?, "198.51.100.0/24")?
                .metrics
                .and_then(|m| m.mtu)
                == Some(1300)
        );
        let missing = Route::new("198.51.100.200/32".parse()?).dev(r0);
        let e = h.route_change(&missing).unwrap_err();
        ensure!(e.kind() == ErrorKind::NotFound, "{e:?}");
        h.route_del(&r2).context("del")?;
        ensure!(
            h.route_list(AF_INET)?
                .iter()
                .all(|x| x.dst_string() != "198.51.100.0/24")
        );
        Ok(())
    });
}

#[test]
fn ipv6_routes_pref_expires_src_and_via() {
    in_netns("ipv6_routes_pref_expires_src_and_via", |ns| {
        let h = Handle::new()?;
        let (r0, _) = wired(&h, ns)?;
        let mut r = Route::new("2001:db8:6::/48".parse()?)
            .via("2001:db8::2".parse()?)
            .dev(r0)
            .metric(512);
        r.pref = Some(netlink::nl_route::route::RoutePref::High);
        r.expires = Some(300);
        h.route_add(&r)?;
        let got = find(&h.route_list(AF_INET6)?, "2001:db8:6::/48")?;
        ensure!(got.pref == r.pref && got.gateway == r.gateway && got.priority == Some(512));
        ensure!(
            got.expires.is_some_and(|e| e <= 300 && e > 290),
            "{:?}",
            got.expires
        );
        // source-specific route
        let mut s = Route::new("2001:db8:7::/48".parse()?).dev(r0);
        s.src = Some("2001:db8:99::/64".parse()?);
        h.route_add(&s)?;
        let got = find(&h.route_list(AF_INET6)?, "2001:db8:7::/48")?;
        ensure!(got.src == s.src, "{got:?}");
        // IPv4 via an IPv6 gateway (RTA_VIA)
        let v = Route::new("198.51.100.77/32".parse()?)
            .via("2001:db8::2".parse()?)
            .dev(r0);
        ensure!(v.via.is_some() && v.gateway.is_none());
        h.route_add(&v)?;
        let got = find(&h.route_list(AF_INET)?, "198.51.100.77")?;
        ensure!(got.via == v.via, "{got:?}");
        let j = ns.ip_json(["route", "show", "198.51.100.77"])?;
        ensure!(
            j[0]["via"]["family"] == "inet6" && j[0]["via"]["host"] == "2001:db8::2",
            "{j}"
        );
        Ok(())
    });
}

#[test]
fn tables_types_and_filters() {
    in_netns("tables_types_and_filters", |_| {
        let h = Handle::new()?;
        for (dst, kind) in [
            ("203.0.113.0/28", RouteType::Blackhole),
            ("203.0.113.16/28", RouteType::Unreachable),
            ("203.0.113.32/28", RouteType::Prohibit),
            ("203.0.113.48/28", RouteType::Throw),
        ] {
            h.route_add(
                &Route::new(dst.parse()?)
                    .kind(kind)
                    .table(100)
                    .protocol(RouteProtocol(99)),
            )?;
        }
        h.route_add(
            &Route::new("203.0.113.64/28".parse()?)
                .kind(RouteType::Blackhole)
                .table(70000),
        )?;
        h.route_add(
            &Route::new("2001:db8:dead::/48".parse()?)
                .kind(RouteType::Blackhole)
                .table(100),
        )?;
        // main table only by default
        ensure!(
            h.route_list(AF_INET)
                .context("step 1")?
                .iter()
                .all(|r| r.table == TABLE_MAIN)
        );
        let t100 = h
            .route_list_filtered(&RouteDump {
                table: Some(100),
                ..RouteDump::default()
            })
            .context("t100")?;
        ensure!(t100.len() == 5, "{t100:?}");
        for (dst, kind) in [
            ("203.0.113.0/28", RouteType::Blackhole),
            ("203.0.113.16/28", RouteType::Unreachable),
            ("203.0.113.32/28", RouteType::Prohibit),
            ("203.0.113.48/28", RouteType::Throw),
        ] {
            let r = find(&t100, dst)?;
            ensure!(
                r.kind == kind && r.table == 100 && r.protocol == RouteProtocol(99),
                "{r:?}"
            );
        }
        let big = h
            .route_list_filtered(&RouteDump {
                table: Some(70000),
                ..RouteDump::default()
            })
            .context("t70000")?;
        ensure!(big.len() == 1 && big[0].table == 70000, "{big:?}");
        let all = h
            .route_list_filtered(&RouteDump {
                table: Some(TABLE_ALL),
                ..RouteDump::default()
            })
            .context("all")?;
        ensure!(all.iter().any(|r| r.table == 100) && all.iter().any(|r| r.table == 70000));
        let by_type = h
            .route_list_filtered(&RouteDump {
                table: Some(TABLE_ALL),
                kind: Some(RouteType::Unreachable),
                ..RouteDump::default()
            })
            .context("step 2")?;
        ensure!(by_type.len() == 1, "{by_type:?}");
        let by_proto = h.route_list_filtered(&RouteDump {
            family: AF_INET,
            table: Some(TABLE_ALL),
            protocol: Some(RouteProtocol(99)),
            ..RouteDump::default()
        })?;
        ensure!(by_proto.len() == 4, "{by_proto:?}");
        // flush by filter
        let n = h
            .route_flush(&RouteDump {
                table: Some(100),
                ..RouteDump::default()
            })
            .context("step 3")?;
        ensure!(n == 5, "flushed {n}");
        ensure!(
            h.route_list_filtered(&RouteDump {
                table: Some(100),
                ..RouteDump::default()
            })
            .context("step 4")?
            .is_empty()
        );
        Ok(())
    });
}

#[test]
fn multipath_weights_and_per_hop_flags() {
    in_netns("multipath_weights_and_per_hop_flags", |ns| {
        let h = Handle::new()?;
        let (r0, r1) = wired(&h, ns)?;
        h.addr_add("r1", &"198.18.1.1/24".parse()?)?;
        let mut r = Route::new("203.0.113.64/26".parse()?);
        r.multipath = vec![
            NextHop {
                weight: 3,
                ..NextHop::new(Some("192.0.2.2".parse()?), r0)
            },
            NextHop {
                weight: 1,
                realm: Some(9),
                ..NextHop::new(Some("198.18.1.2".parse()?), r1)
            },
        ];
        h.route_add(&r)?;
        let got = find(&h.route_list(AF_INET)?, "203.0.113.64/26")?;
        ensure!(got.multipath.len() == 2, "{got:?}");
        ensure!(got.multipath[0].gateway == r.multipath[0].gateway && got.multipath[0].weight == 3);
        ensure!(got.multipath[0].ifindex == r0 && got.multipath[1].ifindex == r1);
        ensure!(got.multipath[1].weight == 1 && got.multipath[1].realm == Some(9));
        let j = ns.ip_json(["route", "show", "203.0.113.64/26"])?;
        ensure!(
            j[0]["nexthops"][0]["weight"] == 3 && j[0]["nexthops"][1]["dev"] == "r1",
            "{j}"
        );
        // IPv6 append builds a multipath route
        let a = Route::new("2001:db8:8::/48".parse()?)
            .via("2001:db8::2".parse()?)
            .dev(r0);
        let b = Route::new("2001:db8:8::/48".parse()?)
            .via("2001:db8::3".parse()?)
            .dev(r0);
        h.route_add(&a)?;
        h.route_append(&b)?;
        let got = find(&h.route_list(AF_INET6)?, "2001:db8:8::/48")?;
        ensure!(got.multipath.len() == 2, "{got:?}");
        Ok(())
    });
}

#[test]
fn seg6_and_seg6local_encap() {
    in_netns("seg6_and_seg6local_encap", |ns| {
        let h = Handle::new()?;
        let (r0, _) = wired(&h, ns)?;
        let srh = Srh {
            segments: vec!["2001:db8::9".parse()?, "2001:db8::10".parse()?],
            ..Srh::default()
        };
        let mut r = Route::new("2001:db8:5::/48".parse()?).dev(r0);
        r.encap = Some(Box::new(Encap::Seg6 {
            mode: Seg6Mode::Encap,
            srh: srh.clone(),
        }));
        need_feature(h.route_add(&r).map_err(into_sock), "seg6 encap")?;
        let got = find(&h.route_list(AF_INET6)?, "2001:db8:5::/48")?;
        let Some(Encap::Seg6 { mode, srh: got_srh }) = got.encap.as_deref() else {
            anyhow::bail!("{:?}", got.encap)
        };
        ensure!(
            *mode == Seg6Mode::Encap && got_srh.segments == srh.segments,
            "{got_srh:?}"
        );
        let j = ns.ip_json(["-6", "route", "show", "2001:db8:5::/48"])?;
        ensure!(
            j[0]["encap"] == "seg6" && j[0]["segs"][1] == "2001:db8::10",
            "{j}"
        );
        // seg6local End.DT6 into table 100
        let mut l = Route::new("2001:db8:99::1/128".parse()?).dev(r0);
        l.encap = Some(Box::new(Encap::Seg6Local(Seg6Local {
            action: 7,
            table: Some(100),
            ..Seg6Local::default()
        })));
        need_feature(h.route_add(&l).map_err(into_sock), "seg6local")?;
        let got = find(&h.route_list(AF_INET6)?, "2001:db8:99::1")?;
        let Some(Encap::Seg6Local(s)) = got.encap.as_deref() else {
            anyhow::bail!("{:?}", got.encap)
        };
        ensure!(s.action == 7 && s.table == Some(100), "{s:?}");
        Ok(())
    });
}

#[test]
fn mpls_encap() {
    in_netns("mpls_encap", |_| {
        let h = Handle::new()?;
        let mut r = Route::new("198.51.100.128/25".parse()?);
        r.gateway = Some("192.0.2.2".parse()?);
        h.link_add(&Link::new("m0").with_kind(LinkKind::veth("m1")))?;
        h.link_set_up("m0")?;
        h.addr_add("m0", &"192.0.2.1/24".parse()?)?;
        r.oif = Some(h.link_by_name("m0")?.index);
        r.encap = Some(Box::new(Encap::Mpls {
            labels: vec![MplsLabel::new(100), MplsLabel::new(200)],
            ttl: Some(64),
        }));
        need_feature(
            h.route_add(&r).map_err(into_sock),
            "MPLS lightweight tunnels (mpls_iptunnel)",
        )?;
        let got = find(&h.route_list(AF_INET)?, "198.51.100.128/25")?;
        ensure!(got.encap == r.encap, "{:?}", got.encap);
        Ok(())
    });
}

#[test]
fn route_get_resolves_like_the_kernel() {
    in_netns("route_get_resolves_like_the_kernel", |ns| {
        let h = Handle::new()?;
        let (r0, _) = wired(&h, ns)?;
        h.route_add(
            &Route::new("198.51.100.0/24".parse()?)
                .via("192.0.2.2".parse()?)
                .dev(r0)
                .metric(7),
        )?;
        let got = h.route_get(&RouteGet::to("198.51.100.5".parse()?))?;
        ensure!(
            got.gateway == Some("192.0.2.2".parse()?) && got.oif == Some(r0),
            "{got:?}"
        );
        ensure!(got.prefsrc == Some("192.0.2.1".parse()?) && got.dst_string() == "198.51.100.5");
        ensure!(got.flags.contains(netlink::nl_route::RouteFlags::CLONED) || got.uid.is_some());
        // fibmatch returns the FIB entry itself
        let fib = h.route_get(&RouteGet {
            fibmatch: true,
            ..RouteGet::to("198.51.100.5".parse()?)
        })?;
        ensure!(
            fib.dst_string() == "198.51.100.0/24" && fib.priority == Some(7),
            "{fib:?}"
        );
        // with mark and uid
        let got = h.route_get(&RouteGet {
            mark: Some(7),
            uid: Some(1000),
            ..RouteGet::to("192.0.2.9".parse()?)
        })?;
        ensure!(got.uid == Some(1000) && got.oif == Some(r0), "{got:?}");
        // ip agrees
        let j = ns.ip_json(["route", "get", "198.51.100.5"])?;
        ensure!(
            j[0]["gateway"] == "192.0.2.2" && j[0]["prefsrc"] == "192.0.2.1",
            "{j}"
        );
        // unreachable destination: the kernel's error
        let e = h
            .route_get(&RouteGet::to("203.0.113.1".parse()?))
            .unwrap_err();
        ensure!(e.kind() == ErrorKind::Other || e.errno().is_some(), "{e:?}");
        Ok(())
    });
}

#[test]
fn bad_input_is_refused_clearly() {
    in_netns("bad_input_is_refused_clearly", |ns| {
        let h = Handle::new()?;
        let (r0, _) = wired(&h, ns)?;
        // gateway of another family: refused before sending
        let mut bad = Route::new("198.51.100.0/24".parse()?).dev(r0);
        bad.gateway = Some("2001:db8::2".parse()?);
        let e = h.route_add(&bad).unwrap_err();
        ensure!(
            e.kind() == ErrorKind::Invalid && matches!(e, netlink::Error::Route(_)),
            "{e:?}"
        );
        // host bits set in the destination: the kernel says so
        let mut host_bits = Route::new("198.51.100.1/24".parse()?).dev(r0);
        host_bits.dst = Some(ipnet::IpNet::new("198.51.100.1".parse()?, 24)?);
        let e = h.route_add(&host_bits).unwrap_err();
        ensure!(e.kind() == ErrorKind::Invalid, "{e:?}");
        ensure!(
            e.message()
                .is_some_and(|m| m.contains("prefix") || m.contains("host")),
            "{:?}",
            e.message()
        );
        // a route to a missing device
        let e = h
            .route_add(&Route::new("198.51.100.0/24".parse()?).dev(9999))
            .unwrap_err();
        // (the kernel gives no ext-ack text for this one: ENODEV alone)
        ensure!(e.kind() == ErrorKind::NotFound, "{e:?}");
        // duplicates
        let ok = Route::new("198.51.100.0/24".parse()?).dev(r0);
        h.route_add(&ok)?;
        let e = h.route_add(&ok).unwrap_err();
        ensure!(e.kind() == ErrorKind::Exists, "{e:?}");
        Ok(())
    });
}

#[test]
fn batch_of_10000_routes_with_one_failure() {
    in_netns("batch_of_10000_routes_with_one_failure", |_| {
        let h = Handle::new()?;
        h.link_add(&Link::new("bulk0").with_kind(LinkKind::Ifb))?;
        h.link_set_up("bulk0")?;
        let dev = h.link_by_name("bulk0")?.index;
        let mut routes: Vec<Route> = (0..10_000u32)
            .map(|i| {
                let ip = std::net::Ipv4Addr::from(0xc612_0000 + i); // 198.18.0.0/15, the benchmarking range
                Route::new(ipnet::IpNet::from(std::net::IpAddr::V4(ip)))
                    .dev(dev)
                    .protocol(RouteProtocol::STATIC)
            })
            .collect();
        routes[5000].oif = Some(9999); // a missing device in the middle
        let report = h.routes_add(&routes)?;
        ensure!(
            report.len() == 10_000 && report.succeeded() == 9_999,
            "{:?}",
            report.failures().first()
        );
        let (i, e) = report.failures().first().context("one failure")?;
        ensure!(
            *i == 5000 && e.kind() == netlink::ErrorKind::NotFound,
            "{i}: {e:?}"
        );
        let listed = h.route_list_filtered(&RouteDump {
            family: AF_INET,
            protocol: Some(RouteProtocol::STATIC),
            ..RouteDump::default()
        })?;
        ensure!(listed.len() == 9_999, "{}", listed.len());
        // and delete them all in one batch (the missing one fails alone)
        let report = h.routes_del(&routes)?;
        ensure!(report.succeeded() == 9_999 && report.failures().len() == 1);
        Ok(())
    });
}

#[test]
fn streaming_dump_and_views() {
    in_netns("streaming_dump_and_views", |_| {
        let h = Handle::new()?;
        let routes: Vec<Route> = (0..500u32)
            .map(|i| {
                let ip = std::net::Ipv4Addr::from(0xc612_0000 + i);
                Route::new(ipnet::IpNet::from(std::net::IpAddr::V4(ip))).kind(RouteType::Blackhole)
            })
            .collect();
        ensure!(h.routes_add(&routes)?.is_ok());
        let mut n = 0;
        h.route_for_each(
            &RouteDump {
                family: AF_INET,
                ..RouteDump::default()
            },
            |r| {
                n += usize::from(r.kind == RouteType::Blackhole);
                Ok(())
            },
        )?;
        ensure!(n == 500);
        let mut views = 0;
        h.route_dump_views(
            &RouteDump {
                family: AF_INET,
                ..RouteDump::default()
            },
            |m| {
                views += usize::from(m.ty() == 24);
                Ok(())
            },
        )?;
        ensure!(views >= 500);
        ensure!(
            h.route_list_multicast(AF_INET)?.is_empty(),
            "no multicast routes in a new namespace"
        );
        Ok(())
    });
}
