//! `ip stats show`: interface statistics by group (RTM_GETSTATS).
//!
//! ```text
//! ip stats show [ dev DEV ] [ group GROUP [ subgroup SUBGROUP ] ] ...
//!     GROUP := link | offload | afstats
//!     SUBGROUP (offload) := l3_stats | hw_stats_info | cpu_hit; (afstats) := mpls
//! ```
//!
//! Text and `-j` as iproute2 6.1 prints them. The per-kind extended
//! groups (`xstats`, `xstats_slave`) are not printed: asking for them is
//! an error naming them.

use std::fmt::Write as _;
use std::io::Write;

use anyhow::{Result, bail};
use netlink::nl_route::stats::{Stats, StatsGroups};
use netlink::nl_route::text::write_link_stats;
use serde_json::{Map, Value, json};

use super::Ip;
use crate::args::{Args, matches};

/// One thing `ip stats` prints: a group, or a group's subgroup.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Part {
    Mpls,
    Link,
    L3Stats,
    HwStatsInfo,
    CpuHit,
}

/// In ip's order.
const ALL: [Part; 5] = [
    Part::Mpls,
    Part::Link,
    Part::L3Stats,
    Part::HwStatsInfo,
    Part::CpuHit,
];

impl Part {
    fn group(self) -> StatsGroups {
        match self {
            Part::Mpls => StatsGroups::AF_SPEC,
            Part::Link => StatsGroups::LINK_64,
            Part::L3Stats | Part::HwStatsInfo | Part::CpuHit => StatsGroups::OFFLOAD,
        }
    }

    /// `group G[ subgroup S]` as ip names it.
    fn words(self) -> (&'static str, Option<&'static str>) {
        match self {
            Part::Mpls => ("afstats", Some("mpls")),
            Part::Link => ("link", None),
            Part::L3Stats => ("offload", Some("l3_stats")),
            Part::HwStatsInfo => ("offload", Some("hw_stats_info")),
            Part::CpuHit => ("offload", Some("cpu_hit")),
        }
    }
}

/// `ip stats ...` (the words after `stats`).
pub fn run(ip: &Ip<'_>, mut args: Args<'_>, out: &mut dyn Write) -> Result<()> {
    match args.next() {
        None => show(ip, args, out),
        Some(w) if matches(w, "show", 1) || w == "list" => show(ip, args, out),
        Some(w) if matches(w, "help", 1) => {
            out.write_all(
                b"Usage: ip stats show [ dev DEV ] [ group GROUP [ subgroup SUBGROUP ] ]...\n\
                  GROUP := { link | offload | afstats }\n",
            )?;
            Ok(())
        }
        Some(other) => bail!("Command \"{other}\" is unknown, try \"ip stats help\"."),
    }
}

fn show(ip: &Ip<'_>, mut args: Args<'_>, out: &mut dyn Write) -> Result<()> {
    let mut dev = None;
    let mut wanted: Vec<Part> = Vec::new();
    while let Some(w) = args.next() {
        match w {
            "dev" => dev = Some(args.value("dev")?),
            "group" => {
                let g = args.value("group")?;
                let of_group: Vec<Part> = match g {
                    "link" => vec![Part::Link],
                    "offload" => vec![Part::L3Stats, Part::HwStatsInfo, Part::CpuHit],
                    "afstats" => vec![Part::Mpls],
                    "xstats" | "xstats_slave" => {
                        bail!("group {g}: the per-kind extended statistics are not implemented")
                    }
                    other => bail!("Unknown group name: \"{other}\""),
                };
                if args.eat("subgroup") {
                    let s = args.value("subgroup")?;
                    let Some(p) = of_group.iter().find(|p| p.words().1 == Some(s)) else {
                        if g == "link" {
                            bail!("subgroup {s} requested inside leaf group {g}");
                        }
                        bail!("Unknown subgroup name: \"{s}\" in group \"{g}\"");
                    };
                    wanted.push(*p);
                } else {
                    wanted.extend(of_group);
                }
            }
            other => return Err(crate::args::garbage(other)),
        }
    }
    if wanted.is_empty() {
        wanted = ALL.to_vec();
    }
    let groups = wanted
        .iter()
        .fold(StatsGroups::empty(), |g, p| g | p.group());
    let names = ip.names()?;
    let all = match dev {
        Some(d) => vec![ip.h.link_stats(ip.link_index(d)?, groups)?],
        None => ip.h.link_stats_list(groups)?,
    };
    let name = |i: u32| names.get(&i).map_or_else(|| i.to_string(), |n| n.0.clone());
    if ip.opts.json {
        let mut list = Vec::new();
        for s in &all {
            for p in ALL.iter().filter(|p| wanted.contains(p)) {
                list.push(part_json(s, *p, &name(s.ifindex)));
            }
        }
        return ip.print_json(out, &Value::Array(list));
    }
    let mut text = String::new();
    for s in &all {
        for p in ALL.iter().filter(|p| wanted.contains(p)) {
            part_text(&mut text, s, *p, &name(s.ifindex))?;
        }
    }
    out.write_all(text.as_bytes())?;
    Ok(())
}

fn onoff(b: bool) -> &'static str {
    if b { "on" } else { "off" }
}

fn part_text(t: &mut String, s: &Stats, p: Part, name: &str) -> Result<()> {
    let (group, sub) = p.words();
    write!(t, "{}: {name}: group {group}", s.ifindex)?;
    if let Some(sub) = sub {
        write!(t, " subgroup {sub}")?;
    }
    let offload = s.offload.clone().unwrap_or_default();
    let (request, used) = offload.l3_stats_info.unwrap_or((false, false));
    match p {
        Part::Link => {
            if let Some(c) = &s.link64 {
                t.push('\n');
                write_link_stats(t, c, None, false)?;
            }
        }
        Part::L3Stats => write!(t, " {} used {}", onoff(request), onoff(used))?,
        Part::HwStatsInfo => write!(t, "\n    l3_stats {} used {}", onoff(request), onoff(used))?,
        Part::CpuHit => {
            t.push('\n');
            if let Some(c) = &offload.cpu_hit {
                write_link_stats(t, c, None, false)?;
            }
        }
        Part::Mpls => {
            if let Some(m) = &s.mpls {
                // print_mpls_link_stats: columns as wide as their words or
                // the widest number, each number followed by a space.
                let digits = |v: u64| v.to_string().len();
                let mut cols = [9usize, 7, 6, 7, 7];
                for row in [
                    [
                        m.rx_bytes,
                        m.rx_packets,
                        m.rx_errors,
                        m.rx_dropped,
                        m.rx_noroute,
                    ],
                    [m.tx_bytes, m.tx_packets, m.tx_errors, m.tx_dropped, 0],
                ] {
                    for (c, v) in cols.iter_mut().zip(row) {
                        *c = (*c).max(digits(v));
                    }
                }
                let [c0, c1, c2, c3, c4] = cols;
                write!(
                    t,
                    "\n    RX: {:>w0$} {:>c1$} {:>c2$} {:>c3$} {:>c4$}\n    ",
                    "bytes",
                    "packets",
                    "errors",
                    "dropped",
                    "noroute",
                    w0 = c0 - 4
                )?;
                for (v, w) in [
                    m.rx_bytes,
                    m.rx_packets,
                    m.rx_errors,
                    m.rx_dropped,
                    m.rx_noroute,
                ]
                .into_iter()
                .zip(cols)
                {
                    write!(t, "{v:>w$} ")?;
                }
                write!(
                    t,
                    "\n    TX: {:>w0$} {:>c1$} {:>c2$} {:>c3$}\n    ",
                    "bytes",
                    "packets",
                    "errors",
                    "dropped",
                    w0 = c0 - 4
                )?;
                for (v, w) in [m.tx_bytes, m.tx_packets, m.tx_errors, m.tx_dropped]
                    .into_iter()
                    .zip(cols)
                {
                    write!(t, "{v:>w$} ")?;
                }
            }
        }
    }
    t.push('\n');
    Ok(())
}

fn part_json(s: &Stats, p: Part, name: &str) -> Value {
    let (group, sub) = p.words();
    let mut m = Map::new();
    m.insert("ifindex".into(), json!(s.ifindex));
    m.insert("ifname".into(), json!(name));
    m.insert("group".into(), json!(group));
    if let Some(sub) = sub {
        m.insert("subgroup".into(), json!(sub));
    }
    let offload = s.offload.clone().unwrap_or_default();
    let (request, used) = offload.l3_stats_info.unwrap_or((false, false));
    let info = json!({"request": request, "used": used});
    match p {
        Part::Link => {
            if let Some(c) = &s.link64 {
                m.insert("stats64".into(), crate::json::stats64(c));
            }
        }
        Part::L3Stats => {
            m.insert("info".into(), info);
        }
        Part::HwStatsInfo => {
            m.insert("info".into(), json!({ "l3_stats": info }));
        }
        Part::CpuHit => {
            if let Some(c) = &offload.cpu_hit {
                m.insert("stats64".into(), crate::json::stats64(c));
            }
        }
        Part::Mpls => {
            if let Some(x) = &s.mpls {
                m.insert(
                    "mpls_stats".into(),
                    json!({
                        "rx": {"bytes": x.rx_bytes, "packets": x.rx_packets, "errors": x.rx_errors,
                               "dropped": x.rx_dropped, "noroute": x.rx_noroute},
                        "tx": {"bytes": x.tx_bytes, "packets": x.tx_packets, "errors": x.tx_errors,
                               "dropped": x.tx_dropped},
                    }),
                );
            }
        }
    }
    Value::Object(m)
}
