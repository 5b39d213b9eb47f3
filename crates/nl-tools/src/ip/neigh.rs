//! `ip neigh show | add | replace | change | del`, and the JSON `ip -j
//! neigh` prints.

use std::io::Write;

use anyhow::{Context, Result, bail};
use netlink::nl_route::text::{Dev, NEIGH_FLAGS};
use netlink::nl_route::{NeighFlagsExt, NeighState};
use netlink::{HwAddr, Neigh, NeighDump, NeighFlags, RouteProtocol};
use serde_json::{Map, Value, json};

use super::Ip;
use crate::args::{Args, garbage, is_list, matches};
use crate::json::Names;

/// The object `ip -j [-s] neigh show` prints for one entry; `dev` is
/// left out when the listing was for one device, as `ip` does.
pub fn neigh_json(n: &Neigh, names: &Names, with_dev: bool, stats: bool) -> Value {
    let mut o = Map::new();
    if let Some(d) = n.dst {
        o.insert("dst".into(), json!(d.to_string()));
    }
    if with_dev && n.ifindex != 0 {
        o.insert("dev".into(), json!(Dev(names, n.ifindex).to_string()));
    }
    if let Some(l) = &n.lladdr {
        o.insert("lladdr".into(), json!(l.to_string()));
    }
    for (flag, key) in NEIGH_FLAGS {
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

/// `ip neigh COMMAND ...`.
pub fn run(ip: &Ip<'_>, mut args: Args<'_>, out: &mut dyn Write) -> Result<()> {
    let cmd = args.next().unwrap_or("show");
    let h = ip.h;
    match cmd {
        c if is_list(c) => show(ip, args, out),
        c if matches(c, "add", 1) => Ok(h.neigh_add(&parse_neigh(ip, &mut args)?)?),
        c if matches(c, "replace", 1) => Ok(h.neigh_set(&parse_neigh(ip, &mut args)?)?),
        c if matches(c, "change", 1) || c == "chg" => {
            Ok(h.neigh_change(&parse_neigh(ip, &mut args)?)?)
        }
        c if matches(c, "delete", 1) => Ok(h.neigh_del(&parse_neigh(ip, &mut args)?)?),
        "help" => {
            writeln!(
                out,
                "Usage: ip neigh {{ add | del | change | replace }} {{ ADDR [ lladdr LLADDR ] [ nud STATE ] | proxy ADDR }} [ dev DEV ] [ router ] [ extern_learn ] [ protocol PROTO ]\n       ip neigh show [ proxy ] [ dev DEV ] [ nud STATE ]"
            )?;
            Ok(())
        }
        other => bail!("Command \"{other}\" is unknown, try \"ip neigh help\"."),
    }
}

fn show(ip: &Ip<'_>, mut args: Args<'_>, out: &mut dyn Write) -> Result<()> {
    let (h, opts) = (ip.h, &ip.opts);
    let mut f = NeighDump {
        family: opts.family,
        ..NeighDump::default()
    };
    // ip hides NOARP and state-less entries unless `nud all` (or a state) is asked for.
    let mut states: Option<NeighState> = None;
    let mut all = false;
    while let Some(w) = args.next() {
        match w {
            "proxy" => f.proxy = true,
            "dev" => f.ifindex = Some(ip.link_index(args.value("dev")?)?),
            "master" => f.master = Some(ip.link_index(args.value("master")?)?),
            "nud" => {
                let v = args.value("nud")?;
                if v == "all" {
                    all = true;
                } else {
                    let s: NeighState = v.parse()?;
                    states = Some(states.unwrap_or_default() | s);
                }
            }
            other => return Err(garbage(other)),
        }
    }
    let names = ip.names()?;
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
        ip.print_json(out, &Value::Array(v))?;
    } else {
        for n in &list {
            let text = n.text(&names);
            if with_dev {
                writeln!(out, "{text}")?;
            } else {
                writeln!(out, "{}", text.without_dev())?;
            }
        }
    }
    Ok(())
}

/// The words after `ip neigh add|replace|change|del`.
pub fn parse_neigh(ip: &Ip<'_>, args: &mut Args<'_>) -> Result<Neigh> {
    let mut n = Neigh {
        state: NeighState::PERMANENT,
        ..Neigh::default()
    };
    let mut dev = None;
    while let Some(w) = args.next() {
        match w {
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
            "to" if n.dst.is_none() => n.dst = Some(args.parse("to")?),
            other if n.dst.is_some() => return Err(garbage(other)),
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
    n.ifindex = ip.link_index(dev)?;
    let Some(dst) = n.dst else {
        bail!("Neighbor address (to) is required argument.");
    };
    n.family = match (ip.opts.family, dst.is_ipv4()) {
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
