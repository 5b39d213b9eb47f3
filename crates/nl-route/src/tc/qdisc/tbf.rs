//! `tbf`: token bucket filter.

use std::time::Duration;

use nl_wire::{Attr, MsgBuilder};

use crate::error::{Error, Result};
use crate::tc::TcOptions;
use crate::tc::qdisc::{rate_of, rate_spec};
use crate::tc::units::{self, Rate};
use crate::uapi::pkt_sched::{
    TCA_TBF_BURST, TCA_TBF_PARMS, TCA_TBF_PBURST, TCA_TBF_PRATE64, TCA_TBF_RATE64,
};
use crate::uapi::rtnetlink::TCA_OPTIONS;
use crate::uapi::types::{TcRateSpec, TcTbfQopt};

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

impl TcOptions for Tbf {
    fn parse(options: Option<&Attr<'_>>) -> nl_wire::Result<Self> {
        let mut parms = None;
        let (mut rate64, mut prate64) = (None, None);
        for a in options.map(Attr::nested).into_iter().flatten() {
            let a = a?;
            match a.ty() {
                TCA_TBF_PARMS => parms = Some(a.read::<TcTbfQopt>()),
                TCA_TBF_RATE64 => rate64 = Some(a.u64()?),
                TCA_TBF_PRATE64 => prate64 = Some(a.u64()?),
                _ => {}
            }
        }
        let p = parms.unwrap_or_default();
        let rate = rate_of(&p.rate, rate64);
        let peak = rate_of(&p.peakrate, prate64);
        Ok(Tbf {
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

    fn write(&self, m: &mut MsgBuilder<'_>) {
        let peak = self.peakrate.unwrap_or_default();
        let parms = TcTbfQopt {
            rate: rate_spec(self.rate),
            peakrate: if self.peakrate.is_some() {
                rate_spec(peak)
            } else {
                TcRateSpec::default()
            },
            limit: self.limit.into(),
            buffer: units::xmit_time(self.rate, self.burst).into(),
            mtu: if self.peakrate.is_some() {
                units::xmit_time(peak, self.mtu).into()
            } else {
                0.into()
            },
        };
        m.nest(TCA_OPTIONS, |m| {
            m.put(TCA_TBF_PARMS, &parms);
            if self.rate.bytes() > u64::from(u32::MAX) {
                m.put_u64(TCA_TBF_RATE64, self.rate.bytes());
            }
            if peak.bytes() > u64::from(u32::MAX) {
                m.put_u64(TCA_TBF_PRATE64, peak.bytes());
            }
            m.put_u32(TCA_TBF_BURST, self.burst);
            if self.peakrate.is_some() {
                m.put_u32(TCA_TBF_PBURST, self.mtu);
            }
        });
    }

    fn validate(&self) -> Result<()> {
        if self.rate.bytes() == 0 {
            return Err(Error::invalid("rate", "tbf needs a rate above 0"));
        }
        if self.burst == 0 {
            return Err(Error::invalid("burst", "tbf needs a burst"));
        }
        if self.peakrate.is_some() && self.mtu == 0 {
            return Err(Error::invalid(
                "mtu",
                "a tbf peakrate needs an mtu (its bucket size)",
            ));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tbf_latency_gives_limit() {
        let t = Tbf::with_latency(Rate::mbit(1), 10_000, Duration::from_millis(40));
        assert_eq!(t.limit, 5000 + 10_000);
        assert_eq!(t.latency(), Duration::from_millis(40));
    }
}
