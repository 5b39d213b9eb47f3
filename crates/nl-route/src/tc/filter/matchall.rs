//! `matchall`: every packet.

use nl_wire::{Attrs, MsgBuilder};

use crate::error::Result;
use crate::tc::TcHandle;
use crate::tc::action::Action;
use crate::tc::filter::{FilterOptions, Protocol, put_classid, read_classid};
use crate::uapi::pkt_cls::*;

/// matchall options.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Matchall {
    /// Class every packet goes to.
    pub classid: Option<TcHandle>,
    /// `TCA_CLS_FLAGS_*`.
    pub flags: Option<u32>,
    /// Actions.
    pub actions: Vec<Action>,
}

impl FilterOptions for Matchall {
    fn parse(options: Attrs<'_>) -> nl_wire::Result<Self> {
        let mut x = Matchall::default();
        for a in options {
            let a = a?;
            match a.ty() {
                TCA_MATCHALL_CLASSID => x.classid = read_classid(&a)?,
                TCA_MATCHALL_FLAGS => x.flags = Some(a.u32()?),
                TCA_MATCHALL_ACT => x.actions = Action::parse_list(&a)?,
                _ => {}
            }
        }
        Ok(x)
    }

    fn write(&self, m: &mut MsgBuilder<'_>, _protocol: Protocol) -> Result<()> {
        put_classid(m, TCA_MATCHALL_CLASSID, self.classid);
        if let Some(v) = self.flags {
            m.put_u32(TCA_MATCHALL_FLAGS, v);
        }
        Action::write_list(&self.actions, m, TCA_MATCHALL_ACT)
    }

    fn actions(&self) -> &[Action] {
        &self.actions
    }
}
