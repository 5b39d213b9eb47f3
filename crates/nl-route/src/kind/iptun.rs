//! ipip, sit and ip6tnl: IP-in-IP tunnels (`IFLA_IPTUN_*`), and the
//! encapsulation types and flags GRE tunnels share with them.

use std::net::{Ipv4Addr, Ipv6Addr};

use bitflags::bitflags;
use nl_wire::{Attr, MsgBuilder};

use crate::attrs::{Codec, Native, attr_struct};
use crate::uapi::if_tunnel::*;
use crate::uapi::ip6_tunnel::*;

nl_wire::kernel_enum! {
    /// `TUNNEL_ENCAP_*`: UDP encapsulation of the outer packets.
    pub enum EncapType: u16, "encap", crate::Error {
        /// None (the default).
        None = TUNNEL_ENCAP_NONE => "none",
        /// Foo-over-UDP.
        Fou = TUNNEL_ENCAP_FOU => "fou",
        /// Generic UDP encapsulation.
        Gue = TUNNEL_ENCAP_GUE => "gue",
        /// MPLS.
        Mpls = TUNNEL_ENCAP_MPLS => "mpls",
    }
}

bitflags! {
    /// `TUNNEL_ENCAP_FLAG_*`.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
    pub struct TunnelEncapFlags: u16 {
        /// UDP checksum over IPv4 (`encap-csum`).
        const CSUM = TUNNEL_ENCAP_FLAG_CSUM;
        /// UDP checksum over IPv6 (`encap-udp6-csum`).
        const CSUM6 = TUNNEL_ENCAP_FLAG_CSUM6;
        /// Remote checksum offload (`encap-remcsum`).
        const REMCSUM = TUNNEL_ENCAP_FLAG_REMCSUM;
        // Keep bits the library does not name.
        const _ = !0;
    }
}

impl Codec<TunnelEncapFlags> for Native {
    fn read(a: &Attr<'_>) -> nl_wire::Result<TunnelEncapFlags> {
        a.u16().map(TunnelEncapFlags::from_bits_retain)
    }
    fn write(v: &TunnelEncapFlags, m: &mut MsgBuilder<'_>, ty: u16) {
        m.put_u16(ty, v.bits());
    }
}

bitflags! {
    /// `IP6_TNL_F_*` (`<linux/ip6_tunnel.h>`) of ip6tnl and ip6gre tunnels.
    /// Read back, they also carry the kernel's own capability bits
    /// (`IP6_TNL_F_CAP_*`, 0x10000 and up), kept as unnamed bits.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
    pub struct Ip6TunnelFlags: u32 {
        /// Don't add the encapsulation limit option.
        const IGN_ENCAP_LIMIT = IP6_TNL_F_IGN_ENCAP_LIMIT;
        /// Copy the traffic class from the inner packet.
        const USE_ORIG_TCLASS = IP6_TNL_F_USE_ORIG_TCLASS;
        /// Copy the flow label from the inner packet.
        const USE_ORIG_FLOWLABEL = IP6_TNL_F_USE_ORIG_FLOWLABEL;
        /// Mobile IPv6 device.
        const MIP6_DEV = IP6_TNL_F_MIP6_DEV;
        /// Copy DSCP from the outer packet on receive.
        const RCV_DSCP_COPY = IP6_TNL_F_RCV_DSCP_COPY;
        /// Copy the firewall mark from the inner packet.
        const USE_ORIG_FWMARK = IP6_TNL_F_USE_ORIG_FWMARK;
        /// Allow local and remote on the same host.
        const ALLOW_LOCAL_REMOTE = IP6_TNL_F_ALLOW_LOCAL_REMOTE;
        // Keep bits the library does not name.
        const _ = !0;
    }
}

impl Codec<Ip6TunnelFlags> for Native {
    fn read(a: &Attr<'_>) -> nl_wire::Result<Ip6TunnelFlags> {
        a.u32().map(Ip6TunnelFlags::from_bits_retain)
    }
    fn write(v: &Ip6TunnelFlags, m: &mut MsgBuilder<'_>, ty: u16) {
        m.put_u32(ty, v.bits());
    }
}

attr_struct! {
    /// ipip and sit tunnel settings (IPv4 outer header).
    pub struct IpTunnel {
        /// Underlying device index, 0 for none (`u32`).
        link: u32 = IFLA_IPTUN_LINK,
        /// Local address.
        local: Ipv4Addr = IFLA_IPTUN_LOCAL,
        /// Remote address.
        remote: Ipv4Addr = IFLA_IPTUN_REMOTE,
        /// TTL, 0 to inherit (`u8`).
        ttl: u8 = IFLA_IPTUN_TTL,
        /// TOS, 1 to inherit (`u8`).
        tos: u8 = IFLA_IPTUN_TOS,
        /// Path MTU discovery, i.e. DF set (`u8`; on by default).
        pmtudisc: bool = IFLA_IPTUN_PMTUDISC => Bool8,
        /// Inner protocol (`u8`): ipip takes 4 (IPv4, the default), 137
        /// (MPLS) or 0 (any); sit takes 41 (IPv6, the default), 4, 137 or 0.
        proto: u8 = IFLA_IPTUN_PROTO,
        /// sit only: `SIT_ISATAP` (`u16`, host order as `ip` sends it).
        flags: u16 = IFLA_IPTUN_FLAGS,
        /// Firewall mark of the outer packets (`u32`).
        fwmark: u32 = IFLA_IPTUN_FWMARK,
        /// Outer UDP encapsulation (`u16`).
        encap_type: EncapType = IFLA_IPTUN_ENCAP_TYPE => Enum,
        /// `TUNNEL_ENCAP_FLAG_*` (`u16`).
        encap_flags: TunnelEncapFlags = IFLA_IPTUN_ENCAP_FLAGS,
        /// Encapsulation UDP source port, 0 for automatic (`__be16`).
        encap_sport: u16 = IFLA_IPTUN_ENCAP_SPORT => Be16,
        /// Encapsulation UDP destination port (`__be16`).
        encap_dport: u16 = IFLA_IPTUN_ENCAP_DPORT => Be16,
        /// ipip only: external control plane (flag).
        collect_metadata: bool = IFLA_IPTUN_COLLECT_METADATA => Flag,
        /// sit only: 6rd prefix.
        ip6rd_prefix: Ipv6Addr = IFLA_IPTUN_6RD_PREFIX,
        /// sit only: 6rd relay prefix.
        ip6rd_relay_prefix: Ipv4Addr = IFLA_IPTUN_6RD_RELAY_PREFIX,
        /// sit only: 6rd prefix length (`u16`).
        ip6rd_prefixlen: u16 = IFLA_IPTUN_6RD_PREFIXLEN,
        /// sit only: 6rd relay prefix length (`u16`).
        ip6rd_relay_prefixlen: u16 = IFLA_IPTUN_6RD_RELAY_PREFIXLEN,
    }
}

attr_struct! {
    /// ip6tnl tunnel settings (IPv6 outer header).
    pub struct Ip6Tunnel {
        /// Underlying device index, 0 for none (`u32`).
        link: u32 = IFLA_IPTUN_LINK,
        /// Local address.
        local: Ipv6Addr = IFLA_IPTUN_LOCAL,
        /// Remote address.
        remote: Ipv6Addr = IFLA_IPTUN_REMOTE,
        /// Hop limit (`u8`).
        ttl: u8 = IFLA_IPTUN_TTL,
        /// Encapsulation limit option (`u8`).
        encap_limit: u8 = IFLA_IPTUN_ENCAP_LIMIT,
        /// Traffic class and flow label (`__be32`).
        flowinfo: u32 = IFLA_IPTUN_FLOWINFO => Be32,
        /// `IP6_TNL_F_*` (`u32`).
        flags: Ip6TunnelFlags = IFLA_IPTUN_FLAGS,
        /// Inner protocol (`u8`): 41 (IPv6, `ip6ip6`), 4 (IPv4, `ipip6`) or
        /// 0 (any).
        proto: u8 = IFLA_IPTUN_PROTO,
        /// Firewall mark of the outer packets (`u32`).
        fwmark: u32 = IFLA_IPTUN_FWMARK,
        /// Outer UDP encapsulation (`u16`).
        encap_type: EncapType = IFLA_IPTUN_ENCAP_TYPE => Enum,
        /// `TUNNEL_ENCAP_FLAG_*` (`u16`).
        encap_flags: TunnelEncapFlags = IFLA_IPTUN_ENCAP_FLAGS,
        /// Encapsulation UDP source port (`__be16`).
        encap_sport: u16 = IFLA_IPTUN_ENCAP_SPORT => Be16,
        /// Encapsulation UDP destination port (`__be16`).
        encap_dport: u16 = IFLA_IPTUN_ENCAP_DPORT => Be16,
        /// External control plane (flag).
        collect_metadata: bool = IFLA_IPTUN_COLLECT_METADATA => Flag,
    }
}

impl IpTunnel {
    /// A tunnel between two addresses.
    pub fn between(local: Ipv4Addr, remote: Ipv4Addr) -> Self {
        IpTunnel {
            local: Some(local),
            remote: Some(remote),
            ..IpTunnel::default()
        }
    }
}

crate::kind::plain_link_data!(IpTunnel, Ip6Tunnel);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kind::tests::{data_of, round_trip};
    use crate::{Link, LinkKind};

    fn every_field() -> IpTunnel {
        IpTunnel {
            link: Some(2),
            ttl: Some(32),
            tos: Some(0x20),
            pmtudisc: Some(true),
            proto: Some(4),
            flags: Some(SIT_ISATAP),
            fwmark: Some(3),
            encap_type: Some(EncapType::Gue),
            encap_flags: Some(TunnelEncapFlags::CSUM | TunnelEncapFlags::REMCSUM),
            encap_sport: Some(1000),
            encap_dport: Some(6080),
            collect_metadata: Some(true),
            ip6rd_prefix: Some("2001:db8::".parse().unwrap()),
            ip6rd_relay_prefix: Some("192.0.2.0".parse().unwrap()),
            ip6rd_prefixlen: Some(32),
            ip6rd_relay_prefixlen: Some(24),
            ..IpTunnel::between(
                "192.0.2.1".parse().unwrap(),
                "198.51.100.1".parse().unwrap(),
            )
        }
    }

    #[test]
    fn every_field_round_trips() {
        for kind in [LinkKind::Ipip(every_field()), LinkKind::Sit(every_field())] {
            let link = Link::new("tnl0").kind(kind);
            assert_eq!(round_trip(&link), link);
        }
        let ip6 = Ip6Tunnel {
            link: Some(2),
            ttl: Some(40),
            encap_limit: Some(5),
            flowinfo: Some(0x0005_4321),
            flags: Some(Ip6TunnelFlags::IGN_ENCAP_LIMIT | Ip6TunnelFlags::from_bits_retain(0x100)),
            proto: Some(41),
            fwmark: Some(11),
            encap_type: Some(EncapType::Other(9)),
            encap_flags: Some(TunnelEncapFlags::CSUM6),
            encap_sport: Some(1),
            encap_dport: Some(2),
            collect_metadata: Some(true),
            ..match LinkKind::ip6tnl(
                "2001:db8::1".parse().unwrap(),
                "2001:db8::2".parse().unwrap(),
            ) {
                LinkKind::Ip6Tnl(t) => t,
                _ => unreachable!(),
            }
        };
        let link = Link::new("ip6tnl1").kind(LinkKind::Ip6Tnl(ip6));
        assert_eq!(round_trip(&link), link);
    }

    #[test]
    fn widths_follow_the_kernel() {
        // sit flags are 16 bits, ip6tnl flags 32, flowinfo network order.
        let sit = Link::new("sit1").kind(LinkKind::Sit(IpTunnel {
            flags: Some(SIT_ISATAP),
            ..IpTunnel::default()
        }));
        let data = data_of(&sit);
        assert_eq!(data.len(), 8);
        assert_eq!(&data[4..6], &1u16.to_ne_bytes());
        let ip6 = Link::new("ip6t").kind(LinkKind::Ip6Tnl(Ip6Tunnel {
            flowinfo: Some(0x0005_4321),
            flags: Some(Ip6TunnelFlags::USE_ORIG_TCLASS),
            ..Ip6Tunnel::default()
        }));
        let data = data_of(&ip6);
        assert_eq!(&data[4..8], &[0, 5, 0x43, 0x21]);
        assert_eq!(&data[12..16], &2u32.to_ne_bytes());
    }

    #[test]
    fn words_are_ips() {
        assert_eq!(EncapType::Fou.to_string(), "fou");
        assert_eq!("gue".parse::<EncapType>().ok(), Some(EncapType::Gue));
    }
}
