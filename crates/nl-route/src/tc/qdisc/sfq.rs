//! `sfq`: stochastic fairness queueing.

use nl_wire::{Attr, MsgBuilder};

use crate::tc::TcOptions;
use crate::uapi::rtnetlink::TCA_OPTIONS;
use crate::uapi::types::{TcSfqQopt, TcSfqQoptV1};

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

impl TcOptions for Sfq {
    fn parse(options: Option<&Attr<'_>>) -> nl_wire::Result<Self> {
        let s = options.map(|a| a.read::<TcSfqQoptV1>()).unwrap_or_default();
        Ok(Sfq {
            quantum: s.v0.quantum.get(),
            perturb: u32::try_from(s.v0.perturb_period.get()).unwrap_or(0),
            limit: s.v0.limit.get(),
            divisor: s.v0.divisor.get(),
            flows: s.v0.flows.get(),
            depth: s.depth.get(),
            headdrop: s.headdrop.get() != 0,
        })
    }

    fn write(&self, m: &mut MsgBuilder<'_>) {
        let v1 = TcSfqQoptV1 {
            v0: TcSfqQopt {
                quantum: self.quantum.into(),
                perturb_period: i32::try_from(self.perturb).unwrap_or(i32::MAX).into(),
                limit: self.limit.into(),
                divisor: self.divisor.into(),
                flows: self.flows.into(),
            },
            depth: self.depth.into(),
            headdrop: u32::from(self.headdrop).into(),
            ..TcSfqQoptV1::default()
        };
        m.put(TCA_OPTIONS, &v1);
    }
}
