//! `ip monitor [all | OBJECTS] [label]`: each change the kernel
//! announces, printed as `ip monitor` prints it (links without mode and
//! qlen, addresses after their link's index and name, `Deleted ` before
//! what went away, `[LINK]`-style labels with `label` or `all`).

use std::collections::HashMap;
use std::fmt::Write as _;
use std::io::Write;

use anyhow::{Result, bail};
use netlink::nl_route::text::{LinkNames, RouteListing};
use netlink::nl_route::uapi::rtnetlink::*;
use netlink::nl_route::{Netconf, NetconfDevice, Nsid, RouteFlags};
use netlink::{Addr, Link, Neigh, Nexthop, Route, Rule};

use super::Ip;
use crate::args::{Args, matches};
use crate::json::Names;

/// The objects `ip monitor` can be asked for.
#[derive(Debug, Clone, Copy, Default)]
struct Objects {
    link: bool,
    addr: bool,
    route: bool,
    neigh: bool,
    rule: bool,
    nexthop: bool,
    netconf: bool,
    nsid: bool,
}

/// `ip monitor ...`: runs until the socket fails (or the process is
/// ended), flushing `out` after each event.
pub fn run(ip: &Ip<'_>, mut args: Args<'_>, out: &mut dyn Write) -> Result<()> {
    let mut o = Objects::default();
    let mut any = false;
    let mut label = false;
    while let Some(w) = args.next() {
        any |= !matches!(w, "all" | "label");
        match w {
            "all" => label = true,
            w if matches(w, "label", 1) => label = true,
            w if matches(w, "link", 1) => o.link = true,
            w if matches(w, "address", 1) => o.addr = true,
            w if matches(w, "route", 1) => o.route = true,
            w if matches(w, "neigh", 1) => o.neigh = true,
            w if matches(w, "rule", 2) => o.rule = true,
            w if matches(w, "nexthop", 2) => o.nexthop = true,
            w if matches(w, "netconf", 4) => o.netconf = true,
            w if matches(w, "nsid", 2) => o.nsid = true,
            "help" => {
                writeln!(
                    out,
                    "Usage: ip monitor [ all | OBJECTS ] [ label ]\nOBJECTS := address | link | neigh | netconf | nexthop | nsid | route | rule"
                )?;
                return Ok(());
            }
            other => bail!("Argument \"{other}\" is unknown, try \"ip monitor help\"."),
        }
    }
    if !any {
        o = Objects {
            link: true,
            addr: true,
            route: true,
            neigh: true,
            rule: true,
            nexthop: true,
            netconf: true,
            nsid: true,
        };
    }
    let fam = ip.opts.family;
    let v4 = fam == 0 || fam == netlink::AF_INET;
    let v6 = fam == 0 || fam == netlink::AF_INET6;
    let mut groups = Vec::new();
    let mut want = |on: bool, g: u32| {
        if on {
            groups.push(g);
        }
    };
    want(o.link, RTNLGRP_LINK);
    want(o.addr && v4, RTNLGRP_IPV4_IFADDR);
    want(o.addr && v6, RTNLGRP_IPV6_IFADDR);
    want(o.route && v4, RTNLGRP_IPV4_ROUTE);
    want(o.route && v6, RTNLGRP_IPV6_ROUTE);
    want(o.route && fam == 0, RTNLGRP_MPLS_ROUTE);
    want(o.neigh, RTNLGRP_NEIGH);
    want(o.netconf && v4, RTNLGRP_IPV4_NETCONF);
    want(o.netconf && v6, RTNLGRP_IPV6_NETCONF);
    want(o.netconf && fam == 0, RTNLGRP_MPLS_NETCONF);
    want(o.rule && v4, RTNLGRP_IPV4_RULE);
    want(o.rule && v6, RTNLGRP_IPV6_RULE);
    want(o.nsid, RTNLGRP_NSID);
    want(o.nexthop, RTNLGRP_NEXTHOP);
    let mut sock = ip.h.open_socket(netlink::NETLINK_ROUTE)?;
    for g in groups {
        sock.join(g)?;
    }
    // The names printed, kept up to date by the link events (ip's ll_map).
    let mut names = ip.names()?;
    let mut nsids =
        ip.h.netns_names(&netlink::NetnsDir::run())
            .unwrap_or_default();
    let mut text = String::new();
    loop {
        let received = sock.recv_with(|m| {
            text.clear();
            let ty = m.ty();
            // A message that does not parse is reported and skipped.
            if let Err(e) = print(&mut text, &m, ty, &mut names, &mut nsids, ip, label) {
                eprintln!("Error: {e}");
            }
            Ok(())
        });
        match received {
            Ok(_) => {}
            Err(e) if e.kind() == netlink::ErrorKind::Overrun => {
                eprintln!("netlink receive error No buffer space available (105)");
            }
            Err(e) => return Err(e.into()),
        }
        // Everything of a datagram, then out at once, as ip flushes per event.
        out.write_all(text.as_bytes())?;
        text.clear();
        out.flush()?;
    }
}

/// Makes `names` know link `index` when the kernel does, as ip's
/// `ll_index_to_name` asks it for a link it has not seen (a netconf
/// notice comes before its link's).
fn learn(names: &mut Names, ip: &Ip<'_>, index: u32) {
    if index == 0 || names.contains_key(&index) {
        return;
    }
    if let Ok(l) = ip.h.link_by_index(index) {
        names.insert(index, (l.name, l.flags));
    }
}

fn print(
    t: &mut String,
    m: &netlink::nl_wire::Msg<'_>,
    ty: u16,
    names: &mut Names,
    nsids: &mut HashMap<i32, String>,
    ip: &Ip<'_>,
    label: bool,
) -> Result<()> {
    let tag = |t: &mut String, s: &str| {
        if label {
            t.push_str(s);
        }
    };
    let deleted = |t: &mut String, del: bool| {
        if del {
            t.push_str("Deleted ");
        }
    };
    match ty {
        RTM_NEWLINK | RTM_DELLINK => {
            let l = Link::parse(m)?;
            if ty == RTM_DELLINK {
                names.remove(&l.index);
            } else {
                names.insert(l.index, (l.name.clone(), l.flags));
            }
            tag(t, "[LINK]");
            deleted(t, ty == RTM_DELLINK);
            let text = l
                .text(&*names)
                .monitor(true)
                .details(ip.opts.details)
                .netns_names(nsids);
            writeln!(t, "{text}")?;
        }
        RTM_NEWADDR | RTM_DELADDR => {
            let a = Addr::parse(m)?;
            learn(names, ip, a.index);
            tag(t, "[ADDR]");
            deleted(t, ty == RTM_DELADDR);
            let dev = names
                .name(a.index)
                .map_or_else(|| format!("if{}", a.index), str::to_string);
            let mut lines = Vec::new();
            crate::text::addr(&mut lines, &a, &dev)?;
            write!(t, "{}: {dev}{}", a.index, String::from_utf8_lossy(&lines))?;
        }
        RTM_NEWROUTE | RTM_DELROUTE => {
            let r = Route::parse(m)?;
            if r.flags.contains(RouteFlags::CLONED) {
                return Ok(());
            }
            for i in r.oif.iter().chain(r.extra.iif.iter()) {
                learn(names, ip, *i);
            }
            for nh in &r.multipath {
                learn(names, ip, nh.ifindex);
            }
            tag(t, "[ROUTE]");
            deleted(t, ty == RTM_DELROUTE);
            let listing = RouteListing {
                details: ip.opts.details,
                ..RouteListing::default()
            };
            writeln!(t, "{}", r.text(&*names).listing(listing))?;
        }
        RTM_NEWNEIGH | RTM_DELNEIGH | RTM_GETNEIGH => {
            let n = Neigh::parse(m)?;
            let fam = ip.opts.family;
            if fam != 0 && n.family != fam {
                return Ok(());
            }
            learn(names, ip, n.ifindex);
            tag(t, "[NEIGH]");
            deleted(t, ty == RTM_DELNEIGH);
            if ty == RTM_GETNEIGH {
                t.push_str("miss ");
            }
            writeln!(t, "{}", n.text(&*names))?;
        }
        RTM_NEWRULE | RTM_DELRULE => {
            let r = Rule::parse(m)?;
            tag(t, "[RULE]");
            deleted(t, ty == RTM_DELRULE);
            writeln!(t, "{r}")?;
        }
        RTM_NEWNEXTHOP | RTM_DELNEXTHOP => {
            let n = Nexthop::parse(m)?;
            tag(t, "[NEXTHOP]");
            deleted(t, ty == RTM_DELNEXTHOP);
            writeln!(t, "{}", n.text(&*names))?;
        }
        RTM_NEWNETCONF | RTM_DELNETCONF => {
            let c = Netconf::parse(m)?;
            if let NetconfDevice::Link(i) = c.device {
                learn(names, ip, i);
            }
            tag(t, "[NETCONF]");
            deleted(t, ty == RTM_DELNETCONF);
            netconf(t, &c, names);
            t.push('\n');
        }
        RTM_NEWNSID | RTM_DELNSID => {
            let n = Nsid::parse(m)?;
            tag(t, "[NSID]");
            deleted(t, ty == RTM_DELNSID);
            if n.nsid < 0 {
                t.push_str("nsid unassigned ");
            } else {
                write!(t, "nsid {} ", n.nsid)?;
            }
            if ty == RTM_NEWNSID && !nsids.contains_key(&n.nsid) {
                // A new id: perhaps of a named namespace.
                if let Ok(fresh) = ip.h.netns_names(&netlink::NetnsDir::run()) {
                    *nsids = fresh;
                }
            }
            if let Some(name) = nsids.get(&n.nsid) {
                write!(t, "(iproute2 netns name: {name})")?;
            }
            t.push('\n');
        }
        _ => {}
    }
    Ok(())
}

/// `print_netconf` of ip/ipnetconf.c.
fn netconf(t: &mut String, c: &Netconf, names: &Names) {
    let family = match c.family {
        netlink::AF_INET => "inet",
        netlink::AF_INET6 => "inet6",
        28 => "mpls",
        _ => "???",
    };
    let _ = write!(t, "{family} ");
    let dev = match c.device {
        NetconfDevice::All => "all".to_string(),
        NetconfDevice::Default => "default".to_string(),
        NetconfDevice::Link(i) => names
            .name(i)
            .map_or_else(|| format!("if{i}"), str::to_string),
        NetconfDevice::Other(i) => format!("if{i}"),
    };
    let _ = write!(t, "{dev} ");
    let onoff = |v: i32| if v != 0 { "on" } else { "off" };
    if let Some(v) = c.forwarding {
        let _ = write!(t, "forwarding {} ", onoff(v));
    }
    if let Some(v) = c.rp_filter {
        match v {
            0 => t.push_str("rp_filter off "),
            1 => t.push_str("rp_filter strict "),
            2 => t.push_str("rp_filter loose "),
            v => {
                let _ = write!(t, "rp_filter {} ", v as u32);
            }
        }
    }
    for (name, v) in [
        ("mc_forwarding", c.mc_forwarding),
        ("proxy_neigh", c.proxy_neigh),
        ("ignore_routes_with_linkdown", c.ignore_routes_with_linkdown),
        ("input", c.input),
    ] {
        if let Some(v) = v {
            let _ = write!(t, "{name} {} ", onoff(v));
        }
    }
}
