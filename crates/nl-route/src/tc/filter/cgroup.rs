//! `cgroup`: by the sending socket's net_cls cgroup class.

use nl_wire::{Attrs, MsgBuilder};

use crate::error::Result;
use crate::tc::action::Action;
use crate::tc::filter::{Ematches, FilterOptions, Protocol};
use crate::uapi::pkt_cls::*;

/// cgroup options: the class comes from the cgroup; ematches narrow the
/// packets it applies to.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Cgroup {
    /// Extended matches (`match EXPR`).
    pub ematches: Option<Ematches>,
    /// Actions.
    pub actions: Vec<Action>,
}

impl FilterOptions for Cgroup {
    fn parse(options: Attrs<'_>) -> nl_wire::Result<Self> {
        let mut c = Cgroup::default();
        for a in options {
            let a = a?;
            match a.ty() {
                TCA_CGROUP_EMATCHES => c.ematches = Some(Ematches::parse(&a)?),
                TCA_CGROUP_ACT => c.actions = Action::parse_list(&a)?,
                _ => {}
            }
        }
        Ok(c)
    }

    fn write(&self, m: &mut MsgBuilder<'_>, _protocol: Protocol) -> Result<()> {
        if let Some(e) = &self.ematches {
            e.write(m, TCA_CGROUP_EMATCHES);
        }
        Action::write_list(&self.actions, m, TCA_CGROUP_ACT)
    }

    fn actions(&self) -> &[Action] {
        &self.actions
    }
}
