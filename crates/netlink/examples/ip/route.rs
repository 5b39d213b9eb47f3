//! `ip route show | get | add | append | replace | change | del | flush`,
//! and the JSON `ip -j route` prints (the conformance tests include this
//! file too).

use std::net::IpAddr;

use anyhow::{Context, Result, bail};
use netlink::nl_route::RouteFlags;
use netlink::nl_route::route::{
    MplsLabel, RoutePref, Seg6Local, Seg6Mode, Srh, TABLE_ALL, TABLE_MAIN, parse_table, table_name,
};
use netlink::{
    Encap, Handle, Metrics, NextHop, Route, RouteDump, RouteGet, RouteProtocol, RouteType, Scope,
};
use serde_json::{Map, Value, json};

use crate::Opts;
use crate::args::{Args, matches};
use crate::json::Names;

fn dev_name(names: &Names, index: u32) -> String {
    names
        .get(&index)
        .map_or_else(|| format!("if{index}"), |(n, _)| n.clone())
}

fn family_name(a: &IpAddr) -> &'static str {
    if a.is_ipv4() { "inet" } else { "inet6" }
}

/// (name, RTAX bit, value in `ip`'s units) of every metric that is set.
fn metric_list(m: &Metrics) -> Vec<(&'static str, u16, u32)> {
    [
        ("mtu", 2, m.mtu),
        ("window", 3, m.window),
        ("rtt", 4, m.rtt.map(|v| v / 8)),
        ("rttvar", 5, m.rttvar.map(|v| v / 4)),
        ("ssthresh", 6, m.ssthresh),
        ("cwnd", 7, m.cwnd),
        ("advmss", 8, m.advmss),
        ("reordering", 9, m.reordering),
        ("hoplimit", 10, m.hoplimit),
        ("initcwnd", 11, m.initcwnd),
        ("features", 12, m.features),
        ("rto_min", 13, m.rto_min),
        ("initrwnd", 14, m.initrwnd),
        ("quickack", 15, m.quickack),
    ]
    .into_iter()
    .filter_map(|(n, bit, v)| v.map(|v| (n, bit, v)))
    .collect()
}

/// `ip -j` prints metrics as plain numbers (lock marks only appear in
/// the text output) and the algorithm as "congestion".
fn metrics_json(m: &Metrics) -> Option<Value> {
    let mut o = Map::new();
    for (name, _, v) in metric_list(m) {
        o.insert(name.into(), json!(v));
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

fn metrics_text(m: &Metrics) -> String {
    let mut s = String::new();
    for (name, bit, v) in metric_list(m) {
        let lock = if m.lock & (1 << bit) != 0 {
            "lock "
        } else {
            ""
        };
        let unit = if matches!(name, "rtt" | "rttvar" | "rto_min") {
            "ms"
        } else {
            ""
        };
        s.push_str(&format!(" {name} {lock}{v}{unit}"));
    }
    if let Some(cc) = &m.cc_algo {
        s.push_str(&format!(" congctl {cc}"));
    }
    s
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
    if let Some(s) = r.src {
        o.insert("from".into(), json!(s.to_string()));
    }
    if let Some(e) = &r.encap {
        encap_json(&mut o, e);
    }
    if let Some(g) = r.gateway {
        o.insert("gateway".into(), json!(g.to_string()));
    }
    if let Some(v) = r.via {
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
    if details || r.protocol != RouteProtocol::BOOT {
        o.insert("protocol".into(), json!(r.protocol.to_string()));
    }
    if details || r.scope != Scope::Universe {
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
    if let Some(realm) = r.realm {
        o.insert("flow".into(), realm_json(realm));
    }
    o.insert("flags".into(), flags_json(r.flags));
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
    if let Some(e) = r.expires {
        o.insert("expires".into(), json!(e));
    }
    if let Some(p) = r.pref {
        o.insert("pref".into(), json!(p.to_string()));
    }
    Value::Object(o)
}

/// One line of `ip route show`.
pub fn route_text(r: &Route, names: &Names) -> String {
    let mut s = String::new();
    if r.route_type != RouteType::Unicast {
        s.push_str(&format!("{} ", r.route_type));
    }
    s.push_str(&r.dst_string());
    if let Some(src) = r.src {
        s.push_str(&format!(" from {src}"));
    }
    if let Some(e) = &r.encap {
        s.push_str(&format!(" encap {}", e.name()));
        if let Encap::Seg6 { mode, srh } = &**e {
            let segs: Vec<String> = srh.segments.iter().map(|x| x.to_string()).collect();
            s.push_str(&format!(
                " mode {mode} segs {} [ {} ]",
                segs.len(),
                segs.join(" ")
            ));
        }
    }
    if let Some(g) = r.gateway {
        s.push_str(&format!(" via {g}"));
    }
    if let Some(v) = r.via {
        s.push_str(&format!(" via {} {v}", family_name(&v)));
    }
    if let Some(i) = r.oif {
        s.push_str(&format!(" dev {}", dev_name(names, i)));
    }
    if r.table != TABLE_MAIN {
        s.push_str(&format!(" table {}", table_name(r.table)));
    }
    if r.protocol != RouteProtocol::BOOT {
        s.push_str(&format!(" proto {}", r.protocol));
    }
    if r.scope != Scope::Universe {
        s.push_str(&format!(" scope {}", r.scope));
    }
    if let Some(p) = r.prefsrc {
        s.push_str(&format!(" src {p}"));
    }
    if let Some(m) = r
        .priority
        .filter(|m| *m != 0 || r.family != netlink::AF_INET)
    {
        s.push_str(&format!(" metric {m}"));
    }
    if r.tos != 0 {
        s.push_str(&format!(" tos {:#x}", r.tos));
    }
    if let Some(realm) = r.realm {
        match realm >> 16 {
            0 => s.push_str(&format!(" realm {}", realm & 0xffff)),
            from => s.push_str(&format!(" realms {from}/{}", realm & 0xffff)),
        }
    }
    for f in r.flags.names() {
        s.push_str(&format!(" {f}"));
    }
    s.push_str(&r.metrics.as_deref().map(metrics_text).unwrap_or_default());
    if let Some(p) = r.pref {
        s.push_str(&format!(" pref {p}"));
    }
    for nh in &r.multipath {
        s.push_str("\n\tnexthop");
        if let Some(g) = nh.gateway {
            s.push_str(&format!(" via {g}"));
        }
        if nh.ifindex != 0 {
            s.push_str(&format!(" dev {}", dev_name(names, nh.ifindex)));
        }
        s.push_str(&format!(" weight {}", nh.weight));
    }
    s
}

fn names(h: &Handle) -> Result<Names> {
    Ok(crate::json::names(h)?)
}

pub fn run(h: &Handle, opts: &Opts, mut args: Args) -> Result<()> {
    let cmd = args.next().unwrap_or_else(|| "show".into());
    match cmd.as_str() {
        c if matches(c, "show", 1) || matches(c, "list", 1) || c == "lst" => show(h, opts, args),
        c if matches(c, "get", 1) => get(h, opts, args),
        c if matches(c, "flush", 1) => flush(h, opts, args),
        c if matches(c, "add", 1) => {
            h.route_add(&parse_route(h, opts, &mut args)?)?;
            Ok(())
        }
        c if matches(c, "append", 2) => {
            h.route_append(&parse_route(h, opts, &mut args)?)?;
            Ok(())
        }
        c if matches(c, "replace", 3) => {
            h.route_replace(&parse_route(h, opts, &mut args)?)?;
            Ok(())
        }
        c if matches(c, "change", 1) => {
            h.route_change(&parse_route(h, opts, &mut args)?)?;
            Ok(())
        }
        c if matches(c, "delete", 1) => {
            h.route_del(&parse_route(h, opts, &mut args)?)?;
            Ok(())
        }
        "help" => {
            println!(
                "Usage: ip route {{ show [table T|all] [dev X] [proto P] [type T] [PREFIX] | get ADDR [from A] [iif X] [oif X] [mark N] [uid N] [fibmatch] | add|append|replace|change|del ROUTE | flush SELECTOR }}"
            );
            Ok(())
        }
        other => bail!("Command \"{other}\" is unknown, try \"ip route help\"."),
    }
}

fn parse_filter(h: &Handle, opts: &Opts, args: &mut Args) -> Result<RouteDump> {
    let mut f = RouteDump {
        family: opts.family,
        ..RouteDump::default()
    };
    while let Some(w) = args.next() {
        match w.as_str() {
            "table" | "tab" => f.table = Some(parse_table(&args.value("table")?)?),
            "dev" | "oif" => f.oif = Some(h.link_index(args.value("dev")?.as_str())?),
            "proto" | "protocol" => f.protocol = Some(args.parse("proto")?),
            "type" => f.route_type = Some(args.parse("type")?),
            "root" | "match" => f.dst_within = Some(args.parse(&w)?),
            "exact" => f.dst = Some(args.parse("exact")?),
            "cache" | "cloned" => f.cloned = true,
            "all" => f.table = Some(TABLE_ALL),
            other => {
                let net: ipnet::IpNet = match other.parse() {
                    Ok(n) => n,
                    Err(_) => ipnet::IpNet::from(
                        other
                            .parse::<IpAddr>()
                            .with_context(|| format!("unknown \"{other}\""))?,
                    ),
                };
                f.dst = Some(net);
            }
        }
    }
    if f.family == 0 {
        if let Some(d) = f.dst.or(f.dst_within) {
            f.family = if d.addr().is_ipv4() {
                netlink::AF_INET
            } else {
                netlink::AF_INET6
            };
        } else {
            f.family = netlink::AF_INET;
        }
    }
    Ok(f)
}

fn show(h: &Handle, opts: &Opts, mut args: Args) -> Result<()> {
    let filter = parse_filter(h, opts, &mut args)?;
    let names = names(h)?;
    let routes = h.route_list_filtered(&filter)?;
    if opts.json {
        let v: Vec<Value> = routes
            .iter()
            .map(|r| route_json(r, &names, opts.details))
            .collect();
        println!("{}", serde_json::to_string(&v)?);
    } else {
        for r in &routes {
            println!("{}", route_text(r, &names));
        }
    }
    Ok(())
}

fn flush(h: &Handle, opts: &Opts, mut args: Args) -> Result<()> {
    let filter = parse_filter(h, opts, &mut args)?;
    let n = h.route_flush(&filter)?;
    if opts.details {
        println!("flushed {n} routes");
    }
    Ok(())
}

fn get(h: &Handle, opts: &Opts, mut args: Args) -> Result<()> {
    let mut g = RouteGet::default();
    while let Some(w) = args.next() {
        match w.as_str() {
            "from" => g.src = Some(args.parse("from")?),
            "iif" => g.iif = Some(h.link_index(args.value("iif")?.as_str())?),
            "oif" | "dev" => g.oif = Some(h.link_index(args.value("oif")?.as_str())?),
            "mark" => g.mark = Some(parse_u32(&args.value("mark")?)?),
            "uid" => g.uid = Some(args.parse("uid")?),
            "tos" | "dsfield" => g.tos = parse_u32(&args.value(&w)?)? as u8,
            "fibmatch" => g.fibmatch = true,
            "ipproto" => g.ipproto = Some(ipproto(&args.value("ipproto")?)?),
            "sport" => g.sport = Some(args.parse("sport")?),
            "dport" => g.dport = Some(args.parse("dport")?),
            "table" => g.table = Some(parse_table(&args.value("table")?)?),
            "to" => g.dst = Some(args.parse("to")?),
            other => {
                g.dst = Some(
                    other
                        .parse()
                        .with_context(|| format!("invalid address \"{other}\""))?,
                )
            }
        }
    }
    let r = h.route_get(&g)?;
    let names = names(h)?;
    if opts.json {
        println!(
            "{}",
            serde_json::to_string(&[route_json(&r, &names, opts.details)])?
        );
    } else {
        println!("{}", route_text(&r, &names));
    }
    Ok(())
}

fn ipproto(s: &str) -> Result<u8> {
    Ok(match s {
        "tcp" => 6,
        "udp" => 17,
        "icmp" => 1,
        "ipv6-icmp" | "icmpv6" => 58,
        n => n.parse()?,
    })
}

fn parse_u32(s: &str) -> Result<u32> {
    Ok(match s.strip_prefix("0x") {
        Some(h) => u32::from_str_radix(h, 16)?,
        None => s.parse()?,
    })
}

fn parse_gateway(args: &mut Args) -> Result<IpAddr> {
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

fn parse_encap(h: &Handle, args: &mut Args) -> Result<Encap> {
    let kind = args.value("encap")?;
    Ok(match kind.as_str() {
        "mpls" => {
            let labels = parse_labels(&args.value("mpls")?)?;
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
                        mode = match args.value("mode")?.as_str() {
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
                        s.table = Some(parse_table(&args.value("table")?)?);
                    }
                    "vrftable" => {
                        args.next();
                        s.vrf_table = Some(parse_table(&args.value("vrftable")?)?);
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
                        s.iif = Some(h.link_index(args.value("iif")?.as_str())?);
                    }
                    "oif" => {
                        args.next();
                        s.oif = Some(h.link_index(args.value("oif")?.as_str())?);
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
pub fn parse_route(h: &Handle, opts: &Opts, args: &mut Args) -> Result<Route> {
    let mut r = Route::default();
    let mut dst_seen = false;
    while let Some(w) = args.next() {
        match w.as_str() {
            "via" => r = r.via(parse_gateway(args)?),
            "dev" | "oif" => r.oif = Some(h.link_index(args.value("dev")?.as_str())?),
            "iif" => r.iif = Some(h.link_index(args.value("iif")?.as_str())?),
            "metric" | "priority" | "preference" => r.priority = Some(args.parse(&w)?),
            "table" | "tab" => r.table = parse_table(&args.value("table")?)?,
            "proto" | "protocol" => r.protocol = args.parse("proto")?,
            "scope" => r.scope = args.parse("scope")?,
            "src" => r.prefsrc = Some(args.parse("src")?),
            "from" => r.src = Some(args.parse("from")?),
            "tos" | "dsfield" => r.tos = parse_u32(&args.value(&w)?)? as u8,
            "realm" | "realms" => r.realm = Some(parse_u32(&args.value(&w)?)?),
            "onlink" => r.flags |= RouteFlags::ONLINK,
            "pref" => {
                r.pref = Some(match args.value("pref")?.as_str() {
                    "low" => RoutePref::Low,
                    "medium" => RoutePref::Medium,
                    "high" => RoutePref::High,
                    other => bail!("invalid pref \"{other}\""),
                })
            }
            "expires" => r.expires = Some(args.parse("expires")?),
            "nhid" => r.nh_id = Some(args.parse("nhid")?),
            "mtu" | "advmss" | "window" | "rtt" | "rttvar" | "hoplimit" | "initcwnd"
            | "initrwnd" | "quickack" | "reordering" | "ssthresh" | "cwnd" | "rto_min"
            | "features" => {
                // `ip route` grammar: METRIC [lock] VALUE
                let lock = args.peek() == Some("lock");
                if lock {
                    args.next();
                }
                let v: u32 = args.parse(&w)?;
                let (bit, slot): (u16, &mut Option<u32>) = match w.as_str() {
                    "mtu" => (2, &mut r.metrics_mut().mtu),
                    "window" => (3, &mut r.metrics_mut().window),
                    "rtt" => (4, &mut r.metrics_mut().rtt),
                    "rttvar" => (5, &mut r.metrics_mut().rttvar),
                    "ssthresh" => (6, &mut r.metrics_mut().ssthresh),
                    "cwnd" => (7, &mut r.metrics_mut().cwnd),
                    "advmss" => (8, &mut r.metrics_mut().advmss),
                    "reordering" => (9, &mut r.metrics_mut().reordering),
                    "hoplimit" => (10, &mut r.metrics_mut().hoplimit),
                    "initcwnd" => (11, &mut r.metrics_mut().initcwnd),
                    "features" => (12, &mut r.metrics_mut().features),
                    "rto_min" => (13, &mut r.metrics_mut().rto_min),
                    "initrwnd" => (14, &mut r.metrics_mut().initrwnd),
                    _ => (15, &mut r.metrics_mut().quickack),
                };
                // The kernel keeps rtt in 1/8 ms and rttvar in 1/4 ms units.
                *slot = Some(match w.as_str() {
                    "rtt" => v.saturating_mul(8),
                    "rttvar" => v.saturating_mul(4),
                    _ => v,
                });
                if lock {
                    r.metrics_mut().lock |= 1 << bit;
                }
            }
            "congctl" => {
                let v = args.value("congctl")?;
                if v == "lock" {
                    r.metrics_mut().lock |= 1 << 16;
                    r.metrics_mut().cc_algo = Some(args.value("congctl")?);
                } else {
                    r.metrics_mut().cc_algo = Some(v);
                }
            }
            "encap" => r.encap = Some(Box::new(parse_encap(h, args)?)),
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
                            nh.ifindex = h.link_index(args.value("dev")?.as_str())?;
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
                            nh.encap = Some(Box::new(parse_encap(h, args)?));
                        }
                        _ => break,
                    }
                }
                r.multipath.push(nh);
            }
            "to" => {
                let d = args.value("to")?;
                set_dst(&mut r, &d, opts)?;
                dst_seen = true;
            }
            other => {
                if let Ok(t) = other.parse::<RouteType>() {
                    if !dst_seen {
                        r.route_type = t;
                        continue;
                    }
                }
                if dst_seen {
                    bail!("unexpected \"{other}\"");
                }
                set_dst(&mut r, other, opts)?;
                dst_seen = true;
            }
        }
    }
    if !dst_seen {
        bail!("a destination is required");
    }
    // ip's defaults: scope link for direct routes, host for local ones.
    let has_gw = r.gateway.is_some() || r.via.is_some() || !r.multipath.is_empty();
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

fn set_dst(r: &mut Route, d: &str, opts: &Opts) -> Result<()> {
    if d == "default" {
        r.family = if opts.family == 0 {
            netlink::AF_INET
        } else {
            opts.family
        };
        // Said explicitly: a route with only a device is refused.
        r.dst = Route::default_route(r.family).dst;
        return Ok(());
    }
    let net: ipnet::IpNet = match d.parse() {
        Ok(n) => n,
        Err(_) => ipnet::IpNet::from(
            d.parse::<IpAddr>()
                .with_context(|| format!("invalid prefix \"{d}\""))?,
        ),
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
