//! `cbs`: credit-based shaper (IEEE 802.1Q-2018 8.6.8.2).

use nl_wire::{Attr, MsgBuilder};
use zerocopy::byteorder::native_endian::I32;

use crate::tc::TcOptions;
use crate::uapi::pkt_sched::TCA_CBS_PARMS;
use crate::uapi::rtnetlink::TCA_OPTIONS;

nl_wire::wire_struct! {
    /// `struct tc_cbs_qopt`.
    pub(crate) struct TcCbsQopt(20) {
        pub(crate) offload: u8,
        pub(crate) _pad: [u8; 3],
        pub(crate) hicredit: I32,
        pub(crate) locredit: I32,
        pub(crate) idleslope: I32,
        pub(crate) sendslope: I32,
    }
}

/// `cbs` options (credits in bytes, slopes in kbit/s).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Cbs {
    /// Credit ceiling (`hicredit`).
    pub hicredit: i32,
    /// Credit floor (`locredit`).
    pub locredit: i32,
    /// Credit gained while waiting (`idleslope`).
    pub idleslope: i32,
    /// Credit spent while sending, negative (`sendslope`).
    pub sendslope: i32,
    /// Run in the device (`offload 1`).
    pub offload: bool,
}

impl TcOptions for Cbs {
    fn parse(options: Option<&Attr<'_>>) -> nl_wire::Result<Self> {
        let mut o = TcCbsQopt::default();
        for a in options.map(Attr::nested).into_iter().flatten() {
            let a = a?;
            if a.ty() == TCA_CBS_PARMS {
                o = a.read();
            }
        }
        Ok(Cbs {
            hicredit: o.hicredit.get(),
            locredit: o.locredit.get(),
            idleslope: o.idleslope.get(),
            sendslope: o.sendslope.get(),
            offload: o.offload != 0,
        })
    }

    fn write(&self, m: &mut MsgBuilder<'_>) {
        let o = TcCbsQopt {
            offload: u8::from(self.offload),
            hicredit: self.hicredit.into(),
            locredit: self.locredit.into(),
            idleslope: self.idleslope.into(),
            sendslope: self.sendslope.into(),
            ..TcCbsQopt::default()
        };
        m.nest(TCA_OPTIONS, |m| {
            m.put(TCA_CBS_PARMS, &o);
        });
    }
}
