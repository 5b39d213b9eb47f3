//! `prio` (strict priority bands) and `pfifo_fast`, which reports the same
//! options.

use nl_wire::{Attr, MsgBuilder};

use crate::error::{Error, Result};
use crate::tc::TcOptions;
use crate::uapi::rtnetlink::TCA_OPTIONS;
use crate::uapi::types::TcPrioQopt;

/// `prio` / `pfifo_fast` options (`struct tc_prio_qopt`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Prio {
    /// Number of bands (2..=16).
    pub bands: u32,
    /// Band for each of the 16 packet priorities.
    pub priomap: [u8; 16],
}

impl Default for Prio {
    /// `tc`'s default: 3 bands, the same map as pfifo_fast.
    fn default() -> Self {
        Prio {
            bands: 3,
            priomap: [1, 2, 2, 2, 1, 2, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1],
        }
    }
}

impl Prio {
    fn read(a: &Attr<'_>) -> Prio {
        let q: TcPrioQopt = a.read();
        Prio {
            bands: u32::try_from(q.bands.get()).unwrap_or(0),
            priomap: q.priomap,
        }
    }
}

impl TcOptions for Prio {
    fn parse(options: Option<&Attr<'_>>) -> nl_wire::Result<Self> {
        Ok(options.map(Prio::read).unwrap_or_default())
    }

    fn write(&self, m: &mut MsgBuilder<'_>) {
        m.put(
            TCA_OPTIONS,
            &TcPrioQopt {
                bands: i32::try_from(self.bands).unwrap_or(i32::MAX).into(),
                priomap: self.priomap,
            },
        );
    }

    fn validate(&self) -> Result<()> {
        if !(2..=16).contains(&self.bands) {
            return Err(Error::invalid("bands", "prio has 2..=16 bands"));
        }
        if self.priomap.iter().any(|b| u32::from(*b) >= self.bands) {
            return Err(Error::invalid(
                "priomap",
                "names a band above the number of bands",
            ));
        }
        Ok(())
    }
}

/// `pfifo_fast`: its options are reported, never sent.
impl TcOptions for Option<Prio> {
    fn parse(options: Option<&Attr<'_>>) -> nl_wire::Result<Self> {
        Ok(options.map(Prio::read))
    }

    fn write(&self, _m: &mut MsgBuilder<'_>) {}
}
