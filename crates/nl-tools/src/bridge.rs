//! `bridge`: the forwarding database (`bridge fdb show | add | append |
//! replace | del`), its text and the JSON `bridge -j fdb` prints.

use std::io::Write;

use anyhow::{Result, bail};
use netlink::nl_route::text::Dev;
use netlink::nl_route::{NeighFlagsExt, NeighState};
use netlink::{HwAddr, Neigh, NeighFlags};
use serde_json::{Map, Value, json};

use crate::args::{Args, Globals, garbage, is_list, matches};
use crate::ip::Ip;
use crate::json::Names;

/// `bridge`'s whole command line (global options, then a command),
/// printing to `out`.
pub fn run(words: &[String], out: &mut dyn Write) -> Result<()> {
    let mut args = Args::new(words.iter().map(String::as_str));
    let g = Globals::read(&mut args, "bridge")?;
    if g.help {
        return usage(out);
    }
    let h = crate::ip::handle(g.netns)?;
    let ip = Ip::new(&h, g.opts());
    match args.next().unwrap_or("help") {
        o if matches(o, "fdb", 1) => fdb(&ip, args, out),
        o if matches(o, "vni", 2) => vni(&ip, args, out),
        o if matches(o, "vlan", 1) => vlan(&ip, args, out),
        "help" => usage(out),
        other => bail!("Object \"{other}\" is unknown, try \"bridge help\"."),
    }
}

fn usage(out: &mut dyn Write) -> Result<()> {
    writeln!(
        out,
        "Usage: bridge [-j [-p]] [-d] [-s] [-n NETNS] fdb {{ show | add | append | replace | del | help }}\n       bridge [-j [-p]] [-s] [-n NETNS] vni {{ show | add | del | help }}"
    )?;
    Ok(())
}

/// `bridge fdb COMMAND ...`.
pub fn fdb(ip: &Ip<'_>, mut args: Args<'_>, out: &mut dyn Write) -> Result<()> {
    let cmd = args.next().unwrap_or("show");
    let h = ip.h;
    match cmd {
        c if is_list(c) => fdb_show(ip, args, out),
        c if matches(c, "add", 1) => Ok(h.fdb_add(&parse_fdb(ip, &mut args)?)?),
        c if matches(c, "append", 2) => Ok(h.fdb_append(&parse_fdb(ip, &mut args)?)?),
        c if matches(c, "replace", 1) => Ok(h.fdb_replace(&parse_fdb(ip, &mut args)?)?),
        c if matches(c, "delete", 1) => Ok(h.fdb_del(&parse_fdb(ip, &mut args)?)?),
        "help" => {
            writeln!(
                out,
                "Usage: bridge fdb {{ add | append | replace | del }} LLADDR dev DEV [ self ] [ master ] [ local | static | permanent | dynamic ] [ sticky ] [ extern_learn ]\n              [ dst IPADDR ] [ vlan VID ] [ port PORT ] [ vni VNI ] [ via DEV ] [ src_vni VNI ] [ nhid ID ]\n       bridge fdb show [ br BRIDGE ] [ brport DEV | dev DEV ]"
            )?;
            Ok(())
        }
        other => bail!("Command \"{other}\" is unknown, try \"bridge fdb help\"."),
    }
}

fn fdb_show(ip: &Ip<'_>, mut args: Args<'_>, out: &mut dyn Write) -> Result<()> {
    let (mut master, mut port) = (None, None);
    while let Some(w) = args.next() {
        match w {
            "br" => master = Some(args.value("br")?),
            "brport" | "dev" => port = Some(args.value(w)?),
            other => return Err(garbage(other)),
        }
    }
    let with_dev = port.is_none();
    let list =
        ip.h.fdb_list(master.map(Into::into), port.map(Into::into))?;
    let names = ip.names()?;
    if ip.opts.json {
        let v: Vec<Value> = list
            .iter()
            .map(|n| fdb_json(n, &names, with_dev, ip.opts.stats))
            .collect();
        return ip.print_json(out, &Value::Array(v));
    }
    for n in &list {
        if let Some(l) = n.lladdr {
            write!(out, "{l}")?;
        }
        if with_dev {
            write!(out, " dev {}", Dev(&names, n.ifindex))?;
        }
        if let Some(v) = n.vlan {
            write!(out, " vlan {v}")?;
        }
        if let Some(d) = n.dst {
            write!(out, " dst {d}")?;
        }
        if let Some(m) = n.master {
            write!(out, " master {}", Dev(&names, m))?;
        }
        if n.flags.contains(NeighFlags::SELF) {
            write!(out, " self")?;
        }
        let st = fdb_state(n.state);
        if !st.is_empty() {
            write!(out, " {st}")?;
        }
        writeln!(out)?;
    }
    Ok(())
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
        o.insert("ifname".into(), json!(Dev(names, n.ifindex).to_string()));
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
        o.insert("viaIf".into(), json!(Dev(names, v).to_string()));
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
        o.insert("master".into(), json!(Dev(names, m).to_string()));
    }
    if !n.state.is_empty() {
        o.insert("state".into(), json!(fdb_state(n.state)));
    }
    Value::Object(o)
}

/// The words after `bridge fdb add|append|replace|del`. Like `bridge`:
/// `self` unless `master` is given, and `permanent` unless another state is.
pub fn parse_fdb(ip: &Ip<'_>, args: &mut Args<'_>) -> Result<Neigh> {
    let mut n = Neigh {
        family: netlink::AF_BRIDGE,
        state: NeighState::PERMANENT,
        ..Neigh::default()
    };
    let mut dev = None;
    while let Some(w) = args.next() {
        match w {
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
            "via" => n.via_ifindex = Some(ip.link_index(args.value("via")?)?),
            other if n.lladdr.is_some() => return Err(garbage(other)),
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
    n.ifindex = ip.link_index(dev)?;
    if !n.flags.intersects(NeighFlags::SELF | NeighFlags::MASTER) {
        n.flags |= NeighFlags::SELF;
    }
    Ok(n)
}

/// `bridge vni COMMAND ...`: VXLAN VNI filtering.
pub fn vni(ip: &Ip<'_>, mut args: Args<'_>, out: &mut dyn Write) -> Result<()> {
    let cmd = args.next().unwrap_or("show");
    match cmd {
        c if is_list(c) => vni_show(ip, args, out),
        c if matches(c, "add", 1) || matches(c, "delete", 1) => {
            let add = matches(c, "add", 1);
            let mut dev = None;
            let mut entry = None;
            let mut group = None;
            while let Some(w) = args.next() {
                match w {
                    "dev" => dev = Some(args.value("dev")?),
                    "vni" => {
                        let v = args.value("vni")?;
                        let parse = |s: &str| -> Result<u32> {
                            s.parse()
                                .map_err(|_| anyhow::anyhow!("invalid vni \"{v}\""))
                        };
                        entry = Some(match v.split_once('-') {
                            Some((a, b)) => {
                                netlink::nl_route::vni::VniEntry::range(parse(a)?, parse(b)?)
                            }
                            None => netlink::nl_route::vni::VniEntry::new(parse(v)?),
                        });
                    }
                    "group" | "remote" => {
                        let v = args.value(w)?;
                        let ip: std::net::IpAddr = v
                            .parse()
                            .map_err(|_| anyhow::anyhow!("invalid {w} address \"{v}\""))?;
                        let multicast = ip.is_multicast();
                        if (w == "group") != multicast {
                            bail!("vxlan: {w} {ip}: a group is multicast, a remote unicast");
                        }
                        group = Some(ip);
                    }
                    other => return Err(garbage(other)),
                }
            }
            let (Some(dev), Some(mut entry)) = (dev, entry) else {
                bail!("Device and VNI ID are required arguments.");
            };
            if let Some(g) = group {
                entry = entry.group(g);
            }
            if add {
                ip.h.bridge_vni_add(dev, &entry)?;
            } else {
                ip.h.bridge_vni_del(dev, &entry)?;
            }
            Ok(())
        }
        "help" => {
            writeln!(
                out,
                "Usage: bridge vni {{ add | del }} vni VNI[-VNIEND] dev DEV [ {{ group | remote }} IP ]\n       bridge vni {{ show }} [ dev DEV ]"
            )?;
            Ok(())
        }
        other => bail!("Command \"{other}\" is unknown, try \"bridge vni help\"."),
    }
}

fn vni_show(ip: &Ip<'_>, mut args: Args<'_>, out: &mut dyn Write) -> Result<()> {
    let dev = crate::args::dev_only(&mut args)?;
    let names = ip.names()?;
    let index = dev.map(|d| ip.link_index(d)).transpose()?;
    let filters =
        ip.h.bridge_vni_list(index.map(netlink::LinkId::Index), ip.opts.stats)?;
    let name = |i: u32| names.get(&i).map_or_else(|| i.to_string(), |n| n.0.clone());
    // The kernel filters by device too, but not every kernel: again here.
    let shown = filters
        .iter()
        .filter(|f| index.is_none_or(|i| i == f.ifindex) && !f.entries.is_empty());
    if ip.opts.json {
        let list: Vec<Value> = shown
            .map(|f| {
                let vnis: Vec<Value> = f.entries.iter().map(vni_json).collect();
                json!({"ifname": name(f.ifindex), "vnis": vnis})
            })
            .collect();
        return Ok(crate::json::print(
            out,
            &Value::Array(list),
            ip.opts.pretty,
        )?);
    }
    let mut t = format!("{:<16}  {:<15}  {:<15}\n", "dev", "vni", "group/remote");
    for f in shown {
        for (i, e) in f.entries.iter().enumerate() {
            let lead = if i == 0 {
                name(f.ifindex)
            } else {
                String::new()
            };
            t.push_str(&format!("{lead:<16}  "));
            match e.vni_end.filter(|end| *end != 0) {
                Some(end) if end != e.vni => t.push_str(&format!(" {}-{end:<14} ", e.vni)),
                Some(_) => t.push_str(&format!(" {}", e.vni)),
                None => t.push_str(&format!(" {:<14}", e.vni)),
            }
            if let Some(g) = e.group {
                t.push_str(&format!(" {g}"));
            }
            if let Some(s) = &e.stats {
                t.push_str(&format!(
                    "\n{:<16}   RX: bytes {} pkts {} drops {} errors {} \n{:<16}   TX: bytes {} pkts {} drops {} errors {} ",
                    "", s.rx_bytes, s.rx_packets, s.rx_drops, s.rx_errors,
                    "", s.tx_bytes, s.tx_packets, s.tx_drops, s.tx_errors
                ));
            }
            t.push('\n');
        }
        t.push('\n');
    }
    out.write_all(t.as_bytes())?;
    Ok(())
}

fn vni_json(e: &netlink::nl_route::vni::VniEntry) -> Value {
    let mut m = Map::new();
    m.insert("vni".into(), json!(e.vni));
    if let Some(end) = e.vni_end.filter(|end| *end != 0 && *end != e.vni) {
        m.insert("vniEnd".into(), json!(end));
    }
    if let Some(g) = e.group {
        let key = if g.is_multicast() { "group" } else { "remote" };
        m.insert(key.into(), json!(g.to_string()));
    }
    if let Some(s) = &e.stats {
        m.insert(
            "stats".into(),
            json!({"rx_bytes": s.rx_bytes, "rx_pkts": s.rx_packets, "rx_drops": s.rx_drops,
                   "rx_errors": s.rx_errors, "tx_bytes": s.tx_bytes, "tx_pkts": s.tx_packets,
                   "tx_drops": s.tx_drops, "tx_errors": s.tx_errors}),
        );
    }
    Value::Object(m)
}

/// `bridge vlan COMMAND ...`: VLANs on ports and their tunnel mappings
/// (`add`, `del`, `tunnelshow`; `show` is not implemented).
pub fn vlan(ip: &Ip<'_>, mut args: Args<'_>, out: &mut dyn Write) -> Result<()> {
    use netlink::nl_route::{BridgeVlan, VlanTunnel};
    let cmd = args.next().unwrap_or("show");
    match cmd {
        c if matches(c, "tunnelshow", 1) => vlan_tunnel_show(ip, args, out),
        c if matches(c, "add", 1) || matches(c, "delete", 1) => {
            let add = matches(c, "add", 1);
            let (mut dev, mut vid, mut tunid) = (None, None, None);
            let (mut pvid, mut untagged, mut self_) = (false, false, false);
            let range = |w: &str, v: &str| -> Result<(u32, u32)> {
                let bad = || anyhow::anyhow!("invalid {w} \"{v}\"");
                Ok(match v.split_once('-') {
                    Some((a, b)) => (a.parse().map_err(|_| bad())?, b.parse().map_err(|_| bad())?),
                    None => {
                        let n = v.parse().map_err(|_| bad())?;
                        (n, n)
                    }
                })
            };
            while let Some(w) = args.next() {
                match w {
                    "dev" => dev = Some(args.value("dev")?),
                    "vid" => vid = Some(range("vid", args.value("vid")?)?),
                    "tunnel_info" => {
                        if !args.eat("id") {
                            bail!("tunnel_info: \"id\" expected");
                        }
                        tunid = Some(range("tunnel id", args.value("id")?)?);
                    }
                    "pvid" => pvid = true,
                    "untagged" => untagged = true,
                    "self" => self_ = true,
                    "master" => self_ = false,
                    other => return Err(garbage(other)),
                }
            }
            let (Some(dev), Some((v0, v1))) = (dev, vid) else {
                bail!("Device and VLAN ID are required arguments.");
            };
            let vid16 =
                |v: u32| u16::try_from(v).map_err(|_| anyhow::anyhow!("invalid VLAN ID {v}"));
            let (v0, v1) = (vid16(v0)?, vid16(v1)?);
            if let Some((t0, t1)) = tunid {
                let t = VlanTunnel {
                    vid: v0,
                    vid_end: v1,
                    tunid: t0,
                    tunid_end: t1,
                };
                if add {
                    ip.h.bridge_vlan_tunnel_add(dev, &[t], self_)?;
                } else {
                    ip.h.bridge_vlan_tunnel_del(dev, &[t], self_)?;
                }
            } else {
                let v = BridgeVlan {
                    vid: v0,
                    vid_end: v1,
                    pvid,
                    untagged,
                };
                if add {
                    ip.h.bridge_vlan_add(dev, &[v], self_)?;
                } else {
                    ip.h.bridge_vlan_del(dev, &[v], self_)?;
                }
            }
            Ok(())
        }
        c if is_list(c) => {
            bail!("bridge vlan: \"{c}\" is not implemented by nl (tunnelshow, add and del are)")
        }
        other => bail!("Command \"{other}\" is unknown, try \"bridge vlan help\"."),
    }
}

fn vlan_tunnel_show(ip: &Ip<'_>, mut args: Args<'_>, out: &mut dyn Write) -> Result<()> {
    let dev = crate::args::dev_only(&mut args)?;
    let index = dev.map(|d| ip.link_index(d)).transpose()?;
    let names = ip.names()?;
    let name = |i: u32| names.get(&i).map_or_else(|| i.to_string(), |n| n.0.clone());
    let ports = ip.h.bridge_vlan_tunnel_list()?;
    let shown = ports.iter().filter(|(i, _)| index.is_none_or(|x| x == *i));
    let range = |a: u32, b: u32| {
        if a == b {
            a.to_string()
        } else {
            format!("{a}-{b}")
        }
    };
    if ip.opts.json {
        let list: Vec<Value> = shown
            .map(|(i, ts)| {
                let tunnels: Vec<Value> = ts
                    .iter()
                    .map(|t| {
                        let mut m = Map::new();
                        m.insert("vlan".into(), json!(t.vid));
                        if t.vid_end != t.vid {
                            m.insert("vlanEnd".into(), json!(t.vid_end));
                        }
                        m.insert("tunid".into(), json!(t.tunid));
                        if t.tunid_end != t.tunid {
                            m.insert("tunidEnd".into(), json!(t.tunid_end));
                        }
                        Value::Object(m)
                    })
                    .collect();
                json!({"ifname": name(*i), "tunnels": tunnels})
            })
            .collect();
        return Ok(crate::json::print(
            out,
            &Value::Array(list),
            ip.opts.pretty,
        )?);
    }
    let mut t = format!("{:<16}  {:<9}  tunnel-id\n", "port", "vlan-id");
    for (i, ts) in shown {
        for (k, x) in ts.iter().enumerate() {
            let lead = if k == 0 { name(*i) } else { String::new() };
            let vlan = range(u32::from(x.vid), u32::from(x.vid_end));
            t.push_str(&format!(
                "{lead:<16}  {vlan:<9}  {}\n",
                range(x.tunid, x.tunid_end)
            ));
        }
    }
    out.write_all(t.as_bytes())?;
    Ok(())
}
