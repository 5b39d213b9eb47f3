//! Traffic control: qdiscs, classes, filters and actions
//! (RTM_*QDISC, RTM_*TCLASS, RTM_*TFILTER, RTM_*ACTION).
//!
//! Every object is addressed by an interface index and [`TcHandle`]s
//! (`major:minor`, written and read the way `tc` does). Each kind's
//! options are a typed struct both ways; kinds this library does not know
//! keep their kind string and raw `TCA_OPTIONS`. Rates, sizes and times
//! take `tc`'s words ([`units`]), and the scheduler-tick conversions and
//! rate tables are exported for users who build options by hand.
//!
//! ```
//! use nl_route::tc::{Qdisc, QdiscKind, Htb, Class, HtbClass, TcHandle};
//! use nl_route::tc::units::Rate;
//! let mut batch = Vec::new();
//! let root = Qdisc::new(3, TcHandle::ROOT, QdiscKind::Htb(Htb { default_class: 0x10, ..Htb::default() }))
//!     .handle("1:".parse()?);
//! root.write_add(&mut batch)?;
//! let class = Class::new(3, "1:".parse()?, HtbClass::new("10mbit".parse()?).into())
//!     .classid("1:10".parse()?);
//! class.write_add(&mut batch)?;
//! assert_eq!(nl_wire::Msgs::new(&batch).count(), 2);
//! # Ok::<(), nl_route::Error>(())
//! ```

use std::fmt;
use std::str::FromStr;

use nl_wire::netlink::{
    NLM_F_ACK, NLM_F_CREATE, NLM_F_DUMP, NLM_F_EXCL, NLM_F_REPLACE, NLM_F_REQUEST,
};
use nl_wire::{Attr, DecodeError, Msg, MsgBuilder};

use crate::error::{Error, Result};
use crate::uapi::gen_stats::*;
use crate::uapi::pkt_cls::*;
use crate::uapi::rtnetlink::{
    RTM_DELCHAIN, RTM_DELQDISC, RTM_DELTCLASS, RTM_DELTFILTER, RTM_GETQDISC, RTM_GETTCLASS,
    RTM_GETTFILTER, RTM_NEWCHAIN, RTM_NEWQDISC, RTM_NEWTCLASS, RTM_NEWTFILTER, TCA_CHAIN,
    TCA_EGRESS_BLOCK, TCA_HW_OFFLOAD, TCA_INGRESS_BLOCK, TCA_KIND, TCA_OPTIONS, TCA_STATS,
    TCA_STATS2, TCA_XSTATS,
};
use crate::uapi::types::{
    GnetStatsBasic, GnetStatsQueue, GnetStatsRateEst, GnetStatsRateEst64, TcMsg,
    TcStats as RawTcStats,
};

pub mod action;
pub mod chain;
pub mod class;
pub mod filter;
pub mod qdisc;
pub mod units;

pub use action::{
    Action, ActionDump, ActionFlags, ActionInput, ActionKind, ActionOptions, BpfAction, Connmark,
    Csum, Ct, Ctinfo, Gact, Gate, GateEntry, HwStats, Ife, IfeMeta, Mirred, MirredAction,
    MplsAction, MplsOp, Nat, Pedit, PeditKey, Police, Sample, Simple, Skbedit, Skbmod, TunnelKey,
    VlanAction, VlanOp,
};
pub use chain::Chain;
pub use class::{Class, ClassKind, DrrClass, HfscClass, HtbClass, QfqClass, ServiceCurve};
pub use filter::{
    Basic, Bpf, Cgroup, ClassicInsn, EmCmp, Ematch, EmatchData, Ematches, Filter, FilterEntry,
    FilterHead, FilterKind, FilterOptions, Flow, Flower, Fw, Matchall, MplsLse, Protocol, Route4,
    U32, U32Key, U32Sel, U32Table,
};
pub use qdisc::{
    CAKE_PRESETS, Cake, CakeAckFilter, CakeAtm, CakeDiffserv, CakeFlowMode, Cbs, ClockId, Codel,
    Etf, Ets, Fifo, Fq, FqCodel, FqPie, GRED_MAX_DPS, Gred, GredSetup, GredVq, Hfsc, Hhf, Htb,
    Mqprio, Multiq, Netem, NetemRate, NetemSlot, Pie, Plug, PlugAction, Prio, Qdisc, QdiscKind,
    Red, SFB_MAX_PROB, Sfb, Sfq, Skbprio, TC_ETF_DEADLINE_MODE_ON, TC_ETF_OFFLOAD_ON,
    TC_ETF_SKIP_SOCK_CHECK, TC_MQPRIO_MODE_CHANNEL, TC_MQPRIO_SHAPER_BW_RATE,
    TC_TAPRIO_CMD_SET_AND_HOLD, TC_TAPRIO_CMD_SET_AND_RELEASE, TC_TAPRIO_CMD_SET_GATES, Taprio,
    TaprioEntry, TaprioSched, Tbf, choke,
};

/// `TC_ACT_JUMP`: `__TC_ACT_EXT(1)`, a macro the generator cannot read.
pub const TC_ACT_JUMP: i32 = 1 << 28;
/// `TC_ACT_GOTO_CHAIN`: `__TC_ACT_EXT(2)`.
pub const TC_ACT_GOTO_CHAIN: i32 = 2 << 28;

/// A traffic control handle, `major:minor` (16 bits each).
///
/// Parsed and printed as `tc` does: `1:`, `1:10`, `:10` (hex), `root`,
/// `none`; `ingress` and `clsact` name the ingress/clsact parent
/// `ffff:fff1`.
///
/// ```
/// use nl_route::tc::TcHandle;
/// let h: TcHandle = "1:a".parse()?;
/// assert_eq!((h.major(), h.minor()), (1, 10));
/// assert_eq!(h.to_string(), "1:a");
/// assert_eq!("root".parse::<TcHandle>()?, TcHandle::ROOT);
/// assert!("10000:".parse::<TcHandle>().is_err());
/// # Ok::<(), nl_route::Error>(())
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash, Default, PartialOrd, Ord)]
pub struct TcHandle(pub u32);

impl TcHandle {
    /// `TC_H_UNSPEC` (`none`): no handle; on add the kernel picks one.
    pub const NONE: TcHandle = TcHandle(0);
    /// `TC_H_ROOT`: the root of a device's egress tree.
    pub const ROOT: TcHandle = TcHandle(0xFFFF_FFFF);
    /// `TC_H_INGRESS`: parent of the ingress and clsact qdiscs.
    pub const INGRESS: TcHandle = TcHandle(0xFFFF_FFF1);
    /// `TC_H_CLSACT` (the same value as [`TcHandle::INGRESS`]).
    pub const CLSACT: TcHandle = TcHandle(0xFFFF_FFF1);
    /// `ffff:fff2`: the ingress hook of ingress/clsact, where filters go
    /// (`tc filter add dev X ingress`).
    pub const INGRESS_FILTERS: TcHandle = TcHandle(0xFFFF_FFF2);
    /// `ffff:fff3`: the egress hook of clsact (`tc filter add dev X egress`).
    pub const EGRESS_FILTERS: TcHandle = TcHandle(0xFFFF_FFF3);

    /// `major:minor`.
    pub const fn new(major: u16, minor: u16) -> TcHandle {
        TcHandle(((major as u32) << 16) | minor as u32)
    }

    /// The major number (the qdisc).
    pub const fn major(self) -> u16 {
        (self.0 >> 16) as u16
    }

    /// The minor number (the class within the qdisc).
    pub const fn minor(self) -> u16 {
        (self.0 & 0xFFFF) as u16
    }
}

impl fmt::Display for TcHandle {
    /// `tc`'s form: `root`, `none`, `1:`, `:10`, `1:10` (hex).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            TcHandle::ROOT => f.write_str("root"),
            TcHandle::NONE => f.write_str("none"),
            h if h.major() == 0 => write!(f, ":{:x}", h.minor()),
            h if h.minor() == 0 => write!(f, "{:x}:", h.major()),
            h => write!(f, "{:x}:{:x}", h.major(), h.minor()),
        }
    }
}

impl fmt::Debug for TcHandle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "TcHandle({self})")
    }
}

impl FromStr for TcHandle {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        match s {
            "root" => return Ok(TcHandle::ROOT),
            "none" => return Ok(TcHandle::NONE),
            "ingress" | "clsact" => return Ok(TcHandle::INGRESS),
            _ => {}
        }
        let Some((maj, min)) = s.split_once(':') else {
            return Err(Error::invalid(
                "handle",
                "not MAJOR:MINOR in hex (e.g. 1:10), root or none",
            ));
        };
        let part = |p: &str| -> Result<u16> {
            if p.is_empty() {
                return Ok(0);
            }
            let v = u32::from_str_radix(p, 16)
                .map_err(|_| Error::invalid("handle", "not MAJOR:MINOR in hex (e.g. 1:10)"))?;
            u16::try_from(v)
                .map_err(|_| Error::invalid("handle", "major and minor are at most ffff"))
        };
        Ok(TcHandle::new(part(maj)?, part(min)?))
    }
}

/// `TC_ACT_*`: what happens to a packet after an action or a classifier.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Verdict {
    /// `TC_ACT_UNSPEC` (`continue`): go on with the next filter.
    Continue,
    /// `TC_ACT_OK` (`pass`, `ok`): end classification, accept.
    #[default]
    Ok,
    /// `TC_ACT_RECLASSIFY`: classify again from the start.
    Reclassify,
    /// `TC_ACT_SHOT` (`drop`): drop the packet.
    Drop,
    /// `TC_ACT_PIPE`: go on with the next action.
    Pipe,
    /// `TC_ACT_STOLEN`: consumed by the action.
    Stolen,
    /// `TC_ACT_QUEUED`.
    Queued,
    /// `TC_ACT_REPEAT`.
    Repeat,
    /// `TC_ACT_REDIRECT` (bpf).
    Redirect,
    /// `TC_ACT_TRAP`: to the CPU (offload).
    Trap,
    /// `jump N`: skip N actions.
    Jump(u32),
    /// `goto chain N`.
    GotoChain(u32),
    /// A value this library does not know.
    Other(i32),
}

impl From<i32> for Verdict {
    fn from(v: i32) -> Self {
        const EXT_MASK: i32 = 0xF << 28;
        match v {
            TC_ACT_UNSPEC => Verdict::Continue,
            TC_ACT_OK => Verdict::Ok,
            TC_ACT_RECLASSIFY => Verdict::Reclassify,
            TC_ACT_SHOT => Verdict::Drop,
            TC_ACT_PIPE => Verdict::Pipe,
            TC_ACT_STOLEN => Verdict::Stolen,
            TC_ACT_QUEUED => Verdict::Queued,
            TC_ACT_REPEAT => Verdict::Repeat,
            TC_ACT_REDIRECT => Verdict::Redirect,
            TC_ACT_TRAP => Verdict::Trap,
            v if v & EXT_MASK == TC_ACT_JUMP => Verdict::Jump((v & TC_ACT_EXT_VAL_MASK) as u32),
            v if v & EXT_MASK == TC_ACT_GOTO_CHAIN => {
                Verdict::GotoChain((v & TC_ACT_EXT_VAL_MASK) as u32)
            }
            o => Verdict::Other(o),
        }
    }
}

impl From<Verdict> for i32 {
    fn from(v: Verdict) -> i32 {
        let ext = |n: u32| i32::try_from(n).unwrap_or(TC_ACT_EXT_VAL_MASK) & TC_ACT_EXT_VAL_MASK;
        match v {
            Verdict::Continue => TC_ACT_UNSPEC,
            Verdict::Ok => TC_ACT_OK,
            Verdict::Reclassify => TC_ACT_RECLASSIFY,
            Verdict::Drop => TC_ACT_SHOT,
            Verdict::Pipe => TC_ACT_PIPE,
            Verdict::Stolen => TC_ACT_STOLEN,
            Verdict::Queued => TC_ACT_QUEUED,
            Verdict::Repeat => TC_ACT_REPEAT,
            Verdict::Redirect => TC_ACT_REDIRECT,
            Verdict::Trap => TC_ACT_TRAP,
            Verdict::Jump(n) => TC_ACT_JUMP | ext(n),
            Verdict::GotoChain(n) => TC_ACT_GOTO_CHAIN | ext(n),
            Verdict::Other(o) => o,
        }
    }
}

impl fmt::Display for Verdict {
    /// `tc`'s words (`pass`, `drop`, `goto chain 2` ...).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Verdict::Continue => f.write_str("continue"),
            Verdict::Ok => f.write_str("pass"),
            Verdict::Reclassify => f.write_str("reclassify"),
            Verdict::Drop => f.write_str("drop"),
            Verdict::Pipe => f.write_str("pipe"),
            Verdict::Stolen => f.write_str("stolen"),
            Verdict::Queued => f.write_str("queued"),
            Verdict::Repeat => f.write_str("repeat"),
            Verdict::Redirect => f.write_str("redirect"),
            Verdict::Trap => f.write_str("trap"),
            Verdict::Jump(n) => write!(f, "jump {n}"),
            Verdict::GotoChain(n) => write!(f, "goto chain {n}"),
            Verdict::Other(o) => write!(f, "{o}"),
        }
    }
}

impl FromStr for Verdict {
    type Err = Error;
    /// One word (`pass`, `ok`, `drop`, `shot`, `continue`, `pipe`,
    /// `reclassify`, `stolen`, `queued`, `repeat`, `redirect`, `trap`) or
    /// `jump N` / `goto chain N`.
    fn from_str(s: &str) -> Result<Self> {
        let bad = || {
            Error::invalid(
                "verdict",
                "not one of pass, drop, continue, pipe, reclassify, stolen, trap, jump N, goto chain N",
            )
        };
        let words: Vec<&str> = s.split_whitespace().collect();
        Ok(match words.as_slice() {
            ["continue"] => Verdict::Continue,
            ["pass" | "ok"] => Verdict::Ok,
            ["reclassify"] => Verdict::Reclassify,
            ["drop" | "shot"] => Verdict::Drop,
            ["pipe"] => Verdict::Pipe,
            ["stolen"] => Verdict::Stolen,
            ["queued"] => Verdict::Queued,
            ["repeat"] => Verdict::Repeat,
            ["redirect"] => Verdict::Redirect,
            ["trap"] => Verdict::Trap,
            ["jump", n] => Verdict::Jump(n.parse().map_err(|_| bad())?),
            ["goto", "chain", n] => Verdict::GotoChain(n.parse().map_err(|_| bad())?),
            _ => return Err(bad()),
        })
    }
}

/// Counters of a qdisc, class or action (`TCA_STATS2`, or the older
/// `TCA_STATS`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Stats {
    /// Bytes sent (qdiscs, classes) or seen (actions).
    pub bytes: u64,
    /// Packets sent or seen.
    pub packets: u64,
    /// Packets dropped.
    pub drops: u32,
    /// Times the object was over its limit (throttled).
    pub overlimits: u32,
    /// Packets requeued.
    pub requeues: u32,
    /// Packets in the queue now.
    pub qlen: u32,
    /// Bytes in the queue now.
    pub backlog: u32,
    /// Rate estimator: bytes per second (0 without an estimator).
    pub rate_bps: u64,
    /// Rate estimator: packets per second.
    pub rate_pps: u64,
    /// Bytes handled in hardware (`TCA_STATS_BASIC_HW`), when offloaded.
    pub hw_bytes: Option<u64>,
    /// Packets handled in hardware.
    pub hw_packets: Option<u64>,
}

impl Stats {
    /// Parses a `TCA_STATS2` (or `TCA_ACT_STATS`) nest.
    pub(crate) fn parse_v2(a: &Attr<'_>) -> nl_wire::Result<Stats> {
        let mut s = Stats::default();
        for a in a.nested() {
            let a = a?;
            match a.ty() {
                TCA_STATS_BASIC => {
                    let b: GnetStatsBasic = a.read();
                    s.bytes = b.bytes.get();
                    s.packets = s.packets.max(u64::from(b.packets.get()));
                }
                TCA_STATS_PKT64 => s.packets = a.u64()?,
                TCA_STATS_BASIC_HW => {
                    let b: GnetStatsBasic = a.read();
                    s.hw_bytes = Some(b.bytes.get());
                    s.hw_packets = Some(u64::from(b.packets.get()));
                }
                TCA_STATS_QUEUE => {
                    let q: GnetStatsQueue = a.read();
                    s.qlen = q.qlen.get();
                    s.backlog = q.backlog.get();
                    s.drops = q.drops.get();
                    s.requeues = q.requeues.get();
                    s.overlimits = q.overlimits.get();
                }
                TCA_STATS_RATE_EST if s.rate_bps == 0 => {
                    let r: GnetStatsRateEst = a.read();
                    s.rate_bps = u64::from(r.bps.get());
                    s.rate_pps = u64::from(r.pps.get());
                }
                TCA_STATS_RATE_EST64 => {
                    let r: GnetStatsRateEst64 = a.read();
                    s.rate_bps = r.bps.get();
                    s.rate_pps = r.pps.get();
                }
                _ => {}
            }
        }
        Ok(s)
    }

    fn parse_v1(a: &Attr<'_>) -> Stats {
        let o: RawTcStats = a.read();
        Stats {
            bytes: o.bytes.get(),
            packets: u64::from(o.packets.get()),
            drops: o.drops.get(),
            overlimits: o.overlimits.get(),
            qlen: o.qlen.get(),
            backlog: o.backlog.get(),
            rate_bps: u64::from(o.bps.get()),
            rate_pps: u64::from(o.pps.get()),
            ..Stats::default()
        }
    }
}

/// The options of a qdisc or class kind, as its table line registers
/// them: read from and written to `TCA_OPTIONS` (see
/// [`qdisc`] for adding a kind).
pub trait TcOptions {
    /// Reads `TCA_OPTIONS` (`None` when the kernel sent none).
    fn parse(options: Option<&Attr<'_>>) -> nl_wire::Result<Self>
    where
        Self: Sized;

    /// Writes `TCA_OPTIONS`, or nothing for a kind that sends none.
    fn write(&self, m: &mut MsgBuilder<'_>);

    /// Refuses what the kernel would refuse, before anything is built.
    fn validate(&self) -> Result<()> {
        Ok(())
    }
}

/// Writes a qdisc's or class's `TCA_KIND` and `TCA_OPTIONS`: the raw
/// options of a kind this library does not know, or the settings of one
/// it does.
fn write_kind(
    m: &mut MsgBuilder<'_>,
    name: &str,
    raw: Option<&[u8]>,
    settings: Option<&dyn TcOptions>,
) {
    m.put_str(TCA_KIND, name);
    if let Some(o) = raw {
        m.put_bytes(TCA_OPTIONS, o);
    }
    if let Some(o) = settings {
        o.write(m);
    }
}

/// The parts every RTM_*QDISC / *TCLASS / *TFILTER message shares.
#[derive(Debug, Default)]
pub(crate) struct Common<'a> {
    pub(crate) hdr: TcMsg,
    pub(crate) kind: &'a str,
    pub(crate) options: Option<Attr<'a>>,
    pub(crate) stats: Option<Stats>,
    pub(crate) xstats: Option<&'a [u8]>,
    pub(crate) chain: Option<u32>,
    pub(crate) hw_offload: bool,
    pub(crate) ingress_block: Option<u32>,
    pub(crate) egress_block: Option<u32>,
}

impl<'a> Common<'a> {
    /// Reads the shared attributes; errors name their attribute, and the
    /// object's `parse` gives them the message type.
    pub(crate) fn parse(msg: &Msg<'a>) -> Result<Common<'a>, DecodeError> {
        let mut c = Common {
            hdr: msg.family_header(),
            ..Common::default()
        };
        msg.attrs::<TcMsg>().decode(|a| {
            match a.ty() {
                TCA_KIND => c.kind = a.str()?,
                TCA_OPTIONS => c.options = Some(a),
                TCA_STATS2 => c.stats = Some(Stats::parse_v2(&a)?),
                // The old struct only when TCA_STATS2 is not there, in either order.
                TCA_STATS if c.stats.is_none() => c.stats = Some(Stats::parse_v1(&a)),
                TCA_XSTATS => c.xstats = Some(a.payload()),
                TCA_CHAIN => c.chain = Some(a.u32()?),
                TCA_HW_OFFLOAD => c.hw_offload = a.u8()? != 0,
                TCA_INGRESS_BLOCK => c.ingress_block = Some(a.u32()?),
                TCA_EGRESS_BLOCK => c.egress_block = Some(a.u32()?),
                _ => {}
            }
            Ok(())
        })?;
        Ok(c)
    }

    pub(crate) fn index(&self) -> u32 {
        self.hdr.tcm_ifindex.get() as u32
    }
}

/// Starts a request with its `tcmsg`.
pub(crate) fn start<'b>(
    buf: &'b mut Vec<u8>,
    ty: u16,
    flags: u16,
    index: u32,
    handle: TcHandle,
    parent: TcHandle,
    info: u32,
) -> Result<MsgBuilder<'b>> {
    let ifindex =
        i32::try_from(index).map_err(|_| Error::invalid("index", "not an interface index"))?;
    let mut m = MsgBuilder::new(buf, ty, flags);
    m.header(&TcMsg {
        tcm_family: crate::AF_UNSPEC,
        tcm_ifindex: ifindex.into(),
        tcm_handle: handle.0.into(),
        tcm_parent: parent.0.into(),
        tcm_info: info.into(),
        ..TcMsg::default()
    });
    Ok(m)
}

/// The flags of the four ways to write an object.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Op {
    /// `add`: create, fail if it exists.
    Add,
    /// `replace`: create or replace.
    Replace,
    /// `change`: change an existing object.
    Change,
    /// `del`.
    Del,
}

impl Op {
    pub(crate) fn flags(self) -> u16 {
        NLM_F_REQUEST
            | NLM_F_ACK
            | match self {
                Op::Add => NLM_F_CREATE | NLM_F_EXCL,
                Op::Replace => NLM_F_CREATE | NLM_F_REPLACE,
                Op::Change | Op::Del => 0,
            }
    }

    pub(crate) fn types(self, new: u16, del: u16) -> u16 {
        if self == Op::Del { del } else { new }
    }
}

/// Which objects a [`TcDump`] asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum TcObject {
    /// Qdiscs (RTM_GETQDISC).
    #[default]
    Qdisc,
    /// Classes (RTM_GETTCLASS).
    Class,
    /// Filters (RTM_GETTFILTER).
    Filter,
}

/// A dump of qdiscs, classes or filters.
///
/// The kernel dumps qdiscs of every device (index 0) or one; classes and
/// filters need a device, and filters a parent (the kernel filters by
/// `parent`, and by chain when `chain` is set).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct TcDump {
    /// What to dump.
    pub object: TcObject,
    /// Interface index (0: all, qdiscs only).
    pub index: u32,
    /// Only objects under this parent (filters: the qdisc or class they
    /// are attached to; `NONE`: any).
    pub parent: TcHandle,
    /// Filters: only this chain.
    pub chain: Option<u32>,
}

impl TcDump {
    /// Qdiscs of one device (0: every device).
    pub fn qdiscs(index: u32) -> Self {
        TcDump {
            object: TcObject::Qdisc,
            index,
            ..TcDump::default()
        }
    }

    /// Classes of one device.
    pub fn classes(index: u32) -> Self {
        TcDump {
            object: TcObject::Class,
            index,
            ..TcDump::default()
        }
    }

    /// Filters of one device attached to `parent` (a qdisc such as `1:`, or
    /// [`TcHandle::INGRESS_FILTERS`]).
    pub fn filters(index: u32, parent: TcHandle) -> Self {
        TcDump {
            object: TcObject::Filter,
            index,
            parent,
            chain: None,
        }
    }

    /// Writes the dump request.
    pub fn write(&self, buf: &mut Vec<u8>) -> Result<()> {
        if self.object != TcObject::Qdisc && self.index == 0 {
            return Err(Error::invalid(
                "index",
                "classes and filters are dumped per device",
            ));
        }
        let ty = match self.object {
            TcObject::Qdisc => RTM_GETQDISC,
            TcObject::Class => RTM_GETTCLASS,
            TcObject::Filter => RTM_GETTFILTER,
        };
        let mut m = start(
            buf,
            ty,
            NLM_F_REQUEST | NLM_F_DUMP,
            self.index,
            TcHandle::NONE,
            self.parent,
            0,
        )?;
        if let Some(c) = self.chain {
            m.put_u32(TCA_CHAIN, c);
        }
        m.finish().map_err(Error::Build)?;
        Ok(())
    }

    /// Whether a parsed object's parent passes the filter (the kernel
    /// ignores `parent` in qdisc and class dumps).
    pub fn matches_parent(&self, parent: TcHandle) -> bool {
        self.parent == TcHandle::NONE || parent == self.parent
    }
}

/// Whether a message type is one of the traffic control objects'.
pub fn is_tc_message(ty: u16) -> bool {
    matches!(
        ty,
        RTM_NEWQDISC
            | RTM_DELQDISC
            | RTM_NEWTCLASS
            | RTM_DELTCLASS
            | RTM_NEWTFILTER
            | RTM_DELTFILTER
            | RTM_NEWCHAIN
            | RTM_DELCHAIN
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn handles_parse_and_print_like_tc() {
        for (s, v, back) in [
            ("1:", 0x0001_0000, "1:"),
            ("1:10", 0x0001_0010, "1:10"),
            (":a", 0x0000_000a, ":a"),
            ("ffff:fff1", 0xFFFF_FFF1, "ffff:fff1"),
            ("ingress", 0xFFFF_FFF1, "ffff:fff1"),
            ("root", 0xFFFF_FFFF, "root"),
            ("none", 0, "none"),
            ("0:0", 0, "none"),
        ] {
            let h: TcHandle = s.parse().unwrap();
            assert_eq!(h.0, v, "{s}");
            assert_eq!(h.to_string(), back);
        }
        for bad in ["", "1", "10000:", ":10000", "x:", "1:g", "-1:"] {
            assert!(bad.parse::<TcHandle>().is_err(), "{bad}");
        }
    }

    #[test]
    fn verdicts_round_trip() {
        for v in [
            Verdict::Continue,
            Verdict::Ok,
            Verdict::Drop,
            Verdict::Pipe,
            Verdict::Stolen,
            Verdict::Trap,
            Verdict::Jump(3),
            Verdict::GotoChain(7),
            Verdict::Other(99),
        ] {
            assert_eq!(Verdict::from(i32::from(v)), v);
            if !matches!(v, Verdict::Other(_)) {
                assert_eq!(v.to_string().parse::<Verdict>().unwrap(), v);
            }
        }
        assert_eq!(i32::from(Verdict::GotoChain(1)), 0x2000_0001);
        assert!("goto chain x".parse::<Verdict>().is_err());
    }
}
