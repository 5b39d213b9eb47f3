//! `plug`: holds packets until released (for checkpointing).

use nl_wire::{Attr, MsgBuilder};
use zerocopy::byteorder::native_endian::{I32, U32};

use crate::tc::TcOptions;
use crate::uapi::pkt_sched::{
    TCQ_PLUG_BUFFER, TCQ_PLUG_LIMIT, TCQ_PLUG_RELEASE_INDEFINITE, TCQ_PLUG_RELEASE_ONE,
};
use crate::uapi::rtnetlink::TCA_OPTIONS;

nl_wire::wire_struct! {
    /// `struct tc_plug_qopt`.
    pub(crate) struct TcPlugQopt(8) {
        pub(crate) action: I32,
        pub(crate) limit: U32,
    }
}

nl_wire::kernel_enum! {
    /// `TCQ_PLUG_*`: what a `plug` request does, in `tc`'s words.
    pub enum PlugAction: i32, "plug action", crate::Error {
        /// Start buffering at a new boundary (`block`).
        Buffer = TCQ_PLUG_BUFFER as i32 => "block",
        /// Release what was buffered before the last boundary (`release`).
        ReleaseOne = TCQ_PLUG_RELEASE_ONE as i32 => "release",
        /// Release everything and stop buffering (`release_indefinite`).
        ReleaseIndefinite = TCQ_PLUG_RELEASE_INDEFINITE as i32 => "release_indefinite",
        /// Only set the limit (`limit`).
        Limit = TCQ_PLUG_LIMIT as i32 => "limit",
    }
}

/// `plug` options: one command each request. The kernel does not dump
/// them, so a read-back `plug` has `None`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Plug {
    /// The command (`None`: send no options, the kernel's defaults).
    pub action: Option<PlugAction>,
    /// Bytes buffered at most (`limit`, with [`PlugAction::Limit`]).
    pub limit: u32,
}

impl TcOptions for Plug {
    fn parse(options: Option<&Attr<'_>>) -> nl_wire::Result<Self> {
        Ok(options.map_or(Plug::default(), |a| {
            let o: TcPlugQopt = a.read();
            Plug {
                action: Some(PlugAction::from(o.action.get())),
                limit: o.limit.get(),
            }
        }))
    }

    fn write(&self, m: &mut MsgBuilder<'_>) {
        if let Some(action) = self.action {
            let o = TcPlugQopt {
                action: i32::from(action).into(),
                limit: self.limit.into(),
            };
            m.put(TCA_OPTIONS, &o);
        }
    }
}
