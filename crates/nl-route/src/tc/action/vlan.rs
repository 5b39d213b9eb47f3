//! `vlan` (the action): pop, push or modify a VLAN tag.

use nl_wire::MsgBuilder;

use crate::error::{Error, Result};
use crate::tc::action::{ActionInput, ActionOptions};
use crate::uapi::tc_vlan::*;
use crate::uapi::types::{TcGen, TcGenPlus};

nl_wire::kernel_enum! {
    /// The vlan action's operation (`TCA_VLAN_ACT_*`), with `tc`'s words.
    pub enum VlanOp: i32, "vlan", Error {
        /// `pop`.
        Pop = TCA_VLAN_ACT_POP => "pop",
        /// `push`.
        Push = TCA_VLAN_ACT_PUSH => "push",
        /// `modify`.
        Modify = TCA_VLAN_ACT_MODIFY => "modify",
        /// `pop_eth`.
        PopEth = TCA_VLAN_ACT_POP_ETH => "pop_eth",
        /// `push_eth`.
        PushEth = TCA_VLAN_ACT_PUSH_ETH => "push_eth",
    }
}

/// vlan action options.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct VlanAction {
    /// The operation.
    pub op: VlanOp,
    /// VLAN id to push or set.
    pub id: Option<u16>,
    /// Tag protocol (`ETH_P_8021Q` ...).
    pub protocol: Option<u16>,
    /// Priority (PCP).
    pub prio: Option<u8>,
}

impl VlanAction {
    /// `vlan pop`.
    pub fn pop() -> VlanAction {
        VlanAction {
            op: VlanOp::Pop,
            id: None,
            protocol: None,
            prio: None,
        }
    }

    /// `vlan push id ID`.
    pub fn push(id: u16) -> VlanAction {
        VlanAction {
            op: VlanOp::Push,
            id: Some(id),
            ..VlanAction::pop()
        }
    }
}

impl ActionOptions for VlanAction {
    fn parse(input: &mut ActionInput<'_>) -> nl_wire::Result<Self> {
        let mut v = VlanAction::pop();
        for a in input.options.clone() {
            let a = a?;
            match a.ty() {
                TCA_VLAN_PARMS => {
                    let p: TcGenPlus = a.read();
                    input.head = Some(p.head);
                    v.op = p.extra.get().into();
                }
                TCA_VLAN_PUSH_VLAN_ID => v.id = Some(a.u16()?),
                TCA_VLAN_PUSH_VLAN_PROTOCOL => v.protocol = Some(a.be16()?),
                TCA_VLAN_PUSH_VLAN_PRIORITY => v.prio = Some(a.u8()?),
                _ => {}
            }
        }
        Ok(v)
    }

    fn write(&self, m: &mut MsgBuilder<'_>, head: TcGen) {
        m.put(
            TCA_VLAN_PARMS,
            &TcGenPlus {
                head,
                extra: i32::from(self.op).into(),
            },
        );
        if let Some(v) = self.id {
            m.put_u16(TCA_VLAN_PUSH_VLAN_ID, v);
        }
        if let Some(v) = self.protocol {
            m.put_be16(TCA_VLAN_PUSH_VLAN_PROTOCOL, v);
        }
        if let Some(v) = self.prio {
            m.put_u8(TCA_VLAN_PUSH_VLAN_PRIORITY, v);
        }
    }

    fn validate(&self, _index: u32) -> Result<()> {
        if self.op == VlanOp::Push && self.id.is_none() {
            return Err(Error::invalid("vlan", "push needs an id"));
        }
        if self.id.is_some_and(|id| id >= 4095) {
            return Err(Error::invalid("vlan", "ids are 0..=4094"));
        }
        Ok(())
    }
}
