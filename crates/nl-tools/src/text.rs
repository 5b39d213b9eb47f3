//! Plain output that reads like `ip link` / `ip addr`.

use std::fmt::Write;

use netlink::{Addr, AddrFlags, Link, LinkFlags};

use crate::json::{Names, link_type_name};

fn lifetime(v: Option<u32>) -> String {
    match v {
        None | Some(u32::MAX) => "forever".into(),
        Some(s) => format!("{s}sec"),
    }
}

/// The lines `ip [-d] link show` prints for a link (`for_addr`: the
/// variant `ip addr` uses, without `mode`).
pub fn link(l: &Link, names: &Names, details: bool, for_addr: bool) -> String {
    let mut out = String::new();
    let mut mdown = false;
    let _ = write!(out, "{}: {}", l.index, l.name);
    if let Some(p) = l.parent.filter(|p| *p != l.index) {
        match (l.link_netnsid, names.get(&p)) {
            (None, Some((n, flags))) => {
                let _ = write!(out, "@{n}");
                mdown = !flags.contains(LinkFlags::UP);
            }
            (None, None) => out.push_str("@NONE"),
            (Some(_), _) => {
                let _ = write!(out, "@if{p}");
            }
        }
    }
    let mut flags = l.flags.names();
    if mdown {
        flags.push("M-DOWN".into());
    }
    let _ = write!(out, ": <{}>", flags.join(","));
    if let Some(m) = l.mtu {
        let _ = write!(out, " mtu {m}");
    }
    if let Some(q) = &l.qdisc {
        let _ = write!(out, " qdisc {q}");
    }
    if let Some(m) = l.master {
        let name = names
            .get(&m)
            .map_or_else(|| m.to_string(), |(n, _)| n.clone());
        let _ = write!(out, " master {name}");
    }
    if let Some(s) = l.operstate {
        let _ = write!(out, " state {s}");
    }
    if !for_addr {
        if let Some(m) = l.link_mode {
            let _ = write!(out, " mode {m}");
        }
    }
    if let Some(g) = l.group {
        let _ = write!(
            out,
            " group {}",
            if g == 0 {
                "default".to_string()
            } else {
                g.to_string()
            }
        );
    }
    if let Some(q) = l.txqlen {
        let _ = write!(out, " qlen {q}");
    }
    let _ = write!(out, "\n    link/{}", link_type_name(l.link_type));
    if l.link_type != 65534 {
        if let Some(a) = l.address {
            let _ = write!(out, " {a}");
        }
        if let Some(b) = l.broadcast {
            let _ = write!(out, " brd {b}");
        }
    }
    if let Some(nsid) = l.link_netnsid {
        let _ = write!(out, " link-netnsid {nsid}");
    }
    if details {
        let _ = write!(
            out,
            " promiscuity {} allmulti {} minmtu {} maxmtu {}",
            l.promiscuity.unwrap_or(0),
            l.allmulti.unwrap_or(0),
            l.min_mtu.unwrap_or(0),
            l.max_mtu.unwrap_or(0)
        );
        if let Some(k) = &l.kind {
            let _ = write!(out, "\n    {}", k.name());
        }
        if let Some(s) = &l.slave {
            let _ = write!(out, "\n    {}_slave", s.name());
        }
        if let Some(m) = l.inet6_addr_gen_mode {
            let _ = write!(out, " addrgenmode {m}");
        }
        if let (Some(t), Some(r)) = (l.num_tx_queues, l.num_rx_queues) {
            let _ = write!(out, " numtxqueues {t} numrxqueues {r}");
        }
    }
    for alt in &l.alt_names {
        let _ = write!(out, "\n    altname {alt}");
    }
    if let Some(a) = &l.alias {
        let _ = write!(out, "\n    alias {a}");
    }
    out
}

/// The two lines `ip addr` prints per address.
pub fn addr(a: &Addr, link_name: &str) -> String {
    let mut out = String::new();
    let v4 = a.family() == netlink::AF_INET;
    let _ = write!(out, "    {} {}", if v4 { "inet" } else { "inet6" }, a.ip());
    if let Some(p) = a.peer {
        let _ = write!(out, " peer {p}");
    }
    let _ = write!(out, "/{}", a.prefix.prefix_len());
    if let Some(b) = a.broadcast {
        let _ = write!(out, " brd {b}");
    }
    let _ = write!(out, " scope {}", a.scope);
    for n in a.flags.names(a.family()) {
        if n != "permanent" {
            let _ = write!(out, " {n}");
        }
    }
    if !a.flags.contains(AddrFlags::PERMANENT) && a.valid_lft != Some(u32::MAX) {
        out.push_str(" dynamic");
    }
    if v4 {
        let _ = write!(out, " {}", a.label.as_deref().unwrap_or(link_name));
    }
    let _ = write!(
        out,
        "\n       valid_lft {} preferred_lft {}",
        lifetime(a.valid_lft),
        lifetime(a.preferred_lft)
    );
    out
}
