//! `ip nexthop show | get | add | replace | del`, and the JSON `ip -j
//! nexthop` prints (the conformance tests include this file too).

use anyhow::{Context, Result, bail};
use netlink::nl_route::RouteFlags;
use netlink::nl_route::nexthop::{GroupMember, GroupType, ResilientGroup};
use netlink::{Handle, Nexthop, NexthopDump, RouteProtocol, Scope};
use serde_json::{Map, Value, json};

use crate::Opts;
use crate::args::{Args, matches};
use crate::json::Names;

fn dev_name(names: &Names, index: u32) -> String {
    names
        .get(&index)
        .map_or_else(|| format!("if{index}"), |(n, _)| n.clone())
}

/// The object `ip -j [-d] nexthop show` prints for one nexthop.
pub fn nexthop_json(n: &Nexthop, names: &Names, details: bool) -> Value {
    let mut o = Map::new();
    o.insert("id".into(), json!(n.id));
    if n.is_group() {
        let g: Vec<Value> = n
            .group
            .iter()
            .map(|m| {
                if m.weight > 1 {
                    json!({"id": m.id, "weight": m.weight})
                } else {
                    json!({"id": m.id})
                }
            })
            .collect();
        o.insert("group".into(), Value::Array(g));
    }
    if let Some(t) = n.group_type.filter(|t| *t != GroupType::Mpath) {
        o.insert("type".into(), json!(t.to_string()));
    }
    if let Some(r) = &n.resilient {
        let mut a = Map::new();
        if let Some(b) = r.buckets {
            a.insert("buckets".into(), json!(b));
        }
        if let Some(t) = r.idle_timer {
            a.insert("idle_timer".into(), json!(t / 100));
        }
        if let Some(t) = r.unbalanced_timer {
            a.insert("unbalanced_timer".into(), json!(t / 100));
        }
        if let Some(t) = r.unbalanced_time {
            a.insert("unbalanced_time".into(), json!(t / 100));
        }
        o.insert("resilient_args".into(), Value::Object(a));
    }
    if let Some(g) = n.gateway {
        o.insert("gateway".into(), json!(g.to_string()));
    }
    if let Some(i) = n.oif {
        o.insert("dev".into(), json!(dev_name(names, i)));
    }
    if n.scope != Scope::Universe || details {
        o.insert("scope".into(), json!(n.scope.to_string()));
    }
    if n.blackhole {
        o.insert("blackhole".into(), Value::Null);
    }
    if n.protocol != RouteProtocol::UNSPEC || details {
        o.insert("protocol".into(), json!(n.protocol.to_string()));
    }
    o.insert("flags".into(), json!(n.flags.names()));
    if n.fdb {
        o.insert("fdb".into(), Value::Null);
    }
    Value::Object(o)
}

/// One line of `ip nexthop show`.
pub fn nexthop_text(n: &Nexthop, names: &Names) -> String {
    let mut s = format!("id {}", n.id);
    if n.is_group() {
        let members: Vec<String> = n
            .group
            .iter()
            .map(|m| {
                if m.weight > 1 {
                    format!("{},{}", m.id, m.weight)
                } else {
                    m.id.to_string()
                }
            })
            .collect();
        s.push_str(&format!(" group {}", members.join("/")));
    }
    if let Some(t) = n.group_type.filter(|t| *t != GroupType::Mpath) {
        s.push_str(&format!(" type {t}"));
    }
    if let Some(g) = n.gateway {
        s.push_str(&format!(" via {g}"));
    }
    if let Some(i) = n.oif {
        s.push_str(&format!(" dev {}", dev_name(names, i)));
    }
    if n.scope != Scope::Universe {
        s.push_str(&format!(" scope {}", n.scope));
    }
    if n.blackhole {
        s.push_str(" blackhole");
    }
    if n.protocol != RouteProtocol::UNSPEC {
        s.push_str(&format!(" proto {}", n.protocol));
    }
    for f in n.flags.names() {
        s.push_str(&format!(" {f}"));
    }
    if n.fdb {
        s.push_str(" fdb");
    }
    s
}

fn names(h: &Handle) -> Result<Names> {
    Ok(crate::json::names(h)?)
}

fn print(opts: &Opts, names: &Names, list: &[Nexthop]) -> Result<()> {
    if opts.json {
        let v: Vec<Value> = list
            .iter()
            .map(|n| nexthop_json(n, names, opts.details))
            .collect();
        println!("{}", serde_json::to_string(&v)?);
    } else {
        for n in list {
            println!("{}", nexthop_text(n, names));
        }
    }
    Ok(())
}

pub fn run(h: &Handle, opts: &Opts, mut args: Args) -> Result<()> {
    let cmd = args.next().unwrap_or_else(|| "show".into());
    match cmd.as_str() {
        c if matches(c, "show", 1) || matches(c, "list", 1) || c == "lst" => show(h, opts, args),
        c if matches(c, "get", 1) => {
            let id = parse_id(&mut args)?;
            print(opts, &names(h)?, &[h.nexthop_get(id)?])
        }
        c if matches(c, "add", 1) => {
            h.nexthop_add(&parse_nexthop(h, opts, &mut args)?)?;
            Ok(())
        }
        c if matches(c, "replace", 1) => {
            h.nexthop_replace(&parse_nexthop(h, opts, &mut args)?)?;
            Ok(())
        }
        c if matches(c, "delete", 1) => {
            h.nexthop_del(parse_id(&mut args)?)?;
            Ok(())
        }
        "help" => {
            println!(
                "Usage: ip nexthop {{ add | replace }} id ID NH\n       ip nexthop {{ get | del }} id ID\n       ip nexthop show [ dev DEV ] [ groups ] [ fdb ] [ id ID ]\n\
                 NH := {{ blackhole | [ via ADDRESS ] [ dev DEV ] [ onlink ] | group ID[,WEIGHT]/... [ type {{ mpath | resilient [ buckets N ] [ idle_timer S ] [ unbalanced_timer S ] }} ] }} [ fdb ] [ proto PROTO ]"
            );
            Ok(())
        }
        other => bail!("Command \"{other}\" is unknown, try \"ip nexthop help\"."),
    }
}

fn parse_id(args: &mut Args) -> Result<u32> {
    match args.next().as_deref() {
        Some("id") => args.parse("id"),
        Some(other) => other
            .parse()
            .with_context(|| format!("invalid id \"{other}\"")),
        None => bail!("nexthop id is required"),
    }
}

fn show(h: &Handle, opts: &Opts, mut args: Args) -> Result<()> {
    let mut f = NexthopDump {
        family: opts.family,
        ..NexthopDump::default()
    };
    let mut id = None;
    while let Some(w) = args.next() {
        match w.as_str() {
            "dev" => f.oif = Some(h.link_index(args.value("dev")?.as_str())?),
            "master" | "vrf" => f.master = Some(h.link_index(args.value(&w)?.as_str())?),
            "groups" => f.groups = true,
            "fdb" => f.fdb = true,
            "id" => id = Some(args.parse::<u32>("id")?),
            other => bail!("\"{other}\" is not a supported nexthop filter"),
        }
    }
    let names = names(h)?;
    let list = match id {
        Some(id) => vec![h.nexthop_get(id)?],
        None => h.nexthop_list_filtered(&f)?,
    };
    print(opts, &names, &list)
}

fn parse_group(s: &str) -> Result<Vec<GroupMember>> {
    s.split('/')
        .map(|m| {
            let (id, w) = match m.split_once(',') {
                Some((id, w)) => (id, w.parse().context("invalid group weight")?),
                None => (m, 1),
            };
            Ok(GroupMember {
                id: id.parse().context("invalid group member id")?,
                weight: w,
            })
        })
        .collect()
}

/// The words after `ip nexthop add|replace`.
pub fn parse_nexthop(h: &Handle, opts: &Opts, args: &mut Args) -> Result<Nexthop> {
    let mut n = Nexthop {
        family: opts.family,
        ..Nexthop::default()
    };
    while let Some(w) = args.next() {
        match w.as_str() {
            "id" => n.id = args.parse("id")?,
            "via" => n.gateway = Some(args.parse("via")?),
            "dev" => n.oif = Some(h.link_index(args.value("dev")?.as_str())?),
            "onlink" => n.flags |= RouteFlags::ONLINK,
            "blackhole" => n.blackhole = true,
            "fdb" => n.fdb = true,
            "group" => n.group = parse_group(&args.value("group")?)?,
            "type" => {
                n.group_type = Some(match args.value("type")?.as_str() {
                    "mpath" => GroupType::Mpath,
                    "resilient" => GroupType::Resilient,
                    other => bail!("\"{other}\" is not a nexthop group type"),
                })
            }
            "buckets" => {
                n.resilient
                    .get_or_insert_with(ResilientGroup::default)
                    .buckets = Some(args.parse("buckets")?)
            }
            "idle_timer" => {
                n.resilient
                    .get_or_insert_with(ResilientGroup::default)
                    .idle_timer = Some(args.parse::<u32>("idle_timer")?.saturating_mul(100))
            }
            "unbalanced_timer" => {
                n.resilient
                    .get_or_insert_with(ResilientGroup::default)
                    .unbalanced_timer =
                    Some(args.parse::<u32>("unbalanced_timer")?.saturating_mul(100))
            }
            "proto" | "protocol" => n.protocol = args.parse("protocol")?,
            other => bail!("unknown nexthop argument \"{other}\""),
        }
    }
    if n.family == 0 {
        if let Some(g) = n.gateway {
            n.family = if g.is_ipv4() {
                netlink::AF_INET
            } else {
                netlink::AF_INET6
            };
        } else if !n.is_group() {
            n.family = netlink::AF_INET;
        }
    }
    Ok(n)
}
