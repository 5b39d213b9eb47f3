//! `pfifo`, `bfifo`, `pfifo_head_drop`: FIFOs limited in packets or bytes.

use nl_wire::{Attr, MsgBuilder};

use crate::tc::TcOptions;
use crate::uapi::rtnetlink::TCA_OPTIONS;
use crate::uapi::types::TcFifoQopt;

/// Options of the FIFO qdiscs (`struct tc_fifo_qopt`): `pfifo` and
/// `pfifo_head_drop` count packets, `bfifo` bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Fifo {
    /// Queue length (`limit`; `None`: the device's txqueuelen, in bytes
    /// times the MTU for bfifo).
    pub limit: Option<u32>,
}

impl Fifo {
    /// A FIFO of `limit` packets (or bytes).
    pub fn new(limit: u32) -> Fifo {
        Fifo { limit: Some(limit) }
    }
}

impl TcOptions for Fifo {
    fn parse(options: Option<&Attr<'_>>) -> nl_wire::Result<Self> {
        Ok(Fifo {
            limit: options.map(|a| a.read::<TcFifoQopt>().limit.get()),
        })
    }

    fn write(&self, m: &mut MsgBuilder<'_>) {
        if let Some(l) = self.limit {
            m.put(TCA_OPTIONS, &TcFifoQopt { limit: l.into() });
        }
    }
}
