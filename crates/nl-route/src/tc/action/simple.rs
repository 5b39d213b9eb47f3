//! `simple`: logs its data string with each packet (a teaching action).

use nl_wire::MsgBuilder;

use crate::error::{Error, Result};
use crate::tc::action::{ActionInput, ActionOptions};
use crate::uapi::tc_defact::{TCA_DEF_DATA, TCA_DEF_PARMS};
use crate::uapi::types::TcGen;

/// `SIMP_MAX_DATA`: the kernel keeps at most this many bytes, NUL included.
pub const SIMP_MAX_DATA: usize = 32;

/// `simple` options.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Simple {
    /// The string (`sdata`).
    pub sdata: String,
}

impl ActionOptions for Simple {
    fn parse(input: &mut ActionInput<'_>) -> nl_wire::Result<Self> {
        let mut s = Simple::default();
        for a in input.options.clone() {
            let a = a?;
            match a.ty() {
                TCA_DEF_PARMS => input.head = Some(a.read()),
                TCA_DEF_DATA => s.sdata = a.str()?.to_string(),
                _ => {}
            }
        }
        Ok(s)
    }

    fn write(&self, m: &mut MsgBuilder<'_>, head: TcGen) {
        m.put(TCA_DEF_PARMS, &head);
        m.put_str(TCA_DEF_DATA, &self.sdata);
    }

    fn validate(&self, _index: u32) -> Result<()> {
        if self.sdata.len() >= SIMP_MAX_DATA {
            return Err(Error::invalid("sdata", "at most 31 bytes"));
        }
        Ok(())
    }
}
