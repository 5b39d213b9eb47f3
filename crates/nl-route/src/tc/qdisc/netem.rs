//! `netem`: the network emulator (delay, loss, duplication, reordering,
//! corruption, rate, slotting).

use std::time::Duration;

use nl_wire::{Attr, Attrs, MsgBuilder};

use crate::tc::TcOptions;
use crate::tc::units::{self, Rate};
use crate::uapi::pkt_sched::*;
use crate::uapi::rtnetlink::TCA_OPTIONS;
use crate::uapi::types::{TcNetemCorr, TcNetemProb, TcNetemQopt, TcNetemRate, TcNetemSlot};

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

impl TcOptions for Netem {
    fn parse(options: Option<&Attr<'_>>) -> nl_wire::Result<Self> {
        options.map_or(Ok(Netem::default()), parse_netem)
    }

    fn write(&self, m: &mut MsgBuilder<'_>) {
        write_netem(self, m);
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

fn parse_netem(a: &Attr<'_>) -> nl_wire::Result<Netem> {
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
    // The struct comes first, then attributes (`nla_parse_nested_deprecated`
    // after `sizeof(struct tc_netem_qopt)`).
    for a in Attrs::new(rest) {
        let a = a?;
        match a.ty() {
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
            TCA_NETEM_RATE64 => rate64 = Some(a.u64()?),
            TCA_NETEM_SLOT => {
                let s: TcNetemSlot = a.read();
                n.slot = Some(NetemSlot {
                    min_delay: from_ns(s.min_delay.get()),
                    max_delay: from_ns(s.max_delay.get()),
                    max_packets: s.max_packets.get(),
                    max_bytes: s.max_bytes.get(),
                });
            }
            TCA_NETEM_ECN => n.ecn = a.u32()? != 0,
            TCA_NETEM_LATENCY64 => n.delay = from_ns(a.i64()?),
            TCA_NETEM_JITTER64 => n.jitter = from_ns(a.i64()?),
            _ => {}
        }
    }
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
