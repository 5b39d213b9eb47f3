//! `skbprio`: priority queue by `skb->priority`, dropping the lowest.

use nl_wire::{Attr, MsgBuilder};
use zerocopy::byteorder::native_endian::U32;

use crate::tc::TcOptions;
use crate::uapi::rtnetlink::TCA_OPTIONS;

nl_wire::wire_struct! {
    /// `struct tc_skbprio_qopt`.
    pub(crate) struct TcSkbprioQopt(4) {
        pub(crate) limit: U32,
    }
}

/// `skbprio` options.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Skbprio {
    /// Packets in the queue (`limit`; `None`: the kernel's 64).
    pub limit: Option<u32>,
}

impl TcOptions for Skbprio {
    fn parse(options: Option<&Attr<'_>>) -> nl_wire::Result<Self> {
        Ok(Skbprio {
            limit: options.map(|a| a.read::<TcSkbprioQopt>().limit.get()),
        })
    }

    fn write(&self, m: &mut MsgBuilder<'_>) {
        if let Some(limit) = self.limit {
            m.put(
                TCA_OPTIONS,
                &TcSkbprioQopt {
                    limit: limit.into(),
                },
            );
        }
    }
}
