//! `pedit`: edit packet bytes (32-bit words: `(word & mask) ^ val`, or
//! added to with the extended `add` command).

use nl_wire::MsgBuilder;
use zerocopy::IntoBytes;
use zerocopy::byteorder::native_endian::U32;

use crate::tc::action::{ActionInput, ActionOptions};
use crate::uapi::tc_pedit::*;
use crate::uapi::types::TcGen;

nl_wire::wire_struct! {
    /// `struct tc_pedit_sel` without its keys (padded to 24 bytes).
    pub(crate) struct TcPeditSel(24) {
        pub(crate) head: TcGen,
        pub(crate) nkeys: u8,
        pub(crate) flags: u8,
        pub(crate) _pad: [u8; 2],
    }

    /// `struct tc_pedit_key`.
    pub(crate) struct TcPeditKey(24) {
        pub(crate) mask: U32,
        pub(crate) val: U32,
        pub(crate) off: U32,
        pub(crate) at: U32,
        pub(crate) offmask: U32,
        pub(crate) shift: U32,
    }
}

/// One edit: the 32-bit word at `off` (from the header `htype` names)
/// becomes `(word & mask) ^ val` (`cmd` set), or `word + val` (`cmd`
/// add). Mask and value are as the word lies in the packet (network
/// order bytes read as a host `u32`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct PeditKey {
    /// Bits kept.
    pub mask: u32,
    /// Bits set (xor) or the addend.
    pub val: u32,
    /// Byte offset, a multiple of 4.
    pub off: u32,
    /// With `offmask`, `shift`: an offset read from the packet
    /// (`at AT offmask M shift S`).
    pub at: u32,
    /// Mask of that byte.
    pub offmask: u32,
    /// Its shift.
    pub shift: u32,
    /// `TCA_PEDIT_KEY_EX_HDR_TYPE_*` (extended keys): the header `off`
    /// counts from.
    pub htype: u16,
    /// `TCA_PEDIT_KEY_EX_CMD_SET` or `_ADD` (extended keys).
    pub cmd: u16,
}

/// `pedit` options.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Pedit {
    /// Write the extended form (`pedit ex`: header types and commands per
    /// key, `TCA_PEDIT_PARMS_EX` + `TCA_PEDIT_KEYS_EX`).
    pub extended: bool,
    /// `tc_pedit_sel.flags`.
    pub flags: u8,
    /// The edits.
    pub keys: Vec<PeditKey>,
}

impl PeditKey {
    /// Sets the bytes `value` (1 to 4) at byte `offset` of header `htype`
    /// (`TCA_PEDIT_KEY_EX_HDR_TYPE_*`), as `pedit ex munge ... set` does:
    /// the word is the aligned one holding them.
    pub fn set(htype: u16, offset: u32, value: &[u8]) -> PeditKey {
        let start = (offset % 4) as usize;
        let mut word = [0u8; 4];
        let mut keep = [0xffu8; 4];
        for ((w, k), b) in word.iter_mut().zip(keep.iter_mut()).skip(start).zip(value) {
            *w = *b;
            *k = 0;
        }
        PeditKey {
            mask: u32::from_ne_bytes(keep),
            val: u32::from_ne_bytes(word),
            off: offset - offset % 4,
            htype,
            cmd: TCA_PEDIT_KEY_EX_CMD_SET,
            ..PeditKey::default()
        }
    }
}

impl ActionOptions for Pedit {
    fn parse(input: &mut ActionInput<'_>) -> nl_wire::Result<Self> {
        let mut p = Pedit::default();
        let mut ex = Vec::new();
        for a in input.options.clone() {
            let a = a?;
            match a.ty() {
                TCA_PEDIT_PARMS | TCA_PEDIT_PARMS_EX => {
                    p.extended = a.ty() == TCA_PEDIT_PARMS_EX;
                    let payload = a.payload();
                    let sel: TcPeditSel = nl_wire::read_tolerant(payload);
                    input.head = Some(sel.head);
                    p.flags = sel.flags;
                    let keys = payload.get(24..).unwrap_or_default();
                    p.keys = keys
                        .chunks_exact(24)
                        .take(usize::from(sel.nkeys))
                        .map(|c| {
                            let k: TcPeditKey = nl_wire::read_tolerant(c);
                            PeditKey {
                                mask: k.mask.get(),
                                val: k.val.get(),
                                off: k.off.get(),
                                at: k.at.get(),
                                offmask: k.offmask.get(),
                                shift: k.shift.get(),
                                htype: 0,
                                cmd: 0,
                            }
                        })
                        .collect();
                }
                TCA_PEDIT_KEYS_EX => {
                    for k in a.nested() {
                        let (mut htype, mut cmd) = (0, 0);
                        for f in k?.nested() {
                            let f = f?;
                            match f.ty() {
                                TCA_PEDIT_KEY_EX_HTYPE => htype = f.u16()?,
                                TCA_PEDIT_KEY_EX_CMD => cmd = f.u16()?,
                                _ => {}
                            }
                        }
                        ex.push((htype, cmd));
                    }
                }
                _ => {}
            }
        }
        for (k, (htype, cmd)) in p.keys.iter_mut().zip(ex) {
            k.htype = htype;
            k.cmd = cmd;
        }
        Ok(p)
    }

    fn write(&self, m: &mut MsgBuilder<'_>, head: TcGen) {
        let sel = TcPeditSel {
            head,
            nkeys: u8::try_from(self.keys.len()).unwrap_or(u8::MAX),
            flags: self.flags,
            ..TcPeditSel::default()
        };
        let mut parms = sel.as_bytes().to_vec();
        for k in self.keys.iter().take(usize::from(u8::MAX)) {
            let raw = TcPeditKey {
                mask: k.mask.into(),
                val: k.val.into(),
                off: k.off.into(),
                at: k.at.into(),
                offmask: k.offmask.into(),
                shift: k.shift.into(),
            };
            parms.extend_from_slice(raw.as_bytes());
        }
        if !self.extended {
            m.put_bytes(TCA_PEDIT_PARMS, &parms);
            return;
        }
        m.put_bytes(TCA_PEDIT_PARMS_EX, &parms);
        // tc flags these nests; the kernel parses them strictly.
        let nested = nl_wire::netlink::NLA_F_NESTED;
        m.nest(nested | TCA_PEDIT_KEYS_EX, |m| {
            for k in self.keys.iter().take(usize::from(u8::MAX)) {
                m.nest(nested | TCA_PEDIT_KEY_EX, |m| {
                    m.put_u16(TCA_PEDIT_KEY_EX_HTYPE, k.htype);
                    m.put_u16(TCA_PEDIT_KEY_EX_CMD, k.cmd);
                });
            }
        });
    }
}
