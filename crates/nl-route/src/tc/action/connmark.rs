//! `connmark`: copy the connection's mark to the packet.

use nl_wire::MsgBuilder;
use zerocopy::byteorder::native_endian::U16;

use crate::tc::action::{ActionInput, ActionOptions};
use crate::uapi::tc_connmark::TCA_CONNMARK_PARMS;
use crate::uapi::types::TcGen;

nl_wire::wire_struct! {
    /// `struct tc_connmark` (padded to 24 bytes).
    pub(crate) struct TcConnmark(24) {
        pub(crate) head: TcGen,
        pub(crate) zone: U16,
        pub(crate) _pad: [u8; 2],
    }
}

/// `connmark` options.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Connmark {
    /// Conntrack zone (`zone`).
    pub zone: u16,
}

impl ActionOptions for Connmark {
    fn parse(input: &mut ActionInput<'_>) -> nl_wire::Result<Self> {
        let mut c = Connmark::default();
        for a in input.options.clone() {
            let a = a?;
            if a.ty() == TCA_CONNMARK_PARMS {
                let p: TcConnmark = a.read();
                input.head = Some(p.head);
                c.zone = p.zone.get();
            }
        }
        Ok(c)
    }

    fn write(&self, m: &mut MsgBuilder<'_>, head: TcGen) {
        let p = TcConnmark {
            head,
            zone: self.zone.into(),
            ..TcConnmark::default()
        };
        m.put(TCA_CONNMARK_PARMS, &p);
    }
}
