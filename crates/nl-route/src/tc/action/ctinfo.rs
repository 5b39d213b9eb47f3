//! `ctinfo`: restore DSCP or mark from conntrack.

use nl_wire::MsgBuilder;

use crate::attrs::attr_struct;
use crate::tc::action::{ActionInput, ActionOptions};
use crate::uapi::tc_ctinfo::*;
use crate::uapi::types::TcGen;

attr_struct! {
    /// `ctinfo` options, in the order `tc` writes them; the counters are
    /// reported.
    pub struct Ctinfo {
        /// Conntrack zone (`zone`).
        zone: u16 = TCA_CTINFO_ZONE,
        /// Bits of the connmark holding the DSCP (`dscp MASK`).
        dscp_mask: u32 = TCA_CTINFO_PARMS_DSCP_MASK,
        /// Bits that must be set for the DSCP to be restored
        /// (`dscp MASK STATEMASK`).
        dscp_statemask: u32 = TCA_CTINFO_PARMS_DSCP_STATEMASK,
        /// Bits of the connmark copied to the packet mark (`cpmark MASK`).
        cpmark_mask: u32 = TCA_CTINFO_PARMS_CPMARK_MASK,
        /// Packets whose DSCP was set (reported).
        stats_dscp_set: u64 = TCA_CTINFO_STATS_DSCP_SET,
        /// Packets whose DSCP could not be set (reported).
        stats_dscp_error: u64 = TCA_CTINFO_STATS_DSCP_ERROR,
        /// Packets whose mark was set (reported).
        stats_cpmark_set: u64 = TCA_CTINFO_STATS_CPMARK_SET,
    }
}

impl ActionOptions for Ctinfo {
    fn parse(input: &mut ActionInput<'_>) -> nl_wire::Result<Self> {
        let mut s = Ctinfo::default();
        for a in input.options.clone() {
            let a = a?;
            if a.ty() == TCA_CTINFO_ACT {
                input.head = Some(a.read());
            } else {
                s.parse_attr(&a)?;
            }
        }
        Ok(s)
    }

    fn write(&self, m: &mut MsgBuilder<'_>, head: TcGen) {
        m.put(TCA_CTINFO_ACT, &head);
        // The counters are the kernel's: never sent.
        let settings = Ctinfo {
            stats_dscp_set: None,
            stats_dscp_error: None,
            stats_cpmark_set: None,
            ..self.clone()
        };
        settings.write_attrs(m);
    }
}
