//! Addresses: RTM_NEWADDR / DELADDR / GETADDR.
//!
//! The kernel's two address attributes mean different things by family and
//! by whether the address is point-to-point: IPv4 always sends `IFA_LOCAL`
//! (this end) and `IFA_ADDRESS` (the peer, or this end again); IPv6 sends
//! only `IFA_ADDRESS` unless there is a peer. [`Addr`] untangles that into
//! `prefix` (this end, with the prefix length) and `peer`.

use std::net::{IpAddr, Ipv4Addr};
use std::str::FromStr;

use bitflags::bitflags;
use ipnet::IpNet;
use nl_wire::netlink::{
    NLM_F_ACK, NLM_F_CREATE, NLM_F_DUMP, NLM_F_EXCL, NLM_F_REPLACE, NLM_F_REQUEST,
};
use nl_wire::{DecodeError, Msg, MsgBuilder};

use crate::error::{Error, Result, parse_msg};
use crate::scope::Scope;
use crate::uapi::if_addr::*;
use crate::uapi::rtnetlink::{RTM_DELADDR, RTM_GETADDR, RTM_NEWADDR};
use crate::uapi::types::{IfAddrMsg, IfaCacheinfo};
use crate::{AF_INET, AF_INET6};

bitflags! {
    /// `IFA_F_*` address flags (the full 32 bits of `IFA_FLAGS`).
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
    pub struct AddrFlags: u32 {
        /// A secondary address (IPv4) / temporary address (IPv6).
        const SECONDARY = 0x01;
        /// No duplicate address detection.
        const NODAD = 0x02;
        /// Optimistic DAD.
        const OPTIMISTIC = 0x04;
        /// DAD failed.
        const DADFAILED = 0x08;
        /// Mobile IPv6 home address.
        const HOMEADDRESS = 0x10;
        /// Preferred lifetime expired.
        const DEPRECATED = 0x20;
        /// DAD in progress.
        const TENTATIVE = 0x40;
        /// No lifetime (configured by hand).
        const PERMANENT = 0x80;
        /// Manage temporary addresses from this prefix.
        const MANAGETEMPADDR = 0x100;
        /// Do not add a prefix route.
        const NOPREFIXROUTE = 0x200;
        /// Join the multicast group automatically.
        const MCAUTOJOIN = 0x400;
        /// Stable privacy address.
        const STABLE_PRIVACY = 0x800;
        // Keep bits the library does not name.
        const _ = !0;
    }
}

impl AddrFlags {
    /// The same flag as [`AddrFlags::SECONDARY`], as IPv6 names it.
    pub const TEMPORARY: AddrFlags = AddrFlags::SECONDARY;

    /// The words `ip addr` prints, in its order (`family` picks
    /// "secondary" or "temporary" for bit 0).
    pub fn names(&self, family: u8) -> Vec<&'static str> {
        let mut out = Vec::new();
        if self.contains(AddrFlags::SECONDARY) {
            out.push(if family == AF_INET6 {
                "temporary"
            } else {
                "secondary"
            });
        }
        const REST: [(AddrFlags, &str); 11] = [
            (AddrFlags::NODAD, "nodad"),
            (AddrFlags::OPTIMISTIC, "optimistic"),
            (AddrFlags::DADFAILED, "dadfailed"),
            (AddrFlags::HOMEADDRESS, "home"),
            (AddrFlags::DEPRECATED, "deprecated"),
            (AddrFlags::TENTATIVE, "tentative"),
            (AddrFlags::PERMANENT, "permanent"),
            (AddrFlags::MANAGETEMPADDR, "mngtmpaddr"),
            (AddrFlags::NOPREFIXROUTE, "noprefixroute"),
            (AddrFlags::MCAUTOJOIN, "autojoin"),
            (AddrFlags::STABLE_PRIVACY, "stable-privacy"),
        ];
        out.extend(
            REST.iter()
                .filter(|(f, _)| self.contains(*f))
                .map(|(_, n)| *n),
        );
        out
    }
}

/// An address on a link.
///
/// ```
/// use nl_route::Addr;
/// let a: Addr = "169.254.169.254/32".parse()?;
/// assert_eq!(a.prefix.prefix_len(), 32);
/// let a = Addr::parse_with_label("192.0.2.1/24 eth0:1")?;
/// assert_eq!(a.label.as_deref(), Some("eth0:1"));
/// # Ok::<(), nl_route::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Addr {
    /// Interface index (`ifa_index`).
    pub index: u32,
    /// This end's address and prefix length.
    pub prefix: IpNet,
    /// The other end of a point-to-point link.
    pub peer: Option<IpAddr>,
    /// `IFA_BROADCAST` (IPv4).
    pub broadcast: Option<Ipv4Addr>,
    /// `IFA_ANYCAST`.
    pub anycast: Option<IpAddr>,
    /// `IFA_MULTICAST`.
    pub multicast: Option<IpAddr>,
    /// `IFA_LABEL` (IPv4): the link name, or `NAME:ALIAS`.
    pub label: Option<String>,
    /// `ifa_scope`.
    pub scope: Scope,
    /// `IFA_FLAGS` (or `ifa_flags` from kernels that send only the byte).
    pub flags: AddrFlags,
    /// Valid lifetime in seconds (`u32::MAX`: forever).
    pub valid_lft: Option<u32>,
    /// Preferred lifetime in seconds (`u32::MAX`: forever).
    pub preferred_lft: Option<u32>,
    /// Created, hundredths of seconds since boot (read only).
    pub created: Option<u32>,
    /// Last updated, hundredths of seconds since boot (read only).
    pub updated: Option<u32>,
    /// `IFA_PROTO`: who added the address (`IFAPROT_*`, 0 unspecified).
    /// The kernel leaves out 0, so `Some(0)` reads back `None`, the same request.
    pub protocol: Option<u8>,
    /// `IFA_RT_PRIORITY`: metric of the prefix route. The kernel leaves
    /// out 0, which is also what it stores when none is given (IPv4: metric
    /// 0; IPv6: 0 stands for its default, 256), so `Some(0)` and `None` are
    /// the same request and read back `None`.
    pub metric: Option<u32>,
}

impl Addr {
    /// An address to put on link `index`.
    pub fn new(index: u32, prefix: IpNet) -> Self {
        Addr {
            index,
            prefix,
            peer: None,
            broadcast: None,
            anycast: None,
            multicast: None,
            label: None,
            scope: Scope::Universe,
            flags: AddrFlags::empty(),
            valid_lft: None,
            preferred_lft: None,
            created: None,
            updated: None,
            protocol: None,
            metric: None,
        }
    }

    /// `AF_INET` or `AF_INET6`.
    pub fn family(&self) -> u8 {
        if self.prefix.addr().is_ipv4() {
            AF_INET
        } else {
            AF_INET6
        }
    }

    /// The address alone, without prefix length.
    pub fn ip(&self) -> IpAddr {
        self.prefix.addr()
    }

    /// Parses `ADDR/LEN` with an optional label after a space (the Go
    /// library's `ParseAddr`). A bare address gets a full-length prefix.
    pub fn parse_with_label(s: &str) -> Result<Self> {
        let mut parts = s.split_whitespace();
        let ip = parts.next().ok_or(Error::invalid("address", "empty"))?;
        let prefix = parse_prefix(ip)?;
        let mut addr = Addr::new(0, prefix);
        addr.label = parts.next().map(str::to_string);
        if parts.next().is_some() {
            return Err(Error::invalid("address", "expected ADDR/LEN [LABEL]"));
        }
        Ok(addr)
    }

    /// The IPv4 broadcast address of the prefix (all host bits set), as
    /// `ip addr add ... brd +` computes it; `None` for IPv6 and /31, /32.
    pub fn computed_broadcast(&self) -> Option<Ipv4Addr> {
        match self.prefix {
            IpNet::V4(n) if n.prefix_len() < 31 => Some(n.broadcast()),
            _ => None,
        }
    }

    /// Parses an RTM_NEWADDR (or RTM_DELADDR) message.
    pub fn parse(msg: &Msg<'_>) -> Result<Self> {
        parse_msg(msg, || {
            let hdr: IfAddrMsg = msg.family_header();
            let (mut address, mut local) = (None, None);
            let mut addr = Addr::new(hdr.ifa_index.get(), IpNet::V4(ipnet::Ipv4Net::default()));
            addr.scope = Scope::from(hdr.ifa_scope);
            addr.flags = AddrFlags::from_bits_retain(u32::from(hdr.ifa_flags));
            msg.attrs::<IfAddrMsg>().decode(|a| {
                match a.ty() {
                    IFA_ADDRESS => address = Some(a.ip()?),
                    IFA_LOCAL => local = Some(a.ip()?),
                    IFA_LABEL => addr.label = Some(a.str()?.to_string()),
                    IFA_BROADCAST => addr.broadcast = Some(a.ipv4()?),
                    IFA_ANYCAST => addr.anycast = Some(a.ip()?),
                    IFA_MULTICAST => addr.multicast = Some(a.ip()?),
                    IFA_FLAGS => addr.flags = AddrFlags::from_bits_retain(a.u32()?),
                    IFA_CACHEINFO => {
                        let ci: IfaCacheinfo = a.read();
                        addr.preferred_lft = Some(ci.ifa_prefered.get());
                        addr.valid_lft = Some(ci.ifa_valid.get());
                        addr.created = Some(ci.cstamp.get());
                        addr.updated = Some(ci.tstamp.get());
                    }
                    IFA_PROTO => addr.protocol = Some(a.u8()?),
                    IFA_RT_PRIORITY => addr.metric = Some(a.u32()?),
                    _ => {}
                }
                Ok(())
            })?;
            // Every address message carries one of the two.
            let missing = DecodeError {
                attr: Some(IFA_ADDRESS),
                error: nl_wire::Error::PayloadLen {
                    ty: IFA_ADDRESS,
                    need: 4,
                    have: 0,
                    offset: 0,
                },
            };
            let this_end = local.or(address).ok_or(missing)?;
            addr.prefix = IpNet::new(this_end, hdr.ifa_prefixlen)
                .map_err(|_| nl_wire::Error::Invalid { ty: IFA_ADDRESS })?;
            if local.is_some() {
                addr.peer = address.filter(|a| Some(*a) != local);
            }
            Ok(addr)
        })
    }

    fn write(&self, buf: &mut Vec<u8>, ty: u16, flags: u16) -> Result<()> {
        if let Some(peer) = self.peer {
            if peer.is_ipv4() != self.prefix.addr().is_ipv4() {
                return Err(Error::invalid("peer", "of another address family"));
            }
        }
        if self.broadcast.is_some() && self.family() != AF_INET {
            return Err(Error::invalid("broadcast", "only IPv4 addresses have one"));
        }
        if let Some(label) = &self.label {
            if label.len() > 15 {
                return Err(Error::invalid(
                    "label",
                    "longer than 15 bytes (IFNAMSIZ - 1)",
                ));
            }
        }
        let mut m = MsgBuilder::new(buf, ty, NLM_F_REQUEST | NLM_F_ACK | flags);
        m.header(&IfAddrMsg {
            ifa_family: self.family(),
            ifa_prefixlen: self.prefix.prefix_len(),
            ifa_flags: (self.flags.bits() & 0xff) as u8,
            ifa_scope: self.scope.into(),
            ifa_index: self.index.into(),
        });
        let ip = self.prefix.addr();
        m.put_ip(IFA_LOCAL, ip);
        m.put_ip(IFA_ADDRESS, self.peer.unwrap_or(ip));
        if let Some(b) = self.broadcast {
            m.put_ipv4(IFA_BROADCAST, b);
        }
        if let Some(a) = self.anycast {
            m.put_ip(IFA_ANYCAST, a);
        }
        if let Some(l) = &self.label {
            m.put_str(IFA_LABEL, l);
        }
        if !self.flags.is_empty() {
            m.put_u32(IFA_FLAGS, self.flags.bits());
        }
        if self.valid_lft.is_some() || self.preferred_lft.is_some() {
            let valid = self.valid_lft.unwrap_or(u32::MAX);
            let preferred = self.preferred_lft.unwrap_or(valid);
            if preferred > valid {
                return Err(Error::invalid("preferred_lft", "greater than valid_lft"));
            }
            m.put(
                IFA_CACHEINFO,
                &IfaCacheinfo {
                    ifa_prefered: preferred.into(),
                    ifa_valid: valid.into(),
                    ..IfaCacheinfo::default()
                },
            );
        }
        if let Some(p) = self.protocol {
            m.put_u8(IFA_PROTO, p);
        }
        if let Some(p) = self.metric {
            m.put_u32(IFA_RT_PRIORITY, p);
        }
        m.finish().map_err(Error::Build)?;
        Ok(())
    }

    /// Writes an RTM_NEWADDR that adds the address (`ip addr add`: an
    /// existing one is an error).
    pub fn write_add(&self, buf: &mut Vec<u8>) -> Result<()> {
        self.write(buf, RTM_NEWADDR, NLM_F_CREATE | NLM_F_EXCL)
    }

    /// Writes an RTM_NEWADDR that adds or updates it (`ip addr replace`).
    pub fn write_replace(&self, buf: &mut Vec<u8>) -> Result<()> {
        self.write(buf, RTM_NEWADDR, NLM_F_CREATE | NLM_F_REPLACE)
    }

    /// Writes an RTM_DELADDR.
    pub fn write_del(&self, buf: &mut Vec<u8>) -> Result<()> {
        self.write(buf, RTM_DELADDR, 0)
    }
}

fn parse_prefix(s: &str) -> Result<IpNet> {
    Ok(crate::parse_prefix(s)?)
}

impl FromStr for Addr {
    type Err = Error;

    /// `ADDR/LEN [LABEL]`, like the Go library's `ParseAddr`.
    fn from_str(s: &str) -> Result<Self> {
        Addr::parse_with_label(s)
    }
}

/// An address dump request, filtered by family and link (by the kernel
/// under strict checking).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct AddrDump {
    /// `AF_INET`, `AF_INET6`, or 0 for both.
    pub family: u8,
    /// Only addresses of this link.
    pub index: Option<u32>,
}

impl AddrDump {
    /// Writes the RTM_GETADDR dump request.
    pub fn write(&self, buf: &mut Vec<u8>) -> Result<()> {
        let mut m = MsgBuilder::new(buf, RTM_GETADDR, NLM_F_REQUEST | NLM_F_DUMP);
        m.header(&IfAddrMsg {
            ifa_family: self.family,
            ifa_index: self.index.unwrap_or(0).into(),
            ..IfAddrMsg::default()
        });
        m.finish().map_err(Error::Build)?;
        Ok(())
    }

    /// Whether a parsed address passes the filters.
    pub fn matches(&self, addr: &Addr) -> bool {
        (self.family == 0 || addr.family() == self.family)
            && self.index.is_none_or(|i| addr.index == i)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn round_trip(a: &Addr) -> Addr {
        let mut buf = Vec::new();
        a.write_add(&mut buf).unwrap();
        Addr::parse(&Msg::parse(&buf).unwrap().0).unwrap()
    }

    #[test]
    fn ipv4_with_everything() {
        let mut a = Addr::new(3, "192.0.2.1/24".parse().unwrap());
        a.broadcast = Some("192.0.2.255".parse().unwrap());
        a.label = Some("eth0:web".into());
        a.flags = AddrFlags::NOPREFIXROUTE | AddrFlags::NODAD;
        a.valid_lft = Some(600);
        a.preferred_lft = Some(300);
        a.protocol = Some(4);
        a.metric = Some(50);
        a.scope = Scope::Link;
        let b = round_trip(&a);
        assert_eq!(b.prefix, a.prefix);
        assert_eq!(b.peer, None);
        assert_eq!(b.broadcast, a.broadcast);
        assert_eq!(b.label, a.label);
        assert_eq!(b.flags, a.flags);
        assert_eq!((b.valid_lft, b.preferred_lft), (Some(600), Some(300)));
        assert_eq!(
            (b.protocol, b.metric, b.scope, b.index),
            (Some(4), Some(50), Scope::Link, 3)
        );
    }

    #[test]
    fn point_to_point_peer() {
        let mut a = Addr::new(2, "192.0.2.1/32".parse().unwrap());
        a.peer = Some("192.0.2.2".parse().unwrap());
        assert_eq!(round_trip(&a).peer, a.peer);
        let mut bad = a.clone();
        bad.peer = Some("2001:db8::1".parse().unwrap());
        assert!(bad.write_add(&mut Vec::new()).is_err());
    }

    #[test]
    fn ipv6() {
        let a = Addr::new(1, "2001:db8::1/64".parse().unwrap());
        let b = round_trip(&a);
        assert_eq!(b.prefix, a.prefix);
        assert_eq!(b.family(), AF_INET6);
        let mut bad = a;
        bad.broadcast = Some(Ipv4Addr::LOCALHOST);
        assert!(bad.write_add(&mut Vec::new()).is_err());
    }

    #[test]
    fn parse_addr_like_go() {
        let a: Addr = "169.254.169.254/32".parse().unwrap();
        assert_eq!(a.prefix, "169.254.169.254/32".parse::<IpNet>().unwrap());
        let a: Addr = "2001:db8::5".parse().unwrap();
        assert_eq!(a.prefix.prefix_len(), 128);
        assert!("nonsense".parse::<Addr>().is_err());
        assert!("192.0.2.1/33".parse::<Addr>().is_err());
        assert!("192.0.2.1/24 a b".parse::<Addr>().is_err());
        let a: Addr = "192.0.2.1/24".parse().unwrap();
        assert_eq!(a.computed_broadcast(), Some("192.0.2.255".parse().unwrap()));
    }

    #[test]
    fn display_reads_like_ip() {
        let mut a = Addr::new(2, "192.0.2.1/24".parse().unwrap());
        a.broadcast = a.computed_broadcast();
        a.label = Some("eth0".into());
        assert_eq!(
            a.to_string(),
            "inet 192.0.2.1/24 brd 192.0.2.255 scope global eth0"
        );
        assert_eq!(AddrFlags::SECONDARY.names(AF_INET6), ["temporary"]);
    }
}
