//! Addresses through the facade against the real kernel, and the two
//! examples of the Go library's README, in Rust, in a private namespace.

use anyhow::{Context, Result, ensure};
use netlink::{AF_INET, AF_INET6, Addr, AddrFlags, ErrorKind, Handle, Link, LinkKind, Scope};
use netlink_tests::in_netns;

fn lo_up(h: &Handle) -> Result<()> {
    h.link_set_up("lo")?;
    Ok(())
}

#[test]
fn go_readme_bridge_example() {
    in_netns("go_readme_bridge_example", |ns| {
        // The test namespace has no eth1: make one, as the Go README assumes.
        ns.ip([
            "link", "add", "eth1", "type", "veth", "peer", "name", "eth1p",
        ])?;
        // --- the README example ---
        let h = Handle::new()?;
        let mybridge = Link::new("foo").kind(LinkKind::bridge());
        h.link_add(&mybridge)?;
        let eth1 = h.link_by_name("eth1")?;
        h.link_set_master(&eth1, &h.link_by_name("foo")?)?;
        // --- end ---
        let j = ns.ip_json(["link", "show", "eth1"])?;
        ensure!(j[0]["master"] == "foo", "{}", j[0]);
        Ok(())
    });
}

#[test]
fn go_readme_address_example() {
    in_netns("go_readme_address_example", |ns| {
        // --- the README example ---
        let h = Handle::new()?;
        let lo = h.link_by_name("lo")?;
        let addr: Addr = "169.254.169.254/32".parse()?;
        h.addr_add(&lo, &addr)?;
        // --- end ---
        let shown = ns.ip(["-o", "addr", "show", "dev", "lo"])?;
        ensure!(shown.contains("inet 169.254.169.254/32"), "{shown}");
        Ok(())
    });
}

#[test]
fn ipv4_and_ipv6_addresses_round_trip() {
    in_netns("ipv4_and_ipv6_addresses_round_trip", |ns| {
        let h = Handle::new()?;
        lo_up(&h)?;
        ns.ip(["link", "add", "a0", "type", "veth", "peer", "name", "a1"])?;
        h.link_set_up("a0")?;
        let a0 = h.link_by_name("a0")?;

        let mut v4: Addr = "192.0.2.10/24".parse()?;
        v4.broadcast = v4.computed_broadcast();
        v4.label = Some("a0:web".into());
        v4.valid_lft = Some(3600);
        v4.preferred_lft = Some(1800);
        v4.flags = AddrFlags::NOPREFIXROUTE;
        v4.metric = Some(77);
        h.addr_add(&a0, &v4)?;

        let mut secondary: Addr = "192.0.2.11/24".parse()?;
        secondary.label = Some("a0".into());
        h.addr_add("a0", &secondary)?;

        let mut v6: Addr = "2001:db8::10/64".parse()?;
        v6.flags = AddrFlags::NODAD;
        h.addr_add(a0.index, &v6)?;

        let mut ptp: Addr = "198.51.100.1/32".parse()?;
        ptp.peer = Some("198.51.100.2".parse()?);
        h.addr_add("a0", &ptp)?;

        let all = h.addr_list(Some("a0".into()), 0)?;
        let got4 = all
            .iter()
            .find(|a| a.ip() == v4.ip())
            .context("192.0.2.10")?;
        ensure!(
            got4.prefix == v4.prefix && got4.broadcast == v4.broadcast,
            "{got4:?}"
        );
        ensure!(got4.label.as_deref() == Some("a0:web") && got4.index == a0.index);
        ensure!(
            got4.valid_lft.is_some_and(|v| v <= 3600 && v > 3500),
            "{:?}",
            got4.valid_lft
        );
        ensure!(got4.preferred_lft.is_some_and(|v| v <= 1800 && v > 1700));
        ensure!(got4.flags.contains(AddrFlags::NOPREFIXROUTE) && got4.metric == Some(77));
        ensure!(got4.scope == Scope::Universe && got4.peer.is_none());
        let got_sec = all
            .iter()
            .find(|a| a.ip() == secondary.ip())
            .context("secondary")?;
        ensure!(
            got_sec.flags.contains(AddrFlags::SECONDARY),
            "second address in the subnet is secondary"
        );
        let got6 = all
            .iter()
            .find(|a| a.ip() == v6.ip())
            .context("2001:db8::10")?;
        ensure!(got6.prefix == v6.prefix && got6.flags.contains(AddrFlags::NODAD));
        ensure!(got6.flags.contains(AddrFlags::PERMANENT));
        let gotp = all.iter().find(|a| a.ip() == ptp.ip()).context("ptp")?;
        ensure!(gotp.peer == ptp.peer, "{gotp:?}");

        // per family
        let only6 = h.addr_list(Some("a0".into()), AF_INET6)?;
        ensure!(
            only6.iter().all(|a| a.family() == AF_INET6) && only6.iter().any(|a| a.ip() == v6.ip())
        );
        let only4 = h.addr_list(None, AF_INET)?;
        ensure!(
            only4.iter().all(|a| a.family() == AF_INET) && only4.len() >= 4,
            "{only4:?}"
        );

        // ip reads what we wrote
        let j = ns.ip_json(["addr", "show", "dev", "a0"])?;
        let infos = j[0]["addr_info"].as_array().context("addr_info")?;
        let web = infos
            .iter()
            .find(|i| i["local"] == "192.0.2.10")
            .context("ip sees 192.0.2.10")?;
        ensure!(
            web["prefixlen"] == 24 && web["broadcast"] == "192.0.2.255" && web["label"] == "a0:web",
            "{web}"
        );
        ensure!(web["noprefixroute"] == true && web["metric"] == 77, "{web}");
        let p = infos
            .iter()
            .find(|i| i["local"] == "198.51.100.1")
            .context("ptp")?;
        ensure!(p["address"] == "198.51.100.2", "{p}");

        // replace changes the lifetime in place; add again is EEXIST
        v4.valid_lft = Some(100);
        v4.preferred_lft = Some(50);
        h.addr_replace("a0", &v4)?;
        let again = h.addr_list(Some("a0".into()), AF_INET)?;
        let r = again
            .iter()
            .find(|a| a.ip() == v4.ip())
            .context("replaced")?;
        ensure!(r.valid_lft.is_some_and(|v| v <= 100), "{r:?}");
        let e = h.addr_add("a0", &v4).unwrap_err();
        ensure!(e.kind() == ErrorKind::Exists, "{e:?}");

        // delete
        h.addr_del("a0", &v6)?;
        h.addr_del("a0", &ptp)?;
        let left = h.addr_list(Some("a0".into()), 0)?;
        ensure!(
            !left.iter().any(|a| a.ip() == v6.ip() || a.ip() == ptp.ip()),
            "{left:?}"
        );
        let e = h.addr_del("a0", &v6).unwrap_err();
        ensure!(
            e.kind() == ErrorKind::Address || e.kind() == ErrorKind::NotFound,
            "{e:?}"
        );
        Ok(())
    });
}

#[test]
fn addresses_added_by_ip_read_by_us() {
    in_netns("addresses_added_by_ip_read_by_us", |ns| {
        ns.ip(["link", "add", "b0", "type", "veth", "peer", "name", "b1"])?;
        ns.ip([
            "addr",
            "add",
            "203.0.113.5/25",
            "brd",
            "+",
            "dev",
            "b0",
            "label",
            "b0:x",
        ])?;
        ns.ip([
            "addr",
            "add",
            "2001:db8:1::5/48",
            "dev",
            "b0",
            "nodad",
            "valid_lft",
            "500",
            "preferred_lft",
            "400",
        ])?;
        ns.ip([
            "addr",
            "add",
            "203.0.113.200/32",
            "peer",
            "203.0.113.201/32",
            "dev",
            "b0",
            "scope",
            "link",
        ])?;
        let h = Handle::new()?;
        let ours = h.addr_list(Some("b0".into()), 0)?;
        let j = ns.ip_json(["addr", "show", "dev", "b0"])?;
        let infos = j[0]["addr_info"].as_array().context("addr_info")?;
        ensure!(
            ours.len() == infos.len(),
            "ours {} vs ip {}",
            ours.len(),
            infos.len()
        );
        for info in infos {
            let local = info["local"].as_str().context("local")?;
            let a = ours
                .iter()
                .find(|a| a.ip().to_string() == local)
                .with_context(|| format!("{local} missing"))?;
            ensure!(
                u64::from(a.prefix.prefix_len()) == info["prefixlen"].as_u64().unwrap_or(999),
                "{info}"
            );
            ensure!(
                a.scope.to_string() == info["scope"].as_str().unwrap_or(""),
                "{info} vs {a:?}"
            );
            let fam = if a.family() == AF_INET {
                "inet"
            } else {
                "inet6"
            };
            ensure!(info["family"] == fam);
            if let Some(l) = info["label"].as_str() {
                ensure!(a.label.as_deref() == Some(l), "{info}");
            }
            if let Some(b) = info["broadcast"].as_str() {
                ensure!(
                    a.broadcast.map(|x| x.to_string()).as_deref() == Some(b),
                    "{info}"
                );
            }
            if let Some(p) = info["address"].as_str() {
                ensure!(
                    a.peer.map(|x| x.to_string()).as_deref() == Some(p),
                    "{info}"
                );
            }
            for (key, flag) in [
                ("nodad", AddrFlags::NODAD),
                ("noprefixroute", AddrFlags::NOPREFIXROUTE),
            ] {
                ensure!(
                    info[key].as_bool().unwrap_or(false) == a.flags.contains(flag),
                    "{key}: {info}"
                );
            }
            match info["valid_life_time"].as_u64() {
                Some(v) if v != u64::from(u32::MAX) => {
                    ensure!(
                        a.valid_lft.is_some_and(|x| u64::from(x).abs_diff(v) <= 2),
                        "{info} vs {a:?}"
                    )
                }
                _ => ensure!(a.valid_lft == Some(u32::MAX), "{info} vs {a:?}"),
            }
        }
        Ok(())
    });
}

#[test]
fn bad_addresses_are_refused() {
    in_netns("bad_addresses_are_refused", |_| {
        let h = Handle::new()?;
        let mut mixed: Addr = "192.0.2.1/24".parse()?;
        mixed.peer = Some("2001:db8::1".parse()?);
        let e = h.addr_add("lo", &mixed).unwrap_err();
        ensure!(
            e.kind() == ErrorKind::Invalid && matches!(e.inner(), netlink::Error::Route(_)),
            "{e:?}"
        );
        let e = h
            .addr_add("nosuchlink", &"192.0.2.1/24".parse()?)
            .unwrap_err();
        ensure!(e.is_not_found(), "{e:?}");
        ensure!("192.0.2.1/40".parse::<Addr>().is_err());
        Ok(())
    });
}

#[test]
fn metric_zero_is_the_kernels_default() {
    in_netns("metric_zero_is_the_kernels_default", |ns| {
        let h = Handle::new()?;
        ns.ip(["link", "add", "m0", "type", "veth", "peer", "name", "m1"])?;
        h.link_set_up("m0")?;
        // Metric 0, set or not, is what the kernel stores and leaves out:
        // both read back None, and both give the prefix route metric 0.
        let mut zero: Addr = "192.0.2.1/24".parse()?;
        zero.metric = Some(0);
        h.addr_add("m0", &zero)?;
        let mut seven: Addr = "198.51.100.1/24".parse()?;
        seven.metric = Some(7);
        h.addr_add("m0", &seven)?;
        let addrs = h.addr_list(Some("m0".into()), AF_INET)?;
        let metric = |p: &str| -> Result<Option<u32>> {
            Ok(addrs
                .iter()
                .find(|a| a.prefix.to_string() == p)
                .with_context(|| format!("{p}: {addrs:?}"))?
                .metric)
        };
        ensure!(metric("192.0.2.1/24")?.is_none() && metric("198.51.100.1/24")? == Some(7));
        let j = ns.ip_json(["route", "show", "192.0.2.0/24"])?;
        ensure!(j[0].get("metric").is_none(), "{j}");
        let j = ns.ip_json(["route", "show", "198.51.100.0/24"])?;
        ensure!(j[0]["metric"] == 7, "{j}");
        Ok(())
    });
}
