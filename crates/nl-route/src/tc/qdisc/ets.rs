//! `ets`: enhanced transmission selection (strict bands, then DRR bands).

use nl_wire::netlink::NLA_F_NESTED;
use nl_wire::{Attr, MsgBuilder};

use crate::error::{Error, Result};
use crate::tc::TcOptions;
use crate::uapi::pkt_sched::*;
use crate::uapi::rtnetlink::TCA_OPTIONS;

/// `ets` options: the first `nstrict` bands are strict priority, the rest
/// share by their quanta.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Ets {
    /// Bands, 1..=16 (`bands`).
    pub nbands: u8,
    /// Strict bands among them (`strict`).
    pub nstrict: Option<u8>,
    /// Quantum of each band after the strict ones (`quanta`).
    pub quanta: Vec<u32>,
    /// Band of each priority (`priomap`; the kernel reports all 16).
    pub priomap: Vec<u8>,
}

impl TcOptions for Ets {
    fn parse(options: Option<&Attr<'_>>) -> nl_wire::Result<Self> {
        let mut e = Ets::default();
        for a in options.map(Attr::nested).into_iter().flatten() {
            let a = a?;
            match a.ty() {
                TCA_ETS_NBANDS => e.nbands = a.u8()?,
                TCA_ETS_NSTRICT => e.nstrict = Some(a.u8()?),
                TCA_ETS_QUANTA => {
                    for q in a.nested() {
                        let q = q?;
                        if q.ty() == TCA_ETS_QUANTA_BAND {
                            e.quanta.push(q.u32()?);
                        }
                    }
                }
                TCA_ETS_PRIOMAP => {
                    for p in a.nested() {
                        let p = p?;
                        if p.ty() == TCA_ETS_PRIOMAP_BAND {
                            e.priomap.push(p.u8()?);
                        }
                    }
                }
                _ => {}
            }
        }
        Ok(e)
    }

    fn write(&self, m: &mut MsgBuilder<'_>) {
        // The kernel's policy is strict: every nest flagged, as tc does.
        m.nest(NLA_F_NESTED | TCA_OPTIONS, |m| {
            m.put_u8(TCA_ETS_NBANDS, self.nbands);
            if let Some(n) = self.nstrict {
                m.put_u8(TCA_ETS_NSTRICT, n);
            }
            if !self.quanta.is_empty() {
                m.nest(NLA_F_NESTED | TCA_ETS_QUANTA, |m| {
                    for q in &self.quanta {
                        m.put_u32(TCA_ETS_QUANTA_BAND, *q);
                    }
                });
            }
            if !self.priomap.is_empty() {
                m.nest(NLA_F_NESTED | TCA_ETS_PRIOMAP, |m| {
                    for p in &self.priomap {
                        m.put_u8(TCA_ETS_PRIOMAP_BAND, *p);
                    }
                });
            }
        });
    }

    fn validate(&self) -> Result<()> {
        let strict = usize::from(self.nstrict.unwrap_or(0));
        if self.nbands == 0 || self.nbands > 16 {
            return Err(Error::invalid("bands", "ets has 1 to 16 bands"));
        }
        if strict > usize::from(self.nbands)
            || strict + self.quanta.len() > usize::from(self.nbands)
        {
            return Err(Error::invalid(
                "quanta",
                "more strict bands and quanta than bands",
            ));
        }
        if self.priomap.len() > 16 || self.priomap.iter().any(|b| *b >= self.nbands) {
            return Err(Error::invalid("priomap", "at most 16 entries, each a band"));
        }
        Ok(())
    }
}
