//! `csum`: recompute checksums.

use nl_wire::MsgBuilder;

use crate::tc::action::{ActionInput, ActionOptions};
use crate::uapi::tc_csum::TCA_CSUM_PARMS;
use crate::uapi::types::{TcGen, TcGenPlus};

/// `csum` options.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Csum {
    /// Which headers (`TCA_CSUM_UPDATE_FLAG_*`).
    pub flags: u32,
}

impl ActionOptions for Csum {
    fn parse(input: &mut ActionInput<'_>) -> nl_wire::Result<Self> {
        let mut c = Csum::default();
        for a in input.options.clone() {
            let a = a?;
            if a.ty() == TCA_CSUM_PARMS {
                let p: TcGenPlus = a.read();
                input.head = Some(p.head);
                c.flags = u32::from_ne_bytes(p.extra.get().to_ne_bytes());
            }
        }
        Ok(c)
    }

    fn write(&self, m: &mut MsgBuilder<'_>, head: TcGen) {
        m.put(
            TCA_CSUM_PARMS,
            &TcGenPlus {
                head,
                extra: i32::from_ne_bytes(self.flags.to_ne_bytes()).into(),
            },
        );
    }
}
