//! `basic`: extended matches.

use nl_wire::{Attrs, MsgBuilder};

use crate::error::Result;
use crate::tc::TcHandle;
use crate::tc::action::Action;
use crate::tc::filter::{Ematches, FilterOptions, Protocol, put_classid, read_classid};
use crate::uapi::pkt_cls::*;

/// basic options.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Basic {
    /// Class of matching packets.
    pub classid: Option<TcHandle>,
    /// Extended matches (`match EXPR`; none: every packet).
    pub ematches: Option<Ematches>,
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
                TCA_BASIC_EMATCHES => b.ematches = Some(Ematches::parse(&a)?),
                TCA_BASIC_ACT => b.actions = Action::parse_list(&a)?,
                _ => {}
            }
        }
        Ok(b)
    }

    fn write(&self, m: &mut MsgBuilder<'_>, _protocol: Protocol) -> Result<()> {
        // tc writes the matches first.
        if let Some(e) = &self.ematches {
            e.write(m, TCA_BASIC_EMATCHES);
        }
        put_classid(m, TCA_BASIC_CLASSID, self.classid);
        Action::write_list(&self.actions, m, TCA_BASIC_ACT)
    }

    fn actions(&self) -> &[Action] {
        &self.actions
    }
}
