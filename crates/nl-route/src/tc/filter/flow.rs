//! `flow`: a class from packet keys, mapped or hashed.

use nl_wire::{Attrs, MsgBuilder};

use crate::attrs::attr_struct;
use crate::error::Result;
use crate::tc::TcHandle;
use crate::tc::action::Action;
use crate::tc::filter::{Ematches, FilterOptions, Protocol};
use crate::uapi::pkt_cls::*;

/// `FLOW_KEY_*` names as `tc` writes them, by bit.
pub const FLOW_KEYS: [&str; 18] = [
    "src",
    "dst",
    "proto",
    "proto-src",
    "proto-dst",
    "iif",
    "priority",
    "mark",
    "nfct",
    "nfct-src",
    "nfct-dst",
    "nfct-proto-src",
    "nfct-proto-dst",
    "rt-classid",
    "sk-uid",
    "sk-gid",
    "vlan-tag",
    "rxhash",
];

/// `FLOW_MODE_MAP`: the key's value, transformed, is the class.
pub const FLOW_MODE_MAP: u32 = 0;
/// `FLOW_MODE_HASH`: a hash of the keys picks the class.
pub const FLOW_MODE_HASH: u32 = 1;

attr_struct! {
    /// flow options, in the order `tc` writes them.
    pub struct Flow {
        /// `FLOW_KEY_*` bits (`keys src,dst` / `key mark`).
        keys: u32 = TCA_FLOW_KEYS,
        /// Right shift of the mapped value (`rshift`).
        rshift: u32 = TCA_FLOW_RSHIFT,
        /// Added to it (`addend`).
        addend: u32 = TCA_FLOW_ADDEND,
        /// Classes, modulo (`divisor`).
        divisor: u32 = TCA_FLOW_DIVISOR,
        /// Seconds between hash perturbations (`perturb`).
        perturb: u32 = TCA_FLOW_PERTURB,
        /// First class (`baseclass`), as a raw handle.
        baseclass: u32 = TCA_FLOW_BASECLASS,
        /// [`FLOW_MODE_MAP`] or [`FLOW_MODE_HASH`].
        mode: u32 = TCA_FLOW_MODE,
        /// And mask of the mapped value (`and`).
        mask: u32 = TCA_FLOW_MASK,
        /// Xor of it (`xor`; `or V` is mask `!V`, xor `V`).
        xor: u32 = TCA_FLOW_XOR,
    }
    extra {
        /// Extended matches (`match EXPR`).
        pub ematches: Option<Ematches>,
        /// Actions.
        pub actions: Vec<Action>,
    }
}

impl Flow {
    /// The names of the keys set, in `tc`'s order.
    pub fn key_names(&self) -> Vec<&'static str> {
        let keys = self.keys.unwrap_or(0);
        FLOW_KEYS
            .iter()
            .enumerate()
            .filter(|(i, _)| keys & (1 << i) != 0)
            .map(|(_, n)| *n)
            .collect()
    }

    /// The base class as a handle.
    pub fn base(&self) -> Option<TcHandle> {
        self.baseclass.map(TcHandle)
    }
}

impl FilterOptions for Flow {
    fn parse(options: Attrs<'_>) -> nl_wire::Result<Self> {
        let mut f = Flow::default();
        for a in options {
            let a = a?;
            if f.parse_attr(&a)? {
                continue;
            }
            match a.ty() {
                TCA_FLOW_EMATCHES => f.ematches = Some(Ematches::parse(&a)?),
                TCA_FLOW_ACT => f.actions = Action::parse_list(&a)?,
                _ => {}
            }
        }
        Ok(f)
    }

    fn write(&self, m: &mut MsgBuilder<'_>, _protocol: Protocol) -> Result<()> {
        self.write_attrs(m);
        if let Some(e) = &self.ematches {
            e.write(m, TCA_FLOW_EMATCHES);
        }
        Action::write_list(&self.actions, m, TCA_FLOW_ACT)
    }

    fn actions(&self) -> &[Action] {
        &self.actions
    }
}
