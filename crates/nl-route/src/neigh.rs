//! Neighbours (ARP / NDP entries) and bridge FDB entries:
//! RTM_NEWNEIGH / DELNEIGH / GETNEIGH.
//!
//! [`Neigh`] is the owned object for both: an `AF_INET` / `AF_INET6`
//! neighbour has an IP address and a link-layer address; an `AF_BRIDGE`
//! entry (`bridge fdb`) has a MAC address, and for VXLAN devices a remote
//! IP, VNI and port. [`NeighDump`] asks for a table with the filters the
//! kernel applies itself (device, master, proxy entries).

use std::net::IpAddr;
use std::str::FromStr;

use bitflags::bitflags;
use nl_wire::netlink::{
    NLM_F_ACK, NLM_F_APPEND, NLM_F_CREATE, NLM_F_DUMP, NLM_F_EXCL, NLM_F_REPLACE, NLM_F_REQUEST,
};
use nl_wire::{Attr, HwAddr, Msg, MsgBuilder};

use crate::error::{Error, Result, parse_msg};
use crate::route::RouteProtocol;
use crate::uapi::neighbour::*;
use crate::uapi::rtnetlink::{RTM_DELNEIGH, RTM_GETNEIGH, RTM_NEWNEIGH};
use crate::uapi::types::{NdMsg, NdaCacheinfo};
use crate::{AF_BRIDGE, AF_INET, AF_INET6};

bitflags! {
    /// `NUD_*`: the state of a neighbour entry (`nud` in `ip neigh`).
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
    pub struct NeighState: u16 {
        /// Resolution in progress.
        const INCOMPLETE = NUD_INCOMPLETE;
        /// Confirmed working.
        const REACHABLE = NUD_REACHABLE;
        /// Valid but unconfirmed.
        const STALE = NUD_STALE;
        /// Waiting before probing.
        const DELAY = NUD_DELAY;
        /// Probing.
        const PROBE = NUD_PROBE;
        /// Resolution failed.
        const FAILED = NUD_FAILED;
        /// No resolution needed (static in the FDB).
        const NOARP = NUD_NOARP;
        /// Set by the administrator, never expires.
        const PERMANENT = NUD_PERMANENT;
        // Keep bits the library does not name.
        const _ = !0;
    }
}

impl NeighState {
    const NAMES: [(NeighState, &'static str); 8] = [
        (NeighState::INCOMPLETE, "INCOMPLETE"),
        (NeighState::REACHABLE, "REACHABLE"),
        (NeighState::STALE, "STALE"),
        (NeighState::DELAY, "DELAY"),
        (NeighState::PROBE, "PROBE"),
        (NeighState::FAILED, "FAILED"),
        (NeighState::NOARP, "NOARP"),
        (NeighState::PERMANENT, "PERMANENT"),
    ];

    /// The words `ip neigh` prints, in its order (`REACHABLE`, ...).
    pub fn names(&self) -> Vec<&'static str> {
        Self::NAMES
            .iter()
            .filter(|(s, _)| self.contains(*s))
            .map(|(_, n)| *n)
            .collect()
    }
}

impl FromStr for NeighState {
    type Err = Error;
    /// `ip neigh`'s `nud` words (`permanent`, `noarp`, `reachable`, `stale`,
    /// `none`, `incomplete`, `delay`, `probe`, `failed`) or a number.
    fn from_str(s: &str) -> Result<Self> {
        if s.eq_ignore_ascii_case("none") {
            return Ok(NeighState::empty());
        }
        if let Some(n) = s
            .strip_prefix("0x")
            .and_then(|h| u16::from_str_radix(h, 16).ok())
        {
            return Ok(NeighState::from_bits_retain(n));
        }
        if let Ok(n) = s.parse::<u16>() {
            return Ok(NeighState::from_bits_retain(n));
        }
        Self::NAMES
            .iter()
            .find(|(_, n)| n.eq_ignore_ascii_case(s))
            .map(|(v, _)| *v)
            .ok_or(Error::invalid("nud", "not a neighbour state"))
    }
}

bitflags! {
    /// `NTF_*`: flags of a neighbour entry (`ndm_flags`).
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
    pub struct NeighFlags: u8 {
        /// Mark the entry used (FDB refresh).
        const USE = NTF_USE;
        /// The device's own table (`bridge fdb ... self`).
        const SELF = NTF_SELF;
        /// The master's table (`bridge fdb ... master`).
        const MASTER = NTF_MASTER;
        /// A proxy entry (`ip neigh ... proxy`).
        const PROXY = NTF_PROXY;
        /// Learned by an external agent (`extern_learn`).
        const EXT_LEARNED = NTF_EXT_LEARNED;
        /// Offloaded to hardware.
        const OFFLOADED = NTF_OFFLOADED;
        /// An FDB entry that never moves to another port (`sticky`).
        const STICKY = NTF_STICKY;
        /// The neighbour is a router (IPv6).
        const ROUTER = NTF_ROUTER;
        // Keep bits the library does not name.
        const _ = !0;
    }
}

bitflags! {
    /// `NDA_FLAGS_EXT`: flags that did not fit in `ndm_flags`.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
    pub struct NeighFlagsExt: u32 {
        /// Kept resolved by the kernel (`managed`).
        const MANAGED = NTF_EXT_MANAGED as u32;
        /// A locked bridge port's entry (Linux 6.2).
        const LOCKED = crate::uapi::newer::NTF_EXT_LOCKED;
        // Keep bits the library does not name.
        const _ = !0;
    }
}

/// `NDA_CACHEINFO`, in clock ticks (`USER_HZ`, 100 a second) ago.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct NeighCacheInfo {
    /// Last confirmed.
    pub confirmed: u32,
    /// Last used.
    pub used: u32,
    /// Last updated.
    pub updated: u32,
    /// References.
    pub refcnt: u32,
}

/// A neighbour or an FDB entry.
///
/// ```
/// use nl_route::neigh::{Neigh, NeighState};
/// let n = Neigh::new(2, "192.0.2.2".parse().unwrap())
///     .lladdr("02:00:00:00:00:02".parse().unwrap())
///     .state(NeighState::PERMANENT);
/// let mut buf = Vec::new();
/// n.write_add(&mut buf)?;
/// let back = Neigh::parse(&nl_wire::Msg::parse(&buf).unwrap().0)?;
/// assert_eq!(back, n);
/// # Ok::<(), nl_route::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Neigh {
    /// `AF_INET`, `AF_INET6` or `AF_BRIDGE` (FDB).
    pub family: u8,
    /// The device (`ndm_ifindex`).
    pub ifindex: u32,
    /// `NDA_DST`: the neighbour's IP; for VXLAN FDB entries, the remote.
    pub dst: Option<IpAddr>,
    /// `NDA_LLADDR`: link-layer address (the MAC of an FDB entry).
    pub lladdr: Option<HwAddr>,
    /// `NUD_*`.
    pub state: NeighState,
    /// `NTF_*`.
    pub flags: NeighFlags,
    /// `NDA_FLAGS_EXT`.
    pub flags_ext: NeighFlagsExt,
    /// `ndm_type` (`RTN_*`; the kernel reports unicast, multicast ...).
    pub neigh_type: u8,
    /// `NDA_VLAN` (FDB; the kernel leaves out VLAN 0, which is no VLAN).
    pub vlan: Option<u16>,
    /// `NDA_VNI` (VXLAN FDB). The kernel leaves out a VNI equal to the
    /// device's own, so such an entry reads back `None`: the device's VNI.
    pub vni: Option<u32>,
    /// `NDA_SRC_VNI` (VXLAN collect-metadata FDB).
    pub src_vni: Option<u32>,
    /// `NDA_PORT` (VXLAN FDB; network order on the wire). Left out, and
    /// read back `None`, when 0 or equal to the device's destination port.
    pub port: Option<u16>,
    /// `NDA_MASTER`: the bridge of an FDB entry.
    pub master: Option<u32>,
    /// `NDA_IFINDEX`: the VXLAN FDB entry's outgoing device (`via`).
    pub via_ifindex: Option<u32>,
    /// `NDA_LINK_NETNSID`.
    pub link_netnsid: Option<i32>,
    /// `NDA_CACHEINFO`.
    pub cache_info: Option<NeighCacheInfo>,
    /// `NDA_PROBES`.
    pub probes: Option<u32>,
    /// `NDA_PROTOCOL`: who installed it. The kernel leaves out 0
    /// (unspecified), so `Some(0)` reads back `None`, the same request.
    pub protocol: Option<RouteProtocol>,
    /// `NDA_NH_ID`: nexthop object of a VXLAN FDB entry.
    pub nh_id: Option<u32>,
}

fn family_of(a: &IpAddr) -> u8 {
    if a.is_ipv4() { AF_INET } else { AF_INET6 }
}

impl Neigh {
    /// A neighbour `dst` on link `ifindex`, of `dst`'s family.
    pub fn new(ifindex: u32, dst: IpAddr) -> Self {
        Neigh {
            family: family_of(&dst),
            ifindex,
            dst: Some(dst),
            ..Neigh::default()
        }
    }

    /// A bridge FDB entry for `mac` on port (or VXLAN device) `ifindex`,
    /// in the master's table, static.
    pub fn fdb(ifindex: u32, mac: HwAddr) -> Self {
        Neigh {
            family: AF_BRIDGE,
            ifindex,
            lladdr: Some(mac),
            state: NeighState::NOARP,
            flags: NeighFlags::MASTER,
            ..Neigh::default()
        }
    }

    /// A proxy entry (`ip neigh add proxy DST dev X`).
    pub fn proxy(ifindex: u32, dst: IpAddr) -> Self {
        Neigh {
            flags: NeighFlags::PROXY,
            ..Neigh::new(ifindex, dst)
        }
    }

    /// Sets the link-layer address.
    #[must_use]
    pub fn lladdr(mut self, lladdr: HwAddr) -> Self {
        self.lladdr = Some(lladdr);
        self
    }

    /// Sets the state.
    #[must_use]
    pub fn state(mut self, state: NeighState) -> Self {
        self.state = state;
        self
    }

    /// Adds flags.
    #[must_use]
    pub fn flags(mut self, flags: NeighFlags) -> Self {
        self.flags |= flags;
        self
    }

    /// Whether this is a proxy entry.
    pub fn is_proxy(&self) -> bool {
        self.flags.contains(NeighFlags::PROXY)
    }

    /// Parses an RTM_NEWNEIGH (or RTM_DELNEIGH) message.
    pub fn parse(msg: &Msg<'_>) -> Result<Self> {
        let hdr: NdMsg = msg.family_header();
        let mut n = Neigh {
            family: hdr.ndm_family,
            ifindex: u32::try_from(hdr.ndm_ifindex.get()).unwrap_or(0),
            state: NeighState::from_bits_retain(hdr.ndm_state.get()),
            flags: NeighFlags::from_bits_retain(hdr.ndm_flags),
            neigh_type: hdr.ndm_type,
            ..Neigh::default()
        };
        parse_msg(msg, || {
            msg.attrs::<NdMsg>().decode(|a| n.parse_attr(&a))?;
            Ok(n)
        })
    }

    fn parse_attr(&mut self, a: &Attr<'_>) -> nl_wire::Result<()> {
        match a.ty() {
            NDA_DST => self.dst = Some(a.ip()?),
            NDA_LLADDR => self.lladdr = Some(a.hwaddr()?),
            NDA_CACHEINFO => {
                let c: NdaCacheinfo = a.read();
                self.cache_info = Some(NeighCacheInfo {
                    confirmed: c.ndm_confirmed.get(),
                    used: c.ndm_used.get(),
                    updated: c.ndm_updated.get(),
                    refcnt: c.ndm_refcnt.get(),
                });
            }
            NDA_PROBES => self.probes = Some(a.u32()?),
            NDA_VLAN => self.vlan = Some(a.u16()?),
            NDA_PORT => self.port = Some(a.be16()?),
            NDA_VNI => self.vni = Some(a.u32()?),
            NDA_SRC_VNI => self.src_vni = Some(a.u32()?),
            NDA_IFINDEX => self.via_ifindex = Some(a.u32()?),
            NDA_MASTER => self.master = Some(a.u32()?),
            NDA_LINK_NETNSID => self.link_netnsid = Some(a.i32()?),
            NDA_PROTOCOL => self.protocol = Some(RouteProtocol(a.u8()?)),
            NDA_NH_ID => self.nh_id = Some(a.u32()?),
            NDA_FLAGS_EXT => self.flags_ext = NeighFlagsExt::from_bits_retain(a.u32()?),
            _ => {}
        }
        Ok(())
    }

    fn validate(&self) -> Result<()> {
        if self.ifindex == 0 || i32::try_from(self.ifindex).is_err() {
            return Err(Error::invalid("ifindex", "a neighbour needs a device"));
        }
        match self.family {
            AF_INET | AF_INET6 => match &self.dst {
                Some(d) if family_of(d) == self.family => {}
                Some(_) => {
                    return Err(Error::invalid(
                        "dst",
                        "of another address family than the entry",
                    ));
                }
                None => return Err(Error::invalid("dst", "a neighbour needs an address")),
            },
            AF_BRIDGE => {
                if self.lladdr.is_none() {
                    return Err(Error::invalid("lladdr", "an FDB entry needs a MAC address"));
                }
            }
            _ => {
                return Err(Error::invalid(
                    "family",
                    "not AF_INET, AF_INET6 or AF_BRIDGE",
                ));
            }
        }
        if self.vlan.is_some_and(|v| v == 0 || v >= 4095) {
            return Err(Error::invalid("vlan", "must be 1..=4094"));
        }
        if self.vni.is_some_and(|v| v > 0xff_ffff) || self.src_vni.is_some_and(|v| v > 0xff_ffff) {
            return Err(Error::invalid("vni", "must be below 2^24"));
        }
        Ok(())
    }

    fn write(&self, buf: &mut Vec<u8>, ty: u16, flags: u16) -> Result<()> {
        self.validate()?;
        let mut m = MsgBuilder::new(buf, ty, NLM_F_REQUEST | NLM_F_ACK | flags);
        m.header(&NdMsg {
            ndm_family: self.family,
            ndm_ifindex: i32::try_from(self.ifindex).unwrap_or(0).into(),
            ndm_state: self.state.bits().into(),
            ndm_flags: self.flags.bits(),
            ndm_type: self.neigh_type,
            ..NdMsg::default()
        });
        if let Some(d) = self.dst {
            m.put_ip(NDA_DST, d);
        }
        if let Some(l) = &self.lladdr {
            m.put_hwaddr(NDA_LLADDR, l);
        }
        if let Some(v) = self.vlan {
            m.put_u16(NDA_VLAN, v);
        }
        if let Some(v) = self.port {
            m.put_be16(NDA_PORT, v);
        }
        if let Some(v) = self.vni {
            m.put_u32(NDA_VNI, v);
        }
        if let Some(v) = self.src_vni {
            m.put_u32(NDA_SRC_VNI, v);
        }
        if let Some(v) = self.via_ifindex {
            m.put_u32(NDA_IFINDEX, v);
        }
        if let Some(v) = self.master {
            m.put_u32(NDA_MASTER, v);
        }
        if let Some(v) = self.link_netnsid {
            m.put_i32(NDA_LINK_NETNSID, v);
        }
        if let Some(v) = self.probes {
            m.put_u32(NDA_PROBES, v);
        }
        if let Some(p) = self.protocol {
            m.put_u8(NDA_PROTOCOL, p.0);
        }
        if let Some(v) = self.nh_id {
            m.put_u32(NDA_NH_ID, v);
        }
        if !self.flags_ext.is_empty() {
            m.put_u32(NDA_FLAGS_EXT, self.flags_ext.bits());
        }
        if let Some(c) = self.cache_info {
            m.put(
                NDA_CACHEINFO,
                &NdaCacheinfo {
                    ndm_confirmed: c.confirmed.into(),
                    ndm_used: c.used.into(),
                    ndm_updated: c.updated.into(),
                    ndm_refcnt: c.refcnt.into(),
                },
            );
        }
        m.finish().map_err(Error::Build)?;
        Ok(())
    }

    /// `ip neigh add` / `bridge fdb add`: fails if the entry exists.
    pub fn write_add(&self, buf: &mut Vec<u8>) -> Result<()> {
        self.write(buf, RTM_NEWNEIGH, NLM_F_CREATE | NLM_F_EXCL)
    }

    /// `ip neigh replace` / `bridge fdb replace`: adds or overwrites.
    pub fn write_replace(&self, buf: &mut Vec<u8>) -> Result<()> {
        self.write(buf, RTM_NEWNEIGH, NLM_F_CREATE | NLM_F_REPLACE)
    }

    /// `ip neigh change`: overwrites an existing entry only.
    pub fn write_change(&self, buf: &mut Vec<u8>) -> Result<()> {
        self.write(buf, RTM_NEWNEIGH, NLM_F_REPLACE)
    }

    /// `bridge fdb append`: another remote for the same MAC (VXLAN).
    pub fn write_append(&self, buf: &mut Vec<u8>) -> Result<()> {
        self.write(buf, RTM_NEWNEIGH, NLM_F_CREATE | NLM_F_APPEND)
    }

    /// `ip neigh del` / `bridge fdb del`.
    pub fn write_del(&self, buf: &mut Vec<u8>) -> Result<()> {
        self.write(buf, RTM_DELNEIGH, 0)
    }
}

/// A neighbour or FDB dump request. The kernel applies the device and
/// master filters itself under strict checking and lists proxy entries
/// only when asked; [`NeighDump::matches`] checks the rest.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct NeighDump {
    /// `AF_INET`, `AF_INET6` (0: both), or `AF_BRIDGE` for the FDB.
    pub family: u8,
    /// Only entries on this device (`dev X`; for the FDB, `brport X`).
    pub ifindex: Option<u32>,
    /// Only entries on ports of this master (`master X`; `br X`).
    pub master: Option<u32>,
    /// List proxy entries instead of neighbours (`ip neigh show proxy`).
    pub proxy: bool,
    /// Only entries in one of these states (checked by the library).
    pub state: Option<NeighState>,
}

impl NeighDump {
    /// Writes the RTM_GETNEIGH dump request.
    pub fn write(&self, buf: &mut Vec<u8>) -> Result<()> {
        let mut m = MsgBuilder::new(buf, RTM_GETNEIGH, NLM_F_REQUEST | NLM_F_DUMP);
        // Strict checking: an FDB dump takes the port in the header, a
        // neighbour dump refuses a header ifindex and takes NDA_IFINDEX.
        let bridge = self.family == AF_BRIDGE;
        let port = if bridge {
            self.ifindex
                .and_then(|i| i32::try_from(i).ok())
                .unwrap_or(0)
        } else {
            0
        };
        m.header(&NdMsg {
            ndm_family: self.family,
            ndm_ifindex: port.into(),
            ndm_flags: if self.proxy && !bridge { NTF_PROXY } else { 0 },
            ..NdMsg::default()
        });
        if let (false, Some(i)) = (bridge, self.ifindex) {
            m.put_u32(NDA_IFINDEX, i);
        }
        if let Some(i) = self.master {
            m.put_u32(NDA_MASTER, i);
        }
        m.finish().map_err(Error::Build)?;
        Ok(())
    }

    /// Whether a parsed entry passes every filter.
    pub fn matches(&self, n: &Neigh) -> bool {
        (self.family == 0 || n.family == self.family)
            && self.ifindex.is_none_or(|i| n.ifindex == i)
            && (self.family == AF_BRIDGE || self.proxy == n.is_proxy())
            && self.state.is_none_or(|s| n.state.intersects(s))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn round_trip(n: &Neigh) -> Neigh {
        let mut buf = Vec::new();
        n.write_add(&mut buf).unwrap();
        Neigh::parse(&Msg::parse(&buf).unwrap().0).unwrap()
    }

    #[test]
    fn neighbour_and_fdb_round_trip() {
        let n = Neigh::new(3, "2001:db8::2".parse().unwrap())
            .lladdr("02:00:00:00:00:05".parse().unwrap())
            .state(NeighState::REACHABLE)
            .flags(NeighFlags::ROUTER | NeighFlags::EXT_LEARNED);
        assert_eq!(round_trip(&n), n);
        let mut f = Neigh::fdb(4, "00:00:00:00:00:00".parse().unwrap());
        f.flags = NeighFlags::SELF;
        f.state = NeighState::PERMANENT;
        f.dst = Some("198.51.100.1".parse().unwrap());
        f.vni = Some(100);
        f.port = Some(4790);
        f.via_ifindex = Some(2);
        f.vlan = Some(5);
        f.master = Some(9);
        f.protocol = Some(RouteProtocol::STATIC);
        f.nh_id = Some(7);
        f.flags_ext = NeighFlagsExt::MANAGED;
        f.src_vni = Some(3);
        assert_eq!(round_trip(&f), f);
    }

    #[test]
    fn port_is_network_order() {
        let mut f = Neigh::fdb(4, "02:00:00:00:00:01".parse().unwrap());
        f.port = Some(4789);
        let mut buf = Vec::new();
        f.write_add(&mut buf).unwrap();
        let (m, _) = Msg::parse(&buf).unwrap();
        let a = m.attrs::<NdMsg>().get(NDA_PORT).unwrap().unwrap();
        assert_eq!(a.payload(), &4789u16.to_be_bytes());
    }

    #[test]
    fn bad_requests_are_refused() {
        let mut n = Neigh::new(3, "192.0.2.1".parse().unwrap());
        n.family = AF_INET6;
        assert!(n.write_add(&mut Vec::new()).is_err());
        assert!(
            Neigh::new(0, "192.0.2.1".parse().unwrap())
                .write_add(&mut Vec::new())
                .is_err()
        );
        let mut f = Neigh::fdb(2, "02:00:00:00:00:01".parse().unwrap());
        f.lladdr = None;
        assert!(f.write_add(&mut Vec::new()).is_err());
        let mut f = Neigh::fdb(2, "02:00:00:00:00:01".parse().unwrap());
        f.vni = Some(1 << 24);
        assert!(f.write_add(&mut Vec::new()).is_err());
    }

    #[test]
    fn states_and_display() {
        assert_eq!(
            "permanent".parse::<NeighState>().unwrap(),
            NeighState::PERMANENT
        );
        assert_eq!("none".parse::<NeighState>().unwrap(), NeighState::empty());
        assert!("bogus".parse::<NeighState>().is_err());
        let s = NeighState::STALE | NeighState::NOARP;
        assert_eq!(s.names(), ["STALE", "NOARP"]);
        let n = Neigh::new(2, "192.0.2.3".parse().unwrap())
            .lladdr("02:00:00:00:00:03".parse().unwrap())
            .state(NeighState::REACHABLE)
            .flags(NeighFlags::ROUTER);
        assert_eq!(
            n.to_string(),
            "192.0.2.3 dev if2 lladdr 02:00:00:00:00:03 router REACHABLE"
        );
    }

    #[test]
    fn dump_requests_fit_strict_checking() {
        let d = NeighDump {
            family: AF_INET,
            ifindex: Some(3),
            proxy: true,
            ..NeighDump::default()
        };
        let mut buf = Vec::new();
        d.write(&mut buf).unwrap();
        let (m, _) = Msg::parse(&buf).unwrap();
        let h: NdMsg = m.family_header();
        assert_eq!((h.ndm_ifindex.get(), h.ndm_flags), (0, NTF_PROXY));
        assert_eq!(
            m.attrs::<NdMsg>()
                .get(NDA_IFINDEX)
                .unwrap()
                .unwrap()
                .u32()
                .unwrap(),
            3
        );
        let fdb = NeighDump {
            family: AF_BRIDGE,
            ifindex: Some(3),
            master: Some(4),
            ..NeighDump::default()
        };
        let mut buf = Vec::new();
        fdb.write(&mut buf).unwrap();
        let (m, _) = Msg::parse(&buf).unwrap();
        let h: NdMsg = m.family_header();
        assert_eq!(h.ndm_ifindex.get(), 3);
        assert!(d.matches(&Neigh::proxy(3, "192.0.2.1".parse().unwrap())));
        assert!(!d.matches(&Neigh::new(3, "192.0.2.1".parse().unwrap())));
    }
}
