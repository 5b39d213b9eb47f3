//! `ip route show | get | add | append | replace | change | del | flush`,
//! and the JSON `ip -j route` prints (the conformance tests include this
//! file too).

use std::io::Write;
use std::net::IpAddr;

use anyhow::{Context, Result, bail};
use netlink::nl_route::RouteFlags;
use netlink::nl_route::route::{
    MplsLabel, RoutePref, Seg6Local, Seg6Mode, Srh, TABLE_ALL, TABLE_MAIN, parse_table, table_name,
};
use netlink::nl_route::text::{Dev, RouteListing, family_name};
use netlink::nl_route::uapi::rtnetlink::{RTAX_CC_ALGO, RTM_NEWROUTE};
use netlink::{
    Encap, Metrics, NextHop, Route, RouteDump, RouteGet, RouteProtocol, RouteType, Scope,
};
use serde_json::{Map, Value, json};

use super::Ip;
use crate::args::{Args, garbage, is_list, matches, number};
use crate::json::{Names, NamesByIndex};

fn dev_name(names: &Names, index: u32) -> String {
    Dev(names, index).to_string()
}

/// `ip -j` prints metrics as plain numbers in its units (lock marks only
/// appear in the text output) and the algorithm as "congestion".
fn metrics_json(m: &Metrics) -> Option<Value> {
    let mut o = Map::new();
    for (kind, name) in Metrics::NAMES {
        if let Some(v) = m.get(kind) {
            o.insert(name.into(), json!(Metrics::user_units(kind, v)));
        }
    }
    if let Some(cc) = &m.cc_algo {
        o.insert("congestion".into(), json!(cc));
    }
    if o.is_empty() {
        None
    } else {
        Some(json!([Value::Object(o)]))
    }
}

fn encap_json(o: &mut Map<String, Value>, e: &Encap) {
    o.insert("encap".into(), json!(e.name()));
    match e {
        Encap::Mpls { labels, ttl } => {
            let s: Vec<String> = labels.iter().map(|l| l.label.to_string()).collect();
            o.insert("dst".into(), json!(s.join("/")));
            if let Some(t) = ttl {
                o.insert("ttl".into(), json!(t));
            }
        }
        Encap::Seg6 { mode, srh } => {
            o.insert("mode".into(), json!(mode.to_string()));
            o.insert(
                "segs".into(),
                json!(
                    srh.segments
                        .iter()
                        .map(|s| s.to_string())
                        .collect::<Vec<_>>()
                ),
            );
        }
        Encap::Seg6Local(s) => {
            o.insert(
                "action".into(),
                json!(seg6local_action_name(s.action.into())),
            );
            if let Some(t) = s.table {
                o.insert("table".into(), json!(t));
            }
            if let Some(n) = s.nh6 {
                o.insert("nh6".into(), json!(n.to_string()));
            }
            if let Some(n) = s.nh4 {
                o.insert("nh4".into(), json!(n.to_string()));
            }
        }
        _ => {}
    }
}

const SEG6LOCAL_ACTIONS: [(u32, &str); 16] = [
    (1, "End"),
    (2, "End.X"),
    (3, "End.T"),
    (4, "End.DX2"),
    (5, "End.DX6"),
    (6, "End.DX4"),
    (7, "End.DT6"),
    (8, "End.DT4"),
    (9, "End.B6"),
    (10, "End.B6.Encaps"),
    (11, "End.BM"),
    (12, "End.S"),
    (13, "End.AS"),
    (14, "End.AM"),
    (15, "End.BPF"),
    (16, "End.DT46"),
];

fn seg6local_action_name(a: u32) -> String {
    SEG6LOCAL_ACTIONS
        .iter()
        .find(|(v, _)| *v == a)
        .map_or_else(|| a.to_string(), |(_, n)| (*n).to_string())
}

/// Realms `FROM/TO` packed as `(from << 16) | to`, as `ip` prints them.
fn realm_json(realm: u32) -> Value {
    let (from, to) = (realm >> 16, realm & 0xffff);
    let mut o = Map::new();
    if from != 0 {
        o.insert("from".into(), json!(from.to_string()));
    }
    o.insert("to".into(), json!(to.to_string()));
    Value::Object(o)
}

fn flags_json(f: RouteFlags) -> Value {
    json!(f.names())
}

/// The object `ip -j [-d] route show` prints for one route.
pub fn route_json(r: &Route, names: &Names, details: bool) -> Value {
    let mut o = Map::new();
    if details || r.route_type != RouteType::Unicast {
        o.insert("type".into(), json!(r.route_type.to_string()));
    }
    o.insert("dst".into(), json!(r.dst_string()));
    if let Some(s) = r.extra.src {
        // A host prefix is printed without its length.
        let text = if s.prefix_len() == s.max_prefix_len() {
            s.addr().to_string()
        } else {
            s.to_string()
        };
        o.insert("from".into(), json!(text));
    }
    if let Some(e) = &r.encap {
        encap_json(&mut o, e);
    }
    if let Some(g) = r.gateway {
        o.insert("gateway".into(), json!(g.to_string()));
    }
    if let Some(v) = r.extra.via {
        o.insert(
            "via".into(),
            json!({"family": family_name(&v), "host": v.to_string()}),
        );
    }
    if let Some(i) = r.oif {
        o.insert("dev".into(), json!(dev_name(names, i)));
    }
    if r.table != TABLE_MAIN {
        o.insert("table".into(), json!(table_name(r.table)));
    }
    // A cloned route (route get's answer) has neither.
    let cloned = r.flags.contains(RouteFlags::CLONED);
    if (details || r.protocol != RouteProtocol::BOOT) && !cloned {
        o.insert("protocol".into(), json!(r.protocol.to_string()));
    }
    if (details || r.scope != Scope::Universe) && !cloned {
        o.insert("scope".into(), json!(r.scope.to_string()));
    }
    if let Some(p) = r.prefsrc {
        o.insert("prefsrc".into(), json!(p.to_string()));
    }
    // ip prints the metric the kernel sends: IPv4 leaves out 0.
    if let Some(m) = r
        .priority
        .filter(|m| *m != 0 || r.family != netlink::AF_INET)
    {
        o.insert("metric".into(), json!(m));
    }
    if r.tos != 0 {
        o.insert("tos".into(), json!(format!("{:#x}", r.tos)));
    }
    if let Some(realm) = r.extra.realm {
        o.insert("flow".into(), realm_json(realm));
    }
    o.insert("flags".into(), flags_json(r.flags));
    if let Some(m) = r.extra.mark.filter(|m| *m != 0) {
        o.insert("mark".into(), json!(m));
    }
    if let Some(u) = r.extra.uid {
        o.insert("uid".into(), json!(u));
    }
    if r.family == netlink::AF_INET && cloned {
        let names = netlink::nl_route::text::cache_flag_names(r.flags.bits());
        o.insert("cache".into(), json!(names));
    }
    if let Some(e) = r.cache_info.map(|c| c.error).filter(|e| *e != 0) {
        o.insert("error".into(), json!(e));
    }
    if let Some(n) = r.nh_id {
        o.insert("nhid".into(), json!(n));
    }
    if let Some(m) = r.metrics.as_deref().and_then(metrics_json) {
        o.insert("metrics".into(), m);
    }
    if !r.multipath.is_empty() {
        let hops: Vec<Value> = r
            .multipath
            .iter()
            .map(|nh| {
                let mut h = Map::new();
                if let Some(e) = &nh.encap {
                    encap_json(&mut h, e);
                }
                if let Some(g) = nh.gateway {
                    h.insert("gateway".into(), json!(g.to_string()));
                }
                if let Some(v) = nh.via {
                    h.insert(
                        "via".into(),
                        json!({"family": family_name(&v), "host": v.to_string()}),
                    );
                }
                if nh.ifindex != 0 {
                    h.insert("dev".into(), json!(dev_name(names, nh.ifindex)));
                }
                h.insert("weight".into(), json!(nh.weight));
                h.insert("flags".into(), flags_json(nh.flags));
                Value::Object(h)
            })
            .collect();
        o.insert("nexthops".into(), Value::Array(hops));
    }
    if let Some(e) = r.extra.expires {
        o.insert("expires".into(), json!(e));
    }
    if let Some(p) = r.pref {
        o.insert("pref".into(), json!(p.to_string()));
    }
    Value::Object(o)
}

/// `ip route COMMAND ...`.
pub fn run(ip: &Ip<'_>, mut args: Args<'_>, out: &mut dyn Write) -> Result<()> {
    let cmd = args.next().unwrap_or("show");
    let h = ip.h;
    match cmd {
        c if is_list(c) => show(ip, args, out),
        c if matches(c, "get", 1) => get(ip, args, out),
        c if matches(c, "flush", 1) => flush(ip, args, out),
        c if matches(c, "add", 1) => Ok(h.route_add(&parse_route(ip, &mut args)?)?),
        c if matches(c, "append", 2) => Ok(h.route_append(&parse_route(ip, &mut args)?)?),
        c if matches(c, "replace", 3) => Ok(h.route_replace(&parse_route(ip, &mut args)?)?),
        c if matches(c, "change", 1) => Ok(h.route_change(&parse_route(ip, &mut args)?)?),
        c if matches(c, "delete", 1) => Ok(h.route_del(&parse_route(ip, &mut args)?)?),
        "help" => {
            writeln!(
                out,
                "Usage: ip route {{ show [table T|all] [dev X] [proto P] [type T] [PREFIX] | get ADDR [from A] [iif X] [oif X] [mark N] [uid N] [fibmatch] | add|append|replace|change|del ROUTE | flush SELECTOR }}"
            )?;
            Ok(())
        }
        other => bail!("Command \"{other}\" is unknown, try \"ip route help\"."),
    }
}

/// What `ip route show|flush` selects: the library's dump filter, and
/// `match PREFIX` (routes covering the prefix), which only the tool
/// applies.
pub struct Selector {
    /// The dump and the filters the library applies.
    pub dump: RouteDump,
    /// `match PREFIX`: routes whose destination contains the prefix.
    pub covering: Option<ipnet::IpNet>,
}

/// A prefix as `ip route` reads one (`get_prefix`): a bare address is a
/// host prefix (/32 or /128), host bits are dropped.
fn prefix_arg(w: &str) -> Result<ipnet::IpNet> {
    let net: ipnet::IpNet = match w.parse() {
        Ok(n) => n,
        Err(_) => ipnet::IpNet::from(w.parse::<IpAddr>().map_err(|_| garbage(w))?),
    };
    Ok(net.trunc())
}

/// A route's destination, the default route's being 0/0 of its family.
fn dst_of(r: &Route) -> Option<ipnet::IpNet> {
    r.dst.or_else(|| match r.family {
        netlink::AF_INET => Some(ipnet::IpNet::V4(ipnet::Ipv4Net::default())),
        netlink::AF_INET6 => Some(ipnet::IpNet::V6(ipnet::Ipv6Net::default())),
        _ => None,
    })
}

fn parse_filter(ip: &Ip<'_>, args: &mut Args<'_>) -> Result<Selector> {
    let mut f = RouteDump {
        family: ip.opts.family,
        ..RouteDump::default()
    };
    let mut covering = None;
    let mut prefix_given = false;
    while let Some(w) = args.next() {
        let mut prefix = |w: &str, args: &mut Args<'_>| -> Result<()> {
            if prefix_given {
                return Err(garbage(w));
            }
            prefix_given = true;
            // `to` may come first, as in ip.
            let (kind, value) = match w {
                "to" => match args.value("to")? {
                    k @ ("root" | "match" | "exact") => (k, args.value(k)?),
                    v => ("exact", v),
                },
                k @ ("root" | "match" | "exact") => (k, args.value(k)?),
                v => ("exact", v),
            };
            if value == "default" {
                // 0/0 of the family asked for, or of both.
                match f.family {
                    netlink::AF_INET => f.dst = Some(ipnet::IpNet::V4(ipnet::Ipv4Net::default())),
                    netlink::AF_INET6 => f.dst = Some(ipnet::IpNet::V6(ipnet::Ipv6Net::default())),
                    _ => f.default_only = true,
                }
                if kind != "exact" {
                    // root/match default: every route of the family.
                    f.dst = None;
                    f.default_only = false;
                }
                return Ok(());
            }
            let net = prefix_arg(value)?;
            match kind {
                "root" => f.dst_within = Some(net),
                "match" => covering = Some(net),
                _ => f.dst = Some(net),
            }
            Ok(())
        };
        match w {
            "table" | "tab" => f.table = Some(parse_table(args.value("table")?)?),
            "dev" | "oif" => f.oif = Some(ip.link_index(args.value("dev")?)?),
            "proto" | "protocol" => f.protocol = Some(args.parse("proto")?),
            "type" => f.route_type = Some(args.parse("type")?),
            "cache" | "cloned" => f.cloned = true,
            "all" => f.table = Some(TABLE_ALL),
            other => prefix(other, args)?,
        }
    }
    // Like ip: one table means IPv4 unless -6 says otherwise, whatever
    // the prefix (an IPv6 one then selects nothing); `table all` lists
    // both families.
    if f.family == 0 && f.table != Some(TABLE_ALL) {
        f.family = netlink::AF_INET;
    }
    Ok(Selector { dump: f, covering })
}

/// Whether `ip route show` lists `r`: what the library's filter passes,
/// except that `dev X` means the route's own device (ip leaves out a
/// multipath route with a path through X, which the kernel sends), and
/// the tool's own `match` and `root` (which counts the default route as
/// 0/0).
fn shown(sel: &Selector, r: &Route) -> bool {
    let filter = &sel.dump;
    let within = RouteDump {
        dst_within: None,
        ..filter.clone()
    };
    let dst = dst_of(r);
    within.matches(r)
        && filter.oif.is_none_or(|o| r.oif == Some(o))
        && filter
            .dst_within
            .is_none_or(|w| dst.is_some_and(|d| w.contains(&d)))
        && sel
            .covering
            .is_none_or(|m| dst.is_some_and(|d| d.contains(&m)))
}

fn show(ip: &Ip<'_>, mut args: Args<'_>, out: &mut dyn Write) -> Result<()> {
    let sel = parse_filter(ip, &mut args)?;
    let filter = &sel.dump;
    let names = ip.names()?;
    if ip.opts.json {
        let v: Vec<Value> =
            ip.h.route_list_filtered(filter)?
                .iter()
                .filter(|r| shown(&sel, r))
                .map(|r| route_json(r, &names, ip.opts.details))
                .collect();
        return ip.print_json(out, &Value::Array(v));
    }
    // What the filter says is not repeated on every line.
    let listing = RouteListing {
        details: ip.opts.details,
        one_table: filter.table != Some(TABLE_ALL),
        one_dev: filter.oif.is_some(),
        one_protocol: filter.protocol.is_some(),
    };
    // Streamed: each route is parsed into one reused slot and printed
    // into a buffer written out every 32 KiB; nothing is collected.
    let by_index = NamesByIndex::new(&names);
    let mut slot = Route::default();
    let mut text = String::with_capacity(40 * 1024);
    let mut failed = None;
    ip.h.route_dump_views(filter, |m| {
        if m.ty() != RTM_NEWROUTE || failed.is_some() {
            return Ok(());
        }
        slot = Route::default();
        slot.parse_from(&m)?;
        if shown(&sel, &slot) {
            slot.text(&by_index).listing(listing).append_to(&mut text);
            text.push('\n');
            if text.len() >= 32 * 1024 {
                // On failure the rest of the dump is drained unprinted.
                failed = out.write_all(text.as_bytes()).err();
                text.clear();
            }
        }
        Ok(())
    })?;
    match failed {
        Some(e) => Err(e.into()),
        None => Ok(out.write_all(text.as_bytes())?),
    }
}

fn flush(ip: &Ip<'_>, mut args: Args<'_>, out: &mut dyn Write) -> Result<()> {
    let sel = parse_filter(ip, &mut args)?;
    let n = if sel.covering.is_none() && sel.dump.dst_within.is_none() {
        ip.h.route_flush(&sel.dump)?
    } else {
        // The tool's own selection: what show would list goes.
        let victims: Vec<Route> =
            ip.h.route_list_filtered(&RouteDump {
                dst_within: None,
                ..sel.dump.clone()
            })?
            .into_iter()
            .filter(|r| shown(&sel, r))
            .collect();
        let report = ip.h.routes_del(&victims)?;
        if let Some((_, e)) = report
            .failures()
            .iter()
            .find(|(_, e)| e.kind() != netlink::ErrorKind::NotFound)
        {
            return Err(e.clone().into());
        }
        report.succeeded()
    };
    if ip.opts.details {
        writeln!(out, "flushed {n} routes")?;
    }
    Ok(())
}

fn get(ip: &Ip<'_>, mut args: Args<'_>, out: &mut dyn Write) -> Result<()> {
    let mut g = RouteGet::default();
    while let Some(w) = args.next() {
        match w {
            "from" => g.src = Some(args.parse("from")?),
            "iif" => g.iif = Some(ip.link_index(args.value("iif")?)?),
            "oif" | "dev" => g.oif = Some(ip.link_index(args.value("oif")?)?),
            "mark" => g.mark = Some(number(args.value("mark")?)?),
            "uid" => g.uid = Some(args.parse("uid")?),
            "tos" | "dsfield" => g.tos = u8::try_from(number(args.value(w)?)?)?,
            "fibmatch" => g.fibmatch = true,
            "ipproto" => g.ipproto = Some(super::rule::parse_proto(args.value("ipproto")?)?),
            "sport" => g.sport = Some(args.parse("sport")?),
            "dport" => g.dport = Some(args.parse("dport")?),
            "table" => g.table = Some(parse_table(args.value("table")?)?),
            "to" => g.dst = Some(args.parse("to")?),
            other if g.dst.is_none() => {
                g.dst = Some(other.parse().map_err(|_| garbage(other))?);
            }
            other => return Err(garbage(other)),
        }
    }
    let r = ip.h.route_get(&g)?;
    let names = ip.names()?;
    if ip.opts.json {
        ip.print_json(out, &json!([route_json(&r, &names, ip.opts.details)]))
    } else {
        let listing = RouteListing {
            details: ip.opts.details,
            ..RouteListing::default()
        };
        writeln!(out, "{}", r.text(&names).listing(listing))?;
        Ok(())
    }
}

fn parse_gateway(args: &mut Args<'_>) -> Result<IpAddr> {
    let mut v = args.value("via")?;
    if v == "inet" || v == "inet6" {
        v = args.value("via")?;
    }
    v.parse()
        .with_context(|| format!("invalid gateway \"{v}\""))
}

fn parse_labels(s: &str) -> Result<Vec<MplsLabel>> {
    s.split('/')
        .map(|l| Ok(MplsLabel::new(l.parse()?)))
        .collect()
}

fn parse_encap(ip: &Ip<'_>, args: &mut Args<'_>) -> Result<Encap> {
    let kind = args.value("encap")?;
    Ok(match kind {
        "mpls" => {
            let labels = parse_labels(args.value("mpls")?)?;
            let ttl = if args.peek() == Some("ttl") {
                args.next();
                Some(args.parse("ttl")?)
            } else {
                None
            };
            Encap::Mpls { labels, ttl }
        }
        "seg6" => {
            let (mut mode, mut segs) = (Seg6Mode::Encap, Vec::new());
            while let Some(w) = args.peek() {
                match w {
                    "mode" => {
                        args.next();
                        mode = match args.value("mode")? {
                            "inline" => Seg6Mode::Inline,
                            "encap" => Seg6Mode::Encap,
                            "l2encap" => Seg6Mode::L2Encap,
                            "encap.red" => Seg6Mode::EncapRed,
                            "l2encap.red" => Seg6Mode::L2EncapRed,
                            other => bail!("invalid seg6 mode \"{other}\""),
                        };
                    }
                    "segs" => {
                        args.next();
                        segs = args
                            .value("segs")?
                            .split(',')
                            .map(str::parse)
                            .collect::<Result<_, _>>()?;
                    }
                    _ => break,
                }
            }
            Encap::Seg6 {
                mode,
                srh: Srh {
                    segments: segs,
                    ..Srh::default()
                },
            }
        }
        "seg6local" => {
            let mut s = Seg6Local::default();
            while let Some(w) = args.peek() {
                match w {
                    "action" => {
                        args.next();
                        let a = args.value("action")?;
                        s.action = SEG6LOCAL_ACTIONS
                            .iter()
                            .find(|(_, n)| *n == a)
                            .map(|(v, _)| (*v).into())
                            .with_context(|| format!("unknown seg6local action \"{a}\""))?;
                    }
                    "table" => {
                        args.next();
                        s.table = Some(parse_table(args.value("table")?)?);
                    }
                    "vrftable" => {
                        args.next();
                        s.vrf_table = Some(parse_table(args.value("vrftable")?)?);
                    }
                    "nh4" => {
                        args.next();
                        s.nh4 = Some(args.parse("nh4")?);
                    }
                    "nh6" => {
                        args.next();
                        s.nh6 = Some(args.parse("nh6")?);
                    }
                    "iif" => {
                        args.next();
                        s.iif = Some(ip.link_index(args.value("iif")?)?);
                    }
                    "oif" => {
                        args.next();
                        s.oif = Some(ip.link_index(args.value("oif")?)?);
                    }
                    _ => break,
                }
            }
            Encap::Seg6Local(s)
        }
        other => bail!("encap \"{other}\" is not supported by this example"),
    })
}

/// Parses `[type] PREFIX [options]` as `ip route add` does.
pub fn parse_route(ip: &Ip<'_>, args: &mut Args<'_>) -> Result<Route> {
    let mut r = Route::default();
    let mut dst_seen = false;
    while let Some(w) = args.next() {
        if let Some(kind) = Metrics::type_of(w) {
            // `ip route` grammar: METRIC [lock] VALUE
            let lock = args.eat("lock");
            let v = metric_value(kind, args.value(w)?)?;
            let m = r.metrics_mut();
            if let Some(slot) = m.slot_mut(kind) {
                *slot = Some(v);
            }
            if lock {
                m.lock |= 1 << kind;
            }
            continue;
        }
        match w {
            "via" => r = r.via(parse_gateway(args)?),
            "dev" | "oif" => r.oif = Some(ip.link_index(args.value("dev")?)?),
            "iif" => r.extra.iif = Some(ip.link_index(args.value("iif")?)?),
            "metric" | "priority" | "preference" => r.priority = Some(args.parse(w)?),
            "table" | "tab" => r.table = parse_table(args.value("table")?)?,
            "proto" | "protocol" => r.protocol = args.parse("proto")?,
            "scope" => r.scope = args.parse("scope")?,
            "src" => r.prefsrc = Some(args.parse("src")?),
            "from" => r.extra.src = Some(args.parse("from")?),
            "tos" | "dsfield" => r.tos = u8::try_from(number(args.value(w)?)?)?,
            "realm" | "realms" => r.extra.realm = Some(super::rule::parse_realms(args.value(w)?)?),
            "onlink" => r.flags |= RouteFlags::ONLINK,
            "pref" => {
                r.pref = Some(match args.value("pref")? {
                    "low" => RoutePref::Low,
                    "medium" => RoutePref::Medium,
                    "high" => RoutePref::High,
                    other => bail!("invalid pref \"{other}\""),
                })
            }
            "expires" => r.extra.expires = Some(args.parse("expires")?),
            "nhid" => r.nh_id = Some(args.parse("nhid")?),
            "congctl" => {
                if args.eat("lock") {
                    r.metrics_mut().lock |= 1 << RTAX_CC_ALGO;
                }
                r.metrics_mut().cc_algo = Some(args.value("congctl")?.to_string());
            }
            "encap" => r.encap = Some(Box::new(parse_encap(ip, args)?)),
            "nexthop" => {
                let mut nh = NextHop {
                    weight: 1,
                    ..NextHop::default()
                };
                while let Some(p) = args.peek() {
                    match p {
                        "via" => {
                            args.next();
                            let g = parse_gateway(args)?;
                            let own = if g.is_ipv4() {
                                netlink::AF_INET
                            } else {
                                netlink::AF_INET6
                            };
                            if own == r.family || !dst_seen {
                                nh.gateway = Some(g);
                            } else {
                                nh.via = Some(g);
                            }
                        }
                        "dev" => {
                            args.next();
                            nh.ifindex = ip.link_index(args.value("dev")?)?;
                        }
                        "weight" => {
                            args.next();
                            nh.weight = args.parse("weight")?;
                        }
                        "onlink" => {
                            args.next();
                            nh.flags |= RouteFlags::ONLINK;
                        }
                        "encap" => {
                            args.next();
                            nh.encap = Some(Box::new(parse_encap(ip, args)?));
                        }
                        _ => break,
                    }
                }
                r.multipath.push(nh);
            }
            "to" if !dst_seen => {
                set_dst(&mut r, args.value("to")?, ip.opts.family)?;
                dst_seen = true;
            }
            other if dst_seen => return Err(garbage(other)),
            other => match other.parse::<RouteType>() {
                Ok(t) => r.route_type = t,
                Err(_) => {
                    set_dst(&mut r, other, ip.opts.family)?;
                    dst_seen = true;
                }
            },
        }
    }
    if !dst_seen {
        bail!("a destination is required");
    }
    // ip's defaults: scope link for direct routes, host for local ones.
    let has_gw = r.gateway.is_some() || r.extra.via.is_some() || !r.multipath.is_empty();
    if r.scope == Scope::Universe
        && !has_gw
        && r.route_type == RouteType::Unicast
        && r.encap.is_none()
        && r.nh_id.is_none()
    {
        r.scope = Scope::Link;
    }
    if matches!(r.route_type, RouteType::Local) {
        r.scope = Scope::Host;
    }
    Ok(r)
}

/// A metric's value as `ip route` reads it: times (`rtt`, `rttvar`,
/// `rto_min`) with a unit (`8ms`, `1s`) are milliseconds, turned into the
/// kernel's units; a bare number goes to the kernel as it is
/// (`get_time_rtt`'s "raw").
fn metric_value(kind: u16, v: &str) -> Result<u32> {
    use netlink::nl_route::uapi::rtnetlink::{RTAX_RTO_MIN, RTAX_RTT, RTAX_RTTVAR};
    if !matches!(kind, RTAX_RTT | RTAX_RTTVAR | RTAX_RTO_MIN) {
        return number(v);
    }
    let digits = v.trim_end_matches(|c: char| c.is_ascii_alphabetic());
    let ms = match v.strip_prefix(digits).unwrap_or_default() {
        "" => return number(digits),
        "s" | "sec" | "secs" => number(digits)?.saturating_mul(1000),
        "ms" | "msec" | "msecs" => number(digits)?,
        _ => bail!("\"{v}\" is not a time"),
    };
    Ok(Metrics::kernel_units(kind, ms))
}

fn set_dst(r: &mut Route, d: &str, family: u8) -> Result<()> {
    if d == "default" {
        r.family = if family == 0 {
            netlink::AF_INET
        } else {
            family
        };
        // Said explicitly: a route with only a device is refused.
        r.dst = Route::default_route(r.family).dst;
        return Ok(());
    }
    let net: ipnet::IpNet = match d.parse() {
        Ok(n) => n,
        Err(_) => ipnet::IpNet::from(d.parse::<IpAddr>().map_err(|_| garbage(d))?),
    };
    r.family = if net.addr().is_ipv4() {
        netlink::AF_INET
    } else {
        netlink::AF_INET6
    };
    r.dst = Some(net);
    // Re-home gateways parsed before the destination (rare, but ip allows it).
    if let Some(g) = r.gateway.take() {
        *r = std::mem::take(r).via(g);
    }
    Ok(())
}
