//! `fw`: by firewall mark.

use nl_wire::{Attrs, MsgBuilder};

use crate::error::Result;
use crate::tc::TcHandle;
use crate::tc::action::Action;
use crate::tc::filter::{FilterOptions, Protocol, put_classid, read_classid};
use crate::uapi::pkt_cls::*;

/// fw options.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Fw {
    /// Class of matching packets.
    pub classid: Option<TcHandle>,
    /// Mask applied to the mark before comparing with the handle.
    pub mask: Option<u32>,
    /// Only packets from this device.
    pub indev: Option<String>,
    /// Actions.
    pub actions: Vec<Action>,
}

impl FilterOptions for Fw {
    fn parse(options: Attrs<'_>) -> nl_wire::Result<Self> {
        let mut f = Fw::default();
        for a in options {
            let a = a?;
            match a.ty() {
                TCA_FW_CLASSID => f.classid = read_classid(&a)?,
                TCA_FW_MASK => f.mask = Some(a.u32()?),
                TCA_FW_INDEV => f.indev = Some(a.str()?.to_string()),
                TCA_FW_ACT => f.actions = Action::parse_list(&a)?,
                _ => {}
            }
        }
        Ok(f)
    }

    fn write(&self, m: &mut MsgBuilder<'_>, _protocol: Protocol) -> Result<()> {
        put_classid(m, TCA_FW_CLASSID, self.classid);
        if let Some(v) = self.mask {
            m.put_u32(TCA_FW_MASK, v);
        }
        if let Some(v) = &self.indev {
            m.put_str(TCA_FW_INDEV, v);
        }
        Action::write_list(&self.actions, m, TCA_FW_ACT)
    }

    fn actions(&self) -> &[Action] {
        &self.actions
    }
}
