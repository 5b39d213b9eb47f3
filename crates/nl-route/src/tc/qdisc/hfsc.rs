//! `hfsc`: hierarchical fair service curve (its classes carry the curves,
//! see [`HfscClass`](crate::tc::HfscClass)).

use nl_wire::{Attr, MsgBuilder};

use crate::tc::TcOptions;
use crate::uapi::rtnetlink::TCA_OPTIONS;
use crate::uapi::types::TcHfscQopt;

/// `hfsc` qdisc options (`struct tc_hfsc_qopt`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Hfsc {
    /// Default class minor (`default`).
    pub default_class: u16,
}

impl TcOptions for Hfsc {
    fn parse(options: Option<&Attr<'_>>) -> nl_wire::Result<Self> {
        Ok(Hfsc {
            default_class: options.map_or(0, |a| a.read::<TcHfscQopt>().defcls.get()),
        })
    }

    fn write(&self, m: &mut MsgBuilder<'_>) {
        m.put(
            TCA_OPTIONS,
            &TcHfscQopt {
                defcls: self.default_class.into(),
            },
        );
    }
}
