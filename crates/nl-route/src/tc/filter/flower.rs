//! `flower`: flow-key matches.

use std::net::{Ipv4Addr, Ipv6Addr};

use nl_wire::netlink::NLA_F_NESTED;
use nl_wire::{Attr, Attrs, HwAddr, MsgBuilder};

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
        /// TCP source port mask (absent: exact).
        tcp_src_mask: u16 = TCA_FLOWER_KEY_TCP_SRC_MASK => Be16,
        /// TCP destination port mask.
        tcp_dst_mask: u16 = TCA_FLOWER_KEY_TCP_DST_MASK => Be16,
        /// UDP source port mask.
        udp_src_mask: u16 = TCA_FLOWER_KEY_UDP_SRC_MASK => Be16,
        /// UDP destination port mask.
        udp_dst_mask: u16 = TCA_FLOWER_KEY_UDP_DST_MASK => Be16,
        /// SCTP source port.
        sctp_src: u16 = TCA_FLOWER_KEY_SCTP_SRC => Be16,
        /// SCTP destination port.
        sctp_dst: u16 = TCA_FLOWER_KEY_SCTP_DST => Be16,
        /// SCTP source port mask.
        sctp_src_mask: u16 = TCA_FLOWER_KEY_SCTP_SRC_MASK => Be16,
        /// SCTP destination port mask.
        sctp_dst_mask: u16 = TCA_FLOWER_KEY_SCTP_DST_MASK => Be16,
        /// Lowest source port of a range (`src_port MIN-MAX`).
        port_src_min: u16 = TCA_FLOWER_KEY_PORT_SRC_MIN => Be16,
        /// Highest source port of the range.
        port_src_max: u16 = TCA_FLOWER_KEY_PORT_SRC_MAX => Be16,
        /// Lowest destination port of a range (`dst_port MIN-MAX`).
        port_dst_min: u16 = TCA_FLOWER_KEY_PORT_DST_MIN => Be16,
        /// Highest destination port of the range.
        port_dst_max: u16 = TCA_FLOWER_KEY_PORT_DST_MAX => Be16,
        /// TCP flags (`tcp_flags`).
        tcp_flags: u16 = TCA_FLOWER_KEY_TCP_FLAGS => Be16,
        /// Their mask.
        tcp_flags_mask: u16 = TCA_FLOWER_KEY_TCP_FLAGS_MASK => Be16,
        /// `TCA_FLOWER_KEY_FLAGS_*` (`ip_flags frag/firstfrag`).
        key_flags: u32 = TCA_FLOWER_KEY_FLAGS => Be32,
        /// Their mask.
        key_flags_mask: u32 = TCA_FLOWER_KEY_FLAGS_MASK => Be32,
        /// ICMP type (IPv4).
        icmpv4_type: u8 = TCA_FLOWER_KEY_ICMPV4_TYPE,
        /// Its mask.
        icmpv4_type_mask: u8 = TCA_FLOWER_KEY_ICMPV4_TYPE_MASK,
        /// ICMP code (IPv4).
        icmpv4_code: u8 = TCA_FLOWER_KEY_ICMPV4_CODE,
        /// Its mask.
        icmpv4_code_mask: u8 = TCA_FLOWER_KEY_ICMPV4_CODE_MASK,
        /// ICMPv6 type.
        icmpv6_type: u8 = TCA_FLOWER_KEY_ICMPV6_TYPE,
        /// Its mask.
        icmpv6_type_mask: u8 = TCA_FLOWER_KEY_ICMPV6_TYPE_MASK,
        /// ICMPv6 code.
        icmpv6_code: u8 = TCA_FLOWER_KEY_ICMPV6_CODE,
        /// Its mask.
        icmpv6_code_mask: u8 = TCA_FLOWER_KEY_ICMPV6_CODE_MASK,
        /// ARP sender address.
        arp_sip: Ipv4Addr = TCA_FLOWER_KEY_ARP_SIP,
        /// Its mask.
        arp_sip_mask: Ipv4Addr = TCA_FLOWER_KEY_ARP_SIP_MASK,
        /// ARP target address.
        arp_tip: Ipv4Addr = TCA_FLOWER_KEY_ARP_TIP,
        /// Its mask.
        arp_tip_mask: Ipv4Addr = TCA_FLOWER_KEY_ARP_TIP_MASK,
        /// ARP opcode.
        arp_op: u8 = TCA_FLOWER_KEY_ARP_OP,
        /// Its mask.
        arp_op_mask: u8 = TCA_FLOWER_KEY_ARP_OP_MASK,
        /// ARP sender MAC.
        arp_sha: HwAddr = TCA_FLOWER_KEY_ARP_SHA,
        /// Its mask.
        arp_sha_mask: HwAddr = TCA_FLOWER_KEY_ARP_SHA_MASK,
        /// ARP target MAC.
        arp_tha: HwAddr = TCA_FLOWER_KEY_ARP_THA,
        /// Its mask.
        arp_tha_mask: HwAddr = TCA_FLOWER_KEY_ARP_THA_MASK,
        /// Outermost MPLS label (`mpls_label`).
        mpls_label: u32 = TCA_FLOWER_KEY_MPLS_LABEL,
        /// Its traffic class (`mpls_tc`).
        mpls_tc: u8 = TCA_FLOWER_KEY_MPLS_TC,
        /// Its bottom-of-stack bit (`mpls_bos`).
        mpls_bos: u8 = TCA_FLOWER_KEY_MPLS_BOS,
        /// Its TTL (`mpls_ttl`).
        mpls_ttl: u8 = TCA_FLOWER_KEY_MPLS_TTL,
        /// Inner VLAN id (`cvlan_id`, QinQ).
        cvlan_id: u16 = TCA_FLOWER_KEY_CVLAN_ID,
        /// Inner VLAN priority.
        cvlan_prio: u8 = TCA_FLOWER_KEY_CVLAN_PRIO,
        /// Ethertype inside the inner VLAN tag.
        cvlan_eth_type: u16 = TCA_FLOWER_KEY_CVLAN_ETH_TYPE => Be16,
        /// How many VLAN tags the packet carries (`num_of_vlans`).
        num_of_vlans: u8 = TCA_FLOWER_KEY_NUM_OF_VLANS,
        /// PPPoE session id (`pppoe_sid`, with protocol `ppp_ses`).
        pppoe_sid: u16 = TCA_FLOWER_KEY_PPPOE_SID => Be16,
        /// PPP protocol inside the session (`ppp_proto`: 0x21 is IPv4).
        ppp_proto: u16 = TCA_FLOWER_KEY_PPP_PROTO => Be16,
        /// Tunnel key id (`enc_key_id`: VNI, GRE key).
        enc_key_id: u32 = TCA_FLOWER_KEY_ENC_KEY_ID => Be32,
        /// Tunnel outer IPv4 source (`enc_src_ip`).
        enc_ipv4_src: Ipv4Addr = TCA_FLOWER_KEY_ENC_IPV4_SRC,
        /// Its mask.
        enc_ipv4_src_mask: Ipv4Addr = TCA_FLOWER_KEY_ENC_IPV4_SRC_MASK,
        /// Tunnel outer IPv4 destination (`enc_dst_ip`).
        enc_ipv4_dst: Ipv4Addr = TCA_FLOWER_KEY_ENC_IPV4_DST,
        /// Its mask.
        enc_ipv4_dst_mask: Ipv4Addr = TCA_FLOWER_KEY_ENC_IPV4_DST_MASK,
        /// Tunnel outer IPv6 source.
        enc_ipv6_src: Ipv6Addr = TCA_FLOWER_KEY_ENC_IPV6_SRC,
        /// Its mask.
        enc_ipv6_src_mask: Ipv6Addr = TCA_FLOWER_KEY_ENC_IPV6_SRC_MASK,
        /// Tunnel outer IPv6 destination.
        enc_ipv6_dst: Ipv6Addr = TCA_FLOWER_KEY_ENC_IPV6_DST,
        /// Its mask.
        enc_ipv6_dst_mask: Ipv6Addr = TCA_FLOWER_KEY_ENC_IPV6_DST_MASK,
        /// Tunnel outer UDP source port.
        enc_udp_src_port: u16 = TCA_FLOWER_KEY_ENC_UDP_SRC_PORT => Be16,
        /// Its mask.
        enc_udp_src_port_mask: u16 = TCA_FLOWER_KEY_ENC_UDP_SRC_PORT_MASK => Be16,
        /// Tunnel outer UDP destination port (`enc_dst_port`).
        enc_udp_dst_port: u16 = TCA_FLOWER_KEY_ENC_UDP_DST_PORT => Be16,
        /// Its mask.
        enc_udp_dst_port_mask: u16 = TCA_FLOWER_KEY_ENC_UDP_DST_PORT_MASK => Be16,
        /// Tunnel outer TOS (`enc_tos`).
        enc_ip_tos: u8 = TCA_FLOWER_KEY_ENC_IP_TOS,
        /// Its mask.
        enc_ip_tos_mask: u8 = TCA_FLOWER_KEY_ENC_IP_TOS_MASK,
        /// Tunnel outer TTL (`enc_ttl`).
        enc_ip_ttl: u8 = TCA_FLOWER_KEY_ENC_IP_TTL,
        /// Its mask.
        enc_ip_ttl_mask: u8 = TCA_FLOWER_KEY_ENC_IP_TTL_MASK,
        /// Connection tracking state (`ct_state`: `TCA_FLOWER_KEY_CT_FLAGS_*`).
        ct_state: u16 = TCA_FLOWER_KEY_CT_STATE,
        /// Its mask (`+trk-new` sets the bits named).
        ct_state_mask: u16 = TCA_FLOWER_KEY_CT_STATE_MASK,
        /// Conntrack zone (`ct_zone`).
        ct_zone: u16 = TCA_FLOWER_KEY_CT_ZONE,
        /// Its mask.
        ct_zone_mask: u16 = TCA_FLOWER_KEY_CT_ZONE_MASK,
        /// Conntrack mark (`ct_mark`).
        ct_mark: u32 = TCA_FLOWER_KEY_CT_MARK,
        /// Its mask.
        ct_mark_mask: u32 = TCA_FLOWER_KEY_CT_MARK_MASK,
        /// Conntrack labels (`ct_label`, 16 bytes).
        ct_labels: Vec<u8> = TCA_FLOWER_KEY_CT_LABELS,
        /// Their mask.
        ct_labels_mask: Vec<u8> = TCA_FLOWER_KEY_CT_LABELS_MASK,
        /// Class of matching packets.
        classid: u32 = TCA_FLOWER_CLASSID,
        /// Only packets from this device.
        indev: String = TCA_FLOWER_INDEV,
        /// `TCA_CLS_FLAGS_*` (`skip_hw`, `skip_sw`; `in_hw` reported).
        flags: u32 = TCA_FLOWER_FLAGS,
        /// How many devices run it in hardware (reported).
        in_hw_count: u32 = TCA_FLOWER_IN_HW_COUNT,
    }
    extra {
        /// The MPLS label stack entries matched, by depth (`mpls lse
        /// depth 1 label 100 ...`; beside the outermost-only
        /// `mpls_label` keys, which it replaces).
        pub mpls_lses: Vec<MplsLse>,
        /// Actions.
        pub actions: Vec<Action>,
    }
}

/// One MPLS label stack entry a flower filter matches
/// (`TCA_FLOWER_KEY_MPLS_OPTS_LSE`): the fields given, at `depth` (1 is
/// the outermost).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct MplsLse {
    /// Position in the stack, from 1.
    pub depth: u8,
    /// Label (20 bits).
    pub label: Option<u32>,
    /// Traffic class (3 bits).
    pub tc: Option<u8>,
    /// Bottom-of-stack bit.
    pub bos: Option<u8>,
    /// TTL.
    pub ttl: Option<u8>,
}

impl MplsLse {
    fn parse(a: &Attr<'_>) -> nl_wire::Result<MplsLse> {
        let mut l = MplsLse::default();
        for f in a.nested() {
            let f = f?;
            match f.ty() {
                TCA_FLOWER_KEY_MPLS_OPT_LSE_DEPTH => l.depth = f.u8()?,
                TCA_FLOWER_KEY_MPLS_OPT_LSE_LABEL => l.label = Some(f.u32()?),
                TCA_FLOWER_KEY_MPLS_OPT_LSE_TC => l.tc = Some(f.u8()?),
                TCA_FLOWER_KEY_MPLS_OPT_LSE_BOS => l.bos = Some(f.u8()?),
                TCA_FLOWER_KEY_MPLS_OPT_LSE_TTL => l.ttl = Some(f.u8()?),
                _ => {}
            }
        }
        Ok(l)
    }

    fn write(&self, m: &mut MsgBuilder<'_>) {
        m.nest(TCA_FLOWER_KEY_MPLS_OPTS_LSE | NLA_F_NESTED, |m| {
            m.put_u8(TCA_FLOWER_KEY_MPLS_OPT_LSE_DEPTH, self.depth);
            if let Some(v) = self.label {
                m.put_u32(TCA_FLOWER_KEY_MPLS_OPT_LSE_LABEL, v);
            }
            if let Some(v) = self.tc {
                m.put_u8(TCA_FLOWER_KEY_MPLS_OPT_LSE_TC, v);
            }
            if let Some(v) = self.bos {
                m.put_u8(TCA_FLOWER_KEY_MPLS_OPT_LSE_BOS, v);
            }
            if let Some(v) = self.ttl {
                m.put_u8(TCA_FLOWER_KEY_MPLS_OPT_LSE_TTL, v);
            }
        });
    }
}

impl FilterOptions for Flower {
    fn parse(options: Attrs<'_>) -> nl_wire::Result<Self> {
        let mut f = Flower::default();
        for a in options {
            let a = a?;
            match a.ty() {
                TCA_FLOWER_ACT => f.actions = Action::parse_list(&a)?,
                TCA_FLOWER_KEY_MPLS_OPTS => {
                    for lse in a.nested() {
                        let lse = lse?;
                        if lse.ty() == TCA_FLOWER_KEY_MPLS_OPTS_LSE {
                            f.mpls_lses.push(MplsLse::parse(&lse)?);
                        }
                    }
                }
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
        // `in_hw` / `not_in_hw` and the count are reported, never requested: the kernel
        // refuses them, so filters read back can be written again.
        f.flags = f
            .flags
            .map(|x| x & !(TCA_CLS_FLAGS_IN_HW | TCA_CLS_FLAGS_NOT_IN_HW));
        f.in_hw_count = None;
        f.write_attrs(m);
        if !f.mpls_lses.is_empty() {
            // The kernel's policy for the label stack is strict: both
            // nests carry NLA_F_NESTED.
            m.nest(TCA_FLOWER_KEY_MPLS_OPTS | NLA_F_NESTED, |m| {
                for lse in &f.mpls_lses {
                    lse.write(m);
                }
            });
        }
        Action::write_list(&f.actions, m, TCA_FLOWER_ACT)
    }

    fn actions(&self) -> &[Action] {
        &self.actions
    }
}
