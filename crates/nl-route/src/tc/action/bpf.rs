//! `bpf` (the action): run an eBPF program.

use nl_wire::MsgBuilder;

use crate::error::{Error, Result};
use crate::tc::action::{ActionInput, ActionOptions};
use crate::uapi::tc_bpf::*;
use crate::uapi::types::TcGen;

/// bpf action options (by fd on add; id and tag reported).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct BpfAction {
    /// Program fd to attach (add only).
    pub fd: Option<u32>,
    /// Name shown by `tc`.
    pub name: Option<String>,
    /// Program id (reported).
    pub id: Option<u32>,
    /// Program tag (reported).
    pub tag: Option<[u8; 8]>,
}

impl ActionOptions for BpfAction {
    fn parse(input: &mut ActionInput<'_>) -> nl_wire::Result<Self> {
        let mut b = BpfAction::default();
        for a in input.options.clone() {
            let a = a?;
            match a.ty() {
                TCA_ACT_BPF_PARMS => input.head = Some(a.read()),
                TCA_ACT_BPF_FD => b.fd = Some(a.u32()?),
                TCA_ACT_BPF_NAME => b.name = Some(a.str()?.to_string()),
                TCA_ACT_BPF_ID => b.id = Some(a.u32()?),
                TCA_ACT_BPF_TAG => b.tag = Some(nl_wire::read_tolerant::<[u8; 8]>(a.payload())),
                _ => {}
            }
        }
        Ok(b)
    }

    fn write(&self, m: &mut MsgBuilder<'_>, head: TcGen) {
        m.put(TCA_ACT_BPF_PARMS, &head);
        if let Some(fd) = self.fd {
            m.put_u32(TCA_ACT_BPF_FD, fd);
        }
        if let Some(n) = &self.name {
            m.put_str(TCA_ACT_BPF_NAME, n);
        }
    }

    fn validate(&self, index: u32) -> Result<()> {
        if self.fd.is_none() && index == 0 {
            return Err(Error::invalid(
                "bpf",
                "needs a program fd (or the index of an existing action)",
            ));
        }
        Ok(())
    }
}
