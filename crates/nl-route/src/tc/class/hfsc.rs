//! hfsc classes: the service curves of an `hfsc` qdisc's tree.

use std::time::Duration;

use nl_wire::{Attr, MsgBuilder};

use crate::error::{Error, Result};
use crate::tc::TcOptions;
use crate::tc::units::Rate;
use crate::uapi::pkt_sched::{TCA_HFSC_FSC, TCA_HFSC_RSC, TCA_HFSC_USC};
use crate::uapi::rtnetlink::TCA_OPTIONS;
use crate::uapi::types::TcServiceCurve;

/// An hfsc service curve: `m1` for the first `d`, then `m2`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ServiceCurve {
    /// Slope of the first segment.
    pub m1: Rate,
    /// Length of the first segment (microsecond resolution).
    pub d: Duration,
    /// Slope of the second segment.
    pub m2: Rate,
}

impl ServiceCurve {
    /// A linear curve (`rate R`).
    pub fn linear(rate: Rate) -> ServiceCurve {
        ServiceCurve {
            m2: rate,
            ..ServiceCurve::default()
        }
    }

    fn raw(&self) -> TcServiceCurve {
        let sat = |r: Rate| u32::try_from(r.bytes()).unwrap_or(u32::MAX);
        TcServiceCurve {
            m1: sat(self.m1).into(),
            d: u32::try_from(self.d.as_micros()).unwrap_or(u32::MAX).into(),
            m2: sat(self.m2).into(),
        }
    }

    fn from_raw(c: &TcServiceCurve) -> ServiceCurve {
        ServiceCurve {
            m1: Rate::bytes_per_sec(u64::from(c.m1.get())),
            d: Duration::from_micros(u64::from(c.d.get())),
            m2: Rate::bytes_per_sec(u64::from(c.m2.get())),
        }
    }
}

/// hfsc class options: real-time, link-sharing and upper-limit curves.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct HfscClass {
    /// Real-time curve (`rt`).
    pub rsc: Option<ServiceCurve>,
    /// Link-sharing curve (`ls`).
    pub fsc: Option<ServiceCurve>,
    /// Upper-limit curve (`ul`).
    pub usc: Option<ServiceCurve>,
}

impl TcOptions for HfscClass {
    fn parse(options: Option<&Attr<'_>>) -> nl_wire::Result<Self> {
        let mut h = HfscClass::default();
        for a in options.map(Attr::nested).into_iter().flatten() {
            let a = a?;
            let c = Some(ServiceCurve::from_raw(&a.read::<TcServiceCurve>()));
            match a.ty() {
                TCA_HFSC_RSC => h.rsc = c,
                TCA_HFSC_FSC => h.fsc = c,
                TCA_HFSC_USC => h.usc = c,
                _ => {}
            }
        }
        Ok(h)
    }

    fn write(&self, m: &mut MsgBuilder<'_>) {
        m.nest(TCA_OPTIONS, |m| {
            for (ty, c) in [
                (TCA_HFSC_RSC, self.rsc),
                (TCA_HFSC_FSC, self.fsc),
                (TCA_HFSC_USC, self.usc),
            ] {
                if let Some(c) = c {
                    m.put(ty, &c.raw());
                }
            }
        });
    }

    fn validate(&self) -> Result<()> {
        if self.rsc.is_none() && self.fsc.is_none() {
            return Err(Error::invalid(
                "hfsc",
                "a class needs a real-time or link-sharing curve",
            ));
        }
        Ok(())
    }
}
