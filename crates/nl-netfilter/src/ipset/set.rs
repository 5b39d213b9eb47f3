//! A set: its name, type, creation options, sizes and members, read from
//! a listing, printed as `ipset list` and `ipset save` do.

use core::fmt;
use std::net::IpAddr;

use nl_wire::netlink::{NLA_F_NESTED, NLA_F_NET_BYTEORDER};
use nl_wire::{Attrs, Msg, MsgBuilder};

use super::entry::{Entry, nested_ip};
use super::{Family, parse};
use crate::uapi::ip_set::*;
use crate::uapi::ip_set_hash::IPSET_ATTR_BITMASK;
use crate::{Error, Result};

/// The options of a set's creation (`ipset create NAME TYPE OPTIONS`),
/// also what a listing reports of them. Each applies to the types that
/// have it; the kernel refuses the others.
///
/// ```
/// use nl_netfilter::ipset::CreateOptions;
/// let o = CreateOptions { maxelem: Some(1 << 20), timeout: Some(300), counters: true, ..Default::default() };
/// # let _ = o;
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CreateOptions {
    /// Initial hash size (hash types).
    pub hashsize: Option<u32>,
    /// Most members (hash types).
    pub maxelem: Option<u32>,
    /// Prefix length members are stored as (`hash:ip`, `bitmap:ip`).
    pub netmask: Option<u8>,
    /// Address mask members are stored with (`hash:ip`, `hash:net,net`;
    /// Linux 6.2).
    pub bitmask: Option<IpAddr>,
    /// Mask of marks (`hash:ip,mark`).
    pub markmask: Option<u32>,
    /// Default member timeout in seconds; makes the set a timeout set.
    pub timeout: Option<u32>,
    /// Members count packets and bytes.
    pub counters: bool,
    /// Members carry comments.
    pub comment: bool,
    /// Members carry skb mark, priority and queue.
    pub skbinfo: bool,
    /// A full set evicts a random member to add a new one.
    pub forceadd: bool,
    /// Members per hash bucket (hash types).
    pub bucketsize: Option<u8>,
    /// Hash seed (hash types; random by default).
    pub initval: Option<u32>,
    /// First and last address (`bitmap:ip`, `bitmap:ip,mac`).
    pub range: Option<(IpAddr, IpAddr)>,
    /// First and last port (`bitmap:port`).
    pub port_range: Option<(u16, u16)>,
    /// Most member sets (`list:set`).
    pub size: Option<u32>,
}

impl CreateOptions {
    fn cadt_flags(&self) -> u32 {
        let mut f = 0;
        if self.counters {
            f |= IPSET_FLAG_WITH_COUNTERS;
        }
        if self.comment {
            f |= IPSET_FLAG_WITH_COMMENT;
        }
        if self.forceadd {
            f |= IPSET_FLAG_WITH_FORCEADD;
        }
        if self.skbinfo {
            f |= IPSET_FLAG_WITH_SKBINFO;
        }
        f
    }

    /// Writes the options into an open `IPSET_ATTR_DATA` nest, in type
    /// order as the `ipset` tool does.
    pub fn write(&self, m: &mut MsgBuilder<'_>) -> Result<()> {
        let net = NLA_F_NET_BYTEORDER;
        if let Some((from, to)) = self.range {
            if from.is_ipv4() != to.is_ipv4() {
                return Err(Error::invalid(
                    "range",
                    format!("{from}-{to} mixes IPv4 and IPv6"),
                ));
            }
            put_ip(m, IPSET_ATTR_IP, from);
            put_ip(m, IPSET_ATTR_IP_TO, to);
        }
        if let Some((from, to)) = self.port_range {
            m.put_be16(IPSET_ATTR_PORT | net, from)
                .put_be16(IPSET_ATTR_PORT_TO | net, to);
        }
        if let Some(t) = self.timeout {
            m.put_be32(IPSET_ATTR_TIMEOUT | net, t);
        }
        let flags = self.cadt_flags();
        if flags != 0 {
            m.put_be32(IPSET_ATTR_CADT_FLAGS | net, flags);
        }
        if let Some(mm) = self.markmask {
            m.put_be32(IPSET_ATTR_MARKMASK | net, mm);
        }
        if let Some(b) = self.bitmask {
            put_ip(m, IPSET_ATTR_BITMASK, b);
        }
        if let Some(v) = self.initval {
            m.put_be32(IPSET_ATTR_INITVAL | net, v);
        }
        if let Some(v) = self.hashsize {
            m.put_be32(IPSET_ATTR_HASHSIZE | net, v);
        }
        if let Some(v) = self.maxelem {
            m.put_be32(IPSET_ATTR_MAXELEM | net, v);
        }
        if let Some(v) = self.netmask {
            m.put_u8(IPSET_ATTR_NETMASK, v);
        }
        if let Some(v) = self.bucketsize {
            m.put_u8(IPSET_ATTR_BUCKETSIZE, v);
        }
        if let Some(v) = self.size {
            m.put_be32(IPSET_ATTR_SIZE | net, v);
        }
        Ok(())
    }
}

fn put_ip(m: &mut MsgBuilder<'_>, kind: u16, ip: IpAddr) {
    m.nest(kind | NLA_F_NESTED, |m| match ip {
        IpAddr::V4(a) => {
            m.put_ipv4(IPSET_ATTR_IPADDR_IPV4 | NLA_F_NET_BYTEORDER, a);
        }
        IpAddr::V6(a) => {
            m.put_ipv6(IPSET_ATTR_IPADDR_IPV6 | NLA_F_NET_BYTEORDER, a);
        }
    });
}

/// A set as listed: header and, unless only headers were asked for,
/// members. [`fmt::Display`] prints it as `ipset list` does;
/// [`IpSet::save`] as `ipset save`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct IpSet {
    /// Set name.
    pub name: String,
    /// Type name (`hash:ip`); empty in a names-only listing.
    pub type_name: String,
    /// Family.
    pub family: Family,
    /// Type revision the set was created with.
    pub revision: u8,
    /// The kernel's index of the set (protocol 7).
    pub index: Option<u16>,
    /// Creation options, as the kernel reports them.
    pub options: CreateOptions,
    /// Bytes of kernel memory the set takes.
    pub memsize: Option<u32>,
    /// How many rules and sets refer to the set.
    pub references: Option<u32>,
    /// How many members it has (the kernel's count).
    pub elements: Option<u32>,
    /// Members, in the kernel's order.
    pub entries: Vec<Entry>,
}

impl IpSet {
    /// Reads a list or header message: the set's header and its first
    /// members. More members of the same set come in later messages:
    /// [`IpSet::merge`] (or [`SetList`]) adds them.
    pub fn parse(msg: &Msg<'_>) -> Result<Self> {
        let nf = parse(msg)?;
        let mut set = IpSet::default();
        let w = |e| nf.wire_error(e);
        for a in nf.attrs() {
            let a = a.map_err(w)?;
            match a.ty() {
                IPSET_ATTR_SETNAME => set.name = a.cstr().map_err(w)?.to_string(),
                IPSET_ATTR_TYPENAME => set.type_name = a.cstr().map_err(w)?.to_string(),
                IPSET_ATTR_FAMILY => set.family = Family::from_u8(a.u8().map_err(w)?),
                IPSET_ATTR_REVISION => set.revision = a.u8().map_err(w)?,
                IPSET_ATTR_INDEX => set.index = Some(a.be16().map_err(w)?),
                IPSET_ATTR_DATA => set.read_data(a.nested()).map_err(w)?,
                IPSET_ATTR_ADT => read_adt(&mut set.entries, a.nested()).map_err(w)?,
                _ => {}
            }
        }
        if set.name.is_empty() {
            return Err(Error::Unexpected {
                what: "an ipset list message with a set name",
                msg_type: msg.ty(),
            });
        }
        Ok(set)
    }

    /// Adds the members of a continuation message of this set.
    pub fn merge(&mut self, msg: &Msg<'_>) -> Result<()> {
        let nf = parse(msg)?;
        for a in nf.attrs() {
            let a = a.map_err(|e| nf.wire_error(e))?;
            if a.ty() == IPSET_ATTR_ADT {
                read_adt(&mut self.entries, a.nested()).map_err(|e| nf.wire_error(e))?;
            }
        }
        Ok(())
    }

    fn read_data(&mut self, attrs: Attrs<'_>) -> nl_wire::Result<()> {
        let o = &mut self.options;
        let mut ip = None;
        let mut ip_to = None;
        let mut port = None;
        let mut port_to = None;
        for a in attrs {
            let a = a?;
            match a.ty() {
                IPSET_ATTR_IP => ip = Some(nested_ip(&a)?),
                IPSET_ATTR_IP_TO => ip_to = Some(nested_ip(&a)?),
                IPSET_ATTR_PORT => port = Some(a.be16()?),
                IPSET_ATTR_PORT_TO => port_to = Some(a.be16()?),
                IPSET_ATTR_TIMEOUT => o.timeout = Some(a.be32()?),
                IPSET_ATTR_CADT_FLAGS => {
                    let f = a.be32()?;
                    o.counters = f & IPSET_FLAG_WITH_COUNTERS != 0;
                    o.comment = f & IPSET_FLAG_WITH_COMMENT != 0;
                    o.forceadd = f & IPSET_FLAG_WITH_FORCEADD != 0;
                    o.skbinfo = f & IPSET_FLAG_WITH_SKBINFO != 0;
                }
                IPSET_ATTR_MARKMASK => o.markmask = Some(a.be32()?),
                IPSET_ATTR_BITMASK => o.bitmask = Some(nested_ip(&a)?),
                IPSET_ATTR_INITVAL => o.initval = Some(a.be32()?),
                IPSET_ATTR_HASHSIZE => o.hashsize = Some(a.be32()?),
                IPSET_ATTR_MAXELEM => o.maxelem = Some(a.be32()?),
                IPSET_ATTR_NETMASK => o.netmask = Some(a.u8()?),
                IPSET_ATTR_BUCKETSIZE => o.bucketsize = Some(a.u8()?),
                IPSET_ATTR_SIZE => o.size = Some(a.be32()?),
                IPSET_ATTR_ELEMENTS => self.elements = Some(a.be32()?),
                IPSET_ATTR_REFERENCES => self.references = Some(a.be32()?),
                IPSET_ATTR_MEMSIZE => self.memsize = Some(a.be32()?),
                _ => {}
            }
        }
        if let (Some(from), Some(to)) = (ip, ip_to) {
            o.range = Some((from, to));
        }
        if let (Some(from), Some(to)) = (port, port_to) {
            o.port_range = Some((from, to));
        }
        Ok(())
    }

    /// The header as `ipset list` prints it after `Header: ` (and `ipset
    /// save` after the type): `family inet hashsize 1024 maxelem 65536 ...`.
    pub fn header_text(&self) -> String {
        let o = &self.options;
        let mut w: Vec<String> = Vec::new();
        if let Some((from, to)) = o.range {
            w.push(format!("range {from}-{to}"));
        }
        if let Some((from, to)) = o.port_range {
            w.push(format!("range {from}-{to}"));
        }
        if self.type_name.starts_with("hash:")
            && matches!(self.family, Family::Inet | Family::Inet6)
        {
            w.push(format!("family {}", self.family));
        }
        if let Some(v) = o.hashsize {
            w.push(format!("hashsize {v}"));
        }
        if let Some(v) = o.maxelem {
            w.push(format!("maxelem {v}"));
        }
        if let Some(v) = o.markmask {
            w.push(format!("markmask {v:#010x}"));
        }
        if let Some(v) = o.netmask {
            w.push(format!("netmask {v}"));
        }
        if let Some(v) = o.bitmask {
            w.push(format!("bitmask {v}"));
        }
        if let Some(v) = o.size {
            w.push(format!("size {v}"));
        }
        if let Some(v) = o.timeout {
            w.push(format!("timeout {v}"));
        }
        for (on, word) in [
            (o.counters, "counters"),
            (o.comment, "comment"),
            (o.skbinfo, "skbinfo"),
        ] {
            if on {
                w.push(word.to_string());
            }
        }
        if let Some(v) = o.bucketsize {
            w.push(format!("bucketsize {v}"));
        }
        if let Some(v) = o.initval {
            w.push(format!("initval {v:#010x}"));
        }
        w.join(" ")
    }

    /// The set as `ipset save` prints it: a `create` line and an `add`
    /// line per member.
    pub fn save(&self) -> impl fmt::Display + '_ {
        Save(self)
    }

    /// Whether the set has no member.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

fn read_adt(out: &mut Vec<Entry>, attrs: Attrs<'_>) -> nl_wire::Result<()> {
    for a in attrs {
        let a = a?;
        if a.ty() == IPSET_ATTR_DATA {
            out.push(Entry::from_attrs(a.nested())?);
        }
    }
    Ok(())
}

/// `ipset list` of one set: `Name:` ... `Members:` and a line per member
/// (no `Members:` for a header-only listing, whose `elements` ... are
/// known but whose member list was not asked for: print it with `{:#}`).
impl fmt::Display for IpSet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "Name: {}", self.name)?;
        writeln!(f, "Type: {}", self.type_name)?;
        writeln!(f, "Revision: {}", self.revision)?;
        writeln!(f, "Header: {}", self.header_text())?;
        writeln!(f, "Size in memory: {}", self.memsize.unwrap_or(0))?;
        writeln!(f, "References: {}", self.references.unwrap_or(0))?;
        writeln!(f, "Number of entries: {}", self.elements.unwrap_or(0))?;
        if f.alternate() {
            return Ok(());
        }
        writeln!(f, "Members:")?;
        for e in &self.entries {
            writeln!(f, "{}", e.to_text(&self.type_name))?;
        }
        Ok(())
    }
}

struct Save<'a>(&'a IpSet);

impl fmt::Display for Save<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let s = self.0;
        writeln!(f, "create {} {} {}", s.name, s.type_name, s.header_text())?;
        for e in &s.entries {
            writeln!(f, "add {} {}", s.name, e.to_text(&s.type_name))?;
        }
        Ok(())
    }
}

/// Collects the messages of a listing into sets, merging the parts of a
/// set whose members span several messages.
///
/// ```
/// # fn run(messages: &[nl_wire::Msg<'_>]) -> nl_netfilter::Result<()> {
/// use nl_netfilter::ipset::SetList;
/// let mut list = SetList::default();
/// for m in messages {
///     list.push(m)?;
/// }
/// for set in list.into_sets() {
///     print!("{set}");
/// }
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, Default)]
pub struct SetList {
    sets: Vec<IpSet>,
}

impl SetList {
    /// Adds one message of the listing (other messages are skipped).
    pub fn push(&mut self, msg: &Msg<'_>) -> Result<()> {
        push_into(&mut self.sets, msg)
    }

    /// The sets so far.
    pub fn sets(&self) -> &[IpSet] {
        &self.sets
    }

    /// The sets.
    pub fn into_sets(self) -> Vec<IpSet> {
        self.sets
    }
}

/// Adds a listing message to `sets`: a new set, or more members of the
/// last one.
pub fn push_into(sets: &mut Vec<IpSet>, msg: &Msg<'_>) -> Result<()> {
    if msg.ty() >> 8 != u16::from(crate::uapi::nfnetlink::NFNL_SUBSYS_IPSET) {
        return Ok(());
    }
    let (name, starts) = super::list_message_set(msg)?;
    match sets.last_mut() {
        Some(last) if !starts && last.name == name => last.merge(msg),
        _ => {
            sets.push(IpSet::parse(msg)?);
            Ok(())
        }
    }
}

/// The `ipset list` text of several sets (a blank line between two).
pub fn list_text(sets: &[IpSet], headers_only: bool) -> String {
    let mut out = String::new();
    for (i, s) in sets.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        if headers_only {
            out.push_str(&format!("{s:#}"));
        } else {
            out.push_str(&s.to_string());
        }
    }
    out
}
