//! Extended matches (`TCA_*_EMATCHES` of basic, cgroup and flow): a flat
//! list of matches joined by AND/OR, each optionally inverted; `cmp` and
//! `u32` typed, other kinds (meta, nbyte, text, ipset ...) kept raw.
//!
//! ```text
//! TCA_EMATCH_TREE_HDR   struct tcf_ematch_tree_hdr { nmatches, progid }
//! TCA_EMATCH_TREE_LIST  1: tcf_ematch_hdr { matchid, kind, flags, pad } + data
//!                       2: ...
//! ```

use nl_wire::{Attr, MsgBuilder};
use zerocopy::IntoBytes;
use zerocopy::byteorder::native_endian::{U16, U32};
use zerocopy::byteorder::network_endian;

use crate::uapi::pkt_cls::*;

nl_wire::wire_struct! {
    /// `struct tcf_ematch_tree_hdr`.
    pub(crate) struct TreeHdr(4) {
        pub(crate) nmatches: U16,
        pub(crate) progid: U16,
    }

    /// `struct tcf_ematch_hdr`.
    pub(crate) struct EmatchHdr(8) {
        pub(crate) matchid: U16,
        pub(crate) kind: U16,
        pub(crate) flags: U16,
        pub(crate) pad: U16,
    }

    /// `struct tcf_em_cmp` (the bitfields as the bytes they share).
    pub(crate) struct RawCmp(12) {
        pub(crate) val: U32,
        pub(crate) mask: U32,
        pub(crate) off: U16,
        pub(crate) align_flags: u8,
        pub(crate) layer_opnd: u8,
    }

    /// `struct tc_u32_key` as em_u32 takes it (value and mask in network
    /// order).
    pub(crate) struct RawU32(16) {
        pub(crate) mask: network_endian::U32,
        pub(crate) val: network_endian::U32,
        pub(crate) off: U32,
        pub(crate) offmask: U32,
    }
}

/// A `cmp` match: `(packet[layer + off] (as align bytes) & mask) OPND val`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct EmCmp {
    /// The value compared with.
    pub val: u32,
    /// Mask applied to the packet's value first (0: none).
    pub mask: u32,
    /// Offset from the layer's start.
    pub off: u16,
    /// Width: `TCF_EM_ALIGN_U8` (1), `U16` (2) or `U32` (4).
    pub align: u8,
    /// `TCF_EM_CMP_TRANS` (1): convert from network order.
    pub flags: u8,
    /// `TCF_LAYER_*`.
    pub layer: u8,
    /// `TCF_EM_OPND_EQ`, `GT` or `LT`.
    pub opnd: u8,
}

/// What one match tests.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EmatchData {
    /// `cmp(...)`.
    Cmp(EmCmp),
    /// `u32(VAL MASK at OFF)`: a u32 key (value and mask host order here).
    U32 {
        /// Value.
        val: u32,
        /// Mask.
        mask: u32,
        /// Offset.
        off: u32,
        /// Offset mask (`nexthdr+`).
        offmask: u32,
    },
    /// Another kind's data, raw.
    Raw(Vec<u8>),
}

/// One match of the list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ematch {
    /// For a container match, the index it jumps to; else 0.
    pub matchid: u16,
    /// `TCF_EM_*` kind.
    pub kind: u16,
    /// `TCF_EM_REL_*` to the next match, `TCF_EM_INVERT`.
    pub flags: u16,
    /// What it tests.
    pub data: EmatchData,
}

impl Ematch {
    /// `cmp(...)` joined to the next match by `relation`
    /// (`TCF_EM_REL_END`, `_AND`, `_OR`).
    pub fn cmp(cmp: EmCmp, relation: u16) -> Ematch {
        Ematch {
            matchid: 0,
            kind: TCF_EM_CMP,
            flags: relation,
            data: EmatchData::Cmp(cmp),
        }
    }

    /// Whether the match is negated (`not`).
    pub fn inverted(&self) -> bool {
        self.flags & TCF_EM_INVERT != 0
    }

    /// The relation to the next match (`TCF_EM_REL_*`).
    pub fn relation(&self) -> u16 {
        self.flags & TCF_EM_REL_MASK
    }
}

/// An ematch tree: program id and the matches in order.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Ematches {
    /// `TCF_EM_PROG_TC` (0) for tc's matches.
    pub progid: u16,
    /// The matches.
    pub matches: Vec<Ematch>,
}

impl Ematches {
    /// Reads a `TCA_*_EMATCHES` nest.
    pub(crate) fn parse(a: &Attr<'_>) -> nl_wire::Result<Ematches> {
        let mut e = Ematches::default();
        for a in a.nested() {
            let a = a?;
            match a.ty() {
                TCA_EMATCH_TREE_HDR => e.progid = a.read::<TreeHdr>().progid.get(),
                TCA_EMATCH_TREE_LIST => {
                    for m in a.nested() {
                        e.matches.push(Ematch::parse(m?.payload()));
                    }
                }
                _ => {}
            }
        }
        Ok(e)
    }

    /// Writes the nest `ty` (`TCA_BASIC_EMATCHES` ...).
    pub(crate) fn write(&self, m: &mut MsgBuilder<'_>, ty: u16) {
        m.nest(ty, |m| {
            let hdr = TreeHdr {
                nmatches: u16::try_from(self.matches.len()).unwrap_or(u16::MAX).into(),
                progid: self.progid.into(),
            };
            m.put(TCA_EMATCH_TREE_HDR, &hdr);
            m.nest(TCA_EMATCH_TREE_LIST, |m| {
                for (i, e) in self.matches.iter().enumerate() {
                    let n = u16::try_from(i + 1).unwrap_or(u16::MAX);
                    m.put_bytes(n, &e.bytes());
                }
            });
        });
    }
}

impl Ematch {
    fn parse(p: &[u8]) -> Ematch {
        let h: EmatchHdr = nl_wire::read_tolerant(p);
        let data = p.get(8..).unwrap_or_default();
        let kind = h.kind.get();
        let data = match kind {
            TCF_EM_CMP if data.len() >= 12 => {
                let c: RawCmp = nl_wire::read_tolerant(data);
                EmatchData::Cmp(EmCmp {
                    val: c.val.get(),
                    mask: c.mask.get(),
                    off: c.off.get(),
                    align: c.align_flags & 0xF,
                    flags: c.align_flags >> 4,
                    layer: c.layer_opnd & 0xF,
                    opnd: c.layer_opnd >> 4,
                })
            }
            TCF_EM_U32 if data.len() >= 16 => {
                let k: RawU32 = nl_wire::read_tolerant(data);
                EmatchData::U32 {
                    val: k.val.get(),
                    mask: k.mask.get(),
                    off: k.off.get(),
                    offmask: k.offmask.get(),
                }
            }
            _ => EmatchData::Raw(data.to_vec()),
        };
        Ematch {
            matchid: h.matchid.get(),
            kind,
            flags: h.flags.get(),
            data,
        }
    }

    fn bytes(&self) -> Vec<u8> {
        let hdr = EmatchHdr {
            matchid: self.matchid.into(),
            kind: self.kind.into(),
            flags: self.flags.into(),
            pad: 0.into(),
        };
        let mut out = hdr.as_bytes().to_vec();
        match &self.data {
            EmatchData::Cmp(c) => out.extend_from_slice(
                RawCmp {
                    val: c.val.into(),
                    mask: c.mask.into(),
                    off: c.off.into(),
                    align_flags: (c.align & 0xF) | (c.flags << 4),
                    layer_opnd: (c.layer & 0xF) | (c.opnd << 4),
                }
                .as_bytes(),
            ),
            EmatchData::U32 {
                val,
                mask,
                off,
                offmask,
            } => out.extend_from_slice(
                RawU32 {
                    mask: (*mask).into(),
                    val: (*val).into(),
                    off: (*off).into(),
                    offmask: (*offmask).into(),
                }
                .as_bytes(),
            ),
            EmatchData::Raw(r) => out.extend_from_slice(r),
        }
        out
    }
}
