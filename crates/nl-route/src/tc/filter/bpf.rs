//! `bpf`: an eBPF classifier.

use nl_wire::{Attrs, MsgBuilder};

use crate::error::Result;
use crate::tc::TcHandle;
use crate::tc::action::Action;
use crate::tc::filter::{FilterOptions, Protocol, put_classid, read_classid};
use crate::uapi::pkt_cls::*;

/// bpf classifier options.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Bpf {
    /// Program fd (add only; the kernel reports id and tag).
    pub fd: Option<u32>,
    /// Name `tc` shows (`obj.o:[sec]` ...).
    pub name: Option<String>,
    /// `da`: the program's return value is the verdict.
    pub direct_action: bool,
    /// Class a match goes to.
    pub classid: Option<TcHandle>,
    /// `TCA_CLS_FLAGS_*` (`skip_hw`, `skip_sw`).
    pub flags_gen: Option<u32>,
    /// Program id (reported).
    pub id: Option<u32>,
    /// Program tag (reported).
    pub tag: Option<[u8; 8]>,
    /// Actions run on a match (without `da`).
    pub actions: Vec<Action>,
}

impl FilterOptions for Bpf {
    fn parse(options: Attrs<'_>) -> nl_wire::Result<Self> {
        let mut b = Bpf::default();
        for a in options {
            let a = a?;
            match a.ty() {
                TCA_BPF_CLASSID => b.classid = read_classid(&a)?,
                TCA_BPF_FD => b.fd = Some(a.u32()?),
                TCA_BPF_NAME => b.name = Some(a.str()?.to_string()),
                TCA_BPF_FLAGS => {
                    b.direct_action = a.u32()? & u32::from(TCA_BPF_FLAG_ACT_DIRECT) != 0;
                }
                TCA_BPF_FLAGS_GEN => b.flags_gen = Some(a.u32()?),
                TCA_BPF_ID => b.id = Some(a.u32()?),
                TCA_BPF_TAG => b.tag = Some(nl_wire::read_tolerant::<[u8; 8]>(a.payload())),
                TCA_BPF_ACT => b.actions = Action::parse_list(&a)?,
                _ => {}
            }
        }
        Ok(b)
    }

    fn write(&self, m: &mut MsgBuilder<'_>, _protocol: Protocol) -> Result<()> {
        put_classid(m, TCA_BPF_CLASSID, self.classid);
        if let Some(fd) = self.fd {
            m.put_u32(TCA_BPF_FD, fd);
        }
        if let Some(n) = &self.name {
            m.put_str(TCA_BPF_NAME, n);
        }
        if self.direct_action {
            m.put_u32(TCA_BPF_FLAGS, u32::from(TCA_BPF_FLAG_ACT_DIRECT));
        }
        if let Some(v) = self.flags_gen {
            m.put_u32(TCA_BPF_FLAGS_GEN, v);
        }
        Action::write_list(&self.actions, m, TCA_BPF_ACT)
    }

    fn actions(&self) -> &[Action] {
        &self.actions
    }
}
