//! `ip rule show | add | del`, and the JSON `ip -j rule` prints (the
//! conformance tests include this file too).

use std::io::Write;

use anyhow::{Context, Result, bail};
use netlink::nl_route::route::{parse_table, table_name};
use netlink::nl_route::text::{DSFIELDS, Dsfield, IP_PROTOCOLS, IpProto};
use netlink::nl_route::{PortRange, RuleFlags, UidRange};
use netlink::{RouteProtocol, Rule, RuleAction, RuleDump};
use serde_json::{Map, Value, json};

use super::Ip;
use crate::args::{Args, garbage, is_list, matches, number};

fn parse_dsfield(s: &str) -> Result<u8> {
    if let Some((v, _)) = DSFIELDS.iter().find(|(_, n)| n.eq_ignore_ascii_case(s)) {
        return Ok(*v);
    }
    let v = match s.strip_prefix("0x") {
        Some(h) => u8::from_str_radix(h, 16),
        None => u8::from_str_radix(s, 16),
    };
    v.with_context(|| format!("invalid TOS value \"{s}\""))
}

/// An IP protocol by number, `ipproto-N` or /etc/protocols name.
pub(crate) fn parse_proto(s: &str) -> Result<u8> {
    if let Some(n) = s.strip_prefix("ipproto-") {
        return Ok(n.parse()?);
    }
    if let Ok(n) = s.parse() {
        return Ok(n);
    }
    if s == "icmpv6" {
        return Ok(58);
    }
    IP_PROTOCOLS
        .iter()
        .find(|(_, n)| *n == s)
        .map(|(p, _)| *p)
        .with_context(|| format!("invalid ipproto \"{s}\""))
}

/// `rtnl_rtrealm_n2a` (rt_realms names 0 "cosmos").
fn realm_name(r: u32) -> String {
    if r == 0 {
        "cosmos".into()
    } else {
        r.to_string()
    }
}

fn parse_realm(s: &str) -> Result<u32> {
    if s == "cosmos" {
        return Ok(0);
    }
    s.parse::<u16>()
        .map(u32::from)
        .with_context(|| format!("invalid realm \"{s}\""))
}

/// `realms [FROM/]TO` as the kernel keeps them, `FROM << 16 | TO`.
pub(crate) fn parse_realms(s: &str) -> Result<u32> {
    Ok(match s.split_once('/') {
        Some((f, t)) => (parse_realm(f)? << 16) | parse_realm(t)?,
        None => parse_realm(s)?,
    })
}

/// `rtnl_group_n2a` (group 0 is "default").
fn group_name(g: u32) -> String {
    if g == 0 {
        "default".into()
    } else {
        g.to_string()
    }
}

/// `%#llx` of C: `0` for zero.
fn c_hex(v: u32) -> String {
    if v == 0 {
        "0".into()
    } else {
        format!("{v:#x}")
    }
}

fn prefix_parts(n: &ipnet::IpNet) -> (String, Option<u8>) {
    let full = if n.addr().is_ipv4() { 32 } else { 128 };
    let len = Some(n.prefix_len()).filter(|l| *l != full);
    (n.addr().to_string(), len)
}

fn range_json(o: &mut Map<String, Value>, key: &str, r: PortRange) {
    if r.start == r.end {
        o.insert(key.into(), json!(r.start));
    } else {
        o.insert(format!("{key}_start"), json!(r.start));
        o.insert(format!("{key}_end"), json!(r.end));
    }
}

/// The object `ip -j [-d] rule show` prints for one rule.
pub fn rule_json(r: &Rule, details: bool) -> Value {
    let mut o = Map::new();
    o.insert("priority".into(), json!(r.priority.unwrap_or(0)));
    if r.flags.contains(RuleFlags::INVERT) {
        o.insert("not".into(), Value::Null);
    }
    match &r.src {
        Some(s) => {
            let (a, l) = prefix_parts(s);
            o.insert("src".into(), json!(a));
            if let Some(l) = l {
                o.insert("srclen".into(), json!(l));
            }
        }
        None => {
            o.insert("src".into(), json!("all"));
        }
    }
    if let Some(d) = &r.dst {
        let (a, l) = prefix_parts(d);
        o.insert("dst".into(), json!(a));
        if let Some(l) = l {
            o.insert("dstlen".into(), json!(l));
        }
    }
    if r.tos != 0 {
        o.insert("tos".into(), json!(Dsfield(r.tos).to_string()));
    }
    if let Some(d) = r.dscp {
        o.insert("dscp".into(), json!(d));
    }
    if r.fwmark.is_some() || r.fwmask.is_some() {
        o.insert("fwmark".into(), json!(c_hex(r.fwmark.unwrap_or(0))));
        if let Some(m) = r.fwmask.filter(|m| *m != u32::MAX) {
            o.insert("fwmask".into(), json!(c_hex(m)));
        }
    }
    if let Some(i) = &r.iif {
        o.insert("iif".into(), json!(i));
        if r.flags.contains(RuleFlags::IIF_DETACHED) {
            o.insert("iif_detached".into(), Value::Null);
        }
    }
    if let Some(i) = &r.oif {
        o.insert("oif".into(), json!(i));
        if r.flags.contains(RuleFlags::OIF_DETACHED) {
            o.insert("oif_detached".into(), Value::Null);
        }
    }
    if r.l3mdev {
        o.insert("l3mdev".into(), Value::Null);
    }
    if let Some(u) = r.uid_range {
        o.insert("uid_start".into(), json!(u.start));
        o.insert("uid_end".into(), json!(u.end));
    }
    if let Some(p) = r.ip_proto {
        o.insert("ipproto".into(), json!(IpProto(p).to_string()));
    }
    if let Some(p) = r.sport {
        range_json(&mut o, "sport", p);
    }
    if let Some(p) = r.dport {
        range_json(&mut o, "dport", p);
    }
    if let Some(t) = r.tun_id {
        o.insert("tun_id".into(), json!(t));
    }
    if r.table != 0 {
        o.insert("table".into(), json!(table_name(r.table)));
        if let Some(p) = r.suppress_prefixlen {
            o.insert("suppress_prefixlen".into(), json!(p as i32));
        }
        if let Some(g) = r.suppress_ifgroup {
            o.insert("suppress_ifgroup".into(), json!(group_name(g)));
        }
    }
    if let Some(f) = r.realms {
        if f >> 16 != 0 {
            o.insert("flow_from".into(), json!(realm_name(f >> 16)));
        }
        o.insert("flow_to".into(), json!(realm_name(f & 0xffff)));
    }
    match r.action {
        RuleAction::Goto => {
            match r.goto {
                Some(g) => o.insert("goto".into(), json!(g)),
                None => o.insert("goto".into(), json!("none")),
            };
            if r.flags.contains(RuleFlags::UNRESOLVED) {
                o.insert("unresolved".into(), Value::Null);
            }
        }
        RuleAction::Nop => {
            o.insert("nop".into(), Value::Null);
        }
        RuleAction::ToTable => {}
        a => {
            o.insert("action".into(), json!(a.to_string()));
        }
    }
    if (r.protocol.0 != 0 && r.protocol != RouteProtocol::KERNEL) || details {
        o.insert("protocol".into(), json!(r.protocol.to_string()));
    }
    Value::Object(o)
}

/// `ip rule COMMAND ...`.
pub fn run(ip: &Ip<'_>, mut args: Args<'_>, out: &mut dyn Write) -> Result<()> {
    let cmd = args.next().unwrap_or("show");
    match cmd {
        c if is_list(c) => show(ip, args, out),
        c if matches(c, "add", 1) => Ok(ip.h.rule_add(&parse_rule(ip, &mut args, true)?)?),
        c if matches(c, "delete", 1) => Ok(ip.h.rule_del(&parse_rule(ip, &mut args, false)?)?),
        "help" => {
            writeln!(
                out,
                "Usage: ip rule {{ add | del }} SELECTOR ACTION\n       ip rule show [ pref N ] [ table T ] [ iif X ] [ oif X ] [ protocol P ]\n\
                 SELECTOR := [ not ] [ from PREFIX ] [ to PREFIX ] [ tos TOS ] [ fwmark FWMARK[/MASK] ]\n\
                 \x20           [ iif STRING ] [ oif STRING ] [ pref NUMBER ] [ l3mdev ] [ uidrange A-B ]\n\
                 \x20           [ ipproto P ] [ sport R ] [ dport R ] [ tun_id N ] [ dscp N ]\n\
                 ACTION := [ table T ] [ protocol P ] [ realms [SRC/]DST ] [ goto N ] [ nop | blackhole | unreachable | prohibit ]\n\
                 \x20         [ suppress_prefixlength N ] [ suppress_ifgroup G ]"
            )?;
            Ok(())
        }
        other => bail!("Command \"{other}\" is unknown, try \"ip rule help\"."),
    }
}

fn show(ip: &Ip<'_>, mut args: Args<'_>, out: &mut dyn Write) -> Result<()> {
    // Like ip: IPv4 unless -6 (or -0 in newer versions) says otherwise.
    let opts = &ip.opts;
    let mut f = RuleDump {
        family: if opts.family == 0 {
            netlink::AF_INET
        } else {
            opts.family
        },
        ..RuleDump::default()
    };
    while let Some(w) = args.next() {
        match w {
            "table" | "lookup" => f.table = Some(parse_table(args.value("table")?)?),
            "pref" | "priority" | "preference" | "order" => f.priority = Some(args.parse(w)?),
            "iif" => f.iif = Some(args.value("iif")?.to_string()),
            "oif" => f.oif = Some(args.value("oif")?.to_string()),
            "protocol" | "proto" => f.protocol = Some(args.parse("protocol")?),
            other => return Err(garbage(other)),
        }
    }
    let rules = ip.h.rule_list_filtered(&f)?;
    if opts.json {
        let v: Vec<Value> = rules.iter().map(|r| rule_json(r, opts.details)).collect();
        ip.print_json(out, &Value::Array(v))?;
    } else {
        for r in &rules {
            writeln!(out, "{r}")?;
        }
    }
    Ok(())
}

fn parse_prefix(s: &str) -> Result<ipnet::IpNet> {
    if let Ok(n) = s.parse() {
        return Ok(n);
    }
    let a: std::net::IpAddr = s
        .parse()
        .with_context(|| format!("invalid prefix \"{s}\""))?;
    Ok(ipnet::IpNet::from(a))
}

/// The words after `ip rule add|del`. `add` defaults to a lookup of the
/// main table, as `ip` does; `del` matches any action and table.
pub fn parse_rule(ip: &Ip<'_>, args: &mut Args<'_>, add: bool) -> Result<Rule> {
    let mut r = Rule {
        family: ip.opts.family,
        action: if add {
            RuleAction::ToTable
        } else {
            RuleAction::Unspec
        },
        ..Rule::default()
    };
    let mut table_set = false;
    let set_family = |r: &mut Rule, a: &std::net::IpAddr| -> Result<()> {
        let f = if a.is_ipv4() {
            netlink::AF_INET
        } else {
            netlink::AF_INET6
        };
        if r.family != 0 && r.family != f {
            bail!("address family mismatch for \"{a}\"");
        }
        r.family = f;
        Ok(())
    };
    while let Some(w) = args.next() {
        match w {
            "not" => r.flags |= RuleFlags::INVERT,
            "from" => {
                let v = args.value("from")?;
                if v != "all" {
                    let n = parse_prefix(v)?;
                    set_family(&mut r, &n.addr())?;
                    r.src = Some(n);
                }
            }
            "to" => {
                let v = args.value("to")?;
                if v != "all" {
                    let n = parse_prefix(v)?;
                    set_family(&mut r, &n.addr())?;
                    r.dst = Some(n);
                }
            }
            "tos" | "dsfield" => r.tos = parse_dsfield(args.value(w)?)?,
            "dscp" => r.dscp = Some(args.parse("dscp")?),
            "fwmark" => {
                let v = args.value("fwmark")?;
                let (m, mask) = match v.split_once('/') {
                    Some((m, k)) => (m, Some(number(k)?)),
                    None => (v, None),
                };
                r.fwmark = Some(number(m).context("invalid fwmark")?);
                r.fwmask = mask;
            }
            "iif" | "dev" => r.iif = Some(args.value("iif")?.to_string()),
            "oif" => r.oif = Some(args.value("oif")?.to_string()),
            "pref" | "priority" | "preference" | "order" => r.priority = Some(args.parse(w)?),
            "l3mdev" => r.l3mdev = true,
            "uidrange" => {
                r.uid_range = Some(
                    args.value("uidrange")?
                        .parse::<UidRange>()
                        .context("invalid UID range")?,
                )
            }
            "ipproto" => r.ip_proto = Some(parse_proto(args.value("ipproto")?)?),
            "sport" => r.sport = Some(args.value("sport")?.parse().context("invalid sport")?),
            "dport" => r.dport = Some(args.value("dport")?.parse().context("invalid dport")?),
            "tun_id" => r.tun_id = Some(args.parse("tun_id")?),
            "table" | "lookup" => {
                let v = args.value("table")?;
                r.table = parse_table(v)
                    .map_err(|_| anyhow::anyhow!("argument \"{v}\" is wrong: invalid table ID"))?;
                table_set = true;
            }
            "protocol" | "proto" => r.protocol = args.parse("protocol")?,
            "realms" | "realm" => r.realms = Some(parse_realms(args.value(w)?)?),
            "goto" => {
                r.action = RuleAction::Goto;
                r.goto = Some(args.parse("goto")?);
            }
            "nop" => r.action = RuleAction::Nop,
            "suppress_prefixlength" | "sup_pl" => {
                r.suppress_prefixlen = Some(args.parse("suppress_prefixlength")?)
            }
            "suppress_ifgroup" | "sup_group" => {
                let v = args.value("suppress_ifgroup")?;
                r.suppress_ifgroup = Some(if v == "default" { 0 } else { v.parse()? });
            }
            "type" => r.action = args.value("type")?.parse()?,
            "blackhole" | "unreachable" | "prohibit" => r.action = w.parse()?,
            other => return Err(garbage(other)),
        }
    }
    if r.family == 0 {
        r.family = netlink::AF_INET;
    }
    if add && !table_set && r.action == RuleAction::ToTable && !r.l3mdev {
        r.table = netlink::nl_route::route::TABLE_MAIN;
    }
    if table_set && !add && r.action == RuleAction::Unspec {
        r.action = RuleAction::ToTable;
    }
    Ok(r)
}
