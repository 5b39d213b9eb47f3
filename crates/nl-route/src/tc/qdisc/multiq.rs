//! `multiq`: one band per hardware queue.

use nl_wire::{Attr, MsgBuilder};
use zerocopy::byteorder::native_endian::U16;

use crate::tc::TcOptions;
use crate::uapi::rtnetlink::TCA_OPTIONS;

nl_wire::wire_struct! {
    /// `struct tc_multiq_qopt`.
    pub(crate) struct TcMultiqQopt(4) {
        pub(crate) bands: U16,
        pub(crate) max_bands: U16,
    }
}

/// `multiq` options. Both are reported: the kernel makes one band per
/// transmit queue and ignores what a request says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Multiq {
    /// Bands in use (the device's transmit queues).
    pub bands: u16,
    /// Bands at most.
    pub max_bands: u16,
}

impl TcOptions for Multiq {
    fn parse(options: Option<&Attr<'_>>) -> nl_wire::Result<Self> {
        let o: TcMultiqQopt = options.map(Attr::read).unwrap_or_default();
        Ok(Multiq {
            bands: o.bands.get(),
            max_bands: o.max_bands.get(),
        })
    }

    fn write(&self, m: &mut MsgBuilder<'_>) {
        // tc sends a zeroed struct: the kernel needs the attribute.
        let o = TcMultiqQopt {
            bands: self.bands.into(),
            max_bands: self.max_bands.into(),
        };
        m.put(TCA_OPTIONS, &o);
    }
}
