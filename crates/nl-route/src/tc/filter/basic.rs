//! `basic`: ematches (kept raw).

use nl_wire::{Attrs, MsgBuilder};

use crate::error::Result;
use crate::tc::TcHandle;
use crate::tc::action::Action;
use crate::tc::filter::{FilterOptions, Protocol, put_classid, read_classid};
use crate::uapi::pkt_cls::*;

/// basic options (ematches kept raw).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Basic {
    /// Class of matching packets.
    pub classid: Option<TcHandle>,
    /// Raw `TCA_BASIC_EMATCHES` payload.
    pub ematches: Option<Vec<u8>>,
    /// Actions.
    pub actions: Vec<Action>,
}

impl FilterOptions for Basic {
    fn parse(options: Attrs<'_>) -> nl_wire::Result<Self> {
        let mut b = Basic::default();
        for a in options {
            let a = a?;
            match a.ty() {
                TCA_BASIC_CLASSID => b.classid = read_classid(&a)?,
                TCA_BASIC_EMATCHES => b.ematches = Some(a.payload().to_vec()),
                TCA_BASIC_ACT => b.actions = Action::parse_list(&a)?,
                _ => {}
            }
        }
        Ok(b)
    }

    fn write(&self, m: &mut MsgBuilder<'_>, _protocol: Protocol) -> Result<()> {
        put_classid(m, TCA_BASIC_CLASSID, self.classid);
        if let Some(e) = &self.ematches {
            m.put_bytes(TCA_BASIC_EMATCHES, e);
        }
        Action::write_list(&self.actions, m, TCA_BASIC_ACT)
    }

    fn actions(&self) -> &[Action] {
        &self.actions
    }
}
