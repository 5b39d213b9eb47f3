//! Routes: RTM_NEWROUTE / DELROUTE / GETROUTE.
//!
//! [`Route`] is the owned object (dump replies, notifications, `route get`
//! answers); [`RouteDump`] asks for a table with kernel-side filters;
//! [`RouteGet`] asks the kernel which route it would use.

use std::fmt;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use std::str::FromStr;

use bitflags::bitflags;
use ipnet::{IpNet, Ipv4Net, Ipv6Net};
use nl_wire::netlink::{
    NLM_F_ACK, NLM_F_APPEND, NLM_F_CREATE, NLM_F_DUMP, NLM_F_EXCL, NLM_F_REPLACE, NLM_F_REQUEST,
};
use nl_wire::{Attr, Attrs, Msg, MsgBuilder};

use crate::error::{Error, Result, parse_msg};
use crate::scope::Scope;
use crate::uapi::icmpv6::{
    ICMPV6_ROUTER_PREF_HIGH, ICMPV6_ROUTER_PREF_LOW, ICMPV6_ROUTER_PREF_MEDIUM,
};
use crate::uapi::rtnetlink::*;
use crate::uapi::types::{RtMsg, RtNexthop, RtaCacheinfo, RtaMfcStats};
use crate::{AF_INET, AF_INET6, AF_MPLS};

pub mod encap;

use encap::EncapAttrs;
pub use encap::{BpfProg, Encap, IpTunnelEncap, MplsLabel, Seg6Action, Seg6Local, Seg6Mode, Srh};

/// `RT_TABLE_MAIN`.
pub const TABLE_MAIN: u32 = 254;
/// `RT_TABLE_LOCAL`.
pub const TABLE_LOCAL: u32 = 255;
/// `RT_TABLE_DEFAULT`.
pub const TABLE_DEFAULT: u32 = 253;
/// `RT_TABLE_UNSPEC`: in a dump filter, every table.
pub const TABLE_ALL: u32 = 0;

nl_wire::kernel_enum! {
    /// `RTN_*`: what a route does with matching packets, with the words
    /// `ip route` uses.
    #[derive(Default)]
    pub enum RouteType: u8, "type", Error {
        /// Not set.
        Unspec = RTN_UNSPEC => "none",
        /// A gateway or direct route.
        #[default]
        Unicast = RTN_UNICAST => "unicast",
        /// Accept locally.
        Local = RTN_LOCAL => "local",
        /// Accept locally as broadcast, send as broadcast.
        Broadcast = RTN_BROADCAST => "broadcast",
        /// Accept locally as broadcast, send as unicast.
        Anycast = RTN_ANYCAST => "anycast",
        /// Multicast route.
        Multicast = RTN_MULTICAST => "multicast",
        /// Drop silently.
        Blackhole = RTN_BLACKHOLE => "blackhole",
        /// Drop with ICMP unreachable.
        Unreachable = RTN_UNREACHABLE => "unreachable",
        /// Drop with ICMP prohibited.
        Prohibit = RTN_PROHIBIT => "prohibit",
        /// Continue the lookup in another table (with rules).
        Throw = RTN_THROW => "throw",
        /// Translate addresses.
        Nat = RTN_NAT => "nat",
        /// Refer to an external resolver.
        Xresolve = RTN_XRESOLVE => "xresolve",
    }
}

/// `RTPROT_*`: who installed a route. Any value is valid; the named ones
/// print as iproute2 names them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, PartialOrd, Ord)]
pub struct RouteProtocol(pub u8);

impl RouteProtocol {
    /// Unknown.
    pub const UNSPEC: Self = Self(0);
    /// ICMP redirect.
    pub const REDIRECT: Self = Self(1);
    /// The kernel.
    pub const KERNEL: Self = Self(2);
    /// Boot (what `ip route add` uses by default).
    pub const BOOT: Self = Self(3);
    /// The administrator.
    pub const STATIC: Self = Self(4);
    /// Router advertisements.
    pub const RA: Self = Self(9);
    /// DHCP.
    pub const DHCP: Self = Self(16);
    /// BGP.
    pub const BGP: Self = Self(186);
    /// IS-IS.
    pub const ISIS: Self = Self(187);
    /// OSPF.
    pub const OSPF: Self = Self(188);
    /// RIP.
    pub const RIP: Self = Self(189);

    /// The protocols iproute2 names (`/etc/iproute2/rt_protos`).
    pub const NAMES: [(u8, &'static str); 24] = [
        (0, "unspec"),
        (1, "redirect"),
        (2, "kernel"),
        (3, "boot"),
        (4, "static"),
        (8, "gated"),
        (9, "ra"),
        (10, "mrt"),
        (11, "zebra"),
        (12, "bird"),
        (13, "dnrouted"),
        (14, "xorp"),
        (15, "ntk"),
        (16, "dhcp"),
        (17, "mrouted"),
        (18, "keepalived"),
        (42, "babel"),
        (99, "openr"),
        (186, "bgp"),
        (187, "isis"),
        (188, "ospf"),
        (189, "rip"),
        (192, "eigrp"),
        (252, "redirect6"),
    ];
}

impl fmt::Display for RouteProtocol {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match Self::NAMES.iter().find(|(v, _)| *v == self.0) {
            Some((_, n)) => f.write_str(n),
            None => write!(f, "{}", self.0),
        }
    }
}

impl FromStr for RouteProtocol {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        if let Ok(n) = s.parse::<u8>() {
            return Ok(RouteProtocol(n));
        }
        Self::NAMES
            .iter()
            .find(|(_, n)| *n == s)
            .map(|(v, _)| RouteProtocol(*v))
            .ok_or(Error::invalid("protocol", "not a protocol name or 0..255"))
    }
}

nl_wire::kernel_enum! {
    /// IPv6 router preference (`RTA_PREF`, `ICMPV6_ROUTER_PREF_*`).
    pub enum RoutePref: u8, "pref", Error {
        /// Low.
        Low = ICMPV6_ROUTER_PREF_LOW => "low",
        /// Medium.
        Medium = ICMPV6_ROUTER_PREF_MEDIUM => "medium",
        /// High.
        High = ICMPV6_ROUTER_PREF_HIGH => "high",
    }
}

bitflags! {
    /// `rtm_flags` (`RTNH_F_*` in the low byte, `RTM_F_*` above).
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
    pub struct RouteFlags: u32 {
        /// Nexthop is dead.
        const DEAD = 1;
        /// Recursive gateway lookup.
        const PERVASIVE = 2;
        /// Gateway is on-link even if no address says so.
        const ONLINK = 4;
        /// Offloaded to hardware.
        const OFFLOAD = 8;
        /// Carrier down on the nexthop device.
        const LINKDOWN = 16;
        /// Unresolved nexthop.
        const UNRESOLVED = 32;
        /// Trapping to the CPU.
        const TRAP = 64;
        /// Notify the user of route changes.
        const NOTIFY = 0x100;
        /// A cloned (cache) route.
        const CLONED = 0x200;
        /// Multipath equalizer.
        const EQUALIZE = 0x400;
        /// A prefix route from an address.
        const PREFIX = 0x800;
        /// `route get`: look up in a table.
        const LOOKUP_TABLE = 0x1000;
        /// `route get`: return the matching FIB entry.
        const FIB_MATCH = 0x2000;
        /// Offload state in the FIB.
        const RT_OFFLOAD = 0x4000;
        /// Trap state in the FIB.
        const RT_TRAP = 0x8000;
        /// Offload failed.
        const OFFLOAD_FAILED = 0x2000_0000;
        // Keep bits the library does not name.
        const _ = !0;
    }
}

impl RouteFlags {
    /// The per-nexthop flag words `ip route` prints, in its order.
    pub const NAMES: [(RouteFlags, &'static str); 8] = [
        (RouteFlags::DEAD, "dead"),
        (RouteFlags::ONLINK, "onlink"),
        (RouteFlags::PERVASIVE, "pervasive"),
        (RouteFlags::OFFLOAD, "offload"),
        (RouteFlags::TRAP, "trap"),
        (RouteFlags::NOTIFY, "notify"),
        (RouteFlags::LINKDOWN, "linkdown"),
        (RouteFlags::UNRESOLVED, "unresolved"),
    ];

    /// The per-nexthop flag words `ip route` prints (`onlink`, `dead` ...).
    pub fn names(&self) -> Vec<&'static str> {
        Self::NAMES
            .iter()
            .filter(|(f, _)| self.contains(*f))
            .map(|(_, n)| *n)
            .collect()
    }
}

/// One path of a multipath route (`RTA_MULTIPATH`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct NextHop {
    /// Gateway of the path's own family.
    pub gateway: Option<IpAddr>,
    /// Gateway of another family (`RTA_VIA`: IPv4 via an IPv6 gateway).
    pub via: Option<IpAddr>,
    /// Output interface (0: let the kernel find it).
    pub ifindex: u32,
    /// Weight, 1..=256 (`rtnh_hops + 1`).
    pub weight: u16,
    /// `RTNH_F_*`.
    pub flags: RouteFlags,
    /// Per-path encapsulation (boxed: most paths have none).
    pub encap: Option<Box<Encap>>,
    /// `RTA_FLOW`: realms.
    pub realm: Option<u32>,
    /// `RTA_NEWDST`: MPLS labels to swap in (MPLS routes).
    pub newdst: Vec<MplsLabel>,
}

impl NextHop {
    /// A path through `gateway` on `ifindex`, weight 1.
    pub fn new(gateway: Option<IpAddr>, ifindex: u32) -> Self {
        NextHop {
            gateway,
            ifindex,
            weight: 1,
            ..NextHop::default()
        }
    }
}

/// Route metrics (`RTA_METRICS`); `lock` holds `1 << RTAX_*` for locked ones.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Metrics {
    /// `RTAX_LOCK`: metrics not to be changed by path MTU discovery and the like.
    pub lock: u32,
    /// Path MTU.
    pub mtu: Option<u32>,
    /// TCP window clamp.
    pub window: Option<u32>,
    /// Initial RTT estimate (ms, kernel units).
    pub rtt: Option<u32>,
    /// RTT variance.
    pub rttvar: Option<u32>,
    /// Slow start threshold.
    pub ssthresh: Option<u32>,
    /// Congestion window clamp.
    pub cwnd: Option<u32>,
    /// Advertised MSS.
    pub advmss: Option<u32>,
    /// Reordering.
    pub reordering: Option<u32>,
    /// Hop limit.
    pub hoplimit: Option<u32>,
    /// Initial congestion window.
    pub initcwnd: Option<u32>,
    /// `RTAX_FEATURES` (`RTAX_FEATURE_*`).
    pub features: Option<u32>,
    /// Minimum RTO.
    pub rto_min: Option<u32>,
    /// Initial receive window.
    pub initrwnd: Option<u32>,
    /// Quick ACK.
    pub quickack: Option<u32>,
    /// Congestion control algorithm.
    pub cc_algo: Option<String>,
    /// TCP Fast Open without cookie.
    pub fastopen_no_cookie: Option<u32>,
}

/// The metrics with a number of their own, each once: its `RTAX_*` type,
/// the word iproute2 uses for it (`mx_names`) and its field.
macro_rules! metric_table {
    ($($rtax:ident $name:literal $field:ident,)*) => {
        impl Metrics {
            /// Every numeric metric's `RTAX_*` type and iproute2's word for it
            /// (`ip route add ... advmss 1360`), in the kernel's order.
            /// `RTAX_LOCK` and `RTAX_CC_ALGO` (`congctl`) are fields apart.
            pub const NAMES: [(u16, &'static str); 15] = [$(($rtax, $name)),*];

            /// The value of metric `ty` (`RTAX_*`), in the kernel's units.
            pub fn get(&self, ty: u16) -> Option<u32> {
                match ty {
                    $($rtax => self.$field,)*
                    _ => None,
                }
            }

            /// The field of metric `ty` (`RTAX_*`), if it has one.
            pub fn slot_mut(&mut self, ty: u16) -> Option<&mut Option<u32>> {
                match ty {
                    $($rtax => Some(&mut self.$field),)*
                    _ => None,
                }
            }
        }
    };
}

metric_table! {
    RTAX_MTU "mtu" mtu,
    RTAX_WINDOW "window" window,
    RTAX_RTT "rtt" rtt,
    RTAX_RTTVAR "rttvar" rttvar,
    RTAX_SSTHRESH "ssthresh" ssthresh,
    RTAX_CWND "cwnd" cwnd,
    RTAX_ADVMSS "advmss" advmss,
    RTAX_REORDERING "reordering" reordering,
    RTAX_HOPLIMIT "hoplimit" hoplimit,
    RTAX_INITCWND "initcwnd" initcwnd,
    RTAX_FEATURES "features" features,
    RTAX_RTO_MIN "rto_min" rto_min,
    RTAX_INITRWND "initrwnd" initrwnd,
    RTAX_QUICKACK "quickack" quickack,
    RTAX_FASTOPEN_NO_COOKIE "fastopen_no_cookie" fastopen_no_cookie,
}

impl Metrics {
    /// The former name of [`Metrics::type_of`].
    #[deprecated(
        since = "0.1.0",
        note = "an attribute's number is its type: use `type_of()`"
    )]
    pub fn kind_of(name: &str) -> Option<u16> {
        Metrics::type_of(name)
    }

    /// The `RTAX_*` type of the metric iproute2 calls `name`.
    pub fn type_of(name: &str) -> Option<u16> {
        Metrics::NAMES
            .iter()
            .find(|(_, n)| *n == name)
            .map(|(k, _)| *k)
    }

    /// A value in iproute2's units (milliseconds for `rtt` and `rttvar`,
    /// which the kernel keeps in 1/8 and 1/4 ms) from the kernel's.
    pub fn user_units(ty: u16, value: u32) -> u32 {
        match ty {
            RTAX_RTT => value / 8,
            RTAX_RTTVAR => value / 4,
            _ => value,
        }
    }

    /// A value in the kernel's units from iproute2's (the inverse of
    /// [`Metrics::user_units`]).
    pub fn kernel_units(ty: u16, value: u32) -> u32 {
        match ty {
            RTAX_RTT => value.saturating_mul(8),
            RTAX_RTTVAR => value.saturating_mul(4),
            _ => value,
        }
    }

    fn parse(attrs: Attrs<'_>) -> nl_wire::Result<Self> {
        let mut m = Metrics::default();
        for a in attrs {
            let a = a?;
            match a.ty() {
                RTAX_LOCK => m.lock = a.u32()?,
                RTAX_CC_ALGO => m.cc_algo = Some(a.str()?.to_string()),
                t => {
                    if let Some(slot) = m.slot_mut(t) {
                        *slot = Some(a.u32()?);
                    }
                }
            }
        }
        Ok(m)
    }

    /// Whether no metric is set.
    pub fn is_empty(&self) -> bool {
        *self == Metrics::default()
    }

    fn write(&self, m: &mut MsgBuilder<'_>) {
        m.nest(RTA_METRICS, |m| {
            if self.lock != 0 {
                m.put_u32(RTAX_LOCK, self.lock);
            }
            for (kind, _) in Metrics::NAMES {
                if let Some(v) = self.get(kind) {
                    m.put_u32(kind, v);
                }
            }
            if let Some(cc) = &self.cc_algo {
                m.put_str(RTAX_CC_ALGO, cc);
            }
        });
    }
}

/// Route cache information (`RTA_CACHEINFO`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct RouteCacheInfo {
    /// Users of the entry.
    pub clntref: u32,
    /// Last used (clock ticks).
    pub lastuse: u32,
    /// Expires in (clock ticks; 0 = never).
    pub expires: i32,
    /// Error.
    pub error: u32,
    /// Times used.
    pub used: u32,
}

/// Multicast forwarding statistics (`RTA_MFC_STATS`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct MfcStats {
    /// Packets forwarded.
    pub packets: u64,
    /// Bytes forwarded.
    pub bytes: u64,
    /// Packets that arrived on the wrong interface.
    pub wrong_if: u64,
}

/// A route.
///
/// ```
/// use nl_route::route::{Route, NextHop};
/// let r = Route::new("198.51.100.0/24".parse().unwrap())
///     .via("192.0.2.1".parse().unwrap())
///     .dev(2)
///     .metric(100);
/// let mut buf = Vec::new();
/// r.write_add(&mut buf)?;
/// let back = Route::parse(&nl_wire::Msg::parse(&buf).unwrap().0)?;
/// assert_eq!(back.gateway, r.gateway);
/// assert_eq!(back.priority, Some(100));
/// # Ok::<(), nl_route::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Route {
    /// `AF_INET`, `AF_INET6`, `AF_MPLS`, or `RTNL_FAMILY_IPMR`/`IP6MR` for multicast routes.
    pub family: u8,
    /// Destination. The default route says so: `0.0.0.0/0` or `::/0`
    /// ([`Route::default_v4`], [`Route::default_v6`]), and every parsed IPv4
    /// or IPv6 route has one (the kernel leaves `RTA_DST` out at prefix
    /// length 0). `None` in a request is read as the default route by the
    /// kernel, so it is accepted only when the route names a gateway, a
    /// source or nexthops, as the Go library does; a route with nothing but
    /// an output device is refused (see [`Route::write_add`]).
    pub dst: Option<IpNet>,
    /// Gateway of the route's own family.
    pub gateway: Option<IpAddr>,
    /// Output interface.
    pub oif: Option<u32>,
    /// Table (`RTA_TABLE`, or `rtm_table`).
    pub table: u32,
    /// Who installed it.
    pub protocol: RouteProtocol,
    /// Scope.
    pub scope: Scope,
    /// `rtm_type`: what the route does (unicast, blackhole, local ...).
    pub route_type: RouteType,
    /// `RTA_PRIORITY`: the metric. Parsed IPv4 routes always have one: the
    /// kernel leaves the attribute out at metric 0, which reads back as
    /// `Some(0)` (except in `route get` answers, which carry no metric).
    /// `None` in a request lets the kernel choose (IPv4: 0, IPv6: 1024; the
    /// kernel also turns an IPv6 metric of 0 into 1024).
    pub priority: Option<u32>,
    /// Preferred source address.
    pub prefsrc: Option<IpAddr>,
    /// `rtm_flags`.
    pub flags: RouteFlags,
    /// TOS (IPv4) / DSCP match.
    pub tos: u8,
    /// IPv6 router preference.
    pub pref: Option<RoutePref>,
    /// `RTA_CACHEINFO`.
    pub cache_info: Option<RouteCacheInfo>,
    /// Multipath nexthops (`RTA_MULTIPATH`).
    pub multipath: Vec<NextHop>,
    /// Metrics (`RTA_METRICS`); boxed, as most routes have none.
    pub metrics: Option<Box<Metrics>>,
    /// Encapsulation (boxed, as most routes have none).
    pub encap: Option<Box<Encap>>,
    /// Nexthop object id (`RTA_NH_ID`).
    pub nh_id: Option<u32>,
    /// What few routes carry (source prefix, `RTA_VIA`, input interface,
    /// mark, realm, expiry, MPLS and multicast fields), out of line: read
    /// `route.extra.mark`, write `route.extra.mark = Some(1)`.
    pub extra: Extra,
}

/// The attributes few routes carry, kept out of line so that a [`Route`]
/// (and a `Vec` of a big table's routes) stays small.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RouteExtra {
    /// Source prefix (IPv6 source-specific routing).
    pub src: Option<IpNet>,
    /// Gateway of another family (`RTA_VIA`).
    pub via: Option<IpAddr>,
    /// Input interface (multicast routes, `route get` with `iif`).
    pub iif: Option<u32>,
    /// `RTA_MARK` (route get).
    pub mark: Option<u32>,
    /// `RTA_FLOW`: realms.
    pub realm: Option<u32>,
    /// `RTA_EXPIRES`: seconds until the route expires (IPv6).
    pub expires: Option<u32>,
    /// `RTA_TTL_PROPAGATE` (MPLS).
    pub ttl_propagate: Option<bool>,
    /// `RTA_UID` (route get).
    pub uid: Option<u32>,
    /// `RTA_NEWDST`: MPLS labels to swap in (single-path MPLS routes).
    pub newdst: Vec<MplsLabel>,
    /// `RTA_MFC_STATS` (multicast routes).
    pub mfc_stats: Option<MfcStats>,
    /// The incoming label of an `AF_MPLS` route (its `RTA_DST`).
    pub dst_label: Option<u32>,
}

/// All of [`RouteExtra`]'s fields unset: what [`Extra`] reads as while
/// nothing was set.
static NO_EXTRA: RouteExtra = RouteExtra {
    src: None,
    via: None,
    iif: None,
    mark: None,
    realm: None,
    expires: None,
    ttl_propagate: None,
    uid: None,
    newdst: Vec::new(),
    mfc_stats: None,
    dst_label: None,
};

/// A [`Route`]'s rarely used attributes: allocated on the first write,
/// read through `Deref` as a [`RouteExtra`] (all unset while none was
/// written). Two are equal when their fields are, allocated or not.
///
/// ```
/// use nl_route::route::Route;
/// let mut r = Route::default();
/// assert_eq!(r.extra.mark, None); // reads allocate nothing
/// r.extra.mark = Some(7);          // the first write does
/// assert_eq!(r.extra.mark, Some(7));
/// ```
#[derive(Clone, Default)]
pub struct Extra(Option<Box<RouteExtra>>);

impl Extra {
    /// Nothing set (no allocation).
    pub const NONE: Extra = Extra(None);

    /// Whether any field was ever written (then it is allocated).
    pub fn is_allocated(&self) -> bool {
        self.0.is_some()
    }
}

impl core::ops::Deref for Extra {
    type Target = RouteExtra;

    fn deref(&self) -> &RouteExtra {
        self.0.as_deref().unwrap_or(&NO_EXTRA)
    }
}

impl core::ops::DerefMut for Extra {
    fn deref_mut(&mut self) -> &mut RouteExtra {
        self.0.get_or_insert_with(Box::default)
    }
}

impl PartialEq for Extra {
    fn eq(&self, other: &Self) -> bool {
        **self == **other
    }
}

impl Eq for Extra {}

impl fmt::Debug for Extra {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&**self, f)
    }
}

impl From<RouteExtra> for Extra {
    fn from(extra: RouteExtra) -> Self {
        Extra(Some(Box::new(extra)))
    }
}

/// The empty route [`Route::default`] copies: a constant, so a new slot is
/// filled from read-only memory instead of a stack temporary (whose fresh
/// byte-sized stores stall the copy).
const EMPTY_ROUTE: Route = Route {
    family: AF_INET,
    dst: None,
    gateway: None,
    oif: None,
    table: TABLE_MAIN,
    protocol: RouteProtocol::BOOT,
    scope: Scope::Universe,
    route_type: RouteType::Unicast,
    priority: None,
    prefsrc: None,
    flags: RouteFlags::empty(),
    tos: 0,
    pref: None,
    cache_info: None,
    multipath: Vec::new(),
    metrics: None,
    encap: None,
    nh_id: None,
    extra: Extra::NONE,
};

impl Default for Route {
    fn default() -> Self {
        EMPTY_ROUTE
    }
}

fn family_of(a: &IpAddr) -> u8 {
    if a.is_ipv4() { AF_INET } else { AF_INET6 }
}

/// `0.0.0.0/0` or `::/0` for the address families, `None` for the others.
fn default_dst(family: u8) -> Option<IpNet> {
    match family {
        AF_INET => Some(IpNet::V4(Ipv4Net::default())),
        AF_INET6 => Some(IpNet::V6(Ipv6Net::default())),
        _ => None,
    }
}

/// Reads `struct rtvia` (family + address).
fn read_via(p: &[u8]) -> Option<IpAddr> {
    let fam = u16::from_ne_bytes([*p.first()?, *p.get(1)?]);
    let addr = p.get(2..)?;
    match fam {
        2 => <[u8; 4]>::try_from(addr.get(..4)?).ok().map(IpAddr::from),
        10 => <[u8; 16]>::try_from(addr.get(..16)?).ok().map(IpAddr::from),
        _ => None,
    }
}

fn via_bytes(a: &IpAddr) -> Vec<u8> {
    let mut v = u16::from(family_of(a)).to_ne_bytes().to_vec();
    match a {
        IpAddr::V4(x) => v.extend_from_slice(&x.octets()),
        IpAddr::V6(x) => v.extend_from_slice(&x.octets()),
    }
    v
}

/// The payload of `a` as an address, decoded in place: the attributes of
/// every route go through here, so the error path is out of line.
#[inline(always)]
fn fast_ip(a: &Attr<'_>) -> nl_wire::Result<IpAddr> {
    let p = a.payload();
    if let Ok(b) = <[u8; 4]>::try_from(p) {
        Ok(IpAddr::V4(Ipv4Addr::from(b)))
    } else if let Ok(b) = <[u8; 16]>::try_from(p) {
        Ok(IpAddr::V6(Ipv6Addr::from(b)))
    } else {
        Err(payload_error(a, 16))
    }
}

/// A `u32` attribute decoded in place (see [`fast_ip`]).
#[inline(always)]
fn fast_u32(a: &Attr<'_>) -> nl_wire::Result<u32> {
    match <[u8; 4]>::try_from(a.payload()) {
        Ok(b) if a.is_net_byteorder() => Ok(u32::from_be_bytes(b)),
        Ok(b) => Ok(u32::from_ne_bytes(b)),
        Err(_) => Err(payload_error(a, 4)),
    }
}

#[cold]
#[inline(never)]
fn payload_error(a: &Attr<'_>, need: usize) -> nl_wire::Error {
    nl_wire::Error::PayloadLen {
        ty: a.ty(),
        need,
        have: a.payload().len(),
        offset: a.offset(),
    }
}

/// Stores `addr/len` in `slot`; written to store straight into the field
/// (a returned `Result<IpNet>` is copied through memory in a way that
/// stalls store forwarding on every route).
#[inline(always)]
fn set_prefix(slot: &mut Option<IpNet>, addr: IpAddr, len: u8, ty: u16) -> nl_wire::Result<()> {
    let ok = match addr {
        IpAddr::V4(a) => Ipv4Net::new(a, len).map(|n| *slot = Some(IpNet::V4(n))),
        IpAddr::V6(a) => Ipv6Net::new(a, len).map(|n| *slot = Some(IpNet::V6(n))),
    };
    match ok {
        Ok(()) => Ok(()),
        Err(_) => Err(prefix_error(ty)),
    }
}

/// A prefix length the address family cannot have.
#[cold]
#[inline(never)]
fn prefix_error(ty: u16) -> nl_wire::Error {
    nl_wire::Error::Invalid { ty }
}

impl Route {
    /// A unicast route to `dst` in the main table.
    pub fn new(dst: IpNet) -> Self {
        let family = if dst.addr().is_ipv4() {
            AF_INET
        } else {
            AF_INET6
        };
        Route {
            family,
            dst: Some(dst),
            ..Route::default()
        }
    }

    /// The default route of `family`: destination `0.0.0.0/0` (`AF_INET`)
    /// or `::/0` (`AF_INET6`); other families get no destination.
    pub fn default_route(family: u8) -> Self {
        Route {
            family,
            dst: default_dst(family),
            ..Route::default()
        }
    }

    /// The IPv4 default route (`ip route add default`): `0.0.0.0/0`.
    pub fn default_v4() -> Self {
        Route::default_route(AF_INET)
    }

    /// The IPv6 default route (`ip -6 route add default`): `::/0`.
    pub fn default_v6() -> Self {
        Route::default_route(AF_INET6)
    }

    /// Whether this is a default route (destination of prefix length 0).
    pub fn is_default(&self) -> bool {
        self.dst.is_some_and(|d| d.prefix_len() == 0)
    }

    /// Sets the gateway (`via`); a gateway of the other family goes in `RTA_VIA`.
    #[must_use]
    pub fn via(mut self, gw: IpAddr) -> Self {
        if family_of(&gw) == self.family {
            self.gateway = Some(gw);
        } else {
            self.extra.via = Some(gw);
        }
        self
    }

    /// Sets the output interface (`dev`).
    #[must_use]
    pub fn dev(mut self, index: u32) -> Self {
        self.oif = Some(index);
        self
    }

    /// Sets the metric (`metric` / `priority`).
    #[must_use]
    pub fn metric(mut self, metric: u32) -> Self {
        self.priority = Some(metric);
        self
    }

    /// Sets the table.
    #[must_use]
    pub fn table(mut self, table: u32) -> Self {
        self.table = table;
        self
    }

    /// `TYPE`: sets the route type (blackhole, unreachable ...).
    #[must_use]
    pub fn route_type(mut self, route_type: RouteType) -> Self {
        self.route_type = route_type;
        self
    }

    /// The former name of [`Route::route_type`].
    #[deprecated(
        since = "0.1.0",
        note = "a route's `rtm_type` is its `route_type`: use `route_type()`"
    )]
    #[must_use]
    pub fn kind(self, route_type: RouteType) -> Self {
        self.route_type(route_type)
    }

    /// The metrics, created empty if the route has none yet.
    pub fn metrics_mut(&mut self) -> &mut Metrics {
        self.metrics.get_or_insert_with(Box::default)
    }

    /// Sets the encapsulation.
    #[must_use]
    pub fn encap(mut self, encap: Encap) -> Self {
        self.encap = Some(Box::new(encap));
        self
    }

    /// Sets the protocol.
    #[must_use]
    pub fn protocol(mut self, protocol: RouteProtocol) -> Self {
        self.protocol = protocol;
        self
    }

    /// The destination as `ip route` prints it (`default` or a prefix).
    pub fn dst_string(&self) -> String {
        match self.dst {
            Some(d) if d.prefix_len() == 0 => "default".into(),
            Some(d) => {
                let full = if d.addr().is_ipv4() { 32 } else { 128 };
                if d.prefix_len() == full {
                    d.addr().to_string()
                } else {
                    d.to_string()
                }
            }
            None => "default".into(),
        }
    }

    /// Parses an RTM_NEWROUTE (or RTM_DELROUTE) message.
    pub fn parse(msg: &Msg<'_>) -> Result<Self> {
        let mut r = Route::default();
        r.parse_from(msg)?;
        Ok(r)
    }

    /// Parses `msg` into `self`, which must be a `Route::default()`: for
    /// filling a slot of a `Vec` in place, without moving the struct.
    pub fn parse_from(&mut self, msg: &Msg<'_>) -> Result<()> {
        parse_msg(msg, || {
            let hdr: RtMsg = msg.family_header();
            let r = self;
            r.family = hdr.rtm_family;
            r.table = u32::from(hdr.rtm_table);
            r.protocol = RouteProtocol(hdr.rtm_protocol);
            r.scope = Scope::from(hdr.rtm_scope);
            r.route_type = RouteType::from(hdr.rtm_type);
            r.flags = RouteFlags::from_bits_retain(hdr.rtm_flags.get());
            r.tos = hdr.rtm_tos;
            let mut encap = EncapAttrs::default();
            msg.attrs::<RtMsg>()
                .decode(|a| r.parse_attr(&a, &hdr, &mut encap))?;
            r.encap = encap.parse()?;
            if r.dst.is_none() && hdr.rtm_dst_len == 0 {
                // The kernel leaves RTA_DST out of the default route.
                r.dst = default_dst(r.family);
            }
            if r.priority.is_none() && r.family == AF_INET && !r.flags.contains(RouteFlags::CLONED)
            {
                // IPv4 leaves RTA_PRIORITY out at metric 0 (fib_dump_info);
                // cloned entries (route get answers) have no metric at all.
                r.priority = Some(0);
            }
            if r.extra.expires.is_none() {
                // Dumps carry the remaining lifetime in RTA_CACHEINFO, in
                // clock ticks (USER_HZ, 100 per second), not in RTA_EXPIRES.
                let ticks = r.cache_info.map_or(0, |c| c.expires);
                if ticks > 0 {
                    r.extra.expires = u32::try_from(ticks / 100).ok();
                }
            }
            Ok(())
        })
    }

    #[inline(always)]
    fn parse_attr<'a>(
        &mut self,
        a: &Attr<'a>,
        hdr: &RtMsg,
        encap: &mut EncapAttrs<'a>,
    ) -> nl_wire::Result<()> {
        match a.ty() {
            RTA_DST if self.family == AF_MPLS => {
                self.extra.dst_label = encap::read_labels(a.payload()).first().map(|l| l.label);
            }
            RTA_DST if self.family == AF_INET || self.family == AF_INET6 => {
                set_prefix(&mut self.dst, fast_ip(a)?, hdr.rtm_dst_len, RTA_DST)?;
            }
            RTA_DST => {
                // Multicast routes (RTNL_FAMILY_IPMR / IP6MR): group address, full length.
                self.dst = Some(IpNet::from(fast_ip(a)?));
            }
            RTA_SRC if self.family == AF_INET || self.family == AF_INET6 => {
                set_prefix(&mut self.extra.src, fast_ip(a)?, hdr.rtm_src_len, RTA_SRC)?;
            }
            RTA_SRC => self.extra.src = Some(IpNet::from(fast_ip(a)?)),
            RTA_GATEWAY => self.gateway = Some(fast_ip(a)?),
            RTA_VIA => self.extra.via = read_via(a.payload()),
            RTA_OIF => self.oif = Some(fast_u32(a)?),
            RTA_IIF => self.extra.iif = Some(fast_u32(a)?),
            RTA_TABLE => self.table = fast_u32(a)?,
            RTA_PRIORITY => self.priority = Some(fast_u32(a)?),
            RTA_PREFSRC => self.prefsrc = Some(fast_ip(a)?),
            RTA_MARK => self.extra.mark = Some(a.u32()?),
            RTA_FLOW => self.extra.realm = Some(a.u32()?),
            RTA_PREF => self.pref = Some(a.u8()?.into()),
            RTA_EXPIRES => self.extra.expires = Some(a.u32()?),
            RTA_UID => self.extra.uid = Some(a.u32()?),
            RTA_NH_ID => self.nh_id = Some(a.u32()?),
            RTA_TTL_PROPAGATE => self.extra.ttl_propagate = Some(a.u8()? != 0),
            RTA_NEWDST => self.extra.newdst = encap::read_labels(a.payload()),
            RTA_ENCAP_TYPE => encap.set_type(a)?,
            RTA_ENCAP => encap.set_nest(a),
            RTA_CACHEINFO => {
                let ci: RtaCacheinfo = a.read();
                self.cache_info = Some(RouteCacheInfo {
                    clntref: ci.rta_clntref.get(),
                    lastuse: ci.rta_lastuse.get(),
                    expires: ci.rta_expires.get(),
                    error: ci.rta_error.get(),
                    used: ci.rta_used.get(),
                });
            }
            RTA_MFC_STATS => {
                let s: RtaMfcStats = a.read();
                self.extra.mfc_stats = Some(MfcStats {
                    packets: s.mfcs_packets.get(),
                    bytes: s.mfcs_bytes.get(),
                    wrong_if: s.mfcs_wrong_if.get(),
                });
            }
            RTA_METRICS => self.metrics = Some(Box::new(Metrics::parse(a.nested())?)),
            RTA_MULTIPATH => self.multipath = parse_multipath(a.payload(), a.offset())?,
            _ => {}
        }
        Ok(())
    }

    fn validate(&self) -> Result<()> {
        let fam_ok = |a: &IpAddr| family_of(a) == self.family;
        if self.family == AF_INET || self.family == AF_INET6 {
            if let Some(d) = self.dst {
                if family_of(&d.addr()) != self.family {
                    return Err(Error::invalid(
                        "dst",
                        "of another address family than the route",
                    ));
                }
            }
            if let Some(g) = &self.gateway {
                if !fam_ok(g) {
                    return Err(Error::invalid(
                        "gateway",
                        "of another address family (use via for RTA_VIA)",
                    ));
                }
            }
            if let Some(p) = &self.prefsrc {
                if !fam_ok(p) {
                    return Err(Error::invalid("prefsrc", "of another address family"));
                }
            }
            if let Some(s) = self.extra.src {
                if family_of(&s.addr()) != self.family {
                    return Err(Error::invalid("src", "of another address family"));
                }
            }
        }
        for nh in &self.multipath {
            if nh.weight == 0 || nh.weight > 256 {
                return Err(Error::invalid("weight", "must be 1..=256"));
            }
            if let Some(g) = &nh.gateway {
                if !fam_ok(g) && self.family != AF_MPLS {
                    return Err(Error::invalid(
                        "nexthop gateway",
                        "of another address family (use via)",
                    ));
                }
            }
        }
        Ok(())
    }

    /// Whether the route says what it routes: a destination (the default
    /// route is `0.0.0.0/0` or `::/0`), or else a gateway, a source (prefix
    /// or preferred address) or nexthops, which the kernel reads as the
    /// default route, as the Go library's `routeHandle` accepts them. A
    /// route with only an output device, type or encapsulation is refused:
    /// the kernel would silently make it the default route.
    fn check_complete(&self) -> Result<()> {
        let complete = match self.family {
            AF_INET | AF_INET6 => {
                self.dst.is_some()
                    || self.gateway.is_some()
                    || self.extra.via.is_some()
                    || self.prefsrc.is_some()
                    || self.extra.src.is_some()
                    || !self.multipath.is_empty()
                    || self.nh_id.is_some()
            }
            AF_MPLS => self.extra.dst_label.is_some(),
            _ => true,
        };
        if complete {
            Ok(())
        } else if self.family == AF_MPLS {
            Err(Error::invalid(
                "dst",
                "an MPLS route needs its incoming label",
            ))
        } else {
            Err(Error::invalid(
                "dst",
                "a route needs a destination (Route::default_v4/default_v6 for the default route), a gateway, a source or nexthops; an output device alone does not say what it routes",
            ))
        }
    }

    fn write(&self, buf: &mut Vec<u8>, ty: u16, flags: u16) -> Result<()> {
        self.validate()?;
        self.check_complete()?;
        let dst_len = match (self.dst, self.family) {
            (Some(d), _) => d.prefix_len(),
            (None, AF_MPLS) if self.extra.dst_label.is_some() => 20,
            (None, _) => 0,
        };
        let mut m = MsgBuilder::new(buf, ty, NLM_F_REQUEST | NLM_F_ACK | flags);
        m.header(&RtMsg {
            rtm_family: self.family,
            rtm_dst_len: dst_len,
            rtm_src_len: self.extra.src.map_or(0, |s| s.prefix_len()),
            rtm_tos: self.tos,
            rtm_table: u8::try_from(self.table).unwrap_or(RT_TABLE_UNSPEC_U8),
            rtm_protocol: self.protocol.0,
            rtm_scope: self.scope.into(),
            rtm_type: self.route_type.into(),
            rtm_flags: (self.flags.bits() & 0xff).into(),
        });
        if self.table > 255 {
            m.put_u32(RTA_TABLE, self.table);
        }
        if let Some(l) = self.extra.dst_label {
            m.put_bytes(RTA_DST, &encap::label_bytes(&[MplsLabel::new(l)]));
        }
        if let Some(d) = self.dst {
            m.put_ip(RTA_DST, d.addr());
        }
        if let Some(s) = self.extra.src {
            m.put_ip(RTA_SRC, s.addr());
        }
        if let Some(g) = self.gateway {
            m.put_ip(RTA_GATEWAY, g);
        }
        if let Some(v) = &self.extra.via {
            m.put_bytes(RTA_VIA, &via_bytes(v));
        }
        if !self.extra.newdst.is_empty() {
            m.put_bytes(RTA_NEWDST, &encap::label_bytes(&self.extra.newdst));
        }
        if let Some(v) = self.oif {
            m.put_u32(RTA_OIF, v);
        }
        if let Some(v) = self.extra.iif {
            m.put_u32(RTA_IIF, v);
        }
        if let Some(v) = self.priority {
            m.put_u32(RTA_PRIORITY, v);
        }
        if let Some(v) = self.prefsrc {
            m.put_ip(RTA_PREFSRC, v);
        }
        if let Some(v) = self.extra.mark {
            m.put_u32(RTA_MARK, v);
        }
        if let Some(v) = self.extra.realm {
            m.put_u32(RTA_FLOW, v);
        }
        if let Some(v) = self.pref {
            m.put_u8(RTA_PREF, v.into());
        }
        if let Some(v) = self.extra.expires {
            m.put_u32(RTA_EXPIRES, v);
        }
        if let Some(v) = self.nh_id {
            m.put_u32(RTA_NH_ID, v);
        }
        if let Some(v) = self.extra.ttl_propagate {
            m.put_u8(RTA_TTL_PROPAGATE, u8::from(v));
        }
        if let Some(metrics) = self.metrics.as_deref().filter(|m| !m.is_empty()) {
            metrics.write(&mut m);
        }
        if let Some(e) = &self.encap {
            e.write(&mut m)?;
        }
        if !self.multipath.is_empty() {
            write_multipath(&mut m, &self.multipath)?;
        }
        m.finish().map_err(Error::Build)?;
        Ok(())
    }

    /// Writes an RTM_NEWROUTE that adds the route (`ip route add`: a route
    /// with the same destination, TOS and metric is an error).
    ///
    /// Every write (add, append, replace, change, del) refuses, with
    /// [`Error::Invalid`] on `dst`, a route that does not say what it
    /// routes: no destination, gateway, source, nexthops or nexthop id
    /// (the Go library's "either Dst.IP, Src.IP or Gw must be set"). The
    /// default route says so with [`Route::default_v4`] / [`Route::default_v6`].
    pub fn write_add(&self, buf: &mut Vec<u8>) -> Result<()> {
        self.write(buf, RTM_NEWROUTE, NLM_F_CREATE | NLM_F_EXCL)
    }

    /// Adds without `NLM_F_EXCL` (`NLM_F_CREATE` only: `ip route prepend`,
    /// the Go library's `RouteAddEcmp`). Only an identical route is an
    /// error. IPv4 then keeps a second route with the same destination and
    /// metric, listed first and used first; IPv6 joins it to the existing
    /// route as another nexthop (ECMP) when both have a gateway.
    pub fn write_add_ecmp(&self, buf: &mut Vec<u8>) -> Result<()> {
        self.write(buf, RTM_NEWROUTE, NLM_F_CREATE)
    }

    /// `ip route append`: adds another route with the same destination
    /// and metric (IPv6 builds a multipath route from them).
    pub fn write_append(&self, buf: &mut Vec<u8>) -> Result<()> {
        self.write(buf, RTM_NEWROUTE, NLM_F_CREATE | NLM_F_APPEND)
    }

    /// `ip route replace`: adds or replaces.
    pub fn write_replace(&self, buf: &mut Vec<u8>) -> Result<()> {
        self.write(buf, RTM_NEWROUTE, NLM_F_CREATE | NLM_F_REPLACE)
    }

    /// `ip route change`: replaces an existing route only.
    pub fn write_change(&self, buf: &mut Vec<u8>) -> Result<()> {
        self.write(buf, RTM_NEWROUTE, NLM_F_REPLACE)
    }

    /// `ip route del`. The route must say what it is as for an add: the
    /// kernel reads a request without destination as the default route,
    /// so a delete of only a device would remove the default route, not
    /// every route of the device (use a filtered flush for that).
    pub fn write_del(&self, buf: &mut Vec<u8>) -> Result<()> {
        self.write(buf, RTM_DELROUTE, 0)
    }
}

/// `RT_TABLE_UNSPEC` in the one-byte header field when `RTA_TABLE` carries the table.
const RT_TABLE_UNSPEC_U8: u8 = 0;

/// Parses the `struct rtnexthop` array of `RTA_MULTIPATH`.
fn parse_multipath(p: &[u8], base: usize) -> nl_wire::Result<Vec<NextHop>> {
    let mut out = Vec::new();
    let mut pos = 0usize;
    while pos + 8 <= p.len() {
        let rest = p.get(pos..).unwrap_or_default();
        let hdr: RtNexthop = crate::uapi::types::read_struct(rest);
        let len = usize::from(hdr.rtnh_len.get());
        if len < 8 || len > rest.len() {
            return Err(nl_wire::Error::AttrLen {
                len: hdr.rtnh_len.get(),
                have: rest.len(),
                offset: base + 4 + pos,
            });
        }
        let mut nh = NextHop {
            ifindex: u32::try_from(hdr.rtnh_ifindex.get()).unwrap_or(0),
            weight: u16::from(hdr.rtnh_hops) + 1,
            flags: RouteFlags::from_bits_retain(u32::from(hdr.rtnh_flags)),
            ..NextHop::default()
        };
        let mut encap = EncapAttrs::default();
        let attrs = Attrs::with_offset(rest.get(8..len).unwrap_or_default(), base + 4 + pos + 8);
        for a in attrs {
            let a = a?;
            match a.ty() {
                RTA_GATEWAY => nh.gateway = Some(a.ip()?),
                RTA_VIA => nh.via = read_via(a.payload()),
                RTA_FLOW => nh.realm = Some(a.u32()?),
                RTA_NEWDST => nh.newdst = encap::read_labels(a.payload()),
                RTA_ENCAP_TYPE => encap.set_type(&a)?,
                RTA_ENCAP => encap.set_nest(&a),
                _ => {}
            }
        }
        nh.encap = encap.parse()?;
        out.push(nh);
        pos += nl_wire::align::align(len);
    }
    Ok(out)
}

fn write_multipath(m: &mut MsgBuilder<'_>, hops: &[NextHop]) -> Result<()> {
    // Each rtnexthop is written like an attribute whose length field we
    // patch afterwards: build the whole array in a scratch buffer first.
    let mut arr = Vec::new();
    for nh in hops {
        let start = arr.len();
        arr.extend_from_slice(&[0u8; 8]);
        {
            let mut b = MsgBuilder::attrs_only(&mut arr);
            if let Some(g) = nh.gateway {
                b.put_ip(RTA_GATEWAY, g);
            }
            if let Some(v) = &nh.via {
                b.put_bytes(RTA_VIA, &via_bytes(v));
            }
            if let Some(r) = nh.realm {
                b.put_u32(RTA_FLOW, r);
            }
            if !nh.newdst.is_empty() {
                b.put_bytes(RTA_NEWDST, &encap::label_bytes(&nh.newdst));
            }
            if let Some(e) = &nh.encap {
                e.write(&mut b)?;
            }
            b.finish().map_err(Error::Build)?;
        }
        let len =
            u16::try_from(arr.len() - start).map_err(|_| Error::invalid("nexthop", "too long"))?;
        let hdr = RtNexthop {
            rtnh_len: len.into(),
            rtnh_flags: (nh.flags.bits() & 0xff) as u8,
            rtnh_hops: u8::try_from(nh.weight.saturating_sub(1)).unwrap_or(u8::MAX),
            rtnh_ifindex: i32::try_from(nh.ifindex).unwrap_or(0).into(),
        };
        if let Some(slot) = arr.get_mut(start..start + 8) {
            slot.copy_from_slice(zerocopy::IntoBytes::as_bytes(&hdr));
        }
    }
    m.put_bytes(RTA_MULTIPATH, &arr);
    Ok(())
}

/// A route dump request with filters: the Go library's `RouteListFiltered`
/// filter mask (`RT_FILTER_*`) as fields, `None` for "any".
///
/// Under strict checking (`NETLINK_GET_STRICT_CHK`) the kernel applies the
/// table, protocol, type, cloned flag and output interface itself (and
/// refuses a dump request naming anything else); [`RouteDump::matches`]
/// applies every filter again, plus the ones only the library can apply,
/// so the answer is the same on every kernel and family.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RouteDump {
    /// `AF_INET`, `AF_INET6`, `AF_MPLS`, `RTNL_FAMILY_IPMR` ... (0: IPv4 and IPv6).
    pub family: u8,
    /// Table; `Some(TABLE_ALL)` (0) for every table, `None` for main only.
    pub table: Option<u32>,
    /// Only routes of this protocol (kernel-side).
    pub protocol: Option<RouteProtocol>,
    /// Only routes of this type (kernel-side).
    pub route_type: Option<RouteType>,
    /// Only routes through this output interface, on any path (kernel-side).
    pub oif: Option<u32>,
    /// Only this destination (exact prefix; `0.0.0.0/0` is the IPv4 default route).
    pub dst: Option<IpNet>,
    /// Only destinations inside this prefix (`ip route show root`-like `match`).
    pub dst_within: Option<IpNet>,
    /// Only default routes, of either family (`ip route show default`).
    pub default_only: bool,
    /// Include cloned (cache) routes (`RTM_F_CLONED`).
    pub cloned: bool,
    /// Only routes of this scope (`ip route show scope S`).
    pub scope: Option<Scope>,
    /// Only routes with this TOS (`ip route show tos T`).
    pub tos: Option<u8>,
    /// Only routes through this gateway, on any path, in `RTA_GATEWAY` or
    /// `RTA_VIA` (`ip route show via G`).
    pub gateway: Option<IpAddr>,
    /// Only routes with this preferred source (`ip route show src A`; the
    /// Go library's `RT_FILTER_SRC`).
    pub prefsrc: Option<IpAddr>,
    /// Only routes with this input interface (multicast routes).
    pub iif: Option<u32>,
    /// Only routes with this metric (`ip route show metric M`).
    pub priority: Option<u32>,
    /// Only routes with this realm, on any path (`ip route show realm R`).
    pub realm: Option<u32>,
    /// Only routes with this hop limit metric (`RTAX_HOPLIMIT`).
    pub hoplimit: Option<u32>,
}

impl RouteDump {
    /// The table this dump selects (main when unset).
    pub fn effective_table(&self) -> u32 {
        self.table.unwrap_or(TABLE_MAIN)
    }

    /// Writes the RTM_GETROUTE dump request, with the filters the kernel
    /// applies itself.
    pub fn write(&self, buf: &mut Vec<u8>) -> Result<()> {
        let table = self.effective_table();
        let mut m = MsgBuilder::new(buf, RTM_GETROUTE, NLM_F_REQUEST | NLM_F_DUMP);
        m.header(&RtMsg {
            rtm_family: self.family,
            rtm_table: u8::try_from(table).unwrap_or(0),
            rtm_protocol: self.protocol.map_or(0, |p| p.0),
            rtm_type: self.route_type.map_or(0, u8::from),
            rtm_flags: (if self.cloned { RTM_F_CLONED } else { 0 }).into(),
            ..RtMsg::default()
        });
        if table > 255 {
            m.put_u32(RTA_TABLE, table);
        }
        if let Some(oif) = self.oif {
            m.put_u32(RTA_OIF, oif);
        }
        m.finish().map_err(Error::Build)?;
        Ok(())
    }

    /// Whether a parsed route passes every filter.
    pub fn matches(&self, r: &Route) -> bool {
        let table = self.effective_table();
        let paths = || r.multipath.iter();
        (table == TABLE_ALL || r.table == table)
            && (self.family == 0 || r.family == self.family)
            && self.protocol.is_none_or(|p| r.protocol == p)
            && self.route_type.is_none_or(|t| r.route_type == t)
            && self
                .oif
                .is_none_or(|o| r.oif == Some(o) || paths().any(|nh| nh.ifindex == o))
            && self.dst.is_none_or(|d| r.dst == Some(d))
            && self
                .dst_within
                .is_none_or(|w| r.dst.is_some_and(|d| w.contains(&d)))
            && (!self.default_only || r.is_default())
            && (self.cloned || !r.flags.contains(RouteFlags::CLONED))
            && self.scope.is_none_or(|s| r.scope == s)
            && self.tos.is_none_or(|t| r.tos == t)
            && self.gateway.is_none_or(|g| {
                let hit = |gw: Option<IpAddr>, via: Option<IpAddr>| gw == Some(g) || via == Some(g);
                hit(r.gateway, r.extra.via) || paths().any(|nh| hit(nh.gateway, nh.via))
            })
            && self.prefsrc.is_none_or(|p| r.prefsrc == Some(p))
            && self.iif.is_none_or(|i| r.extra.iif == Some(i))
            // A metric the kernel left out is 0 (IPv4 omits it at 0).
            && self.priority.is_none_or(|p| r.priority.unwrap_or(0) == p)
            && self
                .realm
                .is_none_or(|x| r.extra.realm == Some(x) || paths().any(|nh| nh.realm == Some(x)))
            && self
                .hoplimit
                .is_none_or(|h| r.metrics.as_deref().is_some_and(|m| m.hoplimit == Some(h)))
    }
}

/// `ip route get`: asks the kernel which route it would use (RTM_GETROUTE
/// without `NLM_F_DUMP`); the answer is one [`Route`].
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RouteGet {
    /// The destination.
    pub dst: Option<IpAddr>,
    /// Source address.
    pub src: Option<IpAddr>,
    /// Pretend the packet came in on this interface.
    pub iif: Option<u32>,
    /// Force the output interface.
    pub oif: Option<u32>,
    /// Firewall mark.
    pub mark: Option<u32>,
    /// UID for uid-based rules.
    pub uid: Option<u32>,
    /// TOS.
    pub tos: u8,
    /// Return the FIB entry that matched, not the resolved route (`fibmatch`).
    pub fibmatch: bool,
    /// IP protocol for port-based rules.
    pub ipproto: Option<u8>,
    /// Source port.
    pub sport: Option<u16>,
    /// Destination port.
    pub dport: Option<u16>,
    /// Look up in this table only (`RTM_F_LOOKUP_TABLE`).
    pub table: Option<u32>,
}

impl RouteGet {
    /// A lookup of `dst`.
    pub fn to(dst: IpAddr) -> Self {
        RouteGet {
            dst: Some(dst),
            ..RouteGet::default()
        }
    }

    /// Writes the RTM_GETROUTE request.
    pub fn write(&self, buf: &mut Vec<u8>) -> Result<()> {
        let dst = self
            .dst
            .ok_or(Error::invalid("dst", "route get needs a destination"))?;
        if let Some(s) = &self.src {
            if family_of(s) != family_of(&dst) {
                return Err(Error::invalid("src", "of another address family than dst"));
            }
        }
        let family = family_of(&dst);
        let full = if family == AF_INET { 32 } else { 128 };
        let mut flags = 0u32;
        if self.fibmatch {
            flags |= RTM_F_FIB_MATCH;
        }
        if self.table.is_some() {
            flags |= RTM_F_LOOKUP_TABLE;
        }
        let mut m = MsgBuilder::new(buf, RTM_GETROUTE, NLM_F_REQUEST | NLM_F_ACK);
        m.header(&RtMsg {
            rtm_family: family,
            rtm_dst_len: full,
            rtm_src_len: if self.src.is_some() { full } else { 0 },
            rtm_tos: self.tos,
            rtm_flags: flags.into(),
            ..RtMsg::default()
        });
        m.put_ip(RTA_DST, dst);
        if let Some(s) = self.src {
            m.put_ip(RTA_SRC, s);
        }
        if let Some(v) = self.iif {
            m.put_u32(RTA_IIF, v);
        }
        if let Some(v) = self.oif {
            m.put_u32(RTA_OIF, v);
        }
        if let Some(v) = self.mark {
            m.put_u32(RTA_MARK, v);
        }
        if let Some(v) = self.uid {
            m.put_u32(RTA_UID, v);
        }
        if let Some(v) = self.ipproto {
            m.put_u8(RTA_IP_PROTO, v);
        }
        if let Some(v) = self.sport {
            m.put_be16(RTA_SPORT, v);
        }
        if let Some(v) = self.dport {
            m.put_be16(RTA_DPORT, v);
        }
        if let Some(t) = self.table {
            m.put_u32(RTA_TABLE, t);
        }
        m.finish().map_err(Error::Build)?;
        Ok(())
    }
}

/// Table names as iproute2 knows them (`main`, `local`, `default`), or a
/// number.
pub fn table_name(table: u32) -> String {
    match table {
        TABLE_MAIN => "main".into(),
        TABLE_LOCAL => "local".into(),
        TABLE_DEFAULT => "default".into(),
        TABLE_ALL => "unspec".into(),
        t => t.to_string(),
    }
}

/// Parses a table name (`main`, `local`, `default`, `all`) or number.
pub fn parse_table(s: &str) -> Result<u32> {
    Ok(match s {
        "main" => TABLE_MAIN,
        "local" => TABLE_LOCAL,
        "default" => TABLE_DEFAULT,
        "all" | "unspec" => TABLE_ALL,
        n => n
            .parse()
            .map_err(|_| Error::invalid("table", "not main, local, default, all or a number"))?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn round_trip(r: &Route) -> Route {
        let mut buf = Vec::new();
        r.write_add(&mut buf).unwrap();
        Route::parse(&Msg::parse(&buf).unwrap().0).unwrap()
    }

    #[test]
    fn every_field_round_trips() {
        let mut r = Route::new("2001:db8:5::/48".parse().unwrap())
            .via("2001:db8::1".parse().unwrap())
            .dev(3)
            .metric(1024)
            .table(1000)
            .protocol(RouteProtocol::BGP);
        r.extra.src = Some("2001:db8:6::/64".parse().unwrap());
        r.prefsrc = Some("2001:db8::2".parse().unwrap());
        r.pref = Some(RoutePref::High);
        r.extra.expires = Some(30);
        r.extra.realm = Some(7);
        r.flags = RouteFlags::ONLINK;
        r.metrics = Some(Box::new(Metrics {
            mtu: Some(1400),
            advmss: Some(1360),
            hoplimit: Some(9),
            initcwnd: Some(10),
            initrwnd: Some(20),
            quickack: Some(1),
            window: Some(65535),
            rtt: Some(100),
            cc_algo: Some("cubic".into()),
            lock: 1 << RTAX_MTU,
            ..Metrics::default()
        }));
        r.encap = Some(Box::new(Encap::Mpls {
            labels: vec![MplsLabel::new(100)],
            ttl: None,
        }));
        let b = round_trip(&r);
        assert_eq!(b, r);
    }

    #[test]
    fn ipv4_via_ipv6_and_multipath() {
        let mut r = Route::new("198.51.100.0/24".parse().unwrap())
            .via("fe80::1".parse().unwrap())
            .dev(2)
            .metric(10);
        assert_eq!(r.gateway, None);
        assert_eq!(r.extra.via, Some("fe80::1".parse().unwrap()));
        assert_eq!(round_trip(&r), r);
        r.extra.via = None;
        r.oif = None;
        r.multipath = vec![
            NextHop {
                weight: 3,
                ..NextHop::new(Some("192.0.2.1".parse().unwrap()), 2)
            },
            NextHop {
                encap: Some(Box::new(Encap::Mpls {
                    labels: vec![MplsLabel::new(300)],
                    ttl: None,
                })),
                realm: Some(5),
                ..NextHop::new(Some("192.0.2.2".parse().unwrap()), 4)
            },
            NextHop {
                via: Some("2001:db8::1".parse().unwrap()),
                ..NextHop::new(None, 5)
            },
        ];
        assert_eq!(round_trip(&r), r);
    }

    #[test]
    fn types_defaults_and_display() {
        let r = Route::default_route(AF_INET)
            .route_type(RouteType::Blackhole)
            .table(TABLE_LOCAL);
        let b = round_trip(&r);
        assert_eq!(b.dst, Some("0.0.0.0/0".parse().unwrap()));
        assert!(b.is_default());
        assert_eq!(b.to_string(), "blackhole default table local");
        let r = Route::new("192.0.2.7/32".parse().unwrap()).dev(2).metric(5);
        assert_eq!(r.to_string(), "192.0.2.7 dev if2 metric 5");
        // ip prints no IPv4 metric 0 (the kernel sends none); IPv6 always has one.
        assert_eq!(r.clone().metric(0).to_string(), "192.0.2.7 dev if2");
        let v6 = Route::default_v6().dev(2).metric(0);
        assert_eq!(v6.to_string(), "default dev if2 metric 0");
        assert_eq!(Route::default_v6().dst, Some("::/0".parse().unwrap()));
        assert_eq!(Route::default_route(AF_MPLS).dst, None);
        assert_eq!("bgp".parse::<RouteProtocol>().unwrap(), RouteProtocol::BGP);
        assert_eq!(RouteProtocol(77).to_string(), "77");
        assert_eq!(parse_table("all").unwrap(), TABLE_ALL);
        assert!(parse_table("nope").is_err());
    }

    #[test]
    fn mixed_families_are_refused() {
        let mut r = Route::new("192.0.2.0/24".parse().unwrap());
        r.gateway = Some("2001:db8::1".parse().unwrap());
        assert!(matches!(
            r.write_add(&mut Vec::new()),
            Err(Error::Invalid {
                field: "gateway",
                ..
            })
        ));
        let mut r = Route::new("192.0.2.0/24".parse().unwrap());
        r.prefsrc = Some("2001:db8::1".parse().unwrap());
        assert!(r.write_add(&mut Vec::new()).is_err());
        let mut r = Route::new("192.0.2.0/24".parse().unwrap());
        r.multipath.push(NextHop {
            weight: 0,
            ..NextHop::default()
        });
        assert!(r.write_add(&mut Vec::new()).is_err());
        assert!(
            RouteGet {
                src: Some("2001:db8::1".parse().unwrap()),
                ..RouteGet::to("192.0.2.1".parse().unwrap())
            }
            .write(&mut Vec::new())
            .is_err()
        );
    }

    #[test]
    fn dump_filters() {
        let f = RouteDump {
            table: Some(100),
            protocol: Some(RouteProtocol::STATIC),
            ..RouteDump::default()
        };
        let mut buf = Vec::new();
        f.write(&mut buf).unwrap();
        let (m, _) = Msg::parse(&buf).unwrap();
        let h: RtMsg = m.family_header();
        assert_eq!((h.rtm_table, h.rtm_protocol), (100, 4));
        let r = Route::new("192.0.2.0/24".parse().unwrap())
            .table(100)
            .protocol(RouteProtocol::STATIC);
        assert!(f.matches(&r));
        assert!(!f.matches(&r.clone().table(101)));
        let big = RouteDump {
            table: Some(5000),
            ..RouteDump::default()
        };
        let mut buf = Vec::new();
        big.write(&mut buf).unwrap();
        let (m, _) = Msg::parse(&buf).unwrap();
        assert_eq!(
            m.attrs::<RtMsg>()
                .get(RTA_TABLE)
                .unwrap()
                .unwrap()
                .u32()
                .unwrap(),
            5000
        );
        let within = RouteDump {
            dst_within: Some("192.0.2.0/24".parse().unwrap()),
            ..RouteDump::default()
        };
        assert!(within.matches(&Route::new("192.0.2.128/25".parse().unwrap())));
        assert!(!within.matches(&Route::new("198.51.100.0/24".parse().unwrap())));
    }

    fn header(buf: &[u8]) -> (u16, RtMsg) {
        let (m, _) = Msg::parse(buf).unwrap();
        (m.flags(), m.family_header())
    }

    #[test]
    fn a_route_must_say_what_it_routes() {
        type Write = fn(&Route, &mut Vec<u8>) -> Result<()>;
        let writes: [(&str, Write); 6] = [
            ("add", Route::write_add),
            ("add_ecmp", Route::write_add_ecmp),
            ("append", Route::write_append),
            ("replace", Route::write_replace),
            ("change", Route::write_change),
            ("del", Route::write_del),
        ];
        let dev_only = Route::default().dev(2);
        let typed_only = Route::default().route_type(RouteType::Blackhole).table(100);
        let encap_only = Route::default().dev(2).encap(Encap::Mpls {
            labels: vec![MplsLabel::new(100)],
            ttl: None,
        });
        let mpls_unlabelled = Route {
            family: AF_MPLS,
            ..Route::default()
        }
        .dev(2);
        for (name, write) in writes {
            for bad in [&dev_only, &typed_only, &encap_only, &mpls_unlabelled] {
                let mut buf = Vec::new();
                let e = write(bad, &mut buf).unwrap_err();
                assert!(
                    matches!(e, Error::Invalid { field: "dst", .. }),
                    "{name}: {e:?}"
                );
                assert!(buf.is_empty(), "{name}: nothing is written");
            }
            let msg = write(&dev_only, &mut Vec::new()).unwrap_err().to_string();
            assert!(msg.contains("default_v4"), "{msg}");
            // What says what it routes passes: an explicit default route ...
            let mut buf = Vec::new();
            write(&Route::default_v4().dev(2), &mut buf).unwrap();
            assert_eq!(header(&buf).1.rtm_dst_len, 0, "{name}");
            write(
                &Route::default_v6().route_type(RouteType::Blackhole),
                &mut Vec::new(),
            )
            .unwrap();
            // ... a destination, or what the kernel and Go read as the default route.
            let gw = Route::default().via("192.0.2.1".parse().unwrap());
            let mut src = Route::default().dev(2);
            src.prefsrc = Some("192.0.2.5".parse().unwrap());
            let nh = Route {
                nh_id: Some(7),
                ..Route::default()
            };
            let mp = Route {
                multipath: vec![NextHop::new(Some("192.0.2.1".parse().unwrap()), 2)],
                ..Route::default()
            };
            let mut from = Route::default_v6();
            from.dst = None;
            from.extra.src = Some("2001:db8::/64".parse().unwrap());
            let mut mpls = Route {
                family: AF_MPLS,
                ..Route::default()
            };
            mpls.extra.dst_label = Some(100);
            for ok in [
                Route::new("192.0.2.0/24".parse().unwrap()).dev(2),
                gw,
                src,
                nh,
                mp,
                from,
                mpls,
            ] {
                write(&ok, &mut Vec::new()).unwrap_or_else(|e| panic!("{name} {ok:?}: {e}"));
            }
        }
    }

    #[test]
    fn add_ecmp_sends_create_without_excl() {
        let r = Route::new("192.0.2.0/24".parse().unwrap()).via("198.51.100.1".parse().unwrap());
        let flags = |w: fn(&Route, &mut Vec<u8>) -> Result<()>| {
            let mut buf = Vec::new();
            w(&r, &mut buf).unwrap();
            header(&buf).0
        };
        let base = NLM_F_REQUEST | NLM_F_ACK;
        assert_eq!(flags(Route::write_add_ecmp), base | NLM_F_CREATE);
        assert_eq!(flags(Route::write_add), base | NLM_F_CREATE | NLM_F_EXCL);
        assert_eq!(
            flags(Route::write_append),
            base | NLM_F_CREATE | NLM_F_APPEND
        );
    }

    /// A message the way the kernel fills it: no RTA_DST at prefix length
    /// 0, no RTA_PRIORITY at IPv4 metric 0.
    fn kernel_style(family: u8, flags: u32, table: u32) -> Route {
        let mut buf = Vec::new();
        let mut m = MsgBuilder::new(&mut buf, RTM_NEWROUTE, 0);
        m.header(&RtMsg {
            rtm_family: family,
            rtm_table: u8::try_from(table).unwrap_or(252),
            rtm_type: RTN_UNICAST,
            rtm_flags: flags.into(),
            ..RtMsg::default()
        });
        m.put_u32(RTA_TABLE, table);
        m.put_u32(RTA_OIF, 2);
        m.finish().unwrap();
        Route::parse(&Msg::parse(&buf).unwrap().0).unwrap()
    }

    #[test]
    fn values_the_kernel_leaves_out_at_zero_read_back() {
        let r = kernel_style(AF_INET, 0, TABLE_MAIN);
        assert_eq!(r.dst, Some("0.0.0.0/0".parse().unwrap()));
        assert_eq!(r.priority, Some(0));
        assert_eq!(r.dst_string(), "default");
        let r = kernel_style(AF_INET6, 0, 1000);
        assert_eq!(r.dst, Some("::/0".parse().unwrap()));
        assert_eq!(r.table, 1000);
        // IPv6 always sends its metric; a missing one is not invented.
        assert_eq!(r.priority, None);
        // route get answers (cloned) carry no metric at all.
        assert_eq!(
            kernel_style(AF_INET, RTM_F_CLONED, TABLE_MAIN).priority,
            None
        );
        // A default route written and parsed back is the same route.
        let d = Route::default_v4()
            .via("192.0.2.1".parse().unwrap())
            .metric(0);
        assert_eq!(round_trip(&d), d);
    }

    #[test]
    fn every_dump_filter_selects() {
        let base = Route::new("192.0.2.0/24".parse().unwrap())
            .via("198.51.100.1".parse().unwrap())
            .dev(2)
            .metric(5);
        let mut other = Route::new("203.0.113.0/24".parse().unwrap())
            .dev(3)
            .metric(0);
        other.scope = Scope::Link;
        let mut with_all = base.clone();
        with_all.scope = Scope::Site;
        with_all.tos = 0x10;
        with_all.prefsrc = Some("198.51.100.9".parse().unwrap());
        with_all.extra.iif = Some(4);
        with_all.extra.realm = Some(7);
        with_all.metrics_mut().hoplimit = Some(9);
        let mut multi = Route::new("192.0.2.128/25".parse().unwrap());
        multi.multipath = vec![
            NextHop::new(Some("198.51.100.2".parse().unwrap()), 5),
            NextHop {
                via: Some("2001:db8::1".parse().unwrap()),
                realm: Some(8),
                ..NextHop::new(None, 6)
            },
        ];
        let default = Route::default_v4().via("198.51.100.254".parse().unwrap());
        let default6 = Route::default_v6().via("2001:db8::fe".parse().unwrap());
        let all = [&base, &other, &with_all, &multi, &default, &default6];
        let pick = |f: RouteDump| -> Vec<usize> {
            (0..all.len()).filter(|i| f.matches(all[*i])).collect()
        };
        let f = RouteDump::default;
        assert_eq!(pick(f()), [0, 1, 2, 3, 4, 5]);
        assert_eq!(
            pick(RouteDump {
                scope: Some(Scope::Link),
                ..f()
            }),
            [1]
        );
        assert_eq!(
            pick(RouteDump {
                scope: Some(Scope::Universe),
                ..f()
            }),
            [0, 3, 4, 5]
        );
        assert_eq!(
            pick(RouteDump {
                tos: Some(0x10),
                ..f()
            }),
            [2]
        );
        let gw = |g: &str| RouteDump {
            gateway: Some(g.parse().unwrap()),
            ..f()
        };
        assert_eq!(pick(gw("198.51.100.1")), [0, 2]);
        assert_eq!(pick(gw("198.51.100.2")), [3]);
        assert_eq!(pick(gw("2001:db8::1")), [3]);
        assert_eq!(
            pick(RouteDump {
                prefsrc: Some("198.51.100.9".parse().unwrap()),
                ..f()
            }),
            [2]
        );
        assert_eq!(
            pick(RouteDump {
                iif: Some(4),
                ..f()
            }),
            [2]
        );
        assert_eq!(
            pick(RouteDump {
                oif: Some(6),
                ..f()
            }),
            [3]
        );
        assert_eq!(
            pick(RouteDump {
                priority: Some(5),
                ..f()
            }),
            [0, 2]
        );
        // A missing metric is metric 0.
        assert_eq!(
            pick(RouteDump {
                priority: Some(0),
                ..f()
            }),
            [1, 3, 4, 5]
        );
        assert_eq!(
            pick(RouteDump {
                realm: Some(7),
                ..f()
            }),
            [2]
        );
        assert_eq!(
            pick(RouteDump {
                realm: Some(8),
                ..f()
            }),
            [3]
        );
        assert_eq!(
            pick(RouteDump {
                hoplimit: Some(9),
                ..f()
            }),
            [2]
        );
        assert_eq!(
            pick(RouteDump {
                default_only: true,
                ..f()
            }),
            [4, 5]
        );
        assert_eq!(
            pick(RouteDump {
                default_only: true,
                family: AF_INET6,
                ..f()
            }),
            [5]
        );
        assert_eq!(
            pick(RouteDump {
                dst: Some("0.0.0.0/0".parse().unwrap()),
                ..f()
            }),
            [4]
        );
        // Filters the kernel refuses in a dump request stay out of it.
        let mut buf = Vec::new();
        RouteDump {
            scope: Some(Scope::Link),
            tos: Some(0x10),
            prefsrc: Some("198.51.100.9".parse().unwrap()),
            ..f()
        }
        .write(&mut buf)
        .unwrap();
        let (m, _) = Msg::parse(&buf).unwrap();
        let h: RtMsg = m.family_header();
        assert_eq!((h.rtm_scope, h.rtm_tos, h.rtm_dst_len), (0, 0, 0));
        assert_eq!(m.attrs::<RtMsg>().count(), 0);
    }
}
