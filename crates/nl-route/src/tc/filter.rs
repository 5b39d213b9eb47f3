//! Filters (classifiers): RTM_NEWTFILTER / DELTFILTER / GETTFILTER.
//!
//! # Adding a filter kind
//!
//! One new file and one line in the table:
//!
//! 1. `filter/foo.rs`: the options struct and `impl FilterOptions for
//!    Foo` (`parse` reads the attributes of `TCA_OPTIONS`, `write` writes
//!    them, `actions` hands out its actions); unit tests beside it.
//! 2. Here: `mod foo;` with its `pub use`, and one line in the
//!    [`FilterKind`] table: `Foo(Foo) = "foo",`.
//!
//! Kinds not in the table are [`FilterKind::Other`], their options raw.

use std::fmt;
use std::str::FromStr;

use nl_wire::{Attr, Attrs, Msg, MsgBuilder};

use super::action::Action;
use super::{Common, Op, TcHandle, start};
use crate::error::{Error, Result, parse_msg};
use crate::registry::kind_table;
use crate::uapi::if_ether::*;
use crate::uapi::rtnetlink::{RTM_DELTFILTER, RTM_NEWTFILTER, TCA_CHAIN, TCA_KIND, TCA_OPTIONS};

mod basic;
mod bpf;
mod cgroup;
mod ematch;
mod flow;
mod flower;
mod fw;
mod matchall;
mod route;
mod u32;

pub use basic::Basic;
pub use bpf::{Bpf, ClassicInsn};
pub use cgroup::Cgroup;
pub use ematch::{EmCmp, Ematch, EmatchData, Ematches};
pub use flow::{FLOW_KEYS, FLOW_MODE_HASH, FLOW_MODE_MAP, Flow};
pub use flower::{Flower, MplsLse};
pub use fw::Fw;
pub use matchall::Matchall;
pub use route::Route4;
use u32::is_u32_table;
pub use u32::{U32, U32Key, U32Sel, U32Table};

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

/// tc's names of ethertypes (iproute2's `ll_proto` table, in its order:
/// the first name of a value is the one printed; `ipv4` is read too).
const PROTOCOL_NAMES: &[(u16, &str)] = &[
    (ETH_P_LOOP, "loop"),
    (ETH_P_PUP, "pup"),
    (ETH_P_PUPAT, "pupat"),
    (ETH_P_IP, "ip"),
    (ETH_P_X25, "x25"),
    (ETH_P_ARP, "arp"),
    (ETH_P_BPQ, "bpq"),
    (ETH_P_IEEEPUP, "ieeepup"),
    (ETH_P_IEEEPUPAT, "ieeepupat"),
    (ETH_P_DEC, "dec"),
    (ETH_P_DNA_DL, "dna_dl"),
    (ETH_P_DNA_RC, "dna_rc"),
    (ETH_P_DNA_RT, "dna_rt"),
    (ETH_P_LAT, "lat"),
    (ETH_P_DIAG, "diag"),
    (ETH_P_CUST, "cust"),
    (ETH_P_SCA, "sca"),
    (ETH_P_RARP, "rarp"),
    (ETH_P_ATALK, "atalk"),
    (ETH_P_AARP, "aarp"),
    (ETH_P_IPX, "ipx"),
    (ETH_P_IPV6, "ipv6"),
    (ETH_P_PPP_DISC, "ppp_disc"),
    (ETH_P_PPP_SES, "ppp_ses"),
    (ETH_P_ATMMPOA, "atmmpoa"),
    (ETH_P_ATMFATE, "atmfate"),
    (ETH_P_802_3, "802_3"),
    (ETH_P_AX25, "ax25"),
    (ETH_P_ALL, "all"),
    (ETH_P_802_2, "802_2"),
    (ETH_P_SNAP, "snap"),
    (ETH_P_DDCMP, "ddcmp"),
    (ETH_P_WAN_PPP, "wan_ppp"),
    (ETH_P_PPP_MP, "ppp_mp"),
    (ETH_P_LOCALTALK, "localtalk"),
    (ETH_P_CAN, "can"),
    (ETH_P_PPPTALK, "ppptalk"),
    (ETH_P_TR_802_2, "tr_802_2"),
    (ETH_P_MOBITEX, "mobitex"),
    (ETH_P_CONTROL, "control"),
    (ETH_P_IRDA, "irda"),
    (ETH_P_ECONET, "econet"),
    (ETH_P_TIPC, "tipc"),
    (ETH_P_PROFINET, "profinet"),
    (ETH_P_AOE, "aoe"),
    (ETH_P_ETHERCAT, "ethercat"),
    (ETH_P_8021Q, "802.1Q"),
    (ETH_P_8021AD, "802.1ad"),
    (ETH_P_MPLS_UC, "mpls_uc"),
    (ETH_P_MPLS_MC, "mpls_mc"),
    (ETH_P_TEB, "teb"),
    (ETH_P_LLDP, "LLDP"),
    (ETH_P_IP, "ipv4"),
];

impl fmt::Display for Protocol {
    /// tc's name (`ip`, `802.1Q`, `mpls_uc` ...), or the number in
    /// brackets as tc prints one it has no name for (`[1234]`).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match PROTOCOL_NAMES.iter().find(|(v, _)| *v == self.0) {
            Some((_, name)) => f.write_str(name),
            None => write!(f, "[{}]", self.0),
        }
    }
}

impl FromStr for Protocol {
    type Err = Error;
    /// A name of tc's table (any case), or a number as C reads one
    /// (`0x8847` hex, `010` octal, `2048` decimal), as tc reads them.
    fn from_str(s: &str) -> Result<Self> {
        if let Some((v, _)) = PROTOCOL_NAMES
            .iter()
            .find(|(_, name)| name.eq_ignore_ascii_case(s))
        {
            return Ok(Protocol(*v));
        }
        let bad = || Error::invalid("protocol", "not an ethertype name or number");
        let (digits, radix) = if let Some(h) = s.strip_prefix("0x").or(s.strip_prefix("0X")) {
            (h, 16)
        } else if let Some(o) = s.strip_prefix('0').filter(|o| !o.is_empty()) {
            (o, 8)
        } else {
            (s, 10)
        };
        u16::from_str_radix(digits, radix)
            .map(Protocol)
            .map_err(|_| bad())
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

/// The options of a filter kind, as its table line registers them: the
/// attributes inside `TCA_OPTIONS`.
pub trait FilterOptions {
    /// Reads the attributes of `TCA_OPTIONS`.
    fn parse(options: Attrs<'_>) -> nl_wire::Result<Self>
    where
        Self: Sized;

    /// Writes the inside of `TCA_OPTIONS` for a filter of `protocol`.
    fn write(&self, m: &mut MsgBuilder<'_>, protocol: Protocol) -> Result<()>;

    /// The filter's actions.
    fn actions(&self) -> &[Action];
}

/// A kind's options kept in a box (a large one) are its options.
impl<T: FilterOptions> FilterOptions for Box<T> {
    fn parse(options: Attrs<'_>) -> nl_wire::Result<Self> {
        T::parse(options).map(Box::new)
    }

    fn write(&self, m: &mut MsgBuilder<'_>, protocol: Protocol) -> Result<()> {
        (**self).write(m, protocol)
    }

    fn actions(&self) -> &[Action] {
        (**self).actions()
    }
}

kind_table! {
    /// A filter's kind and options.
    #[derive(Debug, Clone, PartialEq)]
    #[non_exhaustive]
    pub enum FilterKind: FilterOptions(options: Attrs<'_>) {
        /// `u32`: matches on 32-bit words of the packet.
        U32(U32) = "u32",
        /// `bpf`: an eBPF classifier.
        Bpf(Bpf) = "bpf",
        /// `matchall`.
        Matchall(Matchall) = "matchall",
        /// `flower`: flow-key matches (boxed: it has many keys).
        Flower(Box<Flower>) = "flower",
        /// `fw`: by firewall mark.
        Fw(Fw) = "fw",
        /// `basic`: extended matches.
        Basic(Basic) = "basic",
        /// `route`: by the route's realm or input device.
        Route(Route4) = "route",
        /// `cgroup`: by the socket's net_cls class.
        Cgroup(Cgroup) = "cgroup",
        /// `flow`: a class from packet keys.
        Flow(Flow) = "flow",
    }
    other {
        /// A kind this library does not know, or the options-less head of a
        /// priority a dump reports ([`FilterEntry`] tells those apart).
        Other {
            /// `TCA_KIND`.
            kind: String,
            /// Payload of `TCA_OPTIONS`.
            options: Option<Vec<u8>>,
        },
    }
}

impl Default for FilterKind {
    fn default() -> Self {
        FilterKind::Matchall(Matchall::default())
    }
}

/// A classid attribute (`TCA_*_CLASSID`).
pub(crate) fn read_classid(a: &Attr<'_>) -> nl_wire::Result<Option<TcHandle>> {
    Ok(Some(TcHandle(a.u32()?)))
}

/// Writes a classid attribute when there is one.
pub(crate) fn put_classid(m: &mut MsgBuilder<'_>, ty: u16, classid: Option<TcHandle>) {
    if let Some(c) = classid {
        m.put_u32(ty, c.0);
    }
}

impl FilterKind {
    /// The kind string (`TCA_KIND`).
    pub fn name(&self) -> &str {
        match self {
            FilterKind::Other { kind, .. } => kind,
            known => known.table_name(),
        }
    }

    /// The filter's actions (none for unknown kinds).
    pub fn actions(&self) -> &[Action] {
        self.table_settings().map_or(&[], |o| o.actions())
    }

    /// Without options (the head of a priority in a dump) any kind is
    /// `Other`.
    pub(crate) fn parse(kind: &str, options: Option<&Attr<'_>>) -> nl_wire::Result<FilterKind> {
        let known = match options {
            Some(o) => FilterKind::parse_table(kind, o.nested())?,
            None => None,
        };
        Ok(known.unwrap_or_else(|| FilterKind::Other {
            kind: kind.to_string(),
            options: options.map(|o| o.payload().to_vec()),
        }))
    }

    pub(crate) fn write(&self, m: &mut MsgBuilder<'_>, protocol: Protocol) -> Result<()> {
        m.put_str(TCA_KIND, self.name());
        let nest = m.nest_start(TCA_OPTIONS);
        match self {
            FilterKind::Other {
                options: Some(o), ..
            } => {
                m.header(o.as_slice());
            }
            FilterKind::Other { options: None, .. } => {
                m.nest_cancel(nest);
                return Ok(());
            }
            known => {
                if let Some(o) = known.table_settings() {
                    o.write(m, protocol)?;
                }
            }
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

    /// `pref P`: sets the priority.
    #[must_use]
    pub fn priority(mut self, priority: u16) -> Filter {
        self.priority = priority;
        self
    }

    /// `handle H`: sets the handle.
    #[must_use]
    pub fn handle(mut self, handle: u32) -> Filter {
        self.handle = handle;
        self
    }

    /// The former name of [`Filter::handle`].
    #[deprecated(
        since = "0.1.0",
        note = "builder methods take tc's word: use `handle()`"
    )]
    #[must_use]
    pub fn with_handle(self, handle: u32) -> Filter {
        self.handle(handle)
    }

    /// Parses an RTM_NEWTFILTER / RTM_DELTFILTER message.
    pub fn parse(msg: &Msg<'_>) -> Result<Filter> {
        parse_msg(msg, || {
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
                kind: FilterKind::parse(c.kind, c.options.as_ref())
                    .map_err(|e| e.in_attr(TCA_OPTIONS))?,
            })
        })
    }

    pub(crate) fn write(&self, buf: &mut Vec<u8>, op: Op) -> Result<()> {
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
///     .handle(0x8000_0000);
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

#[cfg(test)]
mod tests {
    use std::net::Ipv4Addr;

    use nl_wire::HwAddr;

    use super::*;
    use crate::tc::Verdict;
    use crate::tc::action::{Action, MirredAction};
    use crate::uapi::pkt_cls::{
        TC_U32_TERMINAL, TCA_CLS_FLAGS_SKIP_HW, TCF_EM_INVERT, TCF_EM_REL_AND, TCF_EM_U32,
    };

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
            FilterKind::Flower(Box::new(Flower {
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
            })),
            FilterKind::Flower(Box::new(Flower {
                eth_type: Some(0x8847),
                mpls_lses: vec![
                    MplsLse {
                        depth: 1,
                        label: Some(100),
                        tc: Some(3),
                        bos: Some(0),
                        ttl: Some(64),
                    },
                    MplsLse {
                        depth: 2,
                        label: Some(200),
                        bos: Some(1),
                        ..MplsLse::default()
                    },
                ],
                ..Flower::default()
            })),
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
                kind: "newercls".into(),
                options: Some(vec![8, 0, 1, 0, 1, 0, 1, 0]),
            },
        ];
        for kind in kinds {
            let f = Filter {
                chain: Some(2),
                ..Filter::new(3, TcHandle::new(1, 0), Protocol::IP, kind)
                    .priority(10)
                    .handle(0x800_0800)
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
                .handle(handle)
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
                .handle(0x0020_0000)
                .write_del(&mut Vec::new())
                .is_err()
        );
        assert!(t.clone().priority(5).write_del(&mut Vec::new()).is_err());
        assert!(
            t.handle(0x0020_0800)
                .priority(5)
                .write_add(&mut Vec::new())
                .is_err()
        );
    }

    /// Ours against what `tc filter add dev v0 parent 1: protocol ip pref
    /// 1 ...` sends (strace, after the netlink header; v0 is index 3).
    fn same_as_tc(kind: FilterKind, handle: u32, tc: &str) {
        let f = Filter::new(3, TcHandle::new(1, 0), Protocol::IP, kind)
            .priority(1)
            .handle(handle);
        let mut buf = Vec::new();
        f.write_add(&mut buf).unwrap();
        let hex: String = buf[16..].iter().map(|b| format!("{b:02x}")).collect();
        assert_eq!(hex, tc, "{:?}", f.kind);
        assert_eq!(round_trip(&f), f);
    }

    #[test]
    fn new_kinds_are_what_tc_sends() {
        // route to 10 from 20 classid 1:2
        let r = Route4 {
            to: Some(10),
            from: Some(20),
            classid: Some(TcHandle::new(1, 2)),
            ..Route4::default()
        };
        assert_eq!(r.tc_handle(0), 0x0014_000a);
        same_as_tc(
            FilterKind::Route(r.clone()),
            r.tc_handle(0),
            "00000000030000000a00140000000100080001000a000100726f7574650000001c000200080002000a00000008000300140000000800010002000100",
        );
        // route to 3 fromif v0 order 2 classid 1:2
        let r = Route4 {
            to: Some(3),
            iif: Some(3),
            classid: Some(TcHandle::new(1, 2)),
            ..Route4::default()
        };
        assert_eq!(r.tc_handle(2), 0x8003_0203);
        same_as_tc(
            FilterKind::Route(r.clone()),
            r.tc_handle(2),
            "00000000030000000302038000000100080001000a000100726f7574650000001c000200080002000300000008000400030000000800010002000100",
        );
        // cgroup
        same_as_tc(
            FilterKind::Cgroup(Cgroup::default()),
            0,
            "00000000030000000000000000000100080001000b0001006367726f7570000004000200",
        );
        // flow hash keys src,dst,proto-dst divisor 1024 perturb 10
        //     baseclass 1:10
        let hash = Flow {
            keys: Some(0x13),
            divisor: Some(1024),
            perturb: Some(10),
            baseclass: Some(0x10010),
            mode: Some(FLOW_MODE_HASH),
            ..Flow::default()
        };
        assert_eq!(hash.key_names(), ["src", "dst", "proto-dst"]);
        same_as_tc(
            FilterKind::Flow(hash),
            0,
            "000000000300000000000000000001000800010009000100666c6f77000000002c0002000800010013000000080008000004000008000c000a00000008000300100001000800020001000000",
        );
        // flow map key mark and 0xff xor 0x1 rshift 2 addend 3 divisor 16
        let map = Flow {
            keys: Some(0x80),
            rshift: Some(2),
            addend: Some(3),
            divisor: Some(16),
            mode: Some(FLOW_MODE_MAP),
            mask: Some(0xff),
            xor: Some(1),
            ..Flow::default()
        };
        same_as_tc(
            FilterKind::Flow(map),
            0,
            "000000000300000000000000000001000800010009000100666c6f77000000003c0002000800010080000000080004000200000008000500030000000800080010000000080002000000000008000600ff0000000800070001000000",
        );
        // basic match 'cmp(u16 at 2 layer network mask 0xff00 eq 0x4500)'
        //     and not 'u32(u32 0xc0000200 0xffffff00 at 16)' classid 1:1
        let cmp = EmCmp {
            val: 0x4500,
            mask: 0xff00,
            off: 2,
            align: 2,
            flags: 0,
            layer: 1,
            opnd: 0,
        };
        let not_u32 = Ematch {
            matchid: 0,
            kind: TCF_EM_U32,
            flags: TCF_EM_INVERT,
            data: EmatchData::U32 {
                val: 0xc000_0200,
                mask: 0xffff_ff00,
                off: 16,
                offmask: 0,
            },
        };
        let basic = Basic {
            classid: Some(TcHandle::new(1, 1)),
            ematches: Some(Ematches {
                progid: 0,
                matches: vec![Ematch::cmp(cmp, TCF_EM_REL_AND), not_u32],
            }),
            actions: vec![],
        };
        same_as_tc(
            FilterKind::Basic(basic),
            0,
            "00000000030000000000000000000100080001000a000100626173696300000050000200440002000800010002000000380002001800010000000100010000000045000000ff0000020002011c0002000000030004000000ffffff00c000020010000000000000000800010001000100",
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
            ("mpls_uc", 0x8847),
            ("IPv4", 0x800),
            ("2048", 0x800),
            ("010", 8),
        ] {
            let got: Protocol = s.parse().unwrap();
            assert_eq!(got.0, p);
        }
        assert!("nope".parse::<Protocol>().is_err());
        assert!("0x".parse::<Protocol>().is_err());
        assert!("65536".parse::<Protocol>().is_err());
        // Printed as tc prints them: the first name, or the number in
        // brackets.
        for (p, s) in [
            (0x800, "ip"),
            (0x8847, "mpls_uc"),
            (0x88cc, "LLDP"),
            (0x8100, "802.1Q"),
            (0x1234, "[4660]"),
        ] {
            assert_eq!(Protocol(p).to_string(), s);
        }
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
