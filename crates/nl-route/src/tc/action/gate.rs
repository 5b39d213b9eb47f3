//! `gate`: per-stream gate schedules (IEEE 802.1Qci).

use nl_wire::MsgBuilder;
use nl_wire::netlink::NLA_F_NESTED;

use crate::tc::ClockId;
use crate::tc::action::{ActionInput, ActionOptions};
use crate::uapi::tc_gate::*;
use crate::uapi::types::TcGen;

/// One entry of a gate schedule (`sched-entry open|close NS IPV OCTETS`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct GateEntry {
    /// Position (reported).
    pub index: Option<u32>,
    /// The gate is open.
    pub open: bool,
    /// Nanoseconds the entry lasts.
    pub interval: u32,
    /// Internal priority value given to passing packets (-1: none).
    pub ipv: i32,
    /// Bytes the entry lets through at most (-1: no limit).
    pub max_octets: i32,
}

/// `gate` options, in the order `tc` writes them.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Gate {
    /// Priority of this schedule (`priority`).
    pub priority: Option<i32>,
    /// Start, ns of the clock (`base-time`).
    pub base_time: Option<u64>,
    /// Cycle length, ns (`cycle-time`).
    pub cycle_time: Option<u64>,
    /// `cycle-time-ext`, ns.
    pub cycle_time_ext: Option<u64>,
    /// `TCA_GATE_FLAGS`.
    pub flags: Option<u32>,
    /// The clock (`clockid`).
    pub clockid: Option<ClockId>,
    /// The entries.
    pub entries: Vec<GateEntry>,
}

impl ActionOptions for Gate {
    fn parse(input: &mut ActionInput<'_>) -> nl_wire::Result<Self> {
        let mut g = Gate::default();
        for a in input.options.clone() {
            let a = a?;
            match a.ty() {
                TCA_GATE_PARMS => input.head = Some(a.read()),
                TCA_GATE_PRIORITY => g.priority = Some(a.i32()?),
                TCA_GATE_BASE_TIME => g.base_time = Some(a.u64()?),
                TCA_GATE_CYCLE_TIME => g.cycle_time = Some(a.u64()?),
                TCA_GATE_CYCLE_TIME_EXT => g.cycle_time_ext = Some(a.u64()?),
                TCA_GATE_FLAGS => g.flags = Some(a.u32()?),
                TCA_GATE_CLOCKID => g.clockid = Some(ClockId::from(a.i32()?)),
                TCA_GATE_ENTRY_LIST => {
                    for e in a.nested() {
                        let mut entry = GateEntry::default();
                        for f in e?.nested() {
                            let f = f?;
                            match f.ty() {
                                TCA_GATE_ENTRY_INDEX => entry.index = Some(f.u32()?),
                                TCA_GATE_ENTRY_GATE => entry.open = true,
                                TCA_GATE_ENTRY_INTERVAL => entry.interval = f.u32()?,
                                TCA_GATE_ENTRY_IPV => entry.ipv = f.i32()?,
                                TCA_GATE_ENTRY_MAX_OCTETS => entry.max_octets = f.i32()?,
                                _ => {}
                            }
                        }
                        g.entries.push(entry);
                    }
                }
                _ => {}
            }
        }
        Ok(g)
    }

    fn write(&self, m: &mut MsgBuilder<'_>, head: TcGen) {
        m.put(TCA_GATE_PARMS, &head);
        if let Some(p) = self.priority {
            m.put_i32(TCA_GATE_PRIORITY, p);
        }
        for (ty, v) in [
            (TCA_GATE_BASE_TIME, self.base_time),
            (TCA_GATE_CYCLE_TIME, self.cycle_time),
            (TCA_GATE_CYCLE_TIME_EXT, self.cycle_time_ext),
        ] {
            if let Some(v) = v {
                m.put_u64(ty, v);
            }
        }
        if let Some(f) = self.flags {
            m.put_u32(TCA_GATE_FLAGS, f);
        }
        if let Some(c) = self.clockid {
            m.put_i32(TCA_GATE_CLOCKID, i32::from(c));
        }
        // Flagged nests, as tc sends them.
        m.nest(NLA_F_NESTED | TCA_GATE_ENTRY_LIST, |m| {
            for e in &self.entries {
                m.nest(NLA_F_NESTED | TCA_GATE_ONE_ENTRY, |m| {
                    if let Some(i) = e.index {
                        m.put_u32(TCA_GATE_ENTRY_INDEX, i);
                    }
                    if e.open {
                        m.put_flag(TCA_GATE_ENTRY_GATE);
                    }
                    m.put_u32(TCA_GATE_ENTRY_INTERVAL, e.interval);
                    m.put_i32(TCA_GATE_ENTRY_IPV, e.ipv);
                    m.put_i32(TCA_GATE_ENTRY_MAX_OCTETS, e.max_octets);
                });
            }
        });
    }
}
