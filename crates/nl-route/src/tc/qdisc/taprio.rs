//! `taprio`: time-aware priority shaper (IEEE 802.1Qbv gate schedules).

use nl_wire::netlink::NLA_F_NESTED;
use nl_wire::{Attr, MsgBuilder};
use zerocopy::byteorder::native_endian::U16;

use super::etf::ClockId;
use super::mqprio::TcMqprioQopt;
use crate::tc::TcOptions;
use crate::uapi::pkt_sched::*;
use crate::uapi::rtnetlink::TCA_OPTIONS;

/// `TC_TAPRIO_CMD_SET_GATES` (`S`).
pub const TC_TAPRIO_CMD_SET_GATES: u8 = 0;
/// `TC_TAPRIO_CMD_SET_AND_HOLD` (`H`).
pub const TC_TAPRIO_CMD_SET_AND_HOLD: u8 = 1;
/// `TC_TAPRIO_CMD_SET_AND_RELEASE` (`R`).
pub const TC_TAPRIO_CMD_SET_AND_RELEASE: u8 = 2;

/// One entry of a gate schedule (`sched-entry S 01 300000`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct TaprioEntry {
    /// Position (reported).
    pub index: Option<u32>,
    /// `TC_TAPRIO_CMD_*`.
    pub cmd: u8,
    /// Open gates, a bit per traffic class.
    pub gate_mask: u32,
    /// Nanoseconds the entry lasts.
    pub interval: u32,
}

/// A gate schedule: when it starts and its entries.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct TaprioSched {
    /// Start, nanoseconds of the clock (`base-time`).
    pub base_time: Option<i64>,
    /// Cycle length, ns (`cycle-time`; default: the entries' sum).
    pub cycle_time: Option<i64>,
    /// `cycle-time-extension`, ns.
    pub cycle_time_extension: Option<i64>,
    /// The entries (`sched-entry ...`).
    pub entries: Vec<TaprioEntry>,
}

/// `taprio` options: mqprio's map and queues, a clock and a schedule
/// (the one running, and the one to come, reported under
/// `TCA_TAPRIO_ATTR_ADMIN_SCHED`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Taprio {
    /// Traffic classes (`num_tc`; 0: no `TCA_TAPRIO_ATTR_PRIOMAP`, for a
    /// change of schedule only).
    pub num_tc: u8,
    /// Traffic class of each priority (`map`).
    pub map: [u8; 16],
    /// Queues of each class: (count, offset) (`queues 2@0 2@2`).
    pub queues: Vec<(u16, u16)>,
    /// The clock (`clockid`).
    pub clockid: Option<ClockId>,
    /// `TCA_TAPRIO_ATTR_FLAGS` (`flags`: txtime assist 1, full offload 2).
    pub flags: Option<u32>,
    /// `txtime-delay`, ns.
    pub txtime_delay: Option<i32>,
    /// The schedule.
    pub sched: TaprioSched,
    /// The schedule waiting to start (reported).
    pub admin: Option<TaprioSched>,
}

impl TaprioSched {
    fn parse_attr(&mut self, a: &Attr<'_>) -> nl_wire::Result<()> {
        match a.ty() {
            TCA_TAPRIO_ATTR_SCHED_BASE_TIME => self.base_time = Some(a.i64()?),
            TCA_TAPRIO_ATTR_SCHED_CYCLE_TIME => self.cycle_time = Some(a.i64()?),
            TCA_TAPRIO_ATTR_SCHED_CYCLE_TIME_EXTENSION => {
                self.cycle_time_extension = Some(a.i64()?)
            }
            TCA_TAPRIO_ATTR_SCHED_ENTRY_LIST => {
                for e in a.nested() {
                    let mut entry = TaprioEntry::default();
                    for f in e?.nested() {
                        let f = f?;
                        match f.ty() {
                            TCA_TAPRIO_SCHED_ENTRY_INDEX => entry.index = Some(f.u32()?),
                            TCA_TAPRIO_SCHED_ENTRY_CMD => entry.cmd = f.u8()?,
                            TCA_TAPRIO_SCHED_ENTRY_GATE_MASK => entry.gate_mask = f.u32()?,
                            TCA_TAPRIO_SCHED_ENTRY_INTERVAL => entry.interval = f.u32()?,
                            _ => {}
                        }
                    }
                    self.entries.push(entry);
                }
            }
            _ => {}
        }
        Ok(())
    }
}

impl TcOptions for Taprio {
    fn parse(options: Option<&Attr<'_>>) -> nl_wire::Result<Self> {
        let mut t = Taprio::default();
        for a in options.map(Attr::nested).into_iter().flatten() {
            let a = a?;
            match a.ty() {
                TCA_TAPRIO_ATTR_PRIOMAP => {
                    let q: TcMqprioQopt = a.read();
                    let n = usize::from(q.num_tc).min(16);
                    t.num_tc = q.num_tc;
                    t.map = q.prio_tc_map;
                    t.queues = q
                        .count
                        .iter()
                        .zip(q.offset.iter())
                        .take(n)
                        .map(|(c, o)| (c.get(), o.get()))
                        .collect();
                }
                TCA_TAPRIO_ATTR_SCHED_CLOCKID => t.clockid = Some(ClockId::from(a.i32()?)),
                TCA_TAPRIO_ATTR_FLAGS => t.flags = Some(a.u32()?),
                TCA_TAPRIO_ATTR_TXTIME_DELAY => t.txtime_delay = Some(a.i32()?),
                TCA_TAPRIO_ATTR_ADMIN_SCHED => {
                    let mut s = TaprioSched::default();
                    for x in a.nested() {
                        s.parse_attr(&x?)?;
                    }
                    t.admin = Some(s);
                }
                _ => t.sched.parse_attr(&a)?,
            }
        }
        Ok(t)
    }

    fn write(&self, m: &mut MsgBuilder<'_>) {
        // tc's order: clock, flags, map, delay, times, entries.
        m.nest(TCA_OPTIONS, |m| {
            if let Some(c) = self.clockid {
                m.put_i32(TCA_TAPRIO_ATTR_SCHED_CLOCKID, i32::from(c));
            }
            if let Some(f) = self.flags {
                m.put_u32(TCA_TAPRIO_ATTR_FLAGS, f);
            }
            if self.num_tc != 0 {
                let mut q = TcMqprioQopt {
                    num_tc: self.num_tc,
                    prio_tc_map: self.map,
                    ..TcMqprioQopt::default()
                };
                for (i, (count, offset)) in self.queues.iter().take(16).enumerate() {
                    if let (Some(c), Some(o)) = (q.count.get_mut(i), q.offset.get_mut(i)) {
                        *c = U16::new(*count);
                        *o = U16::new(*offset);
                    }
                }
                m.put(TCA_TAPRIO_ATTR_PRIOMAP, &q);
            }
            if let Some(d) = self.txtime_delay {
                m.put_i32(TCA_TAPRIO_ATTR_TXTIME_DELAY, d);
            }
            let s = &self.sched;
            for (ty, v) in [
                (TCA_TAPRIO_ATTR_SCHED_BASE_TIME, s.base_time),
                (TCA_TAPRIO_ATTR_SCHED_CYCLE_TIME, s.cycle_time),
                (
                    TCA_TAPRIO_ATTR_SCHED_CYCLE_TIME_EXTENSION,
                    s.cycle_time_extension,
                ),
            ] {
                if let Some(v) = v {
                    m.put_i64(ty, v);
                }
            }
            m.nest(NLA_F_NESTED | TCA_TAPRIO_ATTR_SCHED_ENTRY_LIST, |m| {
                for e in &s.entries {
                    m.nest(TCA_TAPRIO_SCHED_ENTRY, |m| {
                        if let Some(i) = e.index {
                            m.put_u32(TCA_TAPRIO_SCHED_ENTRY_INDEX, i);
                        }
                        m.put_u8(TCA_TAPRIO_SCHED_ENTRY_CMD, e.cmd);
                        m.put_u32(TCA_TAPRIO_SCHED_ENTRY_GATE_MASK, e.gate_mask);
                        m.put_u32(TCA_TAPRIO_SCHED_ENTRY_INTERVAL, e.interval);
                    });
                }
            });
        });
    }
}
