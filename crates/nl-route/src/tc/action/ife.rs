//! `ife`: inter-FE encapsulation of metadata (mark, priority ...) in an
//! Ethernet frame.

use nl_wire::{HwAddr, MsgBuilder};
use zerocopy::byteorder::native_endian::U16;

use crate::tc::action::{ActionInput, ActionOptions};
use crate::uapi::tc_ife::*;
use crate::uapi::types::TcGen;

/// `IFE_META_SKBMARK` (`<linux/ife.h>`).
pub const IFE_META_SKBMARK: u16 = 1;
/// `IFE_META_HASHID`.
pub const IFE_META_HASHID: u16 = 2;
/// `IFE_META_PRIO`.
pub const IFE_META_PRIO: u16 = 3;
/// `IFE_META_QMAP`.
pub const IFE_META_QMAP: u16 = 4;
/// `IFE_META_TCINDEX`.
pub const IFE_META_TCINDEX: u16 = 5;

nl_wire::wire_struct! {
    /// `struct tc_ife` (padded to 24 bytes).
    pub(crate) struct TcIfe(24) {
        pub(crate) head: TcGen,
        pub(crate) flags: U16,
        pub(crate) _pad: [u8; 2],
    }
}

/// One metadatum: `allow mark` (no value: take the packet's) or `use
/// mark 5` (a fixed value, as the kernel stores it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IfeMeta {
    /// `IFE_META_*`.
    pub id: u16,
    /// The fixed value's bytes, if any.
    pub value: Option<Vec<u8>>,
}

/// `ife` options.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Ife {
    /// `encode` (else `decode`).
    pub encode: bool,
    /// Destination MAC of the outer frame (`dst`).
    pub dmac: Option<HwAddr>,
    /// Its source MAC (`src`).
    pub smac: Option<HwAddr>,
    /// Its ethertype (`type`; the kernel's default 0xED3E).
    pub ethertype: Option<u16>,
    /// The metadata carried.
    pub meta: Vec<IfeMeta>,
}

impl ActionOptions for Ife {
    fn parse(input: &mut ActionInput<'_>) -> nl_wire::Result<Self> {
        let mut o = Ife::default();
        for a in input.options.clone() {
            let a = a?;
            match a.ty() {
                TCA_IFE_PARMS => {
                    let p: TcIfe = a.read();
                    input.head = Some(p.head);
                    o.encode = p.flags.get() & IFE_ENCODE != 0;
                }
                TCA_IFE_DMAC => o.dmac = Some(a.hwaddr()?),
                TCA_IFE_SMAC => o.smac = Some(a.hwaddr()?),
                TCA_IFE_TYPE => o.ethertype = Some(a.u16()?),
                TCA_IFE_METALST => {
                    for m in a.nested() {
                        let m = m?;
                        let v = m.payload();
                        o.meta.push(IfeMeta {
                            id: m.ty(),
                            value: (!v.is_empty()).then(|| v.to_vec()),
                        });
                    }
                }
                _ => {}
            }
        }
        Ok(o)
    }

    fn write(&self, m: &mut MsgBuilder<'_>, head: TcGen) {
        let p = TcIfe {
            head,
            flags: if self.encode { IFE_ENCODE } else { IFE_DECODE }.into(),
            ..TcIfe::default()
        };
        m.put(TCA_IFE_PARMS, &p);
        if let Some(d) = &self.dmac {
            m.put_hwaddr(TCA_IFE_DMAC, d);
        }
        if let Some(s) = &self.smac {
            m.put_hwaddr(TCA_IFE_SMAC, s);
        }
        if let Some(t) = self.ethertype {
            m.put_u16(TCA_IFE_TYPE, t);
        }
        if !self.meta.is_empty() {
            m.nest(TCA_IFE_METALST, |m| {
                for x in &self.meta {
                    m.put_bytes(x.id, x.value.as_deref().unwrap_or_default());
                }
            });
        }
    }
}
