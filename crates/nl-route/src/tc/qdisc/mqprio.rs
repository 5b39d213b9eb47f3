//! `mqprio`: priorities to traffic classes to ranges of hardware queues.

use nl_wire::{Attr, MsgBuilder};
use zerocopy::IntoBytes;
use zerocopy::byteorder::native_endian::U16;

use crate::error::{Error, Result};
use crate::tc::TcOptions;
use crate::uapi::pkt_sched::*;
use crate::uapi::rtnetlink::TCA_OPTIONS;

/// `TC_MQPRIO_MODE_CHANNEL` (an enum value the generator skips).
pub const TC_MQPRIO_MODE_CHANNEL: u16 = 1;
/// `TC_MQPRIO_SHAPER_BW_RATE`.
pub const TC_MQPRIO_SHAPER_BW_RATE: u16 = 1;

nl_wire::wire_struct! {
    /// `struct tc_mqprio_qopt`.
    pub(crate) struct TcMqprioQopt(82) {
        pub(crate) num_tc: u8,
        pub(crate) prio_tc_map: [u8; 16],
        pub(crate) hw: u8,
        pub(crate) count: [U16; 16],
        pub(crate) offset: [U16; 16],
    }
}

/// `mqprio` options: the fixed struct, then optional attributes (mode,
/// shaper, rates) in the same `TCA_OPTIONS`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Mqprio {
    /// Traffic classes (`num_tc`).
    pub num_tc: u8,
    /// Traffic class of each priority (`map`).
    pub map: [u8; 16],
    /// Offload to hardware (`hw 1`) or not (`hw 0`).
    pub hw: u8,
    /// Queues of each class: (count, offset) (`queues 2@0 2@2`).
    pub queues: Vec<(u16, u16)>,
    /// `TC_MQPRIO_MODE_*` (`mode dcb|channel`), when given.
    pub mode: Option<u16>,
    /// `TC_MQPRIO_SHAPER_*` (`shaper dcb|bw_rlimit`), when given.
    pub shaper: Option<u16>,
    /// Minimum rate of each class, bytes/s (`min_rate`).
    pub min_rates: Vec<u64>,
    /// Maximum rate of each class, bytes/s (`max_rate`).
    pub max_rates: Vec<u64>,
    /// Read only: the kernel sent attributes after the struct (6.4+ sends
    /// per-class entries even when nothing was set; tc then prints the
    /// mode and shaper).
    pub attributes_follow: bool,
}

impl Mqprio {
    /// Whether any attribute follows the struct (tc then prints mode and
    /// shaper).
    pub fn has_attributes(&self) -> bool {
        self.attributes_follow
            || self.mode.is_some()
            || self.shaper.is_some()
            || !self.min_rates.is_empty()
            || !self.max_rates.is_empty()
    }
}

fn rates(a: &Attr<'_>) -> nl_wire::Result<Vec<u64>> {
    a.nested().map(|r| r?.u64()).collect()
}

impl TcOptions for Mqprio {
    fn parse(options: Option<&Attr<'_>>) -> nl_wire::Result<Self> {
        let Some(o) = options else {
            return Ok(Mqprio::default());
        };
        let p = o.payload();
        let q: TcMqprioQopt = nl_wire::read_tolerant(p);
        let n = usize::from(q.num_tc).min(16);
        let mut m = Mqprio {
            num_tc: q.num_tc,
            map: q.prio_tc_map,
            hw: q.hw,
            queues: q
                .count
                .iter()
                .zip(q.offset.iter())
                .take(n)
                .map(|(c, o)| (c.get(), o.get()))
                .collect(),
            ..Mqprio::default()
        };
        // The attributes start after the struct, aligned.
        let rest = p.get(84..).unwrap_or_default();
        m.attributes_follow = !rest.is_empty();
        for a in nl_wire::Attrs::new(rest) {
            let a = a?;
            match a.ty() {
                TCA_MQPRIO_MODE => m.mode = Some(a.u16()?),
                TCA_MQPRIO_SHAPER => m.shaper = Some(a.u16()?),
                TCA_MQPRIO_MIN_RATE64 => m.min_rates = rates(&a)?,
                TCA_MQPRIO_MAX_RATE64 => m.max_rates = rates(&a)?,
                _ => {}
            }
        }
        Ok(m)
    }

    fn write(&self, m: &mut MsgBuilder<'_>) {
        let mut q = TcMqprioQopt {
            num_tc: self.num_tc,
            prio_tc_map: self.map,
            hw: self.hw,
            ..TcMqprioQopt::default()
        };
        for (i, (count, offset)) in self.queues.iter().take(16).enumerate() {
            if let (Some(c), Some(o)) = (q.count.get_mut(i), q.offset.get_mut(i)) {
                *c = (*count).into();
                *o = (*offset).into();
            }
        }
        let nest = m.nest_start(TCA_OPTIONS);
        // The struct heads the nest's payload (padded to 4, as tc sends it).
        m.header(q.as_bytes());
        if let Some(v) = self.mode {
            m.put_u16(TCA_MQPRIO_MODE, v);
        }
        if let Some(v) = self.shaper {
            m.put_u16(TCA_MQPRIO_SHAPER, v);
        }
        for (ty, list) in [
            (TCA_MQPRIO_MIN_RATE64, &self.min_rates),
            (TCA_MQPRIO_MAX_RATE64, &self.max_rates),
        ] {
            if !list.is_empty() {
                m.nest(ty, |m| {
                    for r in list.iter() {
                        m.put_u64(ty, *r);
                    }
                });
            }
        }
        m.nest_end(nest);
    }

    fn validate(&self) -> Result<()> {
        if self.num_tc > 16 || self.queues.len() > usize::from(self.num_tc) {
            return Err(Error::invalid("queues", "at most num_tc (16) queue ranges"));
        }
        Ok(())
    }
}
