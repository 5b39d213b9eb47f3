//! `ip ntable`: the neighbour tables and each device's parameters in them.
//!
//! ```text
//! ip ntable show [ dev DEV ] [ name NAME ]
//! ip ntable change name NAME [ dev DEV ] [ thresh1 VAL ] [ thresh2 VAL ]
//!     [ thresh3 VAL ] [ gc_int MSEC ] [ PARMS ]
//! PARMS := [ base_reachable MSEC ] [ retrans MSEC ] [ gc_stale MSEC ]
//!     [ delay_probe MSEC ] [ queue LEN ] [ app_probes VAL ] [ ucast_probes VAL ]
//!     [ mcast_probes VAL ] [ anycast_delay MSEC ] [ proxy_delay MSEC ]
//!     [ proxy_queue LEN ] [ locktime MSEC ]
//! ```
//!
//! Text and `-j` as iproute2 6.1 prints them; `-s` (the tables' shared
//! configuration and counters) is refused by name.

use std::fmt::Write as _;
use std::io::Write;

use anyhow::{Result, bail};
use netlink::nl_route::neightbl::{NeighTable, NeighTableChange, NeighTableParms};
use serde_json::{Map, Value, json};

use super::Ip;
use crate::args::{Args, garbage, matches};

/// `ip ntable ...` (the words after `ntable`).
pub fn run(ip: &Ip<'_>, mut args: Args<'_>, out: &mut dyn Write) -> Result<()> {
    match args.next() {
        None => show(ip, args, out),
        Some(w) if matches(w, "show", 1) || matches(w, "list", 1) => show(ip, args, out),
        Some(w) if matches(w, "change", 1) => change(ip, args),
        Some(w) if matches(w, "help", 1) => {
            out.write_all(
                b"Usage: ip ntable change name NAME [ dev DEV ]\n\
                  \x20        [ thresh1 VAL ] [ thresh2 VAL ] [ thresh3 VAL ] [ gc_int MSEC ]\n\
                  \x20        [ PARMS ]\n\
                  Usage: ip ntable show [ dev DEV ] [ name NAME ]\n",
            )?;
            Ok(())
        }
        Some(other) => bail!("Command \"{other}\" is unknown, try \"ip ntable help\"."),
    }
}

fn family_word(f: u8) -> &'static str {
    match f {
        netlink::AF_INET => "inet",
        netlink::AF_INET6 => "inet6",
        netlink::AF_BRIDGE => "bridge",
        _ => "unknown",
    }
}

fn show(ip: &Ip<'_>, mut args: Args<'_>, out: &mut dyn Write) -> Result<()> {
    if ip.opts.stats {
        bail!("ip -s ntable: the tables' configuration and counters are not printed by nl");
    }
    let mut dev = None;
    let mut name = None;
    while let Some(w) = args.next() {
        match w {
            "dev" => dev = Some(args.value("dev")?),
            "name" => name = Some(args.value("name")?),
            other => return Err(garbage(other)),
        }
    }
    let index = dev.map(|d| ip.link_index(d)).transpose()?;
    let names = ip.names()?;
    let tables = ip.h.neigh_table_list(ip.opts.family)?;
    let shown = tables.iter().filter(|t| {
        let ifindex = t.parms.as_ref().and_then(|p| p.ifindex).unwrap_or(0);
        name.is_none_or(|n| n == t.name) && index.is_none_or(|i| i == ifindex)
    });
    let dev_name = |i: u32| names.get(&i).map_or_else(|| i.to_string(), |n| n.0.clone());
    if ip.opts.json {
        let list: Vec<Value> = shown.map(|t| table_json(t, &dev_name)).collect();
        return ip.print_json(out, &Value::Array(list));
    }
    let mut text = String::new();
    for t in shown {
        table_text(&mut text, t, &dev_name)?;
    }
    out.write_all(text.as_bytes())?;
    Ok(())
}

fn table_text(t: &mut String, n: &NeighTable, dev: &dyn Fn(u32) -> String) -> Result<()> {
    writeln!(t, "{} {} ", family_word(n.family), n.name)?;
    if let Some(i) = n.parms.as_ref().and_then(|p| p.ifindex) {
        writeln!(t, "    dev {} ", dev(i))?;
    }
    if n.thresh1.is_some() || n.thresh2.is_some() || n.thresh3.is_some() || n.gc_interval.is_some()
    {
        t.push_str("    ");
        for (w, v) in [
            ("thresh1", n.thresh1.map(u64::from)),
            ("thresh2", n.thresh2.map(u64::from)),
            ("thresh3", n.thresh3.map(u64::from)),
            ("gc_int", n.gc_interval),
        ] {
            if let Some(v) = v {
                write!(t, "{w} {v} ")?;
            }
        }
        t.push('\n');
    }
    if let Some(p) = &n.parms {
        for line in parms_lines(p) {
            if line.is_empty() {
                continue;
            }
            t.push_str("    ");
            for (w, v) in line {
                write!(t, "{w} {v} ")?;
            }
            t.push('\n');
        }
    }
    t.push('\n');
    Ok(())
}

/// The parameters in ip's lines and words (text); the JSON keys are the
/// same words.
fn parms_lines(p: &NeighTableParms) -> [Vec<(&'static str, u64)>; 4] {
    let pick = |items: &[(&'static str, Option<u64>)]| -> Vec<(&'static str, u64)> {
        items
            .iter()
            .filter_map(|(w, v)| v.map(|v| (*w, v)))
            .collect()
    };
    let u = |v: Option<u32>| v.map(u64::from);
    [
        pick(&[
            ("refcnt", u(p.refcnt)),
            ("reachable", p.reachable_time),
            ("base_reachable", p.base_reachable_time),
            ("retrans", p.retrans_time),
        ]),
        pick(&[
            ("gc_stale", p.gc_staletime),
            ("delay_probe", p.delay_probe_time),
            ("queue", u(p.queue_len)),
        ]),
        pick(&[
            ("app_probes", u(p.app_probes)),
            ("ucast_probes", u(p.ucast_probes)),
            ("mcast_probes", u(p.mcast_probes)),
        ]),
        pick(&[
            ("anycast_delay", p.anycast_delay),
            ("proxy_delay", p.proxy_delay),
            ("proxy_queue", u(p.proxy_qlen)),
            ("locktime", p.locktime),
        ]),
    ]
}

fn table_json(n: &NeighTable, dev: &dyn Fn(u32) -> String) -> Value {
    let mut m = Map::new();
    m.insert("family".into(), json!(family_word(n.family)));
    m.insert("name".into(), json!(n.name));
    if let Some(i) = n.parms.as_ref().and_then(|p| p.ifindex) {
        m.insert("dev".into(), json!(dev(i)));
    }
    for (w, v) in [
        ("thresh1", n.thresh1.map(u64::from)),
        ("thresh2", n.thresh2.map(u64::from)),
        ("thresh3", n.thresh3.map(u64::from)),
        ("gc_interval", n.gc_interval),
    ] {
        if let Some(v) = v {
            m.insert(w.into(), json!(v));
        }
    }
    if let Some(p) = &n.parms {
        for (w, v) in parms_lines(p).into_iter().flatten() {
            m.insert(w.into(), json!(v));
        }
    }
    Value::Object(m)
}

fn change(ip: &Ip<'_>, mut args: Args<'_>) -> Result<()> {
    let mut name = None;
    let mut dev = None;
    let mut c = NeighTableChange::default();
    let mut p = NeighTableParms::default();
    while let Some(w) = args.next() {
        match w {
            "name" => name = Some(args.value("name")?),
            "dev" => dev = Some(args.value("dev")?),
            "thresh1" => c.thresh1 = Some(args.parse(w)?),
            "thresh2" => c.thresh2 = Some(args.parse(w)?),
            "thresh3" => c.thresh3 = Some(args.parse(w)?),
            "gc_int" => c.gc_interval = Some(args.parse(w)?),
            "base_reachable" => p.base_reachable_time = Some(args.parse(w)?),
            "retrans" => p.retrans_time = Some(args.parse(w)?),
            "gc_stale" => p.gc_staletime = Some(args.parse(w)?),
            "delay_probe" => p.delay_probe_time = Some(args.parse(w)?),
            "queue" => p.queue_len = Some(args.parse(w)?),
            "app_probes" => p.app_probes = Some(args.parse(w)?),
            "ucast_probes" => p.ucast_probes = Some(args.parse(w)?),
            "mcast_probes" => p.mcast_probes = Some(args.parse(w)?),
            "anycast_delay" => p.anycast_delay = Some(args.parse(w)?),
            "proxy_delay" => p.proxy_delay = Some(args.parse(w)?),
            "proxy_queue" => p.proxy_qlen = Some(args.parse(w)?),
            "locktime" => p.locktime = Some(args.parse(w)?),
            other => return Err(garbage(other)),
        }
    }
    let Some(name) = name else {
        bail!("\"name\" is required");
    };
    let family = match (ip.opts.family, name) {
        (0, "arp_cache") => netlink::AF_INET,
        (0, "ndisc_cache") => netlink::AF_INET6,
        (0, other) => bail!("table \"{other}\": give its family (-4 or -6)"),
        (f, _) => f,
    };
    let index = dev.map(|d| ip.link_index(d)).transpose()?.unwrap_or(0);
    c.family = family;
    c.name = name.to_string();
    if p != NeighTableParms::default() || index != 0 {
        c = c.parms(index, p);
    }
    ip.h.neigh_table_change(&c)?;
    Ok(())
}
