//! htb classes: the rates of an `htb` qdisc's tree.

use nl_wire::{Attr, MsgBuilder};

use crate::error::{Error, Result};
use crate::tc::TcOptions;
use crate::tc::qdisc::{rate_of, rate_spec};
use crate::tc::units::{self, Rate};
use crate::uapi::pkt_sched::{TCA_HTB_CEIL64, TCA_HTB_PARMS, TCA_HTB_RATE64};
use crate::uapi::rtnetlink::TCA_OPTIONS;
use crate::uapi::types::TcHtbOpt;

/// The MTU `tc` assumes when it computes a default htb burst.
const DEFAULT_MTU: u64 = 1600;

/// htb class options.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct HtbClass {
    /// Guaranteed rate (`rate`).
    pub rate: Rate,
    /// Rate it may borrow up to (`ceil`; `tc` defaults it to `rate`).
    pub ceil: Rate,
    /// Bytes that may be sent at once above `rate` (`burst`; `None`:
    /// `tc`'s default, the MTU plus a tick's worth).
    pub burst: Option<u32>,
    /// Bytes that may be sent at once above `ceil` (`cburst`).
    pub cburst: Option<u32>,
    /// Priority for borrowing, 0 (first) to 7 (`prio`).
    pub prio: u32,
    /// Bytes per round of the deficit round robin (`quantum`; 0: the
    /// kernel derives it from the rate and the qdisc's r2q).
    pub quantum: u32,
    /// Depth in the class tree (reported; 0 for leaves).
    pub level: u32,
}

impl HtbClass {
    /// A class with `rate` and the same `ceil`.
    pub fn new(rate: Rate) -> HtbClass {
        HtbClass {
            rate,
            ceil: rate,
            ..HtbClass::default()
        }
    }

    /// Sets the ceil.
    #[must_use]
    pub fn ceil(mut self, ceil: Rate) -> HtbClass {
        self.ceil = ceil;
        self
    }

    fn default_burst(rate: Rate) -> u32 {
        u32::try_from(rate.bytes() / 1_000_000_000 + DEFAULT_MTU).unwrap_or(u32::MAX)
    }
}

impl TcOptions for HtbClass {
    fn parse(options: Option<&Attr<'_>>) -> nl_wire::Result<Self> {
        let mut opt = None;
        let (mut rate64, mut ceil64) = (None, None);
        for a in options.map(Attr::nested).into_iter().flatten() {
            let a = a?;
            match a.ty() {
                TCA_HTB_PARMS => opt = Some(a.read::<TcHtbOpt>()),
                TCA_HTB_RATE64 => rate64 = Some(a.u64()?),
                TCA_HTB_CEIL64 => ceil64 = Some(a.u64()?),
                _ => {}
            }
        }
        let o = opt.unwrap_or_default();
        let rate = rate_of(&o.rate, rate64);
        let ceil = rate_of(&o.ceil, ceil64);
        Ok(HtbClass {
            rate,
            ceil,
            burst: Some(units::xmit_size(rate, o.buffer.get())),
            cburst: Some(units::xmit_size(ceil, o.cbuffer.get())),
            prio: o.prio.get(),
            quantum: o.quantum.get(),
            level: o.level.get(),
        })
    }

    /// A ceil of 0 is sent as the rate, as `tc` does.
    fn write(&self, m: &mut MsgBuilder<'_>) {
        let ceil = if self.ceil.bytes() == 0 {
            self.rate
        } else {
            self.ceil
        };
        let burst = self
            .burst
            .unwrap_or_else(|| HtbClass::default_burst(self.rate));
        let cburst = self.cburst.unwrap_or_else(|| HtbClass::default_burst(ceil));
        let opt = TcHtbOpt {
            rate: rate_spec(self.rate),
            ceil: rate_spec(ceil),
            buffer: units::xmit_time(self.rate, burst).into(),
            cbuffer: units::xmit_time(ceil, cburst).into(),
            quantum: self.quantum.into(),
            level: 0.into(),
            prio: self.prio.into(),
        };
        m.nest(TCA_OPTIONS, |m| {
            m.put(TCA_HTB_PARMS, &opt);
            if self.rate.bytes() > u64::from(u32::MAX) {
                m.put_u64(TCA_HTB_RATE64, self.rate.bytes());
            }
            if ceil.bytes() > u64::from(u32::MAX) {
                m.put_u64(TCA_HTB_CEIL64, ceil.bytes());
            }
        });
    }

    fn validate(&self) -> Result<()> {
        if self.rate.bytes() == 0 {
            return Err(Error::invalid("rate", "an htb class needs a rate above 0"));
        }
        if self.ceil.bytes() != 0 && self.ceil < self.rate {
            return Err(Error::invalid("ceil", "below the rate"));
        }
        if self.prio > 7 {
            return Err(Error::invalid("prio", "htb priorities are 0..=7"));
        }
        Ok(())
    }
}
