//! `-j` output with the keys and value formats `ip -j` uses, so the two
//! can be compared on the same namespace (the conformance tests do).

use std::collections::HashMap;
use std::io::Write;

use netlink::nl_route::kind::{Bridge, DetailValue, Macvlan, Vxlan};
use netlink::nl_route::text::LinkNames;
use netlink::{Addr, BridgePort, Link, LinkFlags, LinkKind, SlaveInfo};
use serde_json::{Map, Value, json};

/// Index → (name, flags) of every link, for `link`, `master` and M-DOWN.
pub type Names = HashMap<u32, (String, LinkFlags)>;

/// The [`Names`] of every link the handle sees.
pub fn names(h: &netlink::Handle) -> netlink::Result<Names> {
    Ok(h.link_list()?
        .into_iter()
        .map(|l| (l.index, (l.name, l.flags)))
        .collect())
}

/// [`Names`] by index in a vector, for printing long listings: a lookup
/// per line costs an index, not a hash.
pub struct NamesByIndex<'a> {
    dense: Vec<Option<&'a str>>,
    all: &'a Names,
}

impl<'a> NamesByIndex<'a> {
    /// Indexes `names` (indexes up to a million in the vector, any above
    /// through the map).
    pub fn new(names: &'a Names) -> Self {
        let top = names
            .keys()
            .copied()
            .filter(|i| *i < 1 << 20)
            .max()
            .unwrap_or(0);
        let mut dense = vec![None; top as usize + 1];
        for (i, (name, _)) in names {
            if let Some(slot) = dense.get_mut(*i as usize) {
                *slot = Some(name.as_str());
            }
        }
        NamesByIndex { dense, all: names }
    }
}

impl LinkNames for NamesByIndex<'_> {
    fn name(&self, index: u32) -> Option<&str> {
        match self.dense.get(index as usize) {
            Some(n) => *n,
            None => self.all.name(index),
        }
    }

    fn flags(&self, index: u32) -> Option<LinkFlags> {
        self.all.flags(index)
    }
}

/// `ARPHRD_*` as `ip` names it (`ether` ...), or the number.
pub fn link_type_name(t: u16) -> String {
    netlink::nl_route::text::link_type_name(t).map_or_else(|| t.to_string(), str::to_string)
}

/// Writes `v` and a newline: compact as `ip -j` prints it, or indented as
/// `ip -j -p` does.
pub fn print(out: &mut dyn Write, v: &Value, pretty: bool) -> std::io::Result<()> {
    if !pretty {
        serde_json::to_writer(&mut *out, v).map_err(std::io::Error::other)?;
        return out.write_all(b"\n");
    }
    let mut w = Pretty {
        out: String::new(),
        depth: 0,
        sep: false,
    };
    w.value(v)?;
    w.out.push('\n');
    out.write_all(w.out.as_bytes())
}

/// iproute2's json_writer in pretty mode (lib/json_writer.c): a line
/// break and four spaces per level before each key and before the end
/// of a non-empty object; arrays stay on the line, padded with a space
/// inside their brackets (`[ "UP","LOWER_UP" ]`, `[ {` ... `} ]`).
struct Pretty {
    out: String,
    depth: usize,
    /// Whether a comma goes before the next item (json_writer's `sep`).
    sep: bool,
}

impl Pretty {
    fn eor(&mut self) {
        if self.sep {
            self.out.push(',');
        }
        self.sep = true;
    }

    fn eol(&mut self) {
        self.out.push('\n');
        for _ in 0..self.depth {
            self.out.push_str("    ");
        }
    }

    fn value(&mut self, v: &Value) -> std::io::Result<()> {
        match v {
            Value::Object(map) => {
                self.eor();
                self.out.push('{');
                self.depth += 1;
                self.sep = false;
                for (k, item) in map {
                    self.eor();
                    self.eol();
                    self.sep = false;
                    self.out
                        .push_str(&serde_json::to_string(k).map_err(std::io::Error::other)?);
                    self.out.push_str(": ");
                    self.value(item)?;
                }
                self.depth -= 1;
                if self.sep {
                    self.eol();
                }
                self.out.push('}');
                self.sep = true;
            }
            Value::Array(items) => {
                self.eor();
                self.out.push_str("[ ");
                self.depth += 1;
                self.sep = false;
                for item in items {
                    self.value(item)?;
                }
                if self.sep {
                    self.out.push(' ');
                }
                self.depth -= 1;
                self.out.push(']');
                self.sep = true;
            }
            scalar => {
                self.eor();
                self.out
                    .push_str(&serde_json::to_string(scalar).map_err(std::io::Error::other)?);
            }
        }
        Ok(())
    }
}

/// `%#x` of C: `0` for zero, `0x..` otherwise.
fn c_hex(v: u64) -> String {
    if v == 0 {
        "0".into()
    } else {
        format!("{v:#x}")
    }
}

/// Centiseconds as the seconds-with-two-decimals number `ip` prints.
fn timer(centis: Option<u64>) -> Value {
    centis.map_or(Value::Null, |c| json!((c as f64) / 100.0))
}

fn put<T: Into<Value>>(m: &mut Map<String, Value>, key: &str, v: Option<T>) {
    if let Some(v) = v {
        m.insert(key.to_string(), v.into());
    }
}

fn bool01(v: Option<bool>) -> Option<u8> {
    v.map(u8::from)
}

fn bridge_data(b: &Bridge) -> Value {
    let mut m = Map::new();
    put(&mut m, "forward_delay", b.forward_delay);
    put(&mut m, "hello_time", b.hello_time);
    put(&mut m, "max_age", b.max_age);
    put(&mut m, "ageing_time", b.ageing_time);
    put(&mut m, "stp_state", b.stp_state);
    put(&mut m, "priority", b.priority);
    put(&mut m, "vlan_filtering", bool01(b.vlan_filtering));
    put(
        &mut m,
        "vlan_protocol",
        b.vlan_protocol.map(|p| match p {
            0x8100 => "802.1Q".to_string(),
            0x88a8 => "802.1ad".to_string(),
            other => format!("{other:#06x}"),
        }),
    );
    put(&mut m, "bridge_id", b.info.bridge_id.map(|i| i.to_string()));
    put(&mut m, "root_id", b.info.root_id.map(|i| i.to_string()));
    put(&mut m, "root_port", b.info.root_port);
    put(&mut m, "root_path_cost", b.info.root_path_cost);
    put(&mut m, "topology_change", b.info.topology_change);
    put(
        &mut m,
        "topology_change_detected",
        b.info.topology_change_detected,
    );
    if b.info.hello_timer.is_some() {
        m.insert("hello_timer".into(), timer(b.info.hello_timer));
        m.insert("tcn_timer".into(), timer(b.info.tcn_timer));
        m.insert(
            "topology_change_timer".into(),
            timer(b.info.topology_change_timer),
        );
        m.insert("gc_timer".into(), timer(b.info.gc_timer));
    }
    put(&mut m, "vlan_default_pvid", b.vlan_default_pvid);
    put(&mut m, "vlan_stats_enabled", bool01(b.vlan_stats_enabled));
    put(&mut m, "vlan_stats_per_port", bool01(b.vlan_stats_per_port));
    put(
        &mut m,
        "group_fwd_mask",
        b.group_fwd_mask.map(|v| c_hex(u64::from(v))),
    );
    put(&mut m, "group_addr", b.group_addr.map(|a| a.to_string()));
    put(&mut m, "mcast_snooping", bool01(b.mcast_snooping));
    if let Some(o) = b.multi_boolopt {
        m.insert("no_linklocal_learn".into(), json!(o.value & 1));
        m.insert("mcast_vlan_snooping".into(), json!((o.value >> 1) & 1));
    }
    put(&mut m, "mcast_router", b.mcast_router);
    put(
        &mut m,
        "mcast_query_use_ifaddr",
        bool01(b.mcast_query_use_ifaddr),
    );
    put(&mut m, "mcast_querier", bool01(b.mcast_querier));
    put(&mut m, "mcast_hash_elasticity", b.mcast_hash_elasticity);
    put(&mut m, "mcast_hash_max", b.mcast_hash_max);
    put(&mut m, "mcast_last_member_cnt", b.mcast_last_member_cnt);
    put(&mut m, "mcast_startup_query_cnt", b.mcast_startup_query_cnt);
    put(&mut m, "mcast_last_member_intvl", b.mcast_last_member_intvl);
    put(&mut m, "mcast_membership_intvl", b.mcast_membership_intvl);
    put(&mut m, "mcast_querier_intvl", b.mcast_querier_intvl);
    put(&mut m, "mcast_query_intvl", b.mcast_query_intvl);
    put(
        &mut m,
        "mcast_query_response_intvl",
        b.mcast_query_response_intvl,
    );
    put(
        &mut m,
        "mcast_startup_query_intvl",
        b.mcast_startup_query_intvl,
    );
    put(&mut m, "mcast_stats_enabled", bool01(b.mcast_stats_enabled));
    put(&mut m, "mcast_igmp_version", b.mcast_igmp_version);
    put(&mut m, "mcast_mld_version", b.mcast_mld_version);
    put(&mut m, "nf_call_iptables", bool01(b.nf_call_iptables));
    put(&mut m, "nf_call_ip6tables", bool01(b.nf_call_ip6tables));
    put(&mut m, "nf_call_arptables", bool01(b.nf_call_arptables));
    Value::Object(m)
}

fn vxlan_data(v: &Vxlan, names: &Names) -> Value {
    let mut m = Map::new();
    put(&mut m, "id", v.id);
    if let Some(g) = v.group {
        let key = if g.is_multicast() { "group" } else { "remote" };
        m.insert(key.into(), json!(g.to_string()));
    }
    put(&mut m, "local", v.local.map(|a| a.to_string()));
    if let Some(l) = v.link {
        m.insert(
            "link".into(),
            names.get(&l).map_or(json!(l), |(n, _)| json!(n)),
        );
    }
    put(
        &mut m,
        "port_range",
        v.port_range.map(|r| json!({"low": r.low, "high": r.high})),
    );
    put(&mut m, "port", v.port);
    put(&mut m, "learning", v.learning);
    for (key, val) in [
        ("proxy", v.proxy),
        ("rsc", v.rsc),
        ("l2miss", v.l2miss),
        ("l3miss", v.l3miss),
    ] {
        if val == Some(true) {
            m.insert(key.into(), json!(true));
        }
    }
    // `ip` prints "ttl inherit" / "ttl auto" as text only; JSON has the number.
    if v.ttl_inherit != Some(true) {
        put(&mut m, "ttl", v.ttl);
    }
    put(
        &mut m,
        "tos",
        v.tos.filter(|t| *t != 0).map(|t| format!("{t:#x}")),
    );
    put(
        &mut m,
        "df",
        v.df.map(|d| match d {
            0 => "unset".to_string(),
            1 => "set".to_string(),
            2 => "inherit".to_string(),
            o => o.to_string(),
        }),
    );
    put(
        &mut m,
        "label",
        v.label.filter(|l| *l != 0).map(|l| format!("{l:#x}")),
    );
    put(&mut m, "ageing", v.ageing);
    put(&mut m, "limit", v.limit.filter(|l| *l != 0));
    put(&mut m, "udp_csum", v.udp_csum);
    put(&mut m, "udp_zero_csum6_tx", v.udp_zero_csum6_tx);
    put(&mut m, "udp_zero_csum6_rx", v.udp_zero_csum6_rx);
    for (key, val) in [("remcsum_tx", v.remcsum_tx), ("remcsum_rx", v.remcsum_rx)] {
        if val == Some(true) {
            m.insert(key.into(), json!(true));
        }
    }
    for (key, val) in [("gbp", v.gbp), ("gpe", v.gpe)] {
        if val == Some(true) {
            m.insert(key.into(), json!(true));
        }
    }
    if v.collect_metadata == Some(true) {
        m.insert("external".into(), json!(true));
    }
    Value::Object(m)
}

fn macvlan_data(v: &Macvlan) -> Value {
    let mut m = Map::new();
    put(&mut m, "mode", v.mode.map(|x| x.to_string()));
    if let Some(f) = v.flags {
        if f & 1 != 0 {
            m.insert("nopromisc".into(), json!(true));
        }
        if f & 2 != 0 {
            m.insert("nodst".into(), json!(true));
        }
    }
    put(&mut m, "macaddr_count", v.macaddr_count);
    put(&mut m, "bcqueuelen", v.bc_queue_len);
    put(&mut m, "usedbcqueuelen", v.bc_queue_len_used);
    Value::Object(m)
}

/// `info_slave_data` of a bridge port, or `bridge -j link` fields.
pub fn bridge_port_data(p: &BridgePort, names: &Names) -> Value {
    let mut m = Map::new();
    put(&mut m, "state", p.state.map(|s| s.to_string()));
    put(&mut m, "priority", p.priority);
    put(&mut m, "cost", p.cost);
    put(&mut m, "hairpin", p.hairpin);
    put(&mut m, "guard", p.guard);
    put(&mut m, "root_block", p.root_block);
    put(&mut m, "fastleave", p.fast_leave);
    put(&mut m, "learning", p.learning);
    put(&mut m, "flood", p.unicast_flood);
    put(&mut m, "id", p.info.id.map(|v| c_hex(u64::from(v))));
    put(&mut m, "no", p.info.no.map(|v| c_hex(u64::from(v))));
    put(&mut m, "designated_port", p.info.designated_port);
    put(&mut m, "designated_cost", p.info.designated_cost);
    put(&mut m, "bridge_id", p.info.bridge_id.map(|i| i.to_string()));
    put(&mut m, "root_id", p.info.root_id.map(|i| i.to_string()));
    if p.info.hold_timer.is_some() {
        m.insert("hold_timer".into(), timer(p.info.hold_timer));
        m.insert("message_age_timer".into(), timer(p.info.message_age_timer));
        m.insert(
            "forward_delay_timer".into(),
            timer(p.info.forward_delay_timer),
        );
    }
    put(&mut m, "topology_change_ack", p.info.topology_change_ack);
    put(&mut m, "config_pending", p.info.config_pending);
    put(&mut m, "proxy_arp", p.proxyarp);
    put(&mut m, "proxy_arp_wifi", p.proxyarp_wifi);
    put(&mut m, "multicast_router", p.multicast_router);
    put(&mut m, "mcast_flood", p.mcast_flood);
    put(&mut m, "bcast_flood", p.bcast_flood);
    put(&mut m, "mcast_to_unicast", p.mcast_to_ucast);
    put(&mut m, "neigh_suppress", p.neigh_suppress);
    if let Some(mask) = p.group_fwd_mask {
        m.insert("group_fwd_mask".into(), json!(c_hex(u64::from(mask))));
        m.insert("group_fwd_mask_str".into(), json!(format!("{mask:#x}")));
    }
    put(&mut m, "vlan_tunnel", p.vlan_tunnel);
    put(&mut m, "isolated", p.isolated);
    if let Some(b) = p.backup_port {
        m.insert(
            "backup_port".into(),
            names.get(&b).map_or(json!(b), |(n, _)| json!(n)),
        );
    }
    put(&mut m, "locked", p.locked);
    put(&mut m, "mab", p.mab);
    Value::Object(m)
}

fn kind_data(kind: &LinkKind, names: &Names) -> Option<Value> {
    match kind {
        LinkKind::Bridge(b) => Some(bridge_data(b)),
        LinkKind::Vxlan(v) => Some(vxlan_data(v, names)),
        LinkKind::Macvlan(v) | LinkKind::Macvtap(v) => Some(macvlan_data(v)),
        // Kinds that say what ip prints (vti, hsr, amt ...): their JSON half.
        other => {
            let mut m = Map::new();
            for d in other.details(names) {
                if let Some(key) = d.key {
                    m.insert(key.into(), detail_value(d.value));
                }
            }
            (!m.is_empty()).then_some(Value::Object(m))
        }
    }
}

fn detail_value(v: DetailValue) -> Value {
    match v {
        DetailValue::Str(s) => json!(s),
        DetailValue::Uint(n) => json!(n),
        DetailValue::Int(n) => json!(n),
        DetailValue::Bool(b) => json!(b),
        _ => Value::Null,
    }
}

/// The object `ip -j [-d] link show` prints for `link`.
pub fn link(l: &Link, names: &Names, details: bool, stats: bool) -> Value {
    let mut m = Map::new();
    m.insert("ifindex".into(), json!(l.index));
    let mut mdown = false;
    if let Some(p) = l.parent.filter(|p| *p != l.index) {
        match (l.link_netnsid, names.get(&p)) {
            (None, Some((name, flags))) => {
                m.insert("link".into(), json!(name));
                mdown = !flags.contains(LinkFlags::UP);
            }
            (None, None) => {
                m.insert("link".into(), Value::Null);
            }
            (Some(nsid), _) => {
                m.insert("link_index".into(), json!(p));
                m.insert("link_netnsid".into(), json!(nsid));
            }
        }
    }
    m.insert("ifname".into(), json!(l.name));
    let mut flags = l.flags.names();
    if mdown {
        flags.push("M-DOWN".into());
    }
    m.insert("flags".into(), json!(flags));
    put(&mut m, "mtu", l.mtu);
    put(&mut m, "qdisc", l.qdisc.clone());
    if let Some(master) = l.master {
        m.insert(
            "master".into(),
            names.get(&master).map_or(json!(master), |(n, _)| json!(n)),
        );
    }
    put(&mut m, "operstate", l.operstate.map(|s| s.to_string()));
    put(&mut m, "linkmode", l.link_mode.map(|s| s.to_string()));
    put(
        &mut m,
        "group",
        l.group.map(|g| {
            if g == 0 {
                "default".to_string()
            } else {
                g.to_string()
            }
        }),
    );
    put(&mut m, "txqlen", l.txqlen);
    m.insert("link_type".into(), json!(link_type_name(l.link_type)));
    if l.link_type != 65534 {
        put(&mut m, "address", l.address.map(|a| a.to_string()));
        put(&mut m, "broadcast", l.broadcast.map(|a| a.to_string()));
    }
    if let Some(p) = l.perm_address.filter(|p| Some(*p) != l.address) {
        m.insert("permaddr".into(), json!(p.to_string()));
    }
    if details {
        put(&mut m, "promiscuity", l.promiscuity);
        put(&mut m, "allmulti", l.allmulti);
        put(&mut m, "min_mtu", l.min_mtu);
        put(&mut m, "max_mtu", l.max_mtu);
        if l.kind.is_some() || l.slave.is_some() {
            let mut info = Map::new();
            if let Some(k) = &l.kind {
                info.insert("info_kind".into(), json!(k.name()));
                if let Some(d) = kind_data(k, names) {
                    info.insert("info_data".into(), d);
                }
            }
            if let Some(s) = &l.slave {
                info.insert("info_slave_kind".into(), json!(s.name()));
                if let SlaveInfo::Bridge(p) = s {
                    info.insert("info_slave_data".into(), bridge_port_data(p, names));
                }
            }
            m.insert("linkinfo".into(), Value::Object(info));
        }
        put(
            &mut m,
            "inet6_addr_gen_mode",
            l.inet6_addr_gen_mode.map(|g| g.to_string()),
        );
        put(&mut m, "num_tx_queues", l.num_tx_queues);
        put(&mut m, "num_rx_queues", l.num_rx_queues);
        put(&mut m, "gso_max_size", l.gso_max_size);
        put(&mut m, "gso_max_segs", l.gso_max_segs);
        put(&mut m, "tso_max_size", l.tso_max_size);
        put(&mut m, "tso_max_segs", l.tso_max_segs);
        put(&mut m, "gro_max_size", l.gro_max_size);
        put(&mut m, "gso_ipv4_max_size", l.gso_ipv4_max_size);
        put(&mut m, "gro_ipv4_max_size", l.gro_ipv4_max_size);
        put(&mut m, "parentbus", l.parent_dev_bus_name.clone());
        put(&mut m, "parentdev", l.parent_dev_name.clone());
    }
    put(&mut m, "ifalias", l.alias.clone());
    if !l.alt_names.is_empty() {
        m.insert("altnames".into(), json!(l.alt_names));
    }
    if stats {
        if let Some(s) = &l.stats {
            m.insert("stats64".into(), stats64(s));
        }
    }
    Value::Object(m)
}

/// The `stats64` object of `ip -j -s link` and `ip -j stats`.
pub fn stats64(s: &netlink::LinkStats) -> Value {
    json!({
        "rx": {"bytes": s.rx_bytes, "packets": s.rx_packets, "errors": s.rx_errors,
               "dropped": s.rx_dropped, "over_errors": s.rx_over_errors, "multicast": s.multicast},
        "tx": {"bytes": s.tx_bytes, "packets": s.tx_packets, "errors": s.tx_errors,
               "dropped": s.tx_dropped, "carrier_errors": s.tx_carrier_errors, "collisions": s.collisions},
    })
}

/// One `addr_info` entry of `ip -j addr show`.
pub fn addr_info(a: &Addr, link_name: &str) -> Value {
    let mut m = Map::new();
    let v4 = a.family() == netlink::AF_INET;
    m.insert("family".into(), json!(if v4 { "inet" } else { "inet6" }));
    m.insert("local".into(), json!(a.ip().to_string()));
    if let Some(p) = a.peer {
        m.insert("address".into(), json!(p.to_string()));
    }
    m.insert("prefixlen".into(), json!(a.prefix.prefix_len()));
    put(&mut m, "broadcast", a.broadcast.map(|b| b.to_string()));
    put(&mut m, "anycast", a.anycast.map(|b| b.to_string()));
    m.insert("scope".into(), json!(a.scope.to_string()));
    // The words ip prints, as keys; "dynamic" instead of "permanent".
    for n in a.flags.names(a.family()) {
        if n != "permanent" {
            m.insert(n.into(), json!(true));
        }
    }
    if a.is_dynamic() {
        m.insert("dynamic".into(), json!(true));
    }
    put(
        &mut m,
        "protocol",
        a.protocol.filter(|p| *p != 0).map(|p| match p {
            1 => "kernel_lo".to_string(),
            2 => "kernel_ra".to_string(),
            3 => "kernel_ll".to_string(),
            o => o.to_string(),
        }),
    );
    if v4 {
        let label = a.label.clone().unwrap_or_else(|| link_name.to_string());
        m.insert("label".into(), json!(label));
    }
    put(&mut m, "metric", a.metric);
    put(&mut m, "valid_life_time", a.valid_lft);
    put(&mut m, "preferred_life_time", a.preferred_lft);
    Value::Object(m)
}

/// The object `ip -j addr show` prints for a link and its addresses.
pub fn addr_show(l: &Link, addrs: &[&Addr], names: &Names) -> Value {
    let mut v = link(l, names, false, false);
    if let Value::Object(m) = &mut v {
        m.remove("linkmode");
        m.insert(
            "addr_info".into(),
            Value::Array(addrs.iter().map(|a| addr_info(a, &l.name)).collect()),
        );
    }
    v
}
