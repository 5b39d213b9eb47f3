//! `skbmod`: rewrite MAC addresses and ethertype, or swap the MACs.

use nl_wire::{HwAddr, MsgBuilder};
use zerocopy::byteorder::native_endian::U64;

use crate::attrs::attr_struct;
use crate::tc::action::{ActionInput, ActionOptions};
use crate::uapi::tc_skbmod::*;
use crate::uapi::types::TcGen;

nl_wire::wire_struct! {
    /// `struct tc_skbmod` (the u64 aligned to 8).
    pub(crate) struct TcSkbmod(32) {
        pub(crate) head: TcGen,
        pub(crate) _pad: [u8; 4],
        pub(crate) flags: U64,
    }
}

attr_struct! {
    /// `skbmod` options (in the order `tc` writes them); the flags sent
    /// are `flags` plus one per field set ([`Skbmod::effective_flags`]).
    pub struct Skbmod {
        /// New destination MAC (`set dmac`).
        dmac: HwAddr = TCA_SKBMOD_DMAC,
        /// New ethertype (`set etype`), host order.
        etype: u16 = TCA_SKBMOD_ETYPE,
        /// New source MAC (`set smac`).
        smac: HwAddr = TCA_SKBMOD_SMAC,
    }
    extra {
        /// `SKBMOD_F_*`: `SKBMOD_F_SWAPMAC` (`swap mac`), `SKBMOD_F_ECN`
        /// (`ecn`), and the ones for the fields.
        pub flags: u64,
    }
}

impl Skbmod {
    /// The flags sent: `flags`, plus one per field set.
    pub fn effective_flags(&self) -> u64 {
        let mut f = self.flags;
        if self.dmac.is_some() {
            f |= SKBMOD_F_DMAC;
        }
        if self.smac.is_some() {
            f |= SKBMOD_F_SMAC;
        }
        if self.etype.is_some() {
            f |= SKBMOD_F_ETYPE;
        }
        f
    }
}

impl ActionOptions for Skbmod {
    fn parse(input: &mut ActionInput<'_>) -> nl_wire::Result<Self> {
        let mut s = Skbmod::default();
        for a in input.options.clone() {
            let a = a?;
            if a.ty() == TCA_SKBMOD_PARMS {
                let p: TcSkbmod = a.read();
                input.head = Some(p.head);
                s.flags = p.flags.get();
            } else {
                s.parse_attr(&a)?;
            }
        }
        Ok(s)
    }

    fn write(&self, m: &mut MsgBuilder<'_>, head: TcGen) {
        let p = TcSkbmod {
            head,
            flags: self.effective_flags().into(),
            ..TcSkbmod::default()
        };
        m.put(TCA_SKBMOD_PARMS, &p);
        self.write_attrs(m);
    }
}
