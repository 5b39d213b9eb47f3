//! Qdiscs (RTM_NEWQDISC / DELQDISC / GETQDISC) and their options.
//!
//! Each kind's options live in a file of their own under `qdisc/` and
//! implement [`TcOptions`]; [`QdiscKind`]'s table registers them.
//!
//! # Adding a qdisc kind
//!
//! One new file and one line in the table:
//!
//! 1. `qdisc/foo.rs`: the options struct (an `attr_struct!` of optional
//!    fields when `TCA_OPTIONS` is a nest of plain attributes, then
//!    `nested_options!(Foo);` is the whole implementation) and
//!    `impl TcOptions for Foo` otherwise (`parse` reads `TCA_OPTIONS`,
//!    `write` writes it, `validate` refuses what the kernel would);
//!    unit tests beside it. A kind without options needs no file.
//! 2. Here: `mod foo;` with its `pub use`, and one line in the
//!    [`QdiscKind`] table: `Foo(Foo) = "foo",` (or `Foo = "foo",`).
//!
//! Kinds not in the table are [`QdiscKind::Other`], their options raw.

use nl_wire::{Attr, Msg, MsgBuilder};
use zerocopy::FromBytes;

use super::units::Rate;
use super::{Common, Op, Stats, TcHandle, TcOptions, start};
use crate::error::{Error, Result, parse_msg};
use crate::registry::kind_table;
use crate::uapi::pkt_sched::TC_LINKLAYER_ETHERNET;
use crate::uapi::rtnetlink::{RTM_DELQDISC, RTM_NEWQDISC, TCA_KIND, TCA_OPTIONS};
use crate::uapi::types::{TcCodelXstats, TcRateSpec};

mod cake;
mod cbs;
mod choke;
mod codel;
mod etf;
mod ets;
mod fifo;
mod fq;
mod fq_codel;
mod fq_pie;
mod gred;
mod hfsc;
mod hhf;
mod htb;
mod mqprio;
mod multiq;
mod netem;
mod pie;
mod plug;
mod prio;
mod red;
mod sfb;
mod sfq;
mod skbprio;
mod taprio;
mod tbf;

pub use cake::{CAKE_PRESETS, Cake, CakeAckFilter, CakeAtm, CakeDiffserv, CakeFlowMode};
pub use cbs::Cbs;
pub use choke::choke;
pub use codel::Codel;
pub use etf::{ClockId, Etf, TC_ETF_DEADLINE_MODE_ON, TC_ETF_OFFLOAD_ON, TC_ETF_SKIP_SOCK_CHECK};
pub use ets::Ets;
pub use fifo::Fifo;
pub use fq::Fq;
pub use fq_codel::FqCodel;
pub use fq_pie::FqPie;
pub use gred::{GRED_MAX_DPS, Gred, GredSetup, GredVq};
pub use hfsc::Hfsc;
pub use hhf::Hhf;
pub use htb::Htb;
pub use mqprio::{Mqprio, TC_MQPRIO_MODE_CHANNEL, TC_MQPRIO_SHAPER_BW_RATE};
pub use multiq::Multiq;
pub use netem::{Netem, NetemRate, NetemSlot};
pub use pie::Pie;
pub use plug::{Plug, PlugAction};
pub use prio::Prio;
pub use red::Red;
pub use sfb::{SFB_MAX_PROB, Sfb};
pub use sfq::Sfq;
pub use skbprio::Skbprio;
pub use taprio::{
    TC_TAPRIO_CMD_SET_AND_HOLD, TC_TAPRIO_CMD_SET_AND_RELEASE, TC_TAPRIO_CMD_SET_GATES, Taprio,
    TaprioEntry, TaprioSched,
};
pub use tbf::Tbf;

/// [`TcOptions`] for options that are only an `attr_struct!` nested in
/// `TCA_OPTIONS`.
macro_rules! nested_options {
    (@strict $($t:ty),* $(,)?) => {$(
        impl $crate::tc::TcOptions for $t {
            fn parse(options: Option<&nl_wire::Attr<'_>>) -> nl_wire::Result<Self> {
                options.map_or(Ok(Self::default()), |o| Self::from_attrs(o.nested()))
            }
            fn write(&self, m: &mut nl_wire::MsgBuilder<'_>) {
                // The kernel's policy for this kind is strict: flag the nest.
                let ty = nl_wire::netlink::NLA_F_NESTED | $crate::uapi::rtnetlink::TCA_OPTIONS;
                m.nest(ty, |m| self.write_attrs(m));
            }
        }
    )*};
    ($($t:ty),* $(,)?) => {$(
        impl $crate::tc::TcOptions for $t {
            fn parse(options: Option<&nl_wire::Attr<'_>>) -> nl_wire::Result<Self> {
                options.map_or(Ok(Self::default()), |o| Self::from_attrs(o.nested()))
            }
            fn write(&self, m: &mut nl_wire::MsgBuilder<'_>) {
                m.nest($crate::uapi::rtnetlink::TCA_OPTIONS, |m| self.write_attrs(m));
            }
        }
    )*};
}
pub(crate) use nested_options;

/// A queueing discipline on a device.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Qdisc {
    /// Interface index.
    pub index: u32,
    /// Handle (`1:`; minor 0). `NONE` on add lets the kernel pick one.
    pub handle: TcHandle,
    /// Parent: [`TcHandle::ROOT`], [`TcHandle::INGRESS`], or a class.
    pub parent: TcHandle,
    /// Kind and options.
    pub kind: QdiscKind,
    /// Reference count the kernel reports (`tcm_info`).
    pub refcnt: u32,
    /// `TCA_HW_OFFLOAD`: the qdisc is offloaded to hardware.
    pub hw_offload: bool,
    /// `TCA_INGRESS_BLOCK`: shared filter block of ingress/clsact.
    pub ingress_block: Option<u32>,
    /// `TCA_EGRESS_BLOCK`: shared filter block of clsact's egress.
    pub egress_block: Option<u32>,
    /// Counters (reported).
    pub stats: Option<Stats>,
    /// Kind-specific counters (`TCA_XSTATS`, reported).
    pub xstats: Option<Xstats>,
}

kind_table! {
    /// What a qdisc is, with its options.
    #[derive(Debug, Clone, PartialEq)]
    #[non_exhaustive]
    pub enum QdiscKind: TcOptions(options: Option<&Attr<'_>>) {
        /// `pfifo`: a FIFO limited in packets (`None`: the device's txqueuelen).
        Pfifo(Fifo) = "pfifo",
        /// `bfifo`: a FIFO limited in bytes.
        Bfifo(Fifo) = "bfifo",
        /// `pfifo_head_drop`: drops from the head when full.
        PfifoHeadDrop(Fifo) = "pfifo_head_drop",
        /// `pfifo_fast`: three bands by priority (options read only).
        PfifoFast(Option<Prio>) = "pfifo_fast",
        /// `prio`: strict priority bands.
        Prio(Prio) = "prio",
        /// `htb`: hierarchical token bucket (classes carry the rates).
        Htb(Htb) = "htb",
        /// `tbf`: token bucket filter.
        Tbf(Tbf) = "tbf",
        /// `ingress`: the ingress hook for filters.
        Ingress = "ingress",
        /// `clsact`: ingress and egress hooks for filters.
        Clsact = "clsact",
        /// `sfq`: stochastic fairness queueing.
        Sfq(Sfq) = "sfq",
        /// `fq`: fair queueing with pacing.
        Fq(Fq) = "fq",
        /// `fq_codel`.
        FqCodel(FqCodel) = "fq_codel",
        /// `codel`.
        Codel(Codel) = "codel",
        /// `netem`: network emulator.
        Netem(Netem) = "netem",
        /// `red`: random early detection.
        Red(Red) = "red",
        /// `mq`: one child per hardware queue.
        Mq = "mq",
        /// `hfsc`: hierarchical fair service curve (classes carry the curves).
        Hfsc(Hfsc) = "hfsc",
        /// `noqueue`.
        Noqueue = "noqueue",
        /// `pie`: proportional integral controller enhanced.
        Pie(Pie) = "pie",
        /// `fq_pie`: flow queueing with PIE per flow.
        FqPie(FqPie) = "fq_pie",
        /// `hhf`: heavy-hitter filter.
        Hhf(Hhf) = "hhf",
        /// `plug`: holds packets until released.
        Plug(Plug) = "plug",
        /// `skbprio`: by packet priority, dropping the lowest.
        Skbprio(Skbprio) = "skbprio",
        /// `multiq`: one band per hardware queue.
        Multiq(Multiq) = "multiq",
        /// `drr`: deficit round robin (classes carry the quantum).
        Drr = "drr",
        /// `qfq`: quick fair queueing (classes carry weight and lmax).
        Qfq = "qfq",
        /// `cbs`: credit-based shaper.
        Cbs(Cbs) = "cbs",
        /// `etf`: earliest txtime first.
        Etf(Etf) = "etf",
        /// `choke`: red's options in packets (see [`choke`]).
        Choke(Red) = "choke",
        /// `sfb`: stochastic fair blue.
        Sfb(Sfb) = "sfb",
        /// `cake`: shaper, AQM and flow isolation in one.
        Cake(Cake) = "cake",
        /// `ets`: strict bands, then bands sharing by quanta.
        Ets(Ets) = "ets",
        /// `mqprio`: priorities to classes to hardware queue ranges.
        Mqprio(Mqprio) = "mqprio",
        /// `taprio`: time-aware gate schedules.
        Taprio(Taprio) = "taprio",
        /// `gred`: generalized RED with virtual queues.
        Gred(Gred) = "gred",
    }
    other {
        /// A kind this library does not know, with its raw `TCA_OPTIONS`.
        Other {
            /// `TCA_KIND`.
            kind: String,
            /// Payload of `TCA_OPTIONS`, if any.
            options: Option<Vec<u8>>,
        },
    }
}

impl Default for QdiscKind {
    fn default() -> Self {
        QdiscKind::Pfifo(Fifo::default())
    }
}

impl QdiscKind {
    /// The kind string (`TCA_KIND`).
    pub fn name(&self) -> &str {
        match self {
            QdiscKind::Other { kind, .. } => kind,
            known => known.table_name(),
        }
    }

    fn parse(kind: &str, options: Option<&Attr<'_>>) -> nl_wire::Result<QdiscKind> {
        Ok(match QdiscKind::parse_table(kind, options)? {
            Some(k) => k,
            None => QdiscKind::Other {
                kind: kind.to_string(),
                options: options.map(|a| a.payload().to_vec()),
            },
        })
    }

    fn validate(&self) -> Result<()> {
        match self {
            QdiscKind::Other { kind, .. } if kind.is_empty() => {
                Err(Error::invalid("kind", "empty qdisc kind"))
            }
            known => known.table_settings().map_or(Ok(()), |o| o.validate()),
        }
    }

    pub(crate) fn write(&self, m: &mut MsgBuilder<'_>) {
        let raw = match self {
            QdiscKind::Other { options, .. } => options.as_deref(),
            _ => None,
        };
        super::write_kind(m, self.name(), raw, self.table_settings());
    }
}

/// Kind-specific counters (`TCA_XSTATS`).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Xstats {
    /// htb classes (`struct tc_htb_xstats`).
    Htb {
        /// Times the class lent tokens.
        lends: u32,
        /// Times the class borrowed.
        borrows: u32,
        /// Packets larger than the quantum.
        giants: u32,
        /// Tokens left, ticks.
        tokens: i32,
        /// Ceil tokens left, ticks.
        ctokens: i32,
    },
    /// codel and fq_codel's qdisc (`maxpacket`, drops over limit, ECN marks).
    Codel {
        /// Largest packet seen.
        maxpacket: u32,
        /// Drops because the limit was hit.
        drop_overlimit: u32,
        /// Packets ECN-marked.
        ecn_mark: u32,
    },
    /// sfq and prio-like kinds and anything else: raw bytes.
    Raw(Vec<u8>),
}

impl Xstats {
    pub(crate) fn parse(kind: &str, bytes: &[u8], class: bool) -> Xstats {
        use crate::uapi::types::TcHtbXstats;
        if kind == "htb" && class {
            if let Ok((x, _)) = TcHtbXstats::read_from_prefix(bytes) {
                return Xstats::Htb {
                    lends: x.lends.get(),
                    borrows: x.borrows.get(),
                    giants: x.giants.get(),
                    tokens: x.tokens.get(),
                    ctokens: x.ctokens.get(),
                };
            }
        }
        if kind == "codel" && !class {
            if let Ok((x, _)) = TcCodelXstats::read_from_prefix(bytes) {
                return Xstats::Codel {
                    maxpacket: x.maxpacket.get(),
                    drop_overlimit: x.drop_overlimit.get(),
                    ecn_mark: x.ecn_mark.get(),
                };
            }
        }
        if kind == "fq_codel" && !class {
            // u32 type, then struct tc_fq_codel_qd_stats: maxpacket,
            // drop_overlimit, ecn_mark ...
            let word = |i: usize| {
                bytes
                    .get(i * 4..i * 4 + 4)
                    .and_then(|b| <[u8; 4]>::try_from(b).ok())
                    .map(u32::from_ne_bytes)
            };
            if let (Some(0), Some(maxpacket), Some(drop_overlimit), Some(ecn_mark)) =
                (word(0), word(1), word(2), word(3))
            {
                return Xstats::Codel {
                    maxpacket,
                    drop_overlimit,
                    ecn_mark,
                };
            }
        }
        Xstats::Raw(bytes.to_vec())
    }
}

pub(crate) fn rate_spec(rate: Rate) -> TcRateSpec {
    TcRateSpec {
        linklayer: TC_LINKLAYER_ETHERNET,
        rate: u32::try_from(rate.bytes()).unwrap_or(u32::MAX).into(),
        ..TcRateSpec::default()
    }
}

/// The full rate of a ratespec and its optional 64-bit attribute.
pub(crate) fn rate_of(spec: &TcRateSpec, rate64: Option<u64>) -> Rate {
    Rate::bytes_per_sec(rate64.unwrap_or(u64::from(spec.rate.get())))
}

impl Qdisc {
    /// A qdisc of `kind` on device `index` under `parent`; the kernel
    /// picks the handle unless [`Qdisc::handle`] sets one.
    pub fn new(index: u32, parent: TcHandle, kind: QdiscKind) -> Qdisc {
        Qdisc {
            index,
            parent,
            kind,
            ..Qdisc::default()
        }
    }

    /// The ingress qdisc of a device (`tc qdisc add dev X ingress`).
    pub fn ingress(index: u32) -> Qdisc {
        Qdisc::new(index, TcHandle::INGRESS, QdiscKind::Ingress).handle(TcHandle::new(0xFFFF, 0))
    }

    /// The clsact qdisc of a device (`tc qdisc add dev X clsact`).
    pub fn clsact(index: u32) -> Qdisc {
        Qdisc::new(index, TcHandle::CLSACT, QdiscKind::Clsact).handle(TcHandle::new(0xFFFF, 0))
    }

    /// `handle H`: sets the handle.
    #[must_use]
    pub fn handle(mut self, handle: TcHandle) -> Qdisc {
        self.handle = handle;
        self
    }

    /// The former name of [`Qdisc::handle`].
    #[deprecated(
        since = "0.1.0",
        note = "builder methods take tc's word: use `handle()`"
    )]
    #[must_use]
    pub fn with_handle(self, handle: TcHandle) -> Qdisc {
        self.handle(handle)
    }

    /// Parses an RTM_NEWQDISC / RTM_DELQDISC message.
    pub fn parse(msg: &Msg<'_>) -> Result<Qdisc> {
        parse_msg(msg, || {
            let c = Common::parse(msg)?;
            let kind =
                QdiscKind::parse(c.kind, c.options.as_ref()).map_err(|e| e.in_attr(TCA_OPTIONS))?;
            Ok(Qdisc {
                index: c.index(),
                handle: TcHandle(c.hdr.tcm_handle.get()),
                parent: TcHandle(c.hdr.tcm_parent.get()),
                refcnt: c.hdr.tcm_info.get(),
                hw_offload: c.hw_offload,
                ingress_block: c.ingress_block,
                egress_block: c.egress_block,
                stats: c.stats,
                xstats: c.xstats.map(|x| Xstats::parse(c.kind, x, false)),
                kind,
            })
        })
    }

    fn validate(&self, op: Op) -> Result<()> {
        if self.index == 0 {
            return Err(Error::invalid("index", "a qdisc needs a device"));
        }
        if self.handle.minor() != 0 {
            return Err(Error::invalid(
                "handle",
                "a qdisc handle has minor 0 (e.g. 1:)",
            ));
        }
        if self.parent == TcHandle::NONE && op != Op::Del {
            return Err(Error::invalid("parent", "root, ingress, clsact or a class"));
        }
        if op != Op::Del {
            self.kind.validate()?;
        }
        Ok(())
    }

    fn write(&self, buf: &mut Vec<u8>, op: Op) -> Result<()> {
        self.validate(op)?;
        let mut m = start(
            buf,
            op.types(RTM_NEWQDISC, RTM_DELQDISC),
            op.flags(),
            self.index,
            self.handle,
            self.parent,
            0,
        )?;
        if op == Op::Del {
            if !matches!(self.kind, QdiscKind::Other { ref kind, .. } if kind.is_empty()) {
                m.put_str(TCA_KIND, self.kind.name());
            }
        } else {
            self.kind.write(&mut m);
            if let Some(b) = self.ingress_block {
                m.put_u32(crate::uapi::rtnetlink::TCA_INGRESS_BLOCK, b);
            }
            if let Some(b) = self.egress_block {
                m.put_u32(crate::uapi::rtnetlink::TCA_EGRESS_BLOCK, b);
            }
        }
        m.finish().map_err(Error::Build)?;
        Ok(())
    }

    /// Writes `tc qdisc add` (fails if a qdisc is already there).
    pub fn write_add(&self, buf: &mut Vec<u8>) -> Result<()> {
        self.write(buf, Op::Add)
    }

    /// Writes `tc qdisc replace` (adds, or replaces the qdisc at `parent`).
    pub fn write_replace(&self, buf: &mut Vec<u8>) -> Result<()> {
        self.write(buf, Op::Replace)
    }

    /// Writes `tc qdisc change` (changes the options of an existing qdisc).
    pub fn write_change(&self, buf: &mut Vec<u8>) -> Result<()> {
        self.write(buf, Op::Change)
    }

    /// Writes `tc qdisc del` (by parent, and handle when set).
    pub fn write_del(&self, buf: &mut Vec<u8>) -> Result<()> {
        self.write(buf, Op::Del)
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    fn round_trip(q: &Qdisc) -> Qdisc {
        let mut buf = Vec::new();
        q.write_add(&mut buf).unwrap();
        Qdisc::parse(&Msg::parse(&buf).unwrap().0).unwrap()
    }

    #[test]
    fn every_kind_round_trips() {
        let kinds = vec![
            QdiscKind::Pfifo(Fifo::new(100)),
            QdiscKind::Bfifo(Fifo::new(10_000)),
            QdiscKind::PfifoHeadDrop(Fifo::default()),
            QdiscKind::Prio(Prio::default()),
            QdiscKind::Htb(Htb {
                default_class: 0x10,
                r2q: 5,
                direct_qlen: Some(30),
                direct_packets: 0,
            }),
            QdiscKind::Tbf(Tbf {
                rate: Rate::mbit(10),
                burst: 10_000,
                limit: 20_000,
                peakrate: Some(Rate::mbit(20)),
                mtu: 2000,
            }),
            QdiscKind::Tbf(Tbf {
                rate: Rate::gbit(100),
                burst: 1_000_000,
                limit: 2_000_000,
                peakrate: None,
                mtu: 0,
            }),
            QdiscKind::Ingress,
            QdiscKind::Clsact,
            QdiscKind::Sfq(Sfq {
                quantum: 1514,
                perturb: 10,
                limit: 127,
                divisor: 1024,
                flows: 128,
                depth: 127,
                headdrop: true,
            }),
            QdiscKind::Fq(Fq {
                limit: Some(10_000),
                flow_limit: Some(100),
                horizon_drop: Some(1),
                ..Fq::default()
            }),
            QdiscKind::FqCodel(FqCodel {
                target: Some(5000),
                interval: Some(100_000),
                ecn: Some(1),
                flows: Some(1024),
                ..FqCodel::default()
            }),
            QdiscKind::Codel(Codel {
                target: Some(5000),
                limit: Some(1000),
                ..Codel::default()
            }),
            QdiscKind::Netem(Netem {
                delay: Duration::from_millis(100),
                jitter: Duration::from_millis(10),
                delay_corr: 25,
                loss: u32::MAX / 100,
                duplicate: 7,
                gap: 5,
                reorder: Some((u32::MAX / 4, 3)),
                corrupt: Some((9, 1)),
                rate: Some(NetemRate {
                    rate: Rate::kbit(100),
                    packet_overhead: -4,
                    cell_size: 53,
                    cell_overhead: 5,
                }),
                slot: Some(NetemSlot {
                    min_delay: Duration::from_millis(1),
                    max_delay: Duration::from_millis(2),
                    max_packets: 10,
                    max_bytes: 0,
                }),
                ecn: true,
                ..Netem::default()
            }),
            QdiscKind::Red(Red {
                limit: 400_000,
                min: 30_000,
                max: 90_000,
                wlog: 9,
                plog: 20,
                scell_log: 15,
                flags: 1,
                max_p: Some(0x1000),
                stab: vec![3; 256],
            }),
            QdiscKind::Mq,
            QdiscKind::Hfsc(Hfsc {
                default_class: 0x20,
            }),
            QdiscKind::Other {
                kind: "newerq".into(),
                options: Some(vec![8, 0, 2, 0, 1, 0, 0, 0]),
            },
        ];
        for kind in kinds {
            let q = Qdisc::new(3, TcHandle::ROOT, kind).handle(TcHandle::new(1, 0));
            let back = round_trip(&q);
            match (&q.kind, &back.kind) {
                // burst goes through ticks and back: within a byte or two
                (QdiscKind::Tbf(a), QdiscKind::Tbf(b)) => {
                    assert_eq!((a.rate, a.limit, a.peakrate), (b.rate, b.limit, b.peakrate));
                    assert!(a.burst.abs_diff(b.burst) <= 2, "{a:?} {b:?}");
                    assert!(a.mtu.abs_diff(b.mtu) <= 2, "{a:?} {b:?}");
                }
                _ => assert_eq!(back, q),
            }
        }
    }

    fn hex(bytes: &[u8]) -> String {
        bytes.iter().map(|b| format!("{b:02x}")).collect()
    }

    /// What `tc qdisc add dev v0 root handle 1: KIND ...` sends after the
    /// netlink header (strace captures, v0 being index 3), against ours.
    fn same_as_tc(kind: QdiscKind, tc: &str) {
        let q = Qdisc::new(3, TcHandle::ROOT, kind).handle(TcHandle::new(1, 0));
        let mut buf = Vec::new();
        q.write_add(&mut buf).unwrap();
        assert_eq!(hex(&buf[16..]), tc, "{:?}", q.kind);
        assert_eq!(round_trip(&q), q);
    }

    const HDR: &str = "000000000300000000000100ffffffff00000000";

    #[test]
    fn requests_are_what_tc_sends() {
        // pie limit 100 target 20ms tupdate 30ms alpha 2 beta 20 ecn
        //     nobytemode dq_rate_estimator
        let pie = Pie {
            limit: Some(100),
            tupdate: Some(30_000),
            target: Some(20_000),
            alpha: Some(2),
            beta: Some(20),
            ecn: Some(true),
            bytemode: Some(false),
            dq_rate_estimator: Some(true),
        };
        same_as_tc(
            QdiscKind::Pie(pie),
            &format!(
                "{HDR}0800010070696500440002000800020064000000080003003075000008000100204e000008000400020000000800050014000000080006000100000008000700000000000800080001000000"
            ),
        );
        // fq_pie limit 1000 flows 512 target 15ms tupdate 30ms alpha 2
        //     beta 20 quantum 1514 memory_limit 32Mb ecn_prob 10 ecn
        //     bytemode dq_rate_estimator
        let fq_pie = FqPie {
            limit: Some(1000),
            flows: Some(512),
            target: Some(15_000),
            tupdate: Some(30_000),
            alpha: Some(2),
            beta: Some(20),
            quantum: Some(1514),
            memory_limit: Some(32 << 20),
            ecn_prob: Some(10),
            ecn: Some(true),
            bytemode: Some(true),
            dq_rate_estimator: Some(true),
        };
        same_as_tc(
            QdiscKind::FqPie(fq_pie),
            &format!(
                "{HDR}0b00010066715f70696500006400028008000100e8030000080002000002000008000300983a000008000400307500000800050002000000080006001400000008000700ea0500000800080000000002080009000a00000008000a000100000008000b000100000008000c0001000000"
            ),
        );
        // hhf limit 1000 quantum 1514 hh_limit 2048 reset_timeout 40ms
        //     admit_bytes 131072 evict_timeout 1s non_hh_weight 2
        let hhf = Hhf {
            backlog_limit: Some(1000),
            quantum: Some(1514),
            hh_flows_limit: Some(2048),
            reset_timeout: Some(40_000),
            admit_bytes: Some(131_072),
            evict_timeout: Some(1_000_000),
            non_hh_weight: Some(2),
        };
        same_as_tc(
            QdiscKind::Hhf(hhf),
            &format!(
                "{HDR}08000100686866003c00020008000100e803000008000200ea050000080003000008000008000400409c000008000500000002000800060040420f000800070002000000"
            ),
        );
        // plug limit 1000; plug block
        let limit = Plug {
            action: Some(PlugAction::Limit),
            limit: 1000,
        };
        same_as_tc(
            QdiscKind::Plug(limit),
            &format!("{HDR}09000100706c7567000000000c00020003000000e8030000"),
        );
        let block = Plug {
            action: Some(PlugAction::Buffer),
            limit: 0,
        };
        same_as_tc(
            QdiscKind::Plug(block),
            &format!("{HDR}09000100706c7567000000000c0002000000000000000000"),
        );
        // skbprio limit 10; multiq; drr; qfq
        let skbprio = Skbprio { limit: Some(10) };
        same_as_tc(
            QdiscKind::Skbprio(skbprio),
            &format!("{HDR}0c000100736b627072696f00080002000a000000"),
        );
        same_as_tc(
            QdiscKind::Multiq(Multiq::default()),
            &format!("{HDR}0b0001006d756c74697100000800020000000000"),
        );
        same_as_tc(QdiscKind::Drr, &format!("{HDR}0800010064727200"));
        // mqprio num_tc 2 map 0 0 0 0 1 1 1 1 queues 2@0 2@2 hw 0
        let mut map = [0; 16];
        map[4..8].copy_from_slice(&[1, 1, 1, 1]);
        let mqprio = Mqprio {
            num_tc: 2,
            map,
            hw: 0,
            queues: vec![(2, 0), (2, 2)],
            ..Mqprio::default()
        };
        same_as_tc(
            QdiscKind::Mqprio(mqprio),
            &format!(
                "{HDR}0b0001006d717072696f000058000200020000000001010101000000000000000000020002000000000000000000000000000000000000000000000000000000000000000200000000000000000000000000000000000000000000000000000000000000"
            ),
        );
        // taprio num_tc 2 map 0 0 0 0 1 1 1 1 queues 2@0 2@2
        //     base-time 1000000000 sched-entry S 01 300000
        //     sched-entry S 02 200000 clockid CLOCK_TAI
        let entry = |gate_mask, interval| TaprioEntry {
            index: None,
            cmd: TC_TAPRIO_CMD_SET_GATES,
            gate_mask,
            interval,
        };
        let taprio = Taprio {
            num_tc: 2,
            map,
            queues: vec![(2, 0), (2, 2)],
            clockid: Some(ClockId::Tai),
            sched: TaprioSched {
                base_time: Some(1_000_000_000),
                entries: vec![entry(1, 300_000), entry(2, 200_000)],
                ..TaprioSched::default()
            },
            ..Taprio::default()
        };
        same_as_tc(
            QdiscKind::Taprio(taprio),
            &format!(
                "{HDR}0b00010074617072696f0000ac000200080005000b000000560001000200000000010101010000000000000000000200020000000000000000000000000000000000000000000000000000000000000002000000000000000000000000000000000000000000000000000000000000000c00030000ca9a3b000000003c0002801c0001000500020000000000080003000100000008000400e09304001c0001000500020000000000080003000200000008000400400d0300"
            ),
        );
        // gred setup vqs 4 default 0 grio
        let gred = Gred {
            setup: Some(GredSetup {
                vqs: 4,
                default: 0,
                grio: true,
                flags: 0,
            }),
            ..Gred::default()
        };
        same_as_tc(
            QdiscKind::Gred(gred),
            &format!("{HDR}0900010067726564000000001400020010000300040000000000000001000000"),
        );
        // A virtual queue's change, read back.
        let vq = Gred {
            vqs: vec![GredVq {
                dp: 1,
                limit: 61_440,
                min: 15_360,
                max: 46_080,
                wlog: 3,
                plog: 19,
                scell_log: 13,
                prio: 2,
                max_p: Some(0x1999_9999),
                flags: Some(1),
                stats: [0; 8],
            }],
            stab: Some(vec![1; 256]),
            ..Gred::default()
        };
        let q = Qdisc::new(3, TcHandle::ROOT, QdiscKind::Gred(vq)).handle(TcHandle::new(1, 0));
        assert_eq!(round_trip(&q), q);
        // ets bands 4 strict 1 quanta 1500 2500 3500 priomap 0 1 2 3
        let ets = Ets {
            nbands: 4,
            nstrict: Some(1),
            quanta: vec![1500, 2500, 3500],
            priomap: vec![0, 1, 2, 3],
        };
        same_as_tc(
            QdiscKind::Ets(ets),
            &format!(
                "{HDR}080001006574730054000280050001000400000005000200010000001c00038008000400dc05000008000400c409000008000400ac0d0000240005800500060000000000050006000100000005000600020000000500060003000000"
            ),
        );
        // cake bandwidth 100mbit diffserv4 triple-isolate nat wash ingress
        //     ack-filter split-gso rtt 50ms overhead 18 mpu 64 memlimit 4Mb
        //     fwmark 0xff atm autorate-ingress
        let cake = Cake {
            base_rate: Some(12_500_000),
            diffserv_mode: Some(CakeDiffserv::Diffserv4),
            atm: Some(CakeAtm::Atm),
            flow_mode: Some(CakeFlowMode::Triple),
            overhead: Some(18),
            mpu: Some(64),
            rtt: Some(50_000),
            target: Some(2500),
            autorate: Some(true),
            memory: Some(4 << 20),
            fwmark: Some(0xff),
            nat: Some(true),
            wash: Some(true),
            split_gso: Some(true),
            ingress: Some(true),
            ack_filter: Some(CakeAckFilter::Filter),
            raw: false,
        };
        same_as_tc(
            QdiscKind::Cake(cake),
            &format!(
                "{HDR}0900010063616b6500000000880002000c00020020bcbe0000000000080003000100000008000400010000000800050007000000080006001200000008000e00400000000800070050c3000008000800c4090000080009000100000008000a000000400008001200ff00000008000b000100000008000d0001000000080011000100000008000f00010000000800100001000000"
            ),
        );
        // cake unlimited besteffort flows nonat nowash no-split-gso egress
        //     no-ack-filter internet noatm
        let cake = Cake {
            base_rate: Some(0),
            diffserv_mode: Some(CakeDiffserv::Besteffort),
            atm: Some(CakeAtm::None),
            flow_mode: Some(CakeFlowMode::Flows),
            rtt: Some(100_000),
            target: Some(5000),
            autorate: Some(false),
            nat: Some(false),
            wash: Some(false),
            split_gso: Some(false),
            ingress: Some(false),
            ack_filter: Some(CakeAckFilter::None),
            ..Cake::default()
        };
        same_as_tc(
            QdiscKind::Cake(cake),
            &format!(
                "{HDR}0900010063616b6500000000680002000c000200000000000000000008000300030000000800040000000000080005000400000008000700a08601000800080088130000080009000000000008000b000000000008000d0000000000080011000000000008000f00000000000800100000000000"
            ),
        );
        // cbs hicredit 30 locredit -1470 sendslope -980000 idleslope 20000
        let cbs = Cbs {
            hicredit: 30,
            locredit: -1470,
            idleslope: 20_000,
            sendslope: -980_000,
            offload: false,
        };
        same_as_tc(
            QdiscKind::Cbs(cbs),
            &format!(
                "{HDR}08000100636273001c00020018000100000000001e00000042faffff204e0000e00bf1ff"
            ),
        );
        // etf clockid CLOCK_TAI delta 300000 deadline_mode skip_sock_check
        let etf = Etf {
            clockid: ClockId::Tai,
            delta: 300_000,
            flags: TC_ETF_DEADLINE_MODE_ON | TC_ETF_SKIP_SOCK_CHECK,
        };
        same_as_tc(
            QdiscKind::Etf(etf),
            &format!("{HDR}08000100657466001400020010000100e09304000b00000005000000"),
        );
        // sfb limit 100 max 30 target 24 penalty_rate 5 increment 0.001
        //     rehash 1000 db 100
        let sfb = Sfb {
            limit: 100,
            max: 30,
            bin_size: 24,
            penalty_rate: 5,
            increment: (0.001 * f64::from(SFB_MAX_PROB) + 0.5) as u32,
            rehash_interval: 1000,
            warmup_time: 100,
            ..Sfb::default()
        };
        same_as_tc(
            QdiscKind::Sfb(sfb),
            &format!(
                "{HDR}08000100736662002c00020028000100e8030000640000001e000000180000004200000003000000640000000500000014000000"
            ),
        );
        // choke limit 1000 bandwidth 10mbit min 100 max 300 avpkt 1000
        //     burst 200; choke limit 1000 bandwidth 10mbit ecn
        //     probability 0.05
        let c = choke(
            1000,
            Some(100),
            Some(300),
            Some(200),
            1000,
            Rate::mbit(10),
            0.02,
        )
        .unwrap();
        same_as_tc(
            QdiscKind::Choke(c),
            &format!(
                "{HDR}0a00010063686f6b650000002401020014000100e8030000640000002c010000071811000401020000000000000000000000000000010101010101010101010101020202020202020202020202030303030303030303030303040404040404040404040404050505050505050505050505060606060606060606060606060707070707070707070707070808080808080808080808080909090909090909090909090a0a0a0a0a0a0a0a0a0a0a0a0b0b0b0b0b0b0b0b0b0b0b0b0c0c0c0c0c0c0c0c0c0c0c0c0c0d0d0d0d0d0d0d0d0d0d0d0d0e0e0e0e0e0e0e0e0e0e0e0e0f0f0f0f0f0f0f0f0f0f0f0f1010101010101010101010101111111111111111111111111212121212121212121212121213131313131313131313131314141414141414141414141f0800030051b81e05"
            ),
        );
        let mut c = choke(1000, None, None, None, 1000, Rate::mbit(10), 0.05).unwrap();
        c.flags |= crate::uapi::pkt_sched::TC_RED_ECN;
        same_as_tc(
            QdiscKind::Choke(c),
            &format!(
                "{HDR}0a00010063686f6b650000002401020014000100e803000053000000fa000000061610010401020000000000000000000000000000010101010101010101010101020202020202020202020202030303030303030303030303040404040404040404040404050505050505050505050505060606060606060606060606070707070707070707070707080808080808080808080808080909090909090909090909090a0a0a0a0a0a0a0a0a0a0a0a0b0b0b0b0b0b0b0b0b0b0b0b0c0c0c0c0c0c0c0c0c0c0c0c0d0d0d0d0d0d0d0d0d0d0d0d0e0e0e0e0e0e0e0e0e0e0e0e0f0f0f0f0f0f0f0f0f0f0f0f101010101010101010101010111111111111111111111111111212121212121212121212121313131313131313131313131414141414141414141414141f08000300cccccc0c"
            ),
        );
        same_as_tc(QdiscKind::Qfq, &format!("{HDR}0800010071667100"));
    }

    #[test]
    fn bad_qdiscs_are_refused() {
        let mut buf = Vec::new();
        let prio = Prio {
            bands: 1,
            ..Prio::default()
        };
        assert!(
            Qdisc::new(1, TcHandle::ROOT, QdiscKind::Prio(prio))
                .write_add(&mut buf)
                .is_err()
        );
        let q = Qdisc::new(1, TcHandle::ROOT, QdiscKind::Mq).handle(TcHandle::new(1, 1));
        assert!(q.write_add(&mut buf).is_err());
        assert!(
            Qdisc::new(0, TcHandle::ROOT, QdiscKind::Mq)
                .write_add(&mut buf)
                .is_err()
        );
        let tbf = Tbf::default();
        assert!(
            Qdisc::new(1, TcHandle::ROOT, QdiscKind::Tbf(tbf))
                .write_add(&mut buf)
                .is_err()
        );
        assert!(buf.is_empty());
    }
}
