//! Tuples: what identifies a connection in one direction (addresses,
//! protocol, ports or ICMP id/type/code, and a zone).
//!
//! ```text
//! CTA_TUPLE_ORIG (nested)
//!   CTA_TUPLE_IP (nested)      CTA_IP_V4_SRC, CTA_IP_V4_DST   (or V6)
//!   CTA_TUPLE_PROTO (nested)   CTA_PROTO_NUM = 6
//!                              CTA_PROTO_SRC_PORT, CTA_PROTO_DST_PORT (__be16)
//!                              or CTA_PROTO_ICMP_ID (__be16), _TYPE, _CODE (u8)
//!   CTA_TUPLE_ZONE             __be16, only for a zone of one direction
//! ```

use core::fmt;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};

use nl_wire::netlink::NLA_F_NESTED;
use nl_wire::{Attrs, MsgBuilder};

use crate::uapi::r#in::{
    IPPROTO_DCCP, IPPROTO_GRE, IPPROTO_ICMP, IPPROTO_SCTP, IPPROTO_TCP, IPPROTO_UDP,
    IPPROTO_UDPLITE,
};
use crate::uapi::in6::IPPROTO_ICMPV6;
use crate::uapi::nfnetlink_conntrack::*;
use crate::{Error, Result};

/// `AF_INET`.
pub const AF_INET: u8 = 2;
/// `AF_INET6`.
pub const AF_INET6: u8 = 10;

/// One direction of a connection.
///
/// The fields map one to one to the attributes: what is `None` is not
/// sent, and what the kernel did not send is `None`. Ports are those of
/// TCP, UDP, UDP-Lite, SCTP and DCCP; ICMP and ICMPv6 have an id, a type
/// and a code instead.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Tuple {
    /// Source address.
    pub src: IpAddr,
    /// Destination address.
    pub dst: IpAddr,
    /// Layer 4 protocol (`IPPROTO_*`).
    pub proto: u8,
    /// Source port.
    pub src_port: Option<u16>,
    /// Destination port.
    pub dst_port: Option<u16>,
    /// ICMP or ICMPv6 identifier.
    pub icmp_id: Option<u16>,
    /// ICMP or ICMPv6 type.
    pub icmp_type: Option<u8>,
    /// ICMP or ICMPv6 code.
    pub icmp_code: Option<u8>,
    /// The zone of this direction only (`CTA_TUPLE_ZONE`); a zone of both
    /// directions is the entry's.
    pub zone: Option<u16>,
}

impl Default for Tuple {
    fn default() -> Self {
        Tuple::new(
            IpAddr::V4(Ipv4Addr::UNSPECIFIED),
            IpAddr::V4(Ipv4Addr::UNSPECIFIED),
            0,
        )
    }
}

/// The ICMP type that answers `ty` (what the kernel's `invmap` says), for
/// the reply tuple of an echo, timestamp, information or address query.
fn icmp_answer(proto: u8, ty: u8) -> u8 {
    match (proto, ty) {
        (IPPROTO_ICMP, 8) => 0,
        (IPPROTO_ICMP, 0) => 8,
        (IPPROTO_ICMP, 13) => 14,
        (IPPROTO_ICMP, 14) => 13,
        (IPPROTO_ICMP, 15) => 16,
        (IPPROTO_ICMP, 16) => 15,
        (IPPROTO_ICMP, 17) => 18,
        (IPPROTO_ICMP, 18) => 17,
        (IPPROTO_ICMPV6, 128) => 129,
        (IPPROTO_ICMPV6, 129) => 128,
        (IPPROTO_ICMPV6, 139) => 140,
        (IPPROTO_ICMPV6, 140) => 139,
        (_, t) => t,
    }
}

/// Whether `proto` has ports in its tuple.
pub fn has_ports(proto: u8) -> bool {
    matches!(
        proto,
        IPPROTO_TCP | IPPROTO_UDP | IPPROTO_UDPLITE | IPPROTO_SCTP | IPPROTO_DCCP
    )
}

/// Whether `proto` is ICMP or ICMPv6.
pub fn is_icmp(proto: u8) -> bool {
    matches!(proto, IPPROTO_ICMP | IPPROTO_ICMPV6)
}

impl Tuple {
    /// A tuple of `proto` between two addresses, with no layer 4 fields.
    pub fn new(src: IpAddr, dst: IpAddr, proto: u8) -> Self {
        Tuple {
            src,
            dst,
            proto,
            src_port: None,
            dst_port: None,
            icmp_id: None,
            icmp_type: None,
            icmp_code: None,
            zone: None,
        }
    }

    /// A tuple of `proto` with ports (TCP, UDP, SCTP ...).
    pub fn with_ports(src: SocketAddr, dst: SocketAddr, proto: u8) -> Self {
        Tuple {
            src_port: Some(src.port()),
            dst_port: Some(dst.port()),
            ..Tuple::new(src.ip(), dst.ip(), proto)
        }
    }

    /// A TCP tuple.
    pub fn tcp(src: SocketAddr, dst: SocketAddr) -> Self {
        Tuple::with_ports(src, dst, IPPROTO_TCP)
    }

    /// A UDP tuple.
    pub fn udp(src: SocketAddr, dst: SocketAddr) -> Self {
        Tuple::with_ports(src, dst, IPPROTO_UDP)
    }

    /// An ICMP tuple (ICMPv6 for IPv6 addresses): echo requests are type
    /// 8 (128 in ICMPv6), code 0.
    pub fn icmp(src: IpAddr, dst: IpAddr, id: u16, ty: u8, code: u8) -> Self {
        let proto = if src.is_ipv6() {
            IPPROTO_ICMPV6
        } else {
            IPPROTO_ICMP
        };
        Tuple {
            icmp_id: Some(id),
            icmp_type: Some(ty),
            icmp_code: Some(code),
            ..Tuple::new(src, dst, proto)
        }
    }

    /// The tuple of the other direction when no NAT changes it: addresses
    /// and ports swapped, an ICMP query turned into its answer. The zone
    /// of one direction does not carry over.
    #[must_use]
    pub fn reversed(&self) -> Self {
        Tuple {
            src: self.dst,
            dst: self.src,
            proto: self.proto,
            src_port: self.dst_port,
            dst_port: self.src_port,
            icmp_id: self.icmp_id,
            icmp_type: self.icmp_type.map(|t| icmp_answer(self.proto, t)),
            icmp_code: self.icmp_code,
            zone: None,
        }
    }

    /// The address family of the tuple (`AF_INET` or `AF_INET6`).
    pub fn family(&self) -> u8 {
        if self.src.is_ipv6() {
            AF_INET6
        } else {
            AF_INET
        }
    }

    /// Reads a `CTA_TUPLE_*` nest.
    pub fn parse(attrs: Attrs<'_>) -> nl_wire::Result<Tuple> {
        let mut t = Tuple::default();
        for a in attrs {
            let a = a?;
            match a.ty() {
                CTA_TUPLE_IP => {
                    for ip in a.nested() {
                        let ip = ip?;
                        match ip.ty() {
                            CTA_IP_V4_SRC => t.src = IpAddr::V4(ip.ipv4()?),
                            CTA_IP_V4_DST => t.dst = IpAddr::V4(ip.ipv4()?),
                            CTA_IP_V6_SRC => t.src = IpAddr::V6(ip.ipv6()?),
                            CTA_IP_V6_DST => t.dst = IpAddr::V6(ip.ipv6()?),
                            _ => {}
                        }
                    }
                }
                CTA_TUPLE_PROTO => {
                    for p in a.nested() {
                        let p = p?;
                        match p.ty() {
                            CTA_PROTO_NUM => t.proto = p.u8()?,
                            CTA_PROTO_SRC_PORT => t.src_port = Some(p.be16()?),
                            CTA_PROTO_DST_PORT => t.dst_port = Some(p.be16()?),
                            CTA_PROTO_ICMP_ID | CTA_PROTO_ICMPV6_ID => {
                                t.icmp_id = Some(p.be16()?);
                            }
                            CTA_PROTO_ICMP_TYPE | CTA_PROTO_ICMPV6_TYPE => {
                                t.icmp_type = Some(p.u8()?);
                            }
                            CTA_PROTO_ICMP_CODE | CTA_PROTO_ICMPV6_CODE => {
                                t.icmp_code = Some(p.u8()?);
                            }
                            _ => {}
                        }
                    }
                }
                CTA_TUPLE_ZONE => t.zone = Some(a.be16()?),
                _ => {}
            }
        }
        Ok(t)
    }

    /// Checks what the kernel would refuse with a bare `EINVAL`: both
    /// addresses of one family, the layer 4 fields its protocol needs.
    pub fn check(&self, what: &'static str) -> Result<()> {
        if self.src.is_ipv6() != self.dst.is_ipv6() {
            return Err(Error::invalid(
                what,
                format!(
                    "source {} and destination {} are of different families",
                    self.src, self.dst
                ),
            ));
        }
        if has_ports(self.proto) && (self.src_port.is_none() || self.dst_port.is_none()) {
            return Err(Error::invalid(
                what,
                format!(
                    "{} needs a source and a destination port",
                    proto_name(self.proto)
                ),
            ));
        }
        if is_icmp(self.proto)
            && (self.icmp_id.is_none() || self.icmp_type.is_none() || self.icmp_code.is_none())
        {
            return Err(Error::invalid(
                what,
                format!("{} needs an id, a type and a code", proto_name(self.proto)),
            ));
        }
        Ok(())
    }

    /// Writes the tuple as a nest of type `kind` (`CTA_TUPLE_ORIG`,
    /// `CTA_TUPLE_REPLY`, `CTA_TUPLE_MASTER`, `CTA_EXPECT_*` ...).
    pub fn write(&self, m: &mut MsgBuilder<'_>, kind: u16) {
        let nest = m.nest_start(kind | NLA_F_NESTED);
        self.write_ip(m, true, true);
        self.write_proto(m, true);
        if let Some(z) = self.zone {
            m.put_be16(CTA_TUPLE_ZONE, z);
        }
        m.nest_end(nest);
    }

    /// The `CTA_TUPLE_IP` nest with the source, the destination or both.
    pub(crate) fn write_ip(&self, m: &mut MsgBuilder<'_>, src: bool, dst: bool) {
        m.nest(CTA_TUPLE_IP | NLA_F_NESTED, |m| {
            let (s, d) = if self.src.is_ipv6() {
                (CTA_IP_V6_SRC, CTA_IP_V6_DST)
            } else {
                (CTA_IP_V4_SRC, CTA_IP_V4_DST)
            };
            if src {
                m.put_ip(s, self.src);
            }
            if dst {
                m.put_ip(d, self.dst);
            }
        });
    }

    /// The `CTA_TUPLE_PROTO` nest: the protocol, then (with `l4`) what
    /// is set of its ports or ICMP fields.
    pub(crate) fn write_proto(&self, m: &mut MsgBuilder<'_>, l4: bool) {
        m.nest(CTA_TUPLE_PROTO | NLA_F_NESTED, |m| {
            m.put_u8(CTA_PROTO_NUM, self.proto);
            if !l4 {
                return;
            }
            if let Some(p) = self.src_port {
                m.put_be16(CTA_PROTO_SRC_PORT, p);
            }
            if let Some(p) = self.dst_port {
                m.put_be16(CTA_PROTO_DST_PORT, p);
            }
            let (id, ty, code) = if self.proto == IPPROTO_ICMPV6 {
                (
                    CTA_PROTO_ICMPV6_ID,
                    CTA_PROTO_ICMPV6_TYPE,
                    CTA_PROTO_ICMPV6_CODE,
                )
            } else {
                (CTA_PROTO_ICMP_ID, CTA_PROTO_ICMP_TYPE, CTA_PROTO_ICMP_CODE)
            };
            // conntrack's order: code, type, id.
            if let Some(v) = self.icmp_code {
                m.put_u8(code, v);
            }
            if let Some(v) = self.icmp_type {
                m.put_u8(ty, v);
            }
            if let Some(v) = self.icmp_id {
                m.put_be16(id, v);
            }
        });
    }

    /// Appends conntrack's text of the tuple, each field followed by a
    /// space: `src=A dst=B sport=P dport=Q ` (ICMP: `type=T code=C id=I `).
    pub fn write_text(&self, out: &mut String) {
        use fmt::Write;
        let _ = write!(out, "src={} dst={} ", self.src, self.dst);
        if has_ports(self.proto) {
            let _ = write!(
                out,
                "sport={} dport={} ",
                self.src_port.unwrap_or(0),
                self.dst_port.unwrap_or(0)
            );
        } else if self.proto == IPPROTO_GRE {
            let _ = write!(
                out,
                "srckey={:#x} dstkey={:#x} ",
                self.src_port.unwrap_or(0),
                self.dst_port.unwrap_or(0)
            );
        } else if is_icmp(self.proto) {
            let _ = write!(
                out,
                "type={} code={} id={} ",
                self.icmp_type.unwrap_or(0),
                self.icmp_code.unwrap_or(0),
                self.icmp_id.unwrap_or(0)
            );
        }
    }
}

/// `src=A dst=B sport=P dport=Q`, as conntrack prints a tuple.
impl fmt::Display for Tuple {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut s = String::with_capacity(64);
        self.write_text(&mut s);
        f.write_str(s.trim_end())
    }
}

/// The name conntrack gives a layer 4 protocol (`tcp`, `icmpv6` ...;
/// `unknown` for the others).
pub fn proto_name(proto: u8) -> &'static str {
    match proto {
        IPPROTO_TCP => "tcp",
        IPPROTO_UDP => "udp",
        IPPROTO_UDPLITE => "udplite",
        IPPROTO_ICMP => "icmp",
        IPPROTO_ICMPV6 => "icmpv6",
        IPPROTO_SCTP => "sctp",
        IPPROTO_GRE => "gre",
        IPPROTO_DCCP => "dccp",
        _ => "unknown",
    }
}

/// The protocol number of a name conntrack knows (`tcp`, `icmpv6` ...),
/// or a number.
pub fn proto_by_name(name: &str) -> Option<u8> {
    Some(match name {
        "tcp" => IPPROTO_TCP,
        "udp" => IPPROTO_UDP,
        "udplite" => IPPROTO_UDPLITE,
        "icmp" => IPPROTO_ICMP,
        "icmpv6" => IPPROTO_ICMPV6,
        "sctp" => IPPROTO_SCTP,
        "gre" => IPPROTO_GRE,
        "dccp" => IPPROTO_DCCP,
        n => return n.parse().ok(),
    })
}

/// The name conntrack gives an address family (`ipv4`, `ipv6`, or
/// `unknown`).
pub fn family_name(family: u8) -> &'static str {
    match family {
        AF_INET => "ipv4",
        AF_INET6 => "ipv6",
        _ => "unknown",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reversed_swaps_and_answers() {
        let t = Tuple::icmp(
            "192.0.2.1".parse().unwrap(),
            "192.0.2.2".parse().unwrap(),
            7,
            8,
            0,
        );
        let r = t.reversed();
        assert_eq!((r.src, r.dst), (t.dst, t.src));
        assert_eq!(r.icmp_type, Some(0));
        assert_eq!(r.reversed(), t);
        let u = Tuple::tcp(
            "[2001:db8::1]:1000".parse().unwrap(),
            "[2001:db8::2]:80".parse().unwrap(),
        );
        assert_eq!(u.reversed().src_port, Some(80));
        assert_eq!(u.family(), AF_INET6);
        assert_eq!(
            u.to_string(),
            "src=2001:db8::1 dst=2001:db8::2 sport=1000 dport=80"
        );
    }

    #[test]
    fn check_names_what_is_missing() {
        let mut t = Tuple::tcp(
            "192.0.2.1:1".parse().unwrap(),
            "192.0.2.2:2".parse().unwrap(),
        );
        assert!(t.check("tuple").is_ok());
        t.dst_port = None;
        let e = t.check("tuple").unwrap_err().to_string();
        assert!(
            e.contains("tcp needs a source and a destination port"),
            "{e}"
        );
        t.dst = "2001:db8::1".parse().unwrap();
        assert!(
            t.check("tuple")
                .unwrap_err()
                .to_string()
                .contains("families")
        );
    }
}
