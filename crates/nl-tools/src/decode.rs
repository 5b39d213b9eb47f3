//! Decodes a netlink capture with names: message types and the typed
//! objects of nl-route (links, addresses, routes, neighbours, rules,
//! nexthops), one line per message.
//!
//! ```text
//! NETLINK_PCAP=/tmp/s.pcap nl ip link show
//! nl decode /tmp/s.pcap
//! ```
//!
//! prints lines such as
//!
//! ```text
//! #1 12:00:01.000123 > ROUTE RTM_GETLINK seq=1 dump
//! #2 12:00:01.000301 < ROUTE RTM_NEWLINK seq=1 ifname=lo index=1 mtu=65536 flags=LOOPBACK,UP,LOWER_UP ...
//! ```
//!
//! (`>` to the kernel, `<` to user space). Messages of other families or
//! types are named and their attribute types listed; nl-wire's `nlpcap`
//! example prints the raw tree of anything.

use std::fmt::Write as _;
use std::io::Write;

use anyhow::{Context, Result, bail};

use netlink::nl_route::{Neigh, Nexthop, Rule};
use netlink::nl_wire::netlink::{NETLINK_ROUTE, NETLINK_XFRM, NLM_F_DUMP, NLMSG_ERROR};
use netlink::nl_wire::pcap::{Capture, Direction};
use netlink::nl_wire::{Control, Msg};
use netlink::{Addr, Link, Route};

/// `decode FILE`: every message of the capture `FILE`, one line each.
pub fn run(words: &[String], out: &mut dyn Write) -> Result<()> {
    let [path] = words else {
        bail!("usage: nl decode FILE");
    };
    let bytes = std::fs::read(path).with_context(|| format!("cannot read {path}"))?;
    let capture = Capture::new(&bytes).with_context(|| path.to_string())?;
    for (n, record) in capture.enumerate() {
        let record = record.with_context(|| format!("{path}: record {}", n + 1))?;
        let secs = record.time.secs % 86_400;
        let stamp = format!(
            "{:02}:{:02}:{:02}.{:06}",
            secs / 3600,
            secs / 60 % 60,
            secs % 60,
            record.time.nanos / 1000
        );
        let frame = match record.netlink() {
            Ok(f) => f,
            Err(e) => {
                writeln!(out, "#{} {stamp} error: {e}", n + 1)?;
                continue;
            }
        };
        let arrow = match frame.direction() {
            Direction::ToKernel => ">",
            Direction::ToUser => "<",
        };
        let family = match i32::from(frame.protocol) {
            NETLINK_ROUTE => "ROUTE".to_string(),
            NETLINK_XFRM => "XFRM".to_string(),
            p => format!("proto{p}"),
        };
        for msg in frame.msgs() {
            match msg {
                Ok(m) => writeln!(
                    out,
                    "#{} {stamp} {arrow} {family} {}",
                    n + 1,
                    describe(i32::from(frame.protocol), &m)
                )?,
                Err(e) => {
                    writeln!(out, "#{} {stamp} {arrow} {family} error: {e}", n + 1)?;
                    break;
                }
            }
        }
    }
    Ok(())
}

/// One message: its type name, sequence number and typed content.
fn describe(protocol: i32, m: &Msg<'_>) -> String {
    let mut s = format!("{} seq={}", type_name(protocol, m.ty()), m.seq());
    match m.control() {
        Ok(Some(Control::Ack(_))) => {
            s.push_str(" ack");
            return s;
        }
        Ok(Some(Control::Error(e))) => {
            let errno = netlink::nl_sock::Errno::from_raw(e.errno());
            let _ = write!(s, " error={errno:?} ({})", errno.desc());
            if let Some(text) = e.message() {
                let _ = write!(s, " ext-ack={text:?}");
            }
            return s;
        }
        Ok(Some(Control::Done(d))) => {
            if d.error() != 0 {
                let _ = write!(s, " error={}", d.error());
            }
            return s;
        }
        Ok(Some(_)) => return s,
        Ok(None) => {}
        Err(e) => {
            let _ = write!(s, " malformed: {e}");
            return s;
        }
    }
    let is_get = protocol == NETLINK_ROUTE && m.ty() % 4 == 2;
    if is_get && m.flags() & NLM_F_DUMP == NLM_F_DUMP {
        // A dump request carries a bare header and filters, not an object.
        let family = m.payload().first().copied().unwrap_or(0);
        let _ = write!(s, " dump family={family}");
        return s;
    }
    let body = match (protocol, m.ty()) {
        (NETLINK_ROUTE, 16..=19) => Link::parse(m).map(|l| link(&l)),
        (NETLINK_ROUTE, 20..=23) => Addr::parse(m).map(|a| addr(&a)),
        (NETLINK_ROUTE, 24..=27) => Route::parse(m).map(|r| route(&r)),
        (NETLINK_ROUTE, 28..=30) => Neigh::parse(m).map(|n| n.to_string()),
        (NETLINK_ROUTE, 32..=34) => Rule::parse(m).map(|r| r.to_string()),
        (NETLINK_ROUTE, 104..=106) => Nexthop::parse(m).map(|n| n.to_string()),
        (NETLINK_XFRM, _) => return xfrm(s, m),
        _ => Ok(attr_types(m)),
    };
    match body {
        Ok(b) if !b.is_empty() => {
            s.push(' ');
            s.push_str(&b);
        }
        Ok(_) => {}
        Err(e) => {
            let _ = write!(s, " malformed: {e}");
        }
    }
    s
}

/// An xfrm message, by what it carries: requests by their ids, the rest
/// as the monitor's events (states, policies, expiries, acquires ...).
fn xfrm(mut s: String, m: &Msg<'_>) -> String {
    use netlink::nl_xfrm::uapi::*;
    use netlink::nl_xfrm::{PolicyId, StateId, XfrmEvent};
    let one_line = |t: String| t.split_whitespace().collect::<Vec<_>>().join(" ");
    let dump = m.flags() & NLM_F_DUMP == NLM_F_DUMP;
    let body = match m.ty() {
        XFRM_MSG_GETSA | XFRM_MSG_GETPOLICY if dump => Ok("dump".to_string()),
        XFRM_MSG_GETSA | XFRM_MSG_DELSA if m.flags() & 1 != 0 => StateId::parse(m)
            .map(|id| format!("{id:?}"))
            .map_err(|e| e.to_string()),
        XFRM_MSG_GETPOLICY | XFRM_MSG_DELPOLICY if m.flags() & 1 != 0 => PolicyId::parse(m)
            .map(|id| format!("{id:?}"))
            .map_err(|e| e.to_string()),
        XFRM_MSG_NEWSADINFO => netlink::nl_xfrm::SadInfo::parse(m)
            .map(|i| format!("{i:?}"))
            .map_err(|e| e.to_string()),
        XFRM_MSG_NEWSPDINFO => netlink::nl_xfrm::SpdInfo::parse(m)
            .map(|i| format!("{i:?}"))
            .map_err(|e| e.to_string()),
        XFRM_MSG_GETSADINFO | XFRM_MSG_GETSPDINFO | XFRM_MSG_ALLOCSPI | XFRM_MSG_GETAE => {
            Ok(attr_types(m))
        }
        _ => XfrmEvent::parse(m)
            .map(|e| match e {
                XfrmEvent::NewState(st) | XfrmEvent::UpdState(st) => one_line(st.to_string()),
                XfrmEvent::NewPolicy(p) | XfrmEvent::UpdPolicy(p) => one_line(p.to_string()),
                other => one_line(format!("{other:?}")),
            })
            .map_err(|e| e.to_string()),
    };
    match body {
        Ok(b) => {
            s.push(' ');
            s.push_str(&b);
        }
        Err(e) => {
            let _ = write!(s, " malformed: {e}");
        }
    }
    s
}

fn link(l: &Link) -> String {
    let mut s = String::new();
    if !l.name.is_empty() {
        let _ = write!(s, "ifname={} ", l.name);
    }
    if l.index != 0 {
        let _ = write!(s, "index={} ", l.index);
    }
    if let Some(k) = &l.kind {
        let _ = write!(s, "kind={} ", k.name());
    }
    if let Some(m) = l.mtu {
        let _ = write!(s, "mtu={m} ");
    }
    let flags = l.flags.names();
    if !flags.is_empty() {
        let _ = write!(s, "flags={} ", flags.join(","));
    }
    if let Some(st) = l.operstate {
        let _ = write!(s, "state={st} ");
    }
    if let Some(a) = &l.address {
        let _ = write!(s, "address={a} ");
    }
    if let Some(m) = l.master {
        let _ = write!(s, "master={m} ");
    }
    if let Some(q) = &l.qdisc {
        let _ = write!(s, "qdisc={q} ");
    }
    s.trim_end().to_string()
}

fn addr(a: &Addr) -> String {
    let mut s = format!("index={} address={}", a.index, a.prefix);
    if let Some(p) = a.peer {
        let _ = write!(s, " peer={p}");
    }
    if let Some(b) = a.broadcast {
        let _ = write!(s, " broadcast={b}");
    }
    let _ = write!(s, " scope={}", a.scope);
    if let Some(l) = &a.label {
        let _ = write!(s, " label={l}");
    }
    let flags = a.flags.names(a.family());
    if !flags.is_empty() {
        let _ = write!(s, " flags={}", flags.join(","));
    }
    s
}

fn route(r: &Route) -> String {
    let mut s = format!(
        "dst={} table={} type={}",
        r.dst_string(),
        r.table,
        r.route_type
    );
    if let Some(g) = r.gateway.or(r.extra.via) {
        let _ = write!(s, " gateway={g}");
    }
    if let Some(o) = r.oif {
        let _ = write!(s, " oif={o}");
    }
    let _ = write!(s, " protocol={} scope={}", r.protocol, r.scope);
    if let Some(p) = r.prefsrc {
        let _ = write!(s, " prefsrc={p}");
    }
    if let Some(m) = r.priority {
        let _ = write!(s, " metric={m}");
    }
    if !r.multipath.is_empty() {
        let _ = write!(s, " nexthops={}", r.multipath.len());
    }
    s
}

/// Attribute types after the family header, for messages without a typed
/// decoder here.
fn attr_types(m: &Msg<'_>) -> String {
    let hdr = match m.ty() {
        28..=35 => 12, // ndmsg, fib_rule_hdr
        36..=51 => 20,
        104..=106 => 8,
        _ => return format!("{} payload bytes", m.payload().len()),
    };
    let kinds: Vec<String> = m
        .attrs_after(hdr)
        .map_while(Result::ok)
        .map(|a| a.ty().to_string())
        .collect();
    format!("attrs=[{}]", kinds.join(","))
}

fn type_name(protocol: i32, ty: u16) -> String {
    const ROUTE: [(u16, &str); 9] = [
        (16, "LINK"),
        (20, "ADDR"),
        (24, "ROUTE"),
        (28, "NEIGH"),
        (32, "RULE"),
        (36, "QDISC"),
        (40, "TCLASS"),
        (44, "TFILTER"),
        (104, "NEXTHOP"),
    ];
    const XFRM: [&str; 29] = [
        "NEWSA",
        "DELSA",
        "GETSA",
        "NEWPOLICY",
        "DELPOLICY",
        "GETPOLICY",
        "ALLOCSPI",
        "ACQUIRE",
        "EXPIRE",
        "UPDPOLICY",
        "UPDSA",
        "POLEXPIRE",
        "FLUSHSA",
        "FLUSHPOLICY",
        "NEWAE",
        "GETAE",
        "REPORT",
        "MIGRATE",
        "NEWSADINFO",
        "GETSADINFO",
        "NEWSPDINFO",
        "GETSPDINFO",
        "MAPPING",
        "SETDEFAULT",
        "GETDEFAULT",
        "",
        "",
        "",
        "",
    ];
    match ty {
        1 => return "NLMSG_NOOP".into(),
        NLMSG_ERROR => return "NLMSG_ERROR".into(),
        3 => return "NLMSG_DONE".into(),
        4 => return "NLMSG_OVERRUN".into(),
        _ => {}
    }
    let name = match protocol {
        NETLINK_ROUTE => ROUTE
            .iter()
            .find(|(base, _)| (*base..*base + 4).contains(&ty))
            .and_then(|(base, obj)| {
                ["NEW", "DEL", "GET", "SET"]
                    .get(usize::from(ty - base))
                    .map(|op| format!("RTM_{op}{obj}"))
            }),
        NETLINK_XFRM => ty
            .checked_sub(16)
            .and_then(|i| XFRM.get(usize::from(i)))
            .filter(|n| !n.is_empty())
            .map(|n| format!("XFRM_MSG_{n}")),
        _ => None,
    };
    name.unwrap_or_else(|| format!("type{ty}"))
}
