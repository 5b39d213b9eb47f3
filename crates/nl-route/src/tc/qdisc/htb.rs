//! `htb`: hierarchical token bucket (its classes carry the rates, see
//! [`HtbClass`](crate::tc::HtbClass)).

use nl_wire::{Attr, MsgBuilder};

use crate::error::{Error, Result};
use crate::tc::TcOptions;
use crate::uapi::pkt_sched::{TC_HTB_PROTOVER, TCA_HTB_DIRECT_QLEN, TCA_HTB_INIT};
use crate::uapi::rtnetlink::TCA_OPTIONS;
use crate::uapi::types::TcHtbGlob;

/// `htb` qdisc options.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Htb {
    /// Minor of the class unclassified traffic goes to (`default`; 0:
    /// sent unshaped, straight to the device).
    pub default_class: u32,
    /// Divisor turning a class rate into its quantum (`r2q`, 10).
    pub r2q: u32,
    /// Length of the direct queue in packets (`direct_qlen`).
    pub direct_qlen: Option<u32>,
    /// Packets sent through the direct queue (reported).
    pub direct_packets: u32,
}

impl Default for Htb {
    fn default() -> Self {
        Htb {
            default_class: 0,
            r2q: 10,
            direct_qlen: None,
            direct_packets: 0,
        }
    }
}

impl TcOptions for Htb {
    fn parse(options: Option<&Attr<'_>>) -> nl_wire::Result<Self> {
        let mut h = Htb::default();
        for a in options.map(Attr::nested).into_iter().flatten() {
            let a = a?;
            match a.ty() {
                TCA_HTB_INIT => {
                    let g: TcHtbGlob = a.read();
                    h.r2q = g.rate2quantum.get();
                    h.default_class = g.defcls.get();
                    h.direct_packets = g.direct_pkts.get();
                }
                TCA_HTB_DIRECT_QLEN => h.direct_qlen = Some(a.u32()?),
                _ => {}
            }
        }
        Ok(h)
    }

    fn write(&self, m: &mut MsgBuilder<'_>) {
        m.nest(TCA_OPTIONS, |m| {
            m.put(
                TCA_HTB_INIT,
                &TcHtbGlob {
                    version: TC_HTB_PROTOVER.into(),
                    rate2quantum: self.r2q.into(),
                    defcls: self.default_class.into(),
                    ..TcHtbGlob::default()
                },
            );
            if let Some(q) = self.direct_qlen {
                m.put_u32(TCA_HTB_DIRECT_QLEN, q);
            }
        });
    }

    fn validate(&self) -> Result<()> {
        if self.r2q == 0 {
            return Err(Error::invalid("r2q", "must be above 0"));
        }
        Ok(())
    }
}
