//! `ip nexthop show | get | add | replace | del`, and the JSON `ip -j
//! nexthop` prints (the conformance tests include this file too).

use std::io::Write;

use anyhow::{Context, Result, bail};
use netlink::nl_route::RouteFlags;
use netlink::nl_route::nexthop::{GroupMember, GroupType, ResilientGroup};
use netlink::nl_route::text::Dev;
use netlink::{Nexthop, NexthopDump, RouteProtocol, Scope};
use serde_json::{Map, Value, json};

use super::Ip;
use crate::args::{Args, garbage, is_list, matches};
use crate::json::Names;

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
        o.insert("dev".into(), json!(Dev(names, i).to_string()));
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

fn print(ip: &Ip<'_>, out: &mut dyn Write, list: &[Nexthop]) -> Result<()> {
    let names = ip.names()?;
    if ip.opts.json {
        let v: Vec<Value> = list
            .iter()
            .map(|n| nexthop_json(n, &names, ip.opts.details))
            .collect();
        ip.print_json(out, &Value::Array(v))?;
    } else {
        for n in list {
            writeln!(out, "{}", n.text(&names))?;
        }
    }
    Ok(())
}

/// `ip nexthop COMMAND ...`.
pub fn run(ip: &Ip<'_>, mut args: Args<'_>, out: &mut dyn Write) -> Result<()> {
    let cmd = args.next().unwrap_or("show");
    let h = ip.h;
    match cmd {
        c if is_list(c) => show(ip, args, out),
        c if matches(c, "get", 1) => {
            let id = parse_id(&mut args)?;
            print(ip, out, &[h.nexthop_get(id)?])
        }
        c if matches(c, "add", 1) => Ok(h.nexthop_add(&parse_nexthop(ip, &mut args)?)?),
        c if matches(c, "replace", 1) => Ok(h.nexthop_replace(&parse_nexthop(ip, &mut args)?)?),
        c if matches(c, "delete", 1) => Ok(h.nexthop_del(parse_id(&mut args)?)?),
        "help" => {
            writeln!(
                out,
                "Usage: ip nexthop {{ add | replace }} id ID NH\n       ip nexthop {{ get | del }} id ID\n       ip nexthop show [ dev DEV ] [ groups ] [ fdb ] [ id ID ]\n\
                 NH := {{ blackhole | [ via ADDRESS ] [ dev DEV ] [ onlink ] | group ID[,WEIGHT]/... [ type {{ mpath | resilient [ buckets N ] [ idle_timer S ] [ unbalanced_timer S ] }} ] }} [ fdb ] [ proto PROTO ]"
            )?;
            Ok(())
        }
        other => bail!("Command \"{other}\" is unknown, try \"ip nexthop help\"."),
    }
}

fn parse_id(args: &mut Args<'_>) -> Result<u32> {
    let id = match args.next() {
        Some("id") => args.parse("id"),
        Some(other) => other
            .parse()
            .with_context(|| format!("invalid id \"{other}\"")),
        None => bail!("nexthop id is required"),
    }?;
    args.done()?;
    Ok(id)
}

fn show(ip: &Ip<'_>, mut args: Args<'_>, out: &mut dyn Write) -> Result<()> {
    let mut f = NexthopDump {
        family: ip.opts.family,
        ..NexthopDump::default()
    };
    let mut id = None;
    while let Some(w) = args.next() {
        match w {
            "dev" => f.oif = Some(ip.link_index(args.value("dev")?)?),
            "master" | "vrf" => f.master = Some(ip.link_index(args.value(w)?)?),
            "groups" => f.groups = true,
            "fdb" => f.fdb = true,
            "id" => id = Some(args.parse::<u32>("id")?),
            other => return Err(garbage(other)),
        }
    }
    let list = match id {
        Some(id) => vec![ip.h.nexthop_get(id)?],
        None => ip.h.nexthop_list_filtered(&f)?,
    };
    print(ip, out, &list)
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
pub fn parse_nexthop(ip: &Ip<'_>, args: &mut Args<'_>) -> Result<Nexthop> {
    let mut n = Nexthop {
        family: ip.opts.family,
        ..Nexthop::default()
    };
    while let Some(w) = args.next() {
        match w {
            "id" => n.id = args.parse("id")?,
            "via" => n.gateway = Some(args.parse("via")?),
            "dev" => n.oif = Some(ip.link_index(args.value("dev")?)?),
            "onlink" => n.flags |= RouteFlags::ONLINK,
            "blackhole" => n.blackhole = true,
            "fdb" => n.fdb = true,
            "group" => n.group = parse_group(args.value("group")?)?,
            "type" => {
                n.group_type = Some(match args.value("type")? {
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
            other => return Err(garbage(other)),
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
