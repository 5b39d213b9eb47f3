//! gre, gretap, ip6gre, ip6gretap, erspan and ip6erspan: GRE tunnels
//! (`IFLA_GRE_*`).
//!
//! One struct serves all six kinds, as the attributes do: the IPv4 kinds
//! use `tos`, `pmtudisc` and `ignore_df`; the IPv6 kinds use
//! `encap_limit`, `flowinfo` and `flags`; the erspan kinds add the
//! `erspan_*` fields. Addresses must match the kind's family.

use std::net::IpAddr;

use bitflags::bitflags;
use nl_wire::{Attr, Attrs, MsgBuilder};

use crate::attrs::{Be16, Codec, attr_struct};
use crate::error::{Error, Result};
use crate::kind::LinkData;
use crate::kind::iptun::{EncapType, Ip6TunnelFlags, TunnelEncapFlags};
use crate::link::Link;
use crate::uapi::if_tunnel::*;

bitflags! {
    /// GRE header flags (`GRE_*` of `<linux/if_tunnel.h>`), as the first
    /// 16 bits of the GRE header read in network order: the kernel carries
    /// them as `__be16` in `IFLA_GRE_IFLAGS` / `OFLAGS`.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
    pub struct GreFlags: u16 {
        /// Checksum present (`csum`).
        const CSUM = 0x8000;
        /// Routing present (refused by the kernel).
        const ROUTING = 0x4000;
        /// Key present (`key`): set it with `ikey` / `okey`.
        const KEY = 0x2000;
        /// Sequence number present (`seq`).
        const SEQ = 0x1000;
        /// Strict source route.
        const STRICT = 0x0800;
        // Keep bits the library does not name (recursion, version ...).
        const _ = !0;
    }
}

impl Codec<GreFlags> for Be16 {
    fn read(a: &Attr<'_>) -> nl_wire::Result<GreFlags> {
        a.be16().map(GreFlags::from_bits_retain)
    }
    fn write(v: &GreFlags, m: &mut MsgBuilder<'_>, ty: u16) {
        m.put_be16(ty, v.bits());
    }
}

nl_wire::kernel_enum! {
    /// ERSPAN version II direction (`IFLA_GRE_ERSPAN_DIR`).
    pub enum ErspanDir: u8, "erspan_dir", crate::Error {
        /// Mirrored on ingress.
        Ingress = 0 => "ingress",
        /// Mirrored on egress.
        Egress = 1 => "egress",
    }
}

attr_struct! {
    /// GRE tunnel settings.
    pub struct Gre {
        /// Underlying device index, 0 for none (`u32`).
        link: u32 = IFLA_GRE_LINK,
        /// Flags expected on received packets (`__be16`).
        iflags: GreFlags = IFLA_GRE_IFLAGS => Be16,
        /// Flags put on sent packets (`__be16`).
        oflags: GreFlags = IFLA_GRE_OFLAGS => Be16,
        /// Key expected on received packets, with [`GreFlags::KEY`] in
        /// `iflags` (`__be32`: `ip`'s `ikey 42`).
        ikey: u32 = IFLA_GRE_IKEY => Be32,
        /// Key put on sent packets, with [`GreFlags::KEY`] in `oflags` (`__be32`).
        okey: u32 = IFLA_GRE_OKEY => Be32,
        /// Local address: IPv4 for gre/gretap/erspan, IPv6 for the ip6 kinds.
        local: IpAddr = IFLA_GRE_LOCAL,
        /// Remote address, same family as `local`.
        remote: IpAddr = IFLA_GRE_REMOTE,
        /// TTL or hop limit, 0 to inherit (`u8`).
        ttl: u8 = IFLA_GRE_TTL,
        /// IPv4 only: TOS, 1 to inherit (`u8`).
        tos: u8 = IFLA_GRE_TOS,
        /// IPv4 only: path MTU discovery, i.e. DF set (`u8`; on by default).
        pmtudisc: bool = IFLA_GRE_PMTUDISC => Bool8,
        /// IPv6 only: encapsulation limit option (`u8`).
        encap_limit: u8 = IFLA_GRE_ENCAP_LIMIT,
        /// IPv6 only: traffic class and flow label (`__be32`).
        flowinfo: u32 = IFLA_GRE_FLOWINFO => Be32,
        /// IPv6 only: `IP6_TNL_F_*` (`u32`).
        flags: Ip6TunnelFlags = IFLA_GRE_FLAGS,
        /// Outer UDP encapsulation (`u16`).
        encap_type: EncapType = IFLA_GRE_ENCAP_TYPE => Enum,
        /// `TUNNEL_ENCAP_FLAG_*` (`u16`).
        encap_flags: TunnelEncapFlags = IFLA_GRE_ENCAP_FLAGS,
        /// Encapsulation UDP source port, 0 for automatic (`__be16`).
        encap_sport: u16 = IFLA_GRE_ENCAP_SPORT => Be16,
        /// Encapsulation UDP destination port (`__be16`).
        encap_dport: u16 = IFLA_GRE_ENCAP_DPORT => Be16,
        /// External control plane (flag).
        collect_metadata: bool = IFLA_GRE_COLLECT_METADATA => Flag,
        /// IPv4 only: ignore DF of inner packets, needs `pmtudisc` off (`u8`).
        ignore_df: bool = IFLA_GRE_IGNORE_DF => Bool8,
        /// Firewall mark of the outer packets (`u32`).
        fwmark: u32 = IFLA_GRE_FWMARK,
        /// ERSPAN version 1 session index (`u32`).
        erspan_index: u32 = IFLA_GRE_ERSPAN_INDEX,
        /// ERSPAN version: 0 (type I), 1 or 2 (`u8`).
        erspan_ver: u8 = IFLA_GRE_ERSPAN_VER,
        /// ERSPAN version 2 direction (`u8`).
        erspan_dir: ErspanDir = IFLA_GRE_ERSPAN_DIR => Enum,
        /// ERSPAN version 2 hardware id (`u16`).
        erspan_hwid: u16 = IFLA_GRE_ERSPAN_HWID,
    }
}

impl Gre {
    /// A tunnel between two addresses of one family.
    pub fn between(local: IpAddr, remote: IpAddr) -> Self {
        Gre {
            local: Some(local),
            remote: Some(remote),
            ..Gre::default()
        }
    }

    /// The former name of [`Gre::key`].
    #[deprecated(
        since = "0.1.0",
        note = "builder methods take iproute2's word: use `key()`"
    )]
    #[must_use]
    pub fn with_key(self, key: u32) -> Self {
        self.key(key)
    }

    /// Sets both keys and the key flags (`ip`'s `key N`).
    #[must_use]
    pub fn key(mut self, key: u32) -> Self {
        self.ikey = Some(key);
        self.okey = Some(key);
        self.iflags = Some(self.iflags.unwrap_or_default() | GreFlags::KEY);
        self.oflags = Some(self.oflags.unwrap_or_default() | GreFlags::KEY);
        self
    }
}

impl LinkData for Gre {
    fn parse(data: Attrs<'_>) -> nl_wire::Result<Self> {
        Self::from_attrs(data)
    }

    /// Checks the addresses against the kind: `ip6gre`, `ip6gretap` and
    /// `ip6erspan` carry IPv6 ones, the others IPv4.
    fn write(&self, m: &mut MsgBuilder<'_>, kind: &str, _link: &Link) -> Result<()> {
        let ipv6 = kind.starts_with("ip6");
        for (field, addr) in [("local", self.local), ("remote", self.remote)] {
            if addr.is_some_and(|a| a.is_ipv6() != ipv6) {
                return Err(Error::invalid(
                    field,
                    if ipv6 {
                        "an IPv4 address on an IPv6 GRE tunnel"
                    } else {
                        "an IPv6 address on an IPv4 GRE tunnel"
                    },
                ));
            }
        }
        self.write_attrs(m);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kind::tests::{data_of, round_trip};
    use crate::{Link, LinkKind};

    fn v4() -> Gre {
        Gre {
            link: Some(2),
            iflags: Some(GreFlags::KEY | GreFlags::CSUM),
            oflags: Some(GreFlags::KEY | GreFlags::SEQ),
            ikey: Some(42),
            okey: Some(43),
            local: Some("192.0.2.1".parse().unwrap()),
            remote: Some("198.51.100.2".parse().unwrap()),
            ttl: Some(64),
            tos: Some(0x10),
            pmtudisc: Some(true),
            encap_type: Some(EncapType::Fou),
            encap_flags: Some(TunnelEncapFlags::CSUM),
            encap_sport: Some(0),
            encap_dport: Some(5555),
            collect_metadata: Some(true),
            ignore_df: Some(false),
            fwmark: Some(7),
            ..Gre::default()
        }
    }

    fn v6() -> Gre {
        Gre {
            local: Some("2001:db8::1".parse().unwrap()),
            remote: Some("2001:db8::2".parse().unwrap()),
            ttl: Some(64),
            encap_limit: Some(4),
            flowinfo: Some(0x0001_2345),
            flags: Some(Ip6TunnelFlags::USE_ORIG_TCLASS),
            encap_type: Some(EncapType::Gue),
            ..Gre::default()
        }
        .key(7)
    }

    #[test]
    fn every_field_round_trips_on_every_kind() {
        let erspan = Gre {
            erspan_index: Some(10),
            erspan_ver: Some(2),
            erspan_dir: Some(ErspanDir::Egress),
            erspan_hwid: Some(0x3f),
            ..v4()
        };
        for kind in [
            LinkKind::Gre(v4()),
            LinkKind::GreTap(v4()),
            LinkKind::Erspan(erspan.clone()),
            LinkKind::Ip6Gre(v6()),
            LinkKind::Ip6GreTap(v6()),
            LinkKind::Ip6Erspan(Gre {
                erspan_dir: Some(ErspanDir::Other(3)),
                ..v6()
            }),
        ] {
            let link = Link::new("gre1").kind(kind);
            assert_eq!(round_trip(&link), link);
        }
    }

    #[test]
    fn flags_and_keys_are_network_order() {
        let link = Link::new("gre1").kind(LinkKind::Gre(Gre::default().key(42)));
        let data = data_of(&link);
        // IFLA_GRE_IFLAGS 0x2000 as be16, then OFLAGS, IKEY, OKEY as be32.
        assert_eq!(&data[4..6], &[0x20, 0]);
        assert_eq!(&data[12..14], &[0x20, 0]);
        assert_eq!(&data[20..24], &[0, 0, 0, 42]);
    }

    #[test]
    fn families_must_match_the_kind() {
        let mut buf = Vec::new();
        let wrong = Link::new("gre1").kind(LinkKind::Gre(v6()));
        assert!(matches!(
            wrong.write_add(&mut buf),
            Err(Error::Invalid { field: "local", .. })
        ));
        let wrong = Link::new("gre1").kind(LinkKind::Ip6GreTap(Gre {
            remote: Some("192.0.2.9".parse().unwrap()),
            ..Gre::default()
        }));
        assert!(matches!(
            wrong.write_add(&mut buf),
            Err(Error::Invalid {
                field: "remote",
                ..
            })
        ));
        // the constructors pick the kind by family
        assert_eq!(
            LinkKind::gre("192.0.2.1".parse().unwrap(), "192.0.2.2".parse().unwrap()).name(),
            "gre"
        );
        assert_eq!(
            LinkKind::gretap(
                "2001:db8::1".parse().unwrap(),
                "2001:db8::2".parse().unwrap()
            )
            .name(),
            "ip6gretap"
        );
    }
}
