//! A member of a set (an "element" in the kernel): its key (address,
//! network, port, interface, MAC, set name ... by type) and its
//! extensions (timeout, counters, comment, skb info, nomatch).

use core::fmt;
use std::net::IpAddr;

use nl_wire::netlink::{NLA_F_NESTED, NLA_F_NET_BYTEORDER};
use nl_wire::{Attr, Attrs, HwAddr, MsgBuilder};

use super::names::{
    icmp_name, icmp_type_code, icmpv6_name, icmpv6_type_code, proto_name, proto_number,
};
use crate::uapi::ip_set::*;
use crate::{Error, Result};

const IPPROTO_ICMP: u8 = 1;
const IPPROTO_TCP: u8 = 6;
const IPPROTO_ICMPV6: u8 = 58;

/// Where a member of a `list:set` goes relative to another member.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ListPosition {
    /// Before the named member set.
    Before(String),
    /// After the named member set.
    After(String),
}

/// A member of a set, with the fields its set type uses.
///
/// Which fields make the key depends on the type: `hash:ip` uses `ip`
/// (with `cidr` or `ip_to` to add a range), `hash:net,port` uses `ip`,
/// `cidr`, `proto` and `port`, `hash:net,iface` `ip`, `cidr` and
/// `iface`, `list:set` `name` ... Build one with [`Entry::ip`],
/// [`Entry::net`] and the `with_*` methods, or from the `ipset` tool's
/// text with [`Entry::parse`].
///
/// ```
/// use nl_netfilter::ipset::Entry;
/// let e = Entry::parse("hash:ip,port", "192.0.2.1,udp:53")?.with_timeout(60);
/// assert_eq!(e.port, Some(53));
/// assert_eq!(e.to_text("hash:ip,port"), "192.0.2.1,udp:53 timeout 60");
/// # Ok::<(), nl_netfilter::Error>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Entry {
    /// The first address (`IPSET_ATTR_IP`).
    pub ip: Option<IpAddr>,
    /// Its prefix length (`IPSET_ATTR_CIDR`).
    pub cidr: Option<u8>,
    /// The end of an address range to add or delete (`IPSET_ATTR_IP_TO`).
    pub ip_to: Option<IpAddr>,
    /// Port, or ICMP type << 8 | code (`IPSET_ATTR_PORT`).
    pub port: Option<u16>,
    /// The end of a port range (`IPSET_ATTR_PORT_TO`).
    pub port_to: Option<u16>,
    /// IP protocol of the port (`IPSET_ATTR_PROTO`).
    pub proto: Option<u8>,
    /// The second address (`IPSET_ATTR_IP2`: `hash:ip,port,ip` ...).
    pub ip2: Option<IpAddr>,
    /// Its prefix length (`IPSET_ATTR_CIDR2`).
    pub cidr2: Option<u8>,
    /// The end of a second-address range (`IPSET_ATTR_IP2_TO`).
    pub ip2_to: Option<IpAddr>,
    /// MAC address (`IPSET_ATTR_ETHER`).
    pub mac: Option<HwAddr>,
    /// Interface name (`IPSET_ATTR_IFACE`).
    pub iface: Option<String>,
    /// The interface is a bridge port (`physdev:`).
    pub physdev: bool,
    /// The interface name is a prefix (the `wildcard` option; a name
    /// ending in `+` is a prefix too).
    pub wildcard: bool,
    /// Packet mark (`IPSET_ATTR_MARK`, `hash:ip,mark`).
    pub mark: Option<u32>,
    /// A member set of a `list:set` (`IPSET_ATTR_NAME`).
    pub name: Option<String>,
    /// Where in a `list:set` the member goes.
    pub position: Option<ListPosition>,
    /// Seconds until the member expires; 0 = never (`IPSET_ATTR_TIMEOUT`).
    pub timeout: Option<u32>,
    /// Packet counter (`IPSET_ATTR_PACKETS`).
    pub packets: Option<u64>,
    /// Byte counter (`IPSET_ATTR_BYTES`).
    pub bytes: Option<u64>,
    /// Comment (`IPSET_ATTR_COMMENT`).
    pub comment: Option<String>,
    /// The member is an exception of a net set (`nomatch`).
    pub nomatch: bool,
    /// skb mark and mask to set on matching packets (`skbmark`).
    pub skbmark: Option<(u32, u32)>,
    /// skb priority (tc class, `major << 16 | minor`; `skbprio`).
    pub skbprio: Option<u32>,
    /// skb queue (`skbqueue`).
    pub skbqueue: Option<u16>,
}

impl Entry {
    /// A member with address `ip`.
    pub fn ip(ip: IpAddr) -> Self {
        Entry {
            ip: Some(ip),
            ..Entry::default()
        }
    }

    /// A member with network `net` (address and prefix length).
    pub fn net(net: ipnet::IpNet) -> Self {
        Entry {
            ip: Some(net.addr()),
            cidr: Some(net.prefix_len()),
            ..Entry::default()
        }
    }

    /// A `list:set` member: set `name`.
    pub fn set(name: impl Into<String>) -> Self {
        Entry {
            name: Some(name.into()),
            ..Entry::default()
        }
    }

    /// A `bitmap:port` member.
    pub fn port(port: u16) -> Self {
        Entry {
            port: Some(port),
            ..Entry::default()
        }
    }

    /// A `hash:mac` member.
    pub fn mac(mac: HwAddr) -> Self {
        Entry {
            mac: Some(mac),
            ..Entry::default()
        }
    }

    /// With protocol and port (`tcp:80`).
    #[must_use]
    pub fn with_port(mut self, proto: u8, port: u16) -> Self {
        self.proto = Some(proto);
        self.port = Some(port);
        self
    }

    /// With a second address (`hash:ip,port,ip`).
    #[must_use]
    pub fn with_ip2(mut self, ip: IpAddr) -> Self {
        self.ip2 = Some(ip);
        self
    }

    /// With a second network (`hash:ip,port,net`).
    #[must_use]
    pub fn with_net2(mut self, net: ipnet::IpNet) -> Self {
        self.ip2 = Some(net.addr());
        self.cidr2 = Some(net.prefix_len());
        self
    }

    /// With an interface (`hash:net,iface`).
    #[must_use]
    pub fn with_iface(mut self, iface: impl Into<String>) -> Self {
        self.iface = Some(iface.into());
        self
    }

    /// With a MAC (`bitmap:ip,mac`).
    #[must_use]
    pub fn with_mac(mut self, mac: HwAddr) -> Self {
        self.mac = Some(mac);
        self
    }

    /// With a timeout in seconds (0: never expires).
    #[must_use]
    pub fn with_timeout(mut self, seconds: u32) -> Self {
        self.timeout = Some(seconds);
        self
    }

    /// With a comment.
    #[must_use]
    pub fn with_comment(mut self, comment: impl Into<String>) -> Self {
        self.comment = Some(comment.into());
        self
    }

    /// With initial counters.
    #[must_use]
    pub fn with_counters(mut self, packets: u64, bytes: u64) -> Self {
        self.packets = Some(packets);
        self.bytes = Some(bytes);
        self
    }

    /// As an exception (`nomatch`) of a net set.
    #[must_use]
    pub fn with_nomatch(mut self) -> Self {
        self.nomatch = true;
        self
    }

    /// The kernel's CADT flags of this member.
    fn cadt_flags(&self) -> u32 {
        let mut f = 0;
        if self.nomatch {
            f |= IPSET_FLAG_NOMATCH;
        }
        if self.physdev {
            f |= IPSET_FLAG_PHYSDEV;
        }
        if self.wildcard {
            f |= IPSET_FLAG_IFACE_WILDCARD;
        }
        if matches!(self.position, Some(ListPosition::Before(_))) {
            f |= IPSET_FLAG_BEFORE;
        }
        f
    }

    /// Writes the member's attributes into an open `IPSET_ATTR_DATA` nest,
    /// in type order as the `ipset` tool does.
    pub fn write(&self, m: &mut MsgBuilder<'_>) -> Result<()> {
        if let Some(c) = self
            .comment
            .as_ref()
            .filter(|c| c.len() > IPSET_MAX_COMMENT_SIZE)
        {
            return Err(Error::invalid(
                "comment",
                format!("{} bytes, at most {IPSET_MAX_COMMENT_SIZE}", c.len()),
            ));
        }
        let net = NLA_F_NET_BYTEORDER;
        if let Some(ip) = self.ip {
            put_ip(m, IPSET_ATTR_IP, ip);
        }
        if let Some(ip) = self.ip_to {
            put_ip(m, IPSET_ATTR_IP_TO, ip);
        }
        if let Some(c) = self.cidr {
            m.put_u8(IPSET_ATTR_CIDR, c);
        }
        if let Some(p) = self.port {
            m.put_be16(IPSET_ATTR_PORT | net, p);
        }
        if let Some(p) = self.port_to {
            m.put_be16(IPSET_ATTR_PORT_TO | net, p);
        }
        if let Some(t) = self.timeout {
            m.put_be32(IPSET_ATTR_TIMEOUT | net, t);
        }
        if let Some(p) = self.proto {
            m.put_u8(IPSET_ATTR_PROTO, p);
        }
        let flags = self.cadt_flags();
        if flags != 0 {
            m.put_be32(IPSET_ATTR_CADT_FLAGS | net, flags);
        }
        if let Some(mark) = self.mark {
            m.put_be32(IPSET_ATTR_MARK | net, mark);
        }
        if let Some(mac) = &self.mac {
            m.put_hwaddr(IPSET_ATTR_ETHER, mac);
        }
        if let Some(name) = &self.name {
            super::check_name("member set", name)?;
            m.put_str(IPSET_ATTR_NAME, name);
        }
        if let Some(ListPosition::Before(r) | ListPosition::After(r)) = &self.position {
            super::check_name("reference set", r)?;
            m.put_str(IPSET_ATTR_NAMEREF, r);
        }
        if let Some(ip) = self.ip2 {
            put_ip(m, IPSET_ATTR_IP2, ip);
        }
        if let Some(c) = self.cidr2 {
            m.put_u8(IPSET_ATTR_CIDR2, c);
        }
        if let Some(ip) = self.ip2_to {
            put_ip(m, IPSET_ATTR_IP2_TO, ip);
        }
        if let Some(i) = &self.iface {
            m.put_str(IPSET_ATTR_IFACE, i);
        }
        if let Some(b) = self.bytes {
            m.put_be64(IPSET_ATTR_BYTES | net, b);
        }
        if let Some(p) = self.packets {
            m.put_be64(IPSET_ATTR_PACKETS | net, p);
        }
        if let Some(c) = &self.comment {
            m.put_str(IPSET_ATTR_COMMENT, c);
        }
        if let Some((mark, mask)) = self.skbmark {
            m.put_be64(
                IPSET_ATTR_SKBMARK | net,
                (u64::from(mark) << 32) | u64::from(mask),
            );
        }
        if let Some(p) = self.skbprio {
            m.put_be32(IPSET_ATTR_SKBPRIO | net, p);
        }
        if let Some(q) = self.skbqueue {
            m.put_be16(IPSET_ATTR_SKBQUEUE | net, q);
        }
        Ok(())
    }

    /// Parses a member of a `type_name` set as the `ipset` tool writes it
    /// (`192.0.2.0/24,tcp:80`, `physdev:eth0`, `02:00:00:00:00:01`); its
    /// extensions (timeout, comment ...) are set with the `with_*` methods.
    pub fn parse(type_name: &str, text: &str) -> Result<Self> {
        parse_text(type_name, text)
    }

    /// Reads a member from the attributes of its `IPSET_ATTR_DATA` nest.
    pub fn from_attrs(attrs: Attrs<'_>) -> nl_wire::Result<Self> {
        let mut e = Entry::default();
        for a in attrs {
            let a = a?;
            match a.ty() {
                IPSET_ATTR_IP => e.ip = Some(nested_ip(&a)?),
                IPSET_ATTR_IP_TO => e.ip_to = Some(nested_ip(&a)?),
                IPSET_ATTR_CIDR => e.cidr = Some(a.u8()?),
                IPSET_ATTR_PORT => e.port = Some(a.be16()?),
                IPSET_ATTR_PORT_TO => e.port_to = Some(a.be16()?),
                IPSET_ATTR_TIMEOUT => e.timeout = Some(a.be32()?),
                IPSET_ATTR_PROTO => e.proto = Some(a.u8()?),
                IPSET_ATTR_CADT_FLAGS => {
                    let f = a.be32()?;
                    e.nomatch = f & IPSET_FLAG_NOMATCH != 0;
                    e.physdev = f & IPSET_FLAG_PHYSDEV != 0;
                    e.wildcard = f & IPSET_FLAG_IFACE_WILDCARD != 0;
                }
                IPSET_ATTR_MARK => e.mark = Some(a.be32()?),
                IPSET_ATTR_ETHER => e.mac = Some(a.hwaddr()?),
                IPSET_ATTR_NAME => e.name = Some(a.cstr()?.to_string()),
                IPSET_ATTR_IP2 => e.ip2 = Some(nested_ip(&a)?),
                IPSET_ATTR_CIDR2 => e.cidr2 = Some(a.u8()?),
                IPSET_ATTR_IP2_TO => e.ip2_to = Some(nested_ip(&a)?),
                IPSET_ATTR_IFACE => e.iface = Some(a.cstr()?.to_string()),
                IPSET_ATTR_BYTES => e.bytes = Some(a.be64()?),
                IPSET_ATTR_PACKETS => e.packets = Some(a.be64()?),
                IPSET_ATTR_COMMENT => e.comment = Some(a.cstr()?.to_string()),
                IPSET_ATTR_SKBMARK => {
                    let v = a.be64()?;
                    e.skbmark = Some(((v >> 32) as u32, v as u32));
                }
                IPSET_ATTR_SKBPRIO => e.skbprio = Some(a.be32()?),
                IPSET_ATTR_SKBQUEUE => e.skbqueue = Some(a.be16()?),
                // Line numbers, padding, attributes of newer kernels.
                _ => {}
            }
        }
        Ok(e)
    }

    /// The member as the `ipset` tool prints it in a set of `type_name`:
    /// the key (`192.0.2.1,tcp:80`) and its extensions (`timeout 60
    /// packets 0 bytes 0 comment "x"`).
    pub fn to_text(&self, type_name: &str) -> String {
        Show(self, type_name).to_string()
    }

    /// The key alone, as the `ipset` tool prints it.
    pub fn key_text(&self, type_name: &str) -> String {
        let mut s = String::new();
        // Writing to a String does not fail.
        let _ = write_key(&mut s, self, type_name);
        s
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

/// An address nest (`IPSET_ATTR_IPADDR_IPV4` or `_IPV6` inside).
pub(crate) fn nested_ip(a: &Attr<'_>) -> nl_wire::Result<IpAddr> {
    let mut found = None;
    for inner in a.nested() {
        let inner = inner?;
        match inner.ty() {
            IPSET_ATTR_IPADDR_IPV4 => found = Some(IpAddr::V4(inner.ipv4()?)),
            IPSET_ATTR_IPADDR_IPV6 => found = Some(IpAddr::V6(inner.ipv6()?)),
            _ => {}
        }
    }
    // An empty address nest: as a zero-length address of the outer type.
    found.ok_or(nl_wire::Error::PayloadLen {
        ty: a.ty(),
        need: 4,
        have: 0,
        offset: a.offset(),
    })
}

/// The dimensions of a type: `hash:ip,port,net` -> `["ip", "port", "net"]`.
fn dims(type_name: &str) -> impl Iterator<Item = &str> {
    type_name
        .split_once(':')
        .map_or("", |(_, d)| d)
        .split(',')
        .filter(|d| !d.is_empty())
}

fn full_len(ip: &IpAddr) -> u8 {
    if ip.is_ipv4() { 32 } else { 128 }
}

fn write_addr(
    f: &mut impl fmt::Write,
    ip: Option<IpAddr>,
    cidr: Option<u8>,
    to: Option<IpAddr>,
) -> fmt::Result {
    let Some(ip) = ip else { return Ok(()) };
    write!(f, "{ip}")?;
    if let Some(to) = to {
        write!(f, "-{to}")?;
    } else if let Some(c) = cidr.filter(|c| *c != full_len(&ip)) {
        write!(f, "/{c}")?;
    }
    Ok(())
}

fn write_port(f: &mut impl fmt::Write, e: &Entry) -> fmt::Result {
    let port = e.port.unwrap_or(0);
    match e.proto {
        Some(IPPROTO_ICMP) => {
            return match icmp_name(port) {
                Some(n) => write!(f, "icmp:{n}"),
                None => write!(f, "icmp:{}/{}", port >> 8, port & 0xff),
            };
        }
        Some(IPPROTO_ICMPV6) => {
            return match icmpv6_name(port) {
                Some(n) => write!(f, "icmpv6:{n}"),
                None => write!(f, "icmpv6:{}/{}", port >> 8, port & 0xff),
            };
        }
        Some(p) => match proto_name(p) {
            Some(n) => write!(f, "{n}:")?,
            None => write!(f, "{p}:")?,
        },
        None => {}
    }
    write!(f, "{port}")?;
    if let Some(to) = e.port_to {
        write!(f, "-{to}")?;
    }
    Ok(())
}

fn write_mac(f: &mut impl fmt::Write, mac: &HwAddr) -> fmt::Result {
    for (i, b) in mac.as_bytes().iter().enumerate() {
        if i > 0 {
            f.write_char(':')?;
        }
        write!(f, "{b:02X}")?;
    }
    Ok(())
}

fn write_key(f: &mut impl fmt::Write, e: &Entry, type_name: &str) -> fmt::Result {
    let mut addrs = 0;
    let mut first = true;
    for dim in dims(type_name) {
        // bitmap:ip,mac lists members whose MAC is not known yet alone.
        if dim == "mac" && e.mac.is_none() && !first {
            continue;
        }
        if !first {
            f.write_char(',')?;
        }
        first = false;
        match dim {
            "ip" | "net" => {
                if addrs == 0 {
                    write_addr(f, e.ip, e.cidr, e.ip_to)?;
                } else {
                    write_addr(f, e.ip2, e.cidr2, e.ip2_to)?;
                }
                addrs += 1;
            }
            "port" => write_port(f, e)?,
            "mac" => {
                if let Some(m) = &e.mac {
                    write_mac(f, m)?;
                }
            }
            "iface" => {
                if e.physdev {
                    f.write_str("physdev:")?;
                }
                f.write_str(e.iface.as_deref().unwrap_or(""))?;
            }
            "mark" => write!(f, "{:#010x}", e.mark.unwrap_or(0))?,
            "set" => f.write_str(e.name.as_deref().unwrap_or(""))?,
            _ => {}
        }
    }
    Ok(())
}

/// A member printed for a type.
struct Show<'a>(&'a Entry, &'a str);

impl fmt::Display for Show<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let Show(e, ty) = *self;
        write_key(f, e, ty)?;
        if let Some(t) = e.timeout {
            write!(f, " timeout {t}")?;
        }
        if e.nomatch {
            f.write_str(" nomatch")?;
        }
        if let Some(p) = e.packets {
            write!(f, " packets {p}")?;
        }
        if let Some(b) = e.bytes {
            write!(f, " bytes {b}")?;
        }
        if let Some(c) = &e.comment {
            write!(f, " comment \"{c}\"")?;
        }
        if let Some((mark, mask)) = e.skbmark {
            write!(f, " skbmark {mark:#x}")?;
            if mask != u32::MAX {
                write!(f, "/{mask:#x}")?;
            }
        }
        if let Some(p) = e.skbprio {
            write!(f, " skbprio {:x}:{:x}", p >> 16, p & 0xffff)?;
        }
        if let Some(q) = e.skbqueue {
            write!(f, " skbqueue {q}")?;
        }
        if e.wildcard {
            f.write_str(" wildcard")?;
        }
        Ok(())
    }
}

fn bad(what: &str, text: &str) -> Error {
    Error::invalid("member", format!("cannot parse {text:?} as {what}"))
}

/// `A`, `A/len` or `A-B`.
fn parse_addr(text: &str, net: bool) -> Result<(IpAddr, Option<u8>, Option<IpAddr>)> {
    if let Some((a, b)) = text.split_once('-') {
        let a: IpAddr = a.parse().map_err(|_| bad("an address range", text))?;
        let b: IpAddr = b.parse().map_err(|_| bad("an address range", text))?;
        return Ok((a, None, Some(b)));
    }
    if let Some((a, len)) = text.split_once('/') {
        let a: IpAddr = a.parse().map_err(|_| bad("an address/prefix", text))?;
        let len: u8 = len.parse().map_err(|_| bad("an address/prefix", text))?;
        if len > full_len(&a) {
            return Err(bad("an address/prefix", text));
        }
        return Ok((a, Some(len), None));
    }
    let a: IpAddr = text.parse().map_err(|_| bad("an address", text))?;
    // A net type's plain address is a host: the full prefix length.
    Ok((a, net.then(|| full_len(&a)), None))
}

fn parse_u16(text: &str, whole: &str) -> Result<u16> {
    text.parse().map_err(|_| bad("a port", whole))
}

/// `[proto:]port[-port]`, `icmp:name`, `icmp:type/code`.
fn parse_port(e: &mut Entry, text: &str, default_proto: Option<u8>) -> Result<()> {
    let (proto, port) = match text.split_once(':') {
        Some((p, port)) => (
            Some(proto_number(p).ok_or_else(|| bad("a protocol", p))?),
            port,
        ),
        None => (default_proto, text),
    };
    e.proto = proto;
    let icmp = |name: &str, v6: bool| {
        let by_name = if v6 {
            icmpv6_type_code(name)
        } else {
            icmp_type_code(name)
        };
        by_name.or_else(|| {
            let (t, c) = name.split_once('/')?;
            Some((t.parse::<u16>().ok()? << 8) | c.parse::<u8>().ok().map(u16::from)?)
        })
    };
    match proto {
        Some(IPPROTO_ICMP) => {
            e.port = Some(icmp(port, false).ok_or_else(|| bad("an ICMP type", text))?)
        }
        Some(IPPROTO_ICMPV6) => {
            e.port = Some(icmp(port, true).ok_or_else(|| bad("an ICMPv6 type", text))?)
        }
        _ => match port.split_once('-') {
            Some((a, b)) => {
                e.port = Some(parse_u16(a, text)?);
                e.port_to = Some(parse_u16(b, text)?);
            }
            None => e.port = Some(parse_u16(port, text)?),
        },
    }
    Ok(())
}

fn parse_text(type_name: &str, text: &str) -> Result<Entry> {
    let mut e = Entry::default();
    let dims: Vec<&str> = dims(type_name).collect();
    if dims.is_empty() {
        return Err(Error::invalid(
            "set type",
            format!("{type_name:?} is not TYPE:DIMENSIONS"),
        ));
    }
    let mut parts = text.split(',');
    let mut addrs = 0;
    for (i, dim) in dims.iter().enumerate() {
        let part = match parts.next() {
            Some(p) if !p.is_empty() => p,
            // bitmap:ip,mac takes a member without its MAC.
            _ if *dim == "mac" && i > 0 => break,
            _ => {
                return Err(Error::invalid(
                    "member",
                    format!("{text:?} lacks its {dim} part for a {type_name} set"),
                ));
            }
        };
        match *dim {
            "ip" | "net" => {
                let (a, cidr, to) = parse_addr(part, *dim == "net")?;
                if addrs == 0 {
                    (e.ip, e.cidr, e.ip_to) = (Some(a), cidr, to);
                } else {
                    (e.ip2, e.cidr2, e.ip2_to) = (Some(a), cidr, to);
                }
                addrs += 1;
            }
            "port" => {
                // bitmap:port keys are bare ports; hash types default to TCP.
                let default = type_name.starts_with("hash:").then_some(IPPROTO_TCP);
                parse_port(&mut e, part, default)?;
                if type_name.starts_with("bitmap:") {
                    e.proto = None;
                }
            }
            "mac" => e.mac = Some(part.parse().map_err(|_| bad("a MAC address", part))?),
            "iface" => {
                let (physdev, name) = match part.strip_prefix("physdev:") {
                    Some(n) => (true, n),
                    None => (false, part),
                };
                // A trailing `+` stays in the name: the kernel matches it
                // as a prefix.
                e.physdev = physdev;
                e.iface = Some(name.to_string());
            }
            "mark" => {
                let v = match part.strip_prefix("0x") {
                    Some(h) => u32::from_str_radix(h, 16),
                    None => part.parse(),
                };
                e.mark = Some(v.map_err(|_| bad("a mark", part))?);
            }
            "set" => {
                super::check_name("member set", part)?;
                e.name = Some(part.to_string());
            }
            other => {
                return Err(Error::invalid(
                    "set type",
                    format!("unknown dimension {other:?} of {type_name}"),
                ));
            }
        }
    }
    if let Some(extra) = parts.next() {
        return Err(Error::invalid(
            "member",
            format!("{text:?} has more parts than a {type_name} member ({extra:?})"),
        ));
    }
    Ok(e)
}
