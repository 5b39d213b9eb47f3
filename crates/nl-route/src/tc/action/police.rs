//! `police`: rate limiting.

use nl_wire::MsgBuilder;

use crate::error::{Error, Result};
use crate::tc::Verdict;
use crate::tc::action::{ActionInput, ActionOptions};
use crate::tc::qdisc::rate_of;
use crate::tc::units::{self, LinkLayer, Rate};
use crate::uapi::pkt_cls::*;
use crate::uapi::pkt_sched::TC_LINKLAYER_ETHERNET;
use crate::uapi::types::{TcGen, TcPolice, TcRateSpec};

/// police options.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Police {
    /// Rate (0 with `avrate` only).
    pub rate: Rate,
    /// Bucket size in bytes (`burst`).
    pub burst: u32,
    /// Largest packet that can conform (`mtu`; 0: no limit).
    pub mtu: u32,
    /// Peak rate (needs `mtu`).
    pub peakrate: Option<Rate>,
    /// Average rate from the estimator, bytes per second (`avrate`).
    pub avrate: Option<u32>,
    /// Verdict for conforming packets (`conform-exceed X/THIS`).
    pub conform: Option<Verdict>,
}

fn police_spec(rate: Rate, mtu: u32) -> (TcRateSpec, [u8; 1024]) {
    let table = units::rate_table(rate, mtu, 0, None, LinkLayer::Ethernet);
    let spec = TcRateSpec {
        cell_log: table.cell_log,
        linklayer: TC_LINKLAYER_ETHERNET,
        cell_align: (-1).into(),
        rate: u32::try_from(rate.bytes()).unwrap_or(u32::MAX).into(),
        ..TcRateSpec::default()
    };
    (spec, table.to_bytes())
}

impl ActionOptions for Police {
    /// `struct tc_police` is not a `tc_gen`: its index, verdict and
    /// counts are copied into one.
    fn parse(input: &mut ActionInput<'_>) -> nl_wire::Result<Self> {
        let mut parm = TcPolice::default();
        let (mut rate64, mut peak64) = (None, None);
        let mut p = Police::default();
        for a in input.options.clone() {
            let a = a?;
            match a.ty() {
                TCA_POLICE_TBF => parm = a.read(),
                TCA_POLICE_RATE64 => rate64 = Some(a.u64()?),
                TCA_POLICE_PEAKRATE64 => peak64 = Some(a.u64()?),
                TCA_POLICE_AVRATE => p.avrate = Some(a.u32()?),
                TCA_POLICE_RESULT => p.conform = Some(a.i32()?.into()),
                _ => {}
            }
        }
        input.head = Some(TcGen {
            index: parm.index,
            action: parm.action,
            refcnt: parm.refcnt,
            bindcnt: parm.bindcnt,
            ..TcGen::default()
        });
        p.rate = rate_of(&parm.rate, rate64);
        p.burst = units::xmit_size(p.rate, parm.burst.get());
        p.mtu = parm.mtu.get();
        let peak = rate_of(&parm.peakrate, peak64);
        p.peakrate = (peak.bytes() != 0).then_some(peak);
        Ok(p)
    }

    fn write(&self, m: &mut MsgBuilder<'_>, head: TcGen) {
        let (rate, rtab) = police_spec(self.rate, self.mtu);
        let parm = TcPolice {
            index: head.index,
            action: head.action,
            burst: units::xmit_time(self.rate, self.burst).into(),
            mtu: self.mtu.into(),
            rate: if self.rate.bytes() != 0 {
                rate
            } else {
                TcRateSpec::default()
            },
            peakrate: self
                .peakrate
                .map(|r| police_spec(r, self.mtu).0)
                .unwrap_or_default(),
            ..TcPolice::default()
        };
        m.put(TCA_POLICE_TBF, &parm);
        if self.rate.bytes() != 0 {
            m.put_bytes(TCA_POLICE_RATE, &rtab);
        }
        if let Some(r) = self.peakrate {
            m.put_bytes(TCA_POLICE_PEAKRATE, &police_spec(r, self.mtu).1);
            if r.bytes() > u64::from(u32::MAX) {
                m.put_u64(TCA_POLICE_PEAKRATE64, r.bytes());
            }
        }
        if self.rate.bytes() > u64::from(u32::MAX) {
            m.put_u64(TCA_POLICE_RATE64, self.rate.bytes());
        }
        if let Some(a) = self.avrate {
            m.put_u32(TCA_POLICE_AVRATE, a);
        }
        if let Some(c) = self.conform {
            m.put_i32(TCA_POLICE_RESULT, c.into());
        }
    }

    fn validate(&self, _index: u32) -> Result<()> {
        if self.rate.bytes() == 0 && self.avrate.is_none() {
            return Err(Error::invalid("police", "needs a rate or an avrate"));
        }
        if self.rate.bytes() != 0 && self.burst == 0 {
            return Err(Error::invalid("police", "a rate needs a burst"));
        }
        if self.peakrate.is_some() && self.mtu == 0 {
            return Err(Error::invalid("police", "a peakrate needs an mtu"));
        }
        Ok(())
    }
}
