//! `mpls` (the action): push, pop, modify or decrement MPLS labels.

use nl_wire::MsgBuilder;
use zerocopy::byteorder::native_endian::I32;

use crate::attrs::attr_struct;
use crate::error::Error;
use crate::tc::action::{ActionInput, ActionOptions};
use crate::uapi::tc_mpls::*;
use crate::uapi::types::TcGen;

nl_wire::kernel_enum! {
    /// `TCA_MPLS_ACT_*`, with `tc`'s words.
    pub enum MplsOp: i32, "mpls", Error {
        /// `pop`: remove the outer label (`protocol` names what follows).
        Pop = TCA_MPLS_ACT_POP => "pop",
        /// `push`: add a label.
        Push = TCA_MPLS_ACT_PUSH => "push",
        /// `modify`: change the outer label's fields.
        Modify = TCA_MPLS_ACT_MODIFY => "modify",
        /// `dec_ttl`: decrement the outer TTL.
        DecTtl = TCA_MPLS_ACT_DEC_TTL => "dec_ttl",
        /// `mac_push`: add a label before the Ethernet header.
        MacPush = TCA_MPLS_ACT_MAC_PUSH => "mac_push",
    }
}

nl_wire::wire_struct! {
    /// `struct tc_mpls`.
    pub(crate) struct TcMpls(24) {
        pub(crate) head: TcGen,
        pub(crate) m_action: I32,
    }
}

attr_struct! {
    /// `mpls` action options, in the order `tc` writes them.
    pub struct MplsAction {
        /// Label, 20 bits (`label`).
        label: u32 = TCA_MPLS_LABEL,
        /// Ethertype pushed (`mpls_uc`/`mpls_mc`) or after the pop
        /// (`protocol ip`), host order.
        proto: u16 = TCA_MPLS_PROTO => Be16,
        /// Traffic class, 3 bits (`tc`).
        tc: u8 = TCA_MPLS_TC,
        /// TTL (`ttl`).
        ttl: u8 = TCA_MPLS_TTL,
        /// Bottom of stack, 0 or 1 (`bos`).
        bos: u8 = TCA_MPLS_BOS,
    }
    extra {
        /// What it does.
        pub op: Option<MplsOp>,
    }
}

impl ActionOptions for MplsAction {
    fn parse(input: &mut ActionInput<'_>) -> nl_wire::Result<Self> {
        let mut s = MplsAction::default();
        for a in input.options.clone() {
            let a = a?;
            if a.ty() == TCA_MPLS_PARMS {
                let p: TcMpls = a.read();
                input.head = Some(p.head);
                s.op = Some(MplsOp::from(p.m_action.get()));
            } else {
                s.parse_attr(&a)?;
            }
        }
        Ok(s)
    }

    fn write(&self, m: &mut MsgBuilder<'_>, head: TcGen) {
        let p = TcMpls {
            head,
            m_action: self.op.map_or(0, i32::from).into(),
        };
        m.put(TCA_MPLS_PARMS, &p);
        self.write_attrs(m);
    }

    fn validate(&self, _index: u32) -> crate::Result<()> {
        if self.op.is_none() {
            return Err(Error::invalid("mpls", "needs pop, push, modify or dec_ttl"));
        }
        Ok(())
    }
}
