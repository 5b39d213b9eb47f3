//! `route`: by the route's realm or input device.

use nl_wire::{Attrs, MsgBuilder};

use crate::error::Result;
use crate::tc::TcHandle;
use crate::tc::action::Action;
use crate::tc::filter::{FilterOptions, Protocol, put_classid, read_classid};
use crate::uapi::pkt_cls::*;

/// route options (`route [to REALM] [from REALM | fromif DEV] classid C`).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Route4 {
    /// Destination realm of the route (`to`).
    pub to: Option<u32>,
    /// Source realm (`from`).
    pub from: Option<u32>,
    /// Input interface index (`fromif`).
    pub iif: Option<u32>,
    /// Class of matching packets.
    pub classid: Option<TcHandle>,
    /// Actions.
    pub actions: Vec<Action>,
}

impl Route4 {
    /// The filter handle `tc` computes from the keys (`order` 0..=127 sets
    /// bits 8..14): the kernel finds the filter by it.
    pub fn tc_handle(&self, order: u32) -> u32 {
        let mut fh: u32 = 0xFFFF_8000;
        if let Some(to) = self.to {
            fh = (fh & !0x80FF) | (to & 0xFF);
        }
        if let Some(from) = self.from {
            fh = (fh & 0xFFFF) | (from << 16);
        }
        if let Some(iif) = self.iif {
            fh = (fh & 0xFFFF) | ((0x8000 | iif) << 16);
        }
        if order != 0 {
            fh = (fh & !0x7F00) | ((order << 8) & 0x7F00);
        }
        fh
    }
}

impl FilterOptions for Route4 {
    fn parse(options: Attrs<'_>) -> nl_wire::Result<Self> {
        let mut r = Route4::default();
        for a in options {
            let a = a?;
            match a.ty() {
                TCA_ROUTE4_TO => r.to = Some(a.u32()?),
                TCA_ROUTE4_FROM => r.from = Some(a.u32()?),
                TCA_ROUTE4_IIF => r.iif = Some(a.u32()?),
                TCA_ROUTE4_CLASSID => r.classid = read_classid(&a)?,
                TCA_ROUTE4_ACT => r.actions = Action::parse_list(&a)?,
                _ => {}
            }
        }
        Ok(r)
    }

    fn write(&self, m: &mut MsgBuilder<'_>, _protocol: Protocol) -> Result<()> {
        for (ty, v) in [
            (TCA_ROUTE4_TO, self.to),
            (TCA_ROUTE4_FROM, self.from),
            (TCA_ROUTE4_IIF, self.iif),
        ] {
            if let Some(v) = v {
                m.put_u32(ty, v);
            }
        }
        put_classid(m, TCA_ROUTE4_CLASSID, self.classid);
        Action::write_list(&self.actions, m, TCA_ROUTE4_ACT)
    }

    fn actions(&self) -> &[Action] {
        &self.actions
    }
}
