//! nft's JSON vocabulary for the kernel's objects: tables, stateful
//! objects, chains, sets and maps with their elements, and rules, whose low-level expressions (register
//! loads, compares, lookups) are translated back into nft's statements
//! (`match`, `counter`, verdicts ...). What cannot be translated is an
//! error naming it: a listing is right or it is not printed.

use std::collections::HashMap;
use std::net::{Ipv4Addr, Ipv6Addr};

use anyhow::{Result, bail};
use netlink::nl_netfilter::nft::{
    Chain, Data, Expr, Family, Flowtable, Nat, Obj, ObjData, Rule, Ruleset, Set, SetElem, Table,
    Verdict,
};
use netlink::nl_netfilter::uapi::netfilter::{NFPROTO_IPV4, NFPROTO_IPV6};
use netlink::nl_netfilter::uapi::nf_nat::{NF_NAT_RANGE_MAP_IPS, NF_NAT_RANGE_PROTO_SPECIFIED};
use netlink::nl_netfilter::uapi::nf_tables::*;
use serde_json::{Map, Value, json};

use super::What;

/// The objects `nft -j list WHAT` prints after its metainfo, in its
/// order: per table, the table, its stateful objects, its named sets,
/// its chains, then the rules chain by chain.
pub fn objects(rs: &Ruleset, what: &What) -> Result<Vec<Value>> {
    let mut out = Vec::new();
    let mut found = false;
    for t in &rs.tables {
        let tname = t.name.as_deref().unwrap_or_default();
        let (want_table, want_sets, want_chain): (bool, bool, Option<&str>) = match what {
            What::Ruleset(_) => (true, true, None),
            What::Tables(_) => {
                out.push(table(t)?);
                found = true;
                continue;
            }
            // Every table (the text prints each, with or without), then
            // its flowtables.
            What::Flowtables(f) if *f == Family::Unspec || *f == t.family => {
                out.push(table(t)?);
                for ft in rs
                    .flowtables
                    .iter()
                    .filter(|ft| ft.family == t.family && ft.table.as_deref() == Some(tname))
                {
                    out.push(flowtable(ft)?);
                }
                found = true;
                continue;
            }
            What::Table(f, n) if *f == t.family && n == tname => (true, true, None),
            What::Chain(f, tn, c) if *f == t.family && tn == tname => (false, false, Some(c)),
            What::Set(f, tn, s) if *f == t.family && tn == tname => {
                if let Some(set) = rs.set(t.family, tname, s) {
                    out.push(self::set(set)?);
                    found = true;
                }
                continue;
            }
            _ => continue,
        };
        if want_table {
            out.push(table(t)?);
        }
        // As nft: the stateful objects (in the kernel's order), the sets,
        // the chains.
        if want_sets {
            for o in rs
                .objs
                .iter()
                .filter(|o| o.family == t.family && o.table.as_deref() == Some(tname))
            {
                out.push(object(o)?);
            }
        }
        if want_sets {
            for s in rs.sets.iter().filter(|s| {
                s.family == t.family
                    && s.table.as_deref() == Some(tname)
                    && s.flags.unwrap_or(0) & NFT_SET_ANONYMOUS == 0
            }) {
                out.push(set(s)?);
            }
            // As nft: the flowtables after the sets.
            for ft in rs
                .flowtables
                .iter()
                .filter(|ft| ft.family == t.family && ft.table.as_deref() == Some(tname))
            {
                out.push(flowtable(ft)?);
            }
        }
        found |= want_chain.is_none();
        for c in rs
            .chains
            .iter()
            .filter(|c| c.family == t.family && c.table.as_deref() == Some(tname))
        {
            let cname = c.name.as_deref().unwrap_or_default();
            if want_chain.is_some_and(|w| w != cname) {
                continue;
            }
            found = true;
            out.push(chain(c)?);
        }
        for c in rs
            .chains
            .iter()
            .filter(|c| c.family == t.family && c.table.as_deref() == Some(tname))
        {
            let cname = c.name.as_deref().unwrap_or_default();
            if want_chain.is_some_and(|w| w != cname) {
                continue;
            }
            for r in rs.rules_of(t.family, tname, cname) {
                out.push(rule(rs, r)?);
            }
        }
    }
    if !found
        && !matches!(
            what,
            What::Ruleset(_) | What::Tables(_) | What::Flowtables(_)
        )
    {
        bail!("No such file or directory");
    }
    Ok(out)
}

/// `{"table": ...}`.
pub fn table(t: &Table) -> Result<Value> {
    if t.flags.unwrap_or(0) != 0 || t.userdata.is_some() {
        bail!(
            "table {} {}: flags ({:#x}) and comments are not implemented",
            t.family.name(),
            t.name.as_deref().unwrap_or_default(),
            t.flags.unwrap_or(0)
        );
    }
    Ok(json!({"table": {
        "family": t.family.name(),
        "name": t.name.as_deref().unwrap_or_default(),
        "handle": t.handle.unwrap_or(0),
    }}))
}

/// `{"flowtable": ...}` as nft 1.0.6 prints it: hook and priority,
/// devices (one a string, several a sorted list). The flags (`counter`,
/// `offload`), which its JSON leaves out, go in `"flags"` for the text
/// only (removed before printing JSON).
pub fn flowtable(f: &Flowtable) -> Result<Value> {
    let name = f.name.as_deref().unwrap_or_default();
    let mut m = Map::new();
    m.insert("family".into(), f.family.name().into());
    m.insert("name".into(), name.into());
    m.insert(
        "table".into(),
        f.table.as_deref().unwrap_or_default().into(),
    );
    m.insert("handle".into(), f.handle.unwrap_or(0).into());
    let hook = f.hook.clone().unwrap_or_default();
    if let Some(p) = hook.priority {
        let n = hook.num.unwrap_or(0);
        let Some(h) = hook_name(Family::Netdev, n) else {
            bail!("flowtable {name}: hook {n} is not implemented");
        };
        m.insert("hook".into(), h.into());
        m.insert("prio".into(), p.into());
    }
    let mut devices = hook.devices.unwrap_or_default();
    devices.sort_unstable();
    match devices.as_slice() {
        [] => {}
        [d] => {
            m.insert("dev".into(), d.as_str().into());
        }
        ds => {
            m.insert("dev".into(), json!(ds));
        }
    }
    let flags = f.flags.unwrap_or(0);
    if flags & !(NFT_FLOWTABLE_HW_OFFLOAD | NFT_FLOWTABLE_COUNTER) != 0 {
        bail!("flowtable {name}: flags {flags:#x} are not implemented");
    }
    let mut names = Vec::new();
    if flags & NFT_FLOWTABLE_HW_OFFLOAD != 0 {
        names.push("offload");
    }
    if flags & NFT_FLOWTABLE_COUNTER != 0 {
        names.push("counter");
    }
    if !names.is_empty() {
        m.insert("flags".into(), names.into());
    }
    Ok(json!({ "flowtable": m }))
}

/// nft's name of hook `n` in `family`.
fn hook_name(family: Family, n: u32) -> Option<&'static str> {
    Some(match (family, n) {
        (Family::Netdev, 0) => "ingress",
        (Family::Netdev, 1) => "egress",
        (_, 0) => "prerouting",
        (_, 1) => "input",
        (_, 2) => "forward",
        (_, 3) => "output",
        (_, 4) => "postrouting",
        (_, 5) => "ingress",
        _ => return None,
    })
}

/// nft's name of a `NFPROTO_*` in a ct object.
fn l3proto_name(p: Option<u16>) -> Result<&'static str> {
    Ok(match p {
        Some(1) => "inet",
        Some(2) => "ip",
        Some(10) => "ip6",
        p => bail!("l3proto {p:?} is not implemented"),
    })
}

/// `{"counter"|"quota"|"limit"|"ct helper"|"ct timeout"|"ct
/// expectation"|"synproxy": ...}` of a stateful object.
pub fn object(o: &Obj) -> Result<Value> {
    let name = o.name.as_deref().unwrap_or_default();
    let mut m = Map::new();
    m.insert("family".into(), o.family.name().into());
    m.insert("name".into(), name.into());
    m.insert(
        "table".into(),
        o.table.as_deref().unwrap_or_default().into(),
    );
    m.insert("handle".into(), o.handle.unwrap_or(0).into());
    if o.userdata.is_some() {
        bail!("object {name}: comments are not implemented");
    }
    let proto = |p: Option<u8>| -> Result<Value> {
        match p.and_then(proto_name) {
            Some(n) => Ok(n.into()),
            None => bail!("object {name}: protocol {p:?} is not implemented"),
        }
    };
    let kind = match o.state() {
        Some(ObjData::Counter(c)) => {
            m.insert("packets".into(), c.packets.unwrap_or(0).into());
            m.insert("bytes".into(), c.bytes.unwrap_or(0).into());
            "counter"
        }
        Some(ObjData::Quota(q)) => {
            let flags = q.flags.unwrap_or(0);
            if flags & !NFT_QUOTA_F_INV != 0 {
                bail!("quota {name}: flags {flags:#x} are not implemented");
            }
            m.insert("bytes".into(), q.bytes.unwrap_or(0).into());
            m.insert("used".into(), q.consumed.unwrap_or(0).into());
            // nft says `inv` of a quota either way.
            m.insert("inv".into(), (flags & NFT_QUOTA_F_INV != 0).into());
            "quota"
        }
        Some(ObjData::Limit(l)) => {
            if l.limit_type.unwrap_or(NFT_LIMIT_PKTS) != NFT_LIMIT_PKTS {
                bail!("limit {name}: byte limits are not implemented");
            }
            m.insert("rate".into(), l.rate.unwrap_or(0).into());
            m.insert("per".into(), limit_unit(l.unit.unwrap_or(1))?.into());
            // nft's order: inv (when set) before burst.
            if l.flags.unwrap_or(0) & NFT_LIMIT_F_INV != 0 {
                m.insert("inv".into(), true.into());
            }
            m.insert("burst".into(), l.burst.unwrap_or(0).into());
            "limit"
        }
        Some(ObjData::CtHelper(h)) => {
            m.insert("type".into(), h.name.as_deref().unwrap_or_default().into());
            m.insert("protocol".into(), proto(h.l4proto)?);
            m.insert("l3proto".into(), l3proto_name(h.l3proto)?.into());
            "ct helper"
        }
        Some(ObjData::CtExpect(e)) => {
            m.insert("protocol".into(), proto(e.l4proto)?);
            m.insert("dport".into(), e.dport.unwrap_or(0).into());
            m.insert("timeout".into(), e.timeout.unwrap_or(0).into());
            m.insert("size".into(), e.size.unwrap_or(0).into());
            m.insert("l3proto".into(), l3proto_name(e.l3proto)?.into());
            "ct expectation"
        }
        Some(ObjData::CtTimeout(t)) => {
            let l4 = t.l4proto.unwrap_or(0);
            let Some(states) = ct_timeout_states(l4) else {
                bail!("ct timeout {name}: protocol {l4} is not implemented");
            };
            m.insert("protocol".into(), proto(t.l4proto)?);
            m.insert("l3proto".into(), l3proto_name(t.l3proto)?.into());
            // As nft: the states whose timeout is not nft's default, in
            // state order; none is null.
            let policy = t.policy.clone().unwrap_or_default();
            let mut p = Map::new();
            for (state, word, default) in states {
                if let Some(v) = policy.get(*state).filter(|v| v != default) {
                    p.insert((*word).into(), v.into());
                }
            }
            if let Some((state, _)) = policy
                .0
                .iter()
                .find(|(st, _)| !states.iter().any(|(k, ..)| k == st))
            {
                bail!("ct timeout {name}: state {state} is not implemented");
            }
            let p = if p.is_empty() {
                Value::Null
            } else {
                Value::Object(p)
            };
            m.insert("policy".into(), p);
            "ct timeout"
        }
        Some(ObjData::Synproxy(sp)) => {
            use netlink::nl_netfilter::uapi::nf_synproxy::*;
            m.insert("mss".into(), sp.mss.unwrap_or(0).into());
            m.insert("wscale".into(), sp.wscale.unwrap_or(0).into());
            let f = sp.flags.unwrap_or(0);
            let known = NF_SYNPROXY_OPT_TIMESTAMP | NF_SYNPROXY_OPT_SACK_PERM;
            if f & !(known | NF_SYNPROXY_OPT_MSS | NF_SYNPROXY_OPT_WSCALE) != 0 {
                bail!("synproxy {name}: flags {f:#x} are not implemented");
            }
            let mut names = Vec::new();
            if f & NF_SYNPROXY_OPT_TIMESTAMP != 0 {
                names.push("timestamp");
            }
            if f & NF_SYNPROXY_OPT_SACK_PERM != 0 {
                names.push("sack-perm");
            }
            if !names.is_empty() {
                m.insert("flags".into(), names.into());
            }
            "synproxy"
        }
        _ => bail!("object {name}: type {:?} is not implemented", o.obj_type),
    };
    let mut out = Map::new();
    out.insert(kind.into(), m.into());
    Ok(Value::Object(out))
}

/// The states of a ct timeout of protocol `l4` (`IPPROTO_*`) nft knows:
/// attribute (`CTA_TIMEOUT_<PROTO>_<STATE>`), nft's word, and the timeout
/// nft sends when a file does not name the state (seconds), in nft's
/// order. nft 1.0.6 takes tcp and udp only.
pub(crate) fn ct_timeout_states(l4: u8) -> Option<&'static [(u16, &'static str, u32)]> {
    use netlink::nl_netfilter::uapi::nfnetlink_cttimeout::*;
    const TCP: [(u16, &str, u32); 11] = [
        (CTA_TIMEOUT_TCP_SYN_SENT, "syn_sent", 120),
        (CTA_TIMEOUT_TCP_SYN_RECV, "syn_recv", 60),
        (CTA_TIMEOUT_TCP_ESTABLISHED, "established", 432_000),
        (CTA_TIMEOUT_TCP_FIN_WAIT, "fin_wait", 120),
        (CTA_TIMEOUT_TCP_CLOSE_WAIT, "close_wait", 60),
        (CTA_TIMEOUT_TCP_LAST_ACK, "last_ack", 30),
        (CTA_TIMEOUT_TCP_TIME_WAIT, "time_wait", 120),
        (CTA_TIMEOUT_TCP_CLOSE, "close", 10),
        (CTA_TIMEOUT_TCP_SYN_SENT2, "syn_sent2", 120),
        (CTA_TIMEOUT_TCP_RETRANS, "retrans", 300),
        (CTA_TIMEOUT_TCP_UNACK, "unack", 300),
    ];
    const UDP: [(u16, &str, u32); 2] = [
        (CTA_TIMEOUT_UDP_UNREPLIED, "unreplied", 30),
        (CTA_TIMEOUT_UDP_REPLIED, "replied", 120),
    ];
    match l4 {
        6 => Some(&TCP),
        17 => Some(&UDP),
        _ => None,
    }
}

/// nft's word for a limit's unit of seconds.
fn limit_unit(u: u64) -> Result<&'static str> {
    Ok(match u {
        1 => "second",
        60 => "minute",
        3600 => "hour",
        86400 => "day",
        604800 => "week",
        u => bail!("a limit per {u} seconds is not implemented"),
    })
}

/// `{"chain": ...}`.
pub fn chain(c: &Chain) -> Result<Value> {
    let mut m = Map::new();
    m.insert("family".into(), c.family.name().into());
    m.insert(
        "table".into(),
        c.table.as_deref().unwrap_or_default().into(),
    );
    m.insert("name".into(), c.name.as_deref().unwrap_or_default().into());
    m.insert("handle".into(), c.handle.unwrap_or(0).into());
    if c.userdata.is_some() || c.flags.unwrap_or(0) & !NFT_CHAIN_BASE != 0 {
        bail!(
            "chain {}: comments and flags are not implemented",
            c.name.as_deref().unwrap_or_default()
        );
    }
    if let Some(h) = &c.hook {
        let n = h.hooknum.unwrap_or(0);
        let Some(hook) = hook_name(c.family, n) else {
            bail!(
                "chain {}: hook {n} is not implemented",
                c.name.as_deref().unwrap_or_default()
            );
        };
        m.insert(
            "type".into(),
            c.chain_type.as_deref().unwrap_or("filter").into(),
        );
        m.insert("hook".into(), hook.into());
        // nft prints one device as a string, several as a sorted list.
        let mut devices = c.hook_devices();
        devices.sort_unstable();
        match devices.as_slice() {
            [] => {}
            [d] => {
                m.insert("dev".into(), (*d).into());
            }
            ds => {
                m.insert("dev".into(), json!(ds));
            }
        }
        m.insert("prio".into(), h.priority.unwrap_or(0).into());
        let policy = c.policy_verdict().unwrap_or(Verdict::Accept);
        m.insert("policy".into(), policy.name().into());
    }
    Ok(json!({ "chain": m }))
}

/// nft's datatype of a set key: its name, and how a key is printed.
fn key_type(t: u32) -> Option<(&'static str, Kind)> {
    Some(match t {
        7 => ("ipv4_addr", Kind::Ipv4),
        8 => ("ipv6_addr", Kind::Ipv6),
        12 => ("inet_proto", Kind::Proto),
        13 => ("inet_service", Kind::Port),
        19 => ("mark", Kind::Host),
        _ => return None,
    })
}

/// The fields of a concatenated key (`ipv4_addr . inet_service`):
/// nft's type names and how values print, first field first; `None` if
/// the key is not a concatenation this prints. nft's type id of a
/// concatenation holds each field's id in 6 bits, the first highest;
/// each field takes a whole number of 32-bit registers in the key.
fn concat_fields(s: &Set) -> Option<Vec<(&'static str, Kind)>> {
    let mut t = s.key_type?;
    if key_type(t).is_some() {
        return None;
    }
    let mut out = Vec::new();
    while t != 0 {
        out.push(key_type(t & 0x3f)?);
        t >>= 6;
    }
    out.reverse();
    let len = out
        .iter()
        .map(|(_, k)| kind_len(*k).map(|l| l.div_ceil(4) * 4))
        .sum::<Option<u32>>()?;
    (out.len() > 1 && Some(len) == s.key_len).then_some(out)
}

/// A concatenated key's bytes split into its fields' values.
fn concat_parts<'k>(fields: &[(&str, Kind)], key: &'k [u8]) -> Option<Vec<(Kind, &'k [u8])>> {
    let mut out = Vec::new();
    let mut at = 0usize;
    for (_, k) in fields {
        let len = usize::try_from(kind_len(*k)?).ok()?;
        out.push((*k, key.get(at..at + len)?));
        at += len.div_ceil(4) * 4;
    }
    (at == key.len()).then_some(out)
}

/// The elements of a concatenated set: `{"concat": [...]}` each, a
/// field of an interval set a value, prefix or range; of a map,
/// `[{"concat": [...]}, data]`.
fn concat_elements(s: &Set, fields: &[(&str, Kind)]) -> Result<Vec<Value>> {
    let name = s.name.as_deref().unwrap_or_default();
    let map = map_data(s)?.map(|(_, d)| d);
    let mut out = Vec::new();
    // nft sorts a hash set's keys as one host-order (little-endian)
    // number, from the last byte; an interval one stays in the kernel's
    // order.
    let mut elems: Vec<&SetElem> = s.elements.iter().collect();
    if s.flags.unwrap_or(0) & NFT_SET_INTERVAL == 0 {
        elems.sort_by(|a, b| {
            let (a, b) = (
                a.key_bytes().unwrap_or_default(),
                b.key_bytes().unwrap_or_default(),
            );
            a.iter().rev().cmp(b.iter().rev())
        });
    }
    for e in elems {
        // A map's elements each carry data, a set's none.
        if e.data.is_some() != map.is_some()
            || e.timeout.is_some()
            || e.userdata.is_some()
            || e.objref.is_some()
            || e.flags.unwrap_or(0) != 0
        {
            bail!("set {name}: element data or flags are not implemented");
        }
        let key = e.key_bytes().unwrap_or_default();
        let end = match &e.key_end {
            Some(Data::Value(v)) => v.as_slice(),
            Some(Data::Verdict(_)) => bail!("set {name}: a verdict as a key end"),
            None => key,
        };
        let (Some(first), Some(last)) = (concat_parts(fields, key), concat_parts(fields, end))
        else {
            bail!(
                "set {name}: a key of {} bytes does not fit its type",
                key.len()
            );
        };
        let parts: Result<Vec<Value>> = first
            .iter()
            .zip(&last)
            .map(|((k, a), (_, b))| interval(*k, a, b))
            .collect();
        let key = json!({ "concat": parts? });
        out.push(match (map, &e.data) {
            (Some(m), Some(d)) => json!([key, data_value(m, d)?]),
            _ => key,
        });
    }
    Ok(out)
}

/// What a map's elements map to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum DataKind {
    /// A verdict map (`vmap`).
    Verdict,
    /// Values of a key type.
    Value(Kind),
}

/// nft's name of a map's data type and how its values print; `None` for
/// a set.
fn map_data(s: &Set) -> Result<Option<(&'static str, DataKind)>> {
    let name = s.name.as_deref().unwrap_or_default();
    let is_map = s.flags.unwrap_or(0) & NFT_SET_MAP != 0;
    match (is_map, s.data_type) {
        (false, None) => Ok(None),
        (true, Some(NFT_DATA_VERDICT)) => Ok(Some(("verdict", DataKind::Verdict))),
        (true, Some(t)) => match key_type(t) {
            Some((tname, kind)) if kind_len(kind) == s.data_len => {
                Ok(Some((tname, DataKind::Value(kind))))
            }
            _ => bail!("map {name}: data type {t} is not implemented"),
        },
        _ => bail!("set {name}: data without the map flag is not implemented"),
    }
}

/// An element's data as nft prints it.
fn data_value(kind: DataKind, d: &Data) -> Result<Value> {
    match (kind, d) {
        (DataKind::Verdict, Data::Verdict(v)) => verdict(v),
        (DataKind::Value(k), Data::Value(b)) => value(k, b),
        _ => bail!("map data {d:?} is not of the map's type"),
    }
}

/// nft's set userdata TLVs that change nothing printed: the key and
/// data byte orders (`NFTNL_UDATA_SET_KEYBYTEORDER`, `_DATABYTEORDER`).
const SET_UDATA_PLAIN: [u8; 2] = [0, 1];

/// `NFTNL_UDATA_SET_DATA_INTERVAL`: a map's data are intervals (nft
/// writes it on every map, zero when they are not).
const SET_UDATA_DATA_INTERVAL: u8 = 6;

use super::udata::SET_UDATA_KEY_TYPEOF;

/// The fields of the `typeof` a set's key was declared with, if any
/// (empty for a concatenation declared with `type`; `None` for a typeof
/// this does not know).
fn set_typeof(s: &Set) -> Option<Vec<&'static str>> {
    let mut rest = s.userdata.as_deref().unwrap_or_default();
    while let [ty, len, tail @ ..] = rest {
        let value = tail.get(..usize::from(*len)).unwrap_or_default();
        if *ty == SET_UDATA_KEY_TYPEOF {
            return super::udata::decode(value);
        }
        rest = tail.get(usize::from(*len)..).unwrap_or_default();
    }
    Some(Vec::new())
}

/// The types of nft's userdata TLVs (type, length, value) that may
/// change what nft prints.
fn udata_types(mut rest: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    while let [ty, len, tail @ ..] = rest {
        let value = tail.get(..usize::from(*len)).unwrap_or_default();
        let plain = match *ty {
            SET_UDATA_DATA_INTERVAL => value.iter().all(|b| *b == 0),
            // A typeof this knows prints as `typeof FIELDS` (text).
            SET_UDATA_KEY_TYPEOF => super::udata::decode(value).is_some(),
            _ => false,
        };
        if !plain {
            out.push(*ty);
        }
        rest = tail.get(usize::from(*len)..).unwrap_or_default();
    }
    out
}

/// Refuses what a set may hold that [`set`] and inline anonymous sets
/// do not print.
fn check_set(s: &Set) -> Result<()> {
    let name = s.name.as_deref().unwrap_or_default();
    let flags = s.flags.unwrap_or(0);
    map_data(s)?;
    let concat = concat_fields(s).is_some();
    let concat_flag = if concat { NFT_SET_CONCAT } else { 0 };
    let known = NFT_SET_INTERVAL | NFT_SET_CONSTANT | NFT_SET_ANONYMOUS | NFT_SET_MAP | concat_flag;
    if flags & !known != 0 {
        bail!("set {name}: flags {flags:#x} are not implemented");
    }
    let anonymous = flags & NFT_SET_ANONYMOUS != 0;
    if s.timeout.is_some() || s.gc_interval.is_some() || s.obj_type.is_some() {
        bail!("set {name}: timeouts and object maps are not implemented");
    }
    if s.expr.is_some() || s.expressions.is_some() {
        bail!("set {name}: element expressions are not implemented");
    }
    if !anonymous
        && s.desc
            .as_ref()
            .is_some_and(|d| d.size.is_some() || (d.concat.is_some() && !concat))
    {
        bail!("set {name}: size and concatenations are not implemented");
    }
    if s.policy.is_some_and(|p| p != NFT_SET_POL_PERFORMANCE) {
        bail!("set {name}: policy memory is not implemented");
    }
    // An anonymous set's `typeof` (its key's expression) prints nothing.
    if let Some(t) = udata_types(s.userdata.as_deref().unwrap_or_default())
        .into_iter()
        .filter(|_| !anonymous)
        .find(|t| !SET_UDATA_PLAIN.contains(t))
    {
        bail!(
            "set {name}: nft's userdata of type {t} (auto-merge, typeof, comment ...) is not implemented"
        );
    }
    Ok(())
}

/// `{"set": ...}` (or `{"map": ...}`) with its elements.
pub fn set(s: &Set) -> Result<Value> {
    let name = s.name.as_deref().unwrap_or_default();
    let flags = s.flags.unwrap_or(0);
    let fields = concat_fields(s);
    let (tname, kind): (Value, Option<Kind>) = match (&fields, s.key_type.and_then(key_type)) {
        (Some(f), _) => (f.iter().map(|(n, _)| *n).collect::<Vec<_>>().into(), None),
        (None, Some((n, k))) => (n.into(), Some(k)),
        (None, None) => bail!("set {name}: key type {:?} is not implemented", s.key_type),
    };
    check_set(s)?;
    let mut m = Map::new();
    m.insert("family".into(), s.family.name().into());
    m.insert("name".into(), name.into());
    m.insert(
        "table".into(),
        s.table.as_deref().unwrap_or_default().into(),
    );
    m.insert("type".into(), tname);
    m.insert("handle".into(), s.handle.unwrap_or(0).into());
    // For the text only: nft's JSON has no typeof (removed before print).
    if let Some(fields) = set_typeof(s).filter(|f| !f.is_empty()) {
        m.insert("typeof".into(), fields.join(" . ").into());
    }
    let map = map_data(s)?;
    if let Some((dname, _)) = map {
        m.insert("map".into(), dname.into());
    }
    let mut fl = Vec::new();
    if flags & NFT_SET_CONSTANT != 0 {
        fl.push("constant");
    }
    if flags & NFT_SET_INTERVAL != 0 {
        fl.push("interval");
    }
    if !fl.is_empty() {
        m.insert("flags".into(), fl.into());
    }
    let elems = match (&fields, kind) {
        (Some(f), _) => concat_elements(s, f)?,
        (None, Some(k)) => elements(s, k)?,
        (None, None) => Vec::new(),
    };
    if !elems.is_empty() {
        m.insert("elem".into(), elems.into());
    }
    let mut out = Map::new();
    out.insert(if map.is_some() { "map" } else { "set" }.into(), m.into());
    Ok(Value::Object(out))
}

/// The elements of `s` as nft prints them: sorted; in an interval set
/// each start and its end (the first key past the range) one prefix,
/// range or single key.
/// In a map, each element is `[key, data]`.
fn elements(s: &Set, kind: Kind) -> Result<Vec<Value>> {
    let map = map_data(s)?.map(|(_, d)| d);
    let mut keys: Vec<(&[u8], bool, Option<&Data>)> = Vec::new();
    for e in &s.elements {
        let extra = e.timeout.is_some()
            || e.expiration.is_some()
            || e.userdata.is_some()
            || e.objref.is_some()
            || e.key_end.is_some();
        // Only a map's keys (an interval's start) carry data.
        let data_ok = match (&e.data, map) {
            (None, None) => true,
            (None, Some(_)) => e.is_interval_end(),
            (Some(_), m) => m.is_some() && !e.is_interval_end(),
        };
        if extra || !data_ok || e.flags.unwrap_or(0) & !NFT_SET_ELEM_INTERVAL_END != 0 {
            bail!(
                "set {}: element data or flags are not implemented",
                s.name.as_deref().unwrap_or_default()
            );
        }
        keys.push((
            SetElem::key_bytes(e).unwrap_or_default(),
            e.is_interval_end(),
            e.data.as_ref(),
        ));
    }
    keys.sort_by(|a, b| (a.0, a.1).cmp(&(b.0, b.1)));
    let with_data = |key: Value, data: Option<&Data>| -> Result<Value> {
        Ok(match (map, data) {
            (Some(m), Some(d)) => json!([key, data_value(m, d)?]),
            _ => key,
        })
    };
    if s.flags.unwrap_or(0) & NFT_SET_INTERVAL == 0 {
        return keys
            .iter()
            .map(|(k, _, d)| with_data(value(kind, k)?, *d))
            .collect();
    }
    let mut out = Vec::new();
    let mut i = 0;
    while let Some((k, end, data)) = keys.get(i).copied() {
        i += 1;
        if end {
            continue;
        }
        // The last key of the range: the next end's key less one, or
        // all ones when the range ends at the top (its end wrapped to 0).
        let last = match keys.get(i) {
            Some((past, true, _)) => {
                i += 1;
                decrement(past)
            }
            _ => vec![0xff; k.len()],
        };
        out.push(with_data(interval(kind, k, &last)?, data)?);
    }
    Ok(out)
}

fn decrement(b: &[u8]) -> Vec<u8> {
    let mut v = b.to_vec();
    for x in v.iter_mut().rev() {
        let (n, borrow) = x.overflowing_sub(1);
        *x = n;
        if !borrow {
            break;
        }
    }
    v
}

/// `first..=last` as nft prints it: a key, a prefix, or a range.
fn interval(kind: Kind, first: &[u8], last: &[u8]) -> Result<Value> {
    if first == last {
        return value(kind, first);
    }
    if matches!(kind, Kind::Ipv4 | Kind::Ipv6) {
        if let Some(len) = prefix_len(first, last) {
            return Ok(json!({"prefix": {"addr": value(kind, first)?, "len": len}}));
        }
    }
    Ok(json!({"range": [value(kind, first)?, value(kind, last)?]}))
}

/// The prefix length when `first..=last` is exactly one prefix.
fn prefix_len(first: &[u8], last: &[u8]) -> Option<u32> {
    let bits = first.len() * 8;
    let host = (0..bits)
        .rev()
        .take_while(|i| {
            let (byte, bit) = (i / 8, 7 - i % 8);
            let f = first.get(byte).is_some_and(|b| b >> bit & 1 == 0);
            let l = last.get(byte).is_some_and(|b| b >> bit & 1 == 1);
            f && l
        })
        .count();
    let net = bits - host;
    let same = (0..net).all(|i| {
        let (byte, bit) = (i / 8, 7 - i % 8);
        first.get(byte).map(|b| b >> bit & 1) == last.get(byte).map(|b| b >> bit & 1)
    });
    same.then(|| u32::try_from(net).ok()).flatten()
}

/// How a loaded value prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Ipv4,
    Ipv6,
    /// A port: big-endian number.
    Port,
    /// An IP protocol number: its name.
    Proto,
    /// A host-order number (marks).
    Host,
    /// An interface name: NUL-padded text.
    Ifname,
    /// `meta nfproto`: `ipv4`, `ipv6`.
    Nfproto,
    /// `ct state`: bit names.
    CtState,
}

/// The bytes a meta or ct key of `kind` loads.
fn kind_len(kind: Kind) -> Option<u32> {
    Some(match kind {
        Kind::Ipv4 | Kind::Host | Kind::CtState => 4,
        Kind::Ipv6 | Kind::Ifname => 16,
        Kind::Port => 2,
        Kind::Proto | Kind::Nfproto => 1,
    })
}

/// nft's name of IP protocol `p` (`/etc/protocols` as nft prints it).
fn proto_name(p: u8) -> Option<&'static str> {
    Some(match p {
        1 => "icmp",
        2 => "igmp",
        6 => "tcp",
        17 => "udp",
        47 => "gre",
        50 => "esp",
        51 => "ah",
        58 => "ipv6-icmp",
        132 => "sctp",
        136 => "udplite",
        _ => return None,
    })
}

/// `ct state` bits in nft's order.
const CT_STATES: [(u32, &str); 5] = [
    (1, "invalid"),
    (2, "established"),
    (4, "related"),
    (8, "new"),
    (64, "untracked"),
];

fn value(kind: Kind, b: &[u8]) -> Result<Value> {
    Ok(match (kind, b) {
        (Kind::Ipv4, &[a, b2, c, d]) => Ipv4Addr::new(a, b2, c, d).to_string().into(),
        (Kind::Ipv6, b) if b.len() == 16 => {
            let mut a = [0u8; 16];
            a.copy_from_slice(b);
            Ipv6Addr::from(a).to_string().into()
        }
        (Kind::Port, &[h, l]) => u16::from_be_bytes([h, l]).into(),
        (Kind::Proto, &[p]) => proto_name(p).map_or_else(|| p.into(), Into::into),
        (Kind::Host, &[a, b2, c, d]) => u32::from_ne_bytes([a, b2, c, d]).into(),
        (Kind::Ifname, b) => {
            let text = b.split(|c| *c == 0).next().unwrap_or_default();
            let name = String::from_utf8_lossy(text);
            // No NUL: the compare covers only the name's start, `eth*`.
            match b.contains(&0) {
                true => name.into_owned().into(),
                false => format!("{name}*").into(),
            }
        }
        (Kind::Nfproto, &[2]) => "ipv4".into(),
        (Kind::Nfproto, &[10]) => "ipv6".into(),
        (Kind::CtState, &[a, b2, c, d]) => {
            let bits = u32::from_ne_bytes([a, b2, c, d]);
            let names: Vec<&str> = CT_STATES
                .iter()
                .filter(|(bit, _)| bits & bit != 0)
                .map(|(_, n)| *n)
                .collect();
            if CT_STATES.iter().fold(bits, |left, (bit, _)| left & !bit) != 0 {
                bail!("ct state bits {bits:#x} are not implemented");
            }
            match names.as_slice() {
                [one] => (*one).into(),
                _ => names.into(),
            }
        }
        (k, b) => bail!("a value of {} bytes for {k:?} is not implemented", b.len()),
    })
}

/// What a register holds.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Src {
    /// `payload load LEN @ BASE + OFFSET`.
    Payload { base: u32, offset: u32, len: u32 },
    /// `meta load KEY`.
    Meta(u32),
    /// `ct load KEY`.
    Ct(u32),
    /// `(SRC & MASK)`.
    Masked(Box<Src>, Vec<u8>),
    /// `immediate`: a constant (a nat address or port).
    Imm(Vec<u8>),
}

/// The context that names payload fields: the network protocol of the
/// family or of a dependency match, and the transport protocol matched.
#[derive(Debug, Clone, Copy, Default)]
struct Ctx {
    l3: Option<u8>,
    l4: Option<u8>,
}

/// nft's `{"payload": ...}` or `{"meta": ...}`/`{"ct": ...}` of a
/// source, and how its values print.
fn left(src: &Src, ctx: Ctx) -> Result<(Value, Kind)> {
    Ok(match src {
        Src::Meta(k) => {
            let (name, kind) = match *k {
                NFT_META_IIFNAME => ("iifname", Kind::Ifname),
                NFT_META_OIFNAME => ("oifname", Kind::Ifname),
                NFT_META_MARK => ("mark", Kind::Host),
                NFT_META_L4PROTO => ("l4proto", Kind::Proto),
                NFT_META_NFPROTO => ("nfproto", Kind::Nfproto),
                k => bail!("meta key {k} is not implemented"),
            };
            (json!({"meta": {"key": name}}), kind)
        }
        Src::Ct(k) => {
            let (name, kind) = match *k {
                NFT_CT_STATE => ("state", Kind::CtState),
                NFT_CT_MARK => ("mark", Kind::Host),
                k => bail!("ct key {k} is not implemented"),
            };
            (json!({"ct": {"key": name}}), kind)
        }
        Src::Payload { base, offset, len } => {
            let (proto, field, kind) = payload_field(*base, *offset, *len, ctx)?;
            (
                json!({"payload": {"protocol": proto, "field": field}}),
                kind,
            )
        }
        Src::Masked(..) => bail!("a masked load here is not implemented"),
        Src::Imm(_) => bail!("a match of a constant is not implemented"),
    })
}

/// The header field a payload load reads: an address loaded only in
/// part (its first bytes, for a prefix) still names the field.
fn payload_field(
    base: u32,
    offset: u32,
    len: u32,
    ctx: Ctx,
) -> Result<(&'static str, &'static str, Kind)> {
    let addr = |start: u32, size: u32| offset == start && len >= 1 && len <= size;
    Ok(match (base, ctx.l3, ctx.l4) {
        (NFT_PAYLOAD_NETWORK_HEADER, Some(2), _) if addr(12, 4) => ("ip", "saddr", Kind::Ipv4),
        (NFT_PAYLOAD_NETWORK_HEADER, Some(2), _) if addr(16, 4) => ("ip", "daddr", Kind::Ipv4),
        (NFT_PAYLOAD_NETWORK_HEADER, Some(2), _) if offset == 9 && len == 1 => {
            ("ip", "protocol", Kind::Proto)
        }
        (NFT_PAYLOAD_NETWORK_HEADER, Some(10), _) if addr(8, 16) => ("ip6", "saddr", Kind::Ipv6),
        (NFT_PAYLOAD_NETWORK_HEADER, Some(10), _) if addr(24, 16) => ("ip6", "daddr", Kind::Ipv6),
        (NFT_PAYLOAD_NETWORK_HEADER, Some(10), _) if offset == 6 && len == 1 => {
            ("ip6", "nexthdr", Kind::Proto)
        }
        (NFT_PAYLOAD_TRANSPORT_HEADER, _, Some(p)) if offset == 0 && len == 2 => {
            (l4_name(p)?, "sport", Kind::Port)
        }
        (NFT_PAYLOAD_TRANSPORT_HEADER, _, Some(p)) if offset == 2 && len == 2 => {
            (l4_name(p)?, "dport", Kind::Port)
        }
        _ => bail!("payload load {len}b @ base {base} + {offset} is not implemented"),
    })
}

/// The bytes of an address of `kind`.
fn addr_len(kind: Kind) -> Option<usize> {
    match kind {
        Kind::Ipv4 => Some(4),
        Kind::Ipv6 => Some(16),
        _ => None,
    }
}

/// `{"prefix": ...}` of `net` (its first bytes) under `mask` (as long),
/// if the mask is contiguous.
fn prefix(kind: Kind, net: &[u8], mask: &[u8]) -> Result<Option<Value>> {
    let Some(full) = addr_len(kind) else {
        return Ok(None);
    };
    if net.len() != mask.len() || net.len() > full {
        return Ok(None);
    }
    let contiguous = mask
        .iter()
        .flat_map(|b| (0..8).rev().map(move |i| b >> i & 1))
        .skip_while(|bit| *bit == 1)
        .all(|bit| bit == 0);
    if !contiguous {
        return Ok(None);
    }
    let ones = mask.iter().map(|b| b.count_ones()).sum::<u32>();
    let mut addr = net.to_vec();
    addr.resize(full, 0);
    Ok(Some(
        json!({"prefix": {"addr": value(kind, &addr)?, "len": ones}}),
    ))
}

fn l4_name(p: u8) -> Result<&'static str> {
    Ok(match p {
        6 => "tcp",
        17 => "udp",
        132 => "sctp",
        136 => "udplite",
        p => bail!("ports of protocol {p} are not implemented"),
    })
}

fn cmp_op(op: u32) -> Result<&'static str> {
    Ok(match op {
        NFT_CMP_EQ => "==",
        NFT_CMP_NEQ => "!=",
        NFT_CMP_LT => "<",
        NFT_CMP_LTE => "<=",
        NFT_CMP_GT => ">",
        NFT_CMP_GTE => ">=",
        op => bail!("cmp op {op} is not implemented"),
    })
}

/// Whether the match of `src` against `v` is a dependency nft adds
/// itself (the network or transport protocol) for the load that
/// follows, so not printed; sets the context it gives either way.
fn dependency(src: &Src, v: &[u8], next: &[Src], ctx: &mut Ctx) -> bool {
    let header = |b: u32| {
        move |s: &[Src]| {
            s.iter()
                .any(|s| matches!(s, Src::Payload { base, .. } if *base == b))
        }
    };
    let is_net = header(NFT_PAYLOAD_NETWORK_HEADER);
    let is_transport = header(NFT_PAYLOAD_TRANSPORT_HEADER);
    match (src, v) {
        (Src::Meta(NFT_META_NFPROTO), &[p]) => {
            ctx.l3 = Some(p);
            is_net(next)
        }
        (Src::Meta(NFT_META_L4PROTO), &[p]) => {
            ctx.l4 = Some(p);
            is_transport(next)
        }
        (
            Src::Payload {
                base,
                offset,
                len: 1,
            },
            &[p],
        ) if *base == NFT_PAYLOAD_NETWORK_HEADER
            && ((ctx.l3 == Some(2) && *offset == 9) || (ctx.l3 == Some(10) && *offset == 6)) =>
        {
            ctx.l4 = Some(p);
            is_transport(next)
        }
        _ => false,
    }
}

/// The loads of the next match in `rest`, past the protocol
/// dependencies before it (nft puts every dependency of a concatenation
/// first: `meta nfproto ipv4 meta l4proto tcp ip saddr . tcp dport`).
fn upcoming_loads(rest: &[Expr]) -> Vec<Src> {
    let mut out = Vec::new();
    for e in rest {
        match (load(e), e) {
            (Some((_, Src::Meta(NFT_META_NFPROTO | NFT_META_L4PROTO))), _) => {}
            (Some((_, src)), _) => out.push(src),
            // A dependency's compare, until a load of the match is seen.
            (None, Expr::Cmp(_)) if out.is_empty() => {}
            _ => break,
        }
    }
    out
}

/// The register load an expression makes, if it is one.
fn load(e: &Expr) -> Option<(u32, Src)> {
    Some(match e {
        Expr::Payload(p) if p.sreg.is_none() => (
            p.dreg?,
            Src::Payload {
                base: p.base?,
                offset: p.offset?,
                len: p.len?,
            },
        ),
        Expr::Meta(m) if m.sreg.is_none() => (m.dreg?, Src::Meta(m.key?)),
        Expr::Ct(c) if c.sreg.is_none() && c.direction.is_none() => (c.dreg?, Src::Ct(c.key?)),
        _ => return None,
    })
}

/// `{"rule": ...}` with its statements.
pub fn rule(rs: &Ruleset, r: &Rule) -> Result<Value> {
    let mut m = Map::new();
    m.insert("family".into(), r.family.name().into());
    m.insert(
        "table".into(),
        r.table.as_deref().unwrap_or_default().into(),
    );
    m.insert(
        "chain".into(),
        r.chain.as_deref().unwrap_or_default().into(),
    );
    m.insert("handle".into(), r.handle.unwrap_or(0).into());
    if let Some(c) = r.comment() {
        m.insert("comment".into(), c.into());
    }
    let exprs = statements(rs, r).map_err(|e| {
        e.context(format!(
            "rule {} of chain {} {} {}",
            r.handle.unwrap_or(0),
            r.family.name(),
            r.table.as_deref().unwrap_or_default(),
            r.chain.as_deref().unwrap_or_default()
        ))
    })?;
    m.insert("expr".into(), exprs.into());
    Ok(json!({ "rule": m }))
}

/// The statements of a rule, from its expressions.
fn statements(rs: &Ruleset, r: &Rule) -> Result<Vec<Value>> {
    let mut ctx = Ctx {
        l3: match r.family {
            Family::Ip => Some(2),
            Family::Ip6 => Some(10),
            _ => None,
        },
        l4: None,
    };
    let mut regs: HashMap<u32, Src> = HashMap::new();
    let mut out = Vec::new();
    for (i, e) in r.exprs.iter().enumerate() {
        // The loads the next match reads, to tell a dependency from a
        // match of its own.
        let next = upcoming_loads(r.exprs.get(i + 1..).unwrap_or_default());
        if let Some((reg, src)) = load(e) {
            regs.insert(reg, src);
            continue;
        }
        match e {
            Expr::Bitwise(b) => {
                let (Some(sreg), Some(dreg), Some(Data::Value(mask))) = (b.sreg, b.dreg, &b.mask)
                else {
                    bail!("bitwise without a mask is not implemented");
                };
                let xor_zero = match &b.xor {
                    Some(Data::Value(x)) => x.iter().all(|b| *b == 0),
                    _ => true,
                };
                if !xor_zero || b.op.unwrap_or(NFT_BITWISE_BOOL) != NFT_BITWISE_BOOL {
                    bail!("bitwise with xor or shift is not implemented");
                }
                let Some(src) = regs.get(&sreg).cloned() else {
                    bail!("bitwise of an unloaded register");
                };
                regs.insert(dreg, Src::Masked(Box::new(src), mask.clone()));
            }
            Expr::Cmp(c) => {
                let (Some(sreg), Some(op), Some(Data::Value(v))) = (c.sreg, c.op, &c.data) else {
                    bail!("cmp without a value is not implemented");
                };
                let Some(src) = regs.get(&sreg).cloned() else {
                    bail!("cmp of an unloaded register");
                };
                let m = compare(&src, op, v, &next, &mut ctx)?;
                if !m.is_null() {
                    out.push(m);
                }
            }
            Expr::Lookup(l) => {
                let (Some(sreg), Some(set)) = (l.sreg, &l.set) else {
                    bail!("lookup without a set is not implemented");
                };
                // A lookup into the verdict register is a verdict map.
                let vmap = match l.dreg {
                    None => false,
                    Some(NFT_REG_VERDICT) => true,
                    Some(_) => bail!("map lookups into a register are not implemented"),
                };
                let Some(s) = rs.set(r.family, r.table.as_deref().unwrap_or_default(), set) else {
                    bail!("set {set} not found");
                };
                if let Some(fields) = concat_fields(s) {
                    // `ip saddr . tcp dport @set` (or `vmap @map`): one
                    // load per field, in consecutive 32-bit registers
                    // from the lookup's.
                    if l.flags.unwrap_or(0) != 0 {
                        bail!("an inverted lookup of {set} is not implemented");
                    }
                    if vmap != (s.data_type == Some(NFT_DATA_VERDICT)) {
                        bail!("this lookup of set or map {set} is not implemented");
                    }
                    check_set(s)?;
                    let base = if sreg <= NFT_REG_4 {
                        NFT_REG32_00 + (sreg - NFT_REG_1) * 4
                    } else {
                        sreg
                    };
                    let mut lefts = Vec::new();
                    let mut at = 0u32;
                    for (_, kind) in &fields {
                        let reg32 = base + at / 4;
                        // Loaded as a 32-bit register, or as the 128-bit
                        // one starting there.
                        let reg128 = reg32
                            .checked_sub(NFT_REG32_00)
                            .filter(|o| o % 4 == 0)
                            .map(|o| NFT_REG_1 + o / 4);
                        let src = regs
                            .get(&reg32)
                            .or_else(|| reg128.and_then(|r| regs.get(&r)));
                        let Some(src) = src else {
                            bail!("a lookup of {set} from unloaded registers");
                        };
                        let (l, k) = left(src, ctx)?;
                        let loaded = match src {
                            Src::Payload { len, .. } => Some(*len),
                            _ => kind_len(k),
                        };
                        if k != *kind || loaded != kind_len(k) {
                            bail!("a lookup of {set} with loads not of its fields' types");
                        }
                        lefts.push(l);
                        at += kind_len(k).unwrap_or(0).div_ceil(4) * 4;
                    }
                    let right = if s.flags.unwrap_or(0) & NFT_SET_ANONYMOUS != 0 {
                        json!({ "set": concat_elements(s, &fields)? })
                    } else {
                        format!("@{set}").into()
                    };
                    let left = json!({ "concat": lefts });
                    out.push(if vmap {
                        json!({"vmap": {"key": left, "data": right}})
                    } else {
                        json!({"match": {"op": "==", "left": left, "right": right}})
                    });
                    continue;
                }
                let Some(src) = regs.get(&sreg) else {
                    bail!("lookup of an unloaded register");
                };
                let (left, kind) = left(src, ctx)?;
                // A longer key is a concatenation (`ip saddr . tcp dport`).
                let loaded = match src {
                    Src::Payload { len, .. } => Some(*len),
                    _ => kind_len(kind),
                };
                if s.key_len != loaded {
                    bail!("a lookup of {set} (concatenations, partial keys) is not implemented");
                }
                check_set(s)?;
                let right = if s.flags.unwrap_or(0) & NFT_SET_ANONYMOUS != 0 {
                    json!({ "set": elements(s, kind)? })
                } else {
                    format!("@{set}").into()
                };
                if vmap != (s.data_type == Some(NFT_DATA_VERDICT)) {
                    bail!("this lookup of set or map {set} is not implemented");
                }
                if vmap {
                    if l.flags.unwrap_or(0) != 0 {
                        bail!("an inverted verdict map is not implemented");
                    }
                    out.push(json!({"vmap": {"key": left, "data": right}}));
                    continue;
                }
                let op = if l.flags.unwrap_or(0) & NFT_LOOKUP_F_INV != 0 {
                    "!="
                } else {
                    "=="
                };
                out.push(json!({"match": {"op": op, "left": left, "right": right}}));
            }
            Expr::Immediate(im) if im.dreg != Some(NFT_REG_VERDICT) => {
                let (Some(dreg), Some(Data::Value(v))) = (im.dreg, &im.data) else {
                    bail!("immediate without a value is not implemented");
                };
                regs.insert(dreg, Src::Imm(v.clone()));
            }
            Expr::Nat(n) => out.push(nat(n, &regs, r.family)?),
            Expr::Immediate(im) if im.dreg == Some(NFT_REG_VERDICT) => {
                let Some(Data::Verdict(v)) = &im.data else {
                    bail!("immediate without a verdict is not implemented");
                };
                out.push(verdict(v)?);
            }
            Expr::Counter(c) => out.push(json!({"counter": {
                "packets": c.packets.unwrap_or(0),
                "bytes": c.bytes.unwrap_or(0),
            }})),
            Expr::Limit(l) => {
                if l.limit_type.unwrap_or(NFT_LIMIT_PKTS) != NFT_LIMIT_PKTS {
                    bail!("byte limits are not implemented");
                }
                let per = match l.unit.unwrap_or(1) {
                    1 => "second",
                    60 => "minute",
                    3600 => "hour",
                    86400 => "day",
                    604800 => "week",
                    u => bail!("a limit per {u} seconds is not implemented"),
                };
                let mut lm = Map::new();
                lm.insert("rate".into(), l.rate.unwrap_or(0).into());
                lm.insert("burst".into(), l.burst.unwrap_or(0).into());
                lm.insert("per".into(), per.into());
                if l.flags.unwrap_or(0) & NFT_LIMIT_F_INV != 0 {
                    lm.insert("inv".into(), true.into());
                }
                out.push(json!({ "limit": lm }));
            }
            Expr::Log(l) => {
                if l.snaplen.is_some() || l.qthreshold.is_some() || l.flags.unwrap_or(0) != 0 {
                    bail!("log with snaplen, queue threshold or flags is not implemented");
                }
                let mut lm = Map::new();
                if let Some(p) = &l.prefix {
                    lm.insert("prefix".into(), p.as_str().into());
                }
                if let Some(g) = l.group {
                    lm.insert("group".into(), g.into());
                }
                if let Some(level) = l.level {
                    let names = [
                        "emerg", "alert", "crit", "err", "warn", "notice", "info", "debug",
                    ];
                    let Some(n) = usize::try_from(level).ok().and_then(|i| names.get(i)) else {
                        bail!("log level {level} is not implemented");
                    };
                    // nft leaves the default level out.
                    if *n != "warn" {
                        lm.insert("level".into(), (*n).into());
                    }
                }
                out.push(if lm.is_empty() {
                    json!({"log": null})
                } else {
                    json!({ "log": lm })
                });
            }
            Expr::Reject(rj) => out.push(reject(rj.reject_type, rj.icmp_code, ctx)?),
            // `counter name "c"`: a named object applied.
            Expr::Objref(o) if o.set_name.is_none() => {
                let kind = match o.imm_type {
                    Some(NFT_OBJECT_COUNTER) => "counter",
                    Some(NFT_OBJECT_QUOTA) => "quota",
                    Some(NFT_OBJECT_LIMIT) => "limit",
                    // `ct helper set "h"`, `ct timeout set "t"`.
                    Some(NFT_OBJECT_CT_HELPER) => "ct helper",
                    Some(NFT_OBJECT_CT_TIMEOUT) => "ct timeout",
                    t => bail!("a reference to an object of type {t:?} is not implemented"),
                };
                let mut m = Map::new();
                m.insert(
                    kind.into(),
                    o.imm_name.as_deref().unwrap_or_default().into(),
                );
                out.push(Value::Object(m));
            }
            Expr::Masq(mq) => {
                if mq.flags.unwrap_or(0) != 0 || mq.reg_proto_min.is_some() {
                    bail!("masquerade with flags or ports is not implemented");
                }
                out.push(json!({"masquerade": null}));
            }
            // `flow add @ft`: the flow offloaded to flowtable `ft`.
            Expr::FlowOffload(f) => {
                let Some(table) = &f.table_name else {
                    bail!("flow_offload without a flowtable");
                };
                out.push(json!({"flow": {"op": "add", "flowtable": format!("@{table}")}}));
            }
            other => bail!("the expression \"{}\" is not implemented", other.name()),
        }
    }
    Ok(out)
}

/// `{"snat"|"dnat": {"addr": A[, "port": P]}}` of a nat to constants
/// (ip and ip6 tables: an inet one's statement names the family too).
fn nat(n: &Nat, regs: &HashMap<u32, Src>, family: Family) -> Result<Value> {
    let ty = match n.nat_type {
        Some(NFT_NAT_SNAT) => "snat",
        Some(NFT_NAT_DNAT) => "dnat",
        t => bail!("nat type {t:?} is not implemented"),
    };
    let kind = match (family, n.family.and_then(|f| u8::try_from(f).ok())) {
        (Family::Ip, Some(NFPROTO_IPV4)) => Kind::Ipv4,
        (Family::Ip6, Some(NFPROTO_IPV6)) => Kind::Ipv6,
        _ => bail!("{ty} in a {} table is not implemented", family.name()),
    };
    // nft sends PROTO_SPECIFIED with a port; the kernel adds MAP_IPS.
    let known = NF_NAT_RANGE_MAP_IPS | NF_NAT_RANGE_PROTO_SPECIFIED;
    if n.flags.unwrap_or(0) & !known != 0 {
        bail!("{ty} flags {:#x} are not implemented", n.flags.unwrap_or(0));
    }
    let constant = |min: Option<u32>, max: Option<u32>| -> Result<Option<&[u8]>> {
        let Some(reg) = min else {
            return Ok(None);
        };
        if max.is_some_and(|m| m != reg) {
            bail!("{ty} to a range is not implemented");
        }
        match regs.get(&reg) {
            Some(Src::Imm(v)) => Ok(Some(v.as_slice())),
            _ => bail!("{ty} to a register that is not a constant is not implemented"),
        }
    };
    let mut m = Map::new();
    match constant(n.reg_addr_min, n.reg_addr_max)? {
        Some(a) => m.insert("addr".into(), value(kind, a)?),
        None => bail!("{ty} without an address is not implemented"),
    };
    if let Some(p) = constant(n.reg_proto_min, n.reg_proto_max)? {
        m.insert("port".into(), value(Kind::Port, p)?);
    }
    let mut out = Map::new();
    out.insert(ty.into(), m.into());
    Ok(Value::Object(out))
}

/// The `match` of a cmp of `src` against `v`, or null for a dependency.
fn compare(src: &Src, op: u32, v: &[u8], next: &[Src], ctx: &mut Ctx) -> Result<Value> {
    if op == NFT_CMP_EQ && dependency(src, v, next, ctx) {
        return Ok(Value::Null);
    }
    if let Src::Masked(inner, mask) = src {
        // `ct state established,related`: (state & bits) != 0.
        if **inner == Src::Ct(NFT_CT_STATE) && op == NFT_CMP_NEQ && v.iter().all(|b| *b == 0) {
            let (l, kind) = left(inner, *ctx)?;
            return Ok(json!({"match": {"op": "in", "left": l, "right": value(kind, mask)?}}));
        }
        // An address prefix: (addr & mask) == net.
        if let Src::Payload { .. } = **inner {
            let (l, kind) = left(inner, *ctx)?;
            if let Some(p) = prefix(kind, v, mask)? {
                return Ok(json!({"match": {"op": cmp_op(op)?, "left": l, "right": p}}));
            }
        }
        bail!("a masked compare is not implemented");
    }
    let (l, kind) = left(src, *ctx)?;
    // A prefix on a byte boundary: only its bytes are loaded.
    if let (Src::Payload { len, .. }, Some(full)) = (src, addr_len(kind)) {
        if (*len as usize) < full {
            let mask = vec![0xff; v.len()];
            if let Some(p) = prefix(kind, v, &mask)? {
                return Ok(json!({"match": {"op": cmp_op(op)?, "left": l, "right": p}}));
            }
        }
    }
    Ok(json!({"match": {"op": cmp_op(op)?, "left": l, "right": value(kind, v)?}}))
}

fn verdict(v: &Verdict) -> Result<Value> {
    Ok(match v {
        Verdict::Jump(c) => json!({"jump": {"target": c}}),
        Verdict::Goto(c) => json!({"goto": {"target": c}}),
        Verdict::Other(c) => bail!("verdict {c} is not implemented"),
        v => json!({ v.name(): null }),
    })
}

/// `{"reject": ...}`: the ICMP type from the network protocol.
fn reject(ty: Option<u32>, code: Option<u8>, ctx: Ctx) -> Result<Value> {
    let code = code.unwrap_or(0);
    let (kind, name) = match (ty.unwrap_or(0), ctx.l3) {
        (NFT_REJECT_TCP_RST, _) => return Ok(json!({"reject": {"type": "tcp reset"}})),
        (NFT_REJECT_ICMP_UNREACH, Some(2)) => (
            "icmp",
            match code {
                0 => "net-unreachable",
                1 => "host-unreachable",
                2 => "prot-unreachable",
                3 => "port-unreachable",
                9 => "net-prohibited",
                10 => "host-prohibited",
                13 => "admin-prohibited",
                c => bail!("reject icmp code {c} is not implemented"),
            },
        ),
        (NFT_REJECT_ICMP_UNREACH, Some(10)) => (
            "icmpv6",
            match code {
                0 => "no-route",
                1 => "admin-prohibited",
                3 => "addr-unreachable",
                4 => "port-unreachable",
                c => bail!("reject icmpv6 code {c} is not implemented"),
            },
        ),
        (NFT_REJECT_ICMPX_UNREACH, _) => (
            "icmpx",
            match u32::from(code) {
                NFT_REJECT_ICMPX_NO_ROUTE => "no-route",
                NFT_REJECT_ICMPX_PORT_UNREACH => "port-unreachable",
                NFT_REJECT_ICMPX_HOST_UNREACH => "host-unreachable",
                NFT_REJECT_ICMPX_ADMIN_PROHIBITED => "admin-prohibited",
                c => bail!("reject icmpx code {c} is not implemented"),
            },
        ),
        (t, _) => bail!("reject type {t} is not implemented"),
    };
    Ok(json!({"reject": {"type": kind, "expr": name}}))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefixes_and_ranges() {
        assert_eq!(prefix_len(&[192, 0, 2, 0], &[192, 0, 2, 255]), Some(24));
        assert_eq!(prefix_len(&[192, 0, 2, 1], &[192, 0, 2, 255]), None);
        assert_eq!(
            interval(Kind::Ipv4, &[203, 0, 113, 10], &[203, 0, 113, 20]).unwrap(),
            json!({"range": ["203.0.113.10", "203.0.113.20"]})
        );
        assert_eq!(decrement(&[1, 0]), vec![0, 255]);
    }

    #[test]
    fn interface_wildcards() {
        assert_eq!(value(Kind::Ifname, b"veth").unwrap(), json!("veth*"));
        let mut lo = b"lo".to_vec();
        lo.resize(16, 0);
        assert_eq!(value(Kind::Ifname, &lo).unwrap(), json!("lo"));
    }

    #[test]
    fn ct_state_names() {
        let bits = 6u32.to_ne_bytes();
        assert_eq!(
            value(Kind::CtState, &bits).unwrap(),
            json!(["established", "related"])
        );
        assert!(value(Kind::CtState, &0x100u32.to_ne_bytes()).is_err());
    }
}
