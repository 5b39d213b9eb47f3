//! Qdiscs (RTM_NEWQDISC / DELQDISC / GETQDISC) and their options.

use std::time::Duration;

use nl_wire::{Attr, Msg, MsgBuilder};
use zerocopy::FromBytes;

use super::units::{self, Rate};
use super::{Common, Op, Stats, TcHandle, start};
use crate::attrs::{attr_struct, parse_with};
use crate::error::{Error, Result, WireContext};
use crate::uapi::pkt_sched::*;
use crate::uapi::rtnetlink::{RTM_DELQDISC, RTM_NEWQDISC, TCA_KIND, TCA_OPTIONS};
use crate::uapi::types::{
    TcCodelXstats, TcFifoQopt, TcHfscQopt, TcHtbGlob, TcNetemCorr, TcNetemProb, TcNetemQopt,
    TcNetemRate, TcNetemSlot, TcPrioQopt, TcRateSpec, TcRedQopt, TcSfqQopt, TcSfqQoptV1, TcTbfQopt,
};

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

/// What a qdisc is, with its options.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum QdiscKind {
    /// `pfifo`: a FIFO limited in packets (`None`: the device's txqueuelen).
    Pfifo {
        /// Queue length in packets.
        limit: Option<u32>,
    },
    /// `bfifo`: a FIFO limited in bytes.
    Bfifo {
        /// Queue length in bytes.
        limit: Option<u32>,
    },
    /// `pfifo_head_drop`: drops from the head when full.
    PfifoHeadDrop {
        /// Queue length in packets.
        limit: Option<u32>,
    },
    /// `pfifo_fast`: three bands by priority (options read only).
    PfifoFast(Option<Prio>),
    /// `prio`: strict priority bands.
    Prio(Prio),
    /// `htb`: hierarchical token bucket (classes carry the rates).
    Htb(Htb),
    /// `tbf`: token bucket filter.
    Tbf(Tbf),
    /// `ingress`: the ingress hook for filters.
    Ingress,
    /// `clsact`: ingress and egress hooks for filters.
    Clsact,
    /// `sfq`: stochastic fairness queueing.
    Sfq(Sfq),
    /// `fq`: fair queueing with pacing.
    Fq(Fq),
    /// `fq_codel`.
    FqCodel(FqCodel),
    /// `codel`.
    Codel(Codel),
    /// `netem`: network emulator.
    Netem(Netem),
    /// `red`: random early detection.
    Red(Red),
    /// `mq`: one child per hardware queue.
    Mq,
    /// `hfsc`: hierarchical fair service curve (classes carry the curves).
    Hfsc {
        /// Default class minor (`default`).
        default_class: u16,
    },
    /// `noqueue`.
    Noqueue,
    /// A kind this library does not know, with its raw `TCA_OPTIONS`.
    Other {
        /// `TCA_KIND`.
        kind: String,
        /// Payload of `TCA_OPTIONS`, if any.
        options: Option<Vec<u8>>,
    },
}

impl Default for QdiscKind {
    fn default() -> Self {
        QdiscKind::Pfifo { limit: None }
    }
}

/// `prio` / `pfifo_fast` options (`struct tc_prio_qopt`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Prio {
    /// Number of bands (2..=16).
    pub bands: u32,
    /// Band for each of the 16 packet priorities.
    pub priomap: [u8; 16],
}

impl Default for Prio {
    /// `tc`'s default: 3 bands, the same map as pfifo_fast.
    fn default() -> Self {
        Prio {
            bands: 3,
            priomap: [1, 2, 2, 2, 1, 2, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1],
        }
    }
}

/// `htb` qdisc options.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Htb {
    /// Minor of the class unclassified traffic goes to (`default`; 0:
    /// sent unshaped, straight to the device).
    pub default_class: u32,
    /// Divisor turning a class rate into its quantum (`r2q`, 10).
    pub r2q: u32,
    /// Length of the direct queue in packets (`direct_qlen`).
    pub direct_qlen: Option<u32>,
    /// Packets sent through the direct queue (reported).
    pub direct_packets: u32,
}

impl Default for Htb {
    fn default() -> Self {
        Htb {
            default_class: 0,
            r2q: 10,
            direct_qlen: None,
            direct_packets: 0,
        }
    }
}

/// `tbf` options.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Tbf {
    /// Token rate.
    pub rate: Rate,
    /// Bucket size in bytes (`burst`).
    pub burst: u32,
    /// Bytes that may wait for tokens (`limit`).
    pub limit: u32,
    /// Peak rate (`peakrate`), with `mtu` the size of its bucket.
    pub peakrate: Option<Rate>,
    /// Bucket of the peak rate in bytes (`mtu`/`minburst`).
    pub mtu: u32,
}

impl Tbf {
    /// A tbf whose limit is computed from a latency, as `tc ... latency`
    /// does: the bytes sent at `rate` during `latency`, plus the burst.
    pub fn with_latency(rate: Rate, burst: u32, latency: Duration) -> Tbf {
        let queued = u128::from(rate.bytes()) * latency.as_micros() / 1_000_000;
        let limit = u32::try_from(queued)
            .unwrap_or(u32::MAX)
            .saturating_add(burst);
        Tbf {
            rate,
            burst,
            limit,
            ..Tbf::default()
        }
    }

    /// The latency this limit gives at this rate (as `tc` prints it).
    pub fn latency(&self) -> Duration {
        if self.rate.bytes() == 0 {
            return Duration::ZERO;
        }
        let bytes = u64::from(self.limit.saturating_sub(self.burst));
        let us = u128::from(bytes) * 1_000_000 / u128::from(self.rate.bytes());
        Duration::from_micros(u64::try_from(us).unwrap_or(u64::MAX))
    }
}

/// `sfq` options (`struct tc_sfq_qopt_v1`; 0 means the kernel default).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Sfq {
    /// Bytes per round (`quantum`).
    pub quantum: u32,
    /// Seconds between hash perturbations (`perturb`; 0: never).
    pub perturb: u32,
    /// Packets in the whole queue (`limit`).
    pub limit: u32,
    /// Hash table size (`divisor`).
    pub divisor: u32,
    /// Flows (`flows`).
    pub flows: u32,
    /// Packets per flow (`depth`).
    pub depth: u32,
    /// Drop from the head (`headdrop`).
    pub headdrop: bool,
}

attr_struct! {
    /// `fq` options (times in microseconds, rates in bytes per second,
    /// as the kernel takes them).
    pub struct Fq {
        /// Packets in the whole qdisc (`limit`).
        limit: u32 = TCA_FQ_PLIMIT,
        /// Packets per flow (`flow_limit`).
        flow_limit: u32 = TCA_FQ_FLOW_PLIMIT,
        /// Credit per round (`quantum`).
        quantum: u32 = TCA_FQ_QUANTUM,
        /// Credit of a new flow (`initial_quantum`).
        initial_quantum: u32 = TCA_FQ_INITIAL_QUANTUM,
        /// Pacing on (1) or off (0).
        rate_enable: u32 = TCA_FQ_RATE_ENABLE,
        /// Maximum rate of a flow, bytes per second (`maxrate`).
        flow_max_rate: u32 = TCA_FQ_FLOW_MAX_RATE,
        /// log2 of the flow table size (`buckets`).
        buckets_log: u32 = TCA_FQ_BUCKETS_LOG,
        /// Delay before refilling a flow's credit, µs (`refill_delay`).
        flow_refill_delay: u32 = TCA_FQ_FLOW_REFILL_DELAY,
        /// Mask of orphaned sockets' hash (`orphanmask`).
        orphan_mask: u32 = TCA_FQ_ORPHAN_MASK,
        /// Rate below which flows are treated as low rate (`low_rate_threshold`).
        low_rate_threshold: u32 = TCA_FQ_LOW_RATE_THRESHOLD,
        /// ECN CE marking threshold, µs (`ce_threshold`).
        ce_threshold: u32 = TCA_FQ_CE_THRESHOLD,
        /// Timer slack, ns (`timer_slack`).
        timer_slack: u32 = TCA_FQ_TIMER_SLACK,
        /// Time horizon, µs (`horizon`).
        horizon: u32 = TCA_FQ_HORIZON,
        /// Drop (1) or cap (0) packets beyond the horizon.
        horizon_drop: u8 = TCA_FQ_HORIZON_DROP,
    }
}

attr_struct! {
    /// `fq_codel` options (times in microseconds).
    pub struct FqCodel {
        /// Target queue delay, µs (`target`).
        target: u32 = TCA_FQ_CODEL_TARGET,
        /// Packets in the whole qdisc (`limit`).
        limit: u32 = TCA_FQ_CODEL_LIMIT,
        /// Interval, µs (`interval`).
        interval: u32 = TCA_FQ_CODEL_INTERVAL,
        /// Mark ECN instead of dropping: 1 (`ecn`) or 0 (`noecn`).
        ecn: u32 = TCA_FQ_CODEL_ECN,
        /// Number of flows (`flows`; fixed after creation).
        flows: u32 = TCA_FQ_CODEL_FLOWS,
        /// Bytes per round (`quantum`).
        quantum: u32 = TCA_FQ_CODEL_QUANTUM,
        /// ECN CE marking threshold, µs (`ce_threshold`).
        ce_threshold: u32 = TCA_FQ_CODEL_CE_THRESHOLD,
        /// Packets dropped at once when over the limit (`drop_batch`).
        drop_batch_size: u32 = TCA_FQ_CODEL_DROP_BATCH_SIZE,
        /// Memory limit in bytes (`memory_limit`).
        memory_limit: u32 = TCA_FQ_CODEL_MEMORY_LIMIT,
    }
}

attr_struct! {
    /// `codel` options (times in microseconds).
    pub struct Codel {
        /// Target queue delay, µs (`target`).
        target: u32 = TCA_CODEL_TARGET,
        /// Packets in the queue (`limit`).
        limit: u32 = TCA_CODEL_LIMIT,
        /// Interval, µs (`interval`).
        interval: u32 = TCA_CODEL_INTERVAL,
        /// Mark ECN instead of dropping: 1 or 0.
        ecn: u32 = TCA_CODEL_ECN,
        /// ECN CE marking threshold, µs (`ce_threshold`).
        ce_threshold: u32 = TCA_CODEL_CE_THRESHOLD,
    }
}

/// `netem` options.
///
/// Probabilities are scaled so that `u32::MAX` is 100%
/// ([`units::parse_percent`] reads `tc`'s `1%`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Netem {
    /// Added delay (`delay`).
    pub delay: Duration,
    /// Random variation of the delay (`delay D JITTER`).
    pub jitter: Duration,
    /// Correlation of successive delays.
    pub delay_corr: u32,
    /// Packets the qdisc holds (`limit`, 1000).
    pub limit: u32,
    /// Random loss probability (`loss random P`).
    pub loss: u32,
    /// Correlation of losses.
    pub loss_corr: u32,
    /// Duplication probability (`duplicate P`).
    pub duplicate: u32,
    /// Correlation of duplicates.
    pub duplicate_corr: u32,
    /// Reordering: every `gap`-th packet is sent at once (`reorder ... gap G`).
    pub gap: u32,
    /// Reordering probability and correlation (`reorder P C`).
    pub reorder: Option<(u32, u32)>,
    /// Corruption probability and correlation (`corrupt P C`).
    pub corrupt: Option<(u32, u32)>,
    /// Rate limit (`rate`).
    pub rate: Option<NetemRate>,
    /// Slotting (`slot`).
    pub slot: Option<NetemSlot>,
    /// Mark ECN instead of dropping lost packets (`ecn`).
    pub ecn: bool,
}

impl Default for Netem {
    fn default() -> Self {
        Netem {
            delay: Duration::ZERO,
            jitter: Duration::ZERO,
            delay_corr: 0,
            limit: 1000,
            loss: 0,
            loss_corr: 0,
            duplicate: 0,
            duplicate_corr: 0,
            gap: 0,
            reorder: None,
            corrupt: None,
            rate: None,
            slot: None,
            ecn: false,
        }
    }
}

/// netem's rate limit (`rate R [PACKETOVERHEAD [CELLSIZE [CELLOVERHEAD]]]`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct NetemRate {
    /// Rate.
    pub rate: Rate,
    /// Bytes added to (or removed from) each packet.
    pub packet_overhead: i32,
    /// Cell size (0: none).
    pub cell_size: u32,
    /// Bytes added to each cell.
    pub cell_overhead: i32,
}

/// netem's slotting (`slot MIN MAX [packets N] [bytes N]`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct NetemSlot {
    /// Shortest gap between slots.
    pub min_delay: Duration,
    /// Longest gap between slots.
    pub max_delay: Duration,
    /// Packets per slot (0: no limit).
    pub max_packets: i32,
    /// Bytes per slot (0: no limit).
    pub max_bytes: i32,
}

/// `red` options.
///
/// [`Red::new`] computes the kernel's parameters from `tc`'s words; the
/// raw fields can be set by hand.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Red {
    /// Hard queue limit in bytes.
    pub limit: u32,
    /// Average queue size where marking starts (`min`), bytes.
    pub min: u32,
    /// Average queue size where marking is at its maximum (`max`), bytes.
    pub max: u32,
    /// log2 of the averaging weight.
    pub wlog: u8,
    /// log2 of the probability scale.
    pub plog: u8,
    /// Idle damping cell size log.
    pub scell_log: u8,
    /// `TC_RED_ECN`, `TC_RED_HARDDROP`, `TC_RED_ADAPTATIVE`, `TC_RED_NODROP`.
    pub flags: u8,
    /// Maximum probability, scaled to 2^32 (`TCA_RED_MAX_P`).
    pub max_p: Option<u32>,
    /// The 256-byte idle damping table (`TCA_RED_STAB`); required on add.
    pub stab: Vec<u8>,
}

impl Red {
    /// Parameters as `tc qdisc add ... red limit L min MIN max MAX avpkt A
    /// burst B bandwidth BW probability P` computes them.
    pub fn new(
        limit: u32,
        min: u32,
        max: u32,
        avpkt: u32,
        burst: u32,
        bandwidth: Rate,
        probability: f64,
    ) -> Result<Red> {
        if min == 0 || max <= min || limit < max {
            return Err(Error::invalid("red", "needs 0 < min < max <= limit"));
        }
        let wlog = units::red_wlog(min, burst, avpkt).ok_or(Error::invalid(
            "red burst",
            "no averaging weight fits (raise burst)",
        ))?;
        let plog = units::red_plog(min, max, probability).ok_or(Error::invalid(
            "red probability",
            "no probability scale fits",
        ))?;
        let (scell_log, stab) = units::red_idle_damping(wlog, avpkt, bandwidth).ok_or(
            Error::invalid("red bandwidth", "no idle damping table fits"),
        )?;
        Ok(Red {
            limit,
            min,
            max,
            wlog,
            plog,
            scell_log,
            flags: 0,
            max_p: Some(units::red_max_p(probability)),
            stab: stab.to_vec(),
        })
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

fn nested<'a>(a: &Option<Attr<'a>>) -> Option<nl_wire::Attrs<'a>> {
    a.as_ref().map(Attr::nested)
}

fn limit_opt(o: &Option<Attr<'_>>) -> Option<u32> {
    o.as_ref().map(|a| a.read::<TcFifoQopt>().limit.get())
}

impl QdiscKind {
    /// The kind string (`TCA_KIND`).
    pub fn name(&self) -> &str {
        match self {
            QdiscKind::Pfifo { .. } => "pfifo",
            QdiscKind::Bfifo { .. } => "bfifo",
            QdiscKind::PfifoHeadDrop { .. } => "pfifo_head_drop",
            QdiscKind::PfifoFast(_) => "pfifo_fast",
            QdiscKind::Prio(_) => "prio",
            QdiscKind::Htb(_) => "htb",
            QdiscKind::Tbf(_) => "tbf",
            QdiscKind::Ingress => "ingress",
            QdiscKind::Clsact => "clsact",
            QdiscKind::Sfq(_) => "sfq",
            QdiscKind::Fq(_) => "fq",
            QdiscKind::FqCodel(_) => "fq_codel",
            QdiscKind::Codel(_) => "codel",
            QdiscKind::Netem(_) => "netem",
            QdiscKind::Red(_) => "red",
            QdiscKind::Mq => "mq",
            QdiscKind::Hfsc { .. } => "hfsc",
            QdiscKind::Noqueue => "noqueue",
            QdiscKind::Other { kind, .. } => kind,
        }
    }

    fn parse(kind: &str, options: Option<Attr<'_>>, ty: u16) -> Result<QdiscKind> {
        Ok(match kind {
            "pfifo" => QdiscKind::Pfifo {
                limit: limit_opt(&options),
            },
            "bfifo" => QdiscKind::Bfifo {
                limit: limit_opt(&options),
            },
            "pfifo_head_drop" => QdiscKind::PfifoHeadDrop {
                limit: limit_opt(&options),
            },
            "pfifo_fast" | "prio" => {
                let p = options.as_ref().map(|a| {
                    let q: TcPrioQopt = a.read();
                    Prio {
                        bands: u32::try_from(q.bands.get()).unwrap_or(0),
                        priomap: q.priomap,
                    }
                });
                if kind == "prio" {
                    QdiscKind::Prio(p.unwrap_or_default())
                } else {
                    QdiscKind::PfifoFast(p)
                }
            }
            "htb" => {
                let mut h = Htb::default();
                if let Some(attrs) = nested(&options) {
                    parse_with(
                        attrs,
                        ty,
                        |_| Ok(false),
                        |a| {
                            match a.kind() {
                                TCA_HTB_INIT => {
                                    let g: TcHtbGlob = a.read();
                                    h.r2q = g.rate2quantum.get();
                                    h.default_class = g.defcls.get();
                                    h.direct_packets = g.direct_pkts.get();
                                }
                                TCA_HTB_DIRECT_QLEN => h.direct_qlen = Some(a.u32().ctx(ty)?),
                                _ => {}
                            }
                            Ok(())
                        },
                    )?;
                }
                QdiscKind::Htb(h)
            }
            "tbf" => {
                let mut parms = None;
                let (mut rate64, mut prate64) = (None, None);
                if let Some(attrs) = nested(&options) {
                    parse_with(
                        attrs,
                        ty,
                        |_| Ok(false),
                        |a| {
                            match a.kind() {
                                TCA_TBF_PARMS => parms = Some(a.read::<TcTbfQopt>()),
                                TCA_TBF_RATE64 => rate64 = Some(a.u64().ctx(ty)?),
                                TCA_TBF_PRATE64 => prate64 = Some(a.u64().ctx(ty)?),
                                _ => {}
                            }
                            Ok(())
                        },
                    )?;
                }
                let p = parms.unwrap_or_default();
                let rate = rate_of(&p.rate, rate64);
                let peak = rate_of(&p.peakrate, prate64);
                QdiscKind::Tbf(Tbf {
                    rate,
                    burst: units::xmit_size(rate, p.buffer.get()),
                    limit: p.limit.get(),
                    peakrate: (peak.bytes() != 0).then_some(peak),
                    mtu: if peak.bytes() != 0 {
                        units::xmit_size(peak, p.mtu.get())
                    } else {
                        0
                    },
                })
            }
            "ingress" => QdiscKind::Ingress,
            "clsact" => QdiscKind::Clsact,
            "sfq" => {
                let s = options
                    .as_ref()
                    .map(|a| a.read::<TcSfqQoptV1>())
                    .unwrap_or_default();
                QdiscKind::Sfq(Sfq {
                    quantum: s.v0.quantum.get(),
                    perturb: u32::try_from(s.v0.perturb_period.get()).unwrap_or(0),
                    limit: s.v0.limit.get(),
                    divisor: s.v0.divisor.get(),
                    flows: s.v0.flows.get(),
                    depth: s.depth.get(),
                    headdrop: s.headdrop.get() != 0,
                })
            }
            "fq" => {
                let mut f = Fq::default();
                if let Some(attrs) = nested(&options) {
                    parse_with(attrs, ty, |a| f.parse_attr(a), |_| Ok(()))?;
                }
                QdiscKind::Fq(f)
            }
            "fq_codel" => {
                let mut f = FqCodel::default();
                if let Some(attrs) = nested(&options) {
                    parse_with(attrs, ty, |a| f.parse_attr(a), |_| Ok(()))?;
                }
                QdiscKind::FqCodel(f)
            }
            "codel" => {
                let mut c = Codel::default();
                if let Some(attrs) = nested(&options) {
                    parse_with(attrs, ty, |a| c.parse_attr(a), |_| Ok(()))?;
                }
                QdiscKind::Codel(c)
            }
            "netem" => QdiscKind::Netem(match &options {
                Some(a) => parse_netem(a, ty)?,
                None => Netem::default(),
            }),
            "red" => {
                let mut r = Red::default();
                if let Some(attrs) = nested(&options) {
                    parse_with(
                        attrs,
                        ty,
                        |_| Ok(false),
                        |a| {
                            match a.kind() {
                                TCA_RED_PARMS => {
                                    let q: TcRedQopt = a.read();
                                    r.limit = q.limit.get();
                                    r.min = q.qth_min.get();
                                    r.max = q.qth_max.get();
                                    r.wlog = q.wlog;
                                    r.plog = q.plog;
                                    r.scell_log = q.scell_log;
                                    r.flags |= q.flags;
                                }
                                TCA_RED_MAX_P => r.max_p = Some(a.u32().ctx(ty)?),
                                TCA_RED_STAB => r.stab = a.payload().to_vec(),
                                TCA_RED_FLAGS => {
                                    let b: crate::uapi::types::NlaBitfield32 = a.read();
                                    r.flags |= u8::try_from(b.value.get() & 0xFF).unwrap_or(0);
                                }
                                _ => {}
                            }
                            Ok(())
                        },
                    )?;
                }
                QdiscKind::Red(r)
            }
            "mq" => QdiscKind::Mq,
            "hfsc" => QdiscKind::Hfsc {
                default_class: options
                    .as_ref()
                    .map(|a| a.read::<TcHfscQopt>().defcls.get())
                    .unwrap_or(0),
            },
            "noqueue" => QdiscKind::Noqueue,
            other => QdiscKind::Other {
                kind: other.to_string(),
                options: options.map(|a| a.payload().to_vec()),
            },
        })
    }

    fn validate(&self) -> Result<()> {
        match self {
            QdiscKind::Prio(p) if !(2..=16).contains(&p.bands) => {
                Err(Error::invalid("bands", "prio has 2..=16 bands"))
            }
            QdiscKind::Prio(p) if p.priomap.iter().any(|b| u32::from(*b) >= p.bands) => Err(
                Error::invalid("priomap", "names a band above the number of bands"),
            ),
            QdiscKind::Tbf(t) if t.rate.bytes() == 0 => {
                Err(Error::invalid("rate", "tbf needs a rate above 0"))
            }
            QdiscKind::Tbf(t) if t.burst == 0 => Err(Error::invalid("burst", "tbf needs a burst")),
            QdiscKind::Tbf(t) if t.peakrate.is_some() && t.mtu == 0 => Err(Error::invalid(
                "mtu",
                "a tbf peakrate needs an mtu (its bucket size)",
            )),
            QdiscKind::Htb(h) if h.r2q == 0 => Err(Error::invalid("r2q", "must be above 0")),
            QdiscKind::Other { kind, .. } if kind.is_empty() => {
                Err(Error::invalid("kind", "empty qdisc kind"))
            }
            _ => Ok(()),
        }
    }

    pub(crate) fn write(&self, m: &mut MsgBuilder<'_>) {
        m.put_str(TCA_KIND, self.name());
        match self {
            QdiscKind::Pfifo { limit }
            | QdiscKind::Bfifo { limit }
            | QdiscKind::PfifoHeadDrop { limit } => {
                if let Some(l) = limit {
                    m.put(TCA_OPTIONS, &TcFifoQopt { limit: (*l).into() });
                }
            }
            QdiscKind::Prio(p) => {
                m.put(
                    TCA_OPTIONS,
                    &TcPrioQopt {
                        bands: i32::try_from(p.bands).unwrap_or(i32::MAX).into(),
                        priomap: p.priomap,
                    },
                );
            }
            QdiscKind::Htb(h) => {
                m.nest(TCA_OPTIONS, |m| {
                    m.put(
                        TCA_HTB_INIT,
                        &TcHtbGlob {
                            version: TC_HTB_PROTOVER.into(),
                            rate2quantum: h.r2q.into(),
                            defcls: h.default_class.into(),
                            ..TcHtbGlob::default()
                        },
                    );
                    if let Some(q) = h.direct_qlen {
                        m.put_u32(TCA_HTB_DIRECT_QLEN, q);
                    }
                });
            }
            QdiscKind::Tbf(t) => {
                let peak = t.peakrate.unwrap_or_default();
                let parms = TcTbfQopt {
                    rate: rate_spec(t.rate),
                    peakrate: if t.peakrate.is_some() {
                        rate_spec(peak)
                    } else {
                        TcRateSpec::default()
                    },
                    limit: t.limit.into(),
                    buffer: units::xmit_time(t.rate, t.burst).into(),
                    mtu: if t.peakrate.is_some() {
                        units::xmit_time(peak, t.mtu).into()
                    } else {
                        0.into()
                    },
                };
                m.nest(TCA_OPTIONS, |m| {
                    m.put(TCA_TBF_PARMS, &parms);
                    if t.rate.bytes() > u64::from(u32::MAX) {
                        m.put_u64(TCA_TBF_RATE64, t.rate.bytes());
                    }
                    if peak.bytes() > u64::from(u32::MAX) {
                        m.put_u64(TCA_TBF_PRATE64, peak.bytes());
                    }
                    m.put_u32(TCA_TBF_BURST, t.burst);
                    if t.peakrate.is_some() {
                        m.put_u32(TCA_TBF_PBURST, t.mtu);
                    }
                });
            }
            QdiscKind::Sfq(s) => {
                let v1 = TcSfqQoptV1 {
                    v0: TcSfqQopt {
                        quantum: s.quantum.into(),
                        perturb_period: i32::try_from(s.perturb).unwrap_or(i32::MAX).into(),
                        limit: s.limit.into(),
                        divisor: s.divisor.into(),
                        flows: s.flows.into(),
                    },
                    depth: s.depth.into(),
                    headdrop: u32::from(s.headdrop).into(),
                    ..TcSfqQoptV1::default()
                };
                m.put(TCA_OPTIONS, &v1);
            }
            QdiscKind::Fq(f) => {
                m.nest(TCA_OPTIONS, |m| f.write_attrs(m));
            }
            QdiscKind::FqCodel(f) => {
                m.nest(TCA_OPTIONS, |m| f.write_attrs(m));
            }
            QdiscKind::Codel(c) => {
                m.nest(TCA_OPTIONS, |m| c.write_attrs(m));
            }
            QdiscKind::Netem(n) => write_netem(n, m),
            QdiscKind::Red(r) => {
                m.nest(TCA_OPTIONS, |m| {
                    m.put(
                        TCA_RED_PARMS,
                        &TcRedQopt {
                            limit: r.limit.into(),
                            qth_min: r.min.into(),
                            qth_max: r.max.into(),
                            wlog: r.wlog,
                            plog: r.plog,
                            scell_log: r.scell_log,
                            flags: r.flags,
                        },
                    );
                    m.put_bytes(TCA_RED_STAB, &r.stab);
                    if let Some(p) = r.max_p {
                        m.put_u32(TCA_RED_MAX_P, p);
                    }
                });
            }
            QdiscKind::Hfsc { default_class } => {
                m.put(
                    TCA_OPTIONS,
                    &TcHfscQopt {
                        defcls: (*default_class).into(),
                    },
                );
            }
            QdiscKind::Other {
                options: Some(o), ..
            } => {
                m.put_bytes(TCA_OPTIONS, o);
            }
            QdiscKind::PfifoFast(_)
            | QdiscKind::Ingress
            | QdiscKind::Clsact
            | QdiscKind::Mq
            | QdiscKind::Noqueue
            | QdiscKind::Other { options: None, .. } => {}
        }
    }
}

fn ns(d: Duration) -> i64 {
    i64::try_from(d.as_nanos()).unwrap_or(i64::MAX)
}

fn from_ns(v: i64) -> Duration {
    Duration::from_nanos(u64::try_from(v).unwrap_or(0))
}

fn write_netem(n: &Netem, m: &mut MsgBuilder<'_>) {
    let nest = m.nest_start(TCA_OPTIONS);
    m.header(&TcNetemQopt {
        latency: units::time_to_ticks(n.delay).into(),
        limit: n.limit.into(),
        loss: n.loss.into(),
        gap: n.gap.into(),
        duplicate: n.duplicate.into(),
        jitter: units::time_to_ticks(n.jitter).into(),
    });
    m.put(
        TCA_NETEM_CORR,
        &TcNetemCorr {
            delay_corr: n.delay_corr.into(),
            loss_corr: n.loss_corr.into(),
            dup_corr: n.duplicate_corr.into(),
        },
    );
    if let Some((p, c)) = n.reorder {
        m.put(
            TCA_NETEM_REORDER,
            &TcNetemProb {
                probability: p.into(),
                correlation: c.into(),
            },
        );
    }
    if let Some((p, c)) = n.corrupt {
        m.put(
            TCA_NETEM_CORRUPT,
            &TcNetemProb {
                probability: p.into(),
                correlation: c.into(),
            },
        );
    }
    if let Some(r) = n.rate {
        m.put(
            TCA_NETEM_RATE,
            &TcNetemRate {
                rate: u32::try_from(r.rate.bytes()).unwrap_or(u32::MAX).into(),
                packet_overhead: r.packet_overhead.into(),
                cell_size: r.cell_size.into(),
                cell_overhead: r.cell_overhead.into(),
            },
        );
        if r.rate.bytes() > u64::from(u32::MAX) {
            m.put_u64(TCA_NETEM_RATE64, r.rate.bytes());
        }
    }
    if let Some(s) = n.slot {
        m.put(
            TCA_NETEM_SLOT,
            &TcNetemSlot {
                min_delay: ns(s.min_delay).into(),
                max_delay: ns(s.max_delay).into(),
                max_packets: s.max_packets.into(),
                max_bytes: s.max_bytes.into(),
                ..TcNetemSlot::default()
            },
        );
    }
    if n.ecn {
        m.put_u32(TCA_NETEM_ECN, 1);
    }
    m.put_i64(TCA_NETEM_LATENCY64, ns(n.delay));
    m.put_i64(TCA_NETEM_JITTER64, ns(n.jitter));
    m.nest_end(nest);
}

fn parse_netem(a: &Attr<'_>, ty: u16) -> Result<Netem> {
    let payload = a.payload();
    let q: TcNetemQopt = nl_wire::read_tolerant(payload);
    let mut n = Netem {
        delay: units::ticks_to_time(q.latency.get()),
        jitter: units::ticks_to_time(q.jitter.get()),
        limit: q.limit.get(),
        loss: q.loss.get(),
        gap: q.gap.get(),
        duplicate: q.duplicate.get(),
        ..Netem::default()
    };
    let rest = payload.get(size_of::<TcNetemQopt>()..).unwrap_or(&[]);
    let mut rate64 = None;
    parse_with(
        nl_wire::Attrs::new(rest),
        ty,
        |_| Ok(false),
        |a| {
            match a.kind() {
                TCA_NETEM_CORR => {
                    let c: TcNetemCorr = a.read();
                    n.delay_corr = c.delay_corr.get();
                    n.loss_corr = c.loss_corr.get();
                    n.duplicate_corr = c.dup_corr.get();
                }
                TCA_NETEM_REORDER => {
                    let p: TcNetemProb = a.read();
                    n.reorder = Some((p.probability.get(), p.correlation.get()));
                }
                TCA_NETEM_CORRUPT => {
                    let p: TcNetemProb = a.read();
                    n.corrupt = Some((p.probability.get(), p.correlation.get()));
                }
                TCA_NETEM_RATE => {
                    let r: TcNetemRate = a.read();
                    n.rate = Some(NetemRate {
                        rate: Rate::bytes_per_sec(u64::from(r.rate.get())),
                        packet_overhead: r.packet_overhead.get(),
                        cell_size: r.cell_size.get(),
                        cell_overhead: r.cell_overhead.get(),
                    });
                }
                TCA_NETEM_RATE64 => rate64 = Some(a.u64().ctx(ty)?),
                TCA_NETEM_SLOT => {
                    let s: TcNetemSlot = a.read();
                    n.slot = Some(NetemSlot {
                        min_delay: from_ns(s.min_delay.get()),
                        max_delay: from_ns(s.max_delay.get()),
                        max_packets: s.max_packets.get(),
                        max_bytes: s.max_bytes.get(),
                    });
                }
                TCA_NETEM_ECN => n.ecn = a.u32().ctx(ty)? != 0,
                TCA_NETEM_LATENCY64 => n.delay = from_ns(a.i64().ctx(ty)?),
                TCA_NETEM_JITTER64 => n.jitter = from_ns(a.i64().ctx(ty)?),
                _ => {}
            }
            Ok(())
        },
    )?;
    if let (Some(r), Some(v)) = (n.rate.as_mut(), rate64) {
        r.rate = Rate::bytes_per_sec(v);
    }
    // The kernel reports these always; zero means "not set", as `tc` reads it.
    n.reorder = n.reorder.filter(|(p, _)| *p != 0);
    n.corrupt = n.corrupt.filter(|(p, _)| *p != 0);
    n.rate = n.rate.filter(|r| r.rate.bytes() != 0);
    // The kernel's queue never gets a zero limit; a reply without the
    // struct (impossible) leaves the default.
    if payload.len() < size_of::<TcNetemQopt>() {
        n.limit = Netem::default().limit;
    }
    Ok(n)
}

impl Qdisc {
    /// A qdisc of `kind` on device `index` under `parent`; the kernel
    /// picks the handle unless [`Qdisc::with_handle`] sets one.
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
        Qdisc::new(index, TcHandle::INGRESS, QdiscKind::Ingress)
            .with_handle(TcHandle::new(0xFFFF, 0))
    }

    /// The clsact qdisc of a device (`tc qdisc add dev X clsact`).
    pub fn clsact(index: u32) -> Qdisc {
        Qdisc::new(index, TcHandle::CLSACT, QdiscKind::Clsact).with_handle(TcHandle::new(0xFFFF, 0))
    }

    /// Sets the handle.
    #[must_use]
    pub fn with_handle(mut self, handle: TcHandle) -> Qdisc {
        self.handle = handle;
        self
    }

    /// Parses an RTM_NEWQDISC / RTM_DELQDISC message.
    pub fn parse(msg: &Msg<'_>) -> Result<Qdisc> {
        let c = Common::parse(msg)?;
        let kind = QdiscKind::parse(c.kind, c.options, msg.ty())?;
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
    use super::*;

    fn round_trip(q: &Qdisc) -> Qdisc {
        let mut buf = Vec::new();
        q.write_add(&mut buf).unwrap();
        Qdisc::parse(&Msg::parse(&buf).unwrap().0).unwrap()
    }

    #[test]
    fn every_kind_round_trips() {
        let kinds = vec![
            QdiscKind::Pfifo { limit: Some(100) },
            QdiscKind::Bfifo {
                limit: Some(10_000),
            },
            QdiscKind::PfifoHeadDrop { limit: None },
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
            QdiscKind::Hfsc {
                default_class: 0x20,
            },
            QdiscKind::Other {
                kind: "cake".into(),
                options: Some(vec![8, 0, 2, 0, 1, 0, 0, 0]),
            },
        ];
        for kind in kinds {
            let q = Qdisc::new(3, TcHandle::ROOT, kind).with_handle(TcHandle::new(1, 0));
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
        let q = Qdisc::new(1, TcHandle::ROOT, QdiscKind::Mq).with_handle(TcHandle::new(1, 1));
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

    #[test]
    fn tbf_latency_gives_limit() {
        let t = Tbf::with_latency(Rate::mbit(1), 10_000, Duration::from_millis(40));
        assert_eq!(t.limit, 5000 + 10_000);
        assert_eq!(t.latency(), Duration::from_millis(40));
    }
}
