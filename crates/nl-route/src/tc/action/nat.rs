//! `nat`: stateless address translation.

use std::net::Ipv4Addr;

use nl_wire::MsgBuilder;
use zerocopy::byteorder::native_endian::U32;
use zerocopy::byteorder::network_endian;

use crate::tc::action::{ActionInput, ActionOptions};
use crate::uapi::tc_nat::{TCA_NAT_FLAG_EGRESS, TCA_NAT_PARMS};
use crate::uapi::types::TcGen;

nl_wire::wire_struct! {
    /// `struct tc_nat`.
    pub(crate) struct TcNat(36) {
        pub(crate) head: TcGen,
        pub(crate) old_addr: network_endian::U32,
        pub(crate) new_addr: network_endian::U32,
        pub(crate) mask: network_endian::U32,
        pub(crate) flags: U32,
    }
}

/// `nat` options: addresses in `old` under `mask` become `new` (the
/// source on egress, the destination on ingress).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Nat {
    /// Rewrite sources of outgoing packets (`egress`) rather than
    /// destinations of incoming ones (`ingress`).
    pub egress: bool,
    /// The addresses matched (`OLD[/LEN]`).
    pub old: Ipv4Addr,
    /// Their mask.
    pub mask: Ipv4Addr,
    /// The new address (or network, under the same mask).
    pub new: Ipv4Addr,
}

impl Default for Nat {
    fn default() -> Self {
        Nat {
            egress: false,
            old: Ipv4Addr::UNSPECIFIED,
            mask: Ipv4Addr::BROADCAST,
            new: Ipv4Addr::UNSPECIFIED,
        }
    }
}

impl ActionOptions for Nat {
    fn parse(input: &mut ActionInput<'_>) -> nl_wire::Result<Self> {
        let mut n = Nat::default();
        for a in input.options.clone() {
            let a = a?;
            if a.ty() == TCA_NAT_PARMS {
                let p: TcNat = a.read();
                input.head = Some(p.head);
                n = Nat {
                    egress: p.flags.get() & TCA_NAT_FLAG_EGRESS != 0,
                    old: p.old_addr.get().into(),
                    mask: p.mask.get().into(),
                    new: p.new_addr.get().into(),
                };
            }
        }
        Ok(n)
    }

    fn write(&self, m: &mut MsgBuilder<'_>, head: TcGen) {
        let p = TcNat {
            head,
            old_addr: u32::from(self.old).into(),
            new_addr: u32::from(self.new).into(),
            mask: u32::from(self.mask).into(),
            flags: if self.egress { TCA_NAT_FLAG_EGRESS } else { 0 }.into(),
        };
        m.put(TCA_NAT_PARMS, &p);
    }
}
