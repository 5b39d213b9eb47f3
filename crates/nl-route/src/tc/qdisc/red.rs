//! `red`: random early detection.

use nl_wire::{Attr, MsgBuilder};

use crate::error::{Error, Result};
use crate::tc::TcOptions;
use crate::tc::units::{self, Rate};
use crate::uapi::pkt_sched::*;
use crate::uapi::rtnetlink::TCA_OPTIONS;
use crate::uapi::types::{NlaBitfield32, TcRedQopt};

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

impl TcOptions for Red {
    fn parse(options: Option<&Attr<'_>>) -> nl_wire::Result<Self> {
        let mut r = Red::default();
        for a in options.map(Attr::nested).into_iter().flatten() {
            let a = a?;
            match a.ty() {
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
                TCA_RED_MAX_P => r.max_p = Some(a.u32()?),
                TCA_RED_STAB => r.stab = a.payload().to_vec(),
                TCA_RED_FLAGS => {
                    let b: NlaBitfield32 = a.read();
                    r.flags |= u8::try_from(b.value.get() & 0xFF).unwrap_or(0);
                }
                _ => {}
            }
        }
        Ok(r)
    }

    /// Flags beyond the historic three (`nodrop`) go as `TCA_RED_FLAGS`,
    /// the only way the kernel takes them, with the rest beside them, as
    /// tc sends them; otherwise in the parameters, which `choke` (the
    /// same options) also reads.
    fn write(&self, m: &mut MsgBuilder<'_>) {
        let bitfield = self.flags & !TC_RED_HISTORIC_FLAGS != 0;
        m.nest(TCA_OPTIONS, |m| {
            m.put(
                TCA_RED_PARMS,
                &TcRedQopt {
                    limit: self.limit.into(),
                    qth_min: self.min.into(),
                    qth_max: self.max.into(),
                    wlog: self.wlog,
                    plog: self.plog,
                    scell_log: self.scell_log,
                    flags: if bitfield { 0 } else { self.flags },
                },
            );
            m.put_bytes(TCA_RED_STAB, &self.stab);
            if let Some(p) = self.max_p {
                m.put_u32(TCA_RED_MAX_P, p);
            }
            if bitfield {
                m.put(
                    TCA_RED_FLAGS,
                    &NlaBitfield32 {
                        value: u32::from(self.flags).into(),
                        selector: u32::from(TC_RED_HISTORIC_FLAGS | TC_RED_NODROP).into(),
                    },
                );
            }
        });
    }
}
