//! `bpf`: an eBPF classifier, or classic BPF bytecode.

use nl_wire::{Attrs, MsgBuilder};
use zerocopy::IntoBytes;
use zerocopy::byteorder::native_endian::{U16, U32};

use crate::error::Result;
use crate::tc::TcHandle;
use crate::tc::action::Action;
use crate::tc::filter::{FilterOptions, Protocol, put_classid, read_classid};
use crate::uapi::pkt_cls::*;

nl_wire::wire_struct! {
    /// `struct sock_filter`: one classic BPF instruction.
    pub(crate) struct SockFilter(8) {
        pub(crate) code: U16,
        pub(crate) jt: u8,
        pub(crate) jf: u8,
        pub(crate) k: U32,
    }
}

/// One classic BPF instruction (`struct sock_filter`), as `tc ... bpf
/// bytecode 'N,code jt jf k,...'` writes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ClassicInsn {
    /// Opcode.
    pub code: u16,
    /// Jump if true.
    pub jt: u8,
    /// Jump if false.
    pub jf: u8,
    /// Constant.
    pub k: u32,
}

/// bpf classifier options.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Bpf {
    /// Program fd (add only; the kernel reports id and tag).
    pub fd: Option<u32>,
    /// Classic BPF bytecode instead of an eBPF program (`bytecode`).
    pub ops: Option<Vec<ClassicInsn>>,
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
                TCA_BPF_OPS => {
                    let insns = a
                        .payload()
                        .chunks_exact(8)
                        .map(|c| {
                            let i: SockFilter = nl_wire::read_tolerant(c);
                            ClassicInsn {
                                code: i.code.get(),
                                jt: i.jt,
                                jf: i.jf,
                                k: i.k.get(),
                            }
                        })
                        .collect();
                    b.ops = Some(insns);
                }
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
        if let Some(ops) = &self.ops {
            let len = u16::try_from(ops.len())
                .map_err(|_| crate::Error::invalid("bytecode", "at most 65535 instructions"))?;
            m.put_u16(TCA_BPF_OPS_LEN, len);
            let bytes: Vec<u8> = ops
                .iter()
                .flat_map(|i| {
                    SockFilter {
                        code: i.code.into(),
                        jt: i.jt,
                        jf: i.jf,
                        k: i.k.into(),
                    }
                    .as_bytes()
                    .to_vec()
                })
                .collect();
            m.put_bytes(TCA_BPF_OPS, &bytes);
        }
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tc::{Filter, FilterKind, TcHandle};

    #[test]
    fn bytecode_is_what_tc_sends() {
        // tc filter add dev v0 parent ffff: protocol ip pref 1 bpf
        //     bytecode '4,40 0 0 12,21 0 1 2048,6 0 0 262144,6 0 0 0'
        //     classid 1:1 (after the netlink header; v0 is index 3)
        let tc = "0000000003000000000000000000ffff080001000800010062706600380002000800030001000100060004000400000024000500280000000c000000150000010008000006000000000004000600000000000000";
        let ops = vec![
            ClassicInsn {
                code: 40,
                jt: 0,
                jf: 0,
                k: 12,
            },
            ClassicInsn {
                code: 21,
                jt: 0,
                jf: 1,
                k: 2048,
            },
            ClassicInsn {
                code: 6,
                jt: 0,
                jf: 0,
                k: 262_144,
            },
            ClassicInsn {
                code: 6,
                jt: 0,
                jf: 0,
                k: 0,
            },
        ];
        let bpf = Bpf {
            ops: Some(ops),
            classid: Some(TcHandle::new(1, 1)),
            ..Bpf::default()
        };
        let f = Filter::new(
            3,
            TcHandle::new(0xffff, 0),
            Protocol::IP,
            FilterKind::Bpf(bpf),
        )
        .priority(1);
        let mut buf = Vec::new();
        f.write_add(&mut buf).unwrap();
        let hex: String = buf[16..].iter().map(|b| format!("{b:02x}")).collect();
        assert_eq!(hex, tc);
        let back = Filter::parse(&nl_wire::Msg::parse(&buf).unwrap().0).unwrap();
        assert_eq!(back, f);
    }
}
