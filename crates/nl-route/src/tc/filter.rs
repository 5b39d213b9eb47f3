//! Filters (classifiers): RTM_NEWTFILTER / DELTFILTER / GETTFILTER.

use std::fmt;
use std::net::{Ipv4Addr, Ipv6Addr};
use std::str::FromStr;

use ipnet::{Ipv4Net, Ipv6Net};
use nl_wire::{Attr, HwAddr, Msg, MsgBuilder};
use zerocopy::{FromBytes, IntoBytes};

use super::action::Action;
use super::{Common, Op, TcHandle, start};
use crate::attrs::{attr_struct, parse_with};
use crate::error::{Error, Result, WireContext};
use crate::uapi::if_ether::{
    ETH_P_8021AD, ETH_P_8021Q, ETH_P_ALL, ETH_P_ARP, ETH_P_IP, ETH_P_IPV6,
};
use crate::uapi::pkt_cls::*;
use crate::uapi::rtnetlink::{RTM_DELTFILTER, RTM_NEWTFILTER, TCA_CHAIN, TCA_KIND, TCA_OPTIONS};
use crate::uapi::types::{TcU32Key, TcU32Mark, TcU32Sel};

/// An ethertype a filter applies to (`protocol ip`), host byte order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Protocol(pub u16);

impl Protocol {
    /// `all` (`ETH_P_ALL`).
    pub const ALL: Protocol = Protocol(ETH_P_ALL);
    /// `ip`.
    pub const IP: Protocol = Protocol(ETH_P_IP);
    /// `ipv6`.
    pub const IPV6: Protocol = Protocol(ETH_P_IPV6);
    /// `arp`.
    pub const ARP: Protocol = Protocol(ETH_P_ARP);
    /// `802.1Q`.
    pub const VLAN: Protocol = Protocol(ETH_P_8021Q);
    /// `802.1ad`.
    pub const QINQ: Protocol = Protocol(ETH_P_8021AD);
}

impl Default for Protocol {
    fn default() -> Self {
        Protocol::ALL
    }
}

impl fmt::Display for Protocol {
    /// `tc`'s word, or hex.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Protocol::ALL => f.write_str("all"),
            Protocol::IP => f.write_str("ip"),
            Protocol::IPV6 => f.write_str("ipv6"),
            Protocol::ARP => f.write_str("arp"),
            Protocol::VLAN => f.write_str("802.1Q"),
            Protocol::QINQ => f.write_str("802.1ad"),
            Protocol(p) => write!(f, "{p:#06x}"),
        }
    }
}

impl FromStr for Protocol {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        Ok(match s.to_ascii_lowercase().as_str() {
            "all" => Protocol::ALL,
            "ip" => Protocol::IP,
            "ipv6" => Protocol::IPV6,
            "arp" => Protocol::ARP,
            "802.1q" | "8021q" => Protocol::VLAN,
            "802.1ad" | "8021ad" => Protocol::QINQ,
            other => {
                let hex = other.strip_prefix("0x").unwrap_or(other);
                Protocol(u16::from_str_radix(hex, 16).map_err(|_| {
                    Error::invalid("protocol", "not all, ip, ipv6, arp, 802.1Q, 802.1ad or hex")
                })?)
            }
        })
    }
}

/// A filter attached to a qdisc or class.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Filter {
    /// Interface index.
    pub index: u32,
    /// The qdisc or class it is attached to (`parent 1:`; ingress/clsact:
    /// [`TcHandle::INGRESS_FILTERS`] / [`TcHandle::EGRESS_FILTERS`]).
    pub parent: TcHandle,
    /// The filter's handle within its kind (u32: `800::800`; fw: the mark).
    pub handle: u32,
    /// Priority (`pref`); 0 on add: the kernel picks one.
    pub priority: u16,
    /// Ethertype it applies to.
    pub protocol: Protocol,
    /// Chain (`chain N`; `None`: chain 0).
    pub chain: Option<u32>,
    /// Kind and options.
    pub kind: FilterKind,
    /// `TCA_HW_OFFLOAD` (reported).
    pub hw_offload: bool,
}

/// A filter's kind and options.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum FilterKind {
    /// `u32`: matches on 32-bit words of the packet.
    U32(U32),
    /// `bpf`: an eBPF classifier.
    Bpf(Bpf),
    /// `matchall`.
    Matchall(Matchall),
    /// `flower`: flow-key matches.
    Flower(Flower),
    /// `fw`: by firewall mark.
    Fw(Fw),
    /// `basic` (ematches kept raw).
    Basic(Basic),
    /// A kind this library does not know, or the options-less head of a
    /// priority a dump reports ([`FilterEntry`] tells those apart).
    Other {
        /// `TCA_KIND`.
        kind: String,
        /// Payload of `TCA_OPTIONS`.
        options: Option<Vec<u8>>,
    },
}

impl Default for FilterKind {
    fn default() -> Self {
        FilterKind::Matchall(Matchall::default())
    }
}

/// One u32 key: `(packet word at off) & mask == val`, words in network
/// order read as big-endian numbers (`0xc0000200` is 192.0.2.0).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct U32Key {
    /// Value.
    pub val: u32,
    /// Mask.
    pub mask: u32,
    /// Offset of the word (a multiple of 4).
    pub off: i32,
    /// Mask applied to the variable offset (`offmask`).
    pub offmask: i32,
}

impl U32Key {
    /// `match u32 VAL MASK at OFF` (`off` rounded down to 4 bytes, as `tc`
    /// requires).
    pub fn u32(val: u32, mask: u32, off: i32) -> U32Key {
        U32Key {
            val: val & mask,
            mask,
            off,
            offmask: 0,
        }
    }

    /// `match u16 VAL MASK at OFF`.
    pub fn u16(val: u16, mask: u16, off: i32) -> U32Key {
        let shift = if off & 2 == 0 { 16 } else { 0 };
        U32Key::u32(u32::from(val) << shift, u32::from(mask) << shift, off & !3)
    }

    /// `match u8 VAL MASK at OFF`.
    pub fn u8(val: u8, mask: u8, off: i32) -> U32Key {
        let shift = 8 * (3 - (off & 3));
        U32Key::u32(u32::from(val) << shift, u32::from(mask) << shift, off & !3)
    }

    /// `match ip src NET`.
    pub fn ip_src(net: Ipv4Net) -> U32Key {
        U32Key::u32(u32::from(net.network()), u32::from(net.netmask()), 12)
    }

    /// `match ip dst NET`.
    pub fn ip_dst(net: Ipv4Net) -> U32Key {
        U32Key::u32(u32::from(net.network()), u32::from(net.netmask()), 16)
    }

    /// `match ip protocol P 0xff`.
    pub fn ip_proto(proto: u8) -> U32Key {
        U32Key::u8(proto, 0xff, 9)
    }

    /// `match ip sport P 0xffff` (a header without options).
    pub fn ip_sport(port: u16) -> U32Key {
        U32Key::u16(port, 0xffff, 20)
    }

    /// `match ip dport P 0xffff` (a header without options).
    pub fn ip_dport(port: u16) -> U32Key {
        U32Key::u16(port, 0xffff, 22)
    }

    /// `match ip6 src NET`: up to four keys.
    pub fn ip6_src(net: Ipv6Net) -> Vec<U32Key> {
        Self::ip6(net, 8)
    }

    /// `match ip6 dst NET`: up to four keys.
    pub fn ip6_dst(net: Ipv6Net) -> Vec<U32Key> {
        Self::ip6(net, 24)
    }

    fn ip6(net: Ipv6Net, base: i32) -> Vec<U32Key> {
        let addr = u128::from(net.network());
        let mask = u128::from(net.netmask());
        (0..4)
            .filter_map(|i| {
                let shift = 96 - 32 * i;
                let m = (mask >> shift) as u32;
                (m != 0).then(|| U32Key::u32((addr >> shift) as u32, m, base + 4 * i))
            })
            .collect()
    }
}

/// A u32 selector (`struct tc_u32_sel` and its keys).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct U32Sel {
    /// `TC_U32_TERMINAL`, `TC_U32_OFFSET`, `TC_U32_VAROFFSET`, `TC_U32_EAT`.
    pub flags: u8,
    /// Shift of the variable offset.
    pub offshift: u8,
    /// Mask of the variable offset (host order).
    pub offmask: u16,
    /// Fixed offset to the next header.
    pub off: u16,
    /// Where the variable offset is read.
    pub offoff: i16,
    /// Offset of the hash key.
    pub hoff: i16,
    /// Mask of the hash key (host order, as a big-endian number).
    pub hmask: u32,
    /// The keys; all must match.
    pub keys: Vec<U32Key>,
}

impl U32Sel {
    /// A terminal selector of these keys (a match ends classification).
    pub fn matching(keys: Vec<U32Key>) -> U32Sel {
        U32Sel {
            flags: TC_U32_TERMINAL as u8,
            keys,
            ..U32Sel::default()
        }
    }

    /// The selector `tc` sends for `match u32 0 0` and the Go library
    /// sends for a u32 filter without one: a single key that matches
    /// every packet (the kernel refuses a u32 filter with no selector).
    /// `terminal`: a match ends classification (`tc` sets it when the
    /// filter has a class or actions; the Go library always does).
    pub fn match_all(terminal: bool) -> U32Sel {
        U32Sel {
            flags: if terminal { TC_U32_TERMINAL as u8 } else { 0 },
            keys: vec![U32Key::default()],
            ..U32Sel::default()
        }
    }

    fn to_bytes(&self) -> Result<Vec<u8>> {
        let nkeys =
            u8::try_from(self.keys.len()).map_err(|_| Error::invalid("u32", "at most 128 keys"))?;
        if nkeys > 128 {
            return Err(Error::invalid("u32", "at most 128 keys"));
        }
        let mut out = TcU32Sel {
            flags: self.flags,
            offshift: self.offshift,
            nkeys,
            offmask: self.offmask.into(),
            off: self.off.into(),
            offoff: self.offoff.into(),
            hoff: self.hoff.into(),
            hmask: self.hmask.into(),
            ..TcU32Sel::default()
        }
        .as_bytes()
        .to_vec();
        for k in &self.keys {
            out.extend_from_slice(
                TcU32Key {
                    mask: k.mask.into(),
                    val: k.val.into(),
                    off: k.off.into(),
                    offmask: k.offmask.into(),
                }
                .as_bytes(),
            );
        }
        Ok(out)
    }

    fn parse(bytes: &[u8]) -> U32Sel {
        let s: TcU32Sel = nl_wire::read_tolerant(bytes);
        let keys = bytes
            .get(size_of::<TcU32Sel>()..)
            .unwrap_or(&[])
            .chunks_exact(size_of::<TcU32Key>())
            .take(usize::from(s.nkeys))
            .filter_map(|c| TcU32Key::read_from_bytes(c).ok())
            .map(|k| U32Key {
                val: k.val.get(),
                mask: k.mask.get(),
                off: k.off.get(),
                offmask: k.offmask.get(),
            })
            .collect();
        U32Sel {
            flags: s.flags,
            offshift: s.offshift,
            offmask: s.offmask.get(),
            off: s.off.get(),
            offoff: s.offoff.get(),
            hoff: s.hoff.get(),
            hmask: s.hmask.get(),
            keys,
        }
    }
}

/// u32 options.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct U32 {
    /// Class a match goes to (`flowid`/`classid`).
    pub classid: Option<TcHandle>,
    /// The selector; `None` on add: [`U32Sel::match_all`] (what `tc`'s
    /// `match u32 0 0` and the Go library send), terminal when the filter
    /// has a class or actions. Not sent when creating a hash table.
    pub sel: Option<U32Sel>,
    /// Hash table (and bucket) to insert into (`ht 1:`), as a u32 handle.
    pub hash_table: Option<u32>,
    /// Hash table to continue in on a match (`link 1:`).
    pub link: Option<u32>,
    /// Creates a hash table of this many buckets (`divisor`).
    pub divisor: Option<u32>,
    /// Only packets from this device (`indev`).
    pub indev: Option<String>,
    /// `mark VAL MASK`: firewall mark match.
    pub mark: Option<(u32, u32)>,
    /// `TCA_CLS_FLAGS_*` (`skip_hw`, `skip_sw`).
    pub flags: Option<u32>,
    /// Actions on a match.
    pub actions: Vec<Action>,
}

/// bpf classifier options.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Bpf {
    /// Program fd (add only; the kernel reports id and tag).
    pub fd: Option<u32>,
    /// Name `tc` shows (`obj.o:[sec]` ...).
    pub name: Option<String>,
    /// `da`: the program's return value is the verdict.
    pub direct_action: bool,
    /// Class a match goes to.
    pub classid: Option<TcHandle>,
    /// `TCA_CLS_FLAGS_*` (`skip_hw`, `skip_sw`).
    pub flags_gen: Option<u32>,
    /// Program id (reported).
    pub id: Option<u32>,
    /// Program tag (reported).
    pub tag: Option<[u8; 8]>,
    /// Actions run on a match (without `da`).
    pub actions: Vec<Action>,
}

/// matchall options.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Matchall {
    /// Class every packet goes to.
    pub classid: Option<TcHandle>,
    /// `TCA_CLS_FLAGS_*`.
    pub flags: Option<u32>,
    /// Actions.
    pub actions: Vec<Action>,
}

/// fw options.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Fw {
    /// Class of matching packets.
    pub classid: Option<TcHandle>,
    /// Mask applied to the mark before comparing with the handle.
    pub mask: Option<u32>,
    /// Only packets from this device.
    pub indev: Option<String>,
    /// Actions.
    pub actions: Vec<Action>,
}

/// basic options (ematches kept raw).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Basic {
    /// Class of matching packets.
    pub classid: Option<TcHandle>,
    /// Raw `TCA_BASIC_EMATCHES` payload.
    pub ematches: Option<Vec<u8>>,
    /// Actions.
    pub actions: Vec<Action>,
}

attr_struct! {
    /// flower options: each key with its mask (absent mask: exact).
    pub struct Flower {
        /// Ethertype (`ETH_TYPE`, usually the filter's protocol; written
        /// from it when unset).
        eth_type: u16 = TCA_FLOWER_KEY_ETH_TYPE => Be16,
        /// Destination MAC.
        eth_dst: HwAddr = TCA_FLOWER_KEY_ETH_DST,
        /// Its mask.
        eth_dst_mask: HwAddr = TCA_FLOWER_KEY_ETH_DST_MASK,
        /// Source MAC.
        eth_src: HwAddr = TCA_FLOWER_KEY_ETH_SRC,
        /// Its mask.
        eth_src_mask: HwAddr = TCA_FLOWER_KEY_ETH_SRC_MASK,
        /// IP protocol (`ip_proto tcp` is 6).
        ip_proto: u8 = TCA_FLOWER_KEY_IP_PROTO,
        /// IPv4 source.
        ipv4_src: Ipv4Addr = TCA_FLOWER_KEY_IPV4_SRC,
        /// Its mask.
        ipv4_src_mask: Ipv4Addr = TCA_FLOWER_KEY_IPV4_SRC_MASK,
        /// IPv4 destination.
        ipv4_dst: Ipv4Addr = TCA_FLOWER_KEY_IPV4_DST,
        /// Its mask.
        ipv4_dst_mask: Ipv4Addr = TCA_FLOWER_KEY_IPV4_DST_MASK,
        /// IPv6 source.
        ipv6_src: Ipv6Addr = TCA_FLOWER_KEY_IPV6_SRC,
        /// Its mask.
        ipv6_src_mask: Ipv6Addr = TCA_FLOWER_KEY_IPV6_SRC_MASK,
        /// IPv6 destination.
        ipv6_dst: Ipv6Addr = TCA_FLOWER_KEY_IPV6_DST,
        /// Its mask.
        ipv6_dst_mask: Ipv6Addr = TCA_FLOWER_KEY_IPV6_DST_MASK,
        /// TCP source port.
        tcp_src: u16 = TCA_FLOWER_KEY_TCP_SRC => Be16,
        /// TCP destination port.
        tcp_dst: u16 = TCA_FLOWER_KEY_TCP_DST => Be16,
        /// UDP source port.
        udp_src: u16 = TCA_FLOWER_KEY_UDP_SRC => Be16,
        /// UDP destination port.
        udp_dst: u16 = TCA_FLOWER_KEY_UDP_DST => Be16,
        /// VLAN id.
        vlan_id: u16 = TCA_FLOWER_KEY_VLAN_ID,
        /// VLAN priority.
        vlan_prio: u8 = TCA_FLOWER_KEY_VLAN_PRIO,
        /// Ethertype inside the VLAN tag.
        vlan_eth_type: u16 = TCA_FLOWER_KEY_VLAN_ETH_TYPE => Be16,
        /// IP TOS.
        ip_tos: u8 = TCA_FLOWER_KEY_IP_TOS,
        /// Its mask.
        ip_tos_mask: u8 = TCA_FLOWER_KEY_IP_TOS_MASK,
        /// IP TTL.
        ip_ttl: u8 = TCA_FLOWER_KEY_IP_TTL,
        /// Its mask.
        ip_ttl_mask: u8 = TCA_FLOWER_KEY_IP_TTL_MASK,
        /// Class of matching packets.
        classid: u32 = TCA_FLOWER_CLASSID,
        /// Only packets from this device.
        indev: String = TCA_FLOWER_INDEV,
        /// `TCA_CLS_FLAGS_*` (`skip_hw`, `skip_sw`; `in_hw` reported).
        flags: u32 = TCA_FLOWER_FLAGS,
    }
    extra {
        /// Actions.
        pub actions: Vec<Action>,
    }
}

impl FilterKind {
    /// The kind string (`TCA_KIND`).
    pub fn name(&self) -> &str {
        match self {
            FilterKind::U32(_) => "u32",
            FilterKind::Bpf(_) => "bpf",
            FilterKind::Matchall(_) => "matchall",
            FilterKind::Flower(_) => "flower",
            FilterKind::Fw(_) => "fw",
            FilterKind::Basic(_) => "basic",
            FilterKind::Other { kind, .. } => kind,
        }
    }

    /// The filter's actions (none for unknown kinds).
    pub fn actions(&self) -> &[Action] {
        match self {
            FilterKind::U32(u) => &u.actions,
            FilterKind::Bpf(b) => &b.actions,
            FilterKind::Matchall(m) => &m.actions,
            FilterKind::Flower(f) => &f.actions,
            FilterKind::Fw(f) => &f.actions,
            FilterKind::Basic(b) => &b.actions,
            FilterKind::Other { .. } => &[],
        }
    }

    fn parse(kind: &str, options: Option<Attr<'_>>, ty: u16) -> Result<FilterKind> {
        let Some(o) = options else {
            return Ok(FilterKind::Other {
                kind: kind.to_string(),
                options: None,
            });
        };
        let classid =
            |a: &Attr<'_>| -> Result<Option<TcHandle>> { Ok(Some(TcHandle(a.u32().ctx(ty)?))) };
        Ok(match kind {
            "u32" => {
                let mut u = U32::default();
                parse_with(
                    o.nested(),
                    ty,
                    |_| Ok(false),
                    |a| {
                        match a.kind() {
                            TCA_U32_CLASSID => u.classid = classid(a)?,
                            TCA_U32_SEL => u.sel = Some(U32Sel::parse(a.payload())),
                            TCA_U32_HASH => u.hash_table = Some(a.u32().ctx(ty)?),
                            TCA_U32_LINK => u.link = Some(a.u32().ctx(ty)?),
                            TCA_U32_DIVISOR => u.divisor = Some(a.u32().ctx(ty)?),
                            TCA_U32_INDEV => u.indev = Some(a.str().ctx(ty)?.to_string()),
                            TCA_U32_MARK => {
                                let m: TcU32Mark = a.read();
                                u.mark = Some((m.val.get(), m.mask.get()));
                            }
                            TCA_U32_FLAGS => u.flags = Some(a.u32().ctx(ty)?),
                            TCA_U32_ACT => u.actions = Action::parse_list(a, ty)?,
                            _ => {}
                        }
                        Ok(())
                    },
                )?;
                FilterKind::U32(u)
            }
            "bpf" => {
                let mut b = Bpf::default();
                parse_with(
                    o.nested(),
                    ty,
                    |_| Ok(false),
                    |a| {
                        match a.kind() {
                            TCA_BPF_CLASSID => b.classid = classid(a)?,
                            TCA_BPF_FD => b.fd = Some(a.u32().ctx(ty)?),
                            TCA_BPF_NAME => b.name = Some(a.str().ctx(ty)?.to_string()),
                            TCA_BPF_FLAGS => {
                                b.direct_action =
                                    a.u32().ctx(ty)? & u32::from(TCA_BPF_FLAG_ACT_DIRECT) != 0
                            }
                            TCA_BPF_FLAGS_GEN => b.flags_gen = Some(a.u32().ctx(ty)?),
                            TCA_BPF_ID => b.id = Some(a.u32().ctx(ty)?),
                            TCA_BPF_TAG => {
                                b.tag = Some(nl_wire::read_tolerant::<[u8; 8]>(a.payload()))
                            }
                            TCA_BPF_ACT => b.actions = Action::parse_list(a, ty)?,
                            _ => {}
                        }
                        Ok(())
                    },
                )?;
                FilterKind::Bpf(b)
            }
            "matchall" => {
                let mut m = Matchall::default();
                parse_with(
                    o.nested(),
                    ty,
                    |_| Ok(false),
                    |a| {
                        match a.kind() {
                            TCA_MATCHALL_CLASSID => m.classid = classid(a)?,
                            TCA_MATCHALL_FLAGS => m.flags = Some(a.u32().ctx(ty)?),
                            TCA_MATCHALL_ACT => m.actions = Action::parse_list(a, ty)?,
                            _ => {}
                        }
                        Ok(())
                    },
                )?;
                FilterKind::Matchall(m)
            }
            "flower" => {
                let mut f = Flower::default();
                let mut actions = Vec::new();
                parse_with(
                    o.nested(),
                    ty,
                    |a| f.parse_attr(a),
                    |a| {
                        if a.kind() == TCA_FLOWER_ACT {
                            actions = Action::parse_list(a, ty)?;
                        }
                        Ok(())
                    },
                )?;
                f.actions = actions;
                FilterKind::Flower(f)
            }
            "fw" => {
                let mut f = Fw::default();
                parse_with(
                    o.nested(),
                    ty,
                    |_| Ok(false),
                    |a| {
                        match a.kind() {
                            TCA_FW_CLASSID => f.classid = classid(a)?,
                            TCA_FW_MASK => f.mask = Some(a.u32().ctx(ty)?),
                            TCA_FW_INDEV => f.indev = Some(a.str().ctx(ty)?.to_string()),
                            TCA_FW_ACT => f.actions = Action::parse_list(a, ty)?,
                            _ => {}
                        }
                        Ok(())
                    },
                )?;
                FilterKind::Fw(f)
            }
            "basic" => {
                let mut b = Basic::default();
                parse_with(
                    o.nested(),
                    ty,
                    |_| Ok(false),
                    |a| {
                        match a.kind() {
                            TCA_BASIC_CLASSID => b.classid = classid(a)?,
                            TCA_BASIC_EMATCHES => b.ematches = Some(a.payload().to_vec()),
                            TCA_BASIC_ACT => b.actions = Action::parse_list(a, ty)?,
                            _ => {}
                        }
                        Ok(())
                    },
                )?;
                FilterKind::Basic(b)
            }
            other => FilterKind::Other {
                kind: other.to_string(),
                options: Some(o.payload().to_vec()),
            },
        })
    }

    fn write(&self, m: &mut MsgBuilder<'_>, protocol: Protocol) -> Result<()> {
        m.put_str(TCA_KIND, self.name());
        let nest = m.nest_start(TCA_OPTIONS);
        let put_classid = |m: &mut MsgBuilder<'_>, kind: u16, c: &Option<TcHandle>| {
            if let Some(c) = c {
                m.put_u32(kind, c.0);
            }
        };
        match self {
            FilterKind::U32(u) => {
                put_classid(m, TCA_U32_CLASSID, &u.classid);
                if let Some(v) = u.divisor {
                    m.put_u32(TCA_U32_DIVISOR, v);
                }
                if let Some(v) = u.hash_table {
                    m.put_u32(TCA_U32_HASH, v);
                }
                if let Some(v) = u.link {
                    m.put_u32(TCA_U32_LINK, v);
                }
                match &u.sel {
                    Some(s) => {
                        m.put_bytes(TCA_U32_SEL, &s.to_bytes()?);
                    }
                    // A filter needs a selector ("Selector not specified");
                    // a new hash table (`divisor`) takes none.
                    None if u.divisor.is_none() => {
                        let terminal = u.classid.is_some() || !u.actions.is_empty();
                        m.put_bytes(TCA_U32_SEL, &U32Sel::match_all(terminal).to_bytes()?);
                    }
                    None => {}
                }
                if let Some(v) = &u.indev {
                    m.put_str(TCA_U32_INDEV, v);
                }
                if let Some((val, mask)) = u.mark {
                    m.put(
                        TCA_U32_MARK,
                        &TcU32Mark {
                            val: val.into(),
                            mask: mask.into(),
                            success: 0.into(),
                        },
                    );
                }
                if let Some(v) = u.flags {
                    m.put_u32(TCA_U32_FLAGS, v);
                }
                Action::write_list(&u.actions, m, TCA_U32_ACT)?;
            }
            FilterKind::Bpf(b) => {
                put_classid(m, TCA_BPF_CLASSID, &b.classid);
                if let Some(fd) = b.fd {
                    m.put_u32(TCA_BPF_FD, fd);
                }
                if let Some(n) = &b.name {
                    m.put_str(TCA_BPF_NAME, n);
                }
                if b.direct_action {
                    m.put_u32(TCA_BPF_FLAGS, u32::from(TCA_BPF_FLAG_ACT_DIRECT));
                }
                if let Some(v) = b.flags_gen {
                    m.put_u32(TCA_BPF_FLAGS_GEN, v);
                }
                Action::write_list(&b.actions, m, TCA_BPF_ACT)?;
            }
            FilterKind::Matchall(x) => {
                put_classid(m, TCA_MATCHALL_CLASSID, &x.classid);
                if let Some(v) = x.flags {
                    m.put_u32(TCA_MATCHALL_FLAGS, v);
                }
                Action::write_list(&x.actions, m, TCA_MATCHALL_ACT)?;
            }
            FilterKind::Flower(f) => {
                let mut f = f.clone();
                if f.eth_type.is_none() && protocol != Protocol::ALL {
                    f.eth_type = Some(protocol.0);
                }
                f.write_attrs(m);
                Action::write_list(&f.actions, m, TCA_FLOWER_ACT)?;
            }
            FilterKind::Fw(f) => {
                put_classid(m, TCA_FW_CLASSID, &f.classid);
                if let Some(v) = f.mask {
                    m.put_u32(TCA_FW_MASK, v);
                }
                if let Some(v) = &f.indev {
                    m.put_str(TCA_FW_INDEV, v);
                }
                Action::write_list(&f.actions, m, TCA_FW_ACT)?;
            }
            FilterKind::Basic(b) => {
                put_classid(m, TCA_BASIC_CLASSID, &b.classid);
                if let Some(e) = &b.ematches {
                    m.put_bytes(TCA_BASIC_EMATCHES, e);
                }
                Action::write_list(&b.actions, m, TCA_BASIC_ACT)?;
            }
            FilterKind::Other { options, .. } => match options {
                Some(o) => {
                    m.header(o.as_slice());
                }
                None => {
                    m.nest_cancel(nest);
                    return Ok(());
                }
            },
        }
        m.nest_end(nest);
        Ok(())
    }
}

impl Filter {
    /// A filter of `kind` on device `index` under `parent`, for
    /// `protocol`, with the kernel choosing priority and handle.
    pub fn new(index: u32, parent: TcHandle, protocol: Protocol, kind: FilterKind) -> Filter {
        Filter {
            index,
            parent,
            protocol,
            kind,
            ..Filter::default()
        }
    }

    /// Sets the priority (`pref`).
    #[must_use]
    pub fn priority(mut self, priority: u16) -> Filter {
        self.priority = priority;
        self
    }

    /// Sets the handle.
    #[must_use]
    pub fn with_handle(mut self, handle: u32) -> Filter {
        self.handle = handle;
        self
    }

    /// Parses an RTM_NEWTFILTER / RTM_DELTFILTER message.
    pub fn parse(msg: &Msg<'_>) -> Result<Filter> {
        let c = Common::parse(msg)?;
        let info = c.hdr.tcm_info.get();
        Ok(Filter {
            index: c.index(),
            parent: TcHandle(c.hdr.tcm_parent.get()),
            handle: c.hdr.tcm_handle.get(),
            priority: (info >> 16) as u16,
            protocol: Protocol(u16::from_be((info & 0xFFFF) as u16)),
            chain: c.chain,
            hw_offload: c.hw_offload,
            kind: FilterKind::parse(c.kind, c.options, msg.ty())?,
        })
    }

    fn write(&self, buf: &mut Vec<u8>, op: Op) -> Result<()> {
        if self.index == 0 {
            return Err(Error::invalid("index", "a filter needs a device"));
        }
        if self.parent == TcHandle::NONE {
            return Err(Error::invalid(
                "parent",
                "a filter needs a parent qdisc or class",
            ));
        }
        if op == Op::Add && self.protocol.0 == 0 {
            return Err(Error::invalid(
                "protocol",
                "a filter needs a protocol (e.g. all, ip)",
            ));
        }
        let info = (u32::from(self.priority) << 16) | u32::from(self.protocol.0.to_be());
        let mut m = start(
            buf,
            op.types(RTM_NEWTFILTER, RTM_DELTFILTER),
            op.flags(),
            self.index,
            TcHandle(self.handle),
            self.parent,
            info,
        )?;
        if let Some(c) = self.chain {
            m.put_u32(TCA_CHAIN, c);
        }
        if op == Op::Del {
            if !self.kind.name().is_empty() && self.priority != 0 {
                m.put_str(TCA_KIND, self.kind.name());
            }
        } else {
            self.kind.write(&mut m, self.protocol)?;
        }
        m.finish().map_err(Error::Build)?;
        Ok(())
    }

    /// Writes `tc filter add`.
    pub fn write_add(&self, buf: &mut Vec<u8>) -> Result<()> {
        self.write(buf, Op::Add)
    }

    /// Writes `tc filter replace` (adds, or changes the filter with this
    /// priority, protocol and handle).
    pub fn write_replace(&self, buf: &mut Vec<u8>) -> Result<()> {
        self.write(buf, Op::Replace)
    }

    /// Writes `tc filter change`.
    pub fn write_change(&self, buf: &mut Vec<u8>) -> Result<()> {
        self.write(buf, Op::Change)
    }

    /// Writes `tc filter del`: by priority, protocol and handle when set;
    /// handle 0 deletes every filter of the priority, priority 0 every
    /// filter under the parent.
    ///
    /// A u32 handle that names a hash table (`800:`, node id 0) is refused:
    /// deleting a table deletes every filter in it, so that goes through
    /// [`U32Table::write_del`].
    pub fn write_del(&self, buf: &mut Vec<u8>) -> Result<()> {
        if matches!(self.kind, FilterKind::U32(_)) && is_u32_table(self.handle) {
            return Err(Error::invalid(
                "handle",
                "names a u32 hash table, not a filter (delete it as a U32Table)",
            ));
        }
        self.write(buf, Op::Del)
    }
}

/// `TC_U32_KEY(h)`: the node id of a u32 handle (`htid:hash:node`).
const U32_NODE_MASK: u32 = 0xfff;

/// Whether a u32 handle names a hash table (node id 0) rather than a
/// filter; the kernel's own test (`TC_U32_KEY(handle) == 0`).
fn is_u32_table(handle: u32) -> bool {
    handle != 0 && handle & U32_NODE_MASK == 0
}

/// One entry of a filter dump. Besides filters the kernel lists, per
/// priority, a head entry, and for u32 its hash tables: telling them
/// apart by type keeps "delete every filter" from deleting a table (and
/// with it the filters inside).
///
/// ```
/// use nl_route::tc::{Filter, FilterEntry, FilterKind, Protocol, TcHandle, U32};
/// let table = Filter::new(3, TcHandle::new(1, 0), Protocol::IP,
///     FilterKind::U32(U32 { divisor: Some(1), ..U32::default() }))
///     .priority(5)
///     .with_handle(0x8000_0000);
/// assert!(matches!(FilterEntry::from(table), FilterEntry::U32Table(t) if t.divisor == 1));
/// ```
#[derive(Debug, Clone, PartialEq)]
#[allow(clippy::large_enum_variant)] // most entries are filters: a Box each would cost more
pub enum FilterEntry {
    /// A filter: it classifies packets, and deleting it removes only it.
    Filter(Filter),
    /// The head of a priority (see [`FilterHead`]).
    Head(FilterHead),
    /// A u32 hash table (see [`U32Table`]).
    U32Table(U32Table),
}

impl FilterEntry {
    /// Parses an RTM_NEWTFILTER / RTM_DELTFILTER message and tells what
    /// it is.
    pub fn parse(msg: &Msg<'_>) -> Result<FilterEntry> {
        Ok(Filter::parse(msg)?.into())
    }

    /// The filter, when this entry is one.
    pub fn as_filter(&self) -> Option<&Filter> {
        match self {
            FilterEntry::Filter(f) => Some(f),
            _ => None,
        }
    }

    /// The filter, when this entry is one.
    pub fn into_filter(self) -> Option<Filter> {
        match self {
            FilterEntry::Filter(f) => Some(f),
            _ => None,
        }
    }
}

impl From<Filter> for FilterEntry {
    /// Tells a parsed [`Filter`] (from a dump or an event) apart: handle 0
    /// without options is a head; a u32 handle with node id 0 is a table.
    fn from(f: Filter) -> FilterEntry {
        match f.kind {
            FilterKind::Other {
                kind,
                options: None,
            } if f.handle == 0 => FilterEntry::Head(FilterHead {
                index: f.index,
                parent: f.parent,
                priority: f.priority,
                protocol: f.protocol,
                chain: f.chain,
                kind,
            }),
            FilterKind::U32(u) if is_u32_table(f.handle) => FilterEntry::U32Table(U32Table {
                index: f.index,
                parent: f.parent,
                priority: f.priority,
                protocol: f.protocol,
                chain: f.chain,
                handle: f.handle,
                divisor: u.divisor.unwrap_or(0),
            }),
            kind => FilterEntry::Filter(Filter { kind, ..f }),
        }
    }
}

/// The head of one priority in a filter dump: the classifier instance
/// (the kernel's `tcf_proto`) each chain, priority and protocol has,
/// listed with handle 0 and no options before that priority's filters
/// (`tc` prints it as a line of its own). It disappears with the
/// priority's last filter; deleting a [`Filter`] of handle 0 with this
/// priority deletes the priority and every filter in it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct FilterHead {
    /// Interface index.
    pub index: u32,
    /// The qdisc or class the filters are attached to.
    pub parent: TcHandle,
    /// Priority (`pref`).
    pub priority: u16,
    /// Ethertype.
    pub protocol: Protocol,
    /// Chain (`None`: the kernel did not say).
    pub chain: Option<u32>,
    /// The classifier kind (`u32`, `bpf` ...).
    pub kind: String,
}

/// A u32 hash table: the root table each u32 priority has (`800:`,
/// `801:` ..., made by the kernel), or one made with `divisor`
/// (`tc filter add dev X parent 1: prio 5 handle 2: protocol ip u32
/// divisor 256`). Filters go into a table with `ht`, and reach it from
/// another one with `link`.
///
/// Not a filter: deleting a table deletes every filter in it; the kernel
/// refuses to delete a priority's root table ("Not allowed to delete root
/// node") and a table a filter links to.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct U32Table {
    /// Interface index.
    pub index: u32,
    /// The qdisc or class its priority is attached to.
    pub parent: TcHandle,
    /// Priority (`pref`) of the u32 instance the table belongs to.
    pub priority: u16,
    /// Ethertype.
    pub protocol: Protocol,
    /// Chain (`None`: chain 0).
    pub chain: Option<u32>,
    /// The table's handle: its id in the top 12 bits, the rest 0 (`2:` is
    /// `0x0020_0000`, `800:` is `0x8000_0000`); 0 on add: the kernel picks.
    pub handle: u32,
    /// Number of buckets (1 to 256; reported as the kernel keeps it).
    pub divisor: u32,
}

impl U32Table {
    /// A table of `divisor` buckets on device `index` under `parent`.
    pub fn new(index: u32, parent: TcHandle, protocol: Protocol, divisor: u32) -> U32Table {
        U32Table {
            index,
            parent,
            protocol,
            divisor,
            ..U32Table::default()
        }
    }

    /// Sets the priority (`pref`) of the u32 instance it goes into.
    #[must_use]
    pub fn priority(mut self, priority: u16) -> U32Table {
        self.priority = priority;
        self
    }

    /// Sets the handle (`handle 2:` is `0x0020_0000`).
    #[must_use]
    pub fn with_handle(mut self, handle: u32) -> U32Table {
        self.handle = handle;
        self
    }

    fn filter(&self) -> Result<Filter> {
        if self.handle & !0xfff0_0000 != 0 {
            return Err(Error::invalid(
                "handle",
                "a u32 table's handle has only a table id (e.g. 2:)",
            ));
        }
        Ok(Filter {
            index: self.index,
            parent: self.parent,
            handle: self.handle,
            priority: self.priority,
            protocol: self.protocol,
            chain: self.chain,
            kind: FilterKind::U32(U32 {
                divisor: Some(self.divisor),
                ..U32::default()
            }),
            hw_offload: false,
        })
    }

    /// Writes `tc filter add ... u32 divisor N`.
    pub fn write_add(&self, buf: &mut Vec<u8>) -> Result<()> {
        self.filter()?.write(buf, Op::Add)
    }

    /// Writes `tc filter del ... handle ID: u32`: deletes the table and
    /// every filter in it. Needs the priority and the handle (without
    /// them the kernel would delete the whole priority, or every filter
    /// under the parent).
    pub fn write_del(&self, buf: &mut Vec<u8>) -> Result<()> {
        if self.priority == 0 || self.handle == 0 {
            return Err(Error::invalid(
                "u32 table",
                "deleting a table needs its priority and handle",
            ));
        }
        self.filter()?.write(buf, Op::Del)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tc::Verdict;
    use crate::tc::action::{Action, MirredAction};

    fn round_trip(f: &Filter) -> Filter {
        let mut buf = Vec::new();
        f.write_add(&mut buf).unwrap();
        Filter::parse(&Msg::parse(&buf).unwrap().0).unwrap()
    }

    #[test]
    fn u32_keys_are_what_tc_sends() {
        let k = U32Key::ip_dst("192.0.2.0/24".parse().unwrap());
        assert_eq!((k.val, k.mask, k.off), (0xc000_0200, 0xffff_ff00, 16));
        let k = U32Key::ip_proto(6);
        assert_eq!((k.val, k.mask, k.off), (0x0006_0000, 0x00ff_0000, 8));
        let k = U32Key::ip_sport(80);
        assert_eq!((k.val, k.mask, k.off), (0x0050_0000, 0xffff_0000, 20));
        let k = U32Key::ip_dport(53);
        assert_eq!((k.val, k.mask, k.off), (0x0000_0035, 0x0000_ffff, 20));
        let k = U32Key::ip6_dst("2001:db8::/32".parse().unwrap());
        assert_eq!(k, vec![U32Key::u32(0x2001_0db8, 0xffff_ffff, 24)]);
    }

    #[test]
    fn every_kind_round_trips() {
        let kinds = vec![
            FilterKind::U32(U32 {
                classid: Some(TcHandle::new(1, 0x10)),
                sel: Some(U32Sel::matching(vec![
                    U32Key::ip_dst("192.0.2.0/24".parse().unwrap()),
                    U32Key::ip_proto(17),
                ])),
                hash_table: Some(0x800 << 20),
                mark: Some((5, 0xff)),
                flags: Some(TCA_CLS_FLAGS_SKIP_HW),
                indev: Some("eth0".into()),
                actions: vec![Action::mirred(MirredAction::EgressRedirect, 4)],
                ..U32::default()
            }),
            FilterKind::U32(U32 {
                divisor: Some(256),
                ..U32::default()
            }),
            FilterKind::Bpf(Bpf {
                fd: Some(5),
                name: Some("cls".into()),
                direct_action: true,
                classid: Some(TcHandle::new(1, 1)),
                flags_gen: Some(TCA_CLS_FLAGS_SKIP_HW),
                ..Bpf::default()
            }),
            FilterKind::Matchall(Matchall {
                actions: vec![Action::gact(Verdict::Drop)],
                ..Matchall::default()
            }),
            FilterKind::Flower(Flower {
                eth_type: Some(0x0800),
                ip_proto: Some(6),
                ipv4_dst: Some(Ipv4Addr::new(192, 0, 2, 0)),
                ipv4_dst_mask: Some(Ipv4Addr::new(255, 255, 255, 0)),
                tcp_dst: Some(443),
                vlan_id: Some(5),
                eth_dst: Some(HwAddr::from([2, 0, 0, 0, 0, 1])),
                classid: Some(0x10010),
                actions: vec![Action::gact(Verdict::Ok)],
                ..Flower::default()
            }),
            FilterKind::Fw(Fw {
                classid: Some(TcHandle::new(1, 2)),
                mask: Some(0xff),
                ..Fw::default()
            }),
            FilterKind::Basic(Basic {
                classid: Some(TcHandle::new(1, 3)),
                ..Basic::default()
            }),
            FilterKind::Other {
                kind: "route".into(),
                options: Some(vec![8, 0, 1, 0, 1, 0, 1, 0]),
            },
        ];
        for kind in kinds {
            let f = Filter {
                chain: Some(2),
                ..Filter::new(3, TcHandle::new(1, 0), Protocol::IP, kind)
                    .priority(10)
                    .with_handle(0x800_0800)
            };
            assert_eq!(round_trip(&f), f);
        }
    }

    #[test]
    fn u32_without_selector_gets_the_match_all_one() {
        let with = |classid: Option<TcHandle>, divisor: Option<u32>| {
            let f = Filter::new(
                3,
                TcHandle::new(1, 0),
                Protocol::IP,
                FilterKind::U32(U32 {
                    classid,
                    divisor,
                    ..U32::default()
                }),
            );
            let FilterKind::U32(u) = round_trip(&f).kind else {
                panic!("not u32")
            };
            u.sel
        };
        // tc's `match u32 0 0 flowid 1:1`; the Go library's nil Sel.
        let sel = with(Some(TcHandle::new(1, 1)), None).unwrap();
        assert_eq!(sel.flags, TC_U32_TERMINAL as u8);
        assert_eq!(sel.keys, [U32Key::default()]);
        // Without a class or actions a match does not end classification.
        assert_eq!(with(None, None), Some(U32Sel::match_all(false)));
        // A new hash table takes no selector.
        assert_eq!(with(None, Some(16)), None);
    }

    #[test]
    fn entries_tell_heads_tables_and_filters_apart() {
        let base = |handle: u32, kind: FilterKind| {
            Filter::new(3, TcHandle::new(1, 0), Protocol::IP, kind)
                .priority(5)
                .with_handle(handle)
        };
        let head = base(
            0,
            FilterKind::Other {
                kind: "u32".into(),
                options: None,
            },
        );
        let FilterEntry::Head(h) = FilterEntry::from(head) else {
            panic!("not a head")
        };
        assert_eq!((h.priority, h.kind.as_str()), (5, "u32"));
        let table = |handle| {
            base(
                handle,
                FilterKind::U32(U32 {
                    divisor: Some(1),
                    ..U32::default()
                }),
            )
        };
        for handle in [0x8000_0000, 0x0020_0000] {
            let FilterEntry::U32Table(t) = FilterEntry::from(table(handle)) else {
                panic!("{handle:#x} is a table")
            };
            assert_eq!((t.handle, t.divisor, t.priority), (handle, 1, 5));
            // Deleting it as a filter is refused; as a table it is written.
            assert!(table(handle).write_del(&mut Vec::new()).is_err());
            assert!(t.write_del(&mut Vec::new()).is_ok());
        }
        let real = base(
            0x8000_0800,
            FilterKind::U32(U32 {
                sel: Some(U32Sel::match_all(true)),
                ..U32::default()
            }),
        );
        assert_eq!(
            FilterEntry::from(real.clone()).into_filter(),
            Some(real.clone())
        );
        assert!(real.write_del(&mut Vec::new()).is_ok());
        // Other kinds have no tables: a fw mark of 0x100000 is a filter.
        let fw = base(0x0010_0000, FilterKind::Fw(Fw::default()));
        assert!(FilterEntry::from(fw.clone()).as_filter().is_some());
        assert!(fw.write_del(&mut Vec::new()).is_ok());
        // A table delete without priority or handle would take more.
        let t = U32Table::new(3, TcHandle::new(1, 0), Protocol::IP, 16);
        assert!(
            t.clone()
                .with_handle(0x0020_0000)
                .write_del(&mut Vec::new())
                .is_err()
        );
        assert!(t.clone().priority(5).write_del(&mut Vec::new()).is_err());
        assert!(
            t.with_handle(0x0020_0800)
                .priority(5)
                .write_add(&mut Vec::new())
                .is_err()
        );
    }

    #[test]
    fn protocols_parse_like_tc() {
        for (s, p) in [
            ("ip", 0x800),
            ("ipv6", 0x86dd),
            ("all", 3),
            ("802.1Q", 0x8100),
            ("0x88cc", 0x88cc),
        ] {
            let got: Protocol = s.parse().unwrap();
            assert_eq!(got.0, p);
        }
        assert!("nope".parse::<Protocol>().is_err());
    }

    #[test]
    fn bad_filters_are_refused() {
        let mut buf = Vec::new();
        let f = Filter::new(3, TcHandle::NONE, Protocol::IP, FilterKind::default());
        assert!(f.write_add(&mut buf).is_err());
        let f = Filter::new(0, TcHandle::ROOT, Protocol::IP, FilterKind::default());
        assert!(f.write_add(&mut buf).is_err());
        let keys = vec![U32Key::default(); 129];
        let f = Filter::new(
            3,
            TcHandle::new(1, 0),
            Protocol::IP,
            FilterKind::U32(U32 {
                sel: Some(U32Sel::matching(keys)),
                ..U32::default()
            }),
        );
        assert!(f.write_add(&mut buf).is_err());
    }
}
