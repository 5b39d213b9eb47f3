//! geneve: Geneve tunnel devices (`IFLA_GENEVE_*`).

use std::net::IpAddr;

use nl_wire::{Attrs, MsgBuilder};

use crate::attrs::attr_struct;
use crate::error::Result;
use crate::kind::LinkData;
use crate::link::Link;
use crate::uapi::if_link::*;

nl_wire::kernel_enum! {
    /// `GENEVE_DF_*`: the outer IPv4 header's don't-fragment bit.
    pub enum GeneveDf: u8, "df", crate::Error {
        /// Not set (the default).
        Unset = GENEVE_DF_UNSET => "unset",
        /// Always set.
        Set = GENEVE_DF_SET => "set",
        /// Copied from the inner IPv4 header.
        Inherit = GENEVE_DF_INHERIT => "inherit",
    }
}

attr_struct! {
    /// Geneve settings. The remote is IPv4 or IPv6 (`IFLA_GENEVE_REMOTE` /
    /// `REMOTE6`); an external (`collect_metadata`) device has none.
    pub struct Geneve {
        /// Virtual network identifier, 24 bits (`u32`).
        id: u32 = IFLA_GENEVE_ID,
        /// Outer TTL, 0 for the route's (`u8`).
        ttl: u8 = IFLA_GENEVE_TTL,
        /// Outer TOS, 1 to inherit (`u8`).
        tos: u8 = IFLA_GENEVE_TOS,
        /// UDP destination port, 6081 by default (`__be16`).
        port: u16 = IFLA_GENEVE_PORT => Be16,
        /// External control plane: tunnel parameters per packet (flag).
        collect_metadata: bool = IFLA_GENEVE_COLLECT_METADATA => Flag,
        /// UDP checksums over IPv4 (`u8`; reported for IPv4 remotes).
        udp_csum: bool = IFLA_GENEVE_UDP_CSUM => Bool8,
        /// Send zero UDP checksums over IPv6 (`u8`; reported for IPv6 remotes).
        udp_zero_csum6_tx: bool = IFLA_GENEVE_UDP_ZERO_CSUM6_TX => Bool8,
        /// Accept zero UDP checksums over IPv6 (`u8`).
        udp_zero_csum6_rx: bool = IFLA_GENEVE_UDP_ZERO_CSUM6_RX => Bool8,
        /// IPv6 flow label, 20 bits (`__be32`; IPv6 remotes only).
        label: u32 = IFLA_GENEVE_LABEL => Be32,
        /// Outer TTL copied from the inner packet (`u8`).
        ttl_inherit: bool = IFLA_GENEVE_TTL_INHERIT => Bool8,
        /// Don't-fragment policy (`u8`).
        df: GeneveDf = IFLA_GENEVE_DF => Enum,
        /// Layer-3 device: the inner protocol comes from the packet (flag, 5.16+).
        inner_proto_inherit: bool = IFLA_GENEVE_INNER_PROTO_INHERIT => Flag,
    }
    extra {
        /// Remote address (`IFLA_GENEVE_REMOTE` or `IFLA_GENEVE_REMOTE6`).
        pub remote: Option<IpAddr>,
    }
}

impl LinkData for Geneve {
    fn parse(data: Attrs<'_>) -> nl_wire::Result<Self> {
        let mut g = Geneve::default();
        for a in data {
            let a = a?;
            match a.ty() {
                IFLA_GENEVE_REMOTE => g.remote = Some(IpAddr::V4(a.ipv4()?)),
                IFLA_GENEVE_REMOTE6 => g.remote = Some(IpAddr::V6(a.ipv6()?)),
                _ => {
                    g.parse_attr(&a)?;
                }
            }
        }
        Ok(g)
    }

    fn write(&self, m: &mut MsgBuilder<'_>, _kind: &str, _link: &Link) -> Result<()> {
        self.write_attrs(m);
        match self.remote {
            Some(IpAddr::V4(a)) => drop(m.put_ipv4(IFLA_GENEVE_REMOTE, a)),
            Some(IpAddr::V6(a)) => drop(m.put_ipv6(IFLA_GENEVE_REMOTE6, a)),
            None => {}
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kind::tests::round_trip;
    use crate::{Link, LinkKind};

    #[test]
    fn every_field_round_trips() {
        let v4 = Geneve {
            id: Some(4242),
            remote: Some("198.51.100.9".parse().unwrap()),
            ttl: Some(32),
            tos: Some(0x10),
            port: Some(6081),
            collect_metadata: None,
            udp_csum: Some(true),
            udp_zero_csum6_tx: Some(false),
            udp_zero_csum6_rx: Some(true),
            label: Some(0),
            ttl_inherit: Some(false),
            df: Some(GeneveDf::Inherit),
            inner_proto_inherit: Some(true),
        };
        let link = Link::new("gnv0").kind(LinkKind::Geneve(v4));
        assert_eq!(round_trip(&link), link);
        let v6 = Link::new("gnv6").kind(LinkKind::Geneve(Geneve {
            label: Some(0x12345),
            df: Some(GeneveDf::Other(7)),
            ..match LinkKind::geneve(7, "2001:db8::9".parse().unwrap()) {
                LinkKind::Geneve(g) => g,
                _ => unreachable!(),
            }
        }));
        assert_eq!(round_trip(&v6), v6);
        let external = Link::new("gnvx").kind(LinkKind::Geneve(Geneve {
            collect_metadata: Some(true),
            ..Geneve::default()
        }));
        assert_eq!(round_trip(&external), external);
    }

    #[test]
    fn port_and_label_are_network_order() {
        let link = Link::new("gnv0").kind(LinkKind::Geneve(Geneve {
            port: Some(6081),
            label: Some(0x12345),
            ..Geneve::default()
        }));
        let data = crate::kind::tests::data_of(&link);
        assert_eq!(&data[4..6], &[0x17, 0xc1]);
        assert_eq!(&data[12..16], &[0, 1, 0x23, 0x45]);
    }
}
