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
    match e.netlink() {
        Some(inner) => inner.clone(),
        None => panic!("unexpected {e:?}"),
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
        r.extra.realm = Some(0x0001_0002);
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
        ensure!(
            got.extra.realm == r.extra.realm
                && got.table == TABLE_MAIN
                && got.route_type == RouteType::Unicast
        );
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
            .via("198.51.100.254".parse()?)
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
        r.extra.expires = Some(300);
        h.route_add(&r)?;
        let got = find(&h.route_list(AF_INET6)?, "2001:db8:6::/48")?;
        ensure!(got.pref == r.pref && got.gateway == r.gateway && got.priority == Some(512));
        ensure!(
            got.extra.expires.is_some_and(|e| e <= 300 && e > 290),
            "{:?}",
            got.extra.expires
        );
        // source-specific route
        let mut s = Route::new("2001:db8:7::/48".parse()?).dev(r0);
        s.extra.src = Some("2001:db8:99::/64".parse()?);
        h.route_add(&s)?;
        let got = find(&h.route_list(AF_INET6)?, "2001:db8:7::/48")?;
        ensure!(got.extra.src == s.extra.src, "{got:?}");
        // IPv4 via an IPv6 gateway (RTA_VIA)
        let v = Route::new("198.51.100.77/32".parse()?)
            .via("2001:db8::2".parse()?)
            .dev(r0);
        ensure!(v.extra.via.is_some() && v.gateway.is_none());
        h.route_add(&v)?;
        let got = find(&h.route_list(AF_INET)?, "198.51.100.77")?;
        ensure!(got.extra.via == v.extra.via, "{got:?}");
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
                    .route_type(kind)
                    .table(100)
                    .protocol(RouteProtocol(99)),
            )?;
        }
        h.route_add(
            &Route::new("203.0.113.64/28".parse()?)
                .route_type(RouteType::Blackhole)
                .table(70000),
        )?;
        h.route_add(
            &Route::new("2001:db8:dead::/48".parse()?)
                .route_type(RouteType::Blackhole)
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
                r.route_type == kind && r.table == 100 && r.protocol == RouteProtocol(99),
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
                route_type: Some(RouteType::Unreachable),
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
        h.addr_add("r1", &"203.0.113.129/25".parse()?)?;
        let mut r = Route::new("203.0.113.64/26".parse()?);
        r.multipath = vec![
            NextHop {
                weight: 3,
                ..NextHop::new(Some("192.0.2.2".parse()?), r0)
            },
            NextHop {
                weight: 1,
                realm: Some(9),
                ..NextHop::new(Some("203.0.113.130".parse()?), r1)
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
        need_feature(
            h.route_add(&r).map_err(into_sock),
            "seg6 lightweight tunnels",
        )?;
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
            action: netlink::nl_route::route::Seg6Action::EndDt6,
            table: Some(100),
            ..Seg6Local::default()
        })));
        need_feature(
            h.route_add(&l).map_err(into_sock),
            "seg6local lightweight tunnels",
        )?;
        let got = find(&h.route_list(AF_INET6)?, "2001:db8:99::1")?;
        let Some(Encap::Seg6Local(s)) = got.encap.as_deref() else {
            anyhow::bail!("{:?}", got.encap)
        };
        ensure!(
            s.action == netlink::nl_route::route::Seg6Action::EndDt6 && s.table == Some(100),
            "{s:?}"
        );
        Ok(())
    });
}

#[test]
fn mpls_encap() {
    in_netns("mpls_encap", |_| {
        let h = Handle::new()?;
        let mut r = Route::new("198.51.100.128/25".parse()?);
        r.gateway = Some("192.0.2.2".parse()?);
        h.link_add(&Link::new("m0").kind(LinkKind::veth("m1")))?;
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
        ensure!(
            got.flags.contains(netlink::nl_route::RouteFlags::CLONED) || got.extra.uid.is_some()
        );
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
        ensure!(
            got.extra.uid == Some(1000) && got.oif == Some(r0),
            "{got:?}"
        );
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
            e.kind() == ErrorKind::Invalid && matches!(e.inner(), netlink::Error::Route(_)),
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
        h.link_add(&Link::new("bulk0").kind(LinkKind::Ifb))?;
        h.link_set_up("bulk0")?;
        let dev = h.link_by_name("bulk0")?.index;
        let mut routes: Vec<Route> = (0..10_000u32)
            .map(|i| {
                let ip =
                    std::net::Ipv6Addr::new(0x2001, 0xdb8, 1, 0, 0, 0, (i >> 16) as u16, i as u16);
                Route::new(ipnet::IpNet::from(std::net::IpAddr::V6(ip)))
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
            family: netlink::AF_INET6,
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
                let ip = std::net::Ipv6Addr::new(0x2001, 0xdb8, 2, 0, 0, 0, 0, i as u16);
                Route::new(ipnet::IpNet::from(std::net::IpAddr::V6(ip)))
                    .route_type(RouteType::Blackhole)
            })
            .collect();
        ensure!(h.routes_add(&routes)?.is_ok());
        let mut n = 0;
        h.route_for_each(
            &RouteDump {
                family: netlink::AF_INET6,
                ..RouteDump::default()
            },
            |r| {
                n += usize::from(r.route_type == RouteType::Blackhole);
                Ok(())
            },
        )?;
        ensure!(n == 500);
        let mut views = 0;
        h.route_dump_views(
            &RouteDump {
                family: netlink::AF_INET6,
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

/// The destinations `ip -j route show ARGS` lists, in its order.
fn ip_dsts(ns: &Netns, args: &[&str]) -> Result<Vec<String>> {
    let j = ns.ip_json(args)?;
    Ok(j.as_array()
        .context("array")?
        .iter()
        .map(|r| r["dst"].as_str().unwrap_or("?").to_string())
        .collect())
}

fn dsts(routes: &[Route]) -> Vec<String> {
    routes.iter().map(Route::dst_string).collect()
}

#[test]
fn incomplete_route_is_refused_default_is_explicit() {
    in_netns("incomplete_route_is_refused_default_is_explicit", |ns| {
        let h = Handle::new()?;
        let (r0, _) = wired(&h, ns)?;
        // Only a device: refused before sending, for every write.
        let dev_only = Route::default().dev(r0);
        for (name, e) in [
            ("add", h.route_add(&dev_only)),
            ("add_ecmp", h.route_add_ecmp(&dev_only)),
            ("append", h.route_append(&dev_only)),
            ("replace", h.route_replace(&dev_only)),
            ("del", h.route_del(&dev_only)),
        ] {
            let e = e.err().with_context(|| format!("{name} accepted"))?;
            ensure!(
                e.kind() == ErrorKind::Invalid
                    && matches!(
                        e.inner(),
                        netlink::Error::Route(netlink::nl_route::Error::Invalid {
                            field: "dst",
                            ..
                        })
                    ),
                "{name}: {e:?}"
            );
        }
        ensure!(ip_dsts(ns, &["route", "show", "default"])?.is_empty());
        // The default route, said explicitly, is added and reads back as itself.
        let d4 = Route::default_v4().dev(r0);
        h.route_add(&d4)?;
        let got = find(&h.route_list(AF_INET)?, "default")?;
        ensure!(
            got.is_default() && got.dst == Some("0.0.0.0/0".parse()?),
            "{got:?}"
        );
        ensure!(ip_dsts(ns, &["route", "show", "default"])? == ["default"]);
        let d6 = Route::default_v6().via("2001:db8::fe".parse()?).dev(r0);
        h.route_add(&d6)?;
        let got = find(&h.route_list(AF_INET6)?, "default")?;
        ensure!(
            got.dst == Some("::/0".parse()?) && got.gateway == d6.gateway,
            "{got:?}"
        );
        // A delete of only the device is refused too (the kernel would take
        // it for the default route); the explicit one deletes it.
        ensure!(h.route_del(&dev_only).is_err());
        ensure!(ip_dsts(ns, &["route", "show", "default"])? == ["default"]);
        h.route_del(&d4)?;
        ensure!(ip_dsts(ns, &["route", "show", "default"])?.is_empty());
        // Go's way: a gateway and no destination is the default route too.
        let go_style = Route::default().via("192.0.2.254".parse()?);
        ensure!(go_style.dst.is_none());
        h.route_add(&go_style)?;
        let got = find(&h.route_list(AF_INET)?, "default")?;
        ensure!(
            got.is_default() && got.gateway == go_style.gateway,
            "{got:?}"
        );
        let j = ns.ip_json(["route", "show", "default"])?;
        ensure!(j[0]["gateway"] == "192.0.2.254", "{j}");
        // An ip-made default route reads back as 0.0.0.0/0 and deletes as parsed.
        h.route_del(&got)?;
        ns.ip(["route", "add", "default", "dev", "r0", "table", "7"])?;
        let t7 = h.route_list_filtered(&RouteDump {
            family: AF_INET,
            table: Some(7),
            ..RouteDump::default()
        })?;
        ensure!(
            t7.len() == 1 && t7[0].is_default() && t7[0].oif == Some(r0),
            "{t7:?}"
        );
        h.route_del(&t7[0])?;
        ensure!(
            ns.ip_json(["route", "show", "table", "7"])?
                .as_array()
                .is_none_or(Vec::is_empty)
        );
        Ok(())
    });
}

#[test]
fn add_ecmp_ipv4_and_ipv6() {
    in_netns("add_ecmp_ipv4_and_ipv6", |ns| {
        let h = Handle::new()?;
        let (r0, _) = wired(&h, ns)?;
        let v4 = |gw: &str| -> Result<Route> {
            Ok(Route::new("198.51.100.0/24".parse()?)
                .via(gw.parse()?)
                .dev(r0))
        };
        h.route_add_ecmp(&v4("192.0.2.2")?)?;
        h.route_add_ecmp(&v4("192.0.2.3")?)?;
        // IPv4 keeps two routes, the newer first (as `ip route prepend`).
        let ours: Vec<_> = h
            .route_list(AF_INET)?
            .into_iter()
            .filter(|r| r.dst_string() == "198.51.100.0/24")
            .map(|r| r.gateway.map(|g| g.to_string()).unwrap_or_default())
            .collect();
        let j = ns.ip_json(["route", "show", "198.51.100.0/24"])?;
        let theirs: Vec<_> = j
            .as_array()
            .context("array")?
            .iter()
            .map(|r| r["gateway"].as_str().unwrap_or("").to_string())
            .collect();
        ensure!(
            ours == ["192.0.2.3", "192.0.2.2"] && ours == theirs,
            "{ours:?} vs {theirs:?}"
        );
        // Only an identical route is an error; add (EXCL) refuses any.
        let e = h.route_add_ecmp(&v4("192.0.2.3")?).unwrap_err();
        ensure!(e.kind() == ErrorKind::Exists, "{e:?}");
        let e = h.route_add(&v4("192.0.2.4")?).unwrap_err();
        ensure!(e.kind() == ErrorKind::Exists, "{e:?}");
        // IPv6 joins them into one multipath route.
        let v6 = |gw: &str| -> Result<Route> {
            Ok(Route::new("2001:db8:8::/48".parse()?)
                .via(gw.parse()?)
                .dev(r0))
        };
        h.route_add_ecmp(&v6("2001:db8::2")?)?;
        h.route_add_ecmp(&v6("2001:db8::3")?)?;
        let got: Vec<_> = h
            .route_list(AF_INET6)?
            .into_iter()
            .filter(|r| r.dst_string() == "2001:db8:8::/48")
            .collect();
        ensure!(got.len() == 1 && got[0].multipath.len() == 2, "{got:?}");
        let j = ns.ip_json(["-6", "route", "show", "2001:db8:8::/48"])?;
        let hops = j[0]["nexthops"].as_array().context("nexthops")?;
        ensure!(hops.len() == 2, "{j}");
        for (nh, theirs) in got[0].multipath.iter().zip(hops) {
            ensure!(
                nh.gateway.map(|g| g.to_string()).as_deref() == theirs["gateway"].as_str(),
                "{nh:?} vs {theirs}"
            );
        }
        let e = h.route_add_ecmp(&v6("2001:db8::3")?).unwrap_err();
        ensure!(e.kind() == ErrorKind::Exists, "{e:?}");
        let e = h.route_add(&v6("2001:db8::4")?).unwrap_err();
        ensure!(e.kind() == ErrorKind::Exists, "{e:?}");
        // The bulk variant sends the same flags.
        let bulk = [v6("2001:db8::4")?, v6("2001:db8::5")?];
        ensure!(h.route_batch_op(netlink::RouteOp::AddEcmp, &bulk)?.is_ok());
        let got = find(&h.route_list(AF_INET6)?, "2001:db8:8::/48")?;
        ensure!(got.multipath.len() == 4, "{got:?}");
        Ok(())
    });
}

#[test]
fn ipv4_metric_zero_reads_back() {
    in_netns("ipv4_metric_zero_reads_back", |ns| {
        let h = Handle::new()?;
        let (r0, _) = wired(&h, ns)?;
        h.route_add(&Route::new("198.51.100.0/26".parse()?).dev(r0).metric(0))?;
        // The kernel sends no RTA_PRIORITY for it (ip prints no metric)...
        let j = ns.ip_json(["route", "show", "198.51.100.0/26"])?;
        ensure!(j[0].get("metric").is_none(), "{j}");
        // ...and it still reads back as the 0 that was set.
        let got = find(&h.route_list(AF_INET)?, "198.51.100.0/26")?;
        ensure!(got.priority == Some(0), "{got:?}");
        // A metric left to the kernel reads back as the kernel's: 0 (IPv4), 1024 (IPv6).
        h.route_add(&Route::new("198.51.100.64/26".parse()?).dev(r0))?;
        ensure!(find(&h.route_list(AF_INET)?, "198.51.100.64/26")?.priority == Some(0));
        h.route_add(&Route::new("2001:db8:9::/48".parse()?).dev(r0))?;
        ensure!(find(&h.route_list(AF_INET6)?, "2001:db8:9::/48")?.priority == Some(1024));
        // The parsed route deletes as it is.
        h.route_del(&got)?;
        ensure!(ip_dsts(ns, &["route", "show", "198.51.100.0/26"])?.is_empty());
        Ok(())
    });
}

#[test]
fn dump_filters_select_like_ip() {
    in_netns("dump_filters_select_like_ip", |ns| {
        let h = Handle::new()?;
        let (r0, r1) = wired(&h, ns)?;
        h.addr_add("r0", &"192.0.2.9/24".parse()?)?;
        h.addr_add("r1", &"203.0.113.129/25".parse()?)?;
        for cmd in [
            "route add default via 192.0.2.254",
            "route add 198.51.100.0/26 via 192.0.2.2 metric 5",
            "route add 198.51.100.64/26 via 192.0.2.3 src 192.0.2.9 tos 0x10 realm 7",
            "route add 198.51.100.128/26 dev r1 scope link proto static",
            "route add 198.51.100.192/26 via 192.0.2.2 hoplimit 9",
            "route add 203.0.113.0/24 nexthop via 192.0.2.5 dev r0 nexthop via 192.0.2.6 dev r0",
            "-6 route add default via 2001:db8::fe",
            "-6 route add 2001:db8:6::/48 via 2001:db8::2 metric 5",
        ] {
            ns.ip(cmd.split(' ')).with_context(|| cmd.to_string())?;
        }
        let ours = |f: RouteDump| -> Result<Vec<String>> {
            Ok(dsts(&h.route_list_filtered(&RouteDump {
                family: AF_INET,
                ..f
            })?))
        };
        let d = RouteDump::default;
        let cases: Vec<(RouteDump, &[&str])> = vec![
            (
                RouteDump {
                    default_only: true,
                    ..d()
                },
                &["default"],
            ),
            (
                RouteDump {
                    gateway: Some("192.0.2.2".parse()?),
                    ..d()
                },
                &["via", "192.0.2.2"],
            ),
            (
                RouteDump {
                    prefsrc: Some("192.0.2.9".parse()?),
                    ..d()
                },
                &["src", "192.0.2.9"],
            ),
            (
                RouteDump {
                    scope: Some(Scope::Link),
                    ..d()
                },
                &["scope", "link"],
            ),
            (
                RouteDump {
                    tos: Some(0x10),
                    ..d()
                },
                &["tos", "0x10"],
            ),
            (
                RouteDump {
                    priority: Some(5),
                    ..d()
                },
                &["metric", "5"],
            ),
            (
                RouteDump {
                    realm: Some(7),
                    ..d()
                },
                &["realm", "7"],
            ),
            (
                RouteDump {
                    protocol: Some(RouteProtocol::STATIC),
                    ..d()
                },
                &["proto", "static"],
            ),
            (
                RouteDump {
                    oif: Some(r1),
                    ..d()
                },
                &["dev", "r1"],
            ),
            (
                RouteDump {
                    dst: Some("0.0.0.0/0".parse()?),
                    ..d()
                },
                &["exact", "0/0"],
            ),
        ];
        for (filter, words) in cases {
            let mut args = vec!["-4", "route", "show"];
            args.extend_from_slice(words);
            let theirs = ip_dsts(ns, &args)?;
            let mine = ours(filter.clone()).with_context(|| format!("{filter:?}"))?;
            ensure!(
                !mine.is_empty() && mine == theirs,
                "{words:?}: ours {mine:?}, ip {theirs:?}"
            );
        }
        // Filters ip has not (or reads differently): exactly the right routes.
        ensure!(
            ours(RouteDump {
                hoplimit: Some(9),
                ..d()
            })? == ["198.51.100.192/26"]
        );
        // A gateway on any path of a multipath route selects it.
        ensure!(
            ours(RouteDump {
                gateway: Some("192.0.2.6".parse()?),
                ..d()
            })? == ["203.0.113.0/24"]
        );
        ensure!(
            ours(RouteDump {
                oif: Some(r0),
                scope: Some(Scope::Universe),
                ..d()
            })? == [
                "default",
                "198.51.100.0/26",
                "198.51.100.64/26",
                "198.51.100.192/26",
                "203.0.113.0/24"
            ]
        );
        // default_only over both families; metric filters per family.
        let both = h.route_list_filtered(&RouteDump {
            default_only: true,
            ..d()
        })?;
        ensure!(
            both.len() == 2 && both.iter().any(|r| r.family == AF_INET6 && r.is_default()),
            "{both:?}"
        );
        let v6 = h.route_list_filtered(&RouteDump {
            family: AF_INET6,
            priority: Some(5),
            ..d()
        })?;
        ensure!(
            dsts(&v6) == ip_dsts(ns, &["-6", "route", "show", "metric", "5"])?,
            "{v6:?}"
        );
        ensure!(dsts(&v6) == ["2001:db8:6::/48"]);
        Ok(())
    });
}
