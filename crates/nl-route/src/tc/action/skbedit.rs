//! `skbedit`: set priority, queue, mark or packet type.

use nl_wire::MsgBuilder;

use crate::attrs::attr_struct;
use crate::tc::action::{ActionInput, ActionOptions};
use crate::uapi::tc_skbedit::*;
use crate::uapi::types::TcGen;

attr_struct! {
    /// skbedit options.
    pub struct Skbedit {
        /// Packet priority (a class id such as `1:10`, as a number).
        priority: u32 = TCA_SKBEDIT_PRIORITY,
        /// Transmit queue.
        queue_mapping: u16 = TCA_SKBEDIT_QUEUE_MAPPING,
        /// Firewall mark.
        mark: u32 = TCA_SKBEDIT_MARK,
        /// Mask of the mark.
        mask: u32 = TCA_SKBEDIT_MASK,
        /// Packet type (`PACKET_HOST` ...).
        ptype: u16 = TCA_SKBEDIT_PTYPE,
    }
}

impl ActionOptions for Skbedit {
    fn parse(input: &mut ActionInput<'_>) -> nl_wire::Result<Self> {
        let mut s = Skbedit::default();
        for a in input.options.clone() {
            let a = a?;
            match a.ty() {
                TCA_SKBEDIT_PARMS => input.head = Some(a.read()),
                _ => {
                    s.parse_attr(&a)?;
                }
            }
        }
        Ok(s)
    }

    fn write(&self, m: &mut MsgBuilder<'_>, head: TcGen) {
        m.put(TCA_SKBEDIT_PARMS, &head);
        self.write_attrs(m);
    }
}
