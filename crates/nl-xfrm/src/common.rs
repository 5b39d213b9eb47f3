//! Pieces states and policies share: protocols, modes, selectors,
//! lifetimes, marks, security contexts, and the 16-byte `xfrm_address_t`.

use core::fmt;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use ipnet::IpNet;

use crate::error::{Error, Result};
use crate::uapi::*;
use crate::{AF_INET, AF_INET6, AF_UNSPEC};

nl_wire::kernel_enum! {
    /// The IPsec protocol of a state or template (`IPPROTO_*`).
    #[derive(Default)]
    pub enum Proto: u8, "proto", crate::Error {
        /// Encapsulating Security Payload.
        #[default]
        Esp = IPPROTO_ESP => "esp",
        /// Authentication Header.
        Ah = IPPROTO_AH => "ah",
        /// IP payload compression.
        Comp = IPPROTO_COMP => "comp",
        /// Mobile IPv6 routing header type 2.
        Route2 = IPPROTO_ROUTING => "route2",
        /// Mobile IPv6 home address option.
        Hao = IPPROTO_DSTOPTS => "hao",
        /// IPv4-in-IP tunnel (the state paired with ipcomp).
        IpIp = IPPROTO_IPIP => "ipip",
        /// IPv6-in-IP tunnel.
        Ipv6 = IPPROTO_IPV6 => "ipv6",
    }
}

nl_wire::kernel_enum! {
    /// `XFRM_MODE_*`.
    #[derive(Default)]
    pub enum Mode: u8, "mode", crate::Error {
        /// Transport mode.
        #[default]
        Transport = XFRM_MODE_TRANSPORT => "transport",
        /// Tunnel mode.
        Tunnel = XFRM_MODE_TUNNEL => "tunnel",
        /// Route optimization (Mobile IPv6).
        Ro = XFRM_MODE_ROUTEOPTIMIZATION => "ro",
        /// In-trigger (Mobile IPv6).
        InTrigger = XFRM_MODE_IN_TRIGGER => "in_trigger",
        /// Bound end-to-end tunnel.
        Beet = XFRM_MODE_BEET => "beet",
    }
}

/// Reads an `xfrm_address_t` of `family`: IPv4 in the first 4 bytes.
pub(crate) fn addr_from(raw: &[u8; 16], family: u16) -> IpAddr {
    if family == u16::from(AF_INET6) {
        IpAddr::V6(Ipv6Addr::from(*raw))
    } else {
        IpAddr::V4(Ipv4Addr::new(raw[0], raw[1], raw[2], raw[3]))
    }
}

/// Writes an address as `xfrm_address_t`.
pub(crate) fn addr_to(addr: &IpAddr) -> [u8; 16] {
    let mut raw = [0u8; 16];
    match addr {
        IpAddr::V4(a) => {
            if let Some(d) = raw.get_mut(..4) {
                d.copy_from_slice(&a.octets());
            }
        }
        IpAddr::V6(a) => raw = a.octets(),
    }
    raw
}

/// `AF_INET` or `AF_INET6` of an address.
pub fn family_of(addr: &IpAddr) -> u16 {
    u16::from(if addr.is_ipv4() { AF_INET } else { AF_INET6 })
}

/// The traffic a state or policy applies to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Selector {
    /// `AF_INET`, `AF_INET6` or 0 (any).
    pub family: u16,
    /// Source prefix.
    pub src: IpNet,
    /// Destination prefix.
    pub dst: IpNet,
    /// Source port and the mask it is compared under (0/0: any).
    pub sport: u16,
    /// Mask of `sport`.
    pub sport_mask: u16,
    /// Destination port (or ICMP type/code, as iproute2 encodes them).
    pub dport: u16,
    /// Mask of `dport`.
    pub dport_mask: u16,
    /// Upper-layer protocol (0: any).
    pub proto: u8,
    /// Interface index (0: any).
    pub ifindex: i32,
    /// User id (0: any).
    pub user: u32,
}

impl Default for Selector {
    fn default() -> Self {
        let any = IpNet::new(IpAddr::V4(Ipv4Addr::UNSPECIFIED), 0).unwrap_or_default();
        Selector {
            family: u16::from(AF_UNSPEC),
            src: any,
            dst: any,
            sport: 0,
            sport_mask: 0,
            dport: 0,
            dport_mask: 0,
            proto: 0,
            ifindex: 0,
            user: 0,
        }
    }
}

impl Selector {
    /// A selector for traffic from `src` to `dst` (both of one family).
    pub fn new(src: IpNet, dst: IpNet) -> Self {
        Selector {
            family: family_of(&src.addr()),
            src,
            dst,
            ..Selector::default()
        }
    }

    /// Sets the upper-layer protocol and ports (masks all ones when the
    /// port is not 0).
    #[must_use]
    pub fn ports(mut self, proto: u8, sport: u16, dport: u16) -> Self {
        self.proto = proto;
        self.sport = sport;
        self.sport_mask = if sport == 0 { 0 } else { u16::MAX };
        self.dport = dport;
        self.dport_mask = if dport == 0 { 0 } else { u16::MAX };
        self
    }

    pub(crate) fn from_raw(s: &XfrmSelector) -> Self {
        let family = s.family.get();
        let net = |raw: &[u8; 16], len: u8| {
            let addr = addr_from(raw, family);
            IpNet::new(addr, len).unwrap_or_else(|_| IpNet::from(addr))
        };
        Selector {
            family,
            src: net(&s.saddr, s.prefixlen_s),
            dst: net(&s.daddr, s.prefixlen_d),
            sport: s.sport.get(),
            sport_mask: s.sport_mask.get(),
            dport: s.dport.get(),
            dport_mask: s.dport_mask.get(),
            proto: s.proto,
            ifindex: s.ifindex.get(),
            user: s.user.get(),
        }
    }

    pub(crate) fn to_raw(self) -> Result<XfrmSelector> {
        if self.family != u16::from(AF_UNSPEC)
            && (family_of(&self.src.addr()) != self.family
                || family_of(&self.dst.addr()) != self.family)
        {
            return Err(Error::invalid(
                "selector",
                "src and dst must be of the selector's family",
            ));
        }
        Ok(XfrmSelector {
            daddr: addr_to(&self.dst.addr()),
            saddr: addr_to(&self.src.addr()),
            dport: self.dport.into(),
            dport_mask: self.dport_mask.into(),
            sport: self.sport.into(),
            sport_mask: self.sport_mask.into(),
            family: self.family.into(),
            prefixlen_d: self.dst.prefix_len(),
            prefixlen_s: self.src.prefix_len(),
            proto: self.proto,
            _pad: [0; 3],
            ifindex: self.ifindex.into(),
            user: self.user.into(),
        })
    }
}

impl fmt::Display for Selector {
    /// `src 192.0.2.0/24 dst 198.51.100.0/24 proto tcp sport 80`, as
    /// `ip xfrm` prints a selector.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "src {} dst {}", self.src, self.dst)?;
        if self.proto != 0 {
            match self.proto {
                6 => f.write_str(" proto tcp")?,
                17 => f.write_str(" proto udp")?,
                1 => f.write_str(" proto icmp")?,
                58 => f.write_str(" proto ipv6-icmp")?,
                p => write!(f, " proto {p}")?,
            }
        }
        if self.sport_mask != 0 {
            write!(f, " sport {}", self.sport)?;
        }
        if self.dport_mask != 0 {
            write!(f, " dport {}", self.dport)?;
        }
        if self.ifindex != 0 {
            write!(f, " dev {}", self.ifindex)?;
        }
        Ok(())
    }
}

/// Soft and hard limits after which a state or policy expires.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Lifetime {
    /// Bytes before a soft expire (`u64::MAX`: no limit).
    pub soft_bytes: u64,
    /// Bytes before a hard expire.
    pub hard_bytes: u64,
    /// Packets before a soft expire.
    pub soft_packets: u64,
    /// Packets before a hard expire.
    pub hard_packets: u64,
    /// Seconds after creation before a soft expire (0: none).
    pub soft_add_expires: u64,
    /// Seconds after creation before a hard expire.
    pub hard_add_expires: u64,
    /// Seconds after first use before a soft expire.
    pub soft_use_expires: u64,
    /// Seconds after first use before a hard expire.
    pub hard_use_expires: u64,
}

impl Default for Lifetime {
    /// No limits, as iproute2 sends when none are given.
    fn default() -> Self {
        Lifetime {
            soft_bytes: XFRM_INF,
            hard_bytes: XFRM_INF,
            soft_packets: XFRM_INF,
            hard_packets: XFRM_INF,
            soft_add_expires: 0,
            hard_add_expires: 0,
            soft_use_expires: 0,
            hard_use_expires: 0,
        }
    }
}

impl Lifetime {
    pub(crate) fn from_raw(l: &XfrmLifetimeCfg) -> Self {
        Lifetime {
            soft_bytes: l.soft_byte_limit.get(),
            hard_bytes: l.hard_byte_limit.get(),
            soft_packets: l.soft_packet_limit.get(),
            hard_packets: l.hard_packet_limit.get(),
            soft_add_expires: l.soft_add_expires_seconds.get(),
            hard_add_expires: l.hard_add_expires_seconds.get(),
            soft_use_expires: l.soft_use_expires_seconds.get(),
            hard_use_expires: l.hard_use_expires_seconds.get(),
        }
    }

    pub(crate) fn to_raw(self) -> XfrmLifetimeCfg {
        XfrmLifetimeCfg {
            soft_byte_limit: self.soft_bytes.into(),
            hard_byte_limit: self.hard_bytes.into(),
            soft_packet_limit: self.soft_packets.into(),
            hard_packet_limit: self.hard_packets.into(),
            soft_add_expires_seconds: self.soft_add_expires.into(),
            hard_add_expires_seconds: self.hard_add_expires.into(),
            soft_use_expires_seconds: self.soft_use_expires.into(),
            hard_use_expires_seconds: self.hard_use_expires.into(),
        }
    }
}

/// What a state or policy has used so far (read only).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct LifetimeCurrent {
    /// Bytes processed.
    pub bytes: u64,
    /// Packets processed.
    pub packets: u64,
    /// When it was added (Unix seconds).
    pub add_time: u64,
    /// When it was first used (Unix seconds, 0: never).
    pub use_time: u64,
}

impl LifetimeCurrent {
    pub(crate) fn from_raw(c: &XfrmLifetimeCur) -> Self {
        LifetimeCurrent {
            bytes: c.bytes.get(),
            packets: c.packets.get(),
            add_time: c.add_time.get(),
            use_time: c.use_time.get(),
        }
    }

    pub(crate) fn to_raw(self) -> XfrmLifetimeCur {
        XfrmLifetimeCur {
            bytes: self.bytes.into(),
            packets: self.packets.into(),
            add_time: self.add_time.into(),
            use_time: self.use_time.into(),
        }
    }
}

/// A firewall mark and the mask it is compared under.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Mark {
    /// The value.
    pub value: u32,
    /// The mask (`u32::MAX`: exact).
    pub mask: u32,
}

impl Mark {
    /// An exact mark.
    pub fn new(value: u32) -> Self {
        Mark {
            value,
            mask: u32::MAX,
        }
    }

    pub(crate) fn from_raw(m: &XfrmMark) -> Self {
        Mark {
            value: m.v.get(),
            mask: m.m.get(),
        }
    }

    pub(crate) fn to_raw(self) -> XfrmMark {
        XfrmMark {
            v: self.value.into(),
            m: self.mask.into(),
        }
    }
}

/// A security context (`XFRMA_SEC_CTX`), such as an SELinux label.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct SecCtx {
    /// `ctx_alg` (1: SELinux).
    pub alg: u8,
    /// `ctx_doi` (1: LSM).
    pub doi: u8,
    /// The context string's bytes.
    pub ctx: Vec<u8>,
}

impl SecCtx {
    pub(crate) fn parse(payload: &[u8]) -> Self {
        let head: XfrmUserSecCtx = nl_wire_read(payload);
        let len = usize::from(head.ctx_len.get());
        let ctx = payload.get(8..).unwrap_or_default();
        SecCtx {
            alg: head.ctx_alg,
            doi: head.ctx_doi,
            ctx: ctx.get(..len.min(ctx.len())).unwrap_or_default().to_vec(),
        }
    }

    pub(crate) fn to_bytes(&self) -> Result<Vec<u8>> {
        let ctx_len = u16::try_from(self.ctx.len())
            .map_err(|_| Error::invalid("security context", "longer than 65535 bytes"))?;
        let total = ctx_len
            .checked_add(8)
            .ok_or_else(|| Error::invalid("security context", "too long"))?;
        let head = XfrmUserSecCtx {
            len: total.into(),
            exttype: 8u16.into(), // XFRMA_SEC_CTX, as iproute2 fills it
            ctx_alg: self.alg,
            ctx_doi: self.doi,
            ctx_len: ctx_len.into(),
        };
        let mut out = zerocopy::IntoBytes::as_bytes(&head).to_vec();
        out.extend_from_slice(&self.ctx);
        Ok(out)
    }
}

/// Appends `XFRMA_MARK` and `XFRMA_IF_ID` when set: the two attributes
/// that narrow every lookup of a state or policy.
pub(crate) fn put_mark_if_id(
    m: &mut nl_wire::MsgBuilder<'_>,
    mark: Option<Mark>,
    if_id: Option<u32>,
) {
    if let Some(mark) = mark {
        m.put(XFRMA_MARK, &mark.to_raw());
    }
    if let Some(id) = if_id {
        m.put_u32(XFRMA_IF_ID, id);
    }
}

/// Reads a fixed struct tolerantly from any bytes (zero-filled if short).
pub(crate) fn nl_wire_read<T: zerocopy::FromBytes + zerocopy::IntoBytes>(bytes: &[u8]) -> T {
    let mut value = T::new_zeroed();
    let dst = value.as_mut_bytes();
    let n = dst.len().min(bytes.len());
    if let (Some(d), Some(s)) = (dst.get_mut(..n), bytes.get(..n)) {
        d.copy_from_slice(s);
    }
    value
}
