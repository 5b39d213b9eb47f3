//! vlan: 802.1Q and 802.1ad VLAN devices on a lower device (`IFLA_VLAN_*`).

use bitflags::bitflags;
use nl_wire::{Attr, Attrs, MsgBuilder};

use crate::attrs::{Be16, Codec, attr_struct};
use crate::error::Result;
use crate::kind::LinkData;
use crate::link::Link;
use crate::uapi::if_ether::{ETH_P_8021AD, ETH_P_8021Q};
use crate::uapi::if_link::{
    IFLA_VLAN_EGRESS_QOS, IFLA_VLAN_FLAGS, IFLA_VLAN_ID, IFLA_VLAN_INGRESS_QOS, IFLA_VLAN_PROTOCOL,
    IFLA_VLAN_QOS_MAPPING,
};
use crate::uapi::if_vlan::{
    VLAN_FLAG_BRIDGE_BINDING, VLAN_FLAG_GVRP, VLAN_FLAG_LOOSE_BINDING, VLAN_FLAG_MVRP,
    VLAN_FLAG_REORDER_HDR,
};
use crate::uapi::types::{IflaVlanFlags, IflaVlanQosMapping};

nl_wire::kernel_enum! {
    /// The VLAN tag's EtherType (`IFLA_VLAN_PROTOCOL`, network order).
    pub enum VlanProtocol: u16, "protocol", crate::Error {
        /// 802.1Q customer tag, 0x8100 (the kernel's default).
        Dot1Q = ETH_P_8021Q => "802.1Q",
        /// 802.1ad service tag (QinQ), 0x88a8.
        Dot1Ad = ETH_P_8021AD => "802.1ad",
    }
}

impl Codec<VlanProtocol> for Be16 {
    fn read(a: &Attr<'_>) -> nl_wire::Result<VlanProtocol> {
        a.be16().map(VlanProtocol::from)
    }
    fn write(v: &VlanProtocol, m: &mut MsgBuilder<'_>, ty: u16) {
        m.put_be16(ty, (*v).into());
    }
}

bitflags! {
    /// `VLAN_FLAG_*` (`<linux/if_vlan.h>`), as `ip -d link` lists them.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
    pub struct VlanFlags: u32 {
        /// Move the tag out of the packet data on receive (the kernel's default).
        const REORDER_HDR = VLAN_FLAG_REORDER_HDR;
        /// Register the VLAN with GVRP.
        const GVRP = VLAN_FLAG_GVRP;
        /// Operational state follows the lower device only loosely.
        const LOOSE_BINDING = VLAN_FLAG_LOOSE_BINDING;
        /// Register the VLAN with MVRP.
        const MVRP = VLAN_FLAG_MVRP;
        /// Operational state follows the bridge VLAN's ports.
        const BRIDGE_BINDING = VLAN_FLAG_BRIDGE_BINDING;
        // Keep bits the library does not name.
        const _ = !0;
    }
}

impl VlanFlags {
    /// The flags this library (and Linux 5.0+) knows: the mask written with
    /// [`Vlan::flags`] when no other is given. The kernel refuses a mask
    /// with any other bit.
    pub const KNOWN: VlanFlags = VlanFlags::REORDER_HDR
        .union(VlanFlags::GVRP)
        .union(VlanFlags::LOOSE_BINDING)
        .union(VlanFlags::MVRP)
        .union(VlanFlags::BRIDGE_BINDING);
}

/// One priority mapping (`struct ifla_vlan_qos_mapping`).
///
/// Ingress maps the tag's priority (`from`, 0-7) to the packet's priority
/// (`to`); egress maps the packet's priority (`from`) to the tag's (`to`,
/// 0-7). The kernel reports only mappings whose result is not 0.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, PartialOrd, Ord)]
pub struct QosMapping {
    /// Source priority.
    pub from: u32,
    /// Resulting priority.
    pub to: u32,
}

attr_struct! {
    /// VLAN settings (the lower device goes in
    /// [`Link::parent`](crate::Link::parent)).
    pub struct Vlan {
        /// VLAN id, 0-4094 (`u16`). Required when creating.
        id: u16 = IFLA_VLAN_ID,
        /// Tag protocol (`__be16`).
        protocol: VlanProtocol = IFLA_VLAN_PROTOCOL => Be16,
    }
    extra {
        /// Flags (`struct ifla_vlan_flags`). When written, the flags in
        /// [`Vlan::flags_mask`] (by default [`VlanFlags::KNOWN`]) are set
        /// to these values.
        pub flags: Option<VlanFlags>,
        /// Request only: which flags a request changes (the kernel always
        /// reports an all-ones mask, which is not read back).
        pub flags_mask: Option<VlanFlags>,
        /// Ingress priority mappings (`IFLA_VLAN_INGRESS_QOS`).
        pub ingress_qos: Vec<QosMapping>,
        /// Egress priority mappings (`IFLA_VLAN_EGRESS_QOS`).
        pub egress_qos: Vec<QosMapping>,
    }
}

fn parse_map(a: &Attr<'_>, out: &mut Vec<QosMapping>) -> nl_wire::Result<()> {
    for m in a.nested() {
        let m = m?;
        if m.ty() == IFLA_VLAN_QOS_MAPPING {
            let q: IflaVlanQosMapping = m.read();
            out.push(QosMapping {
                from: q.from.get(),
                to: q.to.get(),
            });
        }
    }
    Ok(())
}

fn write_map(m: &mut MsgBuilder<'_>, ty: u16, map: &[QosMapping]) {
    if map.is_empty() {
        return;
    }
    m.nest(ty, |m| {
        for q in map {
            m.put(
                IFLA_VLAN_QOS_MAPPING,
                &IflaVlanQosMapping {
                    from: q.from.into(),
                    to: q.to.into(),
                },
            );
        }
    });
}

impl LinkData for Vlan {
    fn parse(data: Attrs<'_>) -> nl_wire::Result<Self> {
        let mut v = Vlan::default();
        for a in data {
            let a = a?;
            match a.ty() {
                IFLA_VLAN_FLAGS => {
                    let f: IflaVlanFlags = a.read();
                    v.flags = Some(VlanFlags::from_bits_retain(f.flags.get()));
                }
                IFLA_VLAN_INGRESS_QOS => parse_map(&a, &mut v.ingress_qos)?,
                IFLA_VLAN_EGRESS_QOS => parse_map(&a, &mut v.egress_qos)?,
                _ => {
                    v.parse_attr(&a)?;
                }
            }
        }
        Ok(v)
    }

    fn write(&self, m: &mut MsgBuilder<'_>, _kind: &str, _link: &Link) -> Result<()> {
        self.write_attrs(m);
        if let Some(flags) = self.flags {
            let mask = self.flags_mask.unwrap_or(VlanFlags::KNOWN);
            m.put(
                IFLA_VLAN_FLAGS,
                &IflaVlanFlags {
                    flags: (flags & mask).bits().into(),
                    mask: mask.bits().into(),
                },
            );
        }
        write_map(m, IFLA_VLAN_INGRESS_QOS, &self.ingress_qos);
        write_map(m, IFLA_VLAN_EGRESS_QOS, &self.egress_qos);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kind::tests::{data_of, round_trip};
    use crate::{Link, LinkKind};

    #[test]
    fn every_field_round_trips() {
        let v = Vlan {
            id: Some(100),
            protocol: Some(VlanProtocol::Dot1Ad),
            flags: Some(VlanFlags::REORDER_HDR | VlanFlags::LOOSE_BINDING),
            flags_mask: None,
            ingress_qos: vec![QosMapping { from: 1, to: 2 }, QosMapping { from: 7, to: 9 }],
            egress_qos: vec![QosMapping { from: 3, to: 5 }],
        };
        let link = Link::new("v100").link(2).kind(LinkKind::Vlan(v));
        assert_eq!(round_trip(&link), link);
        let other = Link::new("v1").kind(LinkKind::Vlan(Vlan {
            protocol: Some(VlanProtocol::Other(0x9100)),
            ..Vlan::default()
        }));
        assert_eq!(round_trip(&other), other);
    }

    #[test]
    fn protocol_is_network_order_and_flags_carry_a_mask() {
        let link = Link::new("v5").kind(LinkKind::Vlan(Vlan {
            id: Some(5),
            protocol: Some(VlanProtocol::Dot1Ad),
            flags: Some(VlanFlags::GVRP),
            ..Vlan::default()
        }));
        let data = data_of(&link);
        // IFLA_VLAN_ID u16 host order, IFLA_VLAN_PROTOCOL be16, IFLA_VLAN_FLAGS {flags, mask}.
        assert_eq!(
            &data[2..6],
            &[&1u16.to_ne_bytes()[..], &5u16.to_ne_bytes()].concat()
        );
        assert_eq!(
            &data[10..14],
            &[&5u16.to_ne_bytes()[..], &[0x88, 0xa8]].concat()
        );
        assert_eq!(&data[18..20], &2u16.to_ne_bytes());
        assert_eq!(&data[20..24], &2u32.to_ne_bytes());
        assert_eq!(&data[24..28], &0x1fu32.to_ne_bytes());
        // The kernel's all-ones mask is not read back; only the flags are.
        let parsed = round_trip(&link);
        let Some(LinkKind::Vlan(v)) = parsed.kind else {
            panic!("not a vlan")
        };
        assert_eq!(v.flags, Some(VlanFlags::GVRP));
        assert_eq!(v.flags_mask, None);
    }

    #[test]
    fn an_explicit_mask_changes_only_those_flags() {
        let link = Link::new("v5").kind(LinkKind::Vlan(Vlan {
            flags: Some(VlanFlags::MVRP),
            flags_mask: Some(VlanFlags::MVRP | VlanFlags::GVRP),
            ..Vlan::default()
        }));
        let data = data_of(&link);
        assert_eq!(&data[4..8], &8u32.to_ne_bytes());
        assert_eq!(&data[8..12], &10u32.to_ne_bytes());
    }

    #[test]
    fn words_are_ips() {
        assert_eq!(VlanProtocol::Dot1Ad.to_string(), "802.1ad");
        assert_eq!(VlanProtocol::Dot1Q.to_string(), "802.1Q");
        assert_eq!(
            "802.1q".parse::<VlanProtocol>().ok(),
            Some(VlanProtocol::Dot1Q)
        );
        assert_eq!(u16::from(VlanProtocol::Dot1Ad), 0x88a8);
    }
}
