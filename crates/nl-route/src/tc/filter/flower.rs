//! `flower`: flow-key matches.

use std::net::{Ipv4Addr, Ipv6Addr};

use nl_wire::{Attrs, HwAddr, MsgBuilder};

use crate::attrs::attr_struct;
use crate::error::Result;
use crate::tc::action::Action;
use crate::tc::filter::{FilterOptions, Protocol};
use crate::uapi::pkt_cls::*;

attr_struct! {
    /// flower options: each key with its mask (absent mask: exact).
    pub struct Flower {
        /// Ethertype (`ETH_TYPE`, usually the filter's protocol; written
        /// from it when unset).
        eth_type: u16 = TCA_FLOWER_KEY_ETH_TYPE => Be16,
        /// Destination MAC.
        eth_dst: HwAddr = TCA_FLOWER_KEY_ETH_DST,
        /// Its mask.
        eth_dst_mask: HwAddr = TCA_FLOWER_KEY_ETH_DST_MASK,
        /// Source MAC.
        eth_src: HwAddr = TCA_FLOWER_KEY_ETH_SRC,
        /// Its mask.
        eth_src_mask: HwAddr = TCA_FLOWER_KEY_ETH_SRC_MASK,
        /// IP protocol (`ip_proto tcp` is 6).
        ip_proto: u8 = TCA_FLOWER_KEY_IP_PROTO,
        /// IPv4 source.
        ipv4_src: Ipv4Addr = TCA_FLOWER_KEY_IPV4_SRC,
        /// Its mask.
        ipv4_src_mask: Ipv4Addr = TCA_FLOWER_KEY_IPV4_SRC_MASK,
        /// IPv4 destination.
        ipv4_dst: Ipv4Addr = TCA_FLOWER_KEY_IPV4_DST,
        /// Its mask.
        ipv4_dst_mask: Ipv4Addr = TCA_FLOWER_KEY_IPV4_DST_MASK,
        /// IPv6 source.
        ipv6_src: Ipv6Addr = TCA_FLOWER_KEY_IPV6_SRC,
        /// Its mask.
        ipv6_src_mask: Ipv6Addr = TCA_FLOWER_KEY_IPV6_SRC_MASK,
        /// IPv6 destination.
        ipv6_dst: Ipv6Addr = TCA_FLOWER_KEY_IPV6_DST,
        /// Its mask.
        ipv6_dst_mask: Ipv6Addr = TCA_FLOWER_KEY_IPV6_DST_MASK,
        /// TCP source port.
        tcp_src: u16 = TCA_FLOWER_KEY_TCP_SRC => Be16,
        /// TCP destination port.
        tcp_dst: u16 = TCA_FLOWER_KEY_TCP_DST => Be16,
        /// UDP source port.
        udp_src: u16 = TCA_FLOWER_KEY_UDP_SRC => Be16,
        /// UDP destination port.
        udp_dst: u16 = TCA_FLOWER_KEY_UDP_DST => Be16,
        /// VLAN id.
        vlan_id: u16 = TCA_FLOWER_KEY_VLAN_ID,
        /// VLAN priority.
        vlan_prio: u8 = TCA_FLOWER_KEY_VLAN_PRIO,
        /// Ethertype inside the VLAN tag.
        vlan_eth_type: u16 = TCA_FLOWER_KEY_VLAN_ETH_TYPE => Be16,
        /// IP TOS.
        ip_tos: u8 = TCA_FLOWER_KEY_IP_TOS,
        /// Its mask.
        ip_tos_mask: u8 = TCA_FLOWER_KEY_IP_TOS_MASK,
        /// IP TTL.
        ip_ttl: u8 = TCA_FLOWER_KEY_IP_TTL,
        /// Its mask.
        ip_ttl_mask: u8 = TCA_FLOWER_KEY_IP_TTL_MASK,
        /// Class of matching packets.
        classid: u32 = TCA_FLOWER_CLASSID,
        /// Only packets from this device.
        indev: String = TCA_FLOWER_INDEV,
        /// `TCA_CLS_FLAGS_*` (`skip_hw`, `skip_sw`; `in_hw` reported).
        flags: u32 = TCA_FLOWER_FLAGS,
    }
    extra {
        /// Actions.
        pub actions: Vec<Action>,
    }
}

impl FilterOptions for Flower {
    fn parse(options: Attrs<'_>) -> nl_wire::Result<Self> {
        let mut f = Flower::default();
        for a in options {
            let a = a?;
            match a.ty() {
                TCA_FLOWER_ACT => f.actions = Action::parse_list(&a)?,
                _ => {
                    f.parse_attr(&a)?;
                }
            }
        }
        Ok(f)
    }

    /// The key's ethertype defaults to the filter's protocol.
    fn write(&self, m: &mut MsgBuilder<'_>, protocol: Protocol) -> Result<()> {
        let mut f = self.clone();
        if f.eth_type.is_none() && protocol != Protocol::ALL {
            f.eth_type = Some(protocol.0);
        }
        f.write_attrs(m);
        Action::write_list(&f.actions, m, TCA_FLOWER_ACT)
    }

    fn actions(&self) -> &[Action] {
        &self.actions
    }
}
