//! `ip neigh show | add | replace | change | del`, and the JSON `ip -j
//! neigh` and `bridge -j fdb` print (the conformance tests include this
//! file too).

use anyhow::{Context, Result, bail};
use netlink::nl_route::{NeighFlagsExt, NeighState};
use netlink::{Handle, HwAddr, Neigh, NeighDump, NeighFlags, RouteProtocol};
use serde_json::{Map, Value, json};

use crate::Opts;
use crate::args::{Args, matches};
use crate::json::Names;

fn dev_name(names: &Names, index: u32) -> String {
    names
        .get(&index)
        .map_or_else(|| format!("if{index}"), |(n, _)| n.clone())
}

/// The object `ip -j [-s] neigh show` prints for one entry; `dev` is
/// left out when the listing was for one device, as `ip` does.
pub fn neigh_json(n: &Neigh, names: &Names, with_dev: bool, stats: bool) -> Value {
    let mut o = Map::new();
    if let Some(d) = n.dst {
        o.insert("dst".into(), json!(d.to_string()));
    }
    if with_dev && n.ifindex != 0 {
        o.insert("dev".into(), json!(dev_name(names, n.ifindex)));
    }
    if let Some(l) = &n.lladdr {
        o.insert("lladdr".into(), json!(l.to_string()));
    }
    for (flag, key) in [
        (NeighFlags::ROUTER, "router"),
        (NeighFlags::PROXY, "proxy"),
        (NeighFlags::EXT_LEARNED, "extern_learn"),
        (NeighFlags::OFFLOADED, "offload"),
    ] {
        if n.flags.contains(flag) {
            o.insert(key.into(), Value::Null);
        }
    }
    if n.flags_ext.contains(NeighFlagsExt::MANAGED) {
        o.insert("managed".into(), Value::Null);
    }
    if stats {
        if let Some(c) = n.cache_info {
            if c.refcnt != 0 {
                o.insert("refcnt".into(), json!(c.refcnt));
            }
            o.insert("used".into(), json!(c.used / 100));
            o.insert("confirmed".into(), json!(c.confirmed / 100));
            o.insert("updated".into(), json!(c.updated / 100));
        }
        if let Some(p) = n.probes {
            o.insert("probes".into(), json!(p));
        }
    }
    if !n.state.is_empty() {
        let mut s: Vec<Value> = n.state.names().into_iter().map(|x| json!(x)).collect();
        let rest = n.state.bits() & !0xff;
        if rest != 0 {
            s.push(json!(format!("{rest:x}")));
        }
        o.insert("state".into(), Value::Array(s));
    }
    if let Some(p) = n.protocol.filter(|p| p.0 != 0) {
        o.insert("protocol".into(), json!(p.to_string()));
    }
    Value::Object(o)
}

/// `state_n2a` of `bridge fdb`.
fn fdb_state(s: NeighState) -> String {
    if s.contains(NeighState::PERMANENT) {
        "permanent".into()
    } else if s.contains(NeighState::NOARP) {
        "static".into()
    } else if s.contains(NeighState::STALE) {
        "stale".into()
    } else if s.contains(NeighState::REACHABLE) {
        String::new()
    } else {
        format!("{:#x}", s.bits())
    }
}

/// The object `bridge -j [-s] fdb show` prints for one entry.
pub fn fdb_json(n: &Neigh, names: &Names, with_dev: bool, stats: bool) -> Value {
    let mut o = Map::new();
    if let Some(l) = &n.lladdr {
        o.insert("mac".into(), json!(l.to_string()));
    }
    if with_dev && n.ifindex != 0 {
        o.insert("ifname".into(), json!(dev_name(names, n.ifindex)));
    }
    if let Some(v) = n.vlan {
        o.insert("vlan".into(), json!(v));
    }
    if let Some(d) = n.dst {
        o.insert("dst".into(), json!(d.to_string()));
    }
    if let Some(p) = n.port {
        o.insert("port".into(), json!(p));
    }
    if let Some(v) = n.vni {
        o.insert("vni".into(), json!(v));
    }
    if let Some(v) = n.src_vni {
        o.insert("src_vni".into(), json!(v));
    }
    if let Some(v) = n.via_ifindex {
        o.insert("viaIf".into(), json!(dev_name(names, v)));
    }
    if let Some(v) = n.nh_id {
        o.insert("nhid".into(), json!(v));
    }
    if let Some(v) = n.link_netnsid {
        o.insert("linkNetNsId".into(), json!(v));
    }
    if stats {
        if let Some(c) = n.cache_info {
            o.insert("used".into(), json!(c.used / 100));
            o.insert("updated".into(), json!(c.updated / 100));
        }
    }
    let mut flags = Vec::new();
    for (flag, word) in [
        (NeighFlags::SELF, "self"),
        (NeighFlags::ROUTER, "router"),
        (NeighFlags::EXT_LEARNED, "extern_learn"),
        (NeighFlags::OFFLOADED, "offload"),
        (NeighFlags::MASTER, "master"),
        (NeighFlags::STICKY, "sticky"),
    ] {
        if n.flags.contains(flag) {
            flags.push(json!(word));
        }
    }
    if n.flags_ext.contains(NeighFlagsExt::LOCKED) {
        flags.push(json!("locked"));
    }
    o.insert("flags".into(), Value::Array(flags));
    if let Some(m) = n.master {
        o.insert("master".into(), json!(dev_name(names, m)));
    }
    if !n.state.is_empty() {
        o.insert("state".into(), json!(fdb_state(n.state)));
    }
    Value::Object(o)
}

/// One line of `ip neigh show`.
pub fn neigh_text(n: &Neigh, names: &Names, with_dev: bool) -> String {
    let mut s = n.dst.map(|d| d.to_string()).unwrap_or_default();
    if with_dev {
        s.push_str(&format!(" dev {}", dev_name(names, n.ifindex)));
    }
    if let Some(l) = &n.lladdr {
        s.push_str(&format!(" lladdr {l}"));
    }
    for (flag, word) in [
        (NeighFlags::ROUTER, "router"),
        (NeighFlags::PROXY, "proxy"),
        (NeighFlags::EXT_LEARNED, "extern_learn"),
        (NeighFlags::OFFLOADED, "offload"),
    ] {
        if n.flags.contains(flag) {
            s.push_str(&format!(" {word}"));
        }
    }
    for st in n.state.names() {
        s.push_str(&format!(" {st}"));
    }
    if let Some(p) = n.protocol.filter(|p| p.0 != 0) {
        s.push_str(&format!(" proto {p}"));
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
        c if matches(c, "add", 1) => {
            h.neigh_add(&parse_neigh(h, opts, &mut args)?)?;
            Ok(())
        }
        c if matches(c, "replace", 1) => {
            h.neigh_set(&parse_neigh(h, opts, &mut args)?)?;
            Ok(())
        }
        c if matches(c, "change", 1) || c == "chg" => {
            h.neigh_change(&parse_neigh(h, opts, &mut args)?)?;
            Ok(())
        }
        c if matches(c, "delete", 1) => {
            h.neigh_del(&parse_neigh(h, opts, &mut args)?)?;
            Ok(())
        }
        "help" => {
            println!(
                "Usage: ip neigh {{ add | del | change | replace }} {{ ADDR [ lladdr LLADDR ] [ nud STATE ] | proxy ADDR }} [ dev DEV ] [ router ] [ extern_learn ] [ protocol PROTO ]\n       ip neigh show [ proxy ] [ dev DEV ] [ nud STATE ]"
            );
            Ok(())
        }
        other => bail!("Command \"{other}\" is unknown, try \"ip neigh help\"."),
    }
}

fn show(h: &Handle, opts: &Opts, mut args: Args) -> Result<()> {
    let mut f = NeighDump {
        family: opts.family,
        ..NeighDump::default()
    };
    // ip hides NOARP and state-less entries unless `nud all` (or a state) is asked for.
    let mut states: Option<NeighState> = None;
    let mut all = false;
    while let Some(w) = args.next() {
        match w.as_str() {
            "proxy" => f.proxy = true,
            "dev" => f.ifindex = Some(h.link_index(args.value("dev")?.as_str())?),
            "master" => f.master = Some(h.link_index(args.value("master")?.as_str())?),
            "nud" => {
                let v = args.value("nud")?;
                if v == "all" {
                    all = true;
                } else {
                    let s: NeighState = v.parse()?;
                    states = Some(states.unwrap_or_default() | s);
                }
            }
            other => bail!("\"{other}\" is not a supported neighbour filter"),
        }
    }
    let names = names(h)?;
    let list: Vec<Neigh> = h
        .neigh_list_filtered(&f)?
        .into_iter()
        .filter(|n| {
            let wanted = states.unwrap_or(NeighState::from_bits_retain(0xff & !0x40));
            all || n.state.intersects(wanted)
                || n.flags
                    .intersects(NeighFlags::PROXY | NeighFlags::EXT_LEARNED)
        })
        .collect();
    let with_dev = f.ifindex.is_none();
    if opts.json {
        let v: Vec<Value> = list
            .iter()
            .map(|n| neigh_json(n, &names, with_dev, opts.stats))
            .collect();
        println!("{}", serde_json::to_string(&v)?);
    } else {
        for n in &list {
            println!("{}", neigh_text(n, &names, with_dev));
        }
    }
    Ok(())
}

/// The words after `ip neigh add|replace|change|del`.
pub fn parse_neigh(h: &Handle, opts: &Opts, args: &mut Args) -> Result<Neigh> {
    let mut n = Neigh {
        state: NeighState::PERMANENT,
        ..Neigh::default()
    };
    let mut dev = None;
    while let Some(w) = args.next() {
        match w.as_str() {
            "lladdr" => {
                let v = args.value("lladdr")?;
                n.lladdr = Some(
                    v.parse::<HwAddr>()
                        .map_err(|e| anyhow::anyhow!("\"{v}\" is invalid lladdr: {e}"))?,
                );
            }
            "nud" => n.state = args.value("nud")?.parse()?,
            "router" => n.flags |= NeighFlags::ROUTER,
            "extern_learn" => n.flags |= NeighFlags::EXT_LEARNED,
            "use" => n.flags |= NeighFlags::USE,
            "managed" => n.flags_ext |= NeighFlagsExt::MANAGED,
            "dev" => dev = Some(args.value("dev")?),
            "protocol" | "proto" => n.protocol = Some(args.parse::<RouteProtocol>("protocol")?),
            "proxy" => {
                n.flags |= NeighFlags::PROXY;
                let v = args.value("proxy")?;
                n.dst = Some(
                    v.parse()
                        .with_context(|| format!("invalid address \"{v}\""))?,
                );
            }
            "to" => n.dst = Some(args.parse("to")?),
            other => {
                n.dst = Some(
                    other
                        .parse()
                        .with_context(|| format!("invalid address \"{other}\""))?,
                )
            }
        }
    }
    let Some(dev) = dev else {
        bail!("Device (dev) is required argument.");
    };
    n.ifindex = h.link_index(dev.as_str())?;
    let Some(dst) = n.dst else {
        bail!("Neighbor address (to) is required argument.");
    };
    n.family = match (opts.family, dst.is_ipv4()) {
        (0, true) => netlink::AF_INET,
        (0, false) => netlink::AF_INET6,
        (f, _) => f,
    };
    if n.is_proxy() {
        // Proxy entries have no state of their own.
        n.state = NeighState::empty();
    }
    Ok(n)
}

/// `bridge fdb show | add | append | replace | del`, as `ip fdb ...` here
/// (the example has no `bridge` binary of its own).
pub fn run_fdb(h: &Handle, opts: &Opts, mut args: Args) -> Result<()> {
    let cmd = args.next().unwrap_or_else(|| "show".into());
    match cmd.as_str() {
        c if matches(c, "show", 1) || matches(c, "list", 1) => fdb_show(h, opts, args),
        c if matches(c, "add", 1) => Ok(h.fdb_add(&parse_fdb(h, &mut args)?)?),
        c if matches(c, "append", 2) => Ok(h.fdb_append(&parse_fdb(h, &mut args)?)?),
        c if matches(c, "replace", 1) => Ok(h.fdb_replace(&parse_fdb(h, &mut args)?)?),
        c if matches(c, "delete", 1) => Ok(h.fdb_del(&parse_fdb(h, &mut args)?)?),
        "help" => {
            println!(
                "Usage: ip fdb {{ add | append | replace | del }} LLADDR dev DEV [ self ] [ master ] [ local | static | permanent | dynamic ] [ sticky ] [ extern_learn ]\n              [ dst IPADDR ] [ vlan VID ] [ port PORT ] [ vni VNI ] [ via DEV ] [ src_vni VNI ] [ nhid ID ]\n       ip fdb show [ br BRIDGE ] [ brport DEV | dev DEV ]"
            );
            Ok(())
        }
        other => bail!("Command \"{other}\" is unknown, try \"ip fdb help\"."),
    }
}

fn fdb_show(h: &Handle, opts: &Opts, mut args: Args) -> Result<()> {
    let (mut master, mut port) = (None, None);
    while let Some(w) = args.next() {
        match w.as_str() {
            "br" => master = Some(args.value("br")?),
            "brport" | "dev" => port = Some(args.value(&w)?),
            other => bail!("\"{other}\" is not a supported fdb filter"),
        }
    }
    let with_dev = port.is_none();
    let list = h.fdb_list(master.map(Into::into), port.map(Into::into))?;
    let names = names(h)?;
    if opts.json {
        let v: Vec<Value> = list
            .iter()
            .map(|n| fdb_json(n, &names, with_dev, opts.stats))
            .collect();
        println!("{}", serde_json::to_string(&v)?);
    } else {
        for n in &list {
            let mut s = n.lladdr.map(|l| l.to_string()).unwrap_or_default();
            if with_dev {
                s.push_str(&format!(" dev {}", dev_name(&names, n.ifindex)));
            }
            if let Some(v) = n.vlan {
                s.push_str(&format!(" vlan {v}"));
            }
            if let Some(d) = n.dst {
                s.push_str(&format!(" dst {d}"));
            }
            if let Some(m) = n.master {
                s.push_str(&format!(" master {}", dev_name(&names, m)));
            }
            if n.flags.contains(NeighFlags::SELF) {
                s.push_str(" self");
            }
            let st = fdb_state(n.state);
            if !st.is_empty() {
                s.push_str(&format!(" {st}"));
            }
            println!("{s}");
        }
    }
    Ok(())
}

/// The words after `bridge fdb add|append|replace|del`. Like `bridge`:
/// `self` unless `master` is given, and `permanent` unless another state is.
pub fn parse_fdb(h: &Handle, args: &mut Args) -> Result<Neigh> {
    let mut n = Neigh {
        family: netlink::AF_BRIDGE,
        state: NeighState::PERMANENT,
        ..Neigh::default()
    };
    let mut dev = None;
    while let Some(w) = args.next() {
        match w.as_str() {
            "dev" => dev = Some(args.value("dev")?),
            "self" => n.flags |= NeighFlags::SELF,
            "master" => n.flags |= NeighFlags::MASTER,
            "local" | "permanent" => n.state = NeighState::PERMANENT,
            "static" => n.state = NeighState::NOARP,
            "dynamic" => n.state = NeighState::REACHABLE,
            "sticky" => n.flags |= NeighFlags::STICKY,
            "extern_learn" => n.flags |= NeighFlags::EXT_LEARNED,
            "use" => n.flags |= NeighFlags::USE,
            "dst" => n.dst = Some(args.parse("dst")?),
            "vlan" => n.vlan = Some(args.parse("vlan")?),
            "port" | "dst_port" => n.port = Some(args.parse("port")?),
            "vni" => n.vni = Some(args.parse("vni")?),
            "src_vni" => n.src_vni = Some(args.parse("src_vni")?),
            "nhid" => n.nh_id = Some(args.parse("nhid")?),
            "via" => n.via_ifindex = Some(h.link_index(args.value("via")?.as_str())?),
            other => {
                n.lladdr = Some(
                    other
                        .parse::<HwAddr>()
                        .map_err(|e| anyhow::anyhow!("invalid mac address \"{other}\": {e}"))?,
                )
            }
        }
    }
    let Some(dev) = dev else {
        bail!("Device is a required argument.");
    };
    n.ifindex = h.link_index(dev.as_str())?;
    if !n.flags.intersects(NeighFlags::SELF | NeighFlags::MASTER) {
        n.flags |= NeighFlags::SELF;
    }
    Ok(n)
}
